//! The facility's people written as a roster file that the import reads back unchanged: the
//! headers the mapping proposes on its own, ISO dates, one row per charge as jail systems write
//! them, and a title line (set aside on reading) saying whose file it is.

use super::compare::Known;
use crate::text::csv_cell;

/// The headers, in the order written; each is one the mapping proposes for its field.
pub const HEADERS: [&str; 9] = ["Booking Number", "State ID", "Name", "Date of Birth", "Housing Unit", "Cell", "Booking Date", "Projected Release Date", "Charge"];

/// The roster as CSV bytes, under a `title` line.
pub fn roster_csv(title: &str, people: &[Known]) -> Vec<u8> {
    // Rows differ in length (the title is one cell), which the reader expects of a jail's file.
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let mut put = |row: &[String]| w.write_record(row.iter().map(|c| csv_cell(c))).expect("a row written to memory");
    put(&[title.to_string()]);
    put(&HEADERS.map(String::from));
    for k in people {
        let release = k.release_date.map(|d| d.to_string()).or_else(|| k.release_note.clone()).unwrap_or_default();
        let row = |charge: &str| {
            [
                k.booking.clone(),
                k.state_number.clone().unwrap_or_default(),
                k.legal_name.clone(),
                k.dob.to_string(),
                k.unit.clone().unwrap_or_default(),
                k.cell.clone().unwrap_or_default(),
                k.admission_date.to_string(),
                release.clone(),
                charge.to_string(),
            ]
        };
        if k.charges.is_empty() {
            put(&row(""));
        }
        for charge in &k.charges {
            put(&row(charge));
        }
    }
    w.into_inner().expect("csv flushed to memory")
}
