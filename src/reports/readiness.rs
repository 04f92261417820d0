//! The printable summary of a program readiness assessment: each step's items with their answers
//! (beside an earlier assessment's, when one is given), notes, and the action items, in English
//! or Spanish.

use super::packet::Language;
use super::pdf::{Block, Document};
use crate::model::{readiness_item, readiness_steps, ReadinessAnswer, ReadinessAssessment, ReadinessCounts};
use chrono::NaiveDate;

fn answer(language: Language, a: Option<ReadinessAnswer>) -> &'static str {
    match a {
        Some(ReadinessAnswer::InPlace) => language.pick("In place", "Implantado"),
        Some(ReadinessAnswer::InProgress) => language.pick("In progress", "En curso"),
        Some(ReadinessAnswer::NotYet) => language.pick("Not yet", "Todavía no"),
        Some(ReadinessAnswer::NotApplicable) => language.pick("Not applicable", "No aplica"),
        None => language.pick("Not answered", "Sin responder"),
    }
}

fn counts(language: Language, c: &ReadinessCounts) -> String {
    let l = language;
    format!(
        "{} {}: {} {}, {} {}, {} {}, {} {}, {} {}",
        c.items,
        l.pick("items", "puntos"),
        c.in_place,
        l.pick("in place", "implantados"),
        c.in_progress,
        l.pick("in progress", "en curso"),
        c.not_yet,
        l.pick("not yet", "todavía no"),
        c.not_applicable,
        l.pick("not applicable", "no aplican"),
        c.items - c.answered,
        l.pick("not answered", "sin responder"),
    )
}

fn heading_of(language: Language, a: &ReadinessAssessment) -> String {
    let title = a.listing.title.as_deref().map(|t| format!(" · {t}")).unwrap_or_default();
    format!("{}{title}", language.long_date(a.listing.date))
}

/// The summary of `now`, beside `before` when given, set as a document.
pub fn readiness_summary(now: &ReadinessAssessment, before: Option<&ReadinessAssessment>, site_name: &str, today: NaiveDate, language: Language) -> Document {
    let l = language;
    let mut blocks = vec![
        Block::Title(l.pick("Program readiness", "Preparación del programa").into()),
        Block::Strong(now.facility_name.clone()),
        Block::Text(format!("{}: {}", l.pick("Assessment", "Evaluación"), heading_of(l, now))),
    ];
    blocks.push(Block::Text(counts(l, &now.listing.counts)));
    if let Some(b) = before {
        blocks.push(Block::Text(format!("{}: {}", l.pick("Compared with", "Comparada con"), heading_of(l, b))));
        blocks.push(Block::Text(format!("{}: {}", l.pick("Then", "Entonces"), counts(l, &b.listing.counts))));
    }
    for step in readiness_steps() {
        let (title, about) = match l {
            Language::English => (&step.title.en, &step.about.en),
            Language::Spanish => (&step.title.es, &step.about.es),
        };
        blocks.push(Block::Heading(format!("{} {}. {title}", l.pick("Step", "Paso"), step.step)));
        blocks.push(Block::Text(about.clone()));
        for item in &step.items {
            let text = match l {
                Language::English => &item.en,
                Language::Spanish => &item.es,
            };
            blocks.push(Block::Strong(text.clone()));
            let given = now.answer(&item.id);
            let mut line = answer(l, given.map(|a| a.answer)).to_string();
            if let Some(b) = before {
                let then = b.answer(&item.id).map(|a| a.answer);
                let changed = then != given.map(|a| a.answer);
                let note = if changed { l.pick(", changed", ", cambió") } else { "" };
                line.push_str(&format!(" ({}: {}{note})", l.pick("then", "antes"), answer(l, then)));
            }
            blocks.push(Block::Text(line));
            if let Some(note) = given.and_then(|a| a.note.as_deref()) {
                blocks.push(Block::Text(format!("{}: {note}", l.pick("Note", "Nota"))));
            }
        }
    }
    let mut actions: Vec<_> = now.answers.iter().filter(|a| a.action.is_some() && readiness_item(&a.item).is_some()).collect();
    actions.sort_by_key(|a| (a.due_date.is_none(), a.due_date, a.item.clone()));
    blocks.push(Block::Heading(l.pick("Action items", "Acciones").into()));
    if actions.is_empty() {
        blocks.push(Block::Text(l.pick("No action items are recorded.", "No hay acciones registradas.").into()));
    }
    for a in actions {
        let mut line = a.action.clone().unwrap_or_default();
        if let Some(owner) = &a.owner {
            line.push_str(&format!(" · {owner}"));
        }
        if let Some(due) = a.due_date {
            line.push_str(&format!(" · {} {}", l.pick("by", "para el"), l.long_date(due)));
        }
        blocks.push(Block::Text(line));
    }
    blocks.push(Block::Gap);
    blocks.push(Block::Text(format!("{} {site_name}, {}", l.pick("Prepared by", "Preparado por"), l.long_date(today))));
    Document {
        title: format!("{} — {}", l.pick("Program readiness", "Preparación del programa"), now.facility_name),
        footer: format!("{} · {}", now.facility_name, now.listing.date),
        page_words: (l.pick("Page", "Página").into(), l.pick("of", "de").into()),
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FacilityId, ItemAnswer, ReadinessListing};

    fn assessment(date: &str, answers: Vec<ItemAnswer>) -> ReadinessAssessment {
        ReadinessAssessment {
            listing: ReadinessListing {
                id: date.into(),
                facility_id: FacilityId::from_uuid(uuid::Uuid::from_u128(1)),
                date: date.parse().unwrap(),
                title: Some("Annual review".into()),
                counts: ReadinessCounts::of(&answers),
            },
            facility_name: "Riverside County Jail".into(),
            answers,
        }
    }

    fn answered(item: &str, answer: ReadinessAnswer, action: Option<&str>) -> ItemAnswer {
        ItemAnswer { item: item.into(), answer, note: Some("Seen at the board meeting".into()), action: action.map(Into::into), owner: Some("Rosa".into()), due_date: "2027-03-01".parse().ok() }
    }


    #[test]
    fn the_summary_shows_each_answer_beside_the_earlier_one_and_lists_actions() {
        let before = assessment("2025-12-01", vec![answered("promote.vision", ReadinessAnswer::NotYet, None)]);
        let now = assessment(
            "2026-12-01",
            vec![answered("promote.vision", ReadinessAnswer::InPlace, None), answered("policies.conduct", ReadinessAnswer::InProgress, Some("Adopt the code of conduct"))],
        );
        let english = readiness_summary(&now, Some(&before), "Peer Office", "2026-12-03".parse().unwrap(), Language::English).plain_text();
        for expected in [
            "Program readiness",
            "Assessment: December 1, 2026 · Annual review",
            "Compared with: December 1, 2025 · Annual review",
            "39 items: 1 in place, 1 in progress, 0 not yet, 0 not applicable, 37 not answered",
            "Step 1. Promote a recovery orientation",
            "The program has a written vision and plan, shared with partners.\nIn place (then: Not yet, changed)",
            "Note: Seen at the board meeting",
            "Not answered (then: Not answered)",
            "Adopt the code of conduct · Rosa · by March 1, 2027",
        ] {
            assert!(english.contains(expected), "{expected:?} missing from:\n{english}");
        }
        let spanish = readiness_summary(&now, None, "Oficina", "2026-12-03".parse().unwrap(), Language::Spanish).plain_text();
        for expected in ["Preparación del programa", "Paso 5. Proporcionar supervisión", "Implantado", "Sin responder", "para el 1 de marzo de 2027"] {
            assert!(spanish.contains(expected), "{expected:?} missing from:\n{spanish}");
        }
        assert!(!spanish.contains("then"), "no comparison was asked for");
    }
}
