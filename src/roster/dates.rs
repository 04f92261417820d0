//! Dates as a jail's system writes them, read one column at a time: ISO (1985-02-03), month
//! first (2/3/1985, 02/03/85) or day first (3/2/1985), with two-digit years turned into four by a
//! century rule that is shown to the person. A column whose dates read both ways is asked
//! about, never guessed; words where a date belongs (TBD, LIFE, PENDING COURT) mean "no date".

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a column writes its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// 1985-02-03 (and 1985/02/03).
    Iso,
    /// 2/3/1985 or 02/03/85: month, day, year.
    MonthFirst,
    /// 3/2/1985 or 03/02/85: day, month, year.
    DayFirst,
}

impl DateFormat {
    pub const ALL: [DateFormat; 3] = [DateFormat::Iso, DateFormat::MonthFirst, DateFormat::DayFirst];

    /// The word a mapping saves.
    pub const fn as_str(self) -> &'static str {
        match self {
            DateFormat::Iso => "iso",
            DateFormat::MonthFirst => "month_first",
            DateFormat::DayFirst => "day_first",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DateFormat::Iso => "year-month-day (1985-02-03)",
            DateFormat::MonthFirst => "month/day/year (2/3/1985)",
            DateFormat::DayFirst => "day/month/year (3/2/1985)",
        }
    }
}

/// How two-digit years become four: years up to `pivot` are 20xx, the rest 19xx. With the
/// pivot at this year's two digits, "85" is 1985 and "24" is 2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Century {
    pub pivot: u32,
}

impl Century {
    pub fn for_today(today: NaiveDate) -> Self {
        Century { pivot: (today.year() % 100) as u32 }
    }

    pub fn year(self, two_digits: u32) -> i32 {
        if two_digits <= self.pivot { 2000 + two_digits as i32 } else { 1900 + two_digits as i32 }
    }

    /// The rule for dates still to come (a projected release): fifty years further on, so in
    /// 2026 "27" is 2027, not 1927.
    pub fn ahead(self) -> Self {
        Century { pivot: (self.pivot + 50).min(99) }
    }

    /// The rule in words, as the mapping screen shows it.
    pub fn describe(self) -> String {
        let (p, a) = (self.pivot, self.ahead().pivot);
        let rest = |p: u32| if p >= 99 { String::new() } else { format!(", {:02} to 99 are 19{:02} to 1999", p + 1, p + 1) };
        format!("two-digit years 00 to {p:02} are 2000 to 20{p:02}{}; in release dates, 00 to {a:02} are 2000 to 20{a:02}{}", rest(p), rest(a))
    }
}

/// What a cell where a date belongs holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateCell {
    Empty,
    Date(NaiveDate),
    /// Words instead of a date (TBD, LIFE, PENDING COURT): no date, and the words kept.
    Words(String),
    /// Shaped like a date but not one (2/30/1985), or neither date nor words.
    Impossible(String),
}

/// The numbers of a date-shaped cell, in the order written, and whether the first is a
/// four-digit year. None for anything else.
fn parts(cell: &str) -> Option<([u32; 3], [usize; 3])> {
    // A time after the date ("2/3/1985 0:00") is dropped.
    let date = cell.split_whitespace().next()?;
    let mut numbers = [0u32; 3];
    let mut widths = [0usize; 3];
    let mut n = 0;
    for piece in date.split(['/', '-', '.']) {
        if n == 3 || piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers[n] = piece.parse().ok()?;
        widths[n] = piece.len();
        n += 1;
    }
    (n == 3).then_some((numbers, widths))
}

/// Reads one cell in `format`, turning two-digit years by `century`.
pub fn read_date(cell: &str, format: DateFormat, century: Century) -> DateCell {
    let cell = cell.trim();
    if cell.is_empty() {
        return DateCell::Empty;
    }
    let Some((n, w)) = parts(cell) else {
        return if cell.chars().any(char::is_alphabetic) && !cell.chars().any(|c| c.is_ascii_digit()) { DateCell::Words(cell.to_string()) } else { DateCell::Impossible(cell.to_string()) };
    };
    let year = |value: u32, width: usize| match width {
        4 => Some(value as i32),
        2 | 1 => Some(century.year(value)),
        _ => None,
    };
    let ymd = match format {
        DateFormat::Iso if w[0] == 4 => Some((n[0] as i32, n[1], n[2])),
        DateFormat::MonthFirst if w[2] != 3 && w[0] <= 2 => year(n[2], w[2]).map(|y| (y, n[0], n[1])),
        DateFormat::DayFirst if w[2] != 3 && w[0] <= 2 => year(n[2], w[2]).map(|y| (y, n[1], n[0])),
        _ => None,
    };
    match ymd.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)) {
        Some(date) => DateCell::Date(date),
        None => DateCell::Impossible(cell.to_string()),
    }
}

/// What a column's dates say about their format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detected {
    /// One format reads the column.
    Format { format: DateFormat, two_digit_years: bool },
    /// Both month-first and day-first read every date: the person must say which.
    Ambiguous { two_digit_years: bool },
    /// No format reads half of it: not a date column, or one too damaged to read.
    Unreadable,
    /// No date-shaped values at all.
    NoDates,
}

/// Detects the format of a column from its cells: the format that reads the most date-shaped
/// cells, if it reads at least half of them (the others are impossible dates, refused row by
/// row); when month-first and day-first each read nine in ten of what the better one reads, the
/// column is ambiguous.
pub fn detect(cells: &[&str], century: Century) -> Detected {
    let shaped: Vec<&str> = cells.iter().copied().filter(|c| parts(c.trim()).is_some()).collect();
    if shaped.is_empty() {
        return Detected::NoDates;
    }
    let two_digit_years = shaped.iter().any(|c| parts(c.trim()).is_some_and(|(_, w)| w[0] <= 2 && w[2] <= 2));
    let read = |f: DateFormat| shaped.iter().filter(|c| matches!(read_date(c, f, century), DateCell::Date(_))).count();
    let [iso, month, day] = DateFormat::ALL.map(read);
    let best = iso.max(month).max(day);
    if best * 2 < shaped.len() || best == 0 {
        Detected::Unreadable
    } else if iso == best {
        Detected::Format { format: DateFormat::Iso, two_digit_years: false }
    } else if month.min(day) * 10 >= best * 9 {
        // Nearly every date reads both ways: a stray cell or two must not decide the order.
        Detected::Ambiguous { two_digit_years }
    } else {
        Detected::Format { format: if month > day { DateFormat::MonthFirst } else { DateFormat::DayFirst }, two_digit_years }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    const C: Century = Century { pivot: 26 };

    #[test]
    fn each_format_reads_its_dates_and_refuses_impossible_ones() {
        assert_eq!(read_date("2/3/1985", DateFormat::MonthFirst, C), DateCell::Date(d("1985-02-03")));
        assert_eq!(read_date("02/03/85", DateFormat::MonthFirst, C), DateCell::Date(d("1985-02-03")));
        assert_eq!(read_date("3/2/1985", DateFormat::DayFirst, C), DateCell::Date(d("1985-02-03")));
        assert_eq!(read_date("1985-02-03", DateFormat::Iso, C), DateCell::Date(d("1985-02-03")));
        assert_eq!(read_date("12/1/2026 0:00", DateFormat::MonthFirst, C), DateCell::Date(d("2026-12-01")));
        assert_eq!(read_date("1/5/24", DateFormat::MonthFirst, C), DateCell::Date(d("2024-01-05")), "24 is within the pivot");
        assert_eq!(read_date("2/30/1985", DateFormat::MonthFirst, C), DateCell::Impossible("2/30/1985".into()));
        assert_eq!(read_date("1985-02-03", DateFormat::MonthFirst, C), DateCell::Impossible("1985-02-03".into()));
        assert_eq!(read_date("  ", DateFormat::Iso, C), DateCell::Empty);
        assert_eq!(read_date("PENDING COURT", DateFormat::MonthFirst, C), DateCell::Words("PENDING COURT".into()));
        assert_eq!(read_date("12/xx/2026", DateFormat::MonthFirst, C), DateCell::Impossible("12/xx/2026".into()));
    }

    #[test]
    fn a_column_is_detected_from_its_cells_and_asked_about_when_both_orders_read_it() {
        assert_eq!(detect(&["2/13/1985", "11/3/1990", "TBD", ""], C), Detected::Format { format: DateFormat::MonthFirst, two_digit_years: false });
        assert_eq!(detect(&["13/2/1985", "3/11/1990"], C), Detected::Format { format: DateFormat::DayFirst, two_digit_years: false });
        assert_eq!(detect(&["2/3/85", "11/10/90"], C), Detected::Ambiguous { two_digit_years: true });
        assert_eq!(detect(&["1985-02-13", "1990-11-03"], C), Detected::Format { format: DateFormat::Iso, two_digit_years: false });
        assert_eq!(detect(&["LIFE", "TBD"], C), Detected::NoDates);
        assert_eq!(detect(&["2/30/1985", "2/31/1985", "13/13/1985"], C), Detected::Unreadable);
        // A stray cell that reads one way only does not decide a column that reads both ways.
        let mut both = vec!["2/3/1985"; 30];
        both.push("2/13/1985");
        assert_eq!(detect(&both, C), Detected::Ambiguous { two_digit_years: false });
        // One impossible date among many does not change the column's format.
        let mut many = vec!["2/13/1985"; 20];
        many.push("2/30/1985");
        assert_eq!(detect(&many, C), Detected::Format { format: DateFormat::MonthFirst, two_digit_years: false });
    }

    #[test]
    fn the_century_rule_is_said_in_words() {
        assert_eq!(C.describe(), "two-digit years 00 to 26 are 2000 to 2026, 27 to 99 are 1927 to 1999; in release dates, 00 to 76 are 2000 to 2076, 77 to 99 are 1977 to 1999");
        assert_eq!(read_date("3/15/27", DateFormat::MonthFirst, C.ahead()), DateCell::Date(d("2027-03-15")));
        assert_eq!(Century::for_today(d("2026-12-03")), C);
    }
}
