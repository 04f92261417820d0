//! Plain types of the domain, the read models the screens, reports and the packet use, and the
//! rules that need no database.

mod episode;
mod facility;
mod follow_up;
mod group;
mod ids;
mod merge;
pub mod instrument;
pub mod parse;
mod mentor;
mod participant;
mod peer;
mod plan;
mod program_report;
mod readiness;
mod reentry;
mod recovery;
mod staff;
mod supervision;
mod timeline;
mod transfer;
mod words;
pub(crate) use words::words;

pub use merge::{merge_reason, MergeInput, MergedRecord, ParticipantMerge, MAX_MERGE_REASON};
pub use transfer::{Transfer, TransferAnswer, TransferInput, TransferReply, TransferState, ValidReply};
pub use episode::{Episode, EpisodeInput, Outcome, Phase, PhaseInput, ProgramKind, ValidEpisode};
pub use follow_up::{windows as follow_up_windows, FollowUpDue, FollowUpPoint, FollowUpRule, FollowUpState, FollowUpWindow, CLOSING_SOON_DAYS, FOLLOW_UP_TARGET};
pub use facility::{Facility, Location, LocationKind, NewFacility};
pub use group::{clashes, occurrences, week_start, Clash, ClashKind, GroupInput, Mark, Meeting, MeetingStatus, Staff, StaffInput, SupportType};
pub(crate) use group::{check_duration, parse_time, ValidGroup};
pub(crate) use ids::derived_id;
pub use ids::{FacilityId, GroupId, LocationId, MeetingId, ParticipantId, SiteId, StaffId};
pub(crate) use participant::optional as optional_text;
pub(crate) use participant::DATE_YEARS;
pub use participant::{
    similar_names, DuplicateCandidate, DuplicateCheck, Enrolment, LikelyDuplicate, LikelyDuplicates, Participant, ParticipantInput, RosterFilter, RosterPage, RosterRow, SearchResult, Status, StatusChange,
    ValidParticipant,
};
pub use plan::{
    assess, release_of, Appointment, AppointmentDue, Assessment, Consent, Disclosure, OpenHandOff, PipelineRow, Plan, PlanItem, Progress, Referral, Resource,
    TaskDue, TemplateItem, TodayView,
};
pub use reentry::{
    AppointmentInput, Area, ConsentInput, ConsentTerms, DefaultItem, ItemStatus, PlanDetails, PlanDetailsInput, PlanItemInput, ReferralInput, ReferralStatus,
    ResourceInput, ResourceKind, ValidAppointment, ValidConsent, ValidPlanItem, Window, DEFAULT_TEMPLATE, HIGH_RISK_DAYS,
};
pub use peer::{billing_units, derive_intercept, Contact, ContactInput, ContactKind, Custody, Dimension, Intercept, Note, Setting, ValidContact, MAX_CONTACT_MINUTES, REENTRY_WINDOW_DAYS};
pub use recovery::{
    due_on, Caseload, CaseloadRow, CheckIn, CheckInDue, CheckInInput, CheckInReason, Due, Goal, GoalInput, GoalStatus, PlanChange, RecoveryPlan, Schedule, Step,
    StepInput, StepStatus, ValidGoal, ValidStep,
};
pub use staff::{
    ce_progress, expiry, staff_warnings, supervision_due, Cadence, CeEntry, CeHoursInput, CeProgress, CeTopic, Credential, CredentialInput, CredentialKind, EmployerKind,
    Expiry, PeerRole, Renewal, StaffDue, StaffReach, StaffRecord, StaffRecordInput, StaffRef, StaffWarning, SupervisionDue, SupervisionFunction, SupervisionInput,
    SupervisionSession, SupervisionSetting, ValidCeHours, ValidCredential, ValidStaffRecord, ValidSupervision, EXPIRY_NOTICE_DAYS, MAX_CE_HOURS,
    MAX_SUPERVISION_MINUTES, MIN_CE_HOURS,
};
pub use mentor::{EvaluationInput, Evaluation, FacilitatedGroup, MentorSummary, ValidEvaluation};
pub use program_report::{Chart, hour_band, median, month_band, percent, Figure, FigurePeople, ProgramReport, ReportFormat, ReportPerson, ReportSection, Unit, HOUR_BANDS, MONTH_BANDS};
pub use readiness::{
    readiness_item, readiness_steps, Bilingual, ItemAnswer, ReadinessAnswer, ReadinessAnswerInput, ReadinessAssessment, ReadinessAssessmentInput, ReadinessCounts,
    ReadinessItem, ReadinessListing, ReadinessStep, ValidReadinessAnswer, ValidReadinessAssessment,
};
pub use supervision::{lapses, FunctionCount, Lapse, SupervisionReport, SupervisionRow};
pub use timeline::{Moment, MomentKind, Timeline};
