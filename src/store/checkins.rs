//! Recovery-capital check-ins: recorded from the keyboard, scored by the core with the
//! instrument's definition, kept answer by answer so a check-in can always be rescored and its
//! subscales read, and due by the program's schedule.

use super::columns::date_col;
use super::instruments::{all_instruments, instrument, InstrumentEntry};
use super::participants::load_for;
use super::schema::Table;
use super::write::RecordChange;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result, Said};
use crate::model::{derived_id, CheckIn, CheckInDue, CheckInInput, ParticipantId, StaffId};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// A person's check-ins with the instruments they used and when the next is due: what the
/// trend chart draws.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CheckInHistory {
    pub participant_id: ParticipantId,
    /// Oldest first.
    pub check_ins: Vec<CheckIn>,
    /// Every instrument here, the built-in first: for the form and for each chart's scale,
    /// line and bands.
    pub instruments: Vec<InstrumentEntry>,
    pub next_due: Option<CheckInDue>,
}

/// A participant's check-ins, oldest first, each rescored from its stored answers for its
/// subscales and band.
pub(crate) fn load_check_ins(conn: &Connection, participant: ParticipantId, instruments: &[InstrumentEntry]) -> Result<Vec<CheckIn>> {
    let mut answers: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT a.checkin_id, a.item, a.value FROM checkin_answers a JOIN checkins c ON c.id = a.checkin_id
         WHERE c.participant_id = ?1 AND c.deleted = 0 AND a.deleted = 0",
    )?;
    for row in stmt.query_map([participant], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
        let (checkin, item, value) = row?;
        answers.entry(checkin).or_default().insert(item, value);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.instrument_id, c.date, c.language, c.total, coalesce(s.name, '') FROM checkins c LEFT JOIN staff s ON s.id = c.staff_id
         WHERE c.participant_id = ?1 AND c.deleted = 0 ORDER BY c.date, c.id",
    )?;
    let rows: Vec<(String, String, Option<String>, String, i64, String)> =
        stmt.query_map([participant], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(id, instrument_id, date, language, total, staff_name)| {
            let used = instruments.iter().find(|i| i.id == instrument_id);
            let answers = answers.remove(&id).unwrap_or_default();
            let subscales = used.and_then(|i| i.definition.score(&answers).ok()).map(|s| s.subscales).unwrap_or_default();
            CheckIn {
                id,
                participant_id: participant,
                instrument_name: used.map_or_else(|| "(an instrument not loaded here)".into(), |i| i.definition.display_name("en").to_string()),
                band: used.and_then(|i| i.definition.band(total, "en")).map(str::to_string),
                instrument_id,
                date: date_col(date).unwrap_or_default(),
                language,
                total,
                subscales,
                answers,
                staff_name,
            }
        })
        .collect())
}

/// When `participant`'s next check-in is due by the program's schedule.
pub(crate) fn next_due(conn: &Connection, p: &crate::model::Participant, last: Option<chrono::NaiveDate>) -> Result<Option<CheckInDue>> {
    let schedule = super::settings::read(conn)?.schedule;
    Ok(schedule.next_check_in(p.status, p.admission_date, p.release_date, last))
}

impl Store {
    /// Records a check-in: every item answered inside the instrument's scale, in one of its
    /// languages, by a peer in the staff directory; the core scores it.
    pub fn record_check_in(&mut self, ctx: &WriteCtx, input: &CheckInInput) -> Result<CheckIn> {
        let participant = crate::model::parse::record_id("participant", &input.participant_id).map(ParticipantId::from_uuid)?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::Role(Permission::PeerWork), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::PeerWork)?;
            let used = instrument(w.tx(), &input.instrument_id)?;
            let date = input.checked_date(ctx.today, &super::contacts::custody_of(w.tx(), &p)?)?;
            let language = input.language.trim();
            if !used.definition.languages.iter().any(|l| l == language) {
                let name = used.definition.display_name("en");
                let (offered_en, offered_es) = (used.definition.languages.join(" or "), used.definition.languages.join(" o "));
                return Err(Error::field("language", Said { en: format!("{name} is written in {offered_en}"), es: format!("{name} está escrito en {offered_es}") }));
            }
            let staff = crate::model::parse::record_id("staff member", &input.staff_id).map(StaffId::from_uuid).ok();
            super::contacts::peer_of(w.tx(), staff, &p, said!("choose who asked the questions from the staff directory", "elija del directorio del personal quién hizo las preguntas"))?;
            let score = used.definition.score(&input.answers)?;
            w.write(&RecordChange {
                table: Table::CheckIns,
                id,
                action: Action::Create,
                fields: vec![
                    ("participant_id", Value::Text(participant.to_string())),
                    ("instrument_id", Value::Text(used.id.clone())),
                    ("date", Value::Text(date.to_string())),
                    ("language", Value::Text(language.to_string())),
                    ("total", Value::Integer(score.total)),
                    ("staff_id", Value::Text(staff.map(|s| s.to_string()).unwrap_or_default())),
                ],
            })?;
            for (item, value) in &input.answers {
                w.write(&RecordChange {
                    table: Table::CheckInAnswers,
                    id: derived_id(&["checkin_answer", &id.to_string(), item]),
                    action: Action::Create,
                    fields: vec![("checkin_id", Value::Text(id.to_string())), ("item", Value::Text(item.clone())), ("value", Value::Integer(*value))],
                })?;
            }
            Ok(())
        })?;
        let instruments = all_instruments(&self.conn)?;
        load_check_ins(&self.conn, participant, &instruments)?.into_iter().find(|c| c.id == id.to_string()).ok_or(Error::NotFound { what: "check-in", id: id.to_string() })
    }

    /// A person's check-ins, the instruments, and when the next is due; the reading is audited.
    pub fn check_ins(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<CheckInHistory> {
        self.view_part(ctx, participant, "check-ins", |conn, _, p| {
            let instruments = all_instruments(conn)?;
            let check_ins = load_check_ins(conn, participant, &instruments)?;
            let next_due = next_due(conn, p, check_ins.last().map(|c| c.date))?;
            Ok(CheckInHistory { participant_id: participant, check_ins, instruments, next_due })
        })
    }

    /// Records that a person's check-in trend is being printed, after the same checks as
    /// reading it; the window prints what it shows.
    pub fn check_ins_print_recorded(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<()> {
        self.change(ctx, Need::Role(Permission::Print), |w| {
            load_for(w.tx(), w.who(), participant, Permission::Print)?;
            w.audit(Action::Print, Some(Table::Participants.name()), Some(&participant.to_string()), "printed the check-in trend")
        })
    }
}
