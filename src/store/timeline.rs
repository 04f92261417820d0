//! A person's story as one list: contacts, groups attended, check-ins, recovery-plan changes,
//! status changes, reentry steps and hand-offs, newest first. Contact notes appear only as far
//! as the reader may see them, by the same rule as the contact list.

use super::checkins::load_check_ins;
use super::columns::date_col;
use super::contacts::load_contacts;
use super::instruments::all_instruments;
use super::{Store, WriteCtx};
use crate::auth::Session;
use crate::error::Result;
use crate::model::{Area, Moment, MomentKind, Note, Participant, ParticipantId, Status, Timeline};
use chrono::{NaiveDate, TimeZone};
use rusqlite::Connection;

/// The local calendar day of a moment stored in milliseconds.
fn day_of(ms: i64) -> Option<NaiveDate> {
    chrono::Local.timestamp_millis_opt(ms).single().map(|t| t.date_naive())
}

fn moment(kind: MomentKind, date: NaiveDate, time: Option<String>, title: String, detail: String) -> Moment {
    Moment { kind, date, time, title, detail, record_id: None }
}

/// Rows of `sql` (one participant argument) as moments of `kind`, each made by `make`.
fn rows(conn: &Connection, participant: ParticipantId, sql: &str, make: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<Option<Moment>>) -> Result<Vec<Moment>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let found = stmt.query_map([participant], |r| make(r))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found.into_iter().flatten().collect())
}

impl Store {
    /// Everything that happened with a person, newest first; `kinds` keeps only those kinds
    /// (all when empty). The reading is audited.
    pub fn timeline(&mut self, ctx: &WriteCtx, participant: ParticipantId, kinds: &[MomentKind]) -> Result<Timeline> {
        self.view_part(ctx, participant, "timeline", |conn, who, p| story(conn, who, p, kinds))
    }
}

/// The moments of `p`'s story that `who` may see, of `kinds` (all when empty), newest first.
fn story(conn: &Connection, who: &Session, p: &Participant, kinds: &[MomentKind]) -> Result<Timeline> {
    let participant = p.id;
    let wanted = |k: MomentKind| kinds.is_empty() || kinds.contains(&k);
    let mut moments = Vec::new();
    if wanted(MomentKind::Contact) {
        for c in load_contacts(conn, who, participant, None)? {
            let note = match &c.note {
                Note::None => String::new(),
                Note::Text(t) => t.clone(),
                Note::Sensitive => "Sensitive note: open it to read it".into(),
                Note::Withheld => "A note was written; your role does not read it".into(),
            };
            let title = format!("{} with {} · {} min", c.kind.label(), c.staff_name, c.minutes);
            moments.push(Moment { record_id: Some(c.id.clone()), ..moment(MomentKind::Contact, c.date, Some(c.start_time.clone()), title, note) });
        }
    }
    if wanted(MomentKind::Group) {
        moments.extend(rows(
            conn,
            participant,
            "SELECT coalesce(s.date, s.occurrence), coalesce(s.start_time, g.start_time), g.name, a.walk_in
             FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id
             WHERE a.participant_id = ?1 AND a.deleted = 0 AND a.mark = 'present' AND s.deleted = 0",
            |r| {
                let walk_in: bool = r.get(3)?;
                Ok(date_col(r.get(0)?).map(|d| {
                    moment(MomentKind::Group, d, r.get(1).ok(), format!("Attended {}", r.get::<_, String>(2).unwrap_or_default()), if walk_in { "Walked in".into() } else { String::new() })
                }))
            },
        )?);
    }
    if wanted(MomentKind::CheckIn) {
        for c in load_check_ins(conn, participant, &all_instruments(conn)?)? {
            let band = c.band.as_deref().map(|b| format!(" ({b})")).unwrap_or_default();
            let title = format!("Check-in · {} · {}{band}", c.instrument_name, c.total);
            moments.push(Moment { record_id: Some(c.id.clone()), ..moment(MomentKind::CheckIn, c.date, None, title, format!("Asked by {}", c.staff_name)) });
        }
    }
    if wanted(MomentKind::PlanChange) {
        moments.extend(rows(conn, participant, "SELECT at_ms, by_name, what FROM recovery_plan_changes WHERE participant_id = ?1 AND deleted = 0", |r| {
            let what: String = r.get(2)?;
            Ok(day_of(r.get(0)?).map(|d| moment(MomentKind::PlanChange, d, None, format!("Recovery plan: {what}"), format!("By {}", r.get::<_, String>(1).unwrap_or_default()))))
        })?);
    }
    if wanted(MomentKind::Status) {
        moments.push(moment(MomentKind::Status, p.admission_date, None, format!("Admitted to {}", p.facility_name), String::new()));
        moments.extend(rows(conn, participant, "SELECT date, status, coalesce(note, '') FROM status_changes WHERE participant_id = ?1 AND deleted = 0", |r| {
            let status = Status::parse(&r.get::<_, String>(1)?).map_or("Status changed", Status::label);
            Ok(date_col(r.get(0)?).map(|d| moment(MomentKind::Status, d, None, status.to_string(), r.get(2).unwrap_or_default())))
        })?);
    }
    if wanted(MomentKind::Reentry) {
        moments.extend(rows(conn, participant, "SELECT date, time, provider, area, confirmed FROM appointments WHERE participant_id = ?1 AND deleted = 0", |r| {
            let area = Area::parse(&r.get::<_, String>(3)?).map_or("", Area::label);
            let confirmed: bool = r.get(4)?;
            let detail = format!("{area}{}", if confirmed { " · confirmed" } else { "" });
            Ok(date_col(r.get(0)?).map(|d| moment(MomentKind::Reentry, d, r.get(1).ok().flatten(), format!("Appointment with {}", r.get::<_, String>(2).unwrap_or_default()), detail)))
        })?);
        moments.extend(rows(
            conn,
            participant,
            "SELECT f.sent_on, coalesce(r.name, ''), f.area, f.status FROM referrals f LEFT JOIN resources r ON r.id = f.resource_id WHERE f.participant_id = ?1 AND f.deleted = 0",
            |r| {
                let area = Area::parse(&r.get::<_, String>(2)?).map_or("", Area::label);
                let title = format!("Referral to {} ({})", r.get::<_, String>(1)?, r.get::<_, String>(3)?.replace('_', " "));
                Ok(date_col(r.get(0)?).map(|d| moment(MomentKind::Reentry, d, None, title, area.to_string())))
            },
        )?);
    }
    if wanted(MomentKind::HandOff) {
        moments.extend(rows(
            conn,
            participant,
            "SELECT d.disclosed_ms, coalesce(r.name, ''), d.confirmed_on, coalesce(d.confirmed_how, '') FROM disclosures d LEFT JOIN resources r ON r.id = d.resource_id
             WHERE d.participant_id = ?1 AND d.deleted = 0",
            |r| {
                let to: String = r.get(1)?;
                let confirmed = date_col(r.get(2)?).map(|d| (d, r.get::<_, String>(3).unwrap_or_default()));
                let sent = r.get::<_, Option<i64>>(0)?.and_then(day_of);
                Ok(sent.map(|d| {
                    let detail = confirmed.map_or_else(|| "Not yet confirmed".to_string(), |(on, how)| format!("Confirmed {on} ({how})"));
                    moment(MomentKind::HandOff, d, None, format!("Handed off to {to}"), detail)
                }))
            },
        )?);
    }
    moments.sort_by(|a, b| (b.date, &b.time).cmp(&(a.date, &a.time)));
    Ok(Timeline { participant_id: participant, moments })
}
