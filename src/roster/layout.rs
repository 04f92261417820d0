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

/// A row under the people that sums them up or closes the report: it begins with a closing
/// word, or holds one value alone (a person needs at least a number and a name, so a sparse
/// last person is never taken for a footer).
fn footer_like(row: &Row) -> bool {
    let first = row.cells.iter().find(|c| !c.trim().is_empty()).map(|c| c.to_lowercase()).unwrap_or_default();
    let closing = ["total", "count", "records", "printed", "page ", "end of", "report run", "run on", "grand total"].iter().any(|w| first.starts_with(w));
    closing || row.filled() <= 1
}

/// Finds the header: of the top rows, the one that names the most roster columns (at least two;
/// the first of equals), so a title such as "Booking report, run date" does not win over the
/// header under it. Refuses a file without one, or with no one under it; the message quotes no
/// cell, since a file without a header starts with a person.
pub fn layout(sheet: Sheet) -> Result<Layout> {
    let scores: Vec<usize> = sheet.rows.iter().take(HEADER_WITHIN).map(|r| if r.filled() >= 2 { header_score(r) } else { 0 }).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let Some(at) = scores.iter().position(|s| *s == best).filter(|_| best >= 2) else {
        return Err(Error::field(
            "file",
            said!(
                "no header row found in the first {} rows: a roster needs a row naming its columns, such as Booking number, Name, Date of birth",
                "no se encontró la fila de encabezados en las primeras {} filas: un listado necesita una fila que nombre sus columnas, como Número de reserva, Nombre, Fecha de nacimiento",
                HEADER_WITHIN
            ),
        ));
    };
    let mut rows = sheet.rows;
    let mut people = rows.split_off(at);
    let header = people.remove(0);
    // A header cell may break over lines or carry hidden characters; it is named, mapped and
    // printed as one clean line.
    let mut columns: Vec<String> = header.cells.iter().map(|c| crate::text::clean_line(c)).collect();
    while columns.last().is_some_and(String::is_empty) {
        columns.pop();
    }
    let mut below = Vec::new();
    while let Some(last) = people.pop_if(|r| footer_like(r)) {
        below.push(last);
    }
    below.reverse();
    if people.is_empty() {
        return Err(Error::field("file", said!("the file has a header but no people under it", "el archivo tiene encabezados pero ninguna persona debajo")));
    }
    Ok(Layout { header_row: header.number, columns, rows: people, above: rows, below })
}
