//! The audit trail read back: filtered pages, verification and the CSV export. Entries are
//! appended by the writer ([`super::write`]); the chain's rules live in [`crate::audit::chain`].
//! A participant's name is shown beside an entry only to someone who may see that participant.

use super::accounts::{self, state_detail};
use super::schema::Table;
use super::{anchors, scope, Store, WriteCtx};
use crate::audit::chain::{self, EntryContent, StoredEntry};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result};
use crate::model::ParticipantId;
use crate::text::csv_cell;
use chrono::{Local, NaiveDate, TimeZone};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Which entries to show: every field narrows the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct AuditFilter {
    /// A user name, exactly.
    pub actor: Option<String>,
    pub participant: Option<ParticipantId>,
    /// Local calendar days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub workstation: String,
    pub action: String,
    pub table: Option<String>,
    pub record_id: Option<String>,
    /// The participant's name, when the entry is about a participant the reader may see.
    pub participant_name: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AuditPage {
    pub total: u64,
    pub entries: Vec<AuditEntry>,
}

/// What `bridger audit verify` and the Audit screen report.
#[derive(Debug, Clone, Serialize, specta::Type)]
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

/// The synced tables whose records are about one person (they name the participant).
fn owned_tables() -> impl Iterator<Item = &'static str> {
    Table::ALL.into_iter().filter(|t| t.field("participant_id").is_some()).map(Table::name)
}

/// The entry query for `who`: the filter's clause and arguments, and a name column that holds a
/// participant's name only inside the reader's facilities and only for a role that sees people.
fn entry_query(who: &Session, filter: &AuditFilter) -> Result<(String, String, Vec<Value>)> {
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if to < from {
            return Err(Error::field("to", said!("the last day is before the first day", "el último día es anterior al primero")));
        }
    }
    let mut args = Vec::new();
    let name = if who.may(Permission::ViewParticipants) {
        let (within, arg) = scope::within(who.scope(), "p.facility_id", 1);
        args.extend(arg);
        format!("CASE WHEN {within} THEN p.legal_name END")
    } else {
        "NULL".to_string()
    };
    // A record about one person (a contact, a check-in, a consent) is named by that person too,
    // so an auditor sees whose sensitive note was opened.
    let owners: String = owned_tables().map(|t| format!(" WHEN '{t}' THEN (SELECT participant_id FROM {t} WHERE id = a.record_id)")).collect();
    let select = format!(
        "SELECT a.seq, a.at_ms, a.actor, a.workstation, a.action, a.tbl, a.record_id, {name}, a.detail
         FROM audit_log a LEFT JOIN participants p ON p.id = CASE a.tbl WHEN 'participants' THEN a.record_id{owners} END"
    );
    let mut clauses = vec!["1 = 1".to_string()];
    if let Some(actor) = filter.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        args.push(Value::Text(actor.to_lowercase()));
        clauses.push(format!("a.actor = ?{}", args.len()));
    }
    if let Some(p) = filter.participant {
        // The person's own record and every record about them: their contacts, check-ins,
        // plan and consents. Each is looked up by its id, so the trail's index does the work.
        args.push(Value::Text(p.to_string()));
        let n = args.len();
        let theirs: String = owned_tables().map(|t| format!(" UNION ALL SELECT id FROM {t} WHERE participant_id = ?{n}")).collect();
        clauses.push(format!("a.record_id IN (SELECT ?{n}{theirs})"));
    }
    if let Some(from) = filter.from {
        args.push(Value::Integer(day_start_ms(from)));
        clauses.push(format!("a.at_ms >= ?{}", args.len()));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        args.push(Value::Integer(day_start_ms(to)));
        clauses.push(format!("a.at_ms < ?{}", args.len()));
    }
    Ok((select, clauses.join(" AND "), args))
}

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
        let who = self.allowed(Need::Role(Permission::ViewAudit))?;
        let (select, clause, mut args) = entry_query(who, filter)?;
        // Counted over the same query, so the name's scope argument is used here too.
        let total: i64 = self.conn.query_row(&format!("SELECT count(*) FROM ({select} WHERE {clause})"), params_from_iter(args.iter()), |r| r.get(0))?;
        args.push(Value::Integer(limit.min(500) as i64));
        args.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
        let n = args.len();
        let sql = format!("{select} WHERE {clause} ORDER BY a.seq DESC LIMIT ?{} OFFSET ?{n}", n - 1);
        let entries = self.conn.prepare(&sql)?.query_map(params_from_iter(args), entry)?.collect::<rusqlite::Result<_>>()?;
        Ok(AuditPage { total: total.max(0) as u64, entries })
    }

    /// Checks the whole chain and names every entry that was changed, removed or moved; every
    /// account whose roles, facilities or state differ from the trail's last record of them;
    /// and every rewrite another site found when its record of this trail no longer matched.
    pub fn audit_verify(&self) -> Result<AuditReport> {
        self.allowed(Need::Role(Permission::ViewAudit))?;
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
        let mut problems: Vec<String> = chain::verify(&entries, head_seq, head_hash.as_deref()).iter().map(ToString::to_string).collect();
        for account in accounts::all(&self.conn)? {
            let expected = state_detail(&account.roles, &account.scope, account.active);
            let last = entries.iter().rev().find(|e| {
                e.content.table.as_deref() == Some("accounts") && e.content.record_id.as_deref() == Some(account.id.as_str()) && e.content.detail.starts_with("roles=")
            });
            match last {
                Some(e) if e.content.detail == expected => {}
                Some(e) => problems.push(format!(
                    "account {} has roles, facilities or a state the audit trail never recorded (its last record of them is entry {})",
                    account.username, e.seq
                )),
                None => problems.push(format!("account {} has no record of its roles in the audit trail", account.username)),
            }
        }
        problems.extend(anchors::warnings(&self.conn)?);
        Ok(AuditReport { entries: entries.len() as u64, ok: problems.is_empty(), problems })
    }

    /// Writes the entries the filter matches, oldest first, as CSV at `path`, and records the
    /// export. A cell a spreadsheet would run as a formula is written as text.
    pub fn audit_export(&mut self, ctx: &WriteCtx, filter: &AuditFilter, path: &Path) -> Result<u64> {
        let who = self.allowed(Need::Role(Permission::ExportAudit))?;
        let (select, clause, args) = entry_query(who, filter)?;
        let failed = |e: csv::Error| Error::Io { context: said!("cannot write the audit export", "no se puede escribir la exportación de auditoría"), source: std::io::Error::other(e.to_string()) };
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(["seq", "when", "user", "workstation", "action", "record type", "record id", "participant", "detail"]).map_err(failed)?;
        let mut count = 0u64;
        let mut stmt = self.conn.prepare(&format!("{select} WHERE {clause} ORDER BY a.seq"))?;
        for e in stmt.query_map(params_from_iter(args), entry)? {
            let e = e?;
            let when = Local.timestamp_millis_opt(e.at_ms).single().map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default();
            let cells = [
                e.seq.to_string(),
                when,
                e.actor,
                e.workstation,
                e.action,
                e.table.unwrap_or_default(),
                e.record_id.unwrap_or_default(),
                e.participant_name.unwrap_or_default(),
                e.detail,
            ];
            out.write_record(cells.iter().map(|c| csv_cell(c))).map_err(failed)?;
            count += 1;
        }
        drop(stmt);
        let bytes = out.into_inner().map_err(|e| Error::Io { context: said!("cannot write the audit export", "no se puede escribir la exportación de auditoría"), source: e.into_error() })?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.change(ctx, Need::Role(Permission::ExportAudit), |w| {
            w.write_output(path, &bytes)?;
            w.audit(Action::Export, Some("audit_log"), None, &format!("{count} audit entries to {name}"))
        })?;
        Ok(count)
    }
}
