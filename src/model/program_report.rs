//! The program report's shape: sections of figures, each with what it counts, how many people
//! stand behind it (the drill-down lists exactly those), and for a rate the figure it is a share
//! of. The numbers are counted in the store; the rules that need no database are here.

use super::readiness::Bilingual;
use super::ParticipantId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a figure's value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    People,
    Contacts,
    Minutes,
    BillingUnits,
    Sessions,
    Hours,
    CheckIns,
    /// A change in an instrument's total.
    Points,
    /// A share of another figure, 0 to 100.
    Percent,
}

/// One number of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Figure {
    /// Stable across versions: the drill-down, the CSV files and the tests name figures by it.
    pub key: String,
    pub label: Bilingual,
    pub unit: Unit,
    pub value: f64,
    /// How many people the figure stands on; the drill-down lists exactly these. None for a
    /// figure about no one in particular (a cancelled session).
    pub people: Option<u32>,
    /// For a share: the key of the figure it is a share of (its denominator).
    pub of: Option<String>,
}

/// A bar chart of some of a section's figures, drawn alike on screen and in the PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Chart {
    pub key: String,
    pub title: Bilingual,
    /// The keys of the figures it draws, in order.
    pub figures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ReportSection {
    pub key: String,
    pub title: Bilingual,
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
}

/// The program report for a period, at one facility or all in the person's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ProgramReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The facility's name, or none for every facility the person's account covers.
    pub facility: Option<String>,
    pub sections: Vec<ReportSection>,
}

impl ProgramReport {
    /// The figure called `key`, if the report has it.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.sections.iter().flat_map(|s| &s.figures).find(|f| f.key == key)
    }
}

/// How the report leaves the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// Letter pages, for a board or a funder.
    Pdf,
    /// A folder of CSV files, one per section, and a data dictionary.
    Csv,
    /// One JSON file, for scripts.
    Json,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.trim().to_lowercase().as_str() {
            "pdf" => Some(ReportFormat::Pdf),
            "csv" => Some(ReportFormat::Csv),
            "json" => Some(ReportFormat::Json),
            _ => None,
        }
    }
}

/// One of the people behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReportPerson {
    pub id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub facility: String,
}

/// A figure opened to its people, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct FigurePeople {
    pub figure: Figure,
    pub people: Vec<ReportPerson>,
}

/// Months in a program at exit, as grant reports group them.
pub const MONTH_BANDS: [(u32, u32, &str, &str, &str); 4] = [
    (0, 2, "0_2", "Under 3 months", "Menos de 3 meses"),
    (3, 5, "3_5", "3 to 5 months", "De 3 a 5 meses"),
    (6, 11, "6_11", "6 to 11 months", "De 6 a 11 meses"),
    (12, u32::MAX, "12_plus", "12 months or more", "12 meses o más"),
];

/// Group hours per person in the period, for the distribution.
pub const HOUR_BANDS: [(f64, f64, &str, &str, &str); 5] = [
    (0.0, 1.0, "under_1", "Under 1 hour", "Menos de 1 hora"),
    (1.0, 5.0, "1_5", "1 to 5 hours", "De 1 a 5 horas"),
    (5.0, 10.0, "5_10", "5 to 10 hours", "De 5 a 10 horas"),
    (10.0, 20.0, "10_20", "10 to 20 hours", "De 10 a 20 horas"),
    (20.0, f64::INFINITY, "20_plus", "20 hours or more", "20 horas o más"),
];

/// The band key months in a program fall in.
pub fn month_band(months: u32) -> &'static str {
    MONTH_BANDS.iter().find(|(low, high, ..)| (*low..=*high).contains(&months)).map_or("12_plus", |b| b.2)
}

/// The band key hours fall in: from its lower bound, up to but not including its upper.
pub fn hour_band(hours: f64) -> &'static str {
    HOUR_BANDS.iter().find(|(low, high, ..)| hours >= *low && hours < *high).map_or("20_plus", |b| b.2)
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// `part` as a percentage of `whole`, to one decimal; 0 when there is no whole.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_take_their_lower_bound_and_stop_short_of_the_next() {
        assert_eq!([0, 2, 3, 5, 6, 11, 12, 40].map(month_band), ["0_2", "0_2", "3_5", "3_5", "6_11", "6_11", "12_plus", "12_plus"]);
        assert_eq!([0.0, 0.99, 1.0, 4.5, 5.0, 19.9, 20.0, 300.0].map(hour_band), ["under_1", "under_1", "1_5", "1_5", "5_10", "10_20", "20_plus", "20_plus"]);
    }

    #[test]
    fn medians_and_shares() {
        assert_eq!(median(&mut []), 0.0);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!((percent(1, 3), percent(2, 3), percent(0, 0), percent(5, 5)), (33.3, 66.7, 0.0, 100.0));
    }
}
