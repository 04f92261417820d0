//! A participant's time in a program (an RSAT unit, a therapeutic community, MOUD continuity,
//! peer mentoring): when it started, the phases or levels it passed through, when and how it
//! ended. Completion figures are counted from these records, never guessed from free text.

use super::participant::{max_len, optional, parse_date, required_date};
use super::words::words;
use crate::error::{Error, FieldError, Result};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

words! {
    /// The kinds of program a person is enrolled in.
    ProgramKind {
        Rsat = "rsat", "RSAT unit";
        TherapeuticCommunity = "therapeutic_community", "Therapeutic community";
        Moud = "moud", "MOUD continuity";
        PeerMentoring = "peer_mentoring", "Peer mentoring";
        Other = "other", "Other program";
    }
}

words! {
    /// How an episode ended: completed, or the reason for an early exit.
    Outcome {
        Completed = "completed", "Completed";
        Released = "released", "Released before completion";
        Transferred = "transferred", "Transferred";
        Discharged = "discharged", "Discharged for conduct";
        LeftVoluntarily = "left_voluntarily", "Left voluntarily";
    }
}

/// An episode as typed: starting one, or correcting or ending one already kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct EpisodeInput {
    pub kind: String,
    /// What the program calls itself ("RSAT unit B"); the kind's name when blank.
    pub name: String,
    pub start_date: String,
    /// Blank while the person is in the program.
    pub end_date: String,
    pub outcome: String,
    /// Why an early exit happened, in a line.
    pub exit_note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEpisode {
    pub kind: ProgramKind,
    pub name: Option<String>,
    pub start_date: NaiveDate,
    pub end: Option<(NaiveDate, Outcome)>,
    pub exit_note: Option<String>,
}

impl EpisodeInput {
    /// Checks what needs no database; dates may not be after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidEpisode> {
        let mut errors = Vec::new();
        let kind = ProgramKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", said!("choose the kind of program", "elija el tipo de programa")));
        }
        let name = optional(&self.name);
        max_len("name", ("The program's name", "El nombre del programa"), name.as_deref().unwrap_or_default(), 80, &mut errors);
        let start = required_date("start_date", ("The start date", "La fecha de inicio"), &self.start_date, said!("the start date is required", "la fecha de inicio es obligatoria"), &mut errors);
        let end = parse_date("end_date", ("The end date", "La fecha de fin"), &self.end_date, &mut errors);
        let outcome = optional(&self.outcome);
        let parsed_outcome = outcome.as_deref().and_then(Outcome::parse);
        if outcome.is_some() && parsed_outcome.is_none() {
            errors.push(FieldError::new("outcome", said!("choose how the program ended", "elija cómo terminó el programa")));
        }
        for (field, date) in [("start_date", start), ("end_date", end)] {
            if date.is_some_and(|d| d > today) {
                errors.push(FieldError::new(field, said!("the date cannot be in the future", "la fecha no puede ser futura")));
            }
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                errors.push(FieldError::new("end_date", said!("the end date cannot be before the start date {s}", "la fecha de fin no puede ser anterior a la de inicio {s}")));
            }
        }
        if end.is_some() && outcome.is_none() {
            errors.push(FieldError::new("outcome", said!("say how the program ended: completed, or why the person left early", "indique cómo terminó el programa: completado, o por qué salió antes")));
        }
        if end.is_none() && self.end_date.trim().is_empty() && outcome.is_some() {
            errors.push(FieldError::new("end_date", said!("give the date the program ended", "indique la fecha en que terminó el programa")));
        }
        let exit_note = optional(&self.exit_note);
        max_len("exit_note", ("The note", "La nota"), exit_note.as_deref().unwrap_or_default(), 500, &mut errors);
        if exit_note.is_some() && self.end_date.trim().is_empty() {
            errors.push(FieldError::new("exit_note", said!("a note on the exit belongs to an ended program: give the end date", "una nota de salida corresponde a un programa terminado: indique la fecha de fin")));
        }
        match (kind, start) {
            (Some(kind), Some(start_date)) if errors.is_empty() => {
                Ok(ValidEpisode { kind, name, start_date, end: end.zip(parsed_outcome), exit_note })
            }
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A phase or level as typed ("Phase 2", "Level B"), from the date the person moved to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PhaseInput {
    pub date: String,
    pub phase: String,
}

impl PhaseInput {
    /// Checks the phase against the episode it belongs to: on or after its start, not after its
    /// end or `today`.
    pub fn validate(&self, episode: &Episode, today: NaiveDate) -> Result<(NaiveDate, String)> {
        let mut errors = Vec::new();
        let phase = optional(&self.phase);
        if phase.is_none() {
            errors.push(FieldError::new("phase", said!("name the phase or level", "indique la fase o el nivel")));
        }
        max_len("phase", ("The phase", "La fase"), phase.as_deref().unwrap_or_default(), 80, &mut errors);
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("the date of the change is required", "la fecha del cambio es obligatoria"), &mut errors);
        if let Some(d) = date {
            let last = episode.end_date.unwrap_or(today).min(today);
            if d < episode.start_date {
                errors.push(FieldError::new("date", said!("the phase cannot start before the program did, on {}", "la fase no puede empezar antes que el programa, el {}", episode.start_date)));
            } else if d > last {
                errors.push(FieldError::new("date", said!("the phase cannot start after {last}", "la fase no puede empezar después del {last}")));
            }
        }
        match (date, phase) {
            (Some(d), Some(p)) if errors.is_empty() => Ok((d, p)),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A move to a phase or level, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Phase {
    pub id: Uuid,
    pub date: NaiveDate,
    pub phase: String,
}

/// An episode as kept, with its phases in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Episode {
    pub id: Uuid,
    pub kind: ProgramKind,
    pub name: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub exit_note: Option<String>,
    /// The name of the facility it ran at: where the person was held when it was recorded
    /// (none for episodes kept before Bridger recorded it, which count where the person is held).
    pub facility: Option<String>,
    pub phases: Vec<Phase>,
}

impl Episode {
    /// What the screens and the reports call it: its own name, else its kind's.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(self.kind.label())
    }

    /// Whether the two episodes share a day; an open one runs on without end.
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        let before_other_ends = end.is_none_or(|e| self.start_date <= e);
        let other_before_this_ends = self.end_date.is_none_or(|e| start <= e);
        before_other_ends && other_before_this_ends
    }

    /// Whole months from the start to the end (or to `today` while open), as exits are
    /// grouped in the program report: counted as the follow-up windows count them, so a month
    /// from 31 January ends on the last day of February.
    pub fn months(&self, today: NaiveDate) -> u32 {
        let (start, end) = (self.start_date, self.end_date.unwrap_or(today));
        let rough = (end.year() * 12 + end.month() as i32) - (start.year() * 12 + start.month() as i32);
        let mut n = u32::try_from(rough - 1).unwrap_or(0);
        while start.checked_add_months(Months::new(n + 1)).is_some_and(|d| d <= end) {
            n += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(start: &str, end: &str, outcome: &str) -> EpisodeInput {
        EpisodeInput { kind: "rsat".into(), start_date: start.into(), end_date: end.into(), outcome: outcome.into(), ..Default::default() }
    }

    fn fields(e: Error) -> Vec<&'static str> {
        e.fields().iter().map(|f| f.field).collect()
    }

    #[test]
    fn an_episode_ends_with_a_date_and_an_outcome_together() {
        let today = day("2026-12-03");
        let v = input("2026-06-01", "2026-11-30", "released").validate(today).unwrap();
        assert_eq!(v.end, Some((day("2026-11-30"), Outcome::Released)));
        assert_eq!(input("2026-06-01", "", "").validate(today).unwrap().end, None);
        assert_eq!(fields(input("2026-06-01", "2026-11-30", "").validate(today).unwrap_err()), ["outcome"]);
        assert_eq!(fields(input("2026-06-01", "", "completed").validate(today).unwrap_err()), ["end_date"]);
        assert_eq!(fields(input("2026-06-01", "2026-05-01", "completed").validate(today).unwrap_err()), ["end_date"]);
        assert_eq!(fields(input("2026-12-04", "", "").validate(today).unwrap_err()), ["start_date"]);
        assert_eq!(fields(input("", "", "").validate(today).unwrap_err()), ["start_date"]);
        assert_eq!(fields(input("2026-06-01", "2026-11-30", "paroled").validate(today).unwrap_err()), ["outcome"]);
        let note_while_open = EpisodeInput { exit_note: "moved".into(), ..input("2026-06-01", "", "") };
        assert_eq!(fields(note_while_open.validate(today).unwrap_err()), ["exit_note"]);
        let bad_kind = EpisodeInput { kind: "boot camp".into(), ..input("2026-06-01", "", "") };
        assert_eq!(fields(bad_kind.validate(today).unwrap_err()), ["kind"]);
    }

    fn episode(start: &str, end: Option<&str>) -> Episode {
        Episode {
            id: Uuid::nil(),
            kind: ProgramKind::Rsat,
            name: None,
            start_date: day(start),
            end_date: end.map(day),
            outcome: None,
            exit_note: None,
            facility: None,
            phases: Vec::new(),
        }
    }

    #[test]
    fn episodes_overlap_when_they_share_a_day() {
        let closed = episode("2026-01-10", Some("2026-03-31"));
        assert!(closed.overlaps(day("2026-03-31"), None), "the last day is shared");
        assert!(!closed.overlaps(day("2026-04-01"), None));
        assert!(!closed.overlaps(day("2025-01-01"), Some(day("2026-01-09"))));
        assert!(episode("2026-01-10", None).overlaps(day("2030-01-01"), None), "an open episode runs on");
    }

    #[test]
    fn months_in_the_program_count_whole_months_across_month_ends() {
        let today = day("2026-12-03");
        assert_eq!(episode("2026-01-31", Some("2026-02-27")).months(today), 0);
        assert_eq!(episode("2026-01-31", Some("2026-02-28")).months(today), 1, "a month from 31 January ends with February");
        assert_eq!(episode("2025-11-30", Some("2026-02-28")).months(today), 3, "as the follow-up windows count");
        assert_eq!(episode("2026-01-31", Some("2026-03-01")).months(today), 1);
        assert_eq!(episode("2025-11-15", Some("2026-11-15")).months(today), 12);
        assert_eq!(episode("2025-11-15", Some("2026-11-14")).months(today), 11);
        assert_eq!(episode("2026-09-03", None).months(today), 3);
    }

    #[test]
    fn a_phase_falls_inside_its_episode() {
        let today = day("2026-12-03");
        let e = episode("2026-06-01", Some("2026-10-31"));
        let phase = |date: &str, name: &str| PhaseInput { date: date.into(), phase: name.into() }.validate(&e, today);
        assert_eq!(phase("2026-07-01", " Phase 2 ").unwrap(), (day("2026-07-01"), "Phase 2".to_string()));
        assert_eq!(fields(phase("2026-05-31", "Phase 2").unwrap_err()), ["date"]);
        assert_eq!(fields(phase("2026-11-01", "Phase 2").unwrap_err()), ["date"]);
        assert_eq!(fields(phase("2026-07-01", "  ").unwrap_err()), ["phase"]);
    }
}
