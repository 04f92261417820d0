//! A roster's rows read through a mapping: one entry per booking, or a refusal naming the row,
//! the column and the reason. Exports that repeat a booking on one row per charge become one
//! entry with the charges as a list; an identical row is refused as a duplicate.

use super::dates::{detect, read_date, DateCell, DateFormat, Detected};
use super::layout::Layout;
use super::mapping::{Field, Mapping};
use crate::error::{Error, FieldError, Result, Said};
use chrono::NaiveDate;
use serde::Serialize;
use crate::model::DATE_YEARS;
use crate::text::clean_line;
use chrono::Datelike;
use std::collections::{HashMap, HashSet};

/// One person on the roster, as the file has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Entry {
    /// The row the person is first on.
    pub row: usize,
    pub booking: String,
    pub state_number: Option<String>,
    /// As bookings write it: "LAST, First Middle".
    pub legal_name: String,
    pub birth_date: Option<NaiveDate>,
    pub unit: Option<String>,
    pub cell: Option<String>,
    pub booking_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    /// Words where the release date belongs (TBD, LIFE, PENDING COURT): no date, noted.
    pub release_words: Option<String>,
    pub charges: Vec<String>,
}

/// A row that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Refusal {
    pub row: usize,
    /// The booking number on the row, when it has one: a person refused is not a person gone.
    pub booking: Option<String>,
    /// The column's header, or blank when the reason is the whole row.
    pub column: String,
    pub reason: String,
    pub reason_es: String,
}

impl Refusal {
    pub fn new(row: usize, booking: Option<&str>, column: &str, reason: Said) -> Self {
        Refusal { row, booking: booking.map(str::to_string), column: column.to_string(), reason: reason.en, reason_es: reason.es }
    }
}

/// How a date column was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DateColumn {
    pub header: String,
    pub field: Field,
    pub detected: Detected,
    /// The format used: the mapping's, else the one detected.
    pub format: Option<DateFormat>,
}

/// A roster's rows as read: entries, refusals, and how each date column was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterRows {
    pub entries: Vec<Entry>,
    pub refusals: Vec<Refusal>,
    pub date_columns: Vec<DateColumn>,
}

/// Splits "A-POD-12B" into the unit ("A-POD") and the cell ("12B"); one word is a unit alone.
pub fn split_housing(housing: &str) -> (Option<String>, Option<String>) {
    let pieces: Vec<&str> = housing.split(['-', ' ', '/']).filter(|p| !p.is_empty()).collect();
    match pieces.as_slice() {
        [] => (None, None),
        [unit] => (Some((*unit).to_string()), None),
        [unit @ .., cell] => (Some(unit.join("-")), Some((*cell).to_string())),
    }
}

/// A cell's text as one clean line, without the apostrophe a spreadsheet (or
/// Bridger's own export) puts before text that would otherwise read as a formula.
fn text(cell: Option<&String>) -> Option<String> {
    let unquoted = |c: &str| match c.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => c.to_string(),
    };
    // Hidden characters go here, so the preview shows what a record would keep.
    cell.map(|c| unquoted(&clean_line(c))).filter(|c| !c.is_empty())
}

/// A booking number as records keep and compare it: one clean line, upper case, so "rcj-1" and
/// "RCJ-1" are one booking.
pub fn booking_key(booking: &str) -> String {
    clean_line(booking).to_uppercase()
}

/// Reads every row of `layout` through `mapping`. Refused as a whole (nothing read) when the
/// mapping does not fit the file, or a date column reads both month-first and day-first and the
/// mapping does not say which.
pub fn entries(layout: &Layout, mapping: &Mapping) -> Result<RosterRows> {
    mapping.check(&layout.columns)?;
    let century = mapping.century();
    let at = mapping.indices(&layout.columns);
    let mut date_columns = Vec::new();
    let mut formats: HashMap<Field, DateFormat> = HashMap::new();
    let mut asked = Vec::new();
    for (i, u) in at.iter().filter(|(_, u)| u.field.is_date()) {
        let cells: Vec<&str> = layout.rows.iter().map(|r| r.cells.get(*i).map_or("", String::as_str)).collect();
        let detected = detect(&cells, century);
        let format = u.date_format.or(match detected {
            Detected::Format { format, .. } => Some(format),
            _ => None,
        });
        if let Some(f) = format {
            formats.insert(u.field, f);
        } else if matches!(detected, Detected::Ambiguous { .. }) {
            asked.push(FieldError::new(
                "mapping",
                said!("the column \"{}\" reads both as month/day/year and as day/month/year: say which it is", "la columna \"{}\" se lee como mes/día/año y como día/mes/año: indique cuál es", u.header),
            ));
        } else if detected == Detected::Unreadable {
            asked.push(FieldError::new(
                "mapping",
                said!("no date format reads most of the column \"{}\": choose its format, or map it to something else", "ningún formato de fecha lee la mayor parte de la columna \"{}\": elija su formato o asígnela a otra cosa", u.header),
            ));
        }
        date_columns.push(DateColumn { header: u.header.clone(), field: u.field, detected, format });
    }
    if !asked.is_empty() {
        return Err(Error::Validation(asked));
    }
    let header_of = |f: Field| at.iter().find(|(_, u)| u.field == f).map(|(_, u)| u.header.clone()).unwrap_or_default();
    let mut out: Vec<Entry> = Vec::new();
    let mut refusals = Vec::new();
    let mut by_booking: HashMap<String, usize> = HashMap::new();
    let mut seen_rows: HashMap<Vec<String>, usize> = HashMap::new();
    // Each booking's charges so far, so a booking on thousands of rows stays quick to collapse.
    let mut charges_of: HashMap<String, HashSet<String>> = HashMap::new();
    for row in &layout.rows {
        let get = |f: Field| at.iter().find(|(_, u)| u.field == f).and_then(|(i, _)| text(row.cells.get(*i)));
        let booking = get(Field::Booking);
        if let Some(first) = seen_rows.get(&row.cells) {
            refusals.push(Refusal::new(row.number, booking.as_deref(), "", said!("a duplicate of row {first}", "un duplicado de la fila {first}")));
            continue;
        }
        seen_rows.insert(row.cells.clone(), row.number);
        let mut problems = Vec::new();
        let date = |f: Field, problems: &mut Vec<Refusal>| -> (Option<NaiveDate>, Option<String>) {
            let Some(raw) = get(f) else { return (None, None) };
            // A column with no dates at all has no format; its words are still words.
            let format = formats.get(&f).copied().unwrap_or(DateFormat::Iso);
            let release = f == Field::ReleaseDate;
            match read_date(&raw, format, if release { century.ahead() } else { century }) {
                DateCell::Date(d) if DATE_YEARS.contains(&d.year()) => (Some(d), None),
                // 12/31/9999 is how some systems write "no release date".
                DateCell::Date(_) if release => (None, Some(raw)),
                DateCell::Date(_) => {
                    problems.push(Refusal::new(row.number, booking.as_deref(), &header_of(f), said!("\"{raw}\" is not a plausible date", "\"{raw}\" no es una fecha verosímil")));
                    (None, None)
                }
                DateCell::Empty => (None, None),
                DateCell::Words(w) if release => (None, Some(w)),
                DateCell::Words(w) | DateCell::Impossible(w) => {
                    problems.push(Refusal::new(row.number, booking.as_deref(), &header_of(f), said!("\"{w}\" is not a date ({})", "\"{w}\" no es una fecha ({})", format.label())));
                    (None, None)
                }
            }
        };
        let birth_date = date(Field::BirthDate, &mut problems).0;
        let booking_date = date(Field::BookingDate, &mut problems).0;
        let (release_date, release_words) = date(Field::ReleaseDate, &mut problems);
        if booking.is_none() {
            problems.push(Refusal::new(row.number, None, &header_of(Field::Booking), said!("no booking number", "sin número de reserva")));
        }
        let legal_name = match get(Field::FullName) {
            Some(whole) => Some(whole),
            None => match (get(Field::LastName), get(Field::FirstName)) {
                (Some(last), Some(first)) => Some(match get(Field::MiddleName) {
                    Some(middle) => format!("{last}, {first} {middle}"),
                    None => format!("{last}, {first}"),
                }),
                _ => None,
            },
        };
        if legal_name.is_none() {
            let column = if at.iter().any(|(_, u)| u.field == Field::FullName) { header_of(Field::FullName) } else { header_of(Field::LastName) };
            problems.push(Refusal::new(row.number, booking.as_deref(), &column, said!("no name", "sin nombre")));
        }
        let (unit, cell) = match get(Field::Housing) {
            Some(h) => split_housing(&h),
            None => (get(Field::Unit), get(Field::Cell)),
        };
        let (Some(booking), Some(legal_name), true) = (booking, legal_name, problems.is_empty()) else {
            refusals.extend(problems);
            continue;
        };
        let entry = Entry {
            row: row.number,
            booking,
            state_number: get(Field::StateNumber),
            legal_name,
            birth_date,
            unit,
            cell,
            booking_date,
            release_date,
            release_words,
            // Every charge column, in the file's order.
            charges: at.iter().filter(|(_, u)| u.field == Field::Charge).filter_map(|(i, _)| text(row.cells.get(*i))).collect(),
        };
        match by_booking.get(&booking_key(&entry.booking)).map(|&n| &mut out[n]) {
            Some(kept) => {
                let same = kept.legal_name == entry.legal_name && kept.birth_date == entry.birth_date;
                if same {
                    let seen = charges_of.entry(kept.booking.clone()).or_insert_with(|| kept.charges.iter().cloned().collect());
                    for charge in entry.charges {
                        if seen.insert(charge.clone()) {
                            kept.charges.push(charge);
                        }
                    }
                } else {
                    refusals.push(Refusal::new(
                        row.number,
                        Some(&entry.booking),
                        &header_of(Field::Booking),
                        said!("booking {} is on row {} with another name or birth date", "la reserva {} está en la fila {} con otro nombre o fecha de nacimiento", entry.booking, kept.row),
                    ));
                }
            }
            None => {
                by_booking.insert(booking_key(&entry.booking), out.len());
                out.push(entry);
            }
        }
    }
    refusals.sort_by_key(|r| r.row);
    Ok(RosterRows { entries: out, refusals, date_columns })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{layout, propose, read, Century, ColumnUse};

    const C: Century = Century { pivot: 26 };

    fn through(file: &str) -> (Layout, Mapping) {
        let l = layout(read(file.as_bytes()).unwrap()).unwrap();
        let m = propose(&l.columns, C);
        (l, m)
    }

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn a_report_with_a_title_and_a_total_line_gives_its_people_with_charges_collapsed() {
        let file = "RIVERSIDE COUNTY JAIL - IN CUSTODY\nRun 12/02/2026 06:00\n\nBooking #,Inmate Name,DOB,Housing,Booking Date,Proj Release,Charge\n\
            26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,A-POD-12B,11/28/2026,TBD,POSS CS\n\
            26-0101,\"GARCÍA LÓPEZ, José Luis\",02/13/1985,A-POD-12B,11/28/2026,TBD,FTA\n\
            26-0102,\"SMITH, Ann\",7/4/1990,C-WOMEN-3,11/30/2026,3/15/2027,DUI\n\
            Total: 2 inmates\n";
        let (l, m) = through(file);
        assert_eq!((l.header_row, l.above.len(), l.below.len()), (4, 2, 1));
        let read = entries(&l, &m).unwrap();
        assert_eq!(read.refusals, []);
        assert_eq!(read.entries.len(), 2);
        let jose = &read.entries[0];
        assert_eq!((jose.row, jose.booking.as_str(), jose.legal_name.as_str()), (5, "26-0101", "GARCÍA LÓPEZ, José Luis"));
        assert_eq!((jose.birth_date, jose.booking_date, jose.release_date), (d("1985-02-13"), d("2026-11-28"), None));
        assert_eq!(jose.release_words.as_deref(), Some("TBD"), "kept as no date, noted");
        assert_eq!((jose.unit.as_deref(), jose.cell.as_deref()), (Some("A-POD"), Some("12B")));
        assert_eq!(jose.charges, ["POSS CS", "FTA"]);
        assert_eq!(read.entries[1].release_date, d("2027-03-15"));
    }

    #[test]
    fn each_bad_row_is_refused_with_its_row_column_and_reason_and_the_rest_are_read() {
        let file = "Booking,Last Name,First Name,DOB,Proj Release\n\
            1,DOE,Jane,2/30/1985,LIFE\n\
            2,,Ann,1/2/1990,\n\
            ,ROE,Rick,1/2/1990,\n\
            4,POE,Ed,12/25/1990,\n\
            4,POE,Ed,12/25/1990,\n\
            4,LOW,Ed,12/25/1990,12/31/2027\n\
            5,KAY,Al,13/13/1999,\n";
        let (l, m) = through(file);
        let read = entries(&l, &m).unwrap();
        let said: Vec<(usize, &str, &str)> = read.refusals.iter().map(|r| (r.row, r.column.as_str(), r.reason.as_str())).collect();
        assert_eq!(
            said,
            [
                (2, "DOB", "\"2/30/1985\" is not a date (month/day/year (2/3/1985))"),
                (3, "Last Name", "no name"),
                (4, "Booking", "no booking number"),
                (6, "", "a duplicate of row 5"),
                (7, "Booking", "booking 4 is on row 5 with another name or birth date"),
                (8, "DOB", "\"13/13/1999\" is not a date (month/day/year (2/3/1985))"),
            ]
        );
        assert_eq!(read.entries.iter().map(|e| e.legal_name.as_str()).collect::<Vec<_>>(), ["POE, Ed"]);
    }

    #[test]
    fn an_ambiguous_date_column_is_asked_about_until_the_mapping_says() {
        let file = "Booking,Name,DOB\n1,\"A, B\",02/03/85\n2,\"C, D\",11/10/90\n";
        let (l, mut m) = through(file);
        let asked = entries(&l, &m).unwrap_err();
        assert_eq!(asked.fields()[0].message, "the column \"DOB\" reads both as month/day/year and as day/month/year: say which it is");
        let dob = m.columns.iter_mut().find(|u| u.field == Field::BirthDate).unwrap();
        *dob = ColumnUse { date_format: Some(DateFormat::DayFirst), ..dob.clone() };
        let read = entries(&l, &m).unwrap();
        assert_eq!(read.entries[0].birth_date, d("1985-03-02"), "day first, and 85 is 1985 by the century rule");
        assert_eq!(read.date_columns[0].detected, Detected::Ambiguous { two_digit_years: true });
    }

    #[test]
    fn a_sparse_last_person_stays_a_person_and_a_title_naming_columns_is_not_the_header() {
        let file = "Booking Report, Run Date 12/01/2026\nBooking,Name,DOB,Housing,Charge,Bond,Court\n1,\"A, B\",1/22/1990,A-1,DUI,500,12/15/2026\n2,\"C, D\",,,,,\nPage 1 of 1\n";
        let (l, m) = through(file);
        assert_eq!((l.header_row, l.rows.len(), l.below.len()), (2, 2, 1), "the newly booked person with a number and a name alone is kept");
        assert_eq!(entries(&l, &m).unwrap().entries.len(), 2);
        assert_eq!(layout(read(b"Booking,Name\n").unwrap()).unwrap_err().fields()[0].message, "the file has a header but no people under it");
    }

    #[test]
    fn release_dates_read_two_digit_years_ahead_and_placeholders_as_no_date() {
        let file = "Booking,Name,DOB,Proj Release,Charge 1,Charge 2\n1,\"A, B\",2/3/85,3/15/27,DUI,THEFT\n2,\"C, D\",12/13/90,12/31/9999,,\n3,\"E, F\",1/1/1066,,,\n";
        let (l, m) = through(file);
        assert_eq!(m.columns.iter().filter(|u| u.field == Field::Charge).count(), 2);
        let read = entries(&l, &m).unwrap();
        assert_eq!((read.entries[0].birth_date, read.entries[0].release_date), (d("1985-02-03"), d("2027-03-15")));
        assert_eq!(read.entries[0].charges, ["DUI", "THEFT"], "every charge column");
        assert_eq!((read.entries[1].release_date, read.entries[1].release_words.as_deref()), (None, Some("12/31/9999")));
        assert_eq!((read.refusals[0].row, read.refusals[0].booking.as_deref(), read.refusals[0].reason.as_str()), (4, Some("3"), "\"1/1/1066\" is not a plausible date"));
    }

    #[test]
    fn one_booking_in_another_case_or_with_a_hidden_character_is_one_booking() {
        let file = "Booking,Name,DOB\nRCJ-1,\"KOWALSKI, Mary\",1/22/1990\nrcj-1,\"SMITH, Other\",3/13/1970\nRCJ-\u{200b}1,\"KOWALSKI, Mary\",1/22/1990\n";
        let (l, m) = through(file);
        let read = entries(&l, &m).unwrap();
        assert_eq!(read.entries.len(), 1, "{read:?}");
        assert_eq!(read.refusals.len(), 1);
        assert_eq!((read.refusals[0].row, read.refusals[0].reason.as_str()), (3, "booking rcj-1 is on row 2 with another name or birth date"));
        let hidden = "Booking,Name,DOB,Cell\n1,\"DOE,\u{202e} Jane\",1/22/1990,2\u{1b}[0m\n2,\"ROE, Rick\",1/23/1990,3\n";
        let (l, m) = through(hidden);
        let read = entries(&l, &m).unwrap();
        assert_eq!((read.entries[0].legal_name.as_str(), read.entries[0].cell.as_deref()), ("DOE, Jane", Some("2[0m")), "the preview shows what a record keeps");
    }

    #[test]
    fn housing_splits_into_unit_and_cell() {
        assert_eq!(split_housing("A-POD-12B"), (Some("A-POD".into()), Some("12B".into())));
        assert_eq!(split_housing("MEDICAL"), (Some("MEDICAL".into()), None));
        assert_eq!(split_housing("B 4"), (Some("B".into()), Some("4".into())));
        assert_eq!(split_housing(" - "), (None, None));
    }

    #[test]
    fn a_file_without_a_header_is_not_a_roster() {
        let refused = layout(read(b"1,2,3\n4,5,6\n").unwrap()).unwrap_err();
        assert_eq!(refused.fields()[0].message, "no header row found in the first 30 rows: a roster needs a row naming its columns, such as Booking number, Name, Date of birth", "no cell is quoted: it would be a person");
    }
}
