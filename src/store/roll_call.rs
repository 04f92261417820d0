//! Roll call: the roster of a meeting on its day with the marks taken, and saving a roll call
//! whole in one transaction.

use super::meetings::{resolve, write_meeting, MeetingKey};
use super::participants::load as load_participant;
use super::schema::Table;
use super::write::RecordChange;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, FieldError, Result};
use crate::model::{Mark, Meeting, MeetingStatus, ParticipantId, Status};
use crate::text::clean_line;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RollRow {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub facility_number: String,
    pub unit_name: Option<String>,
    pub mark: Option<Mark>,
    pub walk_in: bool,
    /// Why this person cannot be marked present (released or transferred before the session).
    pub gone: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RollCall {
    pub meeting: Meeting,
    pub rows: Vec<RollRow>,
    pub open_group: bool,
    /// Roll call later than this many days after the meeting needs a reason.
    pub window_days: u32,
    /// Whether that many days have passed: the form asks for the reason.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct MarkInput {
    pub participant_id: ParticipantId,
    pub mark: Mark,
    pub walk_in: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct RollCallInput {
    pub marks: Vec<MarkInput>,
    pub topic_covered: String,
    pub notes: String,
    pub facilitator_hours: Option<f64>,
    pub late_reason: String,
}


/// How many days late a roll call for a meeting on `date` is on `today`, when it is later than
/// the site's window allows.
fn days_late(date: NaiveDate, today: NaiveDate, window_days: u32) -> Option<i64> {
    let days = (today - date).num_days();
    (days > i64::from(window_days)).then_some(days)
}

/// Why `participant` cannot be marked present on `date`: they left before it.
fn gone_by(p: &crate::model::Participant, date: NaiveDate) -> Option<String> {
    (p.status != Status::Active && p.status_date <= date).then(|| format!("{} on {}", p.status.as_str(), p.status_date))
}

impl Store {
    /// Opens a session's roll call: the roster on that day with any marks already taken, and
    /// walk-ins marked earlier.
    pub fn roll_call(&self, key: &MeetingKey, today: NaiveDate) -> Result<RollCall> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        let (group, meeting, _) = resolve(&self.conn, key)?;
        who.require(Permission::ViewParticipants, Some(group.facility_id))?;
        let mut marks: HashMap<ParticipantId, (Mark, bool)> = HashMap::new();
        let mut stmt = self.conn.prepare_cached("SELECT participant_id, mark, walk_in FROM attendance WHERE session_id = ?1 AND deleted = 0")?;
        for row in stmt.query_map([meeting.id], |r| Ok((r.get::<_, ParticipantId>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))? {
            let (p, mark, walk_in) = row?;
            if let Some(mark) = Mark::parse(&mark) {
                marks.insert(p, (mark, walk_in));
            }
        }
        let mut people: Vec<ParticipantId> = group.members.iter().map(|m| m.participant_id).collect();
        people.extend(marks.keys().filter(|p| !people.contains(p)).copied().collect::<Vec<_>>());
        let mut rows = Vec::with_capacity(people.len());
        for id in people {
            let Ok(p) = load_participant(&self.conn, id) else { continue };
            let (mark, walk_in) = marks.get(&id).map_or((None, false), |(m, w)| (Some(*m), *w));
            rows.push(RollRow {
                participant_id: id,
                gone: gone_by(&p, meeting.date),
                legal_name: p.legal_name,
                preferred_name: p.preferred_name,
                facility_number: p.facility_number,
                unit_name: p.unit_name,
                mark,
                walk_in,
            });
        }
        rows.sort_by_cached_key(|r| crate::text::fold(&r.legal_name));
        let window_days = super::settings::read(&self.conn)?.roll_call_window_days;
        Ok(RollCall { late: days_late(meeting.date, today, window_days).is_some(), meeting, rows, open_group: group.open_group, window_days })
    }

    /// Saves a roll call in one transaction: the session's marks, topic, notes and facilitator
    /// hours. Saving again changes the same records, so a session is never entered twice.
    pub fn save_roll_call(&mut self, ctx: &WriteCtx, key: &MeetingKey, input: &RollCallInput) -> Result<RollCall> {
        let window = super::settings::read(&self.conn)?.roll_call_window_days;
        let held = self.change(ctx, Need::Role(Permission::RunGroups), |w| {
            let (group, before, exists) = resolve(w.tx(), key)?;
            w.require(Permission::RunGroups, group.facility_id)?;
            if before.status == MeetingStatus::Cancelled {
                return Err(Error::field("marks", said!("this meeting was cancelled: there is no roll call for it", "esta reunión se canceló: no hay lista de asistencia")));
            }
            if before.date > ctx.today {
                return Err(Error::field("marks", said!("this meeting is on {}: roll call is taken on the day or after", "esta reunión es el {}: se pasa lista ese día o después", before.date)));
            }
            let mut errors = Vec::new();
            let late_reason = clean_line(&input.late_reason);
            if let (Some(days_late), true) = (days_late(before.date, ctx.today, window), late_reason.is_empty()) {
                errors.push(FieldError::new("late_reason", said!("this meeting was {days_late} days ago: say why its roll call is entered late", "esta reunión fue hace {days_late} días: indique por qué se anota tarde su lista")));
            }
            if input.facilitator_hours.is_some_and(|h| !(0.0..=24.0).contains(&h)) {
                errors.push(FieldError::new("facilitator_hours", said!("facilitator hours are between 0 and 24", "las horas del facilitador van de 0 a 24")));
            }
            let mut seen = Vec::new();
            let mut writes = Vec::new();
            for (n, m) in input.marks.iter().enumerate() {
                let row = n + 1;
                if seen.contains(&m.participant_id) {
                    errors.push(FieldError::new("marks", said!("mark {row}: this person is marked twice in this roll call", "anotación {row}: esta persona está anotada dos veces en esta lista")));
                    continue;
                }
                seen.push(m.participant_id);
                let p = load_participant(w.tx(), m.participant_id)?;
                let on_roster = group.members.iter().any(|x| x.participant_id == m.participant_id);
                if p.facility_id != group.facility_id {
                    errors.push(FieldError::new("marks", said!("mark {row}: this person is not at this group's facility", "anotación {row}: esta persona no está en el centro de este grupo")));
                } else if !on_roster && !group.open_group {
                    errors.push(FieldError::new("marks", said!("mark {row}: this person is not on the roster, and this is a closed group", "anotación {row}: esta persona no está en la lista y este es un grupo cerrado")));
                } else if let Some(gone) = gone_by(&p, before.date).filter(|_| m.mark == Mark::Present) {
                    errors.push(FieldError::new("marks", said!("mark {row}: this person cannot be marked present ({gone})", "anotación {row}: esta persona no puede anotarse como presente ({gone})")));
                }
                writes.push((m, on_roster));
            }
            if !errors.is_empty() {
                return Err(Error::Validation(errors));
            }
            let held = Meeting {
                status: MeetingStatus::Held,
                topic_covered: crate::model::optional_text(&input.topic_covered),
                notes: crate::model::optional_text(&input.notes),
                facilitator_hours: input.facilitator_hours,
                ..before.clone()
            };
            write_meeting(w, &before, exists, &held)?;
            // Who led it is kept as roll call first found it, for the record of peer work.
            let recorded: Option<String> = w.tx().query_row("SELECT facilitators FROM sessions WHERE id = ?1", [held.id.to_string()], |r| r.get(0))?;
            if recorded.is_none() {
                let ids: Vec<String> = group.facilitators.iter().map(ToString::to_string).collect();
                let list = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
                w.write(&RecordChange { table: Table::Meetings, id: held.id.uuid(), action: Action::Update, fields: vec![("facilitators", Value::Text(list))] })?;
            }
            if !late_reason.is_empty() {
                w.write(&RecordChange { table: Table::Meetings, id: held.id.uuid(), action: Action::Update, fields: vec![("late_reason", Value::Text(late_reason))] })?;
            }
            for (m, on_roster) in writes {
                let id = held.id.attendance(m.participant_id);
                let current: Option<(String, bool)> =
                    w.tx().query_row("SELECT mark, walk_in FROM attendance WHERE id = ?1", [id.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
                let walk_in = m.walk_in || !on_roster;
                let (action, fields) = match current {
                    None => (
                        Action::Create,
                        vec![
                            ("session_id", Value::Text(held.id.to_string())),
                            ("participant_id", Value::Text(m.participant_id.to_string())),
                            ("mark", Value::Text(m.mark.as_str().into())),
                            ("walk_in", Value::Integer(i64::from(walk_in))),
                        ],
                    ),
                    Some((mark, _)) if mark == m.mark.as_str() => continue,
                    Some(_) => (Action::Update, vec![("mark", Value::Text(m.mark.as_str().into()))]),
                };
                w.write(&RecordChange { table: Table::Attendance, id, action, fields })?;
            }
            Ok(held)
        })?;
        self.roll_call(&MeetingKey { id: held.id, group_id: held.group_id, occurrence: held.occurrence }, ctx.today)
    }
}
