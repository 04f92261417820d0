//! A move of a participant from one facility of the program to another (ADR 24): asked for
//! where they are held, carried to the receiving site in a bundle, and accepted or declined
//! there. Until the receiving facility accepts, the person stays where they are.

use super::ids::{FacilityId, ParticipantId};
use super::participant::{max_len, optional, required_date};
use super::words::words;
use crate::error::{Error, FieldError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

words! {
    /// How a transfer was answered.
    TransferAnswer {
        Accepted = "accepted", "Accepted";
        Declined = "declined", "Declined";
        Cancelled = "cancelled", "Cancelled";
    }
}

words! {
    /// Where a transfer stands, as both facilities see it.
    TransferState {
        Waiting = "waiting", "Waiting for an answer";
        Delivered = "delivered", "Held at another site of the program, waiting for an answer";
        Accepted = "accepted", "Accepted";
        Declined = "declined", "Declined";
        Cancelled = "cancelled", "Cancelled";
    }
}

/// A transfer as asked for on the person's page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TransferInput {
    pub to_facility_id: String,
    /// Why the person moves, in a line the receiving facility reads.
    pub reason: String,
}

impl TransferInput {
    /// Checks what needs no database: a facility other than `from`, and a reason.
    pub fn validate(&self, from: FacilityId) -> Result<(FacilityId, String)> {
        let mut errors = Vec::new();
        let to = match self.to_facility_id.trim() {
            "" => {
                errors.push(FieldError::new("to_facility_id", said!("choose the facility the person moves to", "elija el centro al que se traslada la persona")));
                None
            }
            id => match id.parse::<FacilityId>() {
                Ok(to) if to == from => {
                    errors.push(FieldError::new("to_facility_id", said!("the person is already held at this facility: choose another", "la persona ya está en este centro: elija otro")));
                    None
                }
                Ok(to) => Some(to),
                Err(_) => {
                    errors.push(FieldError::new("to_facility_id", said!("that facility is not known here", "ese centro no se conoce aquí")));
                    None
                }
            },
        };
        let reason = optional(&self.reason);
        if reason.is_none() {
            errors.push(FieldError::new("reason", said!("say why the person moves: the receiving facility reads it", "indique por qué se traslada la persona: el centro que la recibe lo lee")));
        }
        max_len("reason", ("The reason", "El motivo"), reason.as_deref().unwrap_or_default(), 500, &mut errors);
        match (to, reason) {
            (Some(to), Some(reason)) if errors.is_empty() => Ok((to, reason)),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// An answer as typed: accepting names the day the person arrived; declining or cancelling
/// says why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TransferReply {
    pub answer: String,
    /// The day the person arrived (accepting).
    pub date: String,
    pub note: String,
    /// The person's booking or DOC number at the receiving facility (accepting); blank keeps
    /// the one they have.
    pub number: String,
}

/// A reply that passed every rule needing no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReply {
    pub answer: TransferAnswer,
    /// The arrival (accepting), else today.
    pub date: NaiveDate,
    pub note: Option<String>,
    pub number: Option<String>,
}

impl TransferReply {
    /// Checks the reply against the transfer's request: an arrival neither before the request
    /// nor after `today`, and a reason for declining or cancelling.
    pub fn validate(&self, requested_on: NaiveDate, today: NaiveDate) -> Result<ValidReply> {
        let mut errors = Vec::new();
        let answer = TransferAnswer::parse(&self.answer);
        if answer.is_none() {
            errors.push(FieldError::new("answer", said!("choose accept, decline or cancel", "elija aceptar, rechazar o cancelar")));
        }
        let note = optional(&self.note);
        max_len("note", ("The note", "La nota"), note.as_deref().unwrap_or_default(), 500, &mut errors);
        // Upper case, as a participant's number is kept.
        let number = optional(&self.number).map(|n| n.to_uppercase());
        max_len("number", ("The number", "El número"), number.as_deref().unwrap_or_default(), 40, &mut errors);
        if number.is_some() && answer != Some(TransferAnswer::Accepted) {
            errors.push(FieldError::new("number", said!("a number here belongs to accepting the person", "un número aquí corresponde a aceptar a la persona")));
        }
        let date = if answer == Some(TransferAnswer::Accepted) {
            let date = required_date("date", ("The arrival date", "La fecha de llegada"), &self.date, said!("give the day the person arrived", "indique el día en que llegó la persona"), &mut errors);
            match date {
                Some(d) if d > today => {
                    errors.push(FieldError::new("date", said!("the arrival cannot be in the future: accept the transfer when the person is here", "la llegada no puede ser futura: acepte el traslado cuando la persona esté aquí")));
                    None
                }
                Some(d) if d < requested_on => {
                    errors.push(FieldError::new("date", said!("the arrival cannot be before the transfer was asked for, on {requested_on}", "la llegada no puede ser anterior a la solicitud del traslado, el {requested_on}")));
                    None
                }
                d => d,
            }
        } else {
            if answer.is_some() && note.is_none() {
                errors.push(FieldError::new("note", said!("say why, for the other facility", "indique el motivo, para el otro centro")));
            }
            Some(today)
        };
        match (answer, date) {
            (Some(answer), Some(date)) if errors.is_empty() => Ok(ValidReply { answer, date, note, number }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A transfer as both facilities' lists and the person's page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Transfer {
    pub id: Uuid,
    pub participant_id: ParticipantId,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub facility_number: String,
    pub from_facility_id: FacilityId,
    pub from_facility: String,
    pub to_facility_id: FacilityId,
    pub to_facility: String,
    pub requested_on: NaiveDate,
    pub requested_by: String,
    pub reason: String,
    pub state: TransferState,
    /// When a receipt showed another site holds the request, and that site's name.
    pub delivered_on: Option<NaiveDate>,
    pub delivered_to: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub answered_by: Option<String>,
    pub answer_note: Option<String>,
    /// Whether it still waits for an answer.
    pub open: bool,
    /// Whether the reader sees it as coming into their facilities: it goes to one they cover,
    /// from one they do not (or they are the ones to answer it).
    pub incoming: bool,
    /// Whether the person signed in may accept or decline it: it waits, and they work at the
    /// receiving facility.
    pub may_answer: bool,
    /// Whether they may cancel it: it waits, and they work at the sending facility.
    pub may_cancel: bool,
}

impl TransferState {
    /// How it was answered, in a Spanish sentence about the transfer: "ya tiene respuesta: {}".
    pub const fn spanish(self) -> &'static str {
        match self {
            TransferState::Waiting | TransferState::Delivered => "ninguna aún",
            TransferState::Accepted => "aceptado",
            TransferState::Declined => "rechazado",
            TransferState::Cancelled => "cancelado",
        }
    }

    /// The state of a transfer answered with `answer` (if at all) and seen delivered (or not).
    pub fn of(answer: Option<TransferAnswer>, delivered: bool) -> TransferState {
        match answer {
            Some(TransferAnswer::Accepted) => TransferState::Accepted,
            Some(TransferAnswer::Declined) => TransferState::Declined,
            Some(TransferAnswer::Cancelled) => TransferState::Cancelled,
            None if delivered => TransferState::Delivered,
            None => TransferState::Waiting,
        }
    }

    /// Whether it still waits for an answer.
    pub fn is_open(self) -> bool {
        matches!(self, TransferState::Waiting | TransferState::Delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn reply(answer: &str, date: &str, note: &str) -> TransferReply {
        TransferReply { answer: answer.into(), date: date.into(), note: note.into(), number: String::new() }
    }

    #[test]
    fn a_request_names_another_facility_and_a_reason() {
        let from = FacilityId::from_uuid(Uuid::from_u128(1));
        let to = FacilityId::from_uuid(Uuid::from_u128(2));
        let fields = |input: TransferInput| match input.validate(from) {
            Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("expected refusal, got {other:?}"),
        };
        assert_eq!(fields(TransferInput { to_facility_id: String::new(), reason: "RSAT bed".into() }), ["to_facility_id"]);
        assert_eq!(fields(TransferInput { to_facility_id: from.to_string(), reason: "RSAT bed".into() }), ["to_facility_id"]);
        assert_eq!(fields(TransferInput { to_facility_id: "not an id".into(), reason: " ".into() }), ["to_facility_id", "reason"]);
        assert_eq!(fields(TransferInput { to_facility_id: to.to_string(), reason: "x".repeat(501) }), ["reason"]);
        assert_eq!(TransferInput { to_facility_id: to.to_string(), reason: " RSAT bed ".into() }.validate(from).unwrap(), (to, "RSAT bed".to_string()));
    }

    #[test]
    fn an_arrival_falls_between_the_request_and_today_and_a_refusal_says_why() {
        let (asked, today) = (day("2026-03-02"), day("2026-03-10"));
        let accepted = TransferReply { number: " B-2291 ".into(), ..reply("accepted", "2026-03-05", "") };
        assert_eq!(accepted.validate(asked, today).unwrap(), ValidReply { answer: TransferAnswer::Accepted, date: day("2026-03-05"), note: None, number: Some("B-2291".into()) });
        for (r, field) in [
            (reply("accepted", "2026-03-11", ""), "date"),
            (reply("accepted", "2026-03-01", ""), "date"),
            (reply("accepted", "", ""), "date"),
            (reply("declined", "", " "), "note"),
            (reply("cancelled", "", ""), "note"),
            (reply("maybe", "", "why"), "answer"),
            (TransferReply { number: "B-1".into(), ..reply("declined", "", "no bed") }, "number"),
        ] {
            match r.validate(asked, today) {
                Err(Error::Validation(errors)) => assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), [field], "{r:?}"),
                other => panic!("{r:?} should be refused, got {other:?}"),
            }
        }
        assert_eq!(
            reply("declined", "", "no RSAT bed").validate(asked, today).unwrap(),
            ValidReply { answer: TransferAnswer::Declined, date: today, note: Some("no RSAT bed".into()), number: None }
        );
    }

    #[test]
    fn the_state_follows_the_answer_then_the_receipt() {
        assert_eq!(TransferState::of(None, false), TransferState::Waiting);
        assert_eq!(TransferState::of(None, true), TransferState::Delivered);
        assert_eq!(TransferState::of(Some(TransferAnswer::Accepted), false), TransferState::Accepted);
        assert!(TransferState::of(None, true).is_open());
        assert!(!TransferState::of(Some(TransferAnswer::Cancelled), true).is_open());
    }
}
