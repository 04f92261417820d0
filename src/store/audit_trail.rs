//! The audit trail in SQL: appending a chained entry, reading it back with filters, verifying the
//! chain and exporting it. The chain's rules live in [`crate::audit::chain`].

use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::chain::{self, EntryContent, StoredEntry};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::model::ParticipantId;
use chrono::{Local, NaiveDate, TimeZone};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Appends one entry, chained to the newest, in the caller's transaction.
pub(crate) fn append(conn: &Connection, content: &EntryContent) -> Result<()> {
    let (head_seq, head_hash): (i64, Option<Vec<u8>>) =
        conn.query_row("SELECT audit_head_seq, audit_head_hash FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)?;
    let prev = head_hash.unwrap_or_default();
    let hash = chain::entry_hash(&prev, content);
    let seq = head_seq + 1;
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at_ms, site_id, actor, workstation, action, tbl, record_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        content.at_ms,
        content.site_id,
        content.actor,
        content.workstation,
        content.action,
        content.table,
        content.record_id,
        content.detail,
        prev,
        hash.as_slice()
    ])?;
    conn.prepare_cached("UPDATE site SET audit_head_seq = ?1, audit_head_hash = ?2")?.execute(params![seq, hash.as_slice()])?;
    Ok(())
}

/// Which entries to show: every field narrows the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AuditFilter {
    /// A user name, exactly.
    pub actor: Option<String>,
    pub participant: Option<ParticipantId>,
    /// Local calendar days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub workstation: String,
    pub action: String,
    pub table: Option<String>,
    pub record_id: Option<String>,
    /// The participant's name, when the entry is about a participant.
    pub participant_name: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub total: u64,
    pub entries: Vec<AuditEntry>,
}

/// What `bridger audit verify` and the Audit screen report.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub entries: u64,
    pub ok: bool,
    pub problems: Vec<String>,
}

/// The start of a local day in epoch milliseconds.
fn day_start_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Local.from_local_datetime(&midnight).earliest().map_or_else(|| midnight.and_utc().timestamp_millis(), |t| t.timestamp_millis())
}

fn filter_sql(filter: &AuditFilter) -> Result<(String, Vec<Value>)> {
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if to < from {
            return Err(Error::field("to", "the last day is before the first day"));
        }
    }
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(actor) = filter.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        args.push(Value::Text(actor.to_lowercase()));
        clauses.push(format!("a.actor = ?{}", args.len()));
    }
    if let Some(p) = filter.participant {
        args.push(Value::Text(p.to_string()));
        clauses.push(format!("a.tbl = 'participants' AND a.record_id = ?{}", args.len()));
    }
    if let Some(from) = filter.from {
        args.push(Value::Integer(day_start_ms(from)));
        clauses.push(format!("a.at_ms >= ?{}", args.len()));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        args.push(Value::Integer(day_start_ms(to)));
        clauses.push(format!("a.at_ms < ?{}", args.len()));
    }
    Ok((clauses.join(" AND "), args))
}

const ENTRY_SQL: &str = "SELECT a.seq, a.at_ms, a.actor, a.workstation, a.action, a.tbl, a.record_id, p.legal_name, a.detail
     FROM audit_log a LEFT JOIN participants p ON a.tbl = 'participants' AND p.id = a.record_id";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at_ms: r.get(1)?,
        actor: r.get(2)?,
        workstation: r.get(3)?,
        action: r.get(4)?,
        table: r.get(5)?,
        record_id: r.get(6)?,
        participant_name: r.get(7)?,
        detail: r.get(8)?,
    })
}

impl Store {
    /// Newest first, one page at a time.
    pub fn audit_page(&self, filter: &AuditFilter, offset: u64, limit: u64) -> Result<AuditPage> {
        self.allowed(Permission::ViewAudit, None)?;
        let (clause, mut args) = filter_sql(filter)?;
        let total: i64 = self.conn.query_row(&format!("SELECT count(*) FROM audit_log a WHERE {clause}"), params_from_iter(args.iter()), |r| r.get(0))?;
        args.push(Value::Integer(limit.min(500) as i64));
        args.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
        let n = args.len();
        let sql = format!("{ENTRY_SQL} WHERE {clause} ORDER BY a.seq DESC LIMIT ?{} OFFSET ?{n}", n - 1);
        let entries = self.conn.prepare(&sql)?.query_map(params_from_iter(args), entry)?.collect::<rusqlite::Result<_>>()?;
        Ok(AuditPage { total: total.max(0) as u64, entries })
    }

    /// Checks the whole chain and names every entry that was changed, removed or moved.
    pub fn audit_verify(&self) -> Result<AuditReport> {
        self.allowed(Permission::ViewAudit, None)?;
        let entries = self
            .conn
            .prepare("SELECT seq, at_ms, site_id, actor, workstation, action, tbl, record_id, detail, prev_hash, hash FROM audit_log ORDER BY seq")?
            .query_map([], |r| {
                Ok(StoredEntry {
                    seq: r.get(0)?,
                    content: EntryContent {
                        at_ms: r.get(1)?,
                        site_id: r.get(2)?,
                        actor: r.get(3)?,
                        workstation: r.get(4)?,
                        action: r.get(5)?,
                        table: r.get(6)?,
                        record_id: r.get(7)?,
                        detail: r.get(8)?,
                    },
                    prev_hash: r.get(9)?,
                    hash: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (head_seq, head_hash): (i64, Option<Vec<u8>>) =
            self.conn.query_row("SELECT audit_head_seq, audit_head_hash FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or((0, None));
        let problems: Vec<String> = chain::verify(&entries, head_seq, head_hash.as_deref()).iter().map(ToString::to_string).collect();
        Ok(AuditReport { entries: entries.len() as u64, ok: problems.is_empty(), problems })
    }

    /// Writes the entries the filter matches, oldest first, as CSV, and records the export.
    pub fn audit_export(&mut self, ctx: &WriteCtx, filter: &AuditFilter, path: &Path) -> Result<u64> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ExportAudit, None)?;
        let (clause, args) = filter_sql(filter)?;
        let io = |source: std::io::Error| Error::Io { context: format!("cannot write {}", path.display()), source };
        let mut out = csv::Writer::from_path(path).map_err(|e| io(e.into()))?;
        out.write_record(["seq", "when", "user", "workstation", "action", "record type", "record id", "participant", "detail"]).map_err(|e| io(e.into()))?;
        let mut count = 0u64;
        let mut stmt = self.conn.prepare(&format!("{ENTRY_SQL} WHERE {clause} ORDER BY a.seq"))?;
        for e in stmt.query_map(params_from_iter(args), entry)? {
            let e = e?;
            let when = Local.timestamp_millis_opt(e.at_ms).single().map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default();
            out.write_record([
                e.seq.to_string(),
                when,
                e.actor,
                e.workstation,
                e.action,
                e.table.unwrap_or_default(),
                e.record_id.unwrap_or_default(),
                e.participant_name.unwrap_or_default(),
                e.detail,
            ])
            .map_err(|e| io(e.into()))?;
            count += 1;
        }
        out.flush().map_err(io)?;
        drop(stmt);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.audit(Action::Export, Some("audit_log"), None, &format!("{count} audit entries to {name}"))?;
        w.commit()?;
        Ok(count)
    }
}

impl Store {
    /// Records something printed from the screens (a week calendar), refused where printing is
    /// not allowed.
    pub fn record_print(&mut self, ctx: &WriteCtx, what: &str) -> Result<()> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::Print, None)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        w.audit(Action::Print, None, None, &crate::text::clean_line(what))?;
        w.commit()
    }
}
