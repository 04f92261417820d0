//! Group meetings on the calendar: computed from each group's weekly rule and what happened to
//! single meetings (moved, cancelled, added by hand), the week with its clashes, and printing it.

use super::groups::{load_group, Group};
use super::schema::Table;
use super::write::{text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, FieldError, Result};
use crate::model::{check_duration, clashes, occurrences, parse_time, Clash, FacilityId, GroupId, LocationId, Meeting, MeetingId, MeetingStatus};
use crate::text::clean_line;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Which meeting: its id, and for a scheduled one its group and the date it was scheduled for
/// (a scheduled meeting has no row until something happens to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MeetingKey {
    pub id: MeetingId,
    pub group_id: GroupId,
    pub occurrence: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WeekView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub meetings: Vec<Meeting>,
    pub clashes: Vec<Clash>,
}

/// A move of one meeting to another day, time, length or place.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct MeetingMove {
    pub date: String,
    pub start_time: String,
    pub duration_min: u32,
    pub location_id: String,
}


const MEETING_COLUMNS: &str = "s.id, s.group_id, s.occurrence, s.date, s.start_time, s.duration_min, s.location_id, coalesce(l.name, ''),
     s.status, s.cancel_reason, s.topic_covered, s.notes, s.facilitator_hours";

/// A stored session row, completed with its group's name, type and facilitators.
fn stored(conn: &Connection, where_sql: &str, args: &[&dyn rusqlite::ToSql], groups: &HashMap<GroupId, Group>) -> Result<Vec<Meeting>> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM sessions s LEFT JOIN locations l ON l.id = s.location_id WHERE s.deleted = 0 AND {where_sql}");
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        let group_id: GroupId = r.get(1)?;
        let Some(g) = groups.get(&group_id) else { continue };
        let status: String = r.get(8)?;
        out.push(Meeting {
            id: r.get(0)?,
            group_id,
            group_name: g.name.clone(),
            support_type: g.support_type,
            facility_id: g.facility_id,
            occurrence: r.get(2)?,
            date: r.get(3)?,
            start_time: r.get(4)?,
            duration_min: r.get(5)?,
            location_id: r.get(6)?,
            location_name: r.get(7)?,
            facilitators: g.facilitators.clone(),
            facilitator_names: g.facilitator_names.clone(),
            status: MeetingStatus::parse(&status).unwrap_or(MeetingStatus::Scheduled),
            cancel_reason: r.get(9)?,
            topic_covered: r.get(10)?,
            notes: r.get(11)?,
            facilitator_hours: r.get(12)?,
        });
    }
    Ok(out)
}

pub(crate) fn scheduled(g: &Group, occurrence: NaiveDate) -> Meeting {
    Meeting {
        id: MeetingId::scheduled(g.id, occurrence),
        group_id: g.id,
        group_name: g.name.clone(),
        support_type: g.support_type,
        facility_id: g.facility_id,
        occurrence: Some(occurrence),
        date: occurrence,
        start_time: g.start_time.clone(),
        duration_min: g.duration_min,
        location_id: g.location_id,
        location_name: g.location_name.clone(),
        facilitators: g.facilitators.clone(),
        facilitator_names: g.facilitator_names.clone(),
        status: MeetingStatus::Scheduled,
        cancel_reason: None,
        topic_covered: None,
        notes: None,
        facilitator_hours: None,
    }
}

fn group_dates(g: &Group, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let Ok(starts) = NaiveDate::parse_from_str(&g.starts_on, "%Y-%m-%d") else { return Vec::new() };
    let ends = g.ends_on.as_deref().and_then(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").ok());
    occurrences(&g.weekdays, starts, ends, from, to)
}

/// The meetings of `groups` dated `from`..=`to`: each scheduled date as it was moved or
/// cancelled, and the meetings added by hand, in date and time order.
pub(crate) fn meetings_between(conn: &Connection, groups: &HashMap<GroupId, Group>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
    let mut by_id: BTreeMap<MeetingId, Meeting> = BTreeMap::new();
    for g in groups.values() {
        for day in group_dates(g, from, to) {
            let s = scheduled(g, day);
            by_id.insert(s.id, s);
        }
    }
    for s in stored(conn, "(s.date BETWEEN ?1 AND ?2 OR s.occurrence BETWEEN ?1 AND ?2)", &[&from, &to], groups)? {
        by_id.insert(s.id, s);
    }
    let mut list: Vec<Meeting> = by_id.into_values().filter(|s| s.date >= from && s.date <= to).collect();
    list.sort_by(|a, b| (a.date, &a.start_time, &a.group_name).cmp(&(b.date, &b.start_time, &b.group_name)));
    Ok(list)
}

pub(crate) fn facility_groups(conn: &Connection, facility: FacilityId) -> Result<HashMap<GroupId, Group>> {
    let ids: Vec<GroupId> = conn
        .prepare_cached("SELECT id FROM groups WHERE facility_id = ?1 AND deleted = 0")?
        .query_map([facility], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| load_group(conn, id).map(|g| (id, g))).collect()
}

/// The session a key names, as it stands: its row if it has one, else the scheduled date.
pub(crate) fn resolve(conn: &Connection, key: &MeetingKey) -> Result<(Group, Meeting, bool)> {
    let group = load_group(conn, key.group_id)?;
    let groups = HashMap::from([(group.id, group.clone())]);
    if let Some(s) = stored(conn, "s.id = ?1", &[&key.id], &groups)?.pop() {
        return Ok((group, s, true));
    }
    let not_found = || Error::NotFound { what: "meeting", id: key.id.to_string() };
    let occurrence = key.occurrence.ok_or_else(not_found)?;
    let scheduled_here = MeetingId::scheduled(group.id, occurrence) == key.id && group_dates(&group, occurrence, occurrence) == [occurrence];
    if !scheduled_here {
        return Err(not_found());
    }
    Ok((group.clone(), scheduled(&group, occurrence), false))
}

/// The fields of a session row, for creating one or finding what changed.
fn meeting_fields(s: &Meeting) -> Vec<(&'static str, Value)> {
    vec![
        ("group_id", Value::Text(s.group_id.to_string())),
        ("occurrence", text(s.occurrence.map(|d| d.to_string()))),
        ("date", Value::Text(s.date.to_string())),
        ("start_time", Value::Text(s.start_time.clone())),
        ("duration_min", Value::Integer(i64::from(s.duration_min))),
        ("location_id", Value::Text(s.location_id.to_string())),
        ("status", Value::Text(s.status.as_str().into())),
        ("cancel_reason", text(s.cancel_reason.clone())),
        ("topic_covered", text(s.topic_covered.clone())),
        ("notes", text(s.notes.clone())),
        ("facilitator_hours", s.facilitator_hours.map_or(Value::Null, Value::Real)),
    ]
}

/// Writes `after` over `before`: the whole row for a new one, else only the changed fields.
pub(crate) fn write_meeting(w: &mut Writer<'_>, before: &Meeting, exists: bool, after: &Meeting) -> Result<()> {
    let fields = if exists {
        meeting_fields(after).into_iter().zip(meeting_fields(before)).filter(|((_, a), (_, b))| a != b).map(|(f, _)| f).collect()
    } else {
        meeting_fields(after)
    };
    w.write(&RecordChange { table: Table::Meetings, id: after.id.uuid(), action: if exists { Action::Update } else { Action::Create }, fields })
}

/// A move as checked before anything is read.
struct ValidMove {
    date: NaiveDate,
    start_time: String,
    duration_min: u32,
    location: LocationId,
}

impl MeetingMove {
    fn validate(&self) -> Result<ValidMove> {
        let mut errors = Vec::new();
        let date = match crate::model::parse::date("date", &self.date) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.extend(e.fields().to_vec());
                None
            }
        };
        let start = parse_time("start_time", &self.start_time, &mut errors);
        check_duration(self.duration_min, &mut errors);
        let location = self.location_id.parse::<LocationId>().ok();
        if location.is_none() {
            errors.push(FieldError::new("location_id", said!("choose the room or unit", "elija la sala o unidad")));
        }
        match (date, start, location) {
            (Some(date), Some(start), Some(location)) if errors.is_empty() => {
                Ok(ValidMove { date, start_time: start.format("%H:%M").to_string(), duration_min: self.duration_min, location })
            }
            _ => Err(Error::Validation(errors)),
        }
    }
}

impl ValidMove {
    /// `session` at the new day, time, length and place, which must be in the group's facility.
    fn apply(&self, conn: &Connection, group: &Group, session: Meeting) -> Result<Meeting> {
        let place: Option<String> = conn
            .query_row("SELECT name FROM locations WHERE id = ?1 AND facility_id = ?2 AND deleted = 0", params![self.location, group.facility_id], |r| r.get(0))
            .optional()?;
        let place = place.ok_or_else(|| Error::field("location_id", said!("that room or unit is not in this group's facility", "esa sala o unidad no está en el centro de este grupo")))?;
        Ok(Meeting {
            date: self.date,
            start_time: self.start_time.clone(),
            duration_min: self.duration_min,
            location_id: self.location,
            location_name: place,
            ..session
        })
    }
}

pub(crate) fn has_marks(conn: &Connection, id: MeetingId) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) > 0 FROM attendance WHERE session_id = ?1 AND deleted = 0", [id], |r| r.get(0))?)
}


impl Store {
    /// The week of `facility` from `from` (seven days), optionally one room or unit, with clashes.
    pub fn week(&self, facility: FacilityId, from: NaiveDate, location: Option<LocationId>) -> Result<WeekView> {
        self.allowed(Need::In(Permission::ViewParticipants, facility))?;
        let to = from + Duration::days(6);
        let groups = facility_groups(&self.conn, facility)?;
        let all = meetings_between(&self.conn, &groups, from, to)?;
        let members = |g: GroupId| groups.get(&g).map(|g| g.members.iter().map(|m| (m.participant_id, m.legal_name.clone())).collect()).unwrap_or_default();
        let found = clashes(&all, &members);
        let meetings: Vec<Meeting> = all.into_iter().filter(|s| location.is_none_or(|l| s.location_id == l)).collect();
        let shown: Vec<MeetingId> = meetings.iter().map(|s| s.id).collect();
        let clashes = found.into_iter().filter(|c| shown.contains(&c.first) || shown.contains(&c.second)).collect();
        Ok(WeekView { from, to, meetings, clashes })
    }

    /// Moves one meeting; a meeting with roll call taken stays where it was held.
    pub fn move_meeting(&mut self, ctx: &WriteCtx, key: &MeetingKey, to: &MeetingMove) -> Result<Meeting> {
        let to = to.validate()?;
        self.change(ctx, Need::Role(Permission::RunGroups), |w| {
            let (group, before, exists) = resolve(w.tx(), key)?;
            w.require(Permission::RunGroups, group.facility_id)?;
            if has_marks(w.tx(), before.id)? {
                return Err(Error::field("date", said!("roll call was taken for this meeting, so it stays where it was held", "se pasó lista en esta reunión, así que se queda donde se celebró")));
            }
            let after = to.apply(w.tx(), &group, before.clone())?;
            write_meeting(w, &before, exists, &after)?;
            Ok(after)
        })
    }

    /// Adds a one-off session to a group (a make-up date, an extra meeting).
    pub fn add_meeting(&mut self, ctx: &WriteCtx, group: GroupId, at: &MeetingMove) -> Result<Meeting> {
        let at = at.validate()?;
        self.change(ctx, Need::Role(Permission::RunGroups), |w| {
            let g = load_group(w.tx(), group)?;
            w.require(Permission::RunGroups, g.facility_id)?;
            let added = Meeting { id: MeetingId::from_uuid(ctx.new_uuid()), occurrence: None, ..scheduled(&g, at.date) };
            let added = at.apply(w.tx(), &g, added)?;
            write_meeting(w, &added, false, &added)?;
            Ok(added)
        })
    }

    /// Cancels one session, with the reason people will be told.
    pub fn cancel_meeting(&mut self, ctx: &WriteCtx, key: &MeetingKey, reason: &str) -> Result<Meeting> {
        let reason = clean_line(reason);
        if reason.is_empty() {
            return Err(Error::field("cancel_reason", said!("say why the meeting is cancelled, such as \"facility lockdown\"", "indique por qué se cancela la reunión, como «cierre del centro»")));
        }
        self.change(ctx, Need::Role(Permission::RunGroups), |w| {
            let (group, before, exists) = resolve(w.tx(), key)?;
            w.require(Permission::RunGroups, group.facility_id)?;
            if has_marks(w.tx(), before.id)? {
                return Err(Error::field("cancel_reason", said!("roll call was taken for this meeting: it was held", "se pasó lista en esta reunión: se celebró")));
            }
            let after = Meeting { status: MeetingStatus::Cancelled, cancel_reason: Some(reason), ..before.clone() };
            write_meeting(w, &before, exists, &after)?;
            Ok(after)
        })
    }

    /// Records that the week's calendar of `facility` from `from` is being printed.
    pub fn record_week_print(&mut self, ctx: &WriteCtx, facility: FacilityId, from: NaiveDate) -> Result<()> {
        self.change(ctx, Need::In(Permission::Print, facility), |w| w.audit(Action::Print, Some("facilities"), Some(&facility.to_string()), &format!("week calendar from {from}")))
    }
}
