//! Conflicts: two values of one field written at two sites without either seeing the other. The
//! winner is shown everywhere; the loser is kept here for a person to review, within their
//! facilities, and keeping it writes it again as a change that syncs.

use super::schema::Table;
use super::write::{column_value, RecordChange};
use super::{scope, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result};
use crate::sync::Hlc;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Two values of one field, written concurrently at two sites; the winner is shown.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Conflict {
    pub id: i64,
    pub table: String,
    pub record_id: String,
    /// The participant's name when the record is a participant.
    pub record_name: Option<String>,
    pub field: String,
    pub winner_value: serde_json::Value,
    pub winner_site: String,
    pub winner_at_ms: u64,
    pub loser_value: serde_json::Value,
    pub loser_site: String,
    pub loser_at_ms: u64,
}

/// Which value a person keeps when resolving a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Shown,
    Other,
}

fn site_name(conn: &Connection, site: &str) -> Result<String> {
    let own: Option<String> = conn.query_row("SELECT name FROM site WHERE site_id = ?1", [site], |r| r.get(0)).optional()?;
    let peer: Option<String> = conn.query_row("SELECT name FROM peers WHERE site_id = ?1", [site], |r| r.get(0)).optional()?;
    Ok(own.or(peer).unwrap_or_else(|| site.to_string()))
}

/// Whether the record a conflict is about is one `who` may see: in their facilities, or a
/// record of the whole site (the directory, the template) for someone who covers every one.
fn visible(conn: &Connection, who: &Session, table: Table, record: &str) -> Result<bool> {
    if table.is_staff_record() && !who.may(Permission::KeepStaffRecords) {
        return Ok(false);
    }
    Ok(match scope::facility_of(conn, table, record)? {
        Some(facility) => who.scope().covers(facility),
        None => *who.scope() == crate::auth::Scope::All,
    })
}

/// The unresolved conflicts, oldest first; only the one numbered `id` when given.
fn unresolved(conn: &Connection, id: Option<i64>) -> Result<Vec<(Table, Conflict)>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.tbl, c.record_id, p.legal_name, c.field, c.winner_value, c.winner_site, c.winner_hlc, c.loser_value, c.loser_site, c.loser_hlc
         FROM conflicts c LEFT JOIN participants p ON c.tbl = 'participants' AND p.id = c.record_id
         WHERE c.resolved_ms IS NULL AND (?1 IS NULL OR c.id = ?1) ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, i64>(10)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, table, record_id, record_name, field, wv, ws, wh, lv, ls, lh) in rows {
        let Some(t) = Table::parse(&table) else { continue };
        out.push((
            t,
            Conflict {
                id,
                table,
                record_id,
                record_name,
                field,
                winner_value: serde_json::from_str(&wv).unwrap_or_default(),
                winner_site: site_name(conn, &ws)?,
                winner_at_ms: Hlc::unpack(wh).millis(),
                loser_value: serde_json::from_str(&lv).unwrap_or_default(),
                loser_site: site_name(conn, &ls)?,
                loser_at_ms: Hlc::unpack(lh).millis(),
            },
        ));
    }
    Ok(out)
}

impl Store {
    /// The conflicts no one has resolved yet about records in the person's facilities, oldest
    /// first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let who = self.allowed(Need::Role(Permission::EditParticipants))?;
        let mut out = Vec::new();
        for (table, conflict) in unresolved(&self.conn, None)? {
            if visible(&self.conn, who, table, &conflict.record_id)? {
                out.push(conflict);
            }
        }
        Ok(out)
    }

    /// Resolves a conflict: keeping the shown value marks it resolved; keeping the other writes
    /// it again as a new change, which syncs like any other.
    pub fn resolve_conflict(&mut self, ctx: &WriteCtx, id: i64, keep: Keep) -> Result<()> {
        self.allowed(Need::Role(Permission::EditParticipants))?;
        let (table, conflict) = unresolved(&self.conn, Some(id))?.pop().ok_or(Error::NotFound { what: "unresolved conflict", id: id.to_string() })?;
        let field = table.field(&conflict.field).ok_or(Error::NotFound { what: "field", id: conflict.field.clone() })?;
        let record = Uuid::parse_str(&conflict.record_id).map_err(|_| Error::NotFound { what: "record", id: conflict.record_id.clone() })?;
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            // A record of the whole site (the directory, the template) is settled only by
            // someone who covers every facility, as only they see its conflicts.
            let settles = if table.is_staff_record() { Permission::KeepStaffRecords } else { Permission::EditParticipants };
            match scope::facility_of(w.tx(), table, &conflict.record_id)? {
                Some(facility) => w.require(settles, facility)?,
                None => w.who().check(Need::Everywhere(settles))?,
            }
            if keep == Keep::Other {
                w.write(&RecordChange { table, id: record, action: Action::Update, fields: vec![(field, column_value(conflict.loser_value))] })?;
            }
            w.tx().execute("UPDATE conflicts SET resolved_ms = ?2 WHERE id = ?1", params![id, w.now_ms()])?;
            let kept = if keep == Keep::Other { "other" } else { "shown" };
            w.audit(Action::Update, Some("conflicts"), Some(&conflict.record_id), &format!("{}.{}: kept the {kept} value", conflict.table, conflict.field))
        })
    }
}
