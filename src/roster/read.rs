//! A roster file's bytes to rows of text, as the jail's system wrote them: an XLSX workbook's
//! first sheet, or delimited text in UTF-8 (with or without a byte-order mark), UTF-16 (as
//! spreadsheets save "Unicode text") or Windows-1252, with commas, semicolons, tabs or bars,
//! quoted fields holding delimiters and line breaks, and any line ending. Nothing here knows
//! what the columns mean; limits keep a file that is not a roster from taking the machine.

use crate::error::{Error, Result};
use std::io::Cursor;

/// The largest file taken: a roster of 200,000 people with twenty columns fits well inside.
pub const MAX_BYTES: usize = 48 * 1024 * 1024;
/// The most rows and columns a roster may have.
pub const MAX_ROWS: usize = 250_000;
pub const MAX_COLUMNS: usize = 120;
/// The longest text one cell may hold; a longer one means the file is not a roster (or its
/// delimiter or quotes went astray), and reading on would only mislead.
pub const MAX_CELL_CHARS: usize = 2_000;
/// What a workbook's parts may hold once unpacked, so a small file cannot expand without end.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Line breaks one quoted cell may hold (an address, a note); more means a quote mark was never
/// closed and the rows after it ran into one cell.
const MAX_CELL_BREAKS: usize = 4;

/// How the file's text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Xlsx,
    Utf8,
    Utf8Bom,
    Utf16,
    Windows1252,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Xlsx => "Excel workbook (XLSX), first sheet",
            FileKind::Utf8 => "text, UTF-8",
            FileKind::Utf8Bom => "text, UTF-8 with a byte-order mark",
            FileKind::Utf16 => "text, UTF-16",
            FileKind::Windows1252 => "text, Windows-1252",
        }
    }
}

/// A file as rows of cells, each row with its number as a spreadsheet shows it (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub kind: FileKind,
    /// The delimiter of a text file.
    pub delimiter: Option<char>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.trim().is_empty()).count()
    }
}

fn not_a_roster(en: String, es: String) -> Error {
    Error::field("file", crate::error::Said { en, es })
}

/// Reads a roster file of any of the kinds above.
pub fn read(bytes: &[u8]) -> Result<Sheet> {
    if bytes.len() > MAX_BYTES {
        let mb = bytes.len() / (1024 * 1024);
        return Err(not_a_roster(
            format!("the file holds {mb} MB; a roster is read up to {} MB: export the in-custody list alone", MAX_BYTES / (1024 * 1024)),
            format!("el archivo ocupa {mb} MB; un listado se lee hasta {} MB: exporte solo la lista de personas bajo custodia", MAX_BYTES / (1024 * 1024)),
        ));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::field("file", said!("the file is empty", "el archivo está vacío")));
    }
    let sheet = if bytes.starts_with(b"PK\x03\x04") { workbook(bytes)? } else { text(bytes)? };
    let rows: Vec<Row> = sheet.rows.into_iter().filter(|r| r.filled() > 0).collect();
    if rows.is_empty() {
        return Err(Error::field("file", said!("the file has no rows with anything in them", "el archivo no tiene filas con contenido")));
    }
    Ok(Sheet { rows, ..sheet })
}

/// Checks one cell and the row it belongs to against the limits.
fn check_cell(row: usize, column: usize, cell: &str) -> Result<()> {
    let chars = cell.chars().count();
    if chars > MAX_CELL_CHARS {
        return Err(not_a_roster(
            format!("row {row}, column {column} holds {chars} characters: this does not look like a roster (one person per row, a value per column)"),
            format!("la fila {row}, columna {column} tiene {chars} caracteres: esto no parece un listado (una persona por fila, un valor por columna)"),
        ));
    }
    Ok(())
}

fn check_rows(count: usize) -> Result<()> {
    if count > MAX_ROWS {
        return Err(not_a_roster(format!("the file has more than {MAX_ROWS} rows; a roster is read up to that many"), format!("el archivo tiene más de {MAX_ROWS} filas; un listado se lee hasta esa cantidad")));
    }
    Ok(())
}

fn check_columns(row: usize, columns: usize) -> Result<()> {
    if columns > MAX_COLUMNS {
        return Err(not_a_roster(format!("row {row} has {columns} columns; a roster is read up to {MAX_COLUMNS}"), format!("la fila {row} tiene {columns} columnas; un listado se lee hasta {MAX_COLUMNS}")));
    }
    Ok(())
}

/// Decodes text by its byte-order mark, else as UTF-8 if it is, else as Windows-1252 (which
/// every byte sequence is).
fn decode(bytes: &[u8]) -> (String, FileKind) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let kind = if encoding == encoding_rs::UTF_8 { FileKind::Utf8Bom } else { FileKind::Utf16 };
        return (text.into_owned(), kind);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), FileKind::Utf8),
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), FileKind::Windows1252),
    }
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter that splits the first lines most consistently into more than one field: for
/// each candidate, the most common field count among the sample's rows, times how many rows
/// have it (title lines above the header have one field whatever the delimiter).
fn sniff(text: &str) -> u8 {
    let sample: String = text.chars().take(64 * 1024).collect();
    let mut best = (0usize, b',');
    for d in DELIMITERS {
        let mut counts: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        let reader = csv::ReaderBuilder::new().delimiter(d).has_headers(false).flexible(true).from_reader(sample.as_bytes());
        for record in reader.into_records().take(60).flatten() {
            if record.len() > 1 {
                *counts.entry(record.len()).or_default() += 1;
            }
        }
        let score = counts.iter().map(|(fields, rows)| rows * 1000 + fields).max().unwrap_or(0);
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

fn text(bytes: &[u8]) -> Result<Sheet> {
    let (text, kind) = decode(bytes);
    if text.contains('\0') {
        return Err(Error::field("file", said!("the file holds binary data, not text or a workbook: export the roster as CSV or XLSX", "el archivo contiene datos binarios, no texto ni un libro: exporte el listado como CSV o XLSX")));
    }
    let delimiter = sniff(&text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line each row starts on, as a text editor or a spreadsheet numbers it: blank lines are
    // skipped but still counted. The reader says where a record begins, blank lines before it
    // included; the lines are counted from there, once through the text.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    for (i, record) in reader.records().enumerate() {
        // The csv reader fails only on text that is not UTF-8, and decoding made it UTF-8.
        let record = record.map_err(|e| not_a_roster(format!("row {} cannot be read: {e}", i + 1), format!("no se puede leer la fila {}: {e}", i + 1)))?;
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).clamp(counted_to, bytes.len());
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        line += line_breaks(&bytes[counted_to..start]);
        counted_to = start;
        let number = line;
        check_rows(i + 1)?;
        check_columns(number, record.len())?;
        let mut cells = Vec::with_capacity(record.len());
        for (c, cell) in record.iter().enumerate() {
            let breaks = cell.matches('\n').count();
            if breaks > MAX_CELL_BREAKS {
                return Err(not_a_roster(
                    format!("row {number}, column {} opens a quoted value that runs over {} lines: a closing quote mark is probably missing", c + 1, breaks + 1),
                    format!("la fila {number}, columna {} abre un valor entre comillas que ocupa {} líneas: probablemente falta una comilla de cierre", c + 1, breaks + 1),
                ));
            }
            check_cell(number, c + 1, cell)?;
            cells.push(cell.trim().to_string());
        }
        rows.push(Row { number, cells });
    }
    Ok(Sheet { kind, delimiter: Some(char::from(delimiter)), rows })
}

/// How many lines end in `bytes`: at each LF, and at each CR not followed by an LF (old
/// Macintosh files end lines with CR alone).
fn line_breaks(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// Unpacks every part of a workbook once, counting what comes out, so a workbook that would
/// unpack past the limit is refused before calamine reads it (the sizes a zip declares are not
/// to be trusted).
fn check_unpacked(bytes: &[u8], unreadable: impl Fn(&dyn std::fmt::Display) -> Error) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| unreadable(&e))?;
        total += std::io::copy(&mut std::io::Read::take(part, MAX_UNPACKED_BYTES + 1 - total), &mut std::io::sink()).map_err(|e| unreadable(&e))?;
        if total > MAX_UNPACKED_BYTES {
            return Err(not_a_roster(
                format!("the workbook unpacks to more than {} MB, more than a roster would", MAX_UNPACKED_BYTES / (1024 * 1024)),
                format!("el libro se descomprime en más de {} MB, más de lo que ocuparía un listado", MAX_UNPACKED_BYTES / (1024 * 1024)),
            ));
        }
    }
    Ok(())
}

/// The text of a workbook cell: dates the workbook stores as dates as ISO dates, so they are
/// never ambiguous, and whole numbers without a decimal point.
fn cell_text(cell: calamine::Data) -> String {
    use calamine::{Data, DataType};
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => cell.as_date().map(|d| d.to_string()).unwrap_or_default(),
        Data::DurationIso(s) => s,
    }
}

/// The first sheet of an XLSX workbook, read cell by cell: a sheet that names a far corner
/// (XFD1048576) is refused at that cell instead of becoming a grid of billions of empty cells.
fn workbook(bytes: &[u8]) -> Result<Sheet> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        not_a_roster(format!("the workbook cannot be read ({e}): save it again as XLSX or CSV"), format!("no se puede leer el libro ({e}): guárdelo de nuevo como XLSX o CSV"))
    };
    check_unpacked(bytes, unreadable)?;
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let first = book.sheet_names().first().cloned().ok_or_else(|| Error::field("file", said!("the workbook has no sheets", "el libro no tiene hojas")))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| unreadable(&e))?;
    let mut rows: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.get_position();
        let (number, column) = (row as usize + 1, column as usize + 1);
        check_rows(number)?;
        check_columns(number, column)?;
        let value = cell_text(calamine::Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        check_cell(number, column, &value)?;
        let cells = rows.entry(number).or_default();
        if cells.len() < column {
            cells.resize(column, String::new());
        }
        cells[column - 1] = value;
    }
    Ok(Sheet { kind: FileKind::Xlsx, delimiter: None, rows: rows.into_iter().map(|(number, cells)| Row { number, cells }).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn cells(sheet: &Sheet) -> Vec<Vec<&str>> {
        sheet.rows.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect()
    }

    /// A minimal XLSX workbook: one sheet whose cells are inline strings, numbers, or dates
    /// (a serial number with the built-in date format), so calamine reads it as Excel writes it.
    pub(crate) fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        let mut sheet = String::new();
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, value) in row.iter().enumerate() {
                let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
                if let Some(serial) = value.strip_prefix("date:") {
                    sheet.push_str(&format!(r#"<c r="{at}" s="1"><v>{serial}</v></c>"#));
                } else if value.parse::<f64>().is_ok() {
                    sheet.push_str(&format!(r#"<c r="{at}"><v>{value}</v></c>"#));
                } else {
                    sheet.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#));
                }
            }
            sheet.push_str("</row>");
        }
        workbook_of(&sheet)
    }

    /// A workbook whose one sheet's data is `sheet_data` (rows of cells, as XML).
    fn workbook_of(sheet_data: &str) -> Vec<u8> {
        let sheet = format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#);
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_string()),
            ("xl/styles.xml", r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#.to_string()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(body.as_bytes()).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn utf8_with_or_without_a_mark_and_crlf_line_ends_read_alike() {
        let plain = read(b"Booking,Name\r\n101,\"GARCIA, Jose\"\r\n").unwrap();
        let marked = read(b"\xEF\xBB\xBFBooking,Name\r\n101,\"GARCIA, Jose\"\r\n").unwrap();
        assert_eq!(cells(&plain), [vec!["Booking", "Name"], vec!["101", "GARCIA, Jose"]]);
        assert_eq!(cells(&plain), cells(&marked));
        assert_eq!((plain.kind, marked.kind), (FileKind::Utf8, FileKind::Utf8Bom));
    }

    #[test]
    fn windows_1252_accents_are_read_as_the_letters_they_are() {
        // "PEÑA, José" as a Windows program saves it: Ñ is 0xD1, é is 0xE9.
        let sheet = read(b"Booking;Name\n7;\"PE\xD1A, Jos\xE9\"\n").unwrap();
        assert_eq!(sheet.kind, FileKind::Windows1252);
        assert_eq!(sheet.delimiter, Some(';'));
        assert_eq!(sheet.rows[1].cells[1], "PEÑA, José");
    }

    #[test]
    fn utf16_as_spreadsheets_save_unicode_text_is_read_with_its_tabs() {
        let text = "Booking\tName\n8\tNGUYỄN, Thị\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let sheet = read(&bytes).unwrap();
        assert_eq!((sheet.kind, sheet.delimiter), (FileKind::Utf16, Some('\t')));
        assert_eq!(sheet.rows[1].cells, ["8", "NGUYỄN, Thị"]);
    }

    #[test]
    fn quoted_fields_keep_their_delimiters_and_line_breaks_and_rows_keep_their_line_numbers() {
        let sheet = read(b"Booking|Name|Charge\n\n1|\"SMITH, Al\"|\"THEFT | 2ND\nDEGREE\"\n2|\"DOE, Jo\"|DUI\n").unwrap();
        assert_eq!(sheet.delimiter, Some('|'));
        assert_eq!(sheet.rows[1].cells[2], "THEFT | 2ND\nDEGREE");
        assert_eq!(sheet.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 3, 5], "the blank line counts, and the quoted break");
        let old_mac = read(b"Booking,Name\r\r1,\"A, B\"\r2,\"C, D\"\r").unwrap();
        assert_eq!(old_mac.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 3, 4], "carriage returns alone end lines too");
    }

    #[test]
    fn title_lines_do_not_fool_the_delimiter() {
        let sheet = read(b"RIVERSIDE COUNTY JAIL\nIn-custody roster; run 12/01/2026\nBooking,Name,DOB\n1,\"A, B\",1/2/1990\n2,\"C, D\",3/4/1991\n").unwrap();
        assert_eq!(sheet.delimiter, Some(','));
    }

    #[test]
    fn an_xlsx_first_sheet_reads_dates_as_dates_and_whole_numbers_without_a_point() {
        let book = xlsx(&[&["Booking", "Name", "DOB"], &["2026001", "GARCÍA, Ana", "date:31091"]]);
        let sheet = read(&book).unwrap();
        assert_eq!(sheet.kind, FileKind::Xlsx);
        assert_eq!(cells(&sheet)[1], ["2026001", "GARCÍA, Ana", "1985-02-13"]);
    }

    #[test]
    fn a_workbook_naming_a_far_corner_or_unpacking_past_the_limit_is_refused_not_allocated() {
        let corner = workbook_of(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Booking</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#);
        assert_eq!(read(&corner).unwrap_err().fields()[0].message, format!("the file has more than {MAX_ROWS} rows; a roster is read up to that many"));
        let wide = workbook_of(r#"<row r="1"><c r="XFD1"><v>1</v></c></row>"#);
        assert_eq!(read(&wide).unwrap_err().fields()[0].message, format!("row 1 has 16384 columns; a roster is read up to {MAX_COLUMNS}"));
        // Zeros compress about a thousandfold: a file of a few hundred kilobytes.
        let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
        bomb.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..(MAX_UNPACKED_BYTES / (1024 * 1024) + 1) {
            bomb.write_all(&zeros).unwrap();
        }
        let bomb = bomb.finish().unwrap().into_inner();
        assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
        assert_eq!(read(&bomb).unwrap_err().fields()[0].message, "the workbook unpacks to more than 256 MB, more than a roster would");
    }

    #[test]
    fn an_unclosed_quote_is_named_by_the_row_that_opened_it() {
        let file = "Booking,Name\n1,\"SMITH, Al\n2,DOE\n3,ROE\n4,POE\n5,LEE\n6,KAY\n";
        let refused = read(file.as_bytes()).unwrap_err();
        assert!(refused.fields()[0].message.starts_with("row 2, column 2 opens a quoted value that runs over"), "{refused}");
    }

    #[test]
    fn what_is_not_a_roster_is_refused_with_a_reason() {
        let reason = |bytes: &[u8]| read(bytes).unwrap_err().fields()[0].message.clone();
        assert_eq!(reason(b""), "the file is empty");
        assert_eq!(reason(b" \n\r\n"), "the file is empty");
        assert_eq!(reason(b",,,\n,,\n"), "the file has no rows with anything in them");
        assert!(reason(&vec![b'x'; 5_000]).starts_with("row 1, column 1 holds 5000 characters"));
        assert!(reason(b"PK\x03\x04 not really a zip").starts_with("the workbook cannot be read"));
        assert!(reason(b"GIF89a\0\0\x01").starts_with("the file holds binary data"));
        assert!(reason(&vec![b'a'; MAX_BYTES + 1]).starts_with("the file holds 48 MB"));
        let wide = format!("{}\n", vec!["x"; MAX_COLUMNS + 1].join(","));
        assert!(reason(wide.as_bytes()).starts_with("row 1 has 121 columns"));
    }
}
