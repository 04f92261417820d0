// The one interface between the screens and the core. Components never import @tauri-apps
// directly: the app gets the Tauri implementation, tests get the mock.

import { getContext, setContext } from 'svelte';
import type {
  AppointmentInput,
  ConsentInput,
  PipelineRow,
  ReferralInput,
  TodayView,
  Disclosure,
  HandOffSummary,
  OpenHandOff,
  PrintDocument,
  Plan,
  PlanDetailsInput,
  PlanItemInput,
  Resource,
  ResourceInput,
  TemplateItem,
  Conflict,
  ExportSummary,
  ImportSummary,
  Peer,
  SiteCard,
  AttendanceHistory,
  Group,
  GroupInput,
  GroupSession,
  RollCall,
  RollCallInput,
  SessionAttendance,
  SessionKey,
  SessionMove,
  Staff,
  StaffInput,
  WeekView,
  Account,
  AccountChange,
  AppInfo,
  AuditFilter,
  AuditPage,
  AuditReport,
  BackupInfo,
  Exported,
  NewAccount,
  SessionView,
  Settings,
  SetupDone,
  SignedIn,
  SiteSetup,
  DuplicateCheck,
  Enrolment,
  ErrorCode,
  ErrorReport,
  Facility,
  FieldError,
  Location,
  NewFacility,
  ParticipantInput,
  ParticipantView,
  RosterFilter,
  RosterPage,
  SearchResult,
  StatusChange,
} from '../lib/types';

export interface Backend {
  appInfo(): Promise<AppInfo>;
  setupSite(setup: SiteSetup): Promise<SetupDone>;
  signIn(username: string, password: string): Promise<SignedIn>;
  unlock(password: string): Promise<SignedIn>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
  changePassword(current: string, next: string): Promise<SessionView>;
  facilities(): Promise<Facility[]>;
  createFacility(facility: NewFacility): Promise<Facility>;
  addLocation(facilityId: string, kind: 'unit' | 'room', name: string): Promise<Location>;
  rosterPage(filter: RosterFilter, offset: number, limit: number): Promise<RosterPage>;
  search(text: string, filter: RosterFilter, limit: number): Promise<SearchResult>;
  participant(id: string): Promise<ParticipantView>;
  /** Enrols, or, unless `check` confirms a new person, returns possible duplicates unsaved. */
  enroll(input: ParticipantInput, check: DuplicateCheck): Promise<Enrolment>;
  update(id: string, original: ParticipantInput, edited: ParticipantInput): Promise<ParticipantView>;
  setStatus(id: string, change: StatusChange): Promise<ParticipantView>;
  remove(id: string): Promise<void>;
  accounts(): Promise<Account[]>;
  createAccount(account: NewAccount): Promise<Account>;
  updateAccount(username: string, change: AccountChange): Promise<Account>;
  deactivateAccount(username: string): Promise<void>;
  resetPassword(username: string, password: string): Promise<void>;
  saveSettings(settings: Settings): Promise<Settings>;
  backupNow(): Promise<BackupInfo>;
  backups(): Promise<BackupInfo[]>;
  auditPage(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage>;
  auditVerify(): Promise<AuditReport>;
  /** Asks where to save in the system's dialog; null when the person cancels. */
  auditExport(filter: AuditFilter): Promise<Exported | null>;
  staff(facilityId: string): Promise<Staff[]>;
  addStaff(input: StaffInput): Promise<Staff>;
  groups(facilityId: string): Promise<Group[]>;
  saveGroup(groupId: string | null, input: GroupInput): Promise<Group>;
  addMember(groupId: string, participantId: string): Promise<Group>;
  removeMember(groupId: string, participantId: string): Promise<Group>;
  week(facilityId: string, from: string, locationId: string | null): Promise<WeekView>;
  moveSession(key: SessionKey, to: SessionMove): Promise<GroupSession>;
  cancelSession(key: SessionKey, reason: string): Promise<GroupSession>;
  addSession(groupId: string, at: SessionMove): Promise<GroupSession>;
  rollCall(key: SessionKey): Promise<RollCall>;
  saveRollCall(key: SessionKey, input: RollCallInput): Promise<RollCall>;
  attendanceHistory(participantId: string): Promise<AttendanceHistory>;
  groupAttendance(groupId: string): Promise<SessionAttendance[]>;
  /** Records a print in the audit trail, before the page is printed. */
  recordPrint(what: string): Promise<void>;
  siteCard(): Promise<SiteCard>;
  /** Saves this site's card where the person chooses; null when they cancel. */
  saveSiteCard(): Promise<string | null>;
  /** Reads a site's card from a file the person picks; null when they cancel. */
  openPeerCard(): Promise<SiteCard | null>;
  peers(): Promise<Peer[]>;
  trustPeer(card: SiteCard, heard: string): Promise<Peer>;
  /** Exports to a file the person picks; null when they cancel. */
  /** For a trusted site, or (with a passphrase, peerId null) everything for a one-off transfer. */
  exportBundle(peerId: string | null, full: boolean, passphrase?: string): Promise<ExportSummary | null>;
  /** Imports a file the person picks; null when they cancel. */
  importBundle(passphrase?: string): Promise<ImportSummary | null>;
  saveReceipt(sender: string): Promise<string | null>;
  /** Reads a receipt the person picks; the sending site's name, or null when they cancel. */
  importReceipt(): Promise<string | null>;
  conflicts(): Promise<Conflict[]>;
  resolveConflict(id: number, keep: 'shown' | 'other'): Promise<void>;

  /** Releases in the next 30 days (and anyone flagged), tasks due within a week, appointments. */
  today(): Promise<TodayView>;
  /** Everyone with a release date, in release order, with progress and what is missing now. */
  releasePipeline(): Promise<PipelineRow[]>;
  /** A participant's plan; opening it is audited. */
  plan(participantId: string): Promise<Plan>;
  startPlan(participantId: string): Promise<Plan>;
  savePlanDetails(participantId: string, input: PlanDetailsInput): Promise<Plan>;
  /** Adds an item (itemId null) or saves one. */
  savePlanItem(participantId: string, itemId: string | null, input: PlanItemInput): Promise<Plan>;
  saveAppointment(participantId: string, appointmentId: string | null, input: AppointmentInput): Promise<Plan>;
  addConsent(participantId: string, input: ConsentInput): Promise<Plan>;
  revokeConsent(participantId: string, consentId: string, on: string): Promise<Plan>;
  resources(query: string): Promise<Resource[]>;
  /** siteId links the resource to a trusted site, making it a community partner for hand-offs. */
  saveResource(resourceId: string | null, input: ResourceInput, siteId: string | null): Promise<Resource>;
  planTemplate(): Promise<TemplateItem[]>;
  /** Adds a template item (itemId null) or changes one; the template as it now stands. */
  saveTemplateItem(itemId: string | null, input: PlanItemInput): Promise<TemplateItem[]>;
  removeTemplateItem(itemId: string): Promise<TemplateItem[]>;
  saveReferral(participantId: string, referralId: string | null, input: ReferralInput): Promise<Plan>;
  /** The release packet for the print view ('english' or 'spanish'; null: the person's language). Audited. */
  packet(participantId: string, language: string | null): Promise<PrintDocument>;
  /** Writes a hand-off bundle for a partner where the person chooses; null when they cancel. */
  exportHandOff(participantId: string, recipientId: string): Promise<HandOffSummary | null>;
  confirmHandOff(participantId: string, disclosureId: string, on: string, how: string): Promise<Disclosure[]>;
  openHandOffs(): Promise<OpenHandOff[]>;
  /** Saves the packet as a PDF where the person chooses; the path, or null when they cancel. */
  savePacketPdf(participantId: string, language: string | null): Promise<string | null>;
}

/** An error from the core, with the code the UI branches on and any per-field messages. */
export class BackendError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];

  constructor(report: ErrorReport) {
    super(report.message);
    this.code = report.code;
    this.fields = report.fields ?? [];
  }

  static from(e: unknown): BackendError {
    if (e instanceof BackendError) return e;
    if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
      return new BackendError(e as ErrorReport);
    }
    return new BackendError({ code: 'io', message: String(e), fields: [] });
  }

  /** What a form shows for a failed call: each field's message beside it, anything else as a
   * banner above the form. */
  static explain(e: unknown): { errors: Record<string, string>; banner: string | null } {
    const err = BackendError.from(e);
    return { errors: err.byField(), banner: err.fields.length === 0 ? err.message : null };
  }

  /** Field name → message, for showing each error beside its field. */
  byField(): Record<string, string> {
    return Object.fromEntries(this.fields.map((f) => [f.field, f.message]));
  }
}

const KEY = Symbol('backend');

export function provideBackend(backend: Backend): void {
  setContext(KEY, backend);
}

export function useBackend(): Backend {
  return getContext<Backend>(KEY);
}
