//! Text normalisation shared by validation, sorting, duplicate checks and search.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One line of text as a person meant it: trimmed, inner runs of white space made one space,
/// control characters dropped.
pub fn clean_line(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Multi-line text (notes): trimmed, line breaks kept, other control characters dropped.
pub fn clean_block(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Lower case without accents, for comparing and sorting names: "José" and "jose" fold alike.
pub fn fold(s: &str) -> String {
    s.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
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
    fn clean_line_collapses_space_and_drops_controls() {
        assert_eq!(clean_line("  Ana \t María\u{7}  "), "Ana María");
        assert_eq!(clean_line("\n\r "), "");
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
