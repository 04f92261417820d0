//! One-on-one peer contacts: what a contact records, the words it chooses from, the billing
//! units its minutes give, the intercept its date falls in, and the rules that need no database.

use super::participant::{max_len, optional, required_date};
use super::words::words;
use super::{ParticipantId, StaffId, Status, SupportType};
use crate::error::{Error, FieldError, Label, Result, Said};
use crate::text::clean_block;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

words! {
    /// Where a contact took place.
    Setting {
        HousingUnit = "housing_unit", "Housing unit";
        ProgramRoom = "program_room", "Program room";
        VisitBooth = "visit_booth", "Visit booth";
        PhoneVideo = "phone_video", "Phone or video (after release)";
        Community = "community", "In the community";
    }
}

words! {
    /// What kind of contact it was.
    ContactKind {
        BriefCheckIn = "brief_check_in", "Brief check-in";
        PlannedSession = "planned_session", "Planned session";
        CrisisSupport = "crisis_support", "Crisis support";
        CareCoordination = "care_coordination", "Care coordination";
        FollowUpAfterRelease = "follow_up_after_release", "Follow-up after release";
    }
}

words! {
    /// SAMHSA's four dimensions of recovery: every recovery-plan goal belongs to one, and a
    /// contact touches some.
    Dimension {
        Health = "health", "Health";
        Home = "home", "Home";
        Purpose = "purpose", "Purpose";
        Community = "community", "Community";
    }
}

words! {
    /// The Sequential Intercept Model's points where a person meets the justice system.
    Intercept {
        CommunityServices = "0", "0 · Community services and crisis response";
        LawEnforcement = "1", "1 · Law enforcement";
        InitialDetention = "2", "2 · Initial detention and first court appearance";
        JailsAndCourts = "3", "3 · Jails and courts";
        Reentry = "4", "4 · Reentry from jail or prison";
        CommunityCorrections = "5", "5 · Community corrections";
    }
}

/// How long before and after a release a contact counts as reentry work (intercept 4).
pub const REENTRY_WINDOW_DAYS: i64 = 90;
/// The longest contact that may be logged, in minutes: a whole working day.
pub const MAX_CONTACT_MINUTES: i64 = 480;

/// Billing units of 15 minutes, by the eight-minute rule payers use: a unit is counted once
/// at least half of it (8 minutes) was given, so 7 minutes bill nothing, 8 to 22 bill one and
/// 23 to 37 bill two.
pub fn billing_units(minutes: i64) -> i64 {
    if minutes < 8 {
        0
    } else {
        (minutes + 7) / 15
    }
}

/// Where a person stood on `date`, for the intercept a contact starts with:
/// - in custody, with a release more than [`REENTRY_WINDOW_DAYS`] away or not set: 3 (jails
///   and courts);
/// - in custody within that window of release, or released less than that window ago: 4 (reentry);
/// - released longer ago: 5 (community corrections) when the reentry plan records supervision,
///   else 0 (community services).
pub fn derive_intercept(custody: &Custody, date: NaiveDate) -> Intercept {
    let window = Duration::days(REENTRY_WINDOW_DAYS);
    let released_on = match custody.status {
        Status::Released => Some(custody.status_date.unwrap_or(date)),
        _ => None,
    };
    match released_on {
        Some(left) if left <= date => {
            if date - left <= window {
                Intercept::Reentry
            } else if custody.supervised {
                Intercept::CommunityCorrections
            } else {
                Intercept::CommunityServices
            }
        }
        _ => match custody.release_date {
            Some(release) if release - date <= window => Intercept::Reentry,
            _ => Intercept::JailsAndCourts,
        },
    }
}

/// What the intercept and the refusals need to know of a person's custody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
    pub status: Status,
    pub status_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub admission_date: Option<NaiveDate>,
    /// Whether the reentry plan records community supervision (a first report or conditions).
    pub supervised: bool,
}

impl Custody {
    /// Why peer work dated `date` cannot have happened: before the person was admitted, or
    /// after they were discharged or transferred away.
    pub(crate) fn refuses(&self, date: NaiveDate, what: Label) -> Option<Said> {
        let (what_en, what_es) = what;
        if self.admission_date.is_some_and(|a| date < a) {
            return Some(Said {
                en: format!("the {what_en} is dated before the person was admitted"),
                es: format!("la {what_es} tiene fecha anterior al ingreso de la persona"),
            });
        }
        let left = self.status_date.filter(|left| matches!(self.status, Status::Discharged | Status::Transferred) && date > *left)?;
        let (how_en, how_es) = if self.status == Status::Discharged { ("discharged", "dada de baja") } else { ("transferred away", "trasladada") };
        Some(Said {
            en: format!("the person was {how_en} on {left}, before this {what_en}'s date"),
            es: format!("la persona fue {how_es} el {left}, antes de la fecha de esta {what_es}"),
        })
    }
}

/// A contact as typed on the quick form or the command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ContactInput {
    pub participant_id: String,
    /// The peer who gave it, from the staff directory.
    pub staff_id: String,
    pub date: String,
    /// `HH:MM`.
    pub start_time: String,
    pub minutes: i64,
    pub setting: String,
    pub kind: String,
    pub support_types: Vec<String>,
    pub dimensions: Vec<String>,
    /// Blank takes the intercept derived from the person's custody on the contact's date.
    pub intercept: String,
    pub note: String,
    pub sensitive: bool,
    pub follow_up_on: String,
}

/// A contact once every rule that needs no database has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub participant_id: ParticipantId,
    pub staff_id: StaffId,
    pub date: NaiveDate,
    pub start_time: String,
    pub minutes: i64,
    pub setting: Setting,
    pub kind: ContactKind,
    pub support_types: Vec<SupportType>,
    pub dimensions: Vec<Dimension>,
    pub intercept: Intercept,
    pub note: Option<String>,
    pub sensitive: bool,
    pub follow_up_on: Option<NaiveDate>,
}

/// Each word of `given` read as one of `W`, in the vocabulary's order, without repeats.
fn several<W: Copy + Ord>(given: &[String], parse: fn(&str) -> Option<W>, field: &'static str, what: Label, errors: &mut Vec<FieldError>) -> Vec<W> {
    let (what_en, what_es) = what;
    let mut words = Vec::new();
    for g in given.iter().filter(|g| !g.trim().is_empty()) {
        match parse(g) {
            Some(w) => words.push(w),
            None => {
                let g = crate::text::clean_line(g);
                errors.push(FieldError::new(field, Said { en: format!("\"{g}\" is not {what_en}"), es: format!("«{g}» no es {what_es}") }));
            }
        }
    }
    words.sort();
    words.dedup();
    words
}

/// One word of a vocabulary, or the refusal naming `field`.
fn one<W>(given: &str, parse: fn(&str) -> Option<W>, field: &'static str, missing: Said, errors: &mut Vec<FieldError>) -> Option<W> {
    let w = parse(given);
    if w.is_none() {
        errors.push(FieldError::new(field, missing));
    }
    w
}

impl ContactInput {
    /// Checks the contact against the clock (`now`, local time) and the person's custody: not
    /// in the future, of 1 to 480 minutes, not after the person was discharged or transferred
    /// away, and a follow-up after release only once they are released.
    pub fn validate(&self, now: NaiveDateTime, custody: &Custody) -> Result<ValidContact> {
        let today = now.date();
        let mut errors = Vec::new();
        let participant_id = self.participant_id.trim().parse::<ParticipantId>().ok();
        if participant_id.is_none() {
            errors.push(FieldError::new("participant_id", said!("choose the participant", "elija el participante")));
        }
        let staff_id = self.staff_id.trim().parse::<StaffId>().ok();
        if staff_id.is_none() {
            errors.push(FieldError::new("staff_id", said!("choose the peer who gave the contact from the staff directory", "elija del directorio del personal el par que hizo el contacto")));
        }
        let date = required_date("date", ("The date", "La fecha"), &self.date, said!("give the contact's date", "indique la fecha del contacto"), &mut errors);
        if let Some(d) = date {
            if d > today {
                errors.push(FieldError::new("date", said!("a contact cannot be logged for a day still to come", "no se puede registrar un contacto para un día que aún no ha llegado")));
            }
            if let Some(why) = custody.refuses(d, ("contact", "contacto")) {
                errors.push(FieldError::new("date", why));
            }
        }
        let start_time = optional(&self.start_time).unwrap_or_default();
        if start_time.is_empty() {
            errors.push(FieldError::new("start_time", said!("give the time the contact started, as HH:MM", "indique la hora a la que empezó el contacto, como HH:MM")));
        } else if let Some(t) = super::parse_time("start_time", &start_time, &mut errors) {
            if date == Some(today) && t > now.time() {
                errors.push(FieldError::new("start_time", said!("a contact today cannot have started after now ({})", "un contacto de hoy no puede haber empezado después de ahora ({})", now.time().format("%H:%M"))));
            }
        }
        if self.minutes < 1 {
            errors.push(FieldError::new("minutes", said!("a contact lasts at least 1 minute", "un contacto dura al menos 1 minuto")));
        } else if self.minutes > MAX_CONTACT_MINUTES {
            errors.push(FieldError::new("minutes", said!("a contact lasts at most {MAX_CONTACT_MINUTES} minutes (8 hours)", "un contacto dura como mucho {MAX_CONTACT_MINUTES} minutos (8 horas)")));
        }
        let setting = one(&self.setting, Setting::parse, "setting", said!("choose where the contact took place", "elija dónde fue el contacto"), &mut errors);
        let kind = one(&self.kind, ContactKind::parse, "kind", said!("choose the kind of contact", "elija el tipo de contacto"), &mut errors);
        if kind == Some(ContactKind::FollowUpAfterRelease) && date.is_some() && custody.status != Status::Released {
            errors.push(FieldError::new("kind", said!("a follow-up after release is for a person who has been released", "un seguimiento tras la salida es para una persona que ya salió")));
        }
        let support_types = several(&self.support_types, SupportType::parse, "support_types", ("a type of support", "un tipo de apoyo"), &mut errors);
        let dimensions = several(&self.dimensions, Dimension::parse, "dimensions", ("a recovery dimension", "una dimensión de la recuperación"), &mut errors);
        let intercept = match self.intercept.trim() {
            "" => date.map(|d| derive_intercept(custody, d)),
            given => one(given, Intercept::parse, "intercept", said!("the intercept is a number from 0 to 5", "la intercepción es un número del 0 al 5"), &mut errors),
        };
        let note = Some(clean_block(&self.note)).filter(|n| !n.trim().is_empty());
        max_len("note", ("The note", "La nota"), note.as_deref().unwrap_or(""), 4000, &mut errors);
        let follow_up_on = super::participant::parse_date("follow_up_on", ("The follow-up date", "La fecha de seguimiento"), &self.follow_up_on, &mut errors);
        if let (Some(f), Some(d)) = (follow_up_on, date) {
            if f <= d {
                errors.push(FieldError::new("follow_up_on", said!("the follow-up date comes after the contact", "la fecha de seguimiento es posterior al contacto")));
            }
        }
        match (participant_id, staff_id, date, setting, kind, intercept) {
            (Some(participant_id), Some(staff_id), Some(date), Some(setting), Some(kind), Some(intercept)) if errors.is_empty() => Ok(ValidContact {
                participant_id,
                staff_id,
                date,
                start_time,
                minutes: self.minutes,
                setting,
                kind,
                support_types,
                dimensions,
                intercept,
                note,
                sensitive: self.sensitive,
                follow_up_on,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// What of a contact's note the person reading may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "shown", content = "text", rename_all = "snake_case")]
pub enum Note {
    /// No note was written.
    None,
    Text(String),
    /// A sensitive note this person may open; opening it is audited.
    Sensitive,
    /// A note exists; this person's role does not read it.
    Withheld,
}

/// A contact as a list or the timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Contact {
    pub id: String,
    pub participant_id: ParticipantId,
    pub participant_name: String,
    pub staff_id: StaffId,
    pub staff_name: String,
    pub date: NaiveDate,
    pub start_time: String,
    pub minutes: i64,
    /// Derived from the minutes ([`billing_units`]), never typed.
    pub units: i64,
    pub setting: Setting,
    pub kind: ContactKind,
    pub support_types: Vec<SupportType>,
    pub dimensions: Vec<Dimension>,
    pub intercept: Intercept,
    pub note: Note,
    pub sensitive: bool,
    pub follow_up_on: Option<NaiveDate>,
    pub entered_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn held(release: Option<&str>) -> Custody {
        Custody { status: Status::Active, status_date: None, release_date: release.map(day), admission_date: Some(day("2026-01-05")), supervised: false }
    }

    #[test]
    fn fifteen_minute_units_follow_the_eight_minute_rule() {
        let units: Vec<i64> = [1, 7, 8, 15, 22, 23, 37, 38, 60, 480].into_iter().map(billing_units).collect();
        assert_eq!(units, vec![0, 0, 1, 1, 1, 2, 2, 3, 4, 32]);
    }

    #[test]
    fn the_intercept_follows_custody_and_the_release_date() {
        let on = day("2026-06-01");
        assert_eq!(derive_intercept(&held(None), on), Intercept::JailsAndCourts);
        assert_eq!(derive_intercept(&held(Some("2026-12-01")), on), Intercept::JailsAndCourts);
        assert_eq!(derive_intercept(&held(Some("2026-08-30")), on), Intercept::Reentry);
        assert_eq!(derive_intercept(&held(Some("2026-05-01")), on), Intercept::Reentry, "past its date and still held: reentry work");
        let released = |on: &str, supervised| Custody { status: Status::Released, status_date: Some(day(on)), supervised, ..held(Some(on)) };
        assert_eq!(derive_intercept(&released("2026-04-01", false), on), Intercept::Reentry);
        assert_eq!(derive_intercept(&released("2026-01-15", true), on), Intercept::CommunityCorrections);
        assert_eq!(derive_intercept(&released("2026-01-15", false), on), Intercept::CommunityServices);
        assert_eq!(derive_intercept(&released("2026-07-01", false), on), Intercept::Reentry, "before the release, counted from the projected date");
    }

    fn typed() -> ContactInput {
        ContactInput {
            participant_id: "0190f4c4-2b9a-7cc2-8a4e-3f1f5c0d9e11".into(),
            staff_id: "0190f4c4-2b9a-7cc2-8a4e-3f1f5c0d9e12".into(),
            date: "2026-06-01".into(),
            start_time: "10:30".into(),
            minutes: 40,
            setting: "housing_unit".into(),
            kind: "planned_session".into(),
            support_types: vec!["emotional".into(), "informational".into(), "emotional".into()],
            dimensions: vec!["home".into(), "health".into()],
            ..Default::default()
        }
    }

    fn noon(s: &str) -> NaiveDateTime {
        day(s).and_hms_opt(12, 0, 0).unwrap()
    }

    fn refused(input: &ContactInput, custody: &Custody) -> Vec<(String, String)> {
        match input.validate(noon("2026-06-02"), custody) {
            Err(Error::Validation(e)) => e.into_iter().map(|f| (f.field.to_string(), f.message)).collect(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_good_contact_is_read_with_its_words_in_order_and_the_derived_intercept() {
        let v = typed().validate(noon("2026-06-02"), &held(Some("2026-07-01"))).unwrap();
        assert_eq!(v.support_types, vec![SupportType::Emotional, SupportType::Informational]);
        assert_eq!(v.dimensions, vec![Dimension::Health, Dimension::Home]);
        assert_eq!(v.intercept, Intercept::Reentry);
        let chosen = ContactInput { intercept: "3".into(), ..typed() };
        assert_eq!(chosen.validate(noon("2026-06-02"), &held(Some("2026-07-01"))).unwrap().intercept, Intercept::JailsAndCourts);
    }

    #[test]
    fn bad_contacts_are_refused_naming_the_field() {
        let h = held(None);
        let field = |input: ContactInput, custody: &Custody| refused(&input, custody).into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(field(ContactInput { date: "2026-06-03".into(), ..typed() }, &h), vec!["date"]);
        assert_eq!(field(ContactInput { minutes: 0, ..typed() }, &h), vec!["minutes"]);
        assert_eq!(field(ContactInput { minutes: 481, ..typed() }, &h), vec!["minutes"]);
        assert_eq!(field(ContactInput { staff_id: String::new(), ..typed() }, &h), vec!["staff_id"]);
        assert_eq!(field(ContactInput { start_time: "25:00".into(), ..typed() }, &h), vec!["start_time"]);
        assert_eq!(field(ContactInput { date: "2026-06-02".into(), start_time: "12:01".into(), ..typed() }, &h), vec!["start_time"]);
        assert!(ContactInput { date: "2026-06-02".into(), start_time: "11:59".into(), ..typed() }.validate(noon("2026-06-02"), &h).is_ok());
        assert_eq!(field(ContactInput { support_types: vec!["spiritual".into()], ..typed() }, &h), vec!["support_types"]);
        assert_eq!(field(ContactInput { intercept: "7".into(), ..typed() }, &h), vec!["intercept"]);
        assert_eq!(field(ContactInput { follow_up_on: "2026-05-30".into(), ..typed() }, &h), vec!["follow_up_on"]);
        assert_eq!(field(ContactInput { kind: "follow_up_after_release".into(), ..typed() }, &h), vec!["kind"]);
        let discharged = Custody { status: Status::Discharged, status_date: Some(day("2026-05-20")), ..h.clone() };
        let why = refused(&typed(), &discharged);
        assert_eq!(why, vec![("date".to_string(), "the person was discharged on 2026-05-20, before this contact's date".to_string())]);
    }
}
