//! A roster's people compared with the records a facility keeps: who is new, who changed and
//! how, who is unchanged, who is missing (proposed as released) and who is back under a new
//! booking (proposed as a return, never merged unasked). No database here: the store loads the
//! records, and writes what a person confirms.

pub use super::entries::booking_key;
use super::entries::{Entry, Refusal, RosterRows};
use super::mapping::{Field, Mapping};
use crate::error::Error;
use crate::model::{FacilityId, ParticipantId, ParticipantInput, Status};
use crate::text::{fold, words};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

crate::model::words! {
    /// A field of a person's record that a roster keeps.
    RecordField {
        Name = "legal_name", "Name";
        BirthDate = "dob", "Date of birth";
        Admission = "admission_date", "Booking date";
        Release = "release_date", "Projected release";
        ReleaseNote = "release_note", "Release note";
        Unit = "unit", "Housing unit";
        Cell = "cell", "Cell";
        StateNumber = "state_number", "State id number";
        Charges = "charges", "Charges";
        Source = "roster_source_id", "Kept from this roster";
    }
}

/// A person a facility keeps, as a roster is compared with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: ParticipantId,
    pub facility_id: FacilityId,
    pub facility_name: String,
    pub booking: String,
    pub legal_name: String,
    pub dob: NaiveDate,
    pub unit: Option<String>,
    pub cell: Option<String>,
    pub admission_date: NaiveDate,
    pub release_date: Option<NaiveDate>,
    pub release_note: Option<String>,
    pub state_number: Option<String>,
    pub charges: Vec<String>,
    pub status: Status,
    pub status_date: NaiveDate,
    pub source: Option<Uuid>,
}

/// Which way a transfer touching the facility takes a person (ADR 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// A transfer into the facility waits to be accepted.
    Coming,
    /// A transfer out of the facility waits for an answer.
    Leaving,
    /// Moved out of the facility by a transfer, and held at the other facility still.
    Gone,
}

/// A person a transfer moves into or out of the facility, as a roster meets them.
#[derive(Debug, Clone)]
pub struct Moving {
    pub participant: ParticipantId,
    pub legal_name: String,
    pub dob: NaiveDate,
    /// The other facility's name.
    pub facility_name: String,
    pub way: Way,
}

/// One field that a roster changes: as the record has it and as the roster does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Change {
    pub field: RecordField,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A booking no record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct NewPerson {
    pub entry: Entry,
    /// The booking date, or the roster's day when the file gives none.
    pub admission_date: NaiveDate,
}

/// A person whose record the roster changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Changed {
    pub entry: Entry,
    pub participant: ParticipantId,
    pub changes: Vec<Change>,
    /// Whether the unit or cell changes: a housing move.
    pub moved: bool,
}

/// Someone this source's last roster had, missing from this one: proposed as released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Release {
    pub participant: ParticipantId,
    pub booking: String,
    pub legal_name: String,
    pub unit: Option<String>,
    pub admission_date: NaiveDate,
}

/// A person kept already whom a new booking may be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Candidate {
    pub participant: ParticipantId,
    pub booking: String,
    pub legal_name: String,
    pub facility_name: String,
    pub status: Status,
    pub status_date: NaiveDate,
}

/// A new booking with the name and birth date of someone kept: the same person back, or
/// someone new, as a person decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Return {
    pub entry: Entry,
    pub admission_date: NaiveDate,
    pub candidates: Vec<Candidate>,
}

/// A roster compared with the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Comparison {
    pub new: Vec<NewPerson>,
    pub changed: Vec<Changed>,
    pub unchanged: usize,
    /// The file's refusals and the rows no record could take, in row order.
    pub refused: Vec<Refusal>,
    pub releases: Vec<Release>,
    pub returns: Vec<Return>,
    /// Housing units the roster names that the facility does not have yet: made on apply.
    pub new_units: Vec<String>,
}

/// What a person decided about the proposed movements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Decisions {
    /// People missing from the roster whose release is confirmed; the rest stay as they are.
    #[serde(default)]
    pub releases: Vec<ParticipantId>,
    /// Each new booking decided: the person it is, or none for someone new. A booking not
    /// decided waits for the next import.
    #[serde(default)]
    pub returns: Vec<ReturnDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReturnDecision {
    pub booking: String,
    pub same_as: Option<ParticipantId>,
}

/// A name as a set of folded words, so "GARCIA, JOSE" and "José García" are one name.
pub fn name_key(name: &str) -> Vec<String> {
    let mut w = words(name);
    w.sort();
    w
}

fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    a.map(fold) == b.map(fold)
}

/// The first of an entry's values too long for the record's field, with that field's limit.
fn too_long(entry: &Entry) -> Option<(Field, usize)> {
    let long = |value: Option<&str>, max: usize| value.is_some_and(|v| v.chars().count() > max);
    [
        (Field::StateNumber, long(entry.state_number.as_deref(), 40), 40),
        (Field::Unit, long(entry.unit.as_deref(), 60), 60),
        (Field::Cell, long(entry.cell.as_deref(), 20), 20),
        (Field::ReleaseDate, long(entry.release_words.as_deref(), 80), 80),
        (Field::Charge, long(Some(&entry.charges.join("\n")), 4000), 4000),
    ]
    .into_iter()
    .find(|(_, is_long, _)| *is_long)
    .map(|(field, _, max)| (field, max))
}

/// The record's fields as the roster would leave them, for the rules every record obeys.
pub fn as_input(entry: &Entry, facility: FacilityId, admission: NaiveDate, known: Option<&Known>) -> ParticipantInput {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    ParticipantInput {
        legal_name: entry.legal_name.clone(),
        dob: date(entry.birth_date.or(known.map(|k| k.dob))),
        facility_number: entry.booking.clone(),
        facility_id: facility.to_string(),
        admission_date: admission.to_string(),
        release_date: date(entry.release_date),
        ..ParticipantInput::default()
    }
}

/// What a roster is compared with: a facility's records and housing units, the records of the
/// reader's other facilities (a return may come from one), and the roster source the
/// facility's people are kept from, once it exists.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub facility: FacilityId,
    pub known: &'a [Known],
    pub elsewhere: &'a [Known],
    pub units: &'a [String],
    pub source: Option<Uuid>,
    /// Bookings of the facility's records that lack a birth or admission date: they cannot be
    /// compared, and are not taken for someone new.
    pub incomplete: &'a HashSet<String>,
    /// People transfers move into or out of the facility: someone coming or gone is not taken
    /// for someone new, and someone leaving is not proposed as released.
    pub moving: &'a [Moving],
}

/// Compares `rows`, read through `mapping`, with `records` as of `today`.
pub fn compare(rows: &RosterRows, mapping: &Mapping, records: &Records<'_>, today: NaiveDate) -> Comparison {
    let Records { facility, known, elsewhere, units, source, incomplete, moving } = *records;
    let mapped = |f: Field| mapping.columns.iter().any(|u| u.field == f);
    let header_of = |f: Field| mapping.columns.iter().find(|u| u.field == f).map(|u| u.header.clone()).unwrap_or_default();
    let name_header = if mapped(Field::FullName) { header_of(Field::FullName) } else { header_of(Field::LastName) };
    let column_of = |field: &str| match field {
        "legal_name" => name_header.clone(),
        "dob" => header_of(Field::BirthDate),
        "facility_number" => header_of(Field::Booking),
        "admission_date" => header_of(Field::BookingDate),
        "release_date" => header_of(Field::ReleaseDate),
        _ => String::new(),
    };
    let housing = mapped(Field::Housing);
    let (unit_mapped, cell_mapped) = (housing || mapped(Field::Unit), housing || mapped(Field::Cell));
    let by_booking: HashMap<String, &Known> = known.iter().map(|k| (booking_key(&k.booking), k)).collect();
    let mut by_person: HashMap<(Vec<String>, NaiveDate), Vec<&Known>> = HashMap::new();
    for k in known.iter().chain(elsewhere) {
        by_person.entry((name_key(&k.legal_name), k.dob)).or_default().push(k);
    }
    let mut out = Comparison { new: vec![], changed: vec![], unchanged: 0, refused: rows.refusals.clone(), releases: vec![], returns: vec![], new_units: vec![] };
    let refuse = |out: &mut Comparison, entry: &Entry, error: Error| {
        for f in error.fields() {
            out.refused.push(Refusal { row: entry.row, booking: Some(entry.booking.clone()), column: column_of(f.field), reason: f.message.clone(), reason_es: f.message_es.clone() });
        }
    };
    // Everyone this roster lists, read or refused: none of them is gone, and none is someone
    // else coming back.
    let on_roster: HashSet<String> = rows.refusals.iter().filter_map(|r| r.booking.as_deref()).chain(rows.entries.iter().map(|e| e.booking.as_str())).map(booking_key).collect();
    for entry in &rows.entries {
        let key = booking_key(&entry.booking);
        let admission = entry.booking_date;
        if let Some((field, max)) = too_long(entry) {
            let column = if matches!(field, Field::Unit | Field::Cell) && !mapped(field) { header_of(Field::Housing) } else { header_of(field) };
            out.refused.push(Refusal::new(
                entry.row,
                Some(&entry.booking),
                &column,
                said!("this value runs past the {max} characters a record keeps", "este valor pasa de los {max} caracteres que guarda un expediente"),
            ));
            continue;
        }
        match by_booking.get(&key) {
            // One booking, another person: a number typed wrong in one system or the other. Never
            // written over the record.
            Some(k) if name_key(&entry.legal_name) != name_key(&k.legal_name) && entry.birth_date.is_some_and(|d| d != k.dob) => {
                out.refused.push(Refusal::new(
                    entry.row,
                    Some(&entry.booking),
                    &header_of(Field::Booking),
                    said!(
                        "booking {} belongs to another record, with another name and birth date, not to the person on this row: check the number",
                        "la reserva {} es de otro expediente, con otro nombre y otra fecha de nacimiento, no de la persona de esta fila: revise el número",
                        k.booking
                    ),
                ));
            }
            Some(k) => {
                let mut changes = Vec::new();
                let mut change = |field, from: Option<String>, to: Option<String>| changes.push(Change { field, from, to });
                if name_key(&entry.legal_name) != name_key(&k.legal_name) {
                    change(RecordField::Name, Some(k.legal_name.clone()), Some(entry.legal_name.clone()));
                }
                if let Some(dob) = entry.birth_date.filter(|d| *d != k.dob) {
                    change(RecordField::BirthDate, Some(k.dob.to_string()), Some(dob.to_string()));
                }
                if let Some(booked) = admission.filter(|d| *d != k.admission_date) {
                    change(RecordField::Admission, Some(k.admission_date.to_string()), Some(booked.to_string()));
                }
                if mapped(Field::ReleaseDate) {
                    if entry.release_date != k.release_date {
                        change(RecordField::Release, k.release_date.map(|d| d.to_string()), entry.release_date.map(|d| d.to_string()));
                    }
                    if entry.release_words != k.release_note {
                        change(RecordField::ReleaseNote, k.release_note.clone(), entry.release_words.clone());
                    }
                }
                if unit_mapped && !same_text(entry.unit.as_deref(), k.unit.as_deref()) {
                    change(RecordField::Unit, k.unit.clone(), entry.unit.clone());
                }
                if cell_mapped && !same_text(entry.cell.as_deref(), k.cell.as_deref()) {
                    change(RecordField::Cell, k.cell.clone(), entry.cell.clone());
                }
                if mapped(Field::StateNumber) && entry.state_number != k.state_number {
                    change(RecordField::StateNumber, k.state_number.clone(), entry.state_number.clone());
                }
                if mapped(Field::Charge) && entry.charges != k.charges {
                    let list = |c: &[String]| (!c.is_empty()).then(|| c.join("; "));
                    change(RecordField::Charges, list(&k.charges), list(&entry.charges));
                }
                // A person is kept from the first roster that lists them; another source's
                // file (the program's own export, say) leaves them where they are.
                if k.source.is_none() {
                    change(RecordField::Source, None, None);
                }
                let mut merged = as_input(entry, facility, admission.unwrap_or(k.admission_date), Some(k));
                if !mapped(Field::ReleaseDate) {
                    merged.release_date = k.release_date.map(|d| d.to_string()).unwrap_or_default();
                }
                if let Err(e) = merged.validate(today) {
                    refuse(&mut out, entry, e);
                } else if changes.is_empty() {
                    out.unchanged += 1;
                } else {
                    let moved = changes.iter().any(|c| matches!(c.field, RecordField::Unit | RecordField::Cell));
                    out.changed.push(Changed { entry: entry.clone(), participant: k.id, changes, moved });
                }
            }
            None if incomplete.contains(&key) => {
                out.refused.push(Refusal::new(
                    entry.row,
                    Some(&entry.booking),
                    &header_of(Field::Booking),
                    said!(
                        "booking {} belongs to a record without a birth date or admission date: complete that record first",
                        "la reserva {} es de un expediente sin fecha de nacimiento o de ingreso: complete primero ese expediente",
                        entry.booking
                    ),
                ));
            }
            None => {
                let admission = admission.unwrap_or(today);
                if entry.birth_date.is_none() {
                    out.refused.push(Refusal::new(
                        entry.row,
                        Some(&entry.booking),
                        &header_of(Field::BirthDate),
                        said!("no date of birth: a new record needs one, to tell people with one name apart", "sin fecha de nacimiento: un expediente nuevo la necesita, para distinguir a personas con el mismo nombre"),
                    ));
                    continue;
                }
                if let Err(e) = as_input(entry, facility, admission, None).validate(today) {
                    refuse(&mut out, entry, e);
                    continue;
                }
                let in_transfer = moving.iter().find(|m| m.way != Way::Leaving && entry.birth_date == Some(m.dob) && name_key(&m.legal_name) == name_key(&entry.legal_name));
                if let Some(m) = in_transfer {
                    let reason = if m.way == Way::Coming {
                        said!(
                            "the person on this row is coming from {} by a transfer that waits: accept it on the Transfers list (with this booking number), then import again",
                            "la persona de esta fila viene de {} por un traslado pendiente: acéptelo en la lista de traslados (con este número de reserva) y vuelva a importar",
                            m.facility_name
                        )
                    } else {
                        said!(
                            "the person on this row moved to {} by a transfer: not enrolled again here; a move back is a transfer from there",
                            "la persona de esta fila pasó a {} por un traslado: no se inscribe de nuevo aquí; una vuelta es un traslado desde allí",
                            m.facility_name
                        )
                    };
                    out.refused.push(Refusal::new(entry.row, Some(&entry.booking), &name_header, reason));
                    continue;
                }
                let candidates: Vec<Candidate> = entry
                    .birth_date
                    .and_then(|dob| by_person.get(&(name_key(&entry.legal_name), dob)))
                    .into_iter()
                    .flatten()
                    .filter(|k| k.facility_id != facility || !on_roster.contains(&booking_key(&k.booking)))
                    .map(|k| Candidate {
                        participant: k.id,
                        booking: k.booking.clone(),
                        legal_name: k.legal_name.clone(),
                        facility_name: k.facility_name.clone(),
                        status: k.status,
                        status_date: k.status_date,
                    })
                    .collect();
                if candidates.is_empty() {
                    out.new.push(NewPerson { entry: entry.clone(), admission_date: admission });
                } else {
                    out.returns.push(Return { entry: entry.clone(), admission_date: admission, candidates });
                }
            }
        }
    }
    if let Some(source) = source {
        out.releases = known
            .iter()
            .filter(|k| k.status == Status::Active && k.source == Some(source) && !on_roster.contains(&booking_key(&k.booking)))
            // Someone whose transfer out waits leaves by it, not by a release.
            .filter(|k| !moving.iter().any(|m| m.way == Way::Leaving && m.participant == k.id))
            .map(|k| Release { participant: k.id, booking: k.booking.clone(), legal_name: k.legal_name.clone(), unit: k.unit.clone(), admission_date: k.admission_date })
            .collect();
    }
    let units: HashSet<String> = units.iter().map(|u| fold(u)).collect();
    let named = out.new.iter().map(|n| &n.entry).chain(out.changed.iter().map(|c| &c.entry)).chain(out.returns.iter().map(|r| &r.entry));
    let mut seen = HashSet::new();
    for unit in named.filter_map(|e| e.unit.as_deref()) {
        if !units.contains(&fold(unit)) && seen.insert(fold(unit)) {
            out.new_units.push(unit.to_string());
        }
    }
    out.refused.sort_by_key(|r| r.row);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{entries, layout, propose, read, Century};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn kept(booking: &str, name: &str, source: Option<Uuid>) -> Known {
        Known {
            id: ParticipantId::from_uuid(Uuid::from_u128(u128::from(booking.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))))),
            facility_id: FacilityId::from_uuid(Uuid::nil()),
            facility_name: "Riverside County Jail".into(),
            booking: booking.into(),
            legal_name: name.into(),
            dob: day("1985-02-13"),
            unit: Some("A-POD".into()),
            cell: Some("12B".into()),
            admission_date: day("2026-11-20"),
            release_date: None,
            release_note: None,
            state_number: None,
            charges: vec!["DUI".into()],
            status: Status::Active,
            status_date: day("2026-11-20"),
            source,
        }
    }

    fn against(file: &str, known: &[Known], source: Option<Uuid>) -> Comparison {
        let l = layout(read(file.as_bytes()).unwrap()).unwrap();
        let m = propose(&l.columns, Century { pivot: 26 });
        let rows = entries(&l, &m).unwrap();
        let units = ["A-POD".to_string()];
        let none = HashSet::new();
        let records = Records { facility: FacilityId::from_uuid(Uuid::nil()), known, elsewhere: &[], units: &units, source, incomplete: &none, moving: &[] };
        compare(&rows, &m, &records, day("2026-11-24"))
    }

    #[test]
    fn a_name_typed_in_another_order_or_without_accents_is_the_same_name() {
        assert_eq!(name_key("GARCÍA LÓPEZ, José"), name_key("Jose Garcia Lopez"));
        assert_ne!(name_key("GARCIA, Jose"), name_key("GARCIA, Josefa"));
        let source = Some(Uuid::from_u128(7));
        let file = "Booking,Name,DOB,Housing,Booking Date,Charge\n26-0101,\"GARCIA LOPEZ, JOSE\",2/13/1985,a-pod-12b,11/20/2026,DUI\n";
        let c = against(file, &[kept("26-0101", "José García López", source)], source);
        assert_eq!((c.unchanged, c.changed.len(), c.new_units.len()), (1, 0, 0), "{c:?}");
    }

    #[test]
    fn a_person_refused_on_the_roster_is_not_proposed_as_released() {
        let source = Some(Uuid::from_u128(7));
        let known = [kept("1", "DOE, Jane", source), kept("2", "ROE, Rick", source), kept("3", "POE, Ed", None)];
        let file = "Booking,Name,DOB\n1,\"DOE, Jane\",2/30/1985\n4,\"KAY, Al\",12/13/1990\n5,\"LEE, Bo\",12/14/1990\n";
        let c = against(file, &known, source);
        assert_eq!(c.refused.len(), 1);
        let released: Vec<&str> = c.releases.iter().map(|r| r.booking.as_str()).collect();
        assert_eq!(released, ["2"], "Doe is on the roster with a bad date; Poe was never kept from this source");
        assert!(against(file, &known, None).releases.is_empty(), "a first roster proposes no one");
    }

    #[test]
    fn a_value_longer_than_its_field_and_a_release_before_the_booking_are_refused() {
        let long = "X".repeat(61);
        let file = format!("Booking,Name,DOB,Housing,Booking Date,Proj Release\n1,\"A, B\",1/22/1990,{long}-1,11/20/2026,\n2,\"C, D\",1/22/1990,A-1,11/20/2026,11/19/2026\n");
        let c = against(&file, &[], None);
        let said: Vec<(usize, &str, &str)> = c.refused.iter().map(|r| (r.row, r.column.as_str(), r.reason.as_str())).collect();
        assert_eq!(
            said,
            [
                (2, "Housing", "this value runs past the 60 characters a record keeps"),
                (3, "Proj Release", "projected release date 2026-11-19 is before the admission date 2026-11-20")
            ]
        );
    }

    #[test]
    fn a_booking_held_by_someone_else_is_refused_and_no_one_on_the_roster_is_a_return() {
        let source = Some(Uuid::from_u128(7));
        let mary = kept("RCJ-1", "KOWALSKI, Mary", source);
        let file = "Booking,Name,DOB\nRCJ-1,\"SMITH, Other\",3/13/1970\nRCJ-2,\"KOWALSKI, Mary\",2/13/1985\n";
        let c = against(file, std::slice::from_ref(&mary), source);
        assert_eq!(c.refused.len(), 1, "{c:?}");
        assert_eq!(c.refused[0].reason, "booking RCJ-1 belongs to another record, with another name and birth date, not to the person on this row: check the number");
        assert_eq!((c.changed.len(), c.returns.len(), c.new.len()), (0, 0, 1), "Mary's record is left alone while her booking's row waits to be checked");
        let both = "Booking,Name,DOB\nRCJ-1,\"KOWALSKI, Mary\",2/13/1985\nRCJ-2,\"KOWALSKI, Mary\",2/13/1985\n";
        let c = against(both, &[mary], source);
        assert_eq!((c.unchanged, c.returns.len(), c.new.len()), (1, 0, 1), "someone on this roster under their own booking is not also coming back");
    }
}
