//! Plain types of the domain and the rules that need no database.

mod ids;
mod facility;
mod participant;

pub use facility::{Facility, Location, LocationKind, NewFacility};
pub use ids::{FacilityId, LocationId, ParticipantId, SiteId};
pub use participant::{
    DuplicateCandidate, DuplicateCheck, Enrolment, Participant, ParticipantInput, RosterFilter, RosterPage, RosterRow,
    SearchResult, Status, StatusChange, ValidParticipant,
};
