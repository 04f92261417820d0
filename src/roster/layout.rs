//! Where the roster is in a sheet: the header row (under any title lines a report prints above
//! it) and the rows of people (above any total or "printed on" lines below them).

use super::read::{Row, Sheet};
use crate::error::{Error, Result};

/// How many rows from the top the header is looked for in.
const HEADER_WITHIN: usize = 30;

/// The words a roster's column headers are made of; a header row names several of them.
const HEADER_WORDS: [&str; 34] = [
    "booking", "bkg", "book", "inmate", "offender", "doc", "id", "number", "no", "name", "last", "first", "middle", "full", "dob", "birth", "born", "date", "housing", "unit",
    "cell", "pod", "bed", "block", "location", "release", "projected", "admission", "admit", "charge", "offense", "state", "sid", "custody",
];

/// The sheet's header, the rows of people under it, and what was set aside around them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub header_row: usize,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows above the header (a report's title, the date it was run).
    pub above: Vec<Row>,
    /// Rows below the people (totals, "end of report").
    pub below: Vec<Row>,
}

fn words(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Whether a cell reads like a header: some letters, no date or number alone.
fn header_like(cell: &str) -> bool {
    cell.chars().any(char::is_alphabetic) && !cell.chars().all(|c| c.is_ascii_digit() || "/-.: ".contains(c))
}

/// How many of a row's cells name a column a roster has.
fn header_score(row: &Row) -> usize {
    row.cells.iter().filter(|c| header_like(c) && words(c).any(|w| HEADER_WORDS.contains(&w.as_str()))).count()
}

/// A row under the people that sums them up or closes the report.
fn footer_like(row: &Row, columns: usize) -> bool {
    let first = row.cells.iter().find(|c| !c.trim().is_empty()).map(|c| c.to_lowercase()).unwrap_or_default();
    let closing = ["total", "count", "records", "printed", "page ", "end of", "report run", "run on", "grand total"].iter().any(|w| first.starts_with(w));
    closing || row.filled() * 3 < columns.max(3)
}

/// Finds the header: the first of the top rows that names at least two roster columns and fills
/// most of its cells; failing that, refuses with what was seen.
pub fn layout(sheet: Sheet) -> Result<Layout> {
    let found = sheet.rows.iter().take(HEADER_WITHIN).position(|r| header_score(r) >= 2 && r.filled() >= 2);
    let Some(at) = found else {
        let first = sheet.rows.first().map(|r| r.cells.iter().filter(|c| !c.is_empty()).take(4).cloned().collect::<Vec<_>>().join(" | ")).unwrap_or_default();
        return Err(Error::field(
            "file",
            said!(
                "no header row found in the first {} rows (the file begins \"{}\"): a roster needs a row naming its columns, such as Booking number, Name, Date of birth",
                "no se encontró la fila de encabezados en las primeras {} filas (el archivo empieza \"{}\"): un listado necesita una fila que nombre sus columnas, como Número de reserva, Nombre, Fecha de nacimiento",
                HEADER_WITHIN,
                first
            ),
        ));
    };
    let mut rows = sheet.rows;
    let mut people = rows.split_off(at);
    let header = people.remove(0);
    let mut columns: Vec<String> = header.cells.iter().map(|c| c.trim().to_string()).collect();
    while columns.last().is_some_and(String::is_empty) {
        columns.pop();
    }
    let mut below = Vec::new();
    while people.last().is_some_and(|r| footer_like(r, columns.len())) {
        below.push(people.pop().expect("a last row"));
    }
    below.reverse();
    Ok(Layout { header_row: header.number, columns, rows: people, above: rows, below })
}
