//! A person's story: everything that happened with them, as one list in time order.

use super::words::words;
use super::ParticipantId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

words! {
    /// What kind of moment a timeline entry is, for filtering.
    MomentKind {
        Contact = "contact", "Contacts";
        Group = "group", "Groups attended";
        CheckIn = "check_in", "Check-ins";
        PlanChange = "plan_change", "Recovery plan";
        Status = "status", "Status";
        Reentry = "reentry", "Reentry steps";
        HandOff = "hand_off", "Hand-offs";
    }
}

/// One moment of a person's story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Moment {
    pub kind: MomentKind,
    pub date: NaiveDate,
    /// `HH:MM` when the moment has a time of day.
    pub time: Option<String>,
    pub title: String,
    pub detail: String,
    /// The record the moment is about, when a screen can open it (a contact's sensitive note).
    pub record_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Timeline {
    pub participant_id: ParticipantId,
    /// Newest first.
    pub moments: Vec<Moment>,
}
