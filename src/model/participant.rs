use super::{FacilityId, LocationId, ParticipantId, StaffId};
use crate::error::{Error, FieldError, Label, Result, Said};
use crate::text::{clean_block, clean_line};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a participant stands with the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Released,
    Transferred,
    Discharged,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Active, Status::Released, Status::Transferred, Status::Discharged];

    /// The status as a Spanish sentence says it of a person: "muestra a la persona {}".
    pub const fn spanish(self) -> &'static str {
        match self {
            Status::Active => "en el programa",
            Status::Released => "en libertad",
            Status::Transferred => "trasladada",
            Status::Discharged => "dada de baja",
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Released => "released",
            Status::Transferred => "transferred",
            Status::Discharged => "discharged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Released => "Released",
            Status::Transferred => "Transferred",
            Status::Discharged => "Discharged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s.trim().to_lowercase())
    }
}

/// What a person typed into the enrol or edit form (or the CLI): text as given, checked by
/// [`ParticipantInput::validate`] before anything is stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct ParticipantInput {
    pub legal_name: String,
    pub preferred_name: String,
    pub dob: String,
    pub facility_number: String,
    pub facility_id: String,
    pub unit_id: String,
    pub admission_date: String,
    pub release_date: String,
    pub program: String,
    pub language: String,
    pub notes: String,
}

/// A participant's fields once every rule that needs no database has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidParticipant {
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub dob: NaiveDate,
    pub facility_number: String,
    pub facility_id: FacilityId,
    pub unit_id: Option<LocationId>,
    pub admission_date: NaiveDate,
    pub release_date: Option<NaiveDate>,
    pub program: Option<String>,
    pub language: String,
    pub notes: Option<String>,
}

/// The years a date Bridger keeps may fall in, as the screens' date fields say: a year typed
/// short or by mistake (0001, 20226) is refused rather than kept.
pub(crate) const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

pub(crate) fn optional(s: &str) -> Option<String> {
    let s = clean_line(s);
    (!s.is_empty()).then_some(s)
}

/// Parses a date a person typed (YYYY-MM-DD); the message names the field.
pub(crate) fn parse_date(field: &'static str, label: Label, s: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if DATE_YEARS.contains(&d.year()) => Some(d),
        Ok(_) => {
            let (en, es) = label;
            errors.push(FieldError::new(field, Said { en: format!("{en} must be after 1900 and before 2200"), es: format!("{es} debe ser posterior a 1900 y anterior a 2200") }));
            None
        }
        Err(_) => {
            let (en, es) = label;
            errors.push(FieldError::new(field, Said { en: format!("{en} must be a date written as YYYY-MM-DD"), es: format!("{es} debe ser una fecha escrita como AAAA-MM-DD") }));
            None
        }
    }
}

/// Parses a date that must be given: `missing` is the message when the field is empty.
pub(crate) fn required_date(field: &'static str, label: Label, s: &str, missing: Said, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if s.trim().is_empty() {
        errors.push(FieldError::new(field, missing));
    }
    parse_date(field, label, s, errors)
}

pub(crate) fn max_len(field: &'static str, label: Label, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    if value.chars().count() > max {
        let (en, es) = label;
        errors.push(FieldError::new(field, Said { en: format!("{en} is at most {max} characters"), es: format!("{es} tiene como mucho {max} caracteres") }));
    }
}

impl ParticipantInput {
    /// Takes one field, named as the store names it, from `source`.
    pub(crate) fn copy_field(&mut self, field: &str, source: &ParticipantInput) {
        let (to, from) = match field {
            "legal_name" => (&mut self.legal_name, &source.legal_name),
            "preferred_name" => (&mut self.preferred_name, &source.preferred_name),
            "dob" => (&mut self.dob, &source.dob),
            "facility_number" => (&mut self.facility_number, &source.facility_number),
            "facility_id" => (&mut self.facility_id, &source.facility_id),
            "unit_id" => (&mut self.unit_id, &source.unit_id),
            "admission_date" => (&mut self.admission_date, &source.admission_date),
            "release_date" => (&mut self.release_date, &source.release_date),
            "program" => (&mut self.program, &source.program),
            "language" => (&mut self.language, &source.language),
            "notes" => (&mut self.notes, &source.notes),
            _ => return,
        };
        to.clone_from(from);
    }

    /// Checks every rule that needs no database. `today` is passed in, never read from the clock.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidParticipant> {
        let mut errors = Vec::new();
        let legal_name = clean_line(&self.legal_name);
        if legal_name.is_empty() {
            errors.push(FieldError::new("legal_name", said!("legal name is required", "el nombre legal es obligatorio")));
        } else if !legal_name.chars().any(char::is_alphabetic) {
            errors.push(FieldError::new("legal_name", said!("legal name must contain letters", "el nombre legal debe contener letras")));
        }
        max_len("legal_name", ("legal name", "el nombre legal"), &legal_name, 200, &mut errors);
        let preferred_name = optional(&self.preferred_name);
        max_len("preferred_name", ("preferred name", "el nombre preferido"), preferred_name.as_deref().unwrap_or(""), 100, &mut errors);

        let dob = required_date("dob", ("date of birth", "la fecha de nacimiento"), &self.dob, said!("date of birth is required", "la fecha de nacimiento es obligatoria"), &mut errors);
        if dob.is_some_and(|d| d > today) {
            errors.push(FieldError::new("dob", said!("date of birth cannot be in the future", "la fecha de nacimiento no puede estar en el futuro")));
        }

        let facility_number = clean_line(&self.facility_number).to_uppercase();
        if facility_number.is_empty() {
            errors.push(FieldError::new("facility_number", said!("facility number (booking or DOC number) is required", "el número en el centro (número de ingreso o del DOC) es obligatorio")));
        }
        max_len("facility_number", ("facility number", "el número en el centro"), &facility_number, 40, &mut errors);

        let facility_id = match self.facility_id.trim() {
            "" => {
                errors.push(FieldError::new("facility_id", said!("choose the facility", "elija el centro")));
                None
            }
            s => match s.parse::<FacilityId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("facility_id", said!("that facility does not exist", "ese centro no existe")));
                    None
                }
            },
        };
        let unit_id = match self.unit_id.trim() {
            "" => None,
            s => match s.parse::<LocationId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("unit_id", said!("that housing unit does not exist", "esa unidad de alojamiento no existe")));
                    None
                }
            },
        };

        let admission_date = required_date("admission_date", ("admission date", "la fecha de ingreso"), &self.admission_date, said!("admission date is required", "la fecha de ingreso es obligatoria"), &mut errors);
        if let Some(a) = admission_date {
            if a > today {
                errors.push(FieldError::new("admission_date", said!("admission date cannot be in the future", "la fecha de ingreso no puede estar en el futuro")));
            }
            if dob.is_some_and(|d| a < d) {
                errors.push(FieldError::new("admission_date", said!("admission date cannot be before the date of birth", "la fecha de ingreso no puede ser anterior a la fecha de nacimiento")));
            }
        }
        let release_date = parse_date("release_date", ("projected release date", "la fecha de salida prevista"), &self.release_date, &mut errors);
        if let (Some(r), Some(a)) = (release_date, admission_date) {
            if r < a {
                errors.push(FieldError::new(
                    "release_date",
                    said!("projected release date {r} is before the admission date {a}", "la fecha de salida prevista {r} es anterior a la fecha de ingreso {a}"),
                ));
            }
        }

        let program = optional(&self.program);
        max_len("program", ("program", "el programa"), program.as_deref().unwrap_or(""), 80, &mut errors);
        let language = optional(&self.language).unwrap_or_else(|| "English".to_string());
        max_len("language", ("primary language", "el idioma principal"), &language, 40, &mut errors);
        let notes = Some(clean_block(&self.notes)).filter(|n| !n.is_empty());
        max_len("notes", ("notes", "las notas"), notes.as_deref().unwrap_or(""), 4000, &mut errors);

        match (errors.is_empty(), dob, facility_id, admission_date) {
            (true, Some(dob), Some(facility_id), Some(admission_date)) => Ok(ValidParticipant {
                legal_name,
                preferred_name,
                dob,
                facility_number,
                facility_id,
                unit_id,
                admission_date,
                release_date,
                program,
                language,
                notes,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A participant as the detail page and `bridger participants show` present them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Participant {
    pub id: ParticipantId,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub dob: NaiveDate,
    pub facility_number: String,
    pub facility_id: FacilityId,
    pub facility_name: String,
    pub unit_id: Option<LocationId>,
    pub unit_name: Option<String>,
    pub admission_date: NaiveDate,
    pub release_date: Option<NaiveDate>,
    pub program: Option<String>,
    pub status: Status,
    pub status_date: NaiveDate,
    pub status_note: Option<String>,
    pub language: String,
    pub notes: Option<String>,
    /// The peer whose caseload they are on.
    pub peer_id: Option<StaffId>,
    pub peer_name: Option<String>,
    /// What the jail's roster says and the enrol form does not ask (ADR 23).
    pub state_number: Option<String>,
    pub cell: Option<String>,
    /// Words where the projected release date belongs: TBD, LIFE, PENDING COURT.
    pub release_note: Option<String>,
    pub charges: Vec<String>,
}

impl Participant {
    /// The stored fields, in the shape they are written in.
    pub fn fields(&self) -> ValidParticipant {
        ValidParticipant {
            legal_name: self.legal_name.clone(),
            preferred_name: self.preferred_name.clone(),
            dob: self.dob,
            facility_number: self.facility_number.clone(),
            facility_id: self.facility_id,
            unit_id: self.unit_id,
            admission_date: self.admission_date,
            release_date: self.release_date,
            program: self.program.clone(),
            language: self.language.clone(),
            notes: self.notes.clone(),
        }
    }

    /// The record as the edit form starts from it.
    pub fn to_input(&self) -> ParticipantInput {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ParticipantInput {
            legal_name: self.legal_name.clone(),
            preferred_name: self.preferred_name.clone().unwrap_or_default(),
            dob: self.dob.to_string(),
            facility_number: self.facility_number.clone(),
            facility_id: self.facility_id.to_string(),
            unit_id: self.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            admission_date: self.admission_date.to_string(),
            release_date: date(self.release_date),
            program: self.program.clone().unwrap_or_default(),
            language: self.language.clone(),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

/// A release, transfer, discharge or return to active, as recorded on the detail page.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
pub struct StatusChange {
    pub status: String,
    pub date: String,
    pub note: String,
}

impl StatusChange {
    pub fn validate(&self, admission_date: NaiveDate, today: NaiveDate) -> Result<(Status, NaiveDate, Option<String>)> {
        let mut errors = Vec::new();
        let status = Status::parse(&self.status);
        if status.is_none() {
            errors.push(FieldError::new("status", said!("status must be active, released, transferred or discharged", "la situación debe ser activo, puesto en libertad, trasladado o dado de baja")));
        }
        let date = required_date("date", ("the date", "la fecha"), &self.date, said!("the date of the change is required", "la fecha del cambio es obligatoria"), &mut errors);
        if let Some(d) = date {
            if d > today {
                errors.push(FieldError::new("date", said!("a status change cannot be dated in the future", "un cambio de situación no puede tener fecha futura")));
            } else if d < admission_date {
                errors.push(FieldError::new("date", said!("the date cannot be before the admission date {admission_date}", "la fecha no puede ser anterior a la fecha de ingreso {admission_date}")));
            }
        }
        let note = optional(&self.note);
        max_len("note", ("the note", "la nota"), note.as_deref().unwrap_or(""), 500, &mut errors);
        match (errors.is_empty(), status, date) {
            (true, Some(s), Some(d)) => Ok((s, d, note)),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// Which participants a roster shows. Every part is optional; all given parts must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct RosterFilter {
    pub facility_id: Option<FacilityId>,
    pub unit_id: Option<LocationId>,
    pub status: Option<Status>,
    pub release_from: Option<NaiveDate>,
    pub release_to: Option<NaiveDate>,
}

/// One line of the roster: what is needed to recognise a person and pick them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RosterRow {
    pub id: ParticipantId,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub facility_number: String,
    pub facility_code: String,
    pub unit_name: Option<String>,
    pub dob: NaiveDate,
    pub status: Status,
    pub release_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RosterPage {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<RosterRow>,
}

/// Search answers; `more` says there were matches beyond `rows` and the person should type more.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SearchResult {
    pub rows: Vec<RosterRow>,
    pub more: bool,
}

/// An existing record that may be the person about to be enrolled, and why it was picked.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DuplicateCandidate {
    pub row: RosterRow,
    pub reason: String,
}

/// Two records in the reader's facilities that may be one person: the same state id number, or
/// the same date of birth and a similar name. The older record comes first.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LikelyDuplicate {
    pub first: RosterRow,
    pub second: RosterRow,
    /// The state id number both carry, when that is why.
    pub same_state_number: Option<String>,
    /// Whether both were born the same day and share their names' words.
    pub same_birth_and_name: bool,
    /// Whether the reader may merge the two: the permission at both records' facilities.
    pub may_merge: bool,
}

/// The likely duplicates across the reader's facilities, most certain first.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LikelyDuplicates {
    pub pairs: Vec<LikelyDuplicate>,
    /// More pairs were found than listed: the list stops at this many.
    pub more: bool,
}

/// Whether two names (as folded words) are alike enough to suspect one person: every word of
/// the shorter, or at least two, found in the other.
pub fn similar_names(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && short.iter().filter(|w| long.contains(w)).count() >= short.len().min(2)
}

/// Whether the person enrolling has already seen the possible duplicates and says this is
/// someone new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateCheck {
    Check,
    ConfirmedNewPerson,
}

/// What an enrolment came to: the new record, or the existing ones to look at first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Enrolment {
    Enrolled { participant: Box<Participant> },
    PossibleDuplicates { candidates: Vec<DuplicateCandidate> },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn input() -> ParticipantInput {
        ParticipantInput {
            legal_name: "  García López,  José ".into(),
            dob: "1988-03-14".into(),
            facility_number: "b-20431".into(),
            facility_id: "0190f4c4-2b9a-7cc2-8a4e-3f1f5c0d9e11".into(),
            admission_date: "2026-05-02".into(),
            release_date: "2027-01-15".into(),
            ..Default::default()
        }
    }

    fn check(edit: impl FnOnce(&mut ParticipantInput), expected: &[(&str, &str)]) {
        let mut i = input();
        edit(&mut i);
        match i.validate(today()) {
            Ok(_) => assert!(expected.is_empty(), "expected errors {expected:?}"),
            Err(e) => {
                let got: Vec<(&str, String)> = e.fields().iter().map(|f| (f.field, f.message.clone())).collect();
                assert_eq!(got.len(), expected.len(), "got {got:?}");
                for ((gf, gm), (ef, em)) in got.iter().zip(expected) {
                    assert_eq!(gf, ef);
                    assert!(gm.contains(em), "{gm:?} should contain {em:?}");
                }
            }
        }
    }

    #[test]
    fn a_complete_record_is_cleaned() {
        let v = input().validate(today()).unwrap();
        assert_eq!(v.legal_name, "García López, José");
        assert_eq!(v.facility_number, "B-20431");
        assert_eq!(v.language, "English");
        assert_eq!(v.preferred_name, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        check(|i| i.legal_name = " ".into(), &[("legal_name", "required")]);
        check(|i| i.legal_name = "1234".into(), &[("legal_name", "letters")]);
        check(|i| i.dob = "2030-01-01".into(), &[("dob", "future"), ("admission_date", "before the date of birth")]);
        check(|i| i.dob = "14/03/1988".into(), &[("dob", "YYYY-MM-DD")]);
        check(|i| i.dob = "1899-12-31".into(), &[("dob", "after 1900")]);
        check(|i| i.facility_number = "".into(), &[("facility_number", "required")]);
        check(|i| i.facility_id = "".into(), &[("facility_id", "choose")]);
        check(|i| i.unit_id = "nope".into(), &[("unit_id", "does not exist")]);
        check(|i| i.admission_date = "2026-12-01".into(), &[("admission_date", "future")]);
        check(|i| i.release_date = "2026-05-01".into(), &[("release_date", "before the admission date 2026-05-02")]);
        check(|i| i.release_date = "2026-05-02".into(), &[]);
        check(|i| i.notes = "x".repeat(4001), &[("notes", "4000")]);
    }

    #[test]
    fn status_change_dates_are_checked() {
        let adm = NaiveDate::from_ymd_opt(2026, 5, 2).unwrap();
        let ok = StatusChange { status: "released".into(), date: "2026-11-20".into(), note: String::new() };
        assert_eq!(ok.validate(adm, today()).unwrap().0, Status::Released);
        let early = StatusChange { date: "2026-05-01".into(), ..ok.clone() };
        assert_eq!(early.validate(adm, today()).unwrap_err().fields()[0].field, "date");
        let bad = StatusChange { status: "paroled".into(), ..ok };
        assert_eq!(bad.validate(adm, today()).unwrap_err().fields()[0].field, "status");
    }
}
