//! Which column of a source's roster holds what: proposed from the header's words, corrected by
//! the person once, saved under the source's name and used for every file that source sends.

use super::dates::{Century, DateFormat};
use crate::error::{Error, FieldError, Result};
use serde::{Deserialize, Serialize};

crate::model::words! {
    /// What a roster column holds.
    Field {
        Booking = "booking", "Booking or DOC number";
        StateNumber = "state_number", "State id number";
        FullName = "full_name", "Name as LAST, FIRST MIDDLE";
        LastName = "last_name", "Last name";
        FirstName = "first_name", "First name";
        MiddleName = "middle_name", "Middle name";
        BirthDate = "birth_date", "Date of birth";
        Housing = "housing", "Housing, unit and cell together (A-POD-12B)";
        Unit = "unit", "Housing unit";
        Cell = "cell", "Cell or bed";
        BookingDate = "booking_date", "Booking date";
        ReleaseDate = "release_date", "Projected release date";
        Charge = "charge", "Charge";
    }
}

impl Field {
    /// Whether the column holds dates.
    pub fn is_date(self) -> bool {
        matches!(self, Field::BirthDate | Field::BookingDate | Field::ReleaseDate)
    }

    /// Header words that name this field, most telling first. A header is matched on its
    /// words, lowercased, with everything but letters and digits as spaces.
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Booking => &["booking number", "booking no", "booking id", "booking", "bkg no", "bkg", "book no", "inmate number", "inmate no", "inmate id", "offender id", "doc number", "doc no", "doc id", "doc"],
            Field::StateNumber => &["state id", "state number", "sid", "state no"],
            Field::FullName => &["inmate name", "full name", "name", "offender name", "last first"],
            Field::LastName => &["last name", "surname", "family name", "last"],
            Field::FirstName => &["first name", "given name", "first"],
            Field::MiddleName => &["middle name", "middle initial", "middle", "mi"],
            Field::BirthDate => &["date of birth", "birth date", "dob", "birthdate", "born"],
            Field::Housing => &["housing location", "housing", "location", "cell location", "hsg"],
            Field::Unit => &["housing unit", "unit", "pod", "block"],
            Field::Cell => &["cell", "bed", "bunk"],
            Field::BookingDate => &["booking date", "book date", "admission date", "admit date", "date booked", "booked", "intake date"],
            Field::ReleaseDate => &["projected release date", "projected release", "release date", "proj rel date", "proj release", "expected release", "release", "prd"],
            Field::Charge => &["charge description", "charge", "offense", "offence", "statute"],
        }
    }
}

/// One column's use: its field, and for a date column the format when the column is ambiguous
/// or the person chose one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ColumnUse {
    /// The column's header as the file writes it; columns are found by header, so a source
    /// that reorders its columns still maps.
    pub header: String,
    pub field: Field,
    #[serde(default)]
    pub date_format: Option<DateFormat>,
}

/// A source's mapping: which header holds which field, and the century rule for two-digit years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Mapping {
    pub columns: Vec<ColumnUse>,
    /// Two-digit years up to this are 20xx, the rest 19xx.
    pub century_pivot: u32,
}

fn normalise(header: &str) -> String {
    header.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// Proposes a mapping for `columns` (a sheet's headers): each field to the first header that
/// names it exactly, then to one that contains its name; a header takes one field at most, and
/// a field one header, except charges, which take every charge column. Parts of a name are proposed only when no one column holds the name.
pub fn propose(columns: &[String], century: Century) -> Mapping {
    let headers: Vec<String> = columns.iter().map(|h| normalise(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut uses: Vec<(usize, Field)> = Vec::new();
    for exact in [true, false] {
        for field in Field::ALL {
            if uses.iter().any(|(_, f)| f == field) {
                continue;
            }
            let hit = field.names().iter().find_map(|name| {
                headers.iter().enumerate().position(|(i, h)| {
                    !taken[i] && if exact { h == name } else { format!(" {h} ").contains(&format!(" {name} ")) }
                })
            });
            if let Some(i) = hit {
                taken[i] = true;
                uses.push((i, *field));
            }
        }
    }
    // A roster may list several charges in columns of their own ("Charge 1", "Charge 2").
    for (i, h) in headers.iter().enumerate() {
        if !taken[i] && Field::Charge.names().iter().any(|name| format!(" {h} ").contains(&format!(" {name} "))) {
            taken[i] = true;
            uses.push((i, Field::Charge));
        }
    }
    // "Name" is inside "Last Name" too: with both parts found, a whole-name proposal is one of
    // them misread and is dropped; with one part alone, the whole name stays.
    let parts = [Field::LastName, Field::FirstName].iter().all(|p| uses.iter().any(|(_, f)| f == p));
    if parts {
        uses.retain(|(_, f)| *f != Field::FullName);
    } else if uses.iter().any(|(_, f)| *f == Field::FullName) {
        uses.retain(|(_, f)| !matches!(f, Field::LastName | Field::FirstName | Field::MiddleName));
    }
    uses.sort_by_key(|(i, _)| *i);
    Mapping { columns: uses.into_iter().map(|(i, field)| ColumnUse { header: columns[i].clone(), field, date_format: None }).collect(), century_pivot: century.pivot }
}

impl Mapping {
    /// Checks the mapping against a sheet's headers: each mapped header present and used once,
    /// each field from one column, a booking number, and a name (whole, or last and first).
    pub fn check(&self, columns: &[String]) -> Result<()> {
        let mut errors = Vec::new();
        for (n, u) in self.columns.iter().enumerate() {
            if !columns.iter().any(|c| c == &u.header) {
                errors.push(FieldError::new("mapping", said!("the file has no column \"{}\" (mapped to {})", "el archivo no tiene la columna \"{}\" (asignada a {})", u.header, u.field.label())));
            }
            if let Some(first) = self.columns[..n].iter().find(|o| o.header == u.header) {
                errors.push(FieldError::new(
                    "mapping",
                    said!("the column \"{}\" is mapped twice, to {} and to {}", "la columna \"{}\" está asignada dos veces, a {} y a {}", u.header, first.field.label(), u.field.label()),
                ));
            }
            if u.field != Field::Charge && self.columns[..n].iter().any(|o| o.field == u.field) {
                errors.push(FieldError::new("mapping", said!("{} is mapped from two columns", "{} está asignado a dos columnas", u.field.label())));
            }
            if u.date_format.is_some() && !u.field.is_date() {
                errors.push(FieldError::new("mapping", said!("\"{}\" holds {}, not dates: it takes no date format", "\"{}\" contiene {}, no fechas: no lleva formato de fecha", u.header, u.field.label())));
            }
        }
        let has = |f: Field| self.columns.iter().any(|u| u.field == f);
        if !has(Field::Booking) {
            errors.push(FieldError::new("mapping", said!("choose the column with the booking or DOC number", "elija la columna con el número de reserva o del DOC")));
        }
        let named = has(Field::FullName) || (has(Field::LastName) && has(Field::FirstName));
        if !named {
            errors.push(FieldError::new("mapping", said!("choose the name column, or the last-name and first-name columns", "elija la columna del nombre, o las de apellido y nombre")));
        }
        if has(Field::FullName) && (has(Field::LastName) || has(Field::FirstName)) {
            errors.push(FieldError::new("mapping", said!("the name is mapped both whole and in parts: choose one", "el nombre está asignado entero y por partes: elija uno")));
        }
        if self.century_pivot > 99 {
            errors.push(FieldError::new("mapping", said!("the century rule's year must be two digits", "el año de la regla del siglo debe tener dos cifras")));
        }
        if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
    }

    pub fn century(&self) -> Century {
        Century { pivot: self.century_pivot }
    }

    /// The column index in `columns` of each mapped field, in the mapping's order.
    pub fn indices(&self, columns: &[String]) -> Vec<(usize, &ColumnUse)> {
        self.columns.iter().filter_map(|u| columns.iter().position(|c| c == &u.header).map(|i| (i, u))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_string()).collect()
    }

    fn fields(m: &Mapping) -> Vec<(&str, Field)> {
        m.columns.iter().map(|u| (u.header.as_str(), u.field)).collect()
    }

    #[test]
    fn a_mapping_is_proposed_from_the_headers_words() {
        let c = Century { pivot: 26 };
        let m = propose(&cols(&["Booking #", "Inmate Name", "DOB", "Housing Location", "Booking Date", "Proj. Release Date", "Charge Description"]), c);
        assert_eq!(
            fields(&m),
            [
                ("Booking #", Field::Booking),
                ("Inmate Name", Field::FullName),
                ("DOB", Field::BirthDate),
                ("Housing Location", Field::Housing),
                ("Booking Date", Field::BookingDate),
                ("Proj. Release Date", Field::ReleaseDate),
                ("Charge Description", Field::Charge)
            ]
        );
        let parts = propose(&cols(&["DOC Number", "Last Name", "First Name", "Middle", "Date of Birth", "Unit", "Cell", "Release"]), c);
        assert_eq!(
            fields(&parts),
            [
                ("DOC Number", Field::Booking),
                ("Last Name", Field::LastName),
                ("First Name", Field::FirstName),
                ("Middle", Field::MiddleName),
                ("Date of Birth", Field::BirthDate),
                ("Unit", Field::Unit),
                ("Cell", Field::Cell),
                ("Release", Field::ReleaseDate)
            ]
        );
        assert!(parts.check(&cols(&["DOC Number", "Last Name", "First Name", "Middle", "Date of Birth", "Unit", "Cell", "Release"])).is_ok());
        let whole = propose(&cols(&["Booking", "Full Name", "Last Name"]), c);
        assert_eq!(fields(&whole), [("Booking", Field::Booking), ("Full Name", Field::FullName)], "a name part alone gives way to the whole name");
    }

    #[test]
    fn a_column_mapped_twice_or_a_missing_name_is_refused_with_each_reason() {
        let columns = cols(&["Booking", "Name", "DOB"]);
        let twice = Mapping {
            columns: vec![
                ColumnUse { header: "Booking".into(), field: Field::Booking, date_format: None },
                ColumnUse { header: "Name".into(), field: Field::FullName, date_format: None },
                ColumnUse { header: "Name".into(), field: Field::LastName, date_format: None },
                ColumnUse { header: "Gone".into(), field: Field::BirthDate, date_format: Some(DateFormat::Iso) },
            ],
            century_pivot: 26,
        };
        let messages: Vec<String> = twice.check(&columns).unwrap_err().fields().iter().map(|f| f.message.clone()).collect();
        assert!(messages.contains(&"the column \"Name\" is mapped twice, to Name as LAST, FIRST MIDDLE and to Last name".to_string()), "{messages:?}");
        assert!(messages.contains(&"the file has no column \"Gone\" (mapped to Date of birth)".to_string()), "{messages:?}");
        assert!(messages.contains(&"the name is mapped both whole and in parts: choose one".to_string()), "{messages:?}");
        let none = Mapping { columns: vec![], century_pivot: 26 };
        assert_eq!(none.check(&columns).unwrap_err().fields().len(), 2, "no booking number, no name");
    }
}
