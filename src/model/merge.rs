//! Two records of one person made one (ADR 25): which record is kept, why, and what undoing it
//! needs to say.

use super::ids::ParticipantId;
use super::participant::{max_len, optional};
use crate::error::{Error, FieldError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest reason a merge or its undoing keeps.
pub const MAX_MERGE_REASON: usize = 500;

/// A merge as asked for: the record kept, the record merged into it, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct MergeInput {
    pub kept_id: String,
    pub merged_id: String,
    /// Why these are one person, in a line the next reader can check.
    pub reason: String,
}

/// A reason given, cleaned to one line: a merge and its undoing each need one.
pub fn merge_reason(reason: &str) -> Result<String> {
    let mut errors = Vec::new();
    let reason = optional(reason);
    match &reason {
        None => errors.push(FieldError::new("reason", said!("say why, in a line the next reader can check", "diga por qué, en una línea que quien lea después pueda comprobar"))),
        Some(r) => max_len("reason", ("The reason", "El motivo"), r, MAX_MERGE_REASON, &mut errors),
    }
    match reason {
        Some(r) if errors.is_empty() => Ok(r),
        _ => Err(Error::Validation(errors)),
    }
}

impl MergeInput {
    /// Checks what needs no database: two different records, and a reason.
    pub fn validate(&self) -> Result<(ParticipantId, ParticipantId, String)> {
        let mut errors = Vec::new();
        let mut id = |field: &'static str, value: &str| match value.trim().parse::<ParticipantId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(field, said!("choose a record from the list", "elija un expediente de la lista")));
                None
            }
        };
        let kept = id("kept_id", &self.kept_id);
        let merged = id("merged_id", &self.merged_id);
        if kept.is_some() && kept == merged {
            errors.push(FieldError::new("merged_id", said!("a record cannot be merged into itself: choose the other record", "un expediente no se puede unir consigo mismo: elija el otro")));
        }
        let reason = match merge_reason(&self.reason) {
            Ok(r) => Some(r),
            Err(Error::Validation(mut more)) => {
                errors.append(&mut more);
                None
            }
            Err(e) => return Err(e),
        };
        match (kept, merged, reason) {
            (Some(k), Some(m), Some(r)) if errors.is_empty() => Ok((k, m, r)),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// One side of a merge, as the list names it. A record held at a facility the reader does not
/// cover is named by its facility alone: name, number and birth date are left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MergedRecord {
    pub id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub facility_code: String,
    pub dob: Option<NaiveDate>,
    /// Whether the reader covers the facility holding it (and so sees who it is).
    pub visible: bool,
}

/// A merge as the list of merges shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ParticipantMerge {
    pub id: Uuid,
    pub kept: MergedRecord,
    pub merged: MergedRecord,
    pub merged_on: NaiveDate,
    pub merged_by: String,
    /// Empty for a reader who does not see both records: it may name either.
    pub reason: String,
    /// How many records (contacts, check-ins, plans, ...) moved to the kept record, here and
    /// at the sites that moved edits arriving late.
    pub moved: u32,
    /// Set when it has no effect: another site merged the same records another way first (or
    /// the merged record into another), and that merge stands.
    pub void: bool,
    pub undone_on: Option<NaiveDate>,
    pub undone_by: Option<String>,
    pub undo_reason: Option<String>,
    /// Whether the reader may undo it now: it stands, the kept record was not merged on since,
    /// and the reader may merge at both facilities.
    pub may_undo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kept: &str, merged: &str, reason: &str) -> MergeInput {
        MergeInput { kept_id: kept.into(), merged_id: merged.into(), reason: reason.into() }
    }

    #[test]
    fn a_merge_needs_two_records_and_a_reason() {
        let a = Uuid::from_u128(1).to_string();
        let b = Uuid::from_u128(2).to_string();
        let (kept, merged, reason) = input(&a, &b, "  same DOC number,\n same birth date ").validate().expect("valid");
        assert_eq!((kept.to_string(), merged.to_string(), reason.as_str()), (a.clone(), b.clone(), "same DOC number, same birth date"));
        let fields = |e: Error| match e {
            Error::Validation(errors) => errors.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("{other}"),
        };
        assert_eq!(fields(input(&a, &a, "why").validate().expect_err("itself")), vec!["merged_id"]);
        assert_eq!(fields(input("nobody", &b, "").validate().expect_err("bad")), vec!["kept_id", "reason"]);
        assert_eq!(fields(input(&a, &b, &"x".repeat(MAX_MERGE_REASON + 1)).validate().expect_err("long")), vec!["reason"]);
    }
}
