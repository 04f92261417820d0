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
