//! An incarcerated peer mentor's file: evaluations of their work, and the summary of their peer
//! work they take out at release, toward certification in the community.

use super::participant::{max_len, required_date};
use super::staff::{CeEntry, Credential, PeerRole, StaffRef};
use super::{StaffId, SupportType};
use crate::error::{Error, FieldError, Result};
use crate::text::clean_block;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An evaluation of a peer's work as typed: what they do well and what to work on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct EvaluationInput {
    pub staff_id: String,
    pub date: String,
    /// The staff record of whoever evaluated.
    pub evaluator_id: String,
    pub strengths: String,
    pub growth: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvaluation {
    pub staff_id: StaffId,
    pub date: NaiveDate,
    pub evaluator_id: StaffId,
    pub strengths: Option<String>,
    pub growth: Option<String>,
}

impl EvaluationInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidEvaluation> {
        let mut errors = Vec::new();
        let staff_id = self.staff_id.trim().parse::<StaffId>().ok();
        if staff_id.is_none() {
            errors.push(FieldError::new("staff_id", said!("choose whose work was evaluated", "elija de quién se evaluó el trabajo")));
        }
        let evaluator_id = self.evaluator_id.trim().parse::<StaffId>().ok();
        if evaluator_id.is_none() {
            errors.push(FieldError::new("evaluator_id", said!("choose who evaluated, from the staff directory", "elija quién evaluó, del directorio del personal")));
        }
        if staff_id.is_some() && staff_id == evaluator_id {
            errors.push(FieldError::new("evaluator_id", said!("a person does not evaluate their own work here: choose their supervisor or a coordinator", "aquí nadie evalúa su propio trabajo: elija a su supervisor o a un coordinador")));
        }
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("enter the date of the evaluation", "indique la fecha de la evaluación"), &mut errors);
        if date.is_some_and(|d| d > today) {
            errors.push(FieldError::new("date", said!("an evaluation is recorded once it is done: the date is after today", "una evaluación se registra una vez hecha: la fecha es posterior a hoy")));
        }
        let block = |text: &str| Some(clean_block(text)).filter(|t| !t.trim().is_empty());
        let (strengths, growth) = (block(&self.strengths), block(&self.growth));
        if strengths.is_none() && growth.is_none() {
            errors.push(FieldError::new("strengths", said!("write what they do well, what to work on, or both", "escriba lo que hace bien, en qué trabajar, o ambas cosas")));
        }
        max_len("strengths", ("The strengths", "Los puntos fuertes"), strengths.as_deref().unwrap_or_default(), 4000, &mut errors);
        max_len("growth", ("What to work on", "En qué trabajar"), growth.as_deref().unwrap_or_default(), 4000, &mut errors);
        match (staff_id, evaluator_id, date) {
            (Some(staff_id), Some(evaluator_id), Some(date)) if errors.is_empty() => Ok(ValidEvaluation { staff_id, date, evaluator_id, strengths, growth }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// An evaluation as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Evaluation {
    pub id: String,
    pub date: NaiveDate,
    pub evaluator: StaffRef,
    pub strengths: Option<String>,
    pub growth: Option<String>,
}

/// A group a peer facilitated, counted from the sessions held with them among its facilitators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct FacilitatedGroup {
    pub name: String,
    pub support_type: SupportType,
    pub sessions: u32,
    /// The facilitator hours roll call recorded, or the session's length where it recorded none.
    pub hours: f64,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// Everything a mentor's summary of peer work holds: who they are in the program, their
/// training, the agreement they signed, the peer work they did and the supervision it had, and
/// how their work was evaluated. It names no participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct MentorSummary {
    pub name: String,
    pub facility_name: String,
    pub roles: Vec<PeerRole>,
    pub start_date: Option<NaiveDate>,
    pub agreement_signed_on: Option<NaiveDate>,
    pub agreement_covers: Option<String>,
    pub credentials: Vec<Credential>,
    /// The training ledger, oldest first.
    pub training: Vec<CeEntry>,
    pub groups: Vec<FacilitatedGroup>,
    /// One-on-one peer contacts logged under their name: how many, and their minutes.
    pub contacts: u32,
    pub contact_minutes: i64,
    /// Supervision received: sessions and minutes.
    pub supervision_sessions: u32,
    pub supervision_minutes: i64,
    /// Oldest first.
    pub evaluations: Vec<Evaluation>,
}

impl MentorSummary {
    pub fn training_hours(&self) -> f64 {
        self.training.iter().map(|e| e.hours).sum()
    }

    /// The hours of peer work: groups facilitated and one-on-one contacts.
    pub fn peer_work_hours(&self) -> f64 {
        self.groups.iter().map(|g| g.hours).sum::<f64>() + self.contact_minutes as f64 / 60.0
    }

    pub fn supervision_hours(&self) -> f64 {
        self.supervision_minutes as f64 / 60.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> EvaluationInput {
        EvaluationInput {
            staff_id: StaffId::from_uuid(uuid::Uuid::from_u128(1)).to_string(),
            date: "2026-11-02".into(),
            evaluator_id: StaffId::from_uuid(uuid::Uuid::from_u128(2)).to_string(),
            strengths: "Listens well; keeps the group on its topic.".into(),
            growth: String::new(),
        }
    }

    fn fields(e: Error) -> Vec<&'static str> {
        match e {
            Error::Validation(errors) => errors.iter().map(|f| f.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn an_evaluation_needs_someone_else_a_past_date_and_something_written() {
        let today = day("2026-12-03");
        assert!(input().validate(today).is_ok());
        let own = EvaluationInput { evaluator_id: input().staff_id, ..input() };
        assert_eq!(fields(own.validate(today).unwrap_err()), ["evaluator_id"]);
        let future = EvaluationInput { date: "2026-12-04".into(), ..input() };
        assert_eq!(fields(future.validate(today).unwrap_err()), ["date"]);
        let empty = EvaluationInput { strengths: "  \n ".into(), ..input() };
        assert_eq!(fields(empty.validate(today).unwrap_err()), ["strengths"]);
        let nobody = EvaluationInput { evaluator_id: "someone".into(), ..input() };
        assert_eq!(fields(nobody.validate(today).unwrap_err()), ["evaluator_id"]);
    }

    #[test]
    fn the_summary_adds_hours_of_work_and_of_supervision() {
        let g = |hours| FacilitatedGroup { name: "Seeking Safety".into(), support_type: SupportType::Emotional, sessions: 2, hours, first: day("2026-01-05"), last: day("2026-02-05") };
        let entry = |hours| CeEntry { id: "e".into(), date: day("2026-01-01"), hours, topic: super::super::CeTopic::PeerPractice, title: "Peer mentor training".into(), provider: None };
        let s = MentorSummary {
            name: "Luis Ortega".into(),
            facility_name: "State Prison".into(),
            roles: vec![PeerRole::IncarceratedPeerMentor],
            start_date: None,
            agreement_signed_on: None,
            agreement_covers: None,
            credentials: vec![],
            training: vec![entry(30.0), entry(10.5)],
            groups: vec![g(1.5), g(3.0)],
            contacts: 3,
            contact_minutes: 90,
            supervision_sessions: 4,
            supervision_minutes: 150,
            evaluations: vec![],
        };
        assert_eq!(s.training_hours(), 40.5);
        assert_eq!(s.peer_work_hours(), 6.0);
        assert_eq!(s.supervision_hours(), 2.5);
    }
}
