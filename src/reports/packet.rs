//! The release packet: what a person leaving custody takes out the door, in English or
//! Spanish, in large clear type. The wording is Bridger's own.

use super::pdf::{Block, Document};
use crate::error::{Error, Result};
use crate::model::{Area, DefaultItem, ItemStatus, Plan, Resource};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    English,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Spanish];

    /// The packet's language from what the participant's record says they speak.
    pub fn for_person(spoken: &str) -> Language {
        let s = spoken.trim().to_lowercase();
        if s.starts_with("span") || s.starts_with("esp") || s == "es" {
            Language::Spanish
        } else {
            Language::English
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_lowercase().as_str() {
            "english" | "en" => Some(Language::English),
            "spanish" | "es" | "español" => Some(Language::Spanish),
            _ => None,
        }
    }

    /// The language a person chose for the packet, or `None` for the one their record names;
    /// anything else is refused, naming the field.
    pub fn choose(typed: Option<&str>) -> Result<Option<Language>> {
        typed
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Language::parse(t).ok_or_else(|| Error::field("language", said!("the packet is printed in english or spanish", "el paquete se imprime en inglés o en español"))))
            .transpose()
    }

    pub const fn code(self) -> &'static str {
        match self {
            Language::English => "english",
            Language::Spanish => "spanish",
        }
    }

    /// The English or the Spanish of a phrase, as the language asks.
    pub const fn pick(self, en: &'static str, es: &'static str) -> &'static str {
        match self {
            Language::English => en,
            Language::Spanish => es,
        }
    }

    /// A date as a person reads it in the language: "March 4, 2027", "4 de marzo de 2027".
    pub fn long_date(self, d: NaiveDate) -> String {
        const MONTHS: [[&str; 12]; 2] = [
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
            ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
        ];
        match self {
            Language::English => format!("{} {}, {}", MONTHS[0][d.month0() as usize], d.day(), d.year()),
            Language::Spanish => format!("{} de {} de {}", d.day(), MONTHS[1][d.month0() as usize], d.year()),
        }
    }

    /// The language's name as a person choosing it reads it: each in its own language.
    pub const fn label(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Spanish => "Español",
        }
    }
}

/// Every phrase the packet prints, in one language.
struct Words {
    title: &'static str,
    for_name: &'static str,
    release: &'static str,
    page: (&'static str, &'static str),
    appointments: &'static str,
    no_appointments: &'static str,
    report: &'static str,
    report_on: &'static str,
    conditions: &'static str,
    no_report: &'static str,
    peer: &'static str,
    peer_none: &'static str,
    documents: &'static str,
    have: &'static str,
    pending: &'static str,
    medication: &'static str,
    naloxone: &'static str,
    naloxone_text: &'static str,
    help: &'static str,
    help_lines: [&'static str; 4],
    prepared: &'static str,
}

const ENGLISH: Words = Words {
    title: "Your release packet",
    for_name: "Prepared for",
    release: "Release date",
    page: ("Page", "of"),
    appointments: "Your appointments",
    no_appointments: "No appointments are set yet. Call your community peer in your first days out.",
    report: "Reporting to supervision",
    report_on: "First report",
    conditions: "Your conditions",
    no_report: "Ask your reentry worker when and where you first report.",
    peer: "Your community peer",
    peer_none: "Your reentry worker will give you the name of a community peer.",
    documents: "Your documents",
    have: "ready",
    pending: "still in progress",
    medication: "Your medication",
    naloxone: "Naloxone",
    naloxone_text: "Your tolerance is lower after time inside, so the same amount can stop your breathing. \
                    Do not use alone. If someone will not wake up: call 911, give naloxone into the nose, \
                    and stay with them. A second dose can be given after 2 to 3 minutes.",
    help: "Help, any time",
    help_lines: [
        "Emergency: call 911.",
        "Suicide and crisis line: call or text 988.",
        "Treatment referral line (free, confidential, English and Spanish): 1-800-662-4357.",
        "Keep this packet with you. Your plan's contacts are above.",
    ],
    prepared: "Prepared by",
};

const SPANISH: Words = Words {
    title: "Su paquete de salida",
    for_name: "Preparado para",
    release: "Fecha de salida",
    page: ("Página", "de"),
    appointments: "Sus citas",
    no_appointments: "Todavía no hay citas. Llame a su compañero de apoyo en la comunidad en sus primeros días afuera.",
    report: "Presentarse a supervisión",
    report_on: "Primera presentación",
    conditions: "Sus condiciones",
    no_report: "Pregunte a su trabajador de reingreso cuándo y dónde se presenta por primera vez.",
    peer: "Su compañero de apoyo en la comunidad",
    peer_none: "Su trabajador de reingreso le dará el nombre de un compañero de apoyo en la comunidad.",
    documents: "Sus documentos",
    have: "listo",
    pending: "en trámite",
    medication: "Su medicamento",
    naloxone: "Naloxona",
    naloxone_text: "Después de un tiempo adentro su tolerancia es menor, y la misma cantidad puede detener su \
                    respiración. No consuma a solas. Si alguien no despierta: llame al 911, ponga la naloxona en la \
                    nariz y quédese con la persona. Puede dar una segunda dosis después de 2 a 3 minutos.",
    help: "Ayuda, a cualquier hora",
    help_lines: [
        "Emergencias: llame al 911.",
        "Línea de crisis y suicidio: llame o envíe un texto al 988.",
        "Línea de referencia a tratamiento (gratis, confidencial, en inglés y español): 1-800-662-4357.",
        "Lleve este paquete con usted. Los contactos de su plan están arriba.",
    ],
    prepared: "Preparado por",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::English => &ENGLISH,
        Language::Spanish => &SPANISH,
    }
}

fn joined(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().copied().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
}

/// The packet for `plan`, set as a document.
pub fn release_packet(plan: &Plan, resources: &[Resource], site_name: &str, today: NaiveDate, language: Language) -> Document {
    let w = words(language);
    let mut blocks = vec![
        Block::Title(w.title.into()),
        Block::Strong(format!("{}: {}", w.for_name, plan.legal_name)),
    ];
    if let Some(release) = plan.release {
        blocks.push(Block::Text(format!("{}: {}", w.release, language.long_date(release))));
    }

    blocks.push(Block::Heading(w.appointments.into()));
    let upcoming: Vec<_> = plan.appointments.iter().filter(|a| !a.details.confirmed || a.details.date >= today).collect();
    if upcoming.is_empty() {
        blocks.push(Block::Text(w.no_appointments.into()));
    }
    for a in upcoming {
        let d = &a.details;
        let when = match &d.time {
            Some(t) => format!("{}, {t}", language.long_date(d.date)),
            None => language.long_date(d.date),
        };
        blocks.push(Block::Strong(format!("{when} — {}", d.provider)));
        let contact = joined(&[d.address.as_deref(), d.phone.as_deref()]);
        if !contact.is_empty() {
            blocks.push(Block::Text(contact));
        }
    }

    blocks.push(Block::Heading(w.report.into()));
    let details = &plan.details;
    match details.first_report_date {
        Some(date) => {
            let place = details.first_report_place.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
            blocks.push(Block::Strong(format!("{}: {}{place}", w.report_on, language.long_date(date))));
        }
        None => blocks.push(Block::Text(w.no_report.into())),
    }
    if let Some(conditions) = &details.supervision_conditions {
        blocks.push(Block::Text(format!("{}: {conditions}", w.conditions)));
    }

    blocks.push(Block::Heading(w.peer.into()));
    let organization = details.community_peer_resource_id.as_deref().and_then(|id| resources.iter().find(|r| r.id.to_string() == id));
    match &details.community_peer {
        Some(name) => {
            blocks.push(Block::Strong(name.clone()));
            let contact = joined(&[details.community_peer_phone.as_deref(), organization.map(|o| o.name.as_str()), organization.and_then(|o| o.address.as_deref())]);
            if !contact.is_empty() {
                blocks.push(Block::Text(contact));
            }
        }
        None => blocks.push(Block::Text(w.peer_none.into())),
    }

    let title = |english: &str| match language {
        Language::Spanish => DefaultItem::spanish_title(english).map_or_else(|| english.to_string(), str::to_string),
        Language::English => english.to_string(),
    };
    let of_area = |area: Area| plan.items.iter().filter(move |i| i.item.area == area && i.item.status != ItemStatus::NotNeeded);
    for (area, heading) in [(Area::Identification, w.documents), (Area::Moud, w.medication)] {
        if of_area(area).next().is_some() {
            blocks.push(Block::Heading(heading.into()));
            for i in of_area(area) {
                let state = if i.item.status == ItemStatus::Done { w.have } else { w.pending };
                blocks.push(Block::Text(format!("{}: {state}", title(&i.item.title))));
            }
        }
    }

    blocks.push(Block::Heading(w.naloxone.into()));
    blocks.push(Block::Text(w.naloxone_text.into()));
    blocks.push(Block::Heading(w.help.into()));
    blocks.extend(w.help_lines.iter().map(|l| Block::Text((*l).into())));
    blocks.push(Block::Gap);
    blocks.push(Block::Text(format!("{} {site_name}, {}", w.prepared, language.long_date(today))));

    Document { title: format!("{} — {}", w.title, plan.legal_name), footer: plan.legal_name.clone(), page_words: (w.page.0.into(), w.page.1.into()), blocks }
}
