//! The summary of a peer mentor's work: what they take out at release to show a certification
//! board or an employer in the community, in English or Spanish. It names no participant.

use super::packet::Language;
use super::pdf::{Block, Document};
use crate::model::{CeTopic, CredentialKind, MentorSummary, PeerRole, SupportType};
use chrono::NaiveDate;

fn role(language: Language, r: PeerRole) -> &'static str {
    match r {
        PeerRole::PeerSpecialist => language.pick("Peer specialist", "Especialista de pares"),
        PeerRole::PeerSupervisor => language.pick("Peer supervisor", "Supervisor de pares"),
        PeerRole::IncarceratedPeerMentor => language.pick("Incarcerated peer mentor", "Mentor de pares en custodia"),
        PeerRole::CommunityPeer => language.pick("Community peer", "Compañero de apoyo en la comunidad"),
        PeerRole::Volunteer => language.pick("Volunteer", "Voluntario"),
    }
}

fn topic(language: Language, t: CeTopic) -> &'static str {
    match t {
        CeTopic::Ethics => language.pick("Ethics", "Ética"),
        CeTopic::PeerPractice => language.pick("Peer support practice", "Práctica del apoyo entre pares"),
        CeTopic::RecoveryWellness => language.pick("Recovery and wellness", "Recuperación y bienestar"),
        CeTopic::CulturalResponsiveness => language.pick("Cultural responsiveness", "Sensibilidad cultural"),
        CeTopic::TraumaInformedCare => language.pick("Trauma-informed care", "Atención informada sobre el trauma"),
        CeTopic::CriminalLegalSystem => language.pick("The criminal legal system", "El sistema de justicia penal"),
        CeTopic::Other => language.pick("Other", "Otro"),
    }
}

fn credential_kind(language: Language, k: CredentialKind) -> &'static str {
    match k {
        CredentialKind::StateCertification => language.pick("State peer certification", "Certificación estatal de pares"),
        CredentialKind::NationalCertification => language.pick("National certification", "Certificación nacional"),
        CredentialKind::TrainingCertificate => language.pick("Training certificate", "Certificado de formación"),
    }
}

fn support(language: Language, s: SupportType) -> &'static str {
    match s {
        SupportType::Emotional => language.pick("emotional support", "apoyo emocional"),
        SupportType::Informational => language.pick("informational support", "apoyo informativo"),
        SupportType::Instrumental => language.pick("instrumental support", "apoyo instrumental"),
        SupportType::Affiliational => language.pick("affiliational support", "apoyo de afiliación"),
    }
}

/// Hours as a person reads them: "12.5" in English, "12,5" in Spanish, no trailing zeros.
fn hours(language: Language, h: f64) -> String {
    let text = format!("{:.2}", h);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match language {
        Language::English => text.to_string(),
        Language::Spanish => text.replace('.', ","),
    }
}

/// The summary of `s`'s peer work, set as a document.
pub fn mentor_summary(s: &MentorSummary, site_name: &str, today: NaiveDate, language: Language) -> Document {
    let l = language;
    let date = |d: NaiveDate| l.long_date(d);
    let mut blocks = vec![Block::Title(l.pick("Record of peer work", "Registro de trabajo entre pares").into()), Block::Strong(s.name.clone())];
    let roles: Vec<&str> = s.roles.iter().map(|r| role(l, *r)).collect();
    if !roles.is_empty() {
        blocks.push(Block::Text(roles.join(", ")));
    }
    blocks.push(Block::Text(format!("{}: {}", l.pick("Where", "Dónde"), s.facility_name)));
    if let Some(d) = s.start_date {
        blocks.push(Block::Text(format!("{}: {}", l.pick("Began peer work", "Comenzó el trabajo entre pares"), date(d))));
    }
    blocks.push(Block::Gap);

    blocks.push(Block::Heading(l.pick("Summary", "Resumen").into()));
    let group_sessions: u32 = s.groups.iter().map(|g| g.sessions).sum();
    blocks.push(Block::Text(format!("{}: {}", l.pick("Hours of training", "Horas de formación"), hours(l, s.training_hours()))));
    blocks.push(Block::Text(format!(
        "{}: {} ({} {}, {} {})",
        l.pick("Hours of peer work", "Horas de trabajo entre pares"),
        hours(l, s.peer_work_hours()),
        group_sessions,
        l.pick("group sessions facilitated", "sesiones de grupo facilitadas"),
        s.contacts,
        l.pick("one-on-one contacts", "contactos individuales"),
    )));
    blocks.push(Block::Text(format!(
        "{}: {} {}, {} {}",
        l.pick("Supervision received", "Supervisión recibida"),
        s.supervision_sessions,
        l.pick("sessions", "sesiones"),
        hours(l, s.supervision_hours()),
        l.pick("hours", "horas"),
    )));

    blocks.push(Block::Heading(l.pick("Signed agreement", "Acuerdo firmado").into()));
    match s.agreement_signed_on {
        Some(d) => blocks.push(Block::Text(format!("{} {}", l.pick("Signed on", "Firmado el"), date(d)))),
        None => blocks.push(Block::Text(l.pick("No signed agreement is on record.", "No consta un acuerdo firmado.").into())),
    }
    if let Some(covers) = &s.agreement_covers {
        blocks.push(Block::Text(format!("{}: {covers}", l.pick("It covers", "Cubre"))));
    }

    blocks.push(Block::Heading(l.pick("Training", "Formación").into()));
    if s.training.is_empty() && s.credentials.is_empty() {
        blocks.push(Block::Text(l.pick("No training is on record.", "No consta formación.").into()));
    }
    for c in &s.credentials {
        let mut line = format!("{}: {}, {} · {} {}", credential_kind(l, c.kind), c.name, c.issuer, l.pick("issued", "emitido el"), date(c.issued_on));
        if let Some(n) = &c.number {
            line.push_str(&format!(" · {} {n}", l.pick("no.", "n.º")));
        }
        blocks.push(Block::Text(line));
    }
    for e in &s.training {
        let provider = e.provider.as_deref().map(|p| format!(", {p}")).unwrap_or_default();
        blocks.push(Block::Text(format!("{}: {}{provider} · {} · {} h", date(e.date), e.title, topic(l, e.topic), hours(l, e.hours))));
    }

    blocks.push(Block::Heading(l.pick("Groups facilitated", "Grupos facilitados").into()));
    if s.groups.is_empty() {
        blocks.push(Block::Text(l.pick("No group sessions are on record.", "No constan sesiones de grupo.").into()));
    }
    for g in &s.groups {
        blocks.push(Block::Strong(format!("{} ({})", g.name, support(l, g.support_type))));
        blocks.push(Block::Text(format!(
            "{} {}, {} h · {} – {}",
            g.sessions,
            l.pick("sessions", "sesiones"),
            hours(l, g.hours),
            date(g.first),
            date(g.last)
        )));
    }

    blocks.push(Block::Heading(l.pick("Evaluations", "Evaluaciones").into()));
    if s.evaluations.is_empty() {
        blocks.push(Block::Text(l.pick("No evaluations are on record.", "No constan evaluaciones.").into()));
    }
    for e in &s.evaluations {
        blocks.push(Block::Strong(format!("{} · {}", date(e.date), e.evaluator.name)));
        if let Some(t) = &e.strengths {
            blocks.push(Block::Text(format!("{}: {t}", l.pick("Strengths", "Puntos fuertes"))));
        }
        if let Some(t) = &e.growth {
            blocks.push(Block::Text(format!("{}: {t}", l.pick("To work on", "Para trabajar"))));
        }
    }

    blocks.push(Block::Gap);
    blocks.push(Block::Text(format!("{} {site_name}, {}", l.pick("Prepared by", "Preparado por"), date(today))));
    Document {
        title: format!("{} — {}", l.pick("Record of peer work", "Registro de trabajo entre pares"), s.name),
        footer: s.name.clone(),
        page_words: (l.pick("Page", "Página").into(), l.pick("of", "de").into()),
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CeEntry, Evaluation, FacilitatedGroup, StaffId, StaffRef};

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn luis() -> MentorSummary {
        MentorSummary {
            name: "Luis Ortega".into(),
            facility_name: "Valley State Prison".into(),
            roles: vec![PeerRole::IncarceratedPeerMentor],
            start_date: Some(day("2026-01-12")),
            agreement_signed_on: Some(day("2026-01-10")),
            agreement_covers: Some("Conduct, boundaries, duty to report".into()),
            credentials: vec![],
            training: vec![CeEntry { id: "t".into(), date: day("2026-01-05"), hours: 40.0, topic: CeTopic::PeerPractice, title: "Peer mentor training".into(), provider: None }],
            groups: vec![FacilitatedGroup { name: "Wellness circle".into(), support_type: SupportType::Emotional, sessions: 10, hours: 12.5, first: day("2026-02-02"), last: day("2026-11-30") }],
            contacts: 2,
            contact_minutes: 90,
            supervision_sessions: 40,
            supervision_minutes: 1800,
            evaluations: vec![Evaluation {
                id: "e".into(),
                date: day("2026-06-30"),
                evaluator: StaffRef { id: StaffId::from_uuid(uuid::Uuid::from_u128(7)), name: "Denise Walker".into() },
                strengths: Some("Steady with new members".into()),
                growth: None,
            }],
        }
    }


    #[test]
    fn the_summary_holds_training_agreement_work_supervision_and_evaluations() {
        let english = mentor_summary(&luis(), "Valley Peer Office", day("2026-12-03"), Language::English).plain_text();
        for expected in [
            "Record of peer work",
            "Luis Ortega",
            "Incarcerated peer mentor",
            "Hours of training: 40",
            // 12.5 hours of groups and 90 minutes of contacts.
            "Hours of peer work: 14 (10 group sessions facilitated, 2 one-on-one contacts)",
            "Supervision received: 40 sessions, 30 hours",
            "Signed on January 10, 2026",
            "It covers: Conduct, boundaries, duty to report",
            "January 5, 2026: Peer mentor training · Peer support practice · 40 h",
            "Wellness circle (emotional support)",
            "10 sessions, 12.5 h · February 2, 2026 – November 30, 2026",
            "June 30, 2026 · Denise Walker",
            "Strengths: Steady with new members",
            "Prepared by Valley Peer Office, December 3, 2026",
        ] {
            assert!(english.contains(expected), "{expected:?} missing from:\n{english}");
        }
    }

    #[test]
    fn in_spanish_every_heading_and_number_reads_as_spanish() {
        let spanish = mentor_summary(&luis(), "Oficina", day("2026-12-03"), Language::Spanish).plain_text();
        for expected in ["Registro de trabajo entre pares", "Mentor de pares en custodia", "Horas de formación: 40", "Firmado el 10 de enero de 2026", "10 sesiones, 12,5 h", "Puntos fuertes: Steady"] {
            assert!(spanish.contains(expected), "{expected:?} missing from:\n{spanish}");
        }
        assert!(!spanish.contains("Training"), "{spanish}");
    }

    #[test]
    fn an_empty_record_says_what_is_not_on_record() {
        let empty = MentorSummary { training: vec![], groups: vec![], evaluations: vec![], agreement_signed_on: None, agreement_covers: None, ..luis() };
        let english = mentor_summary(&empty, "Office", day("2026-12-03"), Language::English).plain_text();
        for expected in ["No signed agreement is on record.", "No training is on record.", "No group sessions are on record.", "No evaluations are on record."] {
            assert!(english.contains(expected), "{expected:?} missing");
        }
    }
}
