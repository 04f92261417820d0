//! Program episodes: a participant's enrolments in programs, their phases, ends and outcomes.

use super::columns::{date_col, uuid_col};
use super::participants::load_for;
use super::schema::Table;
use super::write::{text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, FieldError, Result};
use crate::model::{Episode, EpisodeInput, Outcome, ParticipantId, Phase, PhaseInput, ProgramKind};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use uuid::Uuid;

/// The person's episodes, the latest start first, each with its phases in date order.
pub(crate) fn load_episodes(conn: &Connection, participant: ParticipantId) -> Result<Vec<Episode>> {
    let mut phases: HashMap<Uuid, Vec<Phase>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT h.episode_id, h.id, h.date, h.phase FROM episode_phases h JOIN program_episodes e ON e.id = h.episode_id
         WHERE e.participant_id = ?1 AND h.deleted = 0 AND e.deleted = 0 ORDER BY h.date, h.phase",
    )?;
    let rows = stmt.query_map([participant], |r| {
        Ok((uuid_col(r.get(0)?), Phase { id: uuid_col(r.get(1)?).unwrap_or_default(), date: date_col(r.get(2)?).unwrap_or_default(), phase: r.get::<_, Option<String>>(3)?.unwrap_or_default() }))
    })?;
    for row in rows {
        let (episode, phase) = row?;
        phases.entry(episode.unwrap_or_default()).or_default().push(phase);
    }
    // Named, because SQLite keeps no statistics here and would rather walk the report's index of
    // every episode by date, for the order, than look up the person's few: on a site with
    // 150,000 episodes each record's page read them all.
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.kind, e.name, e.start_date, e.end_date, e.outcome, e.exit_note, f.name FROM program_episodes e INDEXED BY program_episodes_participant LEFT JOIN facilities f ON f.id = e.facility_id
         WHERE e.participant_id = ?1 AND e.deleted = 0 ORDER BY e.start_date DESC, e.id",
    )?;
    let rows = stmt.query_map([participant], |r| {
        let id = uuid_col(r.get(0)?).unwrap_or_default();
        Ok(Episode {
            id,
            kind: ProgramKind::parse(&r.get::<_, String>(1)?).unwrap_or(ProgramKind::Other),
            name: r.get(2)?,
            start_date: date_col(r.get(3)?).unwrap_or_default(),
            end_date: date_col(r.get(4)?),
            outcome: r.get::<_, Option<String>>(5)?.as_deref().and_then(Outcome::parse),
            exit_note: r.get(6)?,
            facility: r.get(7)?,
            phases: phases.remove(&id).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The episode `id` of `participant`, or "not found".
fn own_episode(w: &Writer<'_>, participant: ParticipantId, id: Uuid) -> Result<Episode> {
    load_episodes(w.tx(), participant)?.into_iter().find(|e| e.id == id).ok_or(Error::NotFound { what: "program episode", id: id.to_string() })
}

impl Store {
    /// The person's program episodes, as the record's page shows them.
    pub fn episodes(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Vec<Episode>> {
        self.view_part(ctx, participant, "program episodes", |conn, _, _| load_episodes(conn, participant))
    }

    /// Starts an episode (`id` none) at the facility holding the person, or corrects or ends one.
    /// Refused when it would overlap another episode of the same kind, or leave one of its
    /// phases outside its dates.
    pub fn save_episode(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &EpisodeInput) -> Result<Vec<Episode>> {
        let v = input.validate(ctx.today)?;
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            let person = load_for(w.tx(), w.who(), participant, Permission::EditParticipants)?;
            let (id, new) = w.own_or_new(Table::ProgramEpisodes, id, participant, "program episode")?;
            let end = v.end.map(|(date, _)| date);
            let episodes = load_episodes(w.tx(), participant)?;
            if let Some(other) = episodes.iter().find(|e| e.id != id && e.kind == v.kind && e.overlaps(v.start_date, end)) {
                let since = other.start_date;
                return Err(Error::field("start_date", match other.end_date {
                    None => said!("{} is already open since {since}: end it before starting another", "{} ya está abierto desde el {since}: termínelo antes de empezar otro", other.title()),
                    Some(until) => said!("this overlaps {} from {since} to {until}", "esto se superpone con {} del {since} al {until}", other.title()),
                }));
            }
            if let Some(this) = episodes.iter().find(|e| e.id == id) {
                let last = end.unwrap_or(ctx.today);
                if let Some(outside) = this.phases.iter().find(|p| p.date < v.start_date || p.date > last) {
                    let field = if outside.date < v.start_date { "start_date" } else { "end_date" };
                    return Err(Error::Validation(vec![FieldError::new(field, said!("the phase {} starts on {}, outside these dates", "la fase {} empieza el {}, fuera de estas fechas", outside.phase, outside.date))]));
                }
            }
            let mut fields = vec![
                ("kind", Value::Text(v.kind.as_str().into())),
                ("name", text(v.name.clone())),
                ("start_date", Value::Text(v.start_date.to_string())),
                ("end_date", text(end.map(|d| d.to_string()))),
                ("outcome", text(v.end.map(|(_, o)| o.as_str().to_string()))),
                ("exit_note", text(v.exit_note.clone())),
            ];
            if new {
                fields.retain(|(_, value)| *value != Value::Null);
                fields.push(("participant_id", Value::Text(participant.to_string())));
                fields.push(("facility_id", Value::Text(person.facility_id.to_string())));
            }
            w.save(Table::ProgramEpisodes, id, new, fields)?;
            load_episodes(w.tx(), participant)
        })
    }

    /// Records a move to a phase or level of one of the person's episodes.
    pub fn add_phase(&mut self, ctx: &WriteCtx, participant: ParticipantId, episode: Uuid, input: &PhaseInput) -> Result<Vec<Episode>> {
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            load_for(w.tx(), w.who(), participant, Permission::EditParticipants)?;
            let episode = own_episode(w, participant, episode)?;
            let (date, phase) = input.validate(&episode, ctx.today)?;
            let fields = vec![("episode_id", Value::Text(episode.id.to_string())), ("date", Value::Text(date.to_string())), ("phase", Value::Text(phase))];
            w.save(Table::EpisodePhases, ctx.new_uuid(), true, fields)?;
            load_episodes(w.tx(), participant)
        })
    }

    /// Removes an episode entered by mistake, with its phases. An episode that ended is not
    /// removed this way: its outcome is corrected instead, so a completion once counted is not
    /// lost without a trace.
    pub fn remove_episode(&mut self, ctx: &WriteCtx, participant: ParticipantId, episode: Uuid) -> Result<Vec<Episode>> {
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            load_for(w.tx(), w.who(), participant, Permission::EditParticipants)?;
            let episode = own_episode(w, participant, episode)?;
            if episode.end_date.is_some() {
                return Err(Error::Refused(said!("an ended program stays on the record: correct its dates or outcome instead", "un programa terminado se queda en el expediente: corrija sus fechas o su resultado")));
            }
            for phase in &episode.phases {
                w.write(&RecordChange { table: Table::EpisodePhases, id: phase.id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
            }
            w.write(&RecordChange { table: Table::ProgramEpisodes, id: episode.id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
            load_episodes(w.tx(), participant)
        })
    }

    /// Removes a phase entered by mistake.
    pub fn remove_phase(&mut self, ctx: &WriteCtx, participant: ParticipantId, phase: Uuid) -> Result<Vec<Episode>> {
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            load_for(w.tx(), w.who(), participant, Permission::EditParticipants)?;
            let owner: Option<String> = w
                .tx()
                .query_row(
                    "SELECT e.participant_id FROM episode_phases h JOIN program_episodes e ON e.id = h.episode_id WHERE h.id = ?1 AND h.deleted = 0 AND e.deleted = 0",
                    [phase.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if owner.as_deref() != Some(participant.to_string().as_str()) {
                return Err(Error::NotFound { what: "phase", id: phase.to_string() });
            }
            w.write(&RecordChange { table: Table::EpisodePhases, id: phase, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
            load_episodes(w.tx(), participant)
        })
    }
}
