// Mirrors of the core's types as they cross the IPC boundary (see src/model in the core).

export type Status = 'active' | 'released' | 'transferred' | 'discharged';
export const STATUSES: Status[] = ['active', 'released', 'transferred', 'discharged'];

export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'not_initialized'
  | 'schema_too_new'
  | 'busy'
  | 'database'
  | 'io'
  | 'not_signed_in'
  | 'wrong_password'
  | 'locked_out'
  | 'forbidden'
  | 'key_file'
  | 'quarantined';

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorReport {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
}

export interface SiteInfo {
  site_id: string;
  name: string;
  created_ms: number;
}

export type Role = 'admin' | 'coordinator' | 'peer_specialist' | 'reentry_staff' | 'auditor';
export const ROLES: { role: Role; label: string; what: string }[] = [
  { role: 'admin', label: 'Administrator', what: 'accounts, facilities, settings, backups, the audit trail' },
  { role: 'coordinator', label: 'Coordinator', what: 'all program records in their facilities' },
  { role: 'peer_specialist', label: 'Peer specialist', what: 'participants and groups in their facility; no exports' },
  { role: 'reentry_staff', label: 'Reentry staff', what: 'participants and reentry work; hand-offs' },
  { role: 'auditor', label: 'Auditor', what: 'reads records and the audit trail; changes nothing' },
];

export type Permission =
  | 'manage_accounts'
  | 'manage_site'
  | 'manage_trusted_peers'
  | 'backup'
  | 'view_audit'
  | 'export_audit'
  | 'view_participants'
  | 'enroll_participants'
  | 'edit_participants'
  | 'delete_participants'
  | 'run_groups'
  | 'reentry_work'
  | 'hand_off'
  | 'export_data'
  | 'print';

export type Scope = { kind: 'all' } | { kind: 'facilities'; facilities: string[] };

export interface Session {
  user_id: string;
  username: string;
  display_name: string;
  roles: Role[];
  scope: Scope;
  workstation: string;
  must_change_password: boolean;
  permissions: Permission[];
}

export interface Settings {
  idle_lock_minutes: number;
  backups_kept: number;
  roll_call_window_days: number;
}

export interface SessionView {
  session: Session;
  site: SiteInfo;
  settings: Settings;
}

export type Stage = 'setup' | 'sign_in' | 'locked' | 'signed_in';

export interface AppInfo {
  version: string;
  db_path: string;
  stage: Stage;
  locked_by: string | null;
  session: SessionView | null;
}

export interface NewAccount {
  username: string;
  display_name: string;
  password: string;
  roles: Role[];
  scope: Scope;
}

export interface AccountChange {
  display_name: string;
  roles: Role[];
  scope: Scope;
}

export interface Account {
  id: string;
  username: string;
  display_name: string;
  roles: Role[];
  scope: Scope;
  active: boolean;
  must_change_password: boolean;
  created_ms: number;
  updated_ms: number;
}

export interface SiteSetup {
  site_name: string;
  admin: NewAccount;
  facility: NewFacility | null;
}

export interface SetupDone {
  session: SessionView;
  recovery_key: string;
}

export interface SignedIn {
  session: SessionView;
  backup_notice: string | null;
}

export interface BackupInfo {
  path: string;
  name: string;
  made_ms: number;
  bytes: number;
}

export interface AuditFilter {
  actor: string | null;
  participant: string | null;
  from: string | null;
  to: string | null;
}

export interface AuditEntry {
  seq: number;
  at_ms: number;
  actor: string;
  workstation: string;
  action: string;
  table: string | null;
  record_id: string | null;
  participant_name: string | null;
  detail: string;
}

export interface AuditPage {
  total: number;
  entries: AuditEntry[];
}

export interface AuditReport {
  entries: number;
  ok: boolean;
  problems: string[];
}

export interface Exported {
  path: string;
  entries: number;
}

export interface Location {
  id: string;
  kind: 'unit' | 'room';
  name: string;
}

export interface Facility {
  id: string;
  name: string;
  code: string;
  units: Location[];
  rooms: Location[];
}

export interface NewFacility {
  name: string;
  code: string;
  units: string[];
  rooms: string[];
}

export interface ParticipantInput {
  legal_name: string;
  preferred_name: string;
  dob: string;
  facility_number: string;
  facility_id: string;
  unit_id: string;
  admission_date: string;
  release_date: string;
  program: string;
  language: string;
  notes: string;
}

export interface Participant {
  id: string;
  legal_name: string;
  preferred_name: string | null;
  dob: string;
  facility_number: string;
  facility_id: string;
  facility_name: string;
  unit_id: string | null;
  unit_name: string | null;
  admission_date: string;
  release_date: string | null;
  program: string | null;
  status: Status;
  status_date: string;
  status_note: string | null;
  language: string;
  notes: string | null;
}

export interface ParticipantView {
  participant: Participant;
  form: ParticipantInput;
}

export interface RosterFilter {
  facility_id: string | null;
  unit_id: string | null;
  status: Status | null;
  release_from: string | null;
  release_to: string | null;
}

export interface RosterRow {
  id: string;
  legal_name: string;
  preferred_name: string | null;
  facility_number: string;
  facility_code: string;
  unit_name: string | null;
  dob: string;
  status: Status;
  release_date: string | null;
}

export interface RosterPage {
  total: number;
  offset: number;
  rows: RosterRow[];
}

export interface SearchResult {
  rows: RosterRow[];
  more: boolean;
}

export interface DuplicateCandidate {
  row: RosterRow;
  reason: string;
}

export type DuplicateCheck = 'check' | 'confirmed_new_person';

export type Enrolment =
  | { outcome: 'enrolled'; participant: Participant }
  | { outcome: 'possible_duplicates'; candidates: DuplicateCandidate[] };

export interface StatusChange {
  status: Status;
  date: string;
  note: string;
}

export function emptyInput(): ParticipantInput {
  return {
    legal_name: '',
    preferred_name: '',
    dob: '',
    facility_number: '',
    facility_id: '',
    unit_id: '',
    admission_date: '',
    release_date: '',
    program: '',
    language: 'English',
    notes: '',
  };
}

export type SupportType = 'emotional' | 'informational' | 'instrumental' | 'affiliational';
export const SUPPORT_TYPES: { value: SupportType; label: string }[] = [
  { value: 'emotional', label: 'Emotional' },
  { value: 'informational', label: 'Informational' },
  { value: 'instrumental', label: 'Instrumental' },
  { value: 'affiliational', label: 'Affiliational' },
];
export type Mark = 'present' | 'absent' | 'excused' | 'refused';
export type SessionStatus = 'scheduled' | 'held' | 'cancelled';

export interface Staff {
  id: string;
  name: string;
  peer_roles: string[];
  facility_id: string;
  has_login: boolean;
  username: string | null;
}

export interface StaffInput {
  name: string;
  peer_roles: string[];
  facility_id: string;
  username: string;
}

export interface Member {
  participant_id: string;
  legal_name: string;
  facility_number: string;
  joined_on: string;
}

export interface GroupInput {
  name: string;
  topic: string;
  support_type: SupportType | '';
  facility_id: string;
  location_id: string;
  weekdays: number[];
  start_time: string;
  duration_min: number;
  facilitators: string[];
  capacity: number | null;
  open_group: boolean;
  starts_on: string;
  ends_on: string;
}

export interface Group {
  id: string;
  name: string;
  topic: string | null;
  support_type: SupportType;
  facility_id: string;
  location_id: string;
  location_name: string;
  weekdays: number[];
  start_time: string;
  duration_min: number;
  facilitators: string[];
  facilitator_names: string[];
  capacity: number | null;
  open_group: boolean;
  starts_on: string;
  ends_on: string | null;
  members: Member[];
}

export interface GroupSession {
  id: string;
  group_id: string;
  group_name: string;
  support_type: SupportType;
  facility_id: string;
  occurrence: string | null;
  date: string;
  start_time: string;
  duration_min: number;
  location_id: string;
  location_name: string;
  facilitators: string[];
  facilitator_names: string[];
  status: SessionStatus;
  cancel_reason: string | null;
  topic_covered: string | null;
  notes: string | null;
  facilitator_hours: number | null;
}

export interface SessionKey {
  id: string;
  group_id: string;
  occurrence: string | null;
}

export function keyOf(s: GroupSession): SessionKey {
  return { id: s.id, group_id: s.group_id, occurrence: s.occurrence };
}

export interface Clash {
  kind: 'room' | 'facilitator' | 'participant';
  first: string;
  second: string;
  detail: string;
}

export interface WeekView {
  from: string;
  to: string;
  sessions: GroupSession[];
  clashes: Clash[];
}

export interface SessionMove {
  date: string;
  start_time: string;
  duration_min: number;
  location_id: string;
}

export interface RollRow {
  participant_id: string;
  legal_name: string;
  preferred_name: string | null;
  facility_number: string;
  unit_name: string | null;
  mark: Mark | null;
  walk_in: boolean;
  gone: string | null;
}

export interface RollCall {
  session: GroupSession;
  rows: RollRow[];
  open_group: boolean;
  window_days: number;
}

export interface RollCallInput {
  marks: { participant_id: string; mark: Mark; walk_in: boolean }[];
  topic_covered: string;
  notes: string;
  facilitator_hours: number | null;
  late_reason: string;
}

export interface Hours {
  label: string;
  sessions: number;
  hours: number;
}

export interface AttendanceHistory {
  sessions_attended: number;
  hours: number;
  by_group: Hours[];
  by_month: Hours[];
  by_support: Hours[];
  current_missed_streak: number;
  longest_missed_streak: number;
}

export interface SessionAttendance {
  session_id: string;
  date: string;
  marked: number;
  present: number;
}

export interface SiteCard {
  format: string;
  site_id: string;
  name: string;
  age_recipient: string;
  verify_key: string;
  fingerprint: string;
}

export interface Peer {
  site_id: string;
  name: string;
  fingerprint: string;
  added_ms: number;
  added_by: string;
}

export interface ExportSummary {
  to: string;
  path: string;
  changes: number;
  bytes: number;
}

export interface ImportSummary {
  from: string;
  sender: string;
  changes: number;
  new_records: number;
  updated_fields: number;
  already_present: number;
  conflicts: number;
  /** Every change was already here (imported before, or a replay of an older bundle). */
  nothing_new: boolean;
  not_applied: string[];
  clock_warning: string | null;
  /** A hand-off's notice forbidding re-disclosure. */
  notice: string | null;
}

export interface Conflict {
  id: number;
  table: string;
  record_id: string;
  record_name: string | null;
  field: string;
  winner_value: unknown;
  winner_site: string;
  winner_at_ms: number;
  loser_value: unknown;
  loser_site: string;
  loser_at_ms: number;
}

// Reentry (issue 7): mirrors of bridger::model::reentry and bridger::store::reentry.
export type Area =
  | 'identification'
  | 'health_coverage'
  | 'moud'
  | 'naloxone'
  | 'housing'
  | 'employment'
  | 'transportation'
  | 'phone'
  | 'supervision'
  | 'recovery_supports';

export const AREAS: { id: Area; name: string }[] = [
  { id: 'identification', name: 'Identification documents' },
  { id: 'health_coverage', name: 'Health coverage and benefits' },
  { id: 'moud', name: 'Medication for opioid use disorder' },
  { id: 'naloxone', name: 'Naloxone' },
  { id: 'housing', name: 'Housing' },
  { id: 'employment', name: 'Employment or education' },
  { id: 'transportation', name: 'Transportation' },
  { id: 'phone', name: 'Phone' },
  { id: 'supervision', name: 'Supervision' },
  { id: 'recovery_supports', name: 'Recovery supports and community peer' },
];

export type ItemStatus = 'open' | 'in_progress' | 'done' | 'not_needed';
export type Window = 'later' | 'days90' | 'days30' | 'days7' | 'release_day' | 'first_week' | 'first_month' | 'past';

export const WINDOWS: { id: Window; name: string }[] = [
  { id: 'first_week', name: 'First week out' },
  { id: 'release_day', name: 'Day of release' },
  { id: 'days7', name: '7 days out' },
  { id: 'days30', name: '30 days out' },
  { id: 'days90', name: '90 days out' },
  { id: 'first_month', name: 'First month out' },
  { id: 'later', name: 'More than 90 days out' },
  { id: 'past', name: 'Over a month out' },
];

export interface Progress {
  settled: number;
  total: number;
}

export interface PipelineRow {
  participant_id: string;
  legal_name: string;
  facility_number: string;
  release: string;
  released: boolean;
  window: Window;
  started: boolean;
  progress: Progress;
  missing: string[];
  high_risk: boolean;
}

export interface PlanItem {
  id: string;
  template_id: string | null;
  area: Area;
  title: string;
  due_days: number;
  status: ItemStatus;
  owner: string | null;
  due_date: string | null;
  notes: string | null;
}

export interface Appointment {
  id: string;
  resource_id: string | null;
  area: Area;
  provider: string;
  address: string | null;
  phone: string | null;
  date: string;
  time: string | null;
  before_release_reason: string | null;
  confirmed: boolean;
  notes: string | null;
}

export interface Referral {
  id: string;
  resource_id: string;
  resource_name: string;
  area: Area;
  status: 'sent' | 'accepted' | 'attended' | 'declined';
  sent_on: string;
  notes: string | null;
}

export interface Consent {
  id: string;
  resource_id: string;
  resource_name: string;
  information: Area[];
  signed_on: string;
  expires_on: string;
  revoked_on: string | null;
  purpose: string;
  active: boolean;
}

export interface PlanDetails {
  community_peer: string | null;
  community_peer_phone: string | null;
  community_peer_resource_id: string | null;
  supervision_conditions: string | null;
  first_report_date: string | null;
  first_report_place: string | null;
}

export interface Disclosure {
  id: string;
  consent_id: string | null;
  recipient: string;
  areas: Area[];
  how: string;
  disclosed_ms: number;
  disclosed_by: string;
  confirmed_on: string | null;
  confirmed_how: string | null;
}

export interface HandOffSummary {
  disclosure_id: string;
  to: string;
  path: string;
  changes: number;
  areas: Area[];
}

export interface OpenHandOff {
  disclosure_id: string;
  participant_id: string;
  legal_name: string;
  recipient: string;
  disclosed_ms: number;
}

export interface Plan {
  participant_id: string;
  legal_name: string;
  language: string;
  release: string | null;
  released: boolean;
  window: Window | null;
  progress: Progress;
  missing: string[];
  high_risk: boolean;
  details: PlanDetails;
  items: PlanItem[];
  appointments: Appointment[];
  referrals: Referral[];
  consents: Consent[];
  disclosures: Disclosure[];
}

export type ResourceKind =
  | 'treatment_provider'
  | 'recovery_residence'
  | 'recovery_community_organization'
  | 'benefits_office'
  | 'supervision_office'
  | 'other';

export const RESOURCE_KINDS: { id: ResourceKind; name: string }[] = [
  { id: 'treatment_provider', name: 'Treatment provider' },
  { id: 'recovery_residence', name: 'Recovery residence' },
  { id: 'recovery_community_organization', name: 'Recovery community organization' },
  { id: 'benefits_office', name: 'Benefits office' },
  { id: 'supervision_office', name: 'Supervision office' },
  { id: 'other', name: 'Other' },
];

export interface Resource {
  id: string;
  name: string;
  kind: ResourceKind;
  address: string | null;
  phone: string | null;
  contact: string | null;
  offers: string | null;
  notes: string | null;
  site_id: string | null;
}

export interface PlanItemInput {
  area: string;
  title: string;
  due_days: number;
  status: string;
  owner: string;
  due_date: string;
  notes: string;
}

export interface AppointmentInput {
  area: string;
  resource_id: string;
  provider: string;
  address: string;
  phone: string;
  date: string;
  time: string;
  before_release_reason: string;
  confirmed: boolean;
  notes: string;
}

export interface ConsentInput {
  resource_id: string;
  information: string[];
  purpose: string;
  signed_on: string;
  expires_on: string;
}

export interface PlanDetailsInput {
  community_peer: string;
  community_peer_phone: string;
  community_peer_resource_id: string;
  supervision_conditions: string;
  first_report_date: string;
  first_report_place: string;
}

export interface ResourceInput {
  name: string;
  kind: string;
  address: string;
  phone: string;
  contact: string;
  offers: string;
  notes: string;
}

export interface TemplateItem {
  id: string;
  area: Area;
  title: string;
  due_days: number;
  sort: number;
}

/** A printable document from the core (the release packet), block by block. */
export type DocumentBlock =
  | { kind: 'title' | 'heading' | 'strong' | 'text'; text: string }
  | { kind: 'gap' };

export interface PrintDocument {
  title: string;
  footer: string;
  page_words: [string, string];
  blocks: DocumentBlock[];
}

export interface TaskDue {
  participant_id: string;
  legal_name: string;
  title: string;
  area: Area;
  owner: string | null;
  due: string;
  overdue: boolean;
}

export interface AppointmentDue extends Appointment {
  participant_id: string;
  legal_name: string;
}

export interface TodayView {
  releases: PipelineRow[];
  tasks: TaskDue[];
  appointments: AppointmentDue[];
}

export interface ReferralInput {
  resource_id: string;
  area: string;
  status: string;
  sent_on: string;
  notes: string;
}
