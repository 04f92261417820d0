//! The program report out of the app: as a document for a PDF (the program's name, the period,
//! when and by whom it was made, each section a table) in English or Spanish, and as CSV files,
//! one per section, with a data dictionary beside them. Both carry counts only.

use super::packet::Language;
use super::pdf::{Bar, Block, Document};
use crate::model::{Bilingual, Figure, FigurePeople, ProgramReport, Unit};

fn said(language: Language, b: &Bilingual) -> &str {
    match language {
        Language::English => &b.en,
        Language::Spanish => &b.es,
    }
}

/// A number as the report prints it: whole numbers without decimals.
fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A figure's value in words: "23 people", "76.7% (23 of 30)".
pub fn value_text(report: &ProgramReport, f: &Figure, language: Language) -> String {
    let n = number(f.value);
    let one = f.value == 1.0;
    let (en, es) = match f.unit {
        Unit::Percent => {
            let whole = f.of.as_deref().and_then(|k| report.figure(k)).and_then(|w| w.people).unwrap_or(0);
            let part = f.people.unwrap_or(0);
            return match language {
                Language::English => format!("{n}% ({part} of {whole})"),
                Language::Spanish => format!("{n} % ({part} de {whole})"),
            };
        }
        Unit::People if one => ("person", "persona"),
        Unit::People => ("people", "personas"),
        Unit::Contacts if one => ("contact", "contacto"),
        Unit::Contacts => ("contacts", "contactos"),
        Unit::Minutes if one => ("minute", "minuto"),
        Unit::Minutes => ("minutes", "minutos"),
        Unit::BillingUnits if one => ("unit", "unidad"),
        Unit::BillingUnits => ("units", "unidades"),
        Unit::Sessions if one => ("session", "sesión"),
        Unit::Sessions => ("sessions", "sesiones"),
        Unit::Hours if one => ("hour", "hora"),
        Unit::Hours => ("hours", "horas"),
        Unit::CheckIns if one => ("check-in", "evaluación"),
        Unit::CheckIns => ("check-ins", "evaluaciones"),
        Unit::Points if one => ("point", "punto"),
        Unit::Points => ("points", "puntos"),
    };
    format!("{n} {}", language.pick(en, es))
}

/// The report as a document: who made it and when are part of what it says.
pub fn program_document(report: &ProgramReport, program: &str, made_by: &str, made_at: &str, language: Language) -> Document {
    let l = language;
    let place = report.facility.clone().unwrap_or_else(|| l.pick("All facilities in scope", "Todos los centros a su alcance").to_string());
    let mut blocks = vec![
        Block::Title(l.pick("Program report", "Informe del programa").into()),
        Block::Strong(program.to_string()),
        Block::Text(format!("{} {} {} · {place}", l.long_date(report.from), l.pick("to", "al"), l.long_date(report.to))),
        Block::Text(format!("{} {made_at} {} {made_by}", l.pick("Made", "Hecho el"), l.pick("by", "por"))),
    ];
    for section in &report.sections {
        blocks.push(Block::Heading(said(l, &section.title).to_string()));
        blocks.extend(section.figures.iter().map(|f| Block::Row(said(l, &f.label).to_string(), value_text(report, f, l))));
        for chart in &section.charts {
            let bars = chart
                .figures
                .iter()
                .filter_map(|key| report.figure(key))
                .map(|f| Bar { label: said(l, &f.label).to_string(), value: f.value, text: value_text(report, f, l) })
                .collect();
            blocks.push(Block::Bars { title: said(l, &chart.title).to_string(), bars });
        }
    }
    blocks.push(Block::Gap);
    blocks.push(Block::Text(l.pick("Counts only: this report names no one.", "Solo cifras: este informe no nombra a nadie.").into()));
    Document {
        title: format!("{} {} – {}", l.pick("Program report", "Informe del programa"), report.from, report.to),
        footer: format!("{program} · {} – {}", report.from, report.to),
        page_words: (l.pick("Page", "Página").into(), l.pick("of", "de").into()),
        blocks,
    }
}

/// The columns of every section's file, as the data dictionary describes them.
const COLUMNS: [(&str, &str); 9] = [
    ("period_from", "First day of the period, YYYY-MM-DD (the facility's local date)."),
    ("period_to", "Last day of the period, YYYY-MM-DD, included."),
    ("facility", "The facility counted, or empty for every facility the account covers."),
    ("section", "The section's stable key."),
    ("figure", "The figure's stable key: the same in every report, whatever the language."),
    ("label", "What the figure counts, in English."),
    ("unit", "What the value counts: people, contacts, minutes, billing_units, sessions, hours, check_ins, points or percent."),
    ("value", "The figure. A percent is 0 to 100, to one decimal."),
    ("people", "How many people the figure stands on; empty for one about no one in particular. For a percent, its numerator."),
];

/// The share_of column, for a percent: the figure whose people are the denominator.
const SHARE_OF: (&str, &str) = ("share_of", "For a percent, the key of the figure it is a share of; empty otherwise.");

fn csv_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory does not fail; a row of the wrong length would be a bug here.
        w.write_record(row).expect("a row written to memory");
    }
    w.into_inner().expect("csv flushed to memory")
}

/// The report as CSV files: one per section (`enrolment.csv`, ...) and `data-dictionary.csv`,
/// which names every column and every figure of this version.
pub fn program_csv(report: &ProgramReport) -> Vec<(String, Vec<u8>)> {
    let header: Vec<String> = COLUMNS.iter().map(|(c, _)| c.to_string()).chain([SHARE_OF.0.to_string()]).collect();
    let facility = report.facility.clone().unwrap_or_default();
    let mut files = Vec::new();
    let mut dictionary = vec![vec!["kind".to_string(), "name".to_string(), "meaning".to_string()]];
    dictionary.extend(COLUMNS.iter().chain([&SHARE_OF]).map(|(c, m)| vec!["column".into(), c.to_string(), m.to_string()]));
    for section in &report.sections {
        let mut rows = vec![header.clone()];
        for f in &section.figures {
            rows.push(vec![
                report.from.to_string(),
                report.to.to_string(),
                facility.clone(),
                section.key.clone(),
                f.key.clone(),
                f.label.en.clone(),
                serde_json::to_value(f.unit).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
                number(f.value),
                f.people.map(|p| p.to_string()).unwrap_or_default(),
                f.of.clone().unwrap_or_default(),
            ]);
            dictionary.push(vec!["figure".into(), f.key.clone(), format!("{}: {}", section.title.en, f.label.en)]);
        }
        files.push((format!("{}.csv", section.key), csv_bytes(&rows)));
    }
    files.push(("data-dictionary.csv".into(), csv_bytes(&dictionary)));
    files
}

/// The people behind one figure as CSV, a row per person: the period, the figure's key, and who.
pub fn people_csv(from: chrono::NaiveDate, to: chrono::NaiveDate, listed: &FigurePeople) -> Vec<u8> {
    let header = ["period_from", "period_to", "figure", "participant_id", "legal_name", "facility_number", "facility"].map(String::from).to_vec();
    let rows = std::iter::once(header).chain(listed.people.iter().map(|p| {
        vec![from.to_string(), to.to_string(), listed.figure.key.clone(), p.id.to_string(), p.legal_name.clone(), p.facility_number.clone(), p.facility.clone()]
    }));
    csv_bytes(&rows.collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Chart, ReportSection};

    fn figure(key: &str, unit: Unit, value: f64, people: Option<u32>, of: Option<&str>) -> Figure {
        Figure { key: key.into(), label: Bilingual { en: format!("{key} en"), es: format!("{key} es") }, unit, value, people, of: of.map(String::from) }
    }

    fn report() -> ProgramReport {
        let figures = vec![
            figure("enrolment.exits", Unit::People, 30.0, Some(30), None),
            figure("enrolment.completion_rate", Unit::Percent, 76.7, Some(23), Some("enrolment.exits")),
            figure("groups.cancelled", Unit::Sessions, 1.0, None, None),
            figure("check_ins.mean_change", Unit::Points, 6.1, Some(88), None),
        ];
        let charts = vec![Chart { key: "enrolment.exit".into(), title: Bilingual { en: "Exits".into(), es: "Salidas".into() }, figures: vec!["enrolment.exits".into(), "groups.cancelled".into()] }];
        let section = ReportSection { key: "enrolment".into(), title: Bilingual { en: "Program enrolment".into(), es: "Inscripción".into() }, figures, charts };
        ProgramReport { from: "2026-07-01".parse().unwrap(), to: "2026-09-30".parse().unwrap(), facility: None, sections: vec![section] }
    }

    #[test]
    fn values_read_as_words_in_either_language() {
        let r = report();
        let text = |i: usize, l: Language| value_text(&r, &r.sections[0].figures[i], l);
        assert_eq!(text(0, Language::English), "30 people");
        assert_eq!(text(1, Language::English), "76.7% (23 of 30)");
        assert_eq!(text(1, Language::Spanish), "76.7 % (23 de 30)");
        assert_eq!(text(2, Language::English), "1 session");
        assert_eq!(text(3, Language::Spanish), "6.1 puntos");
    }

    #[test]
    fn each_section_is_a_file_and_the_dictionary_names_every_column_and_figure() {
        let files = program_csv(&report());
        assert_eq!(files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["enrolment.csv", "data-dictionary.csv"]);
        let enrolment = String::from_utf8(files[0].1.clone()).unwrap();
        let lines: Vec<&str> = enrolment.lines().collect();
        assert_eq!(lines[0], "period_from,period_to,facility,section,figure,label,unit,value,people,share_of");
        assert_eq!(lines[2], "2026-07-01,2026-09-30,,enrolment,enrolment.completion_rate,enrolment.completion_rate en,percent,76.7,23,enrolment.exits");
        assert_eq!(lines[3], "2026-07-01,2026-09-30,,enrolment,groups.cancelled,groups.cancelled en,sessions,1,,", "no one behind a cancelled session");
        let dictionary = String::from_utf8(files[1].1.clone()).unwrap();
        for name in lines[0].split(',').chain(["enrolment.exits", "check_ins.mean_change"]) {
            assert!(dictionary.lines().any(|l| l.split(',').nth(1) == Some(name)), "{name} is not in the dictionary");
        }
    }

    #[test]
    fn the_document_says_what_when_and_by_whom_and_names_no_one() {
        let doc = program_document(&report(), "Riverside Peer Office", "Pat Coordinator", "3 December 2026 16:47", Language::English);
        let text = doc.plain_text();
        assert!(text.starts_with("Program report\nRiverside Peer Office\nJuly 1, 2026 to September 30, 2026 · All facilities in scope\n"), "{text}");
        assert!(text.contains("Made 3 December 2026 16:47 by Pat Coordinator"), "{text}");
        assert!(text.contains("enrolment.completion_rate en 76.7% (23 of 30)"), "{text}");
        assert!(text.contains("Counts only"));
        assert!(text.contains("Exits\nenrolment.exits en 30 people\ngroups.cancelled en 1 session"), "the chart's bars, with their values: {text}");
    }
}
