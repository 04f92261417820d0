//! Plain types of the domain and the rules that need no database.

mod ids;
mod facility;
mod group;
mod participant;
mod reentry;

pub use facility::{Facility, Location, LocationKind, NewFacility};
pub use group::{
    clashes, occurrences, week_start, Clash, ClashKind, GroupInput, GroupSession, Mark, SessionStatus, Staff, StaffInput, SupportType,
};
pub(crate) use group::{check_duration, parse_time, ValidGroup};
pub(crate) use participant::optional as optional_text;
pub(crate) use ids::derived_id;
pub use ids::{FacilityId, GroupId, LocationId, ParticipantId, SessionId, SiteId, StaffId};
pub use reentry::{
    AppointmentInput, Area, ConsentInput, ConsentTerms, DefaultItem, ItemStatus, PlanDetails, PlanDetailsInput, PlanItemInput, ReferralInput, ReferralStatus, ResourceInput, ResourceKind, ValidAppointment,
    ValidConsent, ValidPlanItem, Window, DEFAULT_TEMPLATE, HIGH_RISK_DAYS,
};
pub use participant::{
    DuplicateCandidate, DuplicateCheck, Enrolment, Participant, ParticipantInput, RosterFilter, RosterPage, RosterRow,
    SearchResult, Status, StatusChange, ValidParticipant,
};
