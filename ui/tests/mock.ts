import { vi } from 'vitest';
import type { Backend } from '../src/backend';
import type {
  AppInfo, Enrolment, Episode, Facility, FigurePeople, FollowUpDue, MentorSummary, ProgramReport, ParticipantInput, ParticipantView, Permission, Plan, ReadinessAssessment, ReadinessStep, Resource, Role, RosterApplied, RosterPreview, RosterRow, RosterSheet, RosterSource,
  LikelyDuplicates, ParticipantMerge, Schedule, SessionView, StaffRecord, Transfer,
} from '../src/backend/bindings';

const schedule: Schedule = { baseline_days: 30, every_days: 90, before_release_days: 30, contact_days: 14 };

const GRANTS: Record<Role, Permission[]> = {
  admin: ['manage_accounts', 'manage_site', 'manage_trusted_peers', 'backup', 'view_audit', 'export_audit'],
  coordinator: ['view_participants', 'enroll_participants', 'edit_participants', 'delete_participants', 'run_groups', 'reentry_work', 'peer_work', 'hand_off', 'export_data', 'print', 'keep_staff_records', 'assess_program', 'report_people', 'import_rosters', 'transfer_participants', 'merge_participants'],
  peer_specialist: ['view_participants', 'enroll_participants', 'edit_participants', 'run_groups', 'peer_work', 'print', 'report_people'],
  reentry_staff: ['view_participants', 'enroll_participants', 'edit_participants', 'reentry_work', 'hand_off', 'print', 'report_people', 'import_rosters', 'transfer_participants'],
  auditor: ['view_participants', 'view_audit', 'export_audit'],
};

/** A signed-in session with these roles, as the core would describe it. */
export function sessionView(roles: Role[] = ['admin', 'coordinator'], extra: Partial<SessionView['session']> = {}): SessionView {
  return {
    session: {
      user_id: 'u1',
      username: 'ada',
      display_name: 'Ada Admin',
      roles,
      scope: { kind: 'all' },
      workstation: 'ws-1',
      must_change_password: false,
      permissions: [...new Set(roles.flatMap((r) => GRANTS[r]))],
      preferences: { language: 'en', date_order: 'mdy', text_size: 100 },
      ...extra,
    },
    site: { site_id: 's', name: 'Peer Office', created_ms: 0 },
    settings: { idle_lock_minutes: 10, backups_kept: 14, roll_call_window_days: 7, bundle_limit_mb: 1024, schedule, follow_up_rule: 'gpra' },
    home_facility: null,
  };
}

/** The app's state at start: signed in with `roles`, or at another stage. */
export function appInfo(stage: AppInfo['stage'] = 'signed_in', roles: Role[] = ['admin', 'coordinator']): AppInfo {
  return { version: '0.1.0', db_path: '/tmp/x.db', stage, locked_by: null, session: stage === 'signed_in' ? sessionView(roles) : null };
}

export const facility: Facility = {
  id: 'f1',
  name: 'Riverside County Jail',
  code: 'RCJ',
  units: [{ id: 'u1', kind: 'unit', name: 'A-North' }],
  rooms: [],
};

export function row(i: number, name = `PERSON ${i}, Test`): RosterRow {
  return {
    id: `p${i}`,
    legal_name: name,
    preferred_name: null,
    facility_number: `RCJ-${1000 + i}`,
    facility_code: 'RCJ',
    unit_name: 'A-North',
    dob: '1988-03-14',
    status: 'active',
    release_date: '2027-01-15',
  };
}

export function view(input: ParticipantInput, id = 'p1'): ParticipantView {
  return {
    form: input,
    participant: {
      id,
      legal_name: input.legal_name,
      preferred_name: input.preferred_name || null,
      dob: input.dob,
      facility_number: input.facility_number,
      facility_id: input.facility_id,
      facility_name: facility.name,
      unit_id: input.unit_id || null,
      unit_name: null,
      admission_date: input.admission_date,
      release_date: input.release_date || null,
      program: input.program || null,
      status: 'active',
      status_date: input.admission_date,
      status_note: null,
      language: input.language,
      notes: input.notes || null,
      peer_id: null,
      peer_name: null,
      state_number: null,
      cell: null,
      release_note: null,
      charges: [],
    },
  };
}

/** A backend whose every call is a spy; tests override the calls they care about. */
export function mockBackend(overrides: Partial<Backend> = {}): Backend {
  const base: Backend = {
    appInfo: vi.fn(async () => appInfo('setup')),
    setupSite: vi.fn(async () => ({ session: sessionView(), recovery_key: 'ABCD-EFGH' })),
    signIn: vi.fn(async () => ({ session: sessionView(), notices: [] })),
    unlock: vi.fn(async () => ({ session: sessionView(), notices: [] })),
    lock: vi.fn(async () => null),
    signOut: vi.fn(async () => null),
    windowTitle: vi.fn(async () => null),
    preferencesSet: vi.fn(async (preferences) => sessionView(undefined, { preferences })),
    changePassword: vi.fn(async () => sessionView()),
    facilitiesList: vi.fn(async () => [facility]),
    facilityCreate: vi.fn(async (f) => ({ id: 'f2', name: f.name, code: f.code, units: [], rooms: [] })),
    locationAdd: vi.fn(async (_f: string, kind: 'unit' | 'room', name: string) => ({ id: `l-${name}`, kind, name })),
    rosterPage: vi.fn(async (_f, offset: number, limit: number) => ({
      total: 100000,
      offset,
      rows: Array.from({ length: limit }, (_, k) => row(offset + k)),
    })),
    rosterSearch: vi.fn(async () => ({ rows: [], more: false })),
    participantGet: vi.fn(async () => {
      throw { code: 'not_found', message: 'no participant with id p1', fields: [] };
    }),
    participantEnroll: vi.fn(async (input: ParticipantInput): Promise<Enrolment> => ({ outcome: 'enrolled', participant: view(input).participant })),
    participantUpdate: vi.fn(async (_id: string, _o: ParticipantInput, edited: ParticipantInput) => view(edited)),
    participantSetStatus: vi.fn(async () => {
      throw { code: 'not_found', message: 'no participant', fields: [] };
    }),
    participantDelete: vi.fn(async () => null),
    participantAssignPeer: vi.fn(async () => {
      throw { code: 'not_found', message: 'no participant', fields: [] };
    }),
    duplicatesList: vi.fn(async (): Promise<LikelyDuplicates> => ({ pairs: [], more: false })),
    mergesList: vi.fn(async (): Promise<ParticipantMerge[]> => []),
    mergeParticipants: vi.fn(async (): Promise<ParticipantMerge> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    mergeUndo: vi.fn(async (): Promise<ParticipantMerge> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    transfersList: vi.fn(async (): Promise<Transfer[]> => []),
    transfersOf: vi.fn(async (): Promise<Transfer[]> => []),
    transferDestinations: vi.fn(async (): Promise<Facility[]> => [facility]),
    transferRequest: vi.fn(async (): Promise<Transfer> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    transferAnswer: vi.fn(async (): Promise<Transfer> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    episodesList: vi.fn(async (): Promise<Episode[]> => []),
    episodeSave: vi.fn(async (): Promise<Episode[]> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    episodeRemove: vi.fn(async (): Promise<Episode[]> => []),
    phaseAdd: vi.fn(async (): Promise<Episode[]> => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    phaseRemove: vi.fn(async (): Promise<Episode[]> => []),
    programReport: vi.fn(async (from: string, to: string): Promise<ProgramReport> => ({ from, to, facility: null, sections: [] })),
    programReportPeople: vi.fn(async (): Promise<FigurePeople> => {
      throw { code: 'forbidden', message: 'your role may not see the people behind a report\'s figures', fields: [] };
    }),
    programReportSave: vi.fn(async () => null),
    programReportPeopleSave: vi.fn(async () => null),
    followUpsDue: vi.fn(async (): Promise<FollowUpDue[]> => []),
    rosterSources: vi.fn(async (): Promise<RosterSource[]> => []),
    rosterPick: vi.fn(async (): Promise<RosterSheet | null> => null),
    rosterPreview: vi.fn(async (): Promise<RosterPreview> => {
      throw { code: 'validation', message: 'choose the roster file first', fields: [] };
    }),
    rosterApply: vi.fn(async (): Promise<RosterApplied> => {
      throw { code: 'validation', message: 'choose the roster file first', fields: [] };
    }),
    rosterExport: vi.fn(async () => null),
    caseload: vi.fn(async () => {
      throw { code: 'validation', message: 'your account is not in the staff directory: choose whose caseload to open', fields: [] };
    }),
    caseloadPeers: vi.fn(async () => []),
    contactSave: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    contactsList: vi.fn(async () => []),
    contactNoteOpen: vi.fn(async () => ''),
    checkIns: vi.fn(async (participant_id: string) => ({ participant_id, check_ins: [], instruments: [], next_due: null })),
    checkInRecord: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    checkInsPrintRecorded: vi.fn(async () => null),
    instrumentsList: vi.fn(async () => []),
    instrumentLoad: vi.fn(async () => null),
    recoveryPlan: vi.fn(async (participant_id: string) => ({ participant_id, goals: [], history: [] })),
    goalSave: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    stepSave: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    timeline: vi.fn(async (participant_id: string) => ({ participant_id, moments: [] })),
    accountsList: vi.fn(async () => []),
    accountCreate: vi.fn(async (a) => ({ id: 'a2', username: a.username, display_name: a.display_name, roles: a.roles, scope: a.scope, active: true, must_change_password: true, created_ms: 0, updated_ms: 0 })),
    accountUpdate: vi.fn(async () => {
      throw { code: 'not_found', message: 'no account', fields: [] };
    }),
    accountDeactivate: vi.fn(async (username: string) => ({ account: { id: 'a9', username, display_name: username, roles: [], scope: { kind: 'all' as const }, active: false, must_change_password: false, created_ms: 0, updated_ms: 0 }, key_change: { needs_password_reset: [], new_recovery_key: null } })),
    accountResetPassword: vi.fn(async () => null),
    settingsSet: vi.fn(async (s) => s),
    backupNow: vi.fn(async () => ({ path: '/tmp/b.db', name: 'b.db', kind: 'regular' as const, made_ms: 0, bytes: 1 })),
    backupsList: vi.fn(async () => []),
    auditPage: vi.fn(async () => ({ total: 0, entries: [] })),
    auditVerify: vi.fn(async () => ({ entries: 0, ok: true, problems: [] })),
    auditAnchor: vi.fn(async () => ({ seq: 1, code: 'ABCD-EFGH-JKLM-NPQR' })),
    auditCheckAnchor: vi.fn(async () => ({ seq: 1, code: 'ABCD-EFGH-JKLM-NPQR' })),
    auditExport: vi.fn(async () => null),
    staffList: vi.fn(async () => []),
    staffAdd: vi.fn(async (input) => ({ id: 's1', name: input.name, peer_roles: input.peer_roles, facility_id: input.facility_id, has_login: false, username: null })),
    staffRecord: vi.fn(async (id: string) => sampleStaffRecord({ id })),
    staffRecordSave: vi.fn(async (id: string) => sampleStaffRecord({ id })),
    credentialAdd: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    credentialRemove: vi.fn(async () => null),
    ceHoursAdd: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    ceHoursRemove: vi.fn(async () => null),
    supervisionLog: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    supervisionReport: vi.fn(async (from: string, to: string) => ({ from, to, rows: [] })),
    evaluationAdd: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    mentorSummary: vi.fn(async () => sampleSummary()),
    mentorSummarySavePdf: vi.fn(async () => null),
    readinessChecklist: vi.fn(async () => sampleSteps()),
    readinessList: vi.fn(async () => []),
    readinessOpen: vi.fn(async (id: string) => sampleAssessment({ id })),
    readinessStart: vi.fn(async () => sampleAssessment()),
    readinessAnswer: vi.fn(async (id: string) => sampleAssessment({ id })),
    readinessSavePdf: vi.fn(async () => null),
    groupsList: vi.fn(async () => []),
    groupSave: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    groupMemberAdd: vi.fn(async () => {
      throw { code: 'not_found', message: 'no group', fields: [] };
    }),
    groupMemberRemove: vi.fn(async () => {
      throw { code: 'not_found', message: 'no group', fields: [] };
    }),
    weekView: vi.fn(async (_f: string, from: string) => ({ from, to: from, meetings: [], clashes: [] })),
    meetingMove: vi.fn(async () => {
      throw { code: 'not_found', message: 'no session', fields: [] };
    }),
    meetingCancel: vi.fn(async () => {
      throw { code: 'not_found', message: 'no session', fields: [] };
    }),
    meetingAdd: vi.fn(async () => {
      throw { code: 'not_found', message: 'no session', fields: [] };
    }),
    rollCall: vi.fn(async () => {
      throw { code: 'not_found', message: 'no session', fields: [] };
    }),
    rollCallSave: vi.fn(async () => {
      throw { code: 'not_found', message: 'no session', fields: [] };
    }),
    attendanceHistory: vi.fn(async () => ({ sessions_attended: 0, hours: 0, by_group: [], by_month: [], by_support: [], current_missed_streak: 0, longest_missed_streak: 0 })),
    groupAttendance: vi.fn(async () => []),
    weekPrintRecorded: vi.fn(async () => null),
    siteCard: vi.fn(async () => ({ format: 'bridger-site-card/2', site_id: 's', name: 'Peer Office', age_recipient: 'age1x', verify_key: 'k', fingerprint: 'ABCD-EFGH-IJKL-MNOP' })),
    siteCardSave: vi.fn(async () => null),
    peerCardOpen: vi.fn(async () => null),
    peersList: vi.fn(async () => []),
    peerRemove: vi.fn(async () => null),
    peerTrust: vi.fn(async () => {
      throw { code: 'validation', message: 'x', fields: [] };
    }),
    bundleExport: vi.fn(async () => null),
    bundleImport: vi.fn(async () => null),
    receiptSave: vi.fn(async () => null),
    receiptImport: vi.fn(async () => null),
    conflictsList: vi.fn(async () => []),
    conflictResolve: vi.fn(async () => null),
    myDay: vi.fn(async () => ({ today: '2026-11-25', meetings: [], no_roll_call: [], contacts_due: null, reentry: null, staff_due: [] })),
    reentryPipeline: vi.fn(async () => []),
    reentryPlan: vi.fn(async () => samplePlan()),
    reentryStartPlan: vi.fn(async () => samplePlan()),
    reentrySaveDetails: vi.fn(async () => samplePlan()),
    reentrySaveItem: vi.fn(async () => samplePlan()),
    reentrySaveAppointment: vi.fn(async () => samplePlan()),
    consentAdd: vi.fn(async () => samplePlan()),
    consentRevoke: vi.fn(async () => samplePlan()),
    resourcesList: vi.fn(async () => [clinic]),
    resourceSave: vi.fn(async () => clinic),
    planTemplate: vi.fn(async () => []),
    templateItemSave: vi.fn(async () => []),
    templateItemRemove: vi.fn(async () => []),
    reentrySaveReferral: vi.fn(async () => samplePlan()),
    packetView: vi.fn(async () => ({ title: 'Your release packet', footer: 'OKAFOR, Grace', page_words: ['Page', 'of'] as [string, string], blocks: [{ kind: 'title' as const, text: 'Your release packet' }] })),
    packetSavePdf: vi.fn(async () => null),
    handoffExport: vi.fn(async () => null),
    handoffConfirm: vi.fn(async () => []),
    handoffsOpen: vi.fn(async () => []),
  };
  return { ...base, ...overrides };
}

export const clinic: Resource = {
  id: 'r1', name: 'Eastside Recovery Clinic', kind: 'treatment_provider', address: '40 Elm St', phone: '555-0142', contact: null,
  offers: 'buprenorphine', notes: null, site_id: null,
};

/** A plan 20 days before release with one item settled of two. */
export function samplePlan(over: Partial<Plan> = {}): Plan {
  return {
    participant_id: 'p1', legal_name: 'OKAFOR, Grace', language: 'en', release: '2026-12-14', released: false, window: 'days30',
    progress: { settled: 1, total: 2 }, missing: ['State ID card'], high_risk: false,
    details: { community_peer: null, community_peer_phone: null, community_peer_resource_id: null, supervision_conditions: null, first_report_date: null, first_report_place: null },
    items: [
      { id: 'i1', template_id: 't1', area: 'identification', title: 'State ID card', due_days: 30, status: 'open', owner: null, due_date: null, notes: null },
      { id: 'i2', template_id: 't2', area: 'health_coverage', title: 'Medicaid application or reinstatement', due_days: 90, status: 'done', owner: 'Lee', due_date: null, notes: null },
    ],
    appointments: [], referrals: [], consents: [], disclosures: [],
    ...over,
  };
}

/** Rosa's staff record as a coordinator reads it: a peer specialist supervised monthly by Dee,
 * nothing logged yet. */
export function sampleStaffRecord(over: Partial<StaffRecord> = {}): StaffRecord {
  return {
    id: 's1',
    name: 'Rosa Díaz',
    peer_roles: ['forensic peer specialist'],
    facility_id: 'f1',
    has_login: true,
    username: 'rosa',
    facility_name: 'Riverside County Jail',
    roles: ['peer_specialist'],
    employer_kind: 'facility',
    employer: null,
    start_date: '2026-01-05',
    phone: null,
    email: null,
    cadence: 'monthly',
    supervisor: { id: 's2', name: 'Dee Carter' },
    other_facilities: [],
    agreement_signed_on: null,
    agreement_covers: null,
    credentials: [],
    ce_hours: [],
    supervision: [],
    supervision_due: { due_on: '2026-02-05', last: null, days_late: 293 },
    supervisees: [],
    evaluations: [],
    warnings: [{ kind: 'supervision_lapsed', due: { due_on: '2026-02-05', last: null, days_late: 293 } }],
    reach: 'keeper',
    ...over,
  };
}

export function sampleSummary(over: Partial<MentorSummary> = {}): MentorSummary {
  return {
    name: 'Rosa Díaz',
    facility_name: 'Riverside County Jail',
    roles: ['peer_specialist'],
    start_date: '2026-01-05',
    agreement_signed_on: null,
    agreement_covers: null,
    credentials: [],
    training: [],
    groups: [],
    contacts: 0,
    contact_minutes: 0,
    supervision_sessions: 0,
    supervision_minutes: 0,
    evaluations: [],
    ...over,
  };
}

/** Two of the five steps, two items each: enough for a screen to show and compare. */
export function sampleSteps(): ReadinessStep[] {
  const item = (id: string, en: string) => ({ id, en, es: `${en} (es)` });
  return [
    {
      step: 1,
      id: 'promote',
      title: { en: 'Promote a recovery orientation', es: 'Promover una orientación hacia la recuperación' },
      about: { en: 'Partners understand recovery.', es: 'Los socios entienden la recuperación.' },
      items: [item('promote.vision', 'The program has a written vision.'), item('promote.training', 'Partners have had training.')],
    },
    {
      step: 5,
      id: 'supervision',
      title: { en: 'Provide supervision', es: 'Proporcionar supervisión' },
      about: { en: 'Every peer is supervised.', es: 'Cada par recibe supervisión.' },
      items: [item('supervision.structure', 'Each peer knows who supervises them.'), item('supervision.frequency', 'Supervision is often enough.')],
    },
  ];
}

export function sampleAssessment(over: Partial<ReadinessAssessment> = {}): ReadinessAssessment {
  return {
    id: 'r1',
    facility_id: 'f1',
    date: '2026-11-20',
    title: 'Annual review',
    counts: { in_place: 0, in_progress: 0, not_yet: 0, not_applicable: 0, answered: 0, items: 4 },
    facility_name: 'Riverside County Jail',
    answers: [],
    ...over,
  };
}
