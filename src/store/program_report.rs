//! The program report: a period's enrolment, exits and completions (from program episodes),
//! one-on-one contacts, groups and hours, check-ins, releases and the referral funnel, at one
//! facility or all in the person's scope. Every figure keeps the people it was counted from, so
//! a drill-down lists exactly them.

use super::columns::date_col;
use super::instruments::all_instruments;
use super::coverage::{covered, Covered};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{
    billing_units, FollowUpPoint, FollowUpRule, FOLLOW_UP_TARGET, hour_band, median, month_band, percent, Bilingual, ContactKind, Dimension, Episode, FacilityId, Figure, FigurePeople, Intercept, Outcome,
    Chart, ProgramKind, ProgramReport, ReportFormat, ReportPerson, ReportSection, SupportType, Unit, HOUR_BANDS, MONTH_BANDS,
};
use super::follow_ups::episode_windows;
use super::identity;
use super::settings;
use crate::reports::Language;
use chrono::{Duration, NaiveDate};
use std::path::{Path, PathBuf};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The longest period one report covers.
const MAX_DAYS: i64 = 5 * 366;

/// Refuses a period that ends before it begins or runs longer than five years.
pub(crate) fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(Error::field("to", said!("the period ends before it begins", "el periodo termina antes de empezar")));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(Error::field("from", said!("a report covers at most five years", "un informe abarca como mucho cinco años")));
    }
    Ok(())
}

/// The people (participant ids) a figure stands on.
type People = BTreeSet<String>;

/// The report as it is being counted: its sections, and each figure's people.
#[derive(Default)]
struct Tally {
    sections: Vec<ReportSection>,
    people: HashMap<String, People>,
}

fn words(en: &str, es: &str) -> Bilingual {
    Bilingual { en: en.into(), es: es.into() }
}

impl Tally {
    fn section(&mut self, key: &str, en: &str, es: &str) {
        self.sections.push(ReportSection { key: key.into(), title: words(en, es), figures: Vec::new(), charts: Vec::new() });
    }

    /// A chart of the current section's figures whose keys start with `prefix`.
    fn chart(&mut self, prefix: &str, en: &str, es: &str) {
        let section = self.sections.last_mut().expect("a section is started first");
        let figures = section.figures.iter().filter(|f| f.key.starts_with(prefix)).map(|f| f.key.clone()).collect();
        section.charts.push(Chart { key: prefix.trim_end_matches('.').to_string(), title: words(en, es), figures });
    }

    fn push(&mut self, figure: Figure, people: Option<People>) {
        if let Some(p) = people {
            self.people.insert(figure.key.clone(), p);
        }
        self.sections.last_mut().expect("a section is started first").figures.push(figure);
    }

    /// A count of people.
    fn people(&mut self, key: &str, label: Bilingual, people: People) {
        let n = people.len();
        self.push(Figure { key: key.into(), label, unit: Unit::People, value: n as f64, people: Some(n as u32), of: None }, Some(people));
    }

    /// A count of something else (contacts, minutes, sessions) and the people it was about.
    fn amount(&mut self, key: &str, label: Bilingual, unit: Unit, value: f64, people: Option<People>) {
        let n = people.as_ref().map(|p| p.len() as u32);
        self.push(Figure { key: key.into(), label, unit, value, people: n, of: None }, people);
    }

    /// The share of the people of figure `of` who are also in `people`.
    fn share(&mut self, key: &str, label: Bilingual, people: People, of: &str) {
        let whole = self.people.get(of).map_or(0, BTreeSet::len);
        let n = people.len();
        self.push(Figure { key: key.into(), label, unit: Unit::Percent, value: percent(n, whole), people: Some(n as u32), of: Some(of.into()) }, Some(people));
    }
}

/// One audit entry for each person a drill-down names, so "who saw this person" finds it.
fn audit_each(w: &super::write::Writer<'_>, action: Action, listed: &FigurePeople, detail: &str) -> Result<()> {
    for p in &listed.people {
        w.audit(action, Some("participants"), Some(&p.id.to_string()), detail)?;
    }
    Ok(())
}

/// Runs `sql` with `args` and keeps the rows `read` makes.
fn rows<T>(conn: &Connection, sql: &str, args: &[Value], read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let found = stmt.query_map(rusqlite::params_from_iter(args.iter()), read)?;
    Ok(found.collect::<rusqlite::Result<_>>()?)
}

fn day(d: NaiveDate) -> Value {
    Value::Text(d.to_string())
}

/// Enrolment from program episodes: who was in a program at the start, who started, who left
/// and how, after how long, and the completion rate.
fn enrolment(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate, served: &mut People) -> Result<()> {
    let episodes: Vec<(String, Episode, Option<String>)> = rows(
        conn,
        "SELECT participant_id, kind, start_date, end_date, outcome, facility_id FROM program_episodes
         WHERE deleted = 0 AND start_date <= ?2 AND (end_date IS NULL OR end_date >= ?1)",
        &[day(from), day(to)],
        |r| {
            let episode = Episode {
                id: uuid::Uuid::nil(),
                kind: ProgramKind::parse(&r.get::<_, String>(1)?).unwrap_or(ProgramKind::Other),
                name: None,
                start_date: date_col(r.get(2)?).unwrap_or_default(),
                end_date: date_col(r.get(3)?),
                outcome: r.get::<_, Option<String>>(4)?.as_deref().and_then(Outcome::parse),
                exit_note: None,
                facility: None,
                phases: Vec::new(),
            };
            Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), episode, r.get::<_, Option<String>>(5)?))
        },
    )?;
    // An episode counts at the facility it ran at: a transfer is an exit there and a new
    // enrolment where the person arrives.
    let episodes: Vec<_> = episodes.into_iter().filter(|(p, _, f)| c.at_or_held(p, f.as_deref())).map(|(p, e, _)| (p, e)).collect();
    let mut at_start = People::new();
    let mut started = People::new();
    let mut exits = People::new();
    let mut by_outcome: BTreeMap<Outcome, People> = BTreeMap::new();
    let mut by_months: BTreeMap<&str, People> = BTreeMap::new();
    for (person, e) in &episodes {
        served.insert(person.clone());
        if e.start_date < from {
            at_start.insert(person.clone());
        } else {
            started.insert(person.clone());
        }
        if let (Some(end), Some(outcome)) = (e.end_date.filter(|d| *d <= to), e.outcome) {
            exits.insert(person.clone());
            by_outcome.entry(outcome).or_default().insert(person.clone());
            by_months.entry(month_band(e.months(end))).or_default().insert(person.clone());
        }
    }
    t.section("enrolment", "Program enrolment", "Inscripción en programas");
    t.people("enrolment.active_at_start", words("In a program at the start of the period", "En un programa al empezar el periodo"), at_start);
    t.people("enrolment.new", words("New enrolments", "Nuevas inscripciones"), started);
    t.people("enrolment.exits", words("Left a program", "Salieron de un programa"), exits);
    for outcome in Outcome::ALL {
        let people = by_outcome.remove(outcome).unwrap_or_default();
        t.people(&format!("enrolment.exit.{}", outcome.as_str()), words(&format!("Left: {}", outcome.label()), &format!("Salieron: {}", outcome_es(*outcome))), people);
    }
    for (_, _, key, en, es) in MONTH_BANDS {
        let people = by_months.remove(key).unwrap_or_default();
        t.people(&format!("enrolment.months.{key}"), words(&format!("Left after {}", en.to_lowercase()), &format!("Salieron tras {}", es.to_lowercase())), people);
    }
    t.chart("enrolment.exit.", "Exits by how they ended", "Salidas según cómo terminaron");
    t.chart("enrolment.months.", "Exits by months in the program", "Salidas según los meses en el programa");
    let completed = t.people.get("enrolment.exit.completed").cloned().unwrap_or_default();
    t.share("enrolment.completion_rate", words("Completion rate (completed, of those who left)", "Tasa de finalización (completaron, de quienes salieron)"), completed, "enrolment.exits");
    Ok(())
}

fn outcome_es(o: Outcome) -> &'static str {
    match o {
        Outcome::Completed => "completado",
        Outcome::Released => "salió en libertad antes de completarlo",
        Outcome::Transferred => "trasladado",
        Outcome::Discharged => "dado de baja por conducta",
        Outcome::LeftVoluntarily => "lo dejó por decisión propia",
    }
}

/// One-on-one contacts: how many, minutes and billing units, by kind, support type, recovery
/// dimension and intercept.
fn contacts(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate, served: &mut People) -> Result<()> {
    let found: Vec<(String, String, i64, String, String)> = rows(
        conn,
        "SELECT id, participant_id, minutes, kind, intercept FROM contacts WHERE deleted = 0 AND date BETWEEN ?1 AND ?2",
        &[day(from), day(to)],
        |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default(), r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let found: Vec<_> = found.into_iter().filter(|row| c.person(&row.1)).collect();
    let whose: HashMap<&str, &str> = found.iter().map(|(id, p, ..)| (id.as_str(), p.as_str())).collect();
    // The period's contacts first (CROSS JOIN keeps that order), then their tags by contact.
    let tagged = |sql: &str| -> Result<Vec<(String, String)>> {
        let all = rows(conn, sql, &[day(from), day(to)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(all.into_iter().filter_map(|(contact, tag): (String, String)| whose.get(contact.as_str()).map(|p| ((*p).to_string(), tag))).collect())
    };
    let supports = tagged("SELECT s.contact_id, s.support_type FROM contacts c CROSS JOIN contact_supports s ON s.contact_id = c.id WHERE s.deleted = 0 AND c.deleted = 0 AND c.date BETWEEN ?1 AND ?2")?;
    let dimensions = tagged("SELECT d.contact_id, d.dimension FROM contacts c CROSS JOIN contact_dimensions d ON d.contact_id = c.id WHERE d.deleted = 0 AND c.deleted = 0 AND c.date BETWEEN ?1 AND ?2")?;

    let everyone: People = found.iter().map(|r| r.1.clone()).collect();
    served.extend(everyone.iter().cloned());
    t.section("contacts", "One-on-one contacts", "Contactos individuales");
    t.amount("contacts.count", words("Contacts", "Contactos"), Unit::Contacts, found.len() as f64, Some(everyone.clone()));
    t.amount("contacts.minutes", words("Minutes", "Minutos"), Unit::Minutes, found.iter().map(|r| r.2).sum::<i64>() as f64, Some(everyone.clone()));
    t.amount("contacts.billing_units", words("Billing units (15 minutes)", "Unidades de facturación (15 minutos)"), Unit::BillingUnits, found.iter().map(|r| billing_units(r.2)).sum::<i64>() as f64, Some(everyone));
    // A breakdown: for each word, how many contacts carry it and whose they were.
    let breakdown = |t: &mut Tally, prefix: &str, ids: &[(&str, &str, &str)], tags: &[(String, String)]| {
        for (id, en, es) in ids {
            let hits: Vec<&String> = tags.iter().filter(|(_, tag)| tag == id).map(|(p, _)| p).collect();
            let people: People = hits.iter().map(|p| (*p).clone()).collect();
            t.amount(&format!("contacts.{prefix}.{id}"), words(en, es), Unit::Contacts, hits.len() as f64, Some(people));
        }
    };
    let kinds: Vec<(String, String)> = found.iter().map(|r| (r.1.clone(), r.3.clone())).collect();
    let intercepts: Vec<(String, String)> = found.iter().map(|r| (r.1.clone(), r.4.clone())).collect();
    breakdown(t, "kind", &ContactKind::ALL.iter().map(|k| (k.as_str(), k.label(), contact_kind_es(*k))).collect::<Vec<_>>(), &kinds);
    breakdown(t, "support", &SupportType::ALL.iter().map(|k| (k.as_str(), k.label(), support_es(*k))).collect::<Vec<_>>(), &supports);
    breakdown(t, "dimension", &Dimension::ALL.iter().map(|k| (k.as_str(), k.label(), dimension_es(*k))).collect::<Vec<_>>(), &dimensions);
    t.chart("contacts.kind.", "Contacts by kind", "Contactos por tipo");
    breakdown(t, "intercept", &Intercept::ALL.iter().map(|k| (k.as_str(), k.label(), intercept_es(*k))).collect::<Vec<_>>(), &intercepts);
    Ok(())
}

fn contact_kind_es(k: ContactKind) -> &'static str {
    match k {
        ContactKind::BriefCheckIn => "Contacto breve",
        ContactKind::PlannedSession => "Sesión planificada",
        ContactKind::CrisisSupport => "Apoyo en crisis",
        ContactKind::CareCoordination => "Coordinación de servicios",
        ContactKind::FollowUpAfterRelease => "Seguimiento tras la salida",
    }
}

fn intercept_es(i: Intercept) -> &'static str {
    match i {
        Intercept::CommunityServices => "0 · Servicios comunitarios y respuesta a crisis",
        Intercept::LawEnforcement => "1 · Fuerzas del orden",
        Intercept::InitialDetention => "2 · Detención inicial y primera comparecencia",
        Intercept::JailsAndCourts => "3 · Cárceles y tribunales",
        Intercept::Reentry => "4 · Reingreso desde la cárcel o la prisión",
        Intercept::CommunityCorrections => "5 · Supervisión comunitaria",
    }
}

fn support_es(s: SupportType) -> &'static str {
    match s {
        SupportType::Emotional => "Emocional",
        SupportType::Informational => "Informativo",
        SupportType::Instrumental => "Instrumental",
        SupportType::Affiliational => "De afiliación",
    }
}

fn dimension_es(d: Dimension) -> &'static str {
    match d {
        Dimension::Health => "Salud",
        Dimension::Home => "Hogar",
        Dimension::Purpose => "Propósito",
        Dimension::Community => "Comunidad",
    }
}

/// Groups held and cancelled, and each attendee's hours: the median and how they spread.
fn groups(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate, served: &mut People) -> Result<()> {
    let sessions: Vec<(String, String)> = rows(
        conn,
        "SELECT s.status, g.facility_id FROM sessions s JOIN groups g ON g.id = s.group_id WHERE s.deleted = 0 AND s.date BETWEEN ?1 AND ?2",
        &[day(from), day(to)],
        |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get::<_, Option<String>>(1)?.unwrap_or_default())),
    )?;
    let here = |status: &str| sessions.iter().filter(|(s, f)| s == status && c.facility(f)).count() as f64;
    let present: Vec<(String, i64, String)> = rows(
        conn,
        "SELECT a.participant_id, s.duration_min, g.facility_id FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id
         WHERE a.deleted = 0 AND s.deleted = 0 AND a.mark = 'present' AND s.status = 'held' AND s.date BETWEEN ?1 AND ?2",
        &[day(from), day(to)],
        |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get::<_, Option<i64>>(1)?.unwrap_or(0), r.get::<_, Option<String>>(2)?.unwrap_or_default())),
    )?;
    let mut hours: BTreeMap<String, f64> = BTreeMap::new();
    for (person, minutes, _) in present.into_iter().filter(|(p, _, f)| c.at(p, f)) {
        *hours.entry(person).or_default() += minutes as f64 / 60.0;
    }
    let attendees: People = hours.keys().cloned().collect();
    served.extend(attendees.iter().cloned());
    t.section("groups", "Groups", "Grupos");
    t.amount("groups.held", words("Sessions held", "Sesiones realizadas"), Unit::Sessions, here("held"), Some(attendees.clone()));
    t.amount("groups.cancelled", words("Sessions cancelled", "Sesiones canceladas"), Unit::Sessions, here("cancelled"), None);
    t.people("groups.attendees", words("People who attended", "Personas que asistieron"), attendees.clone());
    let mut all: Vec<f64> = hours.values().copied().collect();
    let mid = (median(&mut all) * 10.0).round() / 10.0;
    t.amount("groups.median_hours", words("Median hours per person who attended", "Mediana de horas por persona que asistió"), Unit::Hours, mid, Some(attendees));
    for (_, _, key, en, es) in HOUR_BANDS {
        let people: People = hours.iter().filter(|(_, h)| hour_band(**h) == key).map(|(p, _)| p.clone()).collect();
        t.people(&format!("groups.hours.{key}"), words(en, es), people);
    }
    t.chart("groups.hours.", "Attendees by hours in groups", "Asistentes según horas en grupos");
    Ok(())
}

/// Check-ins done in the period; from each person's first check-in (the baseline) to their
/// latest in the period, the average change; and for each instrument with a cut-off, the share
/// of people whose latest total in the period reached it.
fn check_ins(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let found: Vec<(String, String, NaiveDate, i64)> = rows(
        conn,
        "SELECT participant_id, instrument_id, date, total FROM checkins WHERE deleted = 0 AND date <= ?1 ORDER BY date, id",
        &[day(to)],
        |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get::<_, Option<String>>(1)?.unwrap_or_default(), date_col(r.get(2)?).unwrap_or_default(), r.get(3)?)),
    )?;
    // Per person and instrument: the first total ever and the latest in the period.
    let mut journey: BTreeMap<(String, String), (i64, Option<i64>, u32)> = BTreeMap::new();
    let mut done = 0usize;
    let mut who_done = People::new();
    for (person, instrument, date, total) in found.into_iter().filter(|r| c.person(&r.0)) {
        let entry = journey.entry((person.clone(), instrument)).or_insert((total, None, 0));
        entry.2 += 1;
        if date >= from {
            entry.1 = Some(total);
            done += 1;
            who_done.insert(person);
        }
    }
    t.section("check_ins", "Recovery-capital check-ins", "Evaluaciones del capital de recuperación");
    t.amount("check_ins.count", words("Check-ins done", "Evaluaciones hechas"), Unit::CheckIns, done as f64, Some(who_done));
    let changes: Vec<(&String, i64)> = journey.iter().filter_map(|((p, _), (first, latest, n))| latest.filter(|_| *n >= 2).map(|l| (p, l - first))).collect();
    let followed: People = changes.iter().map(|(p, _)| (*p).clone()).collect();
    let mean = if changes.is_empty() { 0.0 } else { (changes.iter().map(|(_, d)| *d as f64).sum::<f64>() / changes.len() as f64 * 10.0).round() / 10.0 };
    t.people("check_ins.with_baseline", words("People with a baseline and a later check-in", "Personas con una evaluación inicial y otra posterior"), followed.clone());
    t.amount("check_ins.mean_change", words("Average change from baseline to latest", "Cambio medio de la inicial a la última"), Unit::Points, mean, Some(followed));
    for entry in all_instruments(conn)? {
        let Some(cutoff) = entry.definition.scoring.cutoff else { continue };
        // Two versions of one instrument may score differently: each is its own figure.
        let key = format!("{}-{}", entry.definition.key, entry.definition.version);
        let checked: People = journey.iter().filter(|((_, i), (_, latest, _))| *i == entry.id && latest.is_some()).map(|((p, _), _)| p.clone()).collect();
        let reached: People = journey.iter().filter(|((_, i), (_, latest, _))| *i == entry.id && latest.is_some_and(|l| l >= cutoff)).map(|((p, _), _)| p.clone()).collect();
        let name = entry.definition.display_name("en").to_string();
        let nombre = entry.definition.display_name("es").to_string();
        t.people(&format!("check_ins.checked.{key}"), words(&format!("{name}: people checked in"), &format!("{nombre}: personas evaluadas")), checked);
        t.share(&format!("check_ins.at_cutoff.{key}"), words(&format!("{name}: share at or above {cutoff}"), &format!("{nombre}: proporción en {cutoff} o más")), reached, &format!("check_ins.checked.{key}"));
    }
    Ok(())
}

/// Releases in the period and how ready each was: a complete plan, a kept community
/// appointment within 7 and 30 days, a confirmed hand-off, medication continued.
fn releases(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let released: Vec<(String, NaiveDate)> = rows(
        conn,
        "SELECT participant_id, max(date) FROM status_changes WHERE deleted = 0 AND status = 'released' AND date BETWEEN ?1 AND ?2 GROUP BY participant_id",
        &[day(from), day(to)],
        |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), date_col(r.get(1)?).unwrap_or_default())),
    )?;
    let released: Vec<_> = released.into_iter().filter(|(p, _)| c.person(p)).collect();
    let (mut complete, mut within7, mut within30, mut handed, mut moud_planned, mut moud_continued) = (People::new(), People::new(), People::new(), People::new(), People::new(), People::new());
    for (person, on) in &released {
        let items: Vec<(String, String)> = rows(conn, "SELECT area, status FROM plan_items WHERE participant_id = ?1 AND deleted = 0", &[Value::Text(person.clone())], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let settled = |s: &str| s == "done" || s == "not_needed";
        if !items.is_empty() && items.iter().all(|(_, s)| settled(s)) {
            complete.insert(person.clone());
        }
        let kept: Vec<(NaiveDate, String)> = rows(
            conn,
            "SELECT date, area FROM appointments WHERE participant_id = ?1 AND deleted = 0 AND confirmed = 1 AND date >= ?2",
            &[Value::Text(person.clone()), day(*on)],
            |r| Ok((date_col(r.get(0)?).unwrap_or_default(), r.get(1)?)),
        )?;
        if kept.iter().any(|(d, _)| *d <= *on + Duration::days(7)) {
            within7.insert(person.clone());
        }
        if kept.iter().any(|(d, _)| *d <= *on + Duration::days(30)) {
            within30.insert(person.clone());
        }
        let confirmed: i64 = conn.prepare_cached("SELECT count(*) FROM disclosures WHERE participant_id = ?1 AND deleted = 0 AND confirmed_on IS NOT NULL")?.query_row([person], |r| r.get(0))?;
        if confirmed > 0 {
            handed.insert(person.clone());
        }
        let moud: Vec<&(String, String)> = items.iter().filter(|(area, _)| area == "moud").collect();
        if !moud.is_empty() {
            moud_planned.insert(person.clone());
            if moud.iter().any(|(_, s)| s == "done") || kept.iter().any(|(_, area)| area == "moud") {
                moud_continued.insert(person.clone());
            }
        }
    }
    t.section("releases", "Releases", "Salidas");
    t.people("releases.count", words("Released in the period", "Salieron en libertad en el periodo"), released.into_iter().map(|(p, _)| p).collect());
    t.share("releases.plan_complete", words("With every plan item settled", "Con todos los pasos del plan resueltos"), complete, "releases.count");
    t.share("releases.appointment_7", words("Kept a community appointment within 7 days", "Acudieron a una cita en la comunidad en 7 días"), within7, "releases.count");
    t.share("releases.appointment_30", words("Kept a community appointment within 30 days", "Acudieron a una cita en la comunidad en 30 días"), within30, "releases.count");
    t.share("releases.handoff_confirmed", words("With a hand-off the partner confirmed", "Con un traspaso confirmado por el socio"), handed, "releases.count");
    t.people("releases.moud_planned", words("Released with medication for OUD in the plan", "Salieron con medicación para el TCO en el plan"), moud_planned);
    t.share("releases.moud_continued", words("Medication for OUD continued at release", "Medicación para el TCO continuada al salir"), moud_continued, "releases.moud_planned");
    Ok(())
}

/// Referrals sent in the period, those that connected (attended, or a kept appointment with
/// the same resource), and those still engaged 30 days after the referral (a kept appointment
/// or a peer contact from then on), all as of the period's end, so a past quarter reads the
/// same whenever it is made.
fn referrals(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let sent: Vec<(String, Option<String>, String, NaiveDate)> = rows(
        conn,
        "SELECT participant_id, resource_id, status, sent_on FROM referrals WHERE deleted = 0 AND sent_on BETWEEN ?1 AND ?2",
        &[day(from), day(to)],
        |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get(1)?, r.get(2)?, date_col(r.get(3)?).unwrap_or_default())),
    )?;
    let (mut referred, mut connected, mut engaged) = (People::new(), People::new(), People::new());
    for (person, resource, status, on) in sent.into_iter().filter(|r| c.person(&r.0)) {
        referred.insert(person.clone());
        let kept: i64 = conn
            .prepare_cached("SELECT count(*) FROM appointments WHERE participant_id = ?1 AND deleted = 0 AND confirmed = 1 AND resource_id = ?2 AND date BETWEEN ?3 AND ?4")?
            .query_row(rusqlite::params![person, resource, on.to_string(), to.to_string()], |r| r.get(0))?;
        if status == "attended" || kept > 0 {
            connected.insert(person.clone());
            let later = (on + Duration::days(30)).to_string();
            let still: i64 = conn
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM appointments WHERE participant_id = ?1 AND deleted = 0 AND confirmed = 1 AND date BETWEEN ?2 AND ?3)
                          + (SELECT count(*) FROM contacts WHERE participant_id = ?1 AND deleted = 0 AND date BETWEEN ?2 AND ?3)",
                )?
                .query_row(rusqlite::params![person, later, to.to_string()], |r| r.get(0))?;
            if still > 0 {
                engaged.insert(person);
            }
        }
    }
    t.section("referrals", "Referrals", "Derivaciones");
    t.people("referrals.referred", words("Referred", "Derivados"), referred);
    t.share("referrals.connected", words("Connected (attended or kept an appointment)", "Conectados (asistieron o acudieron a una cita)"), connected, "referrals.referred");
    t.share("referrals.engaged", words("Still engaged 30 days on", "Siguen vinculados 30 días después"), engaged, "referrals.connected");
    Ok(())
}

/// Follow-up interviews under the program's rule, as of `until` (the period's end, or today if
/// sooner: a window still open today is not missed): of the people whose follow-up window
/// (GPRA's 5 to 8 months; the newer rule's reassessments) closed in the period, the share whose
/// every such window was met, against the 80% a grant asks; who can still be followed up; and
/// how many more it takes.
fn follow_ups(t: &mut Tally, conn: &Connection, c: &Covered, from: NaiveDate, until: NaiveDate, rule: FollowUpRule) -> Result<()> {
    let key_point = |p: FollowUpPoint| matches!(p, FollowUpPoint::FollowUp | FollowUpPoint::Reassessment | FollowUpPoint::Annual);
    let (mut due, mut missed, mut open) = (People::new(), People::new(), People::new());
    for e in episode_windows(conn, c, rule, until, until)?.into_iter().filter(|e| c.at_or_held(&e.participant, e.facility_id.as_deref())) {
        for w in e.windows.iter().filter(|w| key_point(w.point)) {
            if (from..=until).contains(&w.closes) {
                due.insert(e.participant.clone());
                if w.met_on.is_none() {
                    missed.insert(e.participant.clone());
                }
            } else if w.opens <= until && until < w.closes && w.met_on.is_none() {
                open.insert(e.participant.clone());
            }
        }
    }
    // A person in two programs counts once: followed up only if every window due was met.
    let met: People = due.difference(&missed).cloned().collect();
    let reachable = due.union(&open).count();
    let needed = (((FOLLOW_UP_TARGET / 100.0) * reachable as f64).ceil() as usize).saturating_sub(met.len());
    t.section("follow_ups", "Follow-up interviews", "Entrevistas de seguimiento");
    t.people("follow_ups.due", words("Follow-up window closed in the period", "Ventana de seguimiento cerrada en el periodo"), due);
    t.share("follow_ups.met", words("Followed up inside the window (the target is 80%)", "Con seguimiento dentro de la ventana (el objetivo es 80 %)"), met, "follow_ups.due");
    t.people("follow_ups.open", words("Window still open at the end of the period", "Ventana aún abierta al final del periodo"), open);
    t.amount("follow_ups.needed", words("More follow-ups needed to reach 80%", "Seguimientos que faltan para llegar al 80 %"), Unit::People, needed as f64, None);
    Ok(())
}

impl Store {
    /// Counts the report for whoever may `permission` (the counts, or their people).
    fn count_program(&self, permission: Permission, from: NaiveDate, to: NaiveDate, facility: Option<FacilityId>, today: NaiveDate) -> Result<(ProgramReport, HashMap<String, People>)> {
        let who = self.allowed(Need::at(permission, facility))?;
        check_period(from, to)?;
        let facility_name = match facility {
            Some(f) => {
                let name: Option<String> = self.conn.query_row("SELECT name FROM facilities WHERE id = ?1 AND deleted = 0", [f], |r| r.get(0)).ok();
                Some(name.ok_or(Error::NotFound { what: "facility", id: f.to_string() })?)
            }
            None => None,
        };
        let c = covered(&self.conn, who, facility)?;
        let mut t = Tally::default();
        let mut served = People::new();
        enrolment(&mut t, &self.conn, &c, from, to, &mut served)?;
        contacts(&mut t, &self.conn, &c, from, to, &mut served)?;
        groups(&mut t, &self.conn, &c, from, to, &mut served)?;
        // The people served come first in the report; they are known once the rest is counted.
        let n = served.len();
        t.sections[0].figures.insert(
            0,
            Figure { key: "enrolment.served".into(), label: words("People served (unduplicated)", "Personas atendidas (sin duplicar)"), unit: Unit::People, value: n as f64, people: Some(n as u32), of: None },
        );
        t.people.insert("enrolment.served".into(), served);
        check_ins(&mut t, &self.conn, &c, from, to)?;
        releases(&mut t, &self.conn, &c, from, to)?;
        referrals(&mut t, &self.conn, &c, from, to)?;
        follow_ups(&mut t, &self.conn, &c, from, to.min(today), settings::read(&self.conn)?.follow_up_rule)?;
        Ok((ProgramReport { from, to, facility: facility_name, sections: t.sections }, t.people))
    }

    /// The program report for `from` to `to` (both included), at `facility` or every facility
    /// the person's account covers: counts only, for anyone who may see participants.
    pub fn program_report(&self, from: NaiveDate, to: NaiveDate, facility: Option<FacilityId>, today: NaiveDate) -> Result<ProgramReport> {
        self.count_program(Permission::ViewParticipants, from, to, facility, today).map(|(report, _)| report)
    }

    /// The people behind the figure `key`, by name, and the place the report covers.
    fn figure_people(&self, from: NaiveDate, to: NaiveDate, facility: Option<FacilityId>, key: &str, today: NaiveDate) -> Result<(FigurePeople, String)> {
        let (report, mut people) = self.count_program(Permission::ReportPeople, from, to, facility, today)?;
        let unknown = || Error::field("figure", said!("the report has no figure {key} that lists people", "el informe no tiene ninguna cifra {key} que liste personas"));
        let figure = report.figure(key).cloned().ok_or_else(unknown)?;
        let ids = people.remove(key).ok_or_else(unknown)?;
        let mut found = Vec::with_capacity(ids.len());
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.legal_name, p.facility_number, coalesce(f.name, '') FROM participants p LEFT JOIN facilities f ON f.id = p.facility_id WHERE p.id = ?1",
        )?;
        for id in &ids {
            found.push(stmt.query_row([id], |r| Ok(ReportPerson { id: r.get(0)?, legal_name: r.get(1)?, facility_number: r.get(2)?, facility: r.get(3)? }))?);
        }
        found.sort_by(|a, b| crate::text::sort_key(&a.legal_name).cmp(&crate::text::sort_key(&b.legal_name)).then(a.facility_number.cmp(&b.facility_number)));
        let place = report.facility.clone().unwrap_or_else(|| "every facility in scope".into());
        Ok((FigurePeople { figure, people: found }, place))
    }

    /// The people behind the figure `key`, by name: for those whose role may see them, and
    /// written to the audit trail with the figure and the period.
    pub fn program_report_people(&mut self, ctx: &WriteCtx, from: NaiveDate, to: NaiveDate, facility: Option<FacilityId>, key: &str) -> Result<FigurePeople> {
        let (listed, place) = self.figure_people(from, to, facility, key, ctx.today)?;
        let detail = format!("program report {from} to {to}, {place}: {key}");
        self.change(ctx, Need::Role(Permission::ReportPeople), |w| audit_each(w, Action::View, &listed, &detail))?;
        Ok(listed)
    }

    /// The file name to suggest for the people behind `key`, once the person may export them: so
    /// a refusal comes before anyone is asked where to save.
    pub fn report_people_file_name(&self, period: (NaiveDate, NaiveDate), facility: Option<FacilityId>, key: &str) -> Result<String> {
        self.allowed(Need::at(Permission::ExportData, facility))?;
        let name: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
        Ok(format!("{name}-{}-to-{}.csv", period.0, period.1))
    }

    /// Writes the people behind the figure `key` as a CSV file, a row per person: a people-level
    /// export, so it needs the permission to export records as well as to see them, and it is
    /// audited as an export before the file is written.
    pub fn save_report_people(&mut self, ctx: &WriteCtx, period: (NaiveDate, NaiveDate), facility: Option<FacilityId>, key: &str, path: &Path) -> Result<usize> {
        self.report_people_file_name(period, facility, key)?;
        let (from, to) = period;
        let (listed, place) = self.figure_people(from, to, facility, key, ctx.today)?;
        let bytes = crate::reports::people_csv(from, to, &listed);
        let detail = format!("program report {from} to {to}, {place}: {key}, as CSV");
        self.change(ctx, Need::Role(Permission::ExportData), |w| {
            audit_each(w, Action::Export, &listed, &detail)?;
            w.write_output(path, &bytes)
        })?;
        Ok(listed.people.len())
    }

    /// Writes the report for a period at `path`: a PDF in `language` (a print, for those who may
    /// print), a JSON file, or CSV files in the folder `path` (made if missing). Counts only, so
    /// consent-neutral; recorded in the audit trail before anything is written, and a file that
    /// cannot be written undoes the record and the files written before it. Returns the files.
    pub fn save_program_report(
        &mut self,
        ctx: &WriteCtx,
        period: (NaiveDate, NaiveDate),
        facility: Option<FacilityId>,
        format: ReportFormat,
        language: Language,
        path: &Path,
    ) -> Result<Vec<PathBuf>> {
        let (from, to) = period;
        if format == ReportFormat::Pdf {
            self.allowed(Need::at(Permission::Print, facility))?;
        }
        let report = self.program_report(from, to, facility, ctx.today)?;
        let site = identity::site_row(&self.conn)?.map(|s| s.name).unwrap_or_default();
        let made_at = chrono::DateTime::from_timestamp_millis(i64::try_from(ctx.now_ms).unwrap_or(0))
            .map(|t| format!("{} {}", language.long_date(ctx.today), t.with_timezone(&chrono::Local).format("%H:%M")))
            .unwrap_or_else(|| language.long_date(ctx.today));
        let place = report.facility.clone().unwrap_or_else(|| "every facility in scope".into());
        let (action, what) = match format {
            ReportFormat::Pdf => (Action::Print, "PDF"),
            ReportFormat::Csv => (Action::Export, "CSV files"),
            ReportFormat::Json => (Action::Export, "JSON"),
        };
        let detail = format!("program report {from} to {to}, {place}, as {what} (counts only)");
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            w.audit(action, None, None, &detail)?;
            let files: Vec<(PathBuf, Vec<u8>)> = match format {
                ReportFormat::Pdf => {
                    let document = crate::reports::program_document(&report, &site, &w.who().display_name, &made_at, language);
                    vec![(path.to_path_buf(), crate::reports::render(&document))]
                }
                // A report of plain numbers and words always serialises.
                ReportFormat::Json => vec![(path.to_path_buf(), serde_json::to_vec_pretty(&report).expect("the report as JSON"))],
                ReportFormat::Csv => {
                    w.check_output(path)?;
                    std::fs::create_dir_all(path).map_err(crate::files::io_error(path, ("cannot make the folder", "no se puede crear la carpeta")))?;
                    crate::reports::program_csv(&report).into_iter().map(|(name, bytes)| (path.join(name), bytes)).collect()
                }
            };
            // A file that cannot be written takes the ones written before it away with it.
            for (n, (file, bytes)) in files.iter().enumerate() {
                if let Err(e) = w.write_output(file, bytes) {
                    for (written, _) in &files[..n] {
                        let _ = std::fs::remove_file(written);
                    }
                    return Err(e);
                }
            }
            Ok(files.into_iter().map(|(file, _)| file).collect())
        })
    }
}
