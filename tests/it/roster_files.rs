//! The roster reader, as a property: any table of cells a spreadsheet or a jail's system could
//! write (commas, quotes, line breaks and accents inside cells), saved with any of the usual
//! delimiters, line endings and encodings, reads back as the same cells.

use bridger::roster::{read, FileKind};
use proptest::prelude::*;

/// A cell: letters with accents, digits, and the characters that need quoting, with at most two
/// line breaks (more reads as a quote never closed).
fn cell() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9ÁÉÍÑÓÚáéíñóúü ,;|\"'\\-/\\n]{0,12}").unwrap().prop_map(|s| {
        let mut breaks = 0;
        s.chars().filter(|c| *c != '\n' || { breaks += 1; breaks <= 2 }).collect::<String>().trim().to_string()
    })
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (2usize..6).prop_flat_map(|width| proptest::collection::vec(proptest::collection::vec(cell(), width), 1..20)).prop_map(|mut rows| {
        // A header that names itself, so every row below has something in it.
        let width = rows[0].len();
        rows.insert(0, (0..width).map(|c| format!("Column {c}")).collect());
        rows
    })
}

fn write(rows: &[Vec<String>], delimiter: u8, crlf: bool) -> String {
    let terminator = if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).terminator(terminator).from_writer(Vec::new());
    for row in rows {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_table_reads_back_as_its_cells(rows in table(), delimiter in prop::sample::select(vec![b',', b';', b'\t', b'|']), crlf: bool, encoding in 0u8..4) {
        let text = write(&rows, delimiter, crlf);
        let (bytes, kind) = match encoding {
            0 => (text.clone().into_bytes(), FileKind::Utf8),
            1 => ([&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(), FileKind::Utf8Bom),
            2 => ([&[0xFF, 0xFE][..], &text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()].concat(), FileKind::Utf16),
            _ => (encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(), FileKind::Windows1252),
        };
        let sheet = read(&bytes).unwrap();
        let expected: Vec<&Vec<String>> = rows.iter().filter(|r| r.iter().any(|c| !c.is_empty())).collect();
        let got: Vec<&Vec<String>> = sheet.rows.iter().map(|r| &r.cells).collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(sheet.delimiter, Some(char::from(delimiter)));
        // Plain ASCII text is UTF-8 and Windows-1252 alike; it is read as UTF-8.
        let ascii = text.is_ascii();
        prop_assert!(sheet.kind == kind || (ascii && kind == FileKind::Windows1252 && sheet.kind == FileKind::Utf8), "{:?}", sheet.kind);
    }
}
