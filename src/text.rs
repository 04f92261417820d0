//! Text normalisation shared by validation, sorting, duplicate checks and search.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters that change what text looks like without being seen: control characters (a
/// terminal escape begins with one), the bidirectional overrides and isolates that can make a
/// name or a file name read backwards on screen, and the invisible spaces and line separators
/// that make two names look alike or a printed line look like two.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// One line of text as a person meant it: trimmed, inner runs of white space made one space,
/// hidden characters dropped.
pub fn clean_line(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !is_hidden(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Multi-line text (notes): trimmed, line breaks kept, other hidden characters dropped.
pub fn clean_block(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !is_hidden(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Text as it may reach a terminal: line breaks and tabs kept, every other hidden character
/// dropped, so a value stored before these rules (or a file's name) cannot steer the terminal.
pub fn printable(s: &str) -> String {
    s.chars().filter(|c| matches!(c, '\n' | '\t') || !is_hidden(*c)).collect()
}

/// A cell for a CSV file that a spreadsheet will open: one that begins like a formula (`=`, `+`,
/// `-`, `@`, or a tab or carriage return before one) is prefixed with an apostrophe, so it is
/// shown as text and never run.
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Lower case without accents, for comparing and sorting names: "José" and "jose" fold alike.
pub fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// A name as part of a file name: folded to plain lowercase letters and digits, anything else a
/// single hyphen, at most 60 characters: "GARCÍA LÓPEZ, José" is `garcia-lopez-jose`.
pub fn file_word(s: &str) -> String {
    let folded = fold(s);
    let word = folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-");
    word.chars().take(60).collect::<String>().trim_end_matches('-').to_string()
}

/// The key a roster sorts names by: folded, with the comma after a family name sorting before
/// any letter or space, so "ALLEN, Ann" comes before "ALLEN ÁLVAREZ, Ben".
pub fn sort_key(name: &str) -> String {
    fold(name).replace(',', "\t")
}

/// The words of a name or number once folded: letters and digits, split on anything else.
pub fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of a name that hold punctuation, with it taken out: "O'Brien Smith-Jones" gives
/// "OBrien SmithJones". Indexed beside the name so "obrien" finds "O'Brien".
pub fn compact_words(s: &str) -> String {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| !c.is_alphanumeric() && c != ','))
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Turns what someone typed into an FTS5 query: every word must match as a prefix. Returns
/// `None` when nothing searchable was typed. Words are quoted, so FTS5 syntax in the input
/// (quotes, `OR`, `NEAR`, `*`) is searched for as text, never interpreted.
pub fn prefix_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = words(typed).into_iter().take(8).map(|w| format!("\"{w}\"*")).collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_a_file_name_is_plain_letters_and_hyphens() {
        assert_eq!(file_word("GARCÍA LÓPEZ, José"), "garcia-lopez-jose");
        assert_eq!(file_word("NÚÑEZ  PEÑA, María-José"), "nunez-pena-maria-jose");
        assert_eq!(file_word("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_word("名前"), "");
        assert_eq!(file_word(&"A".repeat(80)).len(), 60);
    }

    #[test]
    fn clean_line_collapses_space_and_drops_controls() {
        assert_eq!(clean_line("  Ana \t María\u{7}  "), "Ana María");
        assert_eq!(clean_line("\n\r "), "");
    }

    #[test]
    fn hidden_characters_never_survive_cleaning_or_printing() {
        assert_eq!(clean_line("Site\u{1b}[31m Name\u{202e}txt.exe"), "Site[31m Nametxt.exe");
        assert_eq!(clean_block("a\u{2066}b\nc"), "ab\nc");
        assert_eq!(clean_line("Second\u{200b} Site\u{2028}"), "Second Site");
        assert_eq!(printable("ok\tline\n\u{1b}]0;title\u{7}"), "ok\tline\n]0;title");
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralised() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\t=1"] {
            assert!(csv_cell(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_cell("GARCÍA, José"), "GARCÍA, José");
    }

    #[test]
    fn clean_block_keeps_line_breaks() {
        assert_eq!(clean_block("  one\r\ntwo\u{0}\n"), "one\ntwo");
    }

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("José ÁVILA-Núñez"), "jose avila-nunez");
        assert_eq!(fold("O'Brien"), "o'brien");
    }

    #[test]
    fn sort_key_puts_a_lone_family_name_first() {
        assert!(sort_key("ALLEN, Zed") < sort_key("ALLEN ÁLVAREZ, Ann"));
        assert!(sort_key("ávila, Bea") > sort_key("AVILA, Ann"));
    }

    #[test]
    fn compact_words_joins_punctuated_words() {
        assert_eq!(compact_words("O'BRIEN SMITH-JONES, Seán"), "OBRIEN SMITHJONES");
        assert_eq!(compact_words("GARCÍA, José"), "");
    }

    #[test]
    fn prefix_query_quotes_every_word() {
        assert_eq!(prefix_query("jos gar").as_deref(), Some("\"jos\"* \"gar\"*"));
        assert_eq!(prefix_query("B-1234").as_deref(), Some("\"b\"* \"1234\"*"));
        assert_eq!(prefix_query("\"OR\" NEAR(*)").as_deref(), Some("\"or\"* \"near\"*"));
        assert_eq!(prefix_query(" -*- "), None);
    }
}
