//! The synced tables, the fields each may carry and what a value of each field must look like.
//! Nothing outside this list can reach the SQL, and every value that is written, typed here or
//! carried in from another site, passes the same check: a value that would break a screen never
//! reaches a table (ADR 0001, ADR 0011).

use crate::model::{
    Area, Outcome, ProgramKind, Cadence, CeTopic, ContactKind, CredentialKind, Dimension, EmployerKind, GoalStatus, Intercept, ItemStatus, Mark, MeetingStatus, PeerRole, ReferralStatus,
    ReadinessAnswer, ResourceKind, Setting, Status, StepStatus, SupervisionFunction, SupervisionSetting, SupportType, DATE_YEARS, MAX_CE_HOURS, MAX_SUPERVISION_MINUTES,
    MIN_CE_HOURS, TransferAnswer,
};
use crate::text::{clean_block, clean_line};
use chrono::{Datelike, NaiveDate, NaiveTime};
use rusqlite::types::Value;
use uuid::Uuid;

/// What a field's value must be. `Null` is allowed only where `optional` says so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// One line of clean text, at most this many characters.
    Line { max: usize, optional: bool },
    /// Clean text that may hold line breaks (notes).
    Block { max: usize },
    Date { optional: bool },
    /// A time of day, `HH:MM`.
    Time { optional: bool },
    Id { optional: bool },
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
    /// One of a fixed list of words, or none yet (how an episode ended, while it runs).
    ChoiceOrNone(&'static [&'static str]),
    Integer { min: i64, max: i64, optional: bool },
    Real { min: f64, max: f64 },
    /// 0 or 1.
    Flag,
    /// ISO weekday numbers, comma-separated: `1,3`.
    Weekdays,
    /// A JSON list of record ids.
    IdList,
    /// A JSON list of the plan's areas.
    AreaList,
    /// A JSON object (a disclosure's description), at most this many characters.
    Object { max: usize },
}

const fn line(max: usize) -> Kind {
    Kind::Line { max, optional: true }
}
const fn required(max: usize) -> Kind {
    Kind::Line { max, optional: false }
}
const DATE: Kind = Kind::Date { optional: true };
const ID: Kind = Kind::Id { optional: true };
const DELETED: (&str, Kind) = ("deleted", Kind::Flag);

const STATUSES: &[&str] = &[Status::Active.as_str(), Status::Released.as_str(), Status::Transferred.as_str(), Status::Discharged.as_str()];
const LOCATION_KINDS: &[&str] = &["unit", "room"];
const SUPPORT_TYPES: &[&str] = &[
    SupportType::Emotional.as_str(),
    SupportType::Informational.as_str(),
    SupportType::Instrumental.as_str(),
    SupportType::Affiliational.as_str(),
];
const MEETING_STATUSES: &[&str] = &[MeetingStatus::Scheduled.as_str(), MeetingStatus::Held.as_str(), MeetingStatus::Cancelled.as_str()];
const MARKS: &[&str] = &[Mark::Present.as_str(), Mark::Absent.as_str(), Mark::Excused.as_str(), Mark::Refused.as_str()];
const AREAS: &[&str] = &[
    Area::Identification.as_str(),
    Area::HealthCoverage.as_str(),
    Area::Moud.as_str(),
    Area::Naloxone.as_str(),
    Area::Housing.as_str(),
    Area::Employment.as_str(),
    Area::Transportation.as_str(),
    Area::Phone.as_str(),
    Area::Supervision.as_str(),
    Area::RecoverySupports.as_str(),
];
const ITEM_STATUSES: &[&str] = &[ItemStatus::Open.as_str(), ItemStatus::InProgress.as_str(), ItemStatus::Done.as_str(), ItemStatus::NotNeeded.as_str()];
const RESOURCE_KINDS: &[&str] = &[
    ResourceKind::TreatmentProvider.as_str(),
    ResourceKind::RecoveryResidence.as_str(),
    ResourceKind::RecoveryCommunityOrganization.as_str(),
    ResourceKind::BenefitsOffice.as_str(),
    ResourceKind::SupervisionOffice.as_str(),
    ResourceKind::Other.as_str(),
];
const REFERRAL_STATUSES: &[&str] = &[ReferralStatus::Sent.as_str(), ReferralStatus::Accepted.as_str(), ReferralStatus::Attended.as_str(), ReferralStatus::Declined.as_str()];
const DAYS: Kind = Kind::Integer { min: -365, max: 365, optional: false };
const SORT: Kind = Kind::Integer { min: i64::MIN, max: i64::MAX, optional: false };

/// The fields of each synced table and what a value of each must be.
const FACILITIES: &[(&str, Kind)] = &[("name", required(120)), ("code", required(12)), DELETED];
const LOCATIONS: &[(&str, Kind)] = &[("facility_id", Kind::Id { optional: false }), ("kind", Kind::Choice(LOCATION_KINDS)), ("name", required(60)), DELETED];
const PARTICIPANTS: &[(&str, Kind)] = &[
        ("legal_name", required(200)),
        ("preferred_name", line(100)),
        ("dob", DATE),
        ("facility_number", required(40)),
        ("facility_id", ID),
        ("unit_id", ID),
        ("admission_date", DATE),
        ("release_date", DATE),
        ("program", line(80)),
        ("status", Kind::Choice(STATUSES)),
        ("status_date", DATE),
        ("status_note", line(500)),
        ("language", line(40)),
        ("notes", Kind::Block { max: 4000 }),
        ("peer_id", ID),
        ("state_number", line(40)),
        ("cell", line(20)),
        ("release_note", line(80)),
        ("charges", Kind::Block { max: 4000 }),
        ("roster_source_id", ID),
        DELETED,
    ];
const STAFF: &[(&str, Kind)] = &[
        ("name", required(120)),
        ("peer_roles", line(500)),
        ("facility_id", Kind::Id { optional: false }),
        ("has_login", Kind::Flag),
        ("username", line(32)),
        ("employer_kind", Kind::Choice(EmployerKind::IDS)),
        ("employer", line(120)),
        ("start_date", DATE),
        ("phone", line(40)),
        ("email", line(120)),
        ("cadence", Kind::Choice(Cadence::IDS)),
        ("supervisor_id", ID),
        ("agreement_signed_on", DATE),
        ("agreement_covers", Kind::Block { max: 4000 }),
        DELETED,
    ];
const STAFF_ROLES: &[(&str, Kind)] = &[("staff_id", ID), ("role", Kind::Choice(PeerRole::IDS)), DELETED];
const STAFF_FACILITIES: &[(&str, Kind)] = &[("staff_id", ID), ("facility_id", ID), DELETED];
const HOURS: Kind = Kind::Real { min: 0.0, max: 500.0 };
const CREDENTIALS: &[(&str, Kind)] = &[
        ("staff_id", ID),
        ("kind", Kind::Choice(CredentialKind::IDS)),
        ("name", required(120)),
        ("issuer", required(120)),
        ("number", line(40)),
        ("issued_on", Kind::Date { optional: false }),
        ("expires_on", DATE),
        ("renewal_years", Kind::Integer { min: 0, max: 10, optional: false }),
        ("renewal_hours", HOURS),
        ("renewal_ethics_hours", HOURS),
        ("entered_by", line(32)),
        DELETED,
    ];
const CE_HOURS: &[(&str, Kind)] = &[
        ("staff_id", ID),
        ("date", Kind::Date { optional: false }),
        ("hours", Kind::Real { min: MIN_CE_HOURS, max: MAX_CE_HOURS }),
        ("topic", Kind::Choice(CeTopic::IDS)),
        ("title", required(200)),
        ("provider", line(120)),
        ("entered_by", line(32)),
        DELETED,
    ];
const SUPERVISION: &[(&str, Kind)] = &[
        ("supervisor_id", Kind::Id { optional: false }),
        ("date", Kind::Date { optional: false }),
        ("minutes", Kind::Integer { min: 1, max: MAX_SUPERVISION_MINUTES, optional: false }),
        ("setting", Kind::Choice(SupervisionSetting::IDS)),
        ("topics", Kind::Block { max: 4000 }),
        ("follow_ups", Kind::Block { max: 4000 }),
        ("entered_by", line(32)),
        DELETED,
    ];
const SUPERVISION_SUPERVISEES: &[(&str, Kind)] = &[("supervision_id", ID), ("staff_id", ID), DELETED];
const SUPERVISION_FUNCTIONS: &[(&str, Kind)] = &[("supervision_id", ID), ("function", Kind::Choice(SupervisionFunction::IDS)), DELETED];
const EVALUATIONS: &[(&str, Kind)] = &[
        ("staff_id", ID),
        ("date", Kind::Date { optional: false }),
        ("evaluator_id", ID),
        ("strengths", Kind::Block { max: 4000 }),
        ("growth", Kind::Block { max: 4000 }),
        DELETED,
    ];
const READINESS_ASSESSMENTS: &[(&str, Kind)] = &[
        ("facility_id", Kind::Id { optional: false }),
        ("date", Kind::Date { optional: false }),
        ("title", line(120)),
        ("entered_by", line(32)),
        DELETED,
    ];
const READINESS_ANSWERS: &[(&str, Kind)] = &[
        ("assessment_id", ID),
        ("item", required(40)),
        ("answer", Kind::Choice(ReadinessAnswer::IDS)),
        ("note", Kind::Block { max: 2000 }),
        ("action", Kind::Block { max: 1000 }),
        ("owner", line(120)),
        ("due_date", DATE),
        DELETED,
    ];
const GROUPS: &[(&str, Kind)] = &[
        ("name", required(120)),
        ("topic", line(500)),
        ("support_type", Kind::Choice(SUPPORT_TYPES)),
        ("facility_id", ID),
        ("location_id", ID),
        ("weekdays", Kind::Weekdays),
        ("start_time", Kind::Time { optional: false }),
        ("duration_min", Kind::Integer { min: 10, max: 480, optional: false }),
        ("facilitators", Kind::IdList),
        ("capacity", Kind::Integer { min: 1, max: 10_000, optional: true }),
        ("open_group", Kind::Flag),
        ("starts_on", DATE),
        ("ends_on", DATE),
        DELETED,
    ];
const GROUP_MEMBERS: &[(&str, Kind)] = &[("group_id", ID), ("participant_id", ID), ("joined_on", DATE), DELETED];
const MEETINGS: &[(&str, Kind)] = &[
        ("group_id", ID),
        ("occurrence", DATE),
        ("date", DATE),
        ("start_time", Kind::Time { optional: true }),
        ("duration_min", Kind::Integer { min: 10, max: 480, optional: true }),
        ("location_id", ID),
        ("status", Kind::Choice(MEETING_STATUSES)),
        ("cancel_reason", line(500)),
        ("topic_covered", line(4000)),
        ("notes", Kind::Block { max: 4000 }),
        ("facilitator_hours", Kind::Real { min: 0.0, max: 24.0 }),
        ("late_reason", line(500)),
        ("facilitators", Kind::IdList),
        DELETED,
    ];
const ATTENDANCE: &[(&str, Kind)] = &[("session_id", ID), ("participant_id", ID), ("mark", Kind::Choice(MARKS)), ("walk_in", Kind::Flag), DELETED];
const PLAN_TEMPLATE: &[(&str, Kind)] = &[("area", Kind::Choice(AREAS)), ("title", required(200)), ("due_days", DAYS), ("sort", SORT), DELETED];
const REENTRY_PLANS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("community_peer", line(200)),
        ("community_peer_phone", line(60)),
        ("community_peer_resource_id", ID),
        ("supervision_conditions", line(2000)),
        ("first_report_date", DATE),
        ("first_report_place", line(500)),
        DELETED,
    ];
const PLAN_ITEMS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("template_id", ID),
        ("area", Kind::Choice(AREAS)),
        ("title", required(200)),
        ("due_days", DAYS),
        ("status", Kind::Choice(ITEM_STATUSES)),
        ("owner", line(200)),
        ("due_date", DATE),
        ("notes", line(2000)),
        ("sort", SORT),
        DELETED,
    ];
const RESOURCES: &[(&str, Kind)] = &[
        ("name", required(200)),
        ("kind", Kind::Choice(RESOURCE_KINDS)),
        ("address", line(2000)),
        ("phone", line(2000)),
        ("contact", line(2000)),
        ("offers", line(2000)),
        ("notes", line(2000)),
        ("site_id", ID),
        DELETED,
    ];
const APPOINTMENTS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("area", Kind::Choice(AREAS)),
        ("resource_id", ID),
        ("provider", required(200)),
        ("address", line(2000)),
        ("phone", line(2000)),
        ("date", DATE),
        ("time", Kind::Time { optional: true }),
        ("before_release_reason", line(2000)),
        ("confirmed", Kind::Flag),
        ("notes", line(2000)),
        DELETED,
    ];
const REFERRALS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("resource_id", ID),
        ("area", Kind::Choice(AREAS)),
        ("status", Kind::Choice(REFERRAL_STATUSES)),
        ("sent_on", DATE),
        ("notes", line(2000)),
        DELETED,
    ];
const CONSENTS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("resource_id", ID),
        ("information", Kind::AreaList),
        ("purpose", required(2000)),
        ("signed_on", DATE),
        ("expires_on", DATE),
        ("revoked_on", DATE),
        ("site_id", ID),
        DELETED,
    ];
const DISCLOSURES: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("consent_id", ID),
        ("resource_id", ID),
        ("what", Kind::Object { max: 4000 }),
        ("how", required(60)),
        ("disclosed_ms", Kind::Integer { min: 0, max: i64::MAX, optional: true }),
        ("disclosed_by", line(64)),
        ("confirmed_on", DATE),
        ("confirmed_how", line(500)),
        DELETED,
    ];
const CONTACTS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("staff_id", ID),
        ("date", DATE),
        ("start_time", Kind::Time { optional: true }),
        ("minutes", Kind::Integer { min: 1, max: crate::model::MAX_CONTACT_MINUTES, optional: false }),
        ("setting", Kind::Choice(Setting::IDS)),
        ("kind", Kind::Choice(ContactKind::IDS)),
        ("intercept", Kind::Choice(Intercept::IDS)),
        ("note", Kind::Block { max: 4000 }),
        ("sensitive", Kind::Flag),
        ("follow_up_on", DATE),
        ("entered_by", line(64)),
        DELETED,
    ];
const CONTACT_SUPPORTS: &[(&str, Kind)] = &[("contact_id", ID), ("support_type", Kind::Choice(SUPPORT_TYPES)), DELETED];
const CONTACT_DIMENSIONS: &[(&str, Kind)] = &[("contact_id", ID), ("dimension", Kind::Choice(Dimension::IDS)), DELETED];
const INSTRUMENTS: &[(&str, Kind)] = &[("key", required(40)), ("definition", Kind::Object { max: 200_000 }), DELETED];
const SCORE: Kind = Kind::Integer { min: -100_000, max: 100_000, optional: false };
const CHECKINS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("instrument_id", ID),
        ("date", DATE),
        ("language", required(8)),
        ("total", SCORE),
        ("staff_id", ID),
        DELETED,
    ];
const CHECKIN_ANSWERS: &[(&str, Kind)] = &[("checkin_id", ID), ("item", required(40)), ("value", SCORE), DELETED];
const RECOVERY_GOALS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("goal", required(500)),
        ("dimension", Kind::Choice(Dimension::IDS)),
        ("status", Kind::Choice(GoalStatus::IDS)),
        ("review_on", DATE),
        DELETED,
    ];
const RECOVERY_STEPS: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("goal_id", ID),
        ("step", required(500)),
        ("owner", line(200)),
        ("due_on", DATE),
        ("status", Kind::Choice(StepStatus::IDS)),
        DELETED,
    ];
const RECOVERY_PLAN_CHANGES: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("at_ms", Kind::Integer { min: 0, max: i64::MAX, optional: false }),
        ("by_name", line(120)),
        ("what", line(2000)),
        DELETED,
    ];
const PROGRAM_EPISODES: &[(&str, Kind)] = &[
        ("participant_id", ID),
        ("kind", Kind::Choice(ProgramKind::IDS)),
        ("name", line(80)),
        ("start_date", Kind::Date { optional: false }),
        ("end_date", DATE),
        ("outcome", Kind::ChoiceOrNone(Outcome::IDS)),
        ("exit_note", line(500)),
        ("facility_id", ID),
        DELETED,
    ];
const EPISODE_PHASES: &[(&str, Kind)] = &[("episode_id", ID), ("date", Kind::Date { optional: false }), ("phase", required(80)), DELETED];
const ROSTER_SOURCES: &[(&str, Kind)] = &[("facility_id", Kind::Id { optional: false }), ("name", required(80)), ("mapping", Kind::Object { max: 20_000 }), DELETED];
const COUNT: Kind = Kind::Integer { min: 0, max: 1_000_000, optional: false };
const ROSTER_IMPORTS: &[(&str, Kind)] = &[
        ("source_id", Kind::Id { optional: false }),
        ("facility_id", Kind::Id { optional: false }),
        ("file_name", line(255)),
        ("digest", required(64)),
        ("imported_on", Kind::Date { optional: false }),
        ("people", COUNT),
        ("enrolled", COUNT),
        ("changed", COUNT),
        ("released", COUNT),
        ("returned", COUNT),
        ("refused", COUNT),
        DELETED,
    ];
const TRANSFERS: &[(&str, Kind)] = &[
        ("participant_id", Kind::Id { optional: false }),
        ("from_facility_id", Kind::Id { optional: false }),
        ("to_facility_id", Kind::Id { optional: false }),
        ("requested_on", Kind::Date { optional: false }),
        ("requested_by", line(120)),
        ("reason", line(500)),
        ("delivered_on", DATE),
        ("delivered_to", line(120)),
        ("answer", Kind::ChoiceOrNone(TransferAnswer::IDS)),
        ("answered_on", DATE),
        ("answered_by", line(120)),
        ("answer_note", line(500)),
        DELETED,
    ];
const PARTICIPANT_MERGES: &[(&str, Kind)] = &[
        ("kept_id", Kind::Id { optional: false }),
        ("merged_id", Kind::Id { optional: false }),
        ("merged_on", Kind::Date { optional: false }),
        ("merged_by", line(120)),
        ("reason", required(500)),
        ("seen", Kind::Object { max: 100_000 }),
        ("changes", Kind::Object { max: 200_000 }),
        ("undone_on", DATE),
        ("undone_by", line(120)),
        ("undo_reason", line(500)),
        DELETED,
    ];
/// The tables whose records a merge moves by their participant (store/merges.rs).
pub(crate) const MOVED_BY_MERGE: &[&str] = &[
    "appointments",
    "referrals",
    "consents",
    "disclosures",
    "contacts",
    "checkins",
    "recovery_goals",
    "recovery_steps",
    "recovery_plan_changes",
    "status_changes",
    "program_episodes",
    "transfers",
    "plan_items",
];
const MERGE_MOVES: &[(&str, Kind)] = &[("merge_id", Kind::Id { optional: false }), ("tbl", Kind::Choice(MOVED_BY_MERGE)), ("record_id", Kind::Id { optional: false }), DELETED];
const STATUS_CHANGES: &[(&str, Kind)] = &[("participant_id", ID), ("status", Kind::Choice(STATUSES)), ("date", DATE), ("note", line(500)), DELETED];

/// The synced tables. `Meetings` keeps the SQL and wire name `sessions`: bundles written by
/// earlier versions name it so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Table {
    Facilities,
    Locations,
    Participants,
    Staff,
    Groups,
    GroupMembers,
    Meetings,
    Attendance,
    PlanTemplate,
    ReentryPlans,
    PlanItems,
    Resources,
    Appointments,
    Referrals,
    Consents,
    Disclosures,
    Contacts,
    ContactSupports,
    ContactDimensions,
    Instruments,
    CheckIns,
    CheckInAnswers,
    RecoveryGoals,
    RecoverySteps,
    RecoveryPlanChanges,
    StatusChanges,
    StaffRoles,
    StaffFacilities,
    Credentials,
    CeHours,
    Supervision,
    SupervisionSupervisees,
    SupervisionFunctions,
    Evaluations,
    ReadinessAssessments,
    ReadinessAnswers,
    ProgramEpisodes,
    EpisodePhases,
    RosterSources,
    RosterImports,
    Transfers,
    ParticipantMerges,
    MergeMoves,
}

impl Table {
    pub(crate) const ALL: [Table; 43] = [
        Table::Facilities,
        Table::Locations,
        Table::Participants,
        Table::Staff,
        Table::Groups,
        Table::GroupMembers,
        Table::Meetings,
        Table::Attendance,
        Table::PlanTemplate,
        Table::ReentryPlans,
        Table::PlanItems,
        Table::Resources,
        Table::Appointments,
        Table::Referrals,
        Table::Consents,
        Table::Disclosures,
        Table::Contacts,
        Table::ContactSupports,
        Table::ContactDimensions,
        Table::Instruments,
        Table::CheckIns,
        Table::CheckInAnswers,
        Table::RecoveryGoals,
        Table::RecoverySteps,
        Table::RecoveryPlanChanges,
        Table::StatusChanges,
        Table::StaffRoles,
        Table::StaffFacilities,
        Table::Credentials,
        Table::CeHours,
        Table::Supervision,
        Table::SupervisionSupervisees,
        Table::SupervisionFunctions,
        Table::Evaluations,
        Table::ReadinessAssessments,
        Table::ReadinessAnswers,
        Table::ProgramEpisodes,
        Table::EpisodePhases,
        Table::RosterSources,
        Table::RosterImports,
        Table::Transfers,
        Table::ParticipantMerges,
        Table::MergeMoves,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Table::Facilities => "facilities",
            Table::Locations => "locations",
            Table::Participants => "participants",
            Table::Staff => "staff",
            Table::Groups => "groups",
            Table::GroupMembers => "group_members",
            Table::Meetings => "sessions",
            Table::Attendance => "attendance",
            Table::PlanTemplate => "plan_template",
            Table::ReentryPlans => "reentry_plans",
            Table::PlanItems => "plan_items",
            Table::Resources => "resources",
            Table::Appointments => "appointments",
            Table::Referrals => "referrals",
            Table::Consents => "consents",
            Table::Disclosures => "disclosures",
            Table::Contacts => "contacts",
            Table::ContactSupports => "contact_supports",
            Table::ContactDimensions => "contact_dimensions",
            Table::Instruments => "instruments",
            Table::CheckIns => "checkins",
            Table::CheckInAnswers => "checkin_answers",
            Table::RecoveryGoals => "recovery_goals",
            Table::RecoverySteps => "recovery_steps",
            Table::RecoveryPlanChanges => "recovery_plan_changes",
            Table::StatusChanges => "status_changes",
            Table::StaffRoles => "staff_roles",
            Table::StaffFacilities => "staff_facilities",
            Table::Credentials => "credentials",
            Table::CeHours => "ce_hours",
            Table::Supervision => "supervision",
            Table::SupervisionSupervisees => "supervision_supervisees",
            Table::SupervisionFunctions => "supervision_functions",
            Table::Evaluations => "evaluations",
            Table::ReadinessAssessments => "readiness_assessments",
            Table::ReadinessAnswers => "readiness_answers",
            Table::ProgramEpisodes => "program_episodes",
            Table::EpisodePhases => "episode_phases",
            Table::RosterSources => "roster_sources",
            Table::RosterImports => "roster_imports",
            Table::Transfers => "transfers",
            Table::ParticipantMerges => "participant_merges",
            Table::MergeMoves => "merge_moves",
        }
    }

    pub(crate) fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The table's fields and what a value of each must be.
    pub(crate) fn columns(self) -> &'static [(&'static str, Kind)] {
        match self {
            Table::Facilities => FACILITIES,
            Table::Locations => LOCATIONS,
            Table::Participants => PARTICIPANTS,
            Table::Staff => STAFF,
            Table::Groups => GROUPS,
            Table::GroupMembers => GROUP_MEMBERS,
            Table::Meetings => MEETINGS,
            Table::Attendance => ATTENDANCE,
            Table::PlanTemplate => PLAN_TEMPLATE,
            Table::ReentryPlans => REENTRY_PLANS,
            Table::PlanItems => PLAN_ITEMS,
            Table::Resources => RESOURCES,
            Table::Appointments => APPOINTMENTS,
            Table::Referrals => REFERRALS,
            Table::Consents => CONSENTS,
            Table::Disclosures => DISCLOSURES,
            Table::Contacts => CONTACTS,
            Table::ContactSupports => CONTACT_SUPPORTS,
            Table::ContactDimensions => CONTACT_DIMENSIONS,
            Table::Instruments => INSTRUMENTS,
            Table::CheckIns => CHECKINS,
            Table::CheckInAnswers => CHECKIN_ANSWERS,
            Table::RecoveryGoals => RECOVERY_GOALS,
            Table::RecoverySteps => RECOVERY_STEPS,
            Table::RecoveryPlanChanges => RECOVERY_PLAN_CHANGES,
            Table::StatusChanges => STATUS_CHANGES,
            Table::StaffRoles => STAFF_ROLES,
            Table::StaffFacilities => STAFF_FACILITIES,
            Table::Credentials => CREDENTIALS,
            Table::CeHours => CE_HOURS,
            Table::Supervision => SUPERVISION,
            Table::SupervisionSupervisees => SUPERVISION_SUPERVISEES,
            Table::SupervisionFunctions => SUPERVISION_FUNCTIONS,
            Table::Evaluations => EVALUATIONS,
            Table::ReadinessAssessments => READINESS_ASSESSMENTS,
            Table::ReadinessAnswers => READINESS_ANSWERS,
            Table::ProgramEpisodes => PROGRAM_EPISODES,
            Table::EpisodePhases => EPISODE_PHASES,
            Table::RosterSources => ROSTER_SOURCES,
            Table::RosterImports => ROSTER_IMPORTS,
            Table::Transfers => TRANSFERS,
            Table::ParticipantMerges => PARTICIPANT_MERGES,
            Table::MergeMoves => MERGE_MOVES,
        }
    }

    /// Whether the table holds peer staff records (ADR 0019): only whoever keeps a person's
    /// record sees or settles its conflicts.
    pub(crate) fn is_staff_record(self) -> bool {
        matches!(
            self,
            Table::Staff
                | Table::StaffRoles
                | Table::StaffFacilities
                | Table::Credentials
                | Table::CeHours
                | Table::Supervision
                | Table::SupervisionSupervisees
                | Table::SupervisionFunctions
                | Table::Evaluations
        )
    }

    /// The field called `name`, as the table names it, if the table has one.
    pub(crate) fn field(self, name: &str) -> Option<&'static str> {
        self.columns().iter().find(|(f, _)| *f == name).map(|(f, _)| *f)
    }

    pub(crate) fn field_names(self) -> impl Iterator<Item = &'static str> {
        self.columns().iter().map(|(f, _)| *f)
    }

    /// Why `value` cannot be stored in `field`, or `None` when it can.
    pub(crate) fn refuses(self, field: &str, value: &Value) -> Option<String> {
        let Some((_, kind)) = self.columns().iter().find(|(f, _)| *f == field) else {
            return Some(format!("{} has no field {field}", self.name()));
        };
        kind.refuses(value)
    }
}

impl Kind {
    /// Why `value` is not a value of this kind, or `None` when it is.
    pub(crate) fn refuses(self, value: &Value) -> Option<String> {
        let text = match value {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        };
        let optional = match self {
            Kind::Line { optional, .. } | Kind::Date { optional } | Kind::Time { optional } | Kind::Id { optional } | Kind::Integer { optional, .. } => optional,
            Kind::Block { .. } | Kind::Real { .. } | Kind::ChoiceOrNone(_) => true,
            Kind::Choice(_) | Kind::Flag | Kind::Weekdays | Kind::IdList | Kind::AreaList | Kind::Object { .. } => false,
        };
        if *value == Value::Null {
            return (!optional).then(|| "a value is required".to_string());
        }
        let ok = match (self, value) {
            (Kind::Line { max, optional }, _) => {
                text.is_some_and(|t| clean_line(t) == t && t.chars().count() <= max && (optional || !t.is_empty()))
            }
            (Kind::Block { max }, _) => text.is_some_and(|t| clean_block(t) == t && t.chars().count() <= max),
            (Kind::Date { .. }, _) => text.is_some_and(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok_and(|d| d.to_string() == t && DATE_YEARS.contains(&d.year()))),
            (Kind::Time { .. }, _) => text.is_some_and(|t| NaiveTime::parse_from_str(t, "%H:%M").is_ok_and(|d| d.format("%H:%M").to_string() == t)),
            (Kind::Id { .. }, _) => text.is_some_and(is_id),
            (Kind::Choice(words) | Kind::ChoiceOrNone(words), _) => text.is_some_and(|t| words.contains(&t)),
            (Kind::Integer { min, max, .. }, Value::Integer(i)) => (min..=max).contains(i),
            (Kind::Real { min, max }, Value::Real(r)) => (min..=max).contains(r),
            (Kind::Real { min, max }, Value::Integer(i)) => (min..=max).contains(&(*i as f64)),
            (Kind::Flag, Value::Integer(i)) => *i == 0 || *i == 1,
            (Kind::Weekdays, _) => text.is_some_and(|t| t.is_empty() || t.split(',').all(|d| matches!(d, "1" | "2" | "3" | "4" | "5" | "6" | "7"))),
            (Kind::IdList, _) => text.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok()).is_some_and(|ids| ids.len() <= 50 && ids.iter().all(|i| is_id(i))),
            (Kind::AreaList, _) => text.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok()).is_some_and(|areas| areas.iter().all(|a| AREAS.contains(&a.as_str()))),
            (Kind::Object { max }, _) => text.is_some_and(|t| t.len() <= max && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).is_ok()),
            _ => false,
        };
        (!ok).then(|| self.rule())
    }

    fn rule(self) -> String {
        match self {
            Kind::Line { max, .. } => format!("one line of at most {max} characters, without hidden characters"),
            Kind::Block { max } => format!("text of at most {max} characters, without hidden characters"),
            Kind::Date { .. } => "a date written as YYYY-MM-DD".into(),
            Kind::Time { .. } => "a time written as HH:MM".into(),
            Kind::Id { .. } => "a record id".into(),
            Kind::Choice(words) | Kind::ChoiceOrNone(words) => format!("one of {}", words.join(", ")),
            Kind::Integer { min, max, .. } => format!("a whole number from {min} to {max}"),
            Kind::Real { min, max } => format!("a number from {min} to {max}"),
            Kind::Flag => "0 or 1".into(),
            Kind::Weekdays => "weekday numbers 1 to 7, separated by commas".into(),
            Kind::IdList => "a list of up to 50 record ids".into(),
            Kind::AreaList => "a list of the plan's areas".into(),
            Kind::Object { max } => format!("a description of at most {max} characters"),
        }
    }
}

fn is_id(text: &str) -> bool {
    Uuid::parse_str(text).is_ok_and(|u| u.hyphenated().to_string() == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(table: Table, field: &str, value: Value, expected_ok: bool) {
        assert_eq!(table.refuses(field, &value).is_none(), expected_ok, "{}.{field} = {value:?}", table.name());
    }

    #[test]
    fn each_kind_admits_what_the_screens_write_and_nothing_else() {
        let text = |s: &str| Value::Text(s.into());
        check(Table::Participants, "legal_name", text("GARCÍA LÓPEZ, José"), true);
        check(Table::Participants, "legal_name", text(""), false);
        check(Table::Participants, "legal_name", Value::Null, false);
        check(Table::Participants, "legal_name", text("Evil\u{1b}[2J"), false);
        check(Table::Participants, "legal_name", text(&"x".repeat(201)), false);
        check(Table::Participants, "notes", text("line one\nline two"), true);
        check(Table::Participants, "dob", text("1988-03-14"), true);
        check(Table::Participants, "dob", text("14/03/1988"), false);
        check(Table::Participants, "status", text("paroled"), false);
        check(Table::Participants, "facility_id", text("not-an-id"), false);
        check(Table::Participants, "deleted", Value::Integer(2), false);
        check(Table::Groups, "weekdays", text("1,3"), true);
        check(Table::Groups, "weekdays", text("1,9"), false);
        check(Table::Groups, "start_time", text("9:00"), false);
        check(Table::Groups, "facilitators", text("[\"0190f4c4-2b9a-7cc2-8a4e-3f1f5c0d9e11\"]"), true);
        check(Table::Groups, "facilitators", text("[1]"), false);
        check(Table::Meetings, "facilitator_hours", Value::Real(1.5), true);
        check(Table::Meetings, "facilitator_hours", Value::Real(25.0), false);
        check(Table::Consents, "information", text("[\"moud\",\"housing\"]"), true);
        check(Table::Consents, "information", text("[\"everything\"]"), false);
        check(Table::Disclosures, "what", text("{\"areas\":[],\"through\":1}"), true);
        check(Table::Disclosures, "what", text("[]"), false);
        check(Table::Facilities, "unknown", text("x"), false);
    }
}
