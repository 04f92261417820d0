//! A person's recovery: the plan's goals in their own words and the steps toward each, the
//! check-ins that measure recovery capital over time, when the next check-in is due, and who on
//! a peer's caseload is due for what.

use super::participant::{max_len, optional, parse_date, required_date};
use super::peer::{Custody, Dimension};
use super::words::words;
use super::{ParticipantId, StaffId, Status};
use crate::error::{Error, FieldError, Result};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

words! {
    /// Where a goal stands.
    GoalStatus {
        Active = "active", "Working on it";
        Achieved = "achieved", "Achieved";
        Paused = "paused", "Paused";
        SetAside = "set_aside", "Set aside";
    }
}

words! {
    /// Where a step stands.
    StepStatus {
        ToDo = "to_do", "To do";
        Done = "done", "Done";
        Dropped = "dropped", "Dropped";
    }
}

/// A goal as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct GoalInput {
    /// In the participant's own words.
    pub goal: String,
    pub dimension: String,
    pub status: String,
    pub review_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGoal {
    pub goal: String,
    pub dimension: Dimension,
    pub status: GoalStatus,
    pub review_on: Option<NaiveDate>,
}

impl GoalInput {
    pub fn validate(&self) -> Result<ValidGoal> {
        let mut errors = Vec::new();
        let goal = optional(&self.goal).unwrap_or_default();
        if goal.is_empty() {
            errors.push(FieldError::new("goal", said!("write the goal in the participant's own words", "escriba la meta con las palabras del participante")));
        }
        max_len("goal", ("The goal", "La meta"), &goal, 500, &mut errors);
        let dimension = Dimension::parse(&self.dimension);
        if dimension.is_none() {
            errors.push(FieldError::new("dimension", said!("choose the dimension the goal belongs to: health, home, purpose or community", "elija la dimensión a la que pertenece la meta: salud, hogar, propósito o comunidad")));
        }
        let status = if self.status.trim().is_empty() { Some(GoalStatus::Active) } else { GoalStatus::parse(&self.status) };
        if status.is_none() {
            errors.push(FieldError::new("status", said!("choose working on it, achieved, paused or set aside", "elija en ello, logrado, en pausa o dejado de lado")));
        }
        let review_on = parse_date("review_on", ("The review date", "La fecha de revisión"), &self.review_on, &mut errors);
        match (dimension, status) {
            (Some(dimension), Some(status)) if errors.is_empty() => Ok(ValidGoal { goal, dimension, status, review_on }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A step toward a goal, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StepInput {
    pub step: String,
    /// Who does it: the participant, their peer, a case manager.
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStep {
    pub step: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: StepStatus,
}

impl StepInput {
    pub fn validate(&self) -> Result<ValidStep> {
        let mut errors = Vec::new();
        let step = optional(&self.step).unwrap_or_default();
        if step.is_empty() {
            errors.push(FieldError::new("step", said!("say what the step is", "indique en qué consiste el paso")));
        }
        max_len("step", ("The step", "El paso"), &step, 500, &mut errors);
        let owner = optional(&self.owner);
        max_len("owner", ("Who does it", "Quién lo hace"), owner.as_deref().unwrap_or(""), 200, &mut errors);
        let due_on = parse_date("due_on", ("The due date", "La fecha límite"), &self.due_on, &mut errors);
        let status = if self.status.trim().is_empty() { Some(StepStatus::ToDo) } else { StepStatus::parse(&self.status) };
        if status.is_none() {
            errors.push(FieldError::new("status", said!("choose to do, done or dropped", "elija por hacer, hecho o descartado")));
        }
        match status {
            Some(status) if errors.is_empty() => Ok(ValidStep { step, owner, due_on, status }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Step {
    pub id: String,
    pub step: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: StepStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Goal {
    pub id: String,
    pub goal: String,
    pub dimension: Dimension,
    pub status: GoalStatus,
    pub review_on: Option<NaiveDate>,
    pub steps: Vec<Step>,
}

/// One change to a recovery plan: who changed what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanChange {
    pub at_ms: i64,
    pub by: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct RecoveryPlan {
    pub participant_id: ParticipantId,
    pub goals: Vec<Goal>,
    /// Newest first.
    pub history: Vec<PlanChange>,
}

/// A check-in as typed: answers by item key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CheckInInput {
    pub participant_id: String,
    /// The instrument's record id; blank for the built-in check-in.
    pub instrument_id: String,
    pub date: String,
    /// The language it was asked in: `en` or `es`.
    pub language: String,
    /// Who asked, from the staff directory.
    pub staff_id: String,
    pub answers: BTreeMap<String, i64>,
}

impl CheckInInput {
    /// The date, checked against today and the person's time in custody: as for a contact, not
    /// before admission nor after a discharge or transfer.
    pub(crate) fn checked_date(&self, today: NaiveDate, custody: &Custody) -> Result<NaiveDate> {
        let mut errors = Vec::new();
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("give the check-in's date", "indique la fecha de la evaluación"), &mut errors);
        if let Some(d) = date {
            if d > today {
                errors.push(FieldError::new("date", said!("a check-in cannot be recorded for a day still to come", "no se puede registrar una evaluación para un día que aún no ha llegado")));
            } else if let Some(why) = custody.refuses(d, ("check-in", "evaluación")) {
                errors.push(FieldError::new("date", why));
            }
        }
        match date {
            Some(d) if errors.is_empty() => Ok(d),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A check-in as lists, the chart and the timeline show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CheckIn {
    pub id: String,
    pub participant_id: ParticipantId,
    pub instrument_id: String,
    pub instrument_name: String,
    pub date: NaiveDate,
    pub language: String,
    pub total: i64,
    pub band: Option<String>,
    pub subscales: Vec<(String, i64)>,
    pub answers: BTreeMap<String, i64>,
    pub staff_name: String,
}

/// When check-ins are due and when a person counts as not seen: the program's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Schedule {
    /// The first check-in is due this many days after admission.
    pub baseline_days: u32,
    /// Then one every this many days.
    pub every_days: u32,
    /// And one in the last this many days before the release date.
    pub before_release_days: u32,
    /// A person on a caseload with no contact for this many days is due for one.
    pub contact_days: u32,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { baseline_days: 30, every_days: 90, before_release_days: 30, contact_days: 14 }
    }
}

/// Why the next check-in is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CheckInReason {
    Baseline,
    Periodic,
    BeforeRelease,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CheckInDue {
    pub on: NaiveDate,
    pub reason: CheckInReason,
}

impl Schedule {
    /// When the next check-in is due for a person in custody, admitted on `admitted` and due
    /// for release on `release`, whose latest check-in was on `last`: the baseline first, then
    /// every `every_days`, and one before release unless one was done in that window already.
    /// Nobody outside custody is due.
    pub fn next_check_in(&self, status: Status, admitted: NaiveDate, release: Option<NaiveDate>, last: Option<NaiveDate>) -> Option<CheckInDue> {
        if status != Status::Active {
            return None;
        }
        let periodic = match last {
            None => CheckInDue { on: admitted + Duration::days(self.baseline_days.into()), reason: CheckInReason::Baseline },
            Some(l) => CheckInDue { on: l + Duration::days(self.every_days.into()), reason: CheckInReason::Periodic },
        };
        let before_release = release.map(|r| r - Duration::days(self.before_release_days.into())).filter(|window| last.is_none_or(|l| l < *window));
        match before_release {
            Some(window) if last.is_some() && window < periodic.on => Some(CheckInDue { on: window, reason: CheckInReason::BeforeRelease }),
            _ => Some(periodic),
        }
    }

    pub(crate) fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1..=365).contains(&self.baseline_days) {
            errors.push(FieldError::new("baseline_days", said!("the baseline check-in is due 1 to 365 days after admission", "la evaluación inicial toca de 1 a 365 días después del ingreso")));
        }
        if !(7..=365).contains(&self.every_days) {
            errors.push(FieldError::new("every_days", said!("check-ins repeat every 7 to 365 days", "las evaluaciones se repiten cada 7 a 365 días")));
        }
        if self.before_release_days > 180 {
            errors.push(FieldError::new("before_release_days", said!("the check-in before release falls 0 to 180 days before it", "la evaluación antes de la salida cae de 0 a 180 días antes de ella")));
        }
        if !(1..=180).contains(&self.contact_days) {
            errors.push(FieldError::new("contact_days", said!("a person is due for a contact after 1 to 180 days", "a una persona le toca un contacto pasados de 1 a 180 días")));
        }
        errors
    }
}

/// Why a person on a caseload is due, most pressing first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(tag = "due", rename_all = "snake_case")]
pub enum Due {
    FollowUp { on: NaiveDate },
    /// No contact yet, or none in the schedule's `contact_days`.
    Contact { days: Option<i64> },
    CheckIn { on: NaiveDate, reason: CheckInReason },
}

/// One person on a peer's caseload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CaseloadRow {
    pub participant_id: ParticipantId,
    pub name: String,
    pub facility_number: String,
    pub unit_name: Option<String>,
    pub status: Status,
    pub release_date: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    /// The follow-up the newest contact asked for.
    pub follow_up_on: Option<NaiveDate>,
    pub last_check_in: Option<NaiveDate>,
    pub check_in_due: Option<CheckInDue>,
    /// What is due today or earlier, most pressing first; empty when nothing is.
    pub due: Vec<Due>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Caseload {
    pub staff_id: StaffId,
    pub staff_name: String,
    pub schedule: Schedule,
    pub rows: Vec<CaseloadRow>,
}

/// What is due for a person on `today`: a contact when none was logged in the schedule's
/// `contact_days`, the follow-up the newest contact set once its day comes, and a check-in
/// once the schedule says so.
pub fn due_on(today: NaiveDate, schedule: &Schedule, last_contact: Option<NaiveDate>, follow_up: Option<NaiveDate>, check_in: Option<CheckInDue>) -> Vec<Due> {
    let mut due = Vec::new();
    if let Some(on) = follow_up.filter(|f| *f <= today) {
        due.push(Due::FollowUp { on });
    }
    match last_contact {
        None => due.push(Due::Contact { days: None }),
        Some(l) if (today - l).num_days() >= i64::from(schedule.contact_days) => due.push(Due::Contact { days: Some((today - l).num_days()) }),
        Some(_) => {}
    }
    if let Some(c) = check_in.filter(|c| c.on <= today) {
        due.push(Due::CheckIn { on: c.on, reason: c.reason });
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn check_ins_are_due_at_baseline_then_every_90_days_and_before_release() {
        let s = Schedule::default();
        let admitted = day("2026-01-01");
        let next = |release: Option<&str>, last: Option<&str>| s.next_check_in(Status::Active, admitted, release.map(day), last.map(day)).unwrap();
        assert_eq!(next(None, None), CheckInDue { on: day("2026-01-31"), reason: CheckInReason::Baseline });
        assert_eq!(next(None, Some("2026-01-20")), CheckInDue { on: day("2026-04-20"), reason: CheckInReason::Periodic });
        assert_eq!(next(Some("2026-03-01"), Some("2026-01-20")), CheckInDue { on: day("2026-01-30"), reason: CheckInReason::BeforeRelease });
        assert_eq!(next(Some("2026-03-01"), Some("2026-02-10")), CheckInDue { on: day("2026-05-11"), reason: CheckInReason::Periodic }, "done inside the window");
        assert_eq!(next(Some("2026-12-01"), Some("2026-01-20")).reason, CheckInReason::Periodic);
        assert_eq!(s.next_check_in(Status::Released, admitted, None, None), None);
    }

    #[test]
    fn a_caseload_row_is_due_for_a_contact_a_follow_up_and_a_check_in_by_the_rules() {
        let s = Schedule::default();
        let today = day("2026-06-15");
        assert_eq!(due_on(today, &s, None, None, None), vec![Due::Contact { days: None }]);
        assert_eq!(due_on(today, &s, Some(day("2026-06-10")), None, None), vec![]);
        assert_eq!(due_on(today, &s, Some(day("2026-06-01")), None, None), vec![Due::Contact { days: Some(14) }]);
        assert_eq!(due_on(today, &s, Some(day("2026-06-02")), None, None), vec![], "13 days is not yet 14");
        let follow = Some(day("2026-06-15"));
        assert_eq!(due_on(today, &s, Some(day("2026-06-10")), follow, None), vec![Due::FollowUp { on: day("2026-06-15") }]);
        assert_eq!(due_on(today, &s, Some(day("2026-06-10")), Some(day("2026-06-16")), None), vec![]);
        let check = CheckInDue { on: day("2026-06-01"), reason: CheckInReason::Periodic };
        assert_eq!(due_on(today, &s, Some(day("2026-06-10")), None, Some(check)), vec![Due::CheckIn { on: day("2026-06-01"), reason: CheckInReason::Periodic }]);
    }

    #[test]
    fn goals_and_steps_are_refused_naming_the_field() {
        let e = GoalInput { goal: String::new(), dimension: "wealth".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.fields().iter().map(|f| f.field).collect::<Vec<_>>(), vec!["goal", "dimension"]);
        let g = GoalInput { goal: "Get my kids back".into(), dimension: "home".into(), review_on: "2026-09-01".into(), ..Default::default() }.validate().unwrap();
        assert_eq!(g.status, GoalStatus::Active);
        let e = StepInput { step: "Call the housing office".into(), due_on: "1/9/2026".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.fields()[0].field, "due_on");
    }
}
