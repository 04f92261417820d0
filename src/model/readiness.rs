//! Program readiness: the BJA toolkit's five steps as self-assessment checklists (the wording is
//! Bridger's own, in `assets/readiness/`), a program's dated assessments against them, and the
//! action items its gaps become.

use super::participant::{max_len, optional, parse_date, required_date};
use super::words::words;
use super::FacilityId;
use crate::error::{Error, FieldError, Result};
use crate::text::clean_block;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

words! {
    /// How far a program has come on one item of a checklist.
    ReadinessAnswer {
        InPlace = "in_place", "In place";
        InProgress = "in_progress", "In progress";
        NotYet = "not_yet", "Not yet";
        NotApplicable = "not_applicable", "Not applicable";
    }
}

/// A phrase in both languages the program speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Bilingual {
    pub en: String,
    pub es: String,
}

/// One thing a step asks of a program, stated so it can be in place or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReadinessItem {
    /// Stable across versions of the checklist: answers are kept under it.
    pub id: String,
    pub en: String,
    pub es: String,
}

/// One of the five steps, with its checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReadinessStep {
    pub step: u8,
    pub id: String,
    pub title: Bilingual,
    pub about: Bilingual,
    pub items: Vec<ReadinessItem>,
}

const STEP_FILES: [&str; 5] = [
    include_str!("../../assets/readiness/1-promote.json"),
    include_str!("../../assets/readiness/2-prepare.json"),
    include_str!("../../assets/readiness/3-plan.json"),
    include_str!("../../assets/readiness/4-policies.json"),
    include_str!("../../assets/readiness/5-supervision.json"),
];

/// The five steps in order. The files are part of the build; the tests parse every one, so a
/// file that does not parse never reaches a user.
pub fn readiness_steps() -> &'static [ReadinessStep] {
    static STEPS: OnceLock<Vec<ReadinessStep>> = OnceLock::new();
    STEPS.get_or_init(|| STEP_FILES.iter().map(|f| serde_json::from_str(f).expect("a readiness checklist in assets/ parses")).collect())
}

/// Whether `item` is on the checklist.
pub fn readiness_item(item: &str) -> Option<&'static ReadinessItem> {
    readiness_steps().iter().flat_map(|s| &s.items).find(|i| i.id == item)
}

/// A new assessment as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct ReadinessAssessmentInput {
    pub facility_id: String,
    pub date: String,
    /// What the program calls it: "Annual review 2026".
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidReadinessAssessment {
    pub facility_id: FacilityId,
    pub date: NaiveDate,
    pub title: Option<String>,
}

impl ReadinessAssessmentInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidReadinessAssessment> {
        let mut errors = Vec::new();
        let facility_id = self.facility_id.trim().parse::<FacilityId>().ok();
        if facility_id.is_none() {
            errors.push(FieldError::new("facility_id", said!("choose the facility whose program is assessed", "elija el centro cuyo programa se evalúa")));
        }
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("enter the date of the assessment", "indique la fecha de la evaluación"), &mut errors);
        if date.is_some_and(|d| d > today) {
            errors.push(FieldError::new("date", said!("an assessment is dated the day it is done: the date is after today", "una evaluación lleva la fecha en que se hace: la fecha es posterior a hoy")));
        }
        let title = optional(&self.title);
        max_len("title", ("The title", "El título"), title.as_deref().unwrap_or_default(), 120, &mut errors);
        match (facility_id, date) {
            (Some(facility_id), Some(date)) if errors.is_empty() => Ok(ValidReadinessAssessment { facility_id, date, title }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// The answer to one item as typed, with its note and the action item it becomes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct ReadinessAnswerInput {
    pub answer: String,
    pub note: String,
    /// What will be done about a gap.
    pub action: String,
    pub owner: String,
    pub due_date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidReadinessAnswer {
    pub answer: ReadinessAnswer,
    pub note: Option<String>,
    pub action: Option<String>,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
}

impl ReadinessAnswerInput {
    pub fn validate(&self) -> Result<ValidReadinessAnswer> {
        let mut errors = Vec::new();
        let answer = ReadinessAnswer::parse(&self.answer);
        if answer.is_none() {
            errors.push(FieldError::new("answer", said!("choose in place, in progress, not yet or not applicable", "elija implantado, en curso, todavía no o no aplica")));
        }
        let block = |text: &str| Some(clean_block(text)).filter(|t| !t.trim().is_empty());
        let (note, action) = (block(&self.note), block(&self.action));
        max_len("note", ("The note", "La nota"), note.as_deref().unwrap_or_default(), 2000, &mut errors);
        max_len("action", ("The action", "La acción"), action.as_deref().unwrap_or_default(), 1000, &mut errors);
        let owner = optional(&self.owner);
        max_len("owner", ("Who owns it", "El responsable"), owner.as_deref().unwrap_or_default(), 120, &mut errors);
        let due_date = parse_date("due_date", ("The due date", "La fecha límite"), &self.due_date, &mut errors);
        if action.is_none() && (owner.is_some() || due_date.is_some()) {
            errors.push(FieldError::new("action", said!("write the action the owner and the due date belong to", "escriba la acción a la que corresponden el responsable y la fecha límite")));
        }
        match answer {
            Some(answer) if errors.is_empty() => Ok(ValidReadinessAnswer { answer, note, action, owner, due_date }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// An item's answer as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ItemAnswer {
    pub item: String,
    pub answer: ReadinessAnswer,
    pub note: Option<String>,
    pub action: Option<String>,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
}

/// How many items carry each answer, and how many there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReadinessCounts {
    pub in_place: u32,
    pub in_progress: u32,
    pub not_yet: u32,
    pub not_applicable: u32,
    /// Items answered at all: the four counts together.
    pub answered: u32,
    /// Items on the checklist.
    pub items: u32,
}

impl ReadinessCounts {
    /// Counts `answers` against the checklist; answers to items no longer on it are not counted.
    pub fn of(answers: &[ItemAnswer]) -> ReadinessCounts {
        let mut c = ReadinessCounts { items: readiness_steps().iter().map(|s| s.items.len() as u32).sum(), ..Default::default() };
        for a in answers.iter().filter(|a| readiness_item(&a.item).is_some()) {
            match a.answer {
                ReadinessAnswer::InPlace => c.in_place += 1,
                ReadinessAnswer::InProgress => c.in_progress += 1,
                ReadinessAnswer::NotYet => c.not_yet += 1,
                ReadinessAnswer::NotApplicable => c.not_applicable += 1,
            }
            c.answered += 1;
        }
        c
    }
}

/// An assessment as listed: enough to choose one to open or compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReadinessListing {
    pub id: String,
    pub facility_id: FacilityId,
    pub date: NaiveDate,
    pub title: Option<String>,
    pub counts: ReadinessCounts,
}

/// An assessment with its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReadinessAssessment {
    #[serde(flatten)]
    pub listing: ReadinessListing,
    pub facility_name: String,
    pub answers: Vec<ItemAnswer>,
}

impl ReadinessAssessment {
    pub fn answer(&self, item: &str) -> Option<&ItemAnswer> {
        self.answers.iter().find(|a| a.item == item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_five_steps_parse_in_order_with_unique_items_in_both_languages() {
        let steps = readiness_steps();
        assert_eq!(steps.iter().map(|s| s.step).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        let mut ids = HashSet::new();
        for s in steps {
            assert!(!s.items.is_empty(), "step {} has no items", s.step);
            for text in [&s.title.en, &s.title.es, &s.about.en, &s.about.es] {
                assert!(!text.trim().is_empty(), "step {} has an empty title or about", s.step);
            }
            for i in &s.items {
                assert!(i.id.starts_with(&format!("{}.", s.id)), "{} is not under {}", i.id, s.id);
                assert!(ids.insert(i.id.clone()), "{} twice", i.id);
                assert!(!i.en.trim().is_empty() && !i.es.trim().is_empty(), "{} lacks a language", i.id);
                assert!(i.id.len() <= 40, "{} is longer than the schema allows", i.id);
            }
        }
        assert!(readiness_item("supervision.frequency").is_some());
        assert!(readiness_item("nothing.here").is_none());
    }

    fn answer(a: &str) -> ReadinessAnswerInput {
        ReadinessAnswerInput { answer: a.into(), ..Default::default() }
    }

    #[test]
    fn an_answer_needs_a_choice_and_an_action_for_its_owner_and_date() {
        assert_eq!(answer("in_progress").validate().unwrap().answer, ReadinessAnswer::InProgress);
        let fields = |i: ReadinessAnswerInput| match i.validate() {
            Err(Error::Validation(e)) => e.iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(fields(answer("maybe")), ["answer"]);
        assert_eq!(fields(ReadinessAnswerInput { owner: "Rosa".into(), ..answer("not_yet") }), ["action"]);
        assert_eq!(fields(ReadinessAnswerInput { action: "Write it".into(), due_date: "2/30/2027".into(), ..answer("not_yet") }), ["due_date"]);
        let full = ReadinessAnswerInput { action: "Draft the policy".into(), owner: "Rosa".into(), due_date: "2027-03-01".into(), note: "Line one\nline two".into(), ..answer("not_yet") };
        let v = full.validate().unwrap();
        assert_eq!((v.owner.as_deref(), v.due_date, v.note.as_deref()), (Some("Rosa"), "2027-03-01".parse().ok(), Some("Line one\nline two")));
    }

    #[test]
    fn counts_leave_out_items_no_longer_on_the_checklist() {
        let a = |item: &str, answer| ItemAnswer { item: item.into(), answer, note: None, action: None, owner: None, due_date: None };
        let c = ReadinessCounts::of(&[a("promote.vision", ReadinessAnswer::InPlace), a("plan.remote", ReadinessAnswer::NotYet), a("retired.item", ReadinessAnswer::InPlace)]);
        assert_eq!((c.in_place, c.not_yet, c.answered, c.items), (1, 1, 2, 39));
    }

    #[test]
    fn an_assessment_is_dated_today_or_before() {
        let today: NaiveDate = "2026-12-03".parse().unwrap();
        let input = |date: &str| ReadinessAssessmentInput { facility_id: FacilityId::from_uuid(uuid::Uuid::from_u128(1)).to_string(), date: date.into(), title: "Annual review".into() };
        assert!(input("2026-12-03").validate(today).is_ok());
        assert!(matches!(input("2026-12-04").validate(today), Err(Error::Validation(e)) if e[0].field == "date"));
    }
}
