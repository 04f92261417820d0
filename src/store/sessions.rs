//! Sessions: the calendar computed from the weekly rules and what happened to single sessions,
//! moving, cancelling and adding one, roll call, and attendance history ("dosage").

use super::groups::{load_group, Group};
use super::participants::load as load_participant;
use super::write::{text, RecordChange, Table, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, FieldError, Result};
use crate::model::{
    check_duration, clashes, occurrences, parse_time, Clash, FacilityId, GroupId, GroupSession, LocationId, Mark, ParticipantId, SessionId,
    SessionStatus, Status,
};
use crate::text::clean_line;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Which session: its id, and for a scheduled one its group and the date it was scheduled for
/// (a scheduled session has no row until something happens to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionKey {
    pub id: SessionId,
    pub group_id: GroupId,
    pub occurrence: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub sessions: Vec<GroupSession>,
    pub clashes: Vec<Clash>,
}

/// A move of one session to another day, time, length or place.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionMove {
    pub date: String,
    pub start_time: String,
    pub duration_min: u32,
    pub location_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct RollCall {
    pub session: GroupSession,
    pub rows: Vec<RollRow>,
    pub open_group: bool,
    /// Roll call later than this many days after the session needs a reason.
    pub window_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarkInput {
    pub participant_id: ParticipantId,
    pub mark: Mark,
    #[serde(default)]
    pub walk_in: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RollCallInput {
    pub marks: Vec<MarkInput>,
    #[serde(default)]
    pub topic_covered: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub facilitator_hours: Option<f64>,
    #[serde(default)]
    pub late_reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hours {
    pub label: String,
    pub sessions: u32,
    pub hours: f64,
}

/// A participant's attendance: what grant reports and program completion ask for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendanceHistory {
    pub sessions_attended: u32,
    pub hours: f64,
    pub by_group: Vec<Hours>,
    pub by_month: Vec<Hours>,
    pub by_support: Vec<Hours>,
    /// Sessions missed (absent or refused) in a row, up to the latest; excused ones neither
    /// count nor break a streak.
    pub current_missed_streak: u32,
    pub longest_missed_streak: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionAttendance {
    pub session_id: SessionId,
    pub date: NaiveDate,
    pub marked: u32,
    pub present: u32,
}

const SESSION_COLUMNS: &str = "s.id, s.group_id, s.occurrence, s.date, s.start_time, s.duration_min, s.location_id, coalesce(l.name, ''),
     s.status, s.cancel_reason, s.topic_covered, s.notes, s.facilitator_hours";

/// A stored session row, completed with its group's name, type and facilitators.
fn stored(conn: &Connection, where_sql: &str, args: &[&dyn rusqlite::ToSql], groups: &HashMap<GroupId, Group>) -> Result<Vec<GroupSession>> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions s LEFT JOIN locations l ON l.id = s.location_id WHERE s.deleted = 0 AND {where_sql}");
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        let group_id: GroupId = r.get(1)?;
        let Some(g) = groups.get(&group_id) else { continue };
        let status: String = r.get(8)?;
        out.push(GroupSession {
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
            status: SessionStatus::parse(&status).unwrap_or(SessionStatus::Scheduled),
            cancel_reason: r.get(9)?,
            topic_covered: r.get(10)?,
            notes: r.get(11)?,
            facilitator_hours: r.get(12)?,
        });
    }
    Ok(out)
}

fn scheduled(g: &Group, occurrence: NaiveDate) -> GroupSession {
    GroupSession {
        id: SessionId::scheduled(g.id, occurrence),
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
        status: SessionStatus::Scheduled,
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

/// The sessions of `groups` dated `from`..=`to`: each scheduled date as it was moved or
/// cancelled, and the sessions added by hand, in date and time order.
fn sessions_between(conn: &Connection, groups: &HashMap<GroupId, Group>, from: NaiveDate, to: NaiveDate) -> Result<Vec<GroupSession>> {
    let mut by_id: BTreeMap<SessionId, GroupSession> = BTreeMap::new();
    for g in groups.values() {
        for day in group_dates(g, from, to) {
            let s = scheduled(g, day);
            by_id.insert(s.id, s);
        }
    }
    for s in stored(conn, "(s.date BETWEEN ?1 AND ?2 OR s.occurrence BETWEEN ?1 AND ?2)", &[&from, &to], groups)? {
        by_id.insert(s.id, s);
    }
    let mut list: Vec<GroupSession> = by_id.into_values().filter(|s| s.date >= from && s.date <= to).collect();
    list.sort_by(|a, b| (a.date, &a.start_time, &a.group_name).cmp(&(b.date, &b.start_time, &b.group_name)));
    Ok(list)
}

fn facility_groups(conn: &Connection, facility: FacilityId) -> Result<HashMap<GroupId, Group>> {
    let ids: Vec<GroupId> = conn
        .prepare_cached("SELECT id FROM groups WHERE facility_id = ?1 AND deleted = 0")?
        .query_map([facility], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| load_group(conn, id).map(|g| (id, g))).collect()
}

/// The session a key names, as it stands: its row if it has one, else the scheduled date.
fn resolve(conn: &Connection, key: &SessionKey) -> Result<(Group, GroupSession, bool)> {
    let group = load_group(conn, key.group_id)?;
    let groups = HashMap::from([(group.id, group.clone())]);
    if let Some(s) = stored(conn, "s.id = ?1", &[&key.id], &groups)?.pop() {
        return Ok((group, s, true));
    }
    let not_found = || Error::NotFound { what: "session", id: key.id.to_string() };
    let occurrence = key.occurrence.ok_or_else(not_found)?;
    let scheduled_here = SessionId::scheduled(group.id, occurrence) == key.id && group_dates(&group, occurrence, occurrence) == [occurrence];
    if !scheduled_here {
        return Err(not_found());
    }
    Ok((group.clone(), scheduled(&group, occurrence), false))
}

/// The fields of a session row, for creating one or finding what changed.
fn session_fields(s: &GroupSession) -> Vec<(&'static str, Value)> {
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
fn write_session(w: &mut Writer<'_>, before: &GroupSession, exists: bool, after: &GroupSession) -> Result<()> {
    let fields = if exists {
        session_fields(after).into_iter().zip(session_fields(before)).filter(|((_, a), (_, b))| a != b).map(|(f, _)| f).collect()
    } else {
        session_fields(after)
    };
    w.write(&RecordChange { table: Table::Sessions, id: after.id.uuid(), action: if exists { Action::Update } else { Action::Create }, fields })
}

fn parse_day(field: &'static str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::field(field, format!("the date must be written as YYYY-MM-DD, not \"{}\"", s.trim())))
}

/// A move as checked before anything is read.
struct ValidMove {
    date: NaiveDate,
    start_time: String,
    duration_min: u32,
    location: LocationId,
}

impl SessionMove {
    fn validate(&self) -> Result<ValidMove> {
        let mut errors = Vec::new();
        let date = match parse_day("date", &self.date) {
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
            errors.push(FieldError::new("location_id", "choose the room or unit"));
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
    fn apply(&self, conn: &Connection, group: &Group, session: GroupSession) -> Result<GroupSession> {
        let place: Option<String> = conn
            .query_row("SELECT name FROM locations WHERE id = ?1 AND facility_id = ?2 AND deleted = 0", params![self.location, group.facility_id], |r| r.get(0))
            .optional()?;
        let place = place.ok_or_else(|| Error::field("location_id", "that room or unit is not in this group's facility"))?;
        Ok(GroupSession {
            date: self.date,
            start_time: self.start_time.clone(),
            duration_min: self.duration_min,
            location_id: self.location,
            location_name: place,
            ..session
        })
    }
}

fn has_marks(conn: &Connection, id: SessionId) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) > 0 FROM attendance WHERE session_id = ?1 AND deleted = 0", [id], |r| r.get(0))?)
}

impl Store {
    /// The week of `facility` from `from` (seven days), optionally one room or unit, with clashes.
    pub fn week(&self, facility: FacilityId, from: NaiveDate, location: Option<LocationId>) -> Result<WeekView> {
        self.allowed(Permission::ViewParticipants, Some(facility))?;
        let to = from + Duration::days(6);
        let groups = facility_groups(&self.conn, facility)?;
        let all = sessions_between(&self.conn, &groups, from, to)?;
        let members = |g: GroupId| groups.get(&g).map(|g| g.members.iter().map(|m| (m.participant_id, m.legal_name.clone())).collect()).unwrap_or_default();
        let found = clashes(&all, &members);
        let sessions: Vec<GroupSession> = all.into_iter().filter(|s| location.is_none_or(|l| s.location_id == l)).collect();
        let shown: Vec<SessionId> = sessions.iter().map(|s| s.id).collect();
        let clashes = found.into_iter().filter(|c| shown.contains(&c.first) || shown.contains(&c.second)).collect();
        Ok(WeekView { from, to, sessions, clashes })
    }

    /// Moves one session; a session with roll call taken stays where it was held.
    pub fn move_session(&mut self, ctx: &WriteCtx, key: &SessionKey, to: &SessionMove) -> Result<GroupSession> {
        let to = to.validate()?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (group, before, exists) = resolve(w.tx(), key)?;
        who.require(Permission::RunGroups, Some(group.facility_id))?;
        if has_marks(w.tx(), before.id)? {
            return Err(Error::field("date", "roll call was taken for this session, so it stays where it was held"));
        }
        let after = to.apply(w.tx(), &group, before.clone())?;
        write_session(&mut w, &before, exists, &after)?;
        w.commit()?;
        Ok(after)
    }

    /// Adds a one-off session to a group (a make-up date, an extra meeting).
    pub fn add_session(&mut self, ctx: &WriteCtx, group: GroupId, at: &SessionMove) -> Result<GroupSession> {
        let at = at.validate()?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let g = load_group(w.tx(), group)?;
        who.require(Permission::RunGroups, Some(g.facility_id))?;
        let added = GroupSession { id: SessionId::from_uuid(ctx.new_uuid()), occurrence: None, ..scheduled(&g, at.date) };
        let added = at.apply(w.tx(), &g, added)?;
        write_session(&mut w, &added, false, &added)?;
        w.commit()?;
        Ok(added)
    }

    /// Cancels one session, with the reason people will be told.
    pub fn cancel_session(&mut self, ctx: &WriteCtx, key: &SessionKey, reason: &str) -> Result<GroupSession> {
        let reason = clean_line(reason);
        if reason.is_empty() {
            return Err(Error::field("cancel_reason", "say why the session is cancelled, such as \"facility lockdown\""));
        }
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (group, before, exists) = resolve(w.tx(), key)?;
        who.require(Permission::RunGroups, Some(group.facility_id))?;
        if has_marks(w.tx(), before.id)? {
            return Err(Error::field("cancel_reason", "roll call was taken for this session: it was held"));
        }
        let after = GroupSession { status: SessionStatus::Cancelled, cancel_reason: Some(reason), ..before.clone() };
        write_session(&mut w, &before, exists, &after)?;
        w.commit()?;
        Ok(after)
    }
}

/// Why `participant` cannot be marked present on `date`: they left before it.
fn gone_by(p: &crate::model::Participant, date: NaiveDate) -> Option<String> {
    (p.status != Status::Active && p.status_date <= date).then(|| format!("{} on {}", p.status.as_str(), p.status_date))
}

impl Store {
    /// Opens a session's roll call: the roster on that day with any marks already taken, and
    /// walk-ins marked earlier.
    pub fn roll_call(&self, key: &SessionKey) -> Result<RollCall> {
        let (group, session, _) = resolve(&self.conn, key)?;
        self.allowed(Permission::ViewParticipants, Some(group.facility_id))?;
        let mut marks: HashMap<ParticipantId, (Mark, bool)> = HashMap::new();
        let mut stmt = self.conn.prepare_cached("SELECT participant_id, mark, walk_in FROM attendance WHERE session_id = ?1 AND deleted = 0")?;
        for row in stmt.query_map([session.id], |r| Ok((r.get::<_, ParticipantId>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))? {
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
                gone: gone_by(&p, session.date),
                legal_name: p.legal_name,
                preferred_name: p.preferred_name,
                facility_number: p.facility_number,
                unit_name: p.unit_name,
                mark,
                walk_in,
            });
        }
        rows.sort_by_cached_key(|r| crate::text::fold(&r.legal_name));
        Ok(RollCall { session, rows, open_group: group.open_group, window_days: self.settings()?.roll_call_window_days })
    }

    /// Saves a roll call in one transaction: the session's marks, topic, notes and facilitator
    /// hours. Saving again changes the same records, so a session is never entered twice.
    pub fn save_roll_call(&mut self, ctx: &WriteCtx, key: &SessionKey, input: &RollCallInput) -> Result<RollCall> {
        let window = self.settings()?.roll_call_window_days;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let (group, before, exists) = resolve(w.tx(), key)?;
        who.require(Permission::RunGroups, Some(group.facility_id))?;
        let mut errors = Vec::new();
        if before.status == SessionStatus::Cancelled {
            return Err(Error::field("marks", format!("this session was cancelled ({}): no roll call", before.cancel_reason.as_deref().unwrap_or("no reason given"))));
        }
        if before.date > ctx.today {
            return Err(Error::field("marks", format!("this session is on {}: roll call is taken on the day or after", before.date)));
        }
        let late_reason = clean_line(&input.late_reason);
        let days_late = (ctx.today - before.date).num_days();
        if days_late > i64::from(window) && late_reason.is_empty() {
            errors.push(FieldError::new("late_reason", format!("this session was {days_late} days ago: say why its roll call is entered late")));
        }
        if input.facilitator_hours.is_some_and(|h| !(0.0..=24.0).contains(&h)) {
            errors.push(FieldError::new("facilitator_hours", "facilitator hours are between 0 and 24"));
        }
        let mut seen = Vec::new();
        let mut writes = Vec::new();
        for m in &input.marks {
            if seen.contains(&m.participant_id) {
                errors.push(FieldError::new("marks", "a person is marked twice in this roll call"));
                continue;
            }
            seen.push(m.participant_id);
            let p = load_participant(w.tx(), m.participant_id)?;
            let on_roster = group.members.iter().any(|x| x.participant_id == m.participant_id);
            if p.facility_id != group.facility_id {
                errors.push(FieldError::new("marks", format!("{} is not at this group's facility", p.legal_name)));
            } else if !on_roster && !group.open_group {
                errors.push(FieldError::new("marks", format!("{} is not on the roster, and this is a closed group", p.legal_name)));
            } else if let Some(gone) = gone_by(&p, before.date).filter(|_| m.mark == Mark::Present) {
                errors.push(FieldError::new("marks", format!("{} cannot be marked present: {gone}", p.legal_name)));
            }
            writes.push((m, on_roster));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let held = GroupSession {
            status: SessionStatus::Held,
            topic_covered: crate::model::optional_text(&input.topic_covered),
            notes: crate::model::optional_text(&input.notes),
            facilitator_hours: input.facilitator_hours,
            ..before.clone()
        };
        write_session(&mut w, &before, exists, &held)?;
        if !late_reason.is_empty() {
            w.write(&RecordChange { table: Table::Sessions, id: held.id.uuid(), action: Action::Update, fields: vec![("late_reason", Value::Text(late_reason))] })?;
        }
        for (m, on_roster) in writes {
            let id = held.id.attendance(m.participant_id);
            let current: Option<(String, bool)> =
                w.tx().query_row("SELECT mark, walk_in FROM attendance WHERE id = ?1", [id.to_string()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            let walk_in = m.walk_in || !on_roster;
            let fields = match current {
                None => vec![
                    ("session_id", Value::Text(held.id.to_string())),
                    ("participant_id", Value::Text(m.participant_id.to_string())),
                    ("mark", Value::Text(m.mark.as_str().into())),
                    ("walk_in", Value::Integer(i64::from(walk_in))),
                ],
                Some((mark, _)) if mark == m.mark.as_str() => continue,
                Some(_) => vec![("mark", Value::Text(m.mark.as_str().into()))],
            };
            let action = if fields.len() > 1 { Action::Create } else { Action::Update };
            w.write(&RecordChange { table: Table::Attendance, id, action, fields })?;
        }
        w.commit()?;
        self.roll_call(&SessionKey { id: held.id, group_id: held.group_id, occurrence: held.occurrence })
    }

    /// A participant's attendance: hours by group, month and type of support, and missed streaks.
    pub fn attendance_history(&self, participant: ParticipantId) -> Result<AttendanceHistory> {
        let p = load_participant(&self.conn, participant)?;
        self.allowed(Permission::ViewParticipants, Some(p.facility_id))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.mark, s.date, s.start_time, s.duration_min, g.name, g.support_type
             FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id
             WHERE a.participant_id = ?1 AND a.deleted = 0 AND s.deleted = 0 ORDER BY s.date, s.start_time",
        )?;
        let rows = stmt
            .query_map([participant], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, u32>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(dosage(&rows))
    }

    /// A group's attendance over time: for each session with roll call, how many were marked
    /// and how many were present, oldest first.
    pub fn group_attendance(&self, group: GroupId) -> Result<Vec<SessionAttendance>> {
        let g = load_group(&self.conn, group)?;
        self.allowed(Permission::ViewParticipants, Some(g.facility_id))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.date, count(a.id), sum(a.mark = 'present') FROM sessions s JOIN attendance a ON a.session_id = s.id AND a.deleted = 0
             WHERE s.group_id = ?1 AND s.deleted = 0 GROUP BY s.id ORDER BY s.date",
        )?;
        let rows = stmt
            .query_map([group], |r| Ok(SessionAttendance { session_id: r.get(0)?, date: r.get(1)?, marked: r.get(2)?, present: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Sums present sessions into hours, and finds streaks of missed ones, from (mark, date,
/// minutes, group, support type) in date order.
fn dosage(rows: &[(String, NaiveDate, u32, String, String)]) -> AttendanceHistory {
    let mut by_group: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut by_month: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut by_support: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let (mut streak, mut longest, mut sessions, mut minutes) = (0u32, 0u32, 0u32, 0u32);
    for (mark, date, duration, group, support) in rows {
        match Mark::parse(mark) {
            Some(Mark::Present) => {
                streak = 0;
                sessions += 1;
                minutes += duration;
                for (map, key) in [(&mut by_group, group.clone()), (&mut by_month, date.format("%Y-%m").to_string()), (&mut by_support, support.clone())] {
                    let e = map.entry(key).or_default();
                    e.0 += 1;
                    e.1 += duration;
                }
            }
            Some(Mark::Absent | Mark::Refused) => {
                streak += 1;
                longest = longest.max(streak);
            }
            Some(Mark::Excused) | None => {}
        }
    }
    let hours = |m: BTreeMap<String, (u32, u32)>| -> Vec<Hours> {
        m.into_iter().map(|(label, (sessions, minutes))| Hours { label, sessions, hours: f64::from(minutes) / 60.0 }).collect()
    };
    AttendanceHistory {
        sessions_attended: sessions,
        hours: f64::from(minutes) / 60.0,
        by_group: hours(by_group),
        by_month: hours(by_month),
        by_support: hours(by_support),
        current_missed_streak: streak,
        longest_missed_streak: longest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dosage_sums_present_hours_and_finds_missed_streaks() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let row = |mark: &str, date: &str, minutes: u32, group: &str, support: &str| (mark.to_string(), d(date), minutes, group.to_string(), support.to_string());
        let history = dosage(&[
            row("present", "2026-10-05", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-10-12", 90, "Relapse Prevention", "informational"),
            row("refused", "2026-10-19", 90, "Relapse Prevention", "informational"),
            row("excused", "2026-10-26", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-10-27", 60, "Coffee and Conversation", "affiliational"),
            row("present", "2026-11-02", 60, "Coffee and Conversation", "affiliational"),
            row("present", "2026-11-09", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-11-16", 90, "Relapse Prevention", "informational"),
        ]);
        assert_eq!(history.sessions_attended, 3);
        assert!((history.hours - 4.0).abs() < 1e-9);
        assert_eq!(history.by_month.iter().map(|h| (h.label.as_str(), h.hours)).collect::<Vec<_>>(), [("2026-10", 1.5), ("2026-11", 2.5)]);
        assert_eq!(history.by_support.iter().map(|h| (h.label.as_str(), h.sessions)).collect::<Vec<_>>(), [("affiliational", 1), ("informational", 2)]);
        assert_eq!(history.by_group.iter().map(|h| (h.label.as_str(), h.hours)).collect::<Vec<_>>(), [("Coffee and Conversation", 1.0), ("Relapse Prevention", 3.0)]);
        assert_eq!((history.longest_missed_streak, history.current_missed_streak), (3, 1), "excused neither counts nor breaks a streak");
    }
}
