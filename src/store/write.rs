//! The one write path. [`Store::change`] checks what the action needs of the person signed in,
//! opens an immediate transaction and hands it over as a [`Writer`], then commits. Everything a
//! change does happens through the writer, in that transaction: the site's clock ticks, each
//! field goes to the journal, the field clocks move, the values are checked ([`super::schema`])
//! and applied, and the audit trail gains its chained entry. An import is a mode of the same
//! writer ([`Writer::receive_record`]): the same journal, field-clock and audit statements, with the
//! merge rules of ADR 0007. There is no other way to open a transaction (clippy.toml).

use super::schema::Table;
use super::{Keys, Store};
use crate::audit::chain::{self, EntryContent};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, FieldError, Result};
use crate::model::{derived_id, FacilityId, ParticipantId, SiteId};
use crate::sync::Hlc;
use crate::text::{clean_line, compact_words, sort_key};
use crate::WriteCtx;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Appends a change to the journal unless it is there already (same origin, clock, record and
/// field): applying a change twice is impossible.
const JOURNAL_APPEND: &str = "INSERT OR IGNORE INTO journal (hlc, site_no, tbl, record_id, field, value, sig, prev_hlc, prev_site_no)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/// A record's field clocks (ADR 0018).
const CLOCKS_READ: &str = "SELECT clocks FROM record_clocks WHERE tbl = ?1 AND record_id = ?2";
const CLOCKS_SET: &str = "INSERT INTO record_clocks (tbl, record_id, clocks) VALUES (?1, ?2, ?3)
     ON CONFLICT (tbl, record_id) DO UPDATE SET clocks = excluded.clocks";
const AUDIT_HEAD: &str = "SELECT audit_head_seq, audit_head_hash FROM site";
const AUDIT_APPEND: &str = "INSERT INTO audit_log (seq, at_ms, site_id, actor, workstation, action, tbl, record_id, detail, prev_hash, hash)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
const AUDIT_HEAD_SET: &str = "UPDATE site SET audit_head_seq = ?1, audit_head_hash = ?2";

/// A change to one record: the fields that change, with their new values.
pub(crate) struct RecordChange {
    pub table: Table,
    pub id: Uuid,
    pub action: Action,
    pub fields: Vec<(&'static str, Value)>,
}

/// This site's id and the local number its journal rows carry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub id: SiteId,
    pub no: i64,
}

/// One change carried in from another site, checked against its writer's signature.
pub(crate) struct Received<'a> {
    pub origin: SiteId,
    pub hlc: i64,
    pub table: Table,
    pub field: &'static str,
    pub record: Uuid,
    pub value: &'a Value,
    /// The value as the journal and the signature hold it.
    pub value_json: &'a str,
    /// Its own signature, when it came signed alone rather than in a segment (ADR 0017).
    pub sig: Option<&'a [u8]>,
    pub prev: Option<(SiteId, i64)>,
}

/// What became of a received change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Merged {
    /// It was here already: imported before, or relayed twice.
    Duplicate,
    /// Its value is now the field's; `conflict` when it replaced a concurrent edit, `created`
    /// when it made the record here.
    Applied { conflict: bool, created: bool },
    /// A newer value is already here; `conflict` when the two were concurrent.
    Older { conflict: bool },
}

/// An open write transaction with the site's clock in hand and the person acting.
pub(crate) struct Writer<'c> {
    tx: Transaction<'c>,
    ctx: &'c WriteCtx,
    who: &'c Session,
    keys: Option<&'c Keys>,
    origin: Option<Origin>,
    hlc: Hlc,
    /// Sites' local numbers already looked up in this change: an import asks for the same few
    /// sites once per change it carries.
    site_nos: HashMap<SiteId, i64>,
    /// The same, the other way: a record's clocks name their sites by number.
    site_ids: HashMap<i64, SiteId>,
}

/// A record's field clocks: each field's clock and the local number of the site that wrote its
/// value, kept in one row per record (ADR 0018).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Clocks(pub(crate) BTreeMap<String, (i64, i64)>);

/// How a record's clocks are stored: postcard bytes holding the lowest clock, then each field's
/// name, its clock's distance from the lowest (most often none: a record's fields are written
/// together) and its site's number. A sixth of the room the same clocks take as JSON, and room
/// is what a large import spends its time on. Migration 0012 wrote them as JSON text, which is
/// read until the record next changes.
#[derive(Serialize, Deserialize)]
struct Packed<'a> {
    lowest: i64,
    #[serde(borrow)]
    fields: Vec<(&'a str, u64, i64)>,
}

impl FromSql for Clocks {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let other = |e: &dyn std::fmt::Display| FromSqlError::Other(format!("a record's field clocks are damaged: {e}").into());
        match value {
            ValueRef::Blob(bytes) => {
                let packed: Packed<'_> = postcard::from_bytes(bytes).map_err(|e| other(&e))?;
                let clock = |distance: u64| packed.lowest.checked_add_unsigned(distance).ok_or_else(|| other(&"a clock is out of range"));
                packed.fields.iter().map(|&(field, distance, site)| Ok((field.to_string(), (clock(distance)?, site)))).collect::<FromSqlResult<_>>().map(Clocks)
            }
            ValueRef::Text(_) => serde_json::from_str(value.as_str()?).map(Clocks).map_err(|e| other(&e)),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

impl ToSql for Clocks {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        let lowest = self.0.values().map(|&(hlc, _)| hlc).min().unwrap_or(0);
        // Every clock is at least the lowest, so the distance is never negative; as u64 it holds
        // any distance between two i64 clocks.
        let fields = self.0.iter().map(|(field, &(hlc, site))| (field.as_str(), hlc.abs_diff(lowest), site)).collect();
        let bytes = postcard::to_allocvec(&Packed { lowest, fields }).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(ToSqlOutput::Owned(Value::Blob(bytes)))
    }
}

/// The field clocks of one record; none for a record this site has never held.
pub(crate) fn read_clocks(conn: &Connection, table: Table, record: &[u8]) -> Result<Clocks> {
    match conn.prepare_cached(CLOCKS_READ)?.query_row(params![table.name(), record], |r| r.get(0)).optional() {
        Ok(clocks) => Ok(clocks.unwrap_or_default()),
        Err(rusqlite::Error::FromSqlConversionFailure(..)) => {
            let (table, id) = (table.name(), Uuid::from_slice(record).map(|id| id.to_string()).unwrap_or_default());
            Err(Error::Refused(said!(
                "the field clocks of {table} record {id} cannot be read: the database was changed outside Bridger; restore the latest backup",
                "los relojes de campo del expediente {id} de {table} no se pueden leer: la base de datos se cambió fuera de Bridger; restaure la copia de seguridad más reciente"
            )))
        }
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// The one way to change data: checks `need` against the person signed in, opens an
    /// immediate transaction (so two processes never interleave their clocks), runs `work` with
    /// the writer, and commits with the clock, the journal and the audit trail. An error from
    /// `work` rolls everything back.
    pub(crate) fn change<T>(&mut self, ctx: &WriteCtx, need: Need, work: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.check(need)?;
        #[allow(clippy::disallowed_methods, reason = "the writer is the one place a transaction is opened")]
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = Writer::open(tx, ctx, who, self.keys.as_ref())?;
        let out = work(&mut w)?;
        w.commit()?;
        Ok(out)
    }
}

impl<'c> Writer<'c> {
    fn open(tx: Transaction<'c>, ctx: &'c WriteCtx, who: &'c Session, keys: Option<&'c Keys>) -> Result<Writer<'c>> {
        let site: Option<(SiteId, i64, i64)> = tx
            .query_row("SELECT s.site_id, n.site_no, s.hlc_last FROM site s JOIN site_numbers n ON n.site_id = s.site_id", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let (origin, hlc) = match site {
            Some((id, no, last)) => (Some(Origin { id, no }), Hlc::unpack(last)),
            None => (None, Hlc::default()),
        };
        Ok(Writer { tx, ctx, who, keys, origin, hlc, site_nos: HashMap::new(), site_ids: HashMap::new() })
    }

    fn commit(self) -> Result<()> {
        if self.origin.is_some() {
            self.tx.prepare_cached("UPDATE site SET hlc_last = max(hlc_last, ?1)")?.execute([self.hlc.pack()])?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// The transaction, for the reads a change depends on (uniqueness, references).
    pub(crate) fn tx(&self) -> &Connection {
        &self.tx
    }

    pub(crate) fn ctx(&self) -> &WriteCtx {
        self.ctx
    }

    pub(crate) fn who(&self) -> &Session {
        self.who
    }

    /// The database's files and key, when it is on disk.
    pub(crate) fn keys(&self) -> Option<&Keys> {
        self.keys
    }

    pub(crate) fn now_ms(&self) -> i64 {
        i64::try_from(self.ctx.now_ms).unwrap_or(i64::MAX)
    }

    /// Writes a file the person asked for inside this change, so a file that cannot be written
    /// leaves no record of it: whole and private, unless `path` is one of the site's own files.
    pub(crate) fn write_output(&self, path: &std::path::Path, bytes: &[u8]) -> Result<()> {
        super::write_output(self.keys.map(|k| &k.files), path, bytes)
    }

    /// Refuses `path` as an output when it is one of the site's own files.
    pub(crate) fn check_output(&self, path: &std::path::Path) -> Result<()> {
        self.keys.map_or(Ok(()), |k| k.files.refuse_as_output(path))
    }

    /// As [`Writer::write_output`], with the contents written by `write` (a bundle, streamed).
    pub(crate) fn write_output_with(&self, path: &std::path::Path, write: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
        super::write_output_with(self.keys.map(|k| &k.files), path, write)
    }

    /// Refuses unless the person may do `permission` in `facility`: for the records a change
    /// finds as it goes.
    pub(crate) fn require(&self, permission: Permission, facility: FacilityId) -> Result<()> {
        self.who.require(permission, Some(facility))
    }

    pub(crate) fn origin(&self) -> Result<Origin> {
        self.origin.ok_or(Error::NotInitialized)
    }

    /// First run: this workstation's site identity. Every later write carries its id.
    pub(crate) fn create_site(&mut self, id: SiteId, name: &str) -> Result<()> {
        self.tx.execute("INSERT INTO site (singleton, site_id, name, created_ms) VALUES (1, ?1, ?2, ?3)", params![id, name, self.now_ms()])?;
        let no = self.site_no(id)?;
        self.origin = Some(Origin { id, no });
        Ok(())
    }

    /// The local number of `site` in the journal, made on first sight.
    pub(crate) fn site_no(&mut self, site: SiteId) -> Result<i64> {
        if let Some(no) = self.site_nos.get(&site) {
            return Ok(*no);
        }
        self.tx.prepare_cached("INSERT OR IGNORE INTO site_numbers (site_id) VALUES (?1)")?.execute([site])?;
        let no = self.tx.prepare_cached("SELECT site_no FROM site_numbers WHERE site_id = ?1")?.query_row([site], |r| r.get(0))?;
        self.site_nos.insert(site, no);
        self.site_ids.insert(no, site);
        Ok(no)
    }

    /// The site a local number stands for.
    pub(crate) fn site_id(&mut self, no: i64) -> Result<SiteId> {
        if let Some(site) = self.site_ids.get(&no) {
            return Ok(*site);
        }
        let site = self.tx.prepare_cached("SELECT site_id FROM site_numbers WHERE site_no = ?1")?.query_row([no], |r| r.get(0)).optional()?.ok_or_else(|| {
            Error::Refused(said!(
                "a field clock names site number {no}, which this database does not know: it was changed outside Bridger; restore the latest backup",
                "un reloj de campo nombra el sitio número {no}, que esta base de datos no conoce: se cambió fuera de Bridger; restaure la copia de seguridad más reciente"
            ))
        })?;
        self.site_ids.insert(no, site);
        self.site_nos.insert(site, no);
        Ok(site)
    }

    fn set_clocks(&self, table: Table, record: &[u8], clocks: &Clocks) -> Result<()> {
        self.tx.prepare_cached(CLOCKS_SET)?.execute(params![table.name(), record, clocks])?;
        Ok(())
    }

    /// Writes a change made here: each field is checked, stamped, journalled and applied, and
    /// the change is audited by table, record id and field names (never values).
    pub(crate) fn write(&mut self, change: &RecordChange) -> Result<()> {
        let table = change.table;
        let refused: Vec<FieldError> =
            change.fields.iter().filter_map(|(f, v)| table.refuses(f, v).map(|rule| FieldError::new(f, said!("{f} must be {rule}", "{f} debe ser {rule}")))).collect();
        if !refused.is_empty() {
            return Err(Error::Validation(refused));
        }
        if change.fields.is_empty() {
            return Ok(());
        }
        // A new record made here never takes over one that exists (a received change may create
        // a record that arrived by another route first; that is the receiving mode's business).
        if change.action == Action::Create && self.tx.prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", table.name()))?.exists([change.id.to_string()])? {
            return Err(Error::field("id", said!("a new {} record was given an id already in use: nothing was saved", "un expediente nuevo de {} recibió un identificador que ya está en uso: no se guardó nada", table.name())));
        }
        let origin = self.origin()?;
        self.hlc = self.hlc.tick(self.ctx.now_ms);
        let stamp = self.hlc.pack();
        let record: &[u8] = change.id.as_bytes();
        let mut clocks = read_clocks(&self.tx, table, record)?;
        for (field, value) in &change.fields {
            let prev = clocks.0.insert((*field).to_string(), (stamp, origin.no));
            self.tx.prepare_cached(JOURNAL_APPEND)?.execute(params![
                stamp,
                origin.no,
                table.name(),
                record,
                field,
                json(value).to_string(),
                Option::<Vec<u8>>::None,
                prev.map(|p| p.0),
                prev.map(|p| p.1)
            ])?;
        }
        self.set_clocks(table, record, &clocks)?;
        let id = change.id.to_string();
        apply_fields(&self.tx, table, &id, if change.action == Action::Create { Row::New } else { Row::Existing }, &change.fields)?;
        let detail = change.fields.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(",");
        self.audit(change.action, Some(table.name()), Some(&id), &detail)
    }

    /// Writes a record: every field when it is `new`, else only the fields whose stored value
    /// differs, so that an edit made elsewhere to another field survives the merge.
    pub(crate) fn save(&mut self, table: Table, id: Uuid, new: bool, fields: Vec<(&'static str, Value)>) -> Result<()> {
        let fields = if new {
            fields
        } else {
            let columns = fields.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", ");
            let stored: Vec<Value> = self.tx.query_row(&format!("SELECT {columns} FROM {} WHERE id = ?1", table.name()), [id.to_string()], |r| {
                (0..fields.len()).map(|i| r.get::<_, Value>(i)).collect()
            })?;
            fields.into_iter().zip(stored).filter(|((_, value), old)| value != old).map(|(f, _)| f).collect()
        };
        self.write(&RecordChange { table, id, action: if new { Action::Create } else { Action::Update }, fields })
    }

    /// The id to save a record of `table` under that belongs to `participant`: `Some(id)` must
    /// be one of theirs (else it is "not found"), `None` makes a new one. Returns whether new.
    pub(crate) fn own_or_new(&self, table: Table, id: Option<Uuid>, participant: ParticipantId, what: &'static str) -> Result<(Uuid, bool)> {
        let Some(id) = id else { return Ok((self.ctx.new_uuid(), true)) };
        let owner: Option<String> = self
            .tx
            .query_row(&format!("SELECT participant_id FROM {} WHERE id = ?1 AND deleted = 0", table.name()), [id.to_string()], |r| r.get(0))
            .optional()?
            .flatten();
        if owner.as_deref() != Some(participant.to_string().as_str()) {
            return Err(Error::NotFound { what, id: id.to_string() });
        }
        Ok((id, false))
    }

    /// The receiving mode (ADR 0007): journals changes another site made to one record, each
    /// unless it is here already, and applies each whose clock is the newest for its field. Two
    /// values of one field written at two sites without either seeing the other are kept as a
    /// conflict for a person to review; the winner is the same everywhere. The record's clocks
    /// are read once and its winning values written in one statement, so a bundle costs a few
    /// statements per record rather than per field (the search index is updated once too).
    /// `new_here` says the caller knows this site holds no clock of the record, which spares
    /// looking them up.
    pub(crate) fn receive_record(&mut self, changes: &[Received<'_>], new_here: bool) -> Result<Vec<Merged>> {
        let Some(first) = changes.first() else { return Ok(Vec::new()) };
        let (table, id) = (first.table, first.record);
        if changes.iter().any(|c| c.table != table || c.record != id) {
            return Err(Error::Bundle(said!("changes to two records were taken as one", "se tomaron cambios de dos expedientes como uno")));
        }
        let record: &[u8] = id.as_bytes();
        // The sites' numbers first: looking one up may write it, which needs the writer while the
        // journal statement below holds its transaction.
        let site_numbers = changes.iter().map(|c| Ok((self.site_no(c.origin)?, c.prev.map(|(site, _)| self.site_no(site)).transpose()?))).collect::<Result<Vec<_>>>()?;
        let mut merged = Vec::with_capacity(changes.len());
        let mut append = self.tx.prepare_cached(JOURNAL_APPEND)?;
        for (c, (origin_no, prev_no)) in changes.iter().zip(site_numbers) {
            let inserted = append.execute(params![c.hlc, origin_no, table.name(), record, c.field, c.value_json, c.sig, c.prev.map(|(_, h)| h), prev_no])?;
            merged.push(if inserted == 0 { Merged::Duplicate } else { Merged::Older { conflict: false } });
        }
        // Released before the clocks are read, which takes the writer again.
        drop(append);
        if merged.iter().all(|m| *m == Merged::Duplicate) {
            return Ok(merged);
        }
        let mut clocks = if new_here { Clocks::default() } else { read_clocks(&self.tx, table, record)? };
        let known_here = !clocks.0.is_empty();
        // Each field's winning value, gathered so the record is written in one statement.
        let mut winners: Vec<(&'static str, &Value)> = Vec::new();
        for (c, outcome) in changes.iter().zip(merged.iter_mut()) {
            if *outcome == Merged::Duplicate {
                continue;
            }
            self.hlc = self.hlc.max(Hlc::unpack(c.hlc));
            let current = match clocks.0.get(c.field) {
                Some(&(hlc, no)) => Some((hlc, self.site_id(no)?)),
                None => None,
            };
            let wins = current.is_none_or(|here| newer((c.hlc, c.origin), here));
            // The local value is concurrent with this change unless the change was made on top of it.
            let concurrent = current.filter(|(hlc, site)| *site != c.origin && c.prev != Some((*site, *hlc)));
            let mut conflict = false;
            if let Some((hlc, site)) = concurrent {
                let here = match winners.iter().find(|w| w.0 == c.field) {
                    Some(w) => w.1.clone(),
                    None => self
                        .tx
                        .prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", c.field, table.name()))?
                        .query_row([id.to_string()], |r| r.get(0))
                        .optional()?
                        .unwrap_or(Value::Null),
                };
                let here = json(&here).to_string();
                if here != c.value_json {
                    let ours = (here, site, hlc);
                    let theirs = (c.value_json.to_string(), c.origin, c.hlc);
                    let (winner, loser) = if wins { (theirs, ours) } else { (ours, theirs) };
                    self.tx.prepare_cached(
                        "INSERT INTO conflicts (tbl, record_id, field, winner_value, winner_site, winner_hlc, loser_value, loser_site, loser_hlc, found_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    )?
                    .execute(params![table.name(), id.to_string(), c.field, winner.0, winner.1, winner.2, loser.0, loser.1, loser.2, self.now_ms()])?;
                    conflict = true;
                }
            }
            *outcome = if wins { Merged::Applied { conflict, created: false } } else { Merged::Older { conflict } };
            if wins {
                clocks.0.insert(c.field.to_string(), (c.hlc, self.site_no(c.origin)?));
                winners.retain(|w| w.0 != c.field);
                winners.push((c.field, c.value));
            }
        }
        // A record this site holds no clock of is new here (every row comes with its clocks).
        let row = if known_here { Row::Either } else { Row::New };
        if apply_fields(&self.tx, table, &id.to_string(), row, &winners)? {
            if let Some(Merged::Applied { created, .. }) = merged.iter_mut().find(|m| matches!(m, Merged::Applied { .. })) {
                *created = true;
            }
        }
        if !winners.is_empty() {
            self.set_clocks(table, record, &clocks)?;
        }
        Ok(merged)
    }

    /// Appends an audit entry by the person acting, in this transaction.
    pub(crate) fn audit(&self, action: Action, table: Option<&str>, record: Option<&str>, detail: &str) -> Result<()> {
        self.audit_entry(&EntryContent {
            at_ms: self.now_ms(),
            site_id: self.origin()?.id.to_string(),
            actor: self.who.username.clone(),
            workstation: self.who.workstation.clone(),
            action: action.as_str().to_string(),
            table: table.map(str::to_string),
            record_id: record.map(str::to_string),
            detail: detail.to_string(),
        })
    }

    /// Appends an entry chained to the newest, for something another person did (a refused
    /// sign-in recorded later) or at another time.
    /// Hidden characters are dropped from every text first: a user name or a file name typed
    /// with a terminal escape in it reaches no terminal from here.
    pub(crate) fn audit_entry(&self, content: &EntryContent) -> Result<()> {
        let content = &EntryContent {
            actor: clean_line(&content.actor),
            workstation: clean_line(&content.workstation),
            detail: clean_line(&content.detail),
            ..content.clone()
        };
        let (head_seq, head_hash): (i64, Option<Vec<u8>>) =
            self.tx.prepare_cached(AUDIT_HEAD)?.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)?;
        let prev = head_hash.unwrap_or_default();
        let hash = chain::entry_hash(&prev, content);
        let seq = head_seq + 1;
        self.tx.prepare_cached(AUDIT_APPEND)?.execute(params![
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
        self.tx.prepare_cached(AUDIT_HEAD_SET)?.execute(params![seq, hash.as_slice()])?;
        Ok(())
    }
}

/// Whether the clock `a` (with the site that wrote it) is newer than `b`, in the order every
/// site merges by: the clock, then the site's id.
pub(crate) fn newer(a: (i64, SiteId), b: (i64, SiteId)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1.to_string() > b.1.to_string())
}

/// Whether a row is expected where values are put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    /// Made here and now (a new record written here, or one this site holds no clock of): made
    /// with its values in one statement, or updated if it turns out to exist.
    New,
    /// Updated; made first if it turns out to be missing (a received change).
    Either,
    /// Updated only.
    Existing,
}

/// Puts values into a synced table's row, with the derived columns the store keeps beside
/// them. Returns whether the row was made. A new row is inserted with its values at once, so
/// its indexes and the search index are written once rather than made and then changed.
fn apply_fields<V: Borrow<Value>>(conn: &Connection, table: Table, id: &str, row: Row, fields: &[(&'static str, V)]) -> Result<bool> {
    if fields.is_empty() {
        return Ok(false);
    }
    let mut columns: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
    let mut derived: Vec<Value> = Vec::new();
    if table == Table::Participants {
        if let Some(Value::Text(name)) = fields.iter().find(|(f, _)| *f == "legal_name").map(|(_, v)| v.borrow()) {
            columns.extend(["sort_name", "name_compact"]);
            derived.extend([Value::Text(sort_key(name)), Value::Text(compact_words(name))]);
        }
    }
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&id];
    args.extend(fields.iter().map(|(_, v)| v.borrow() as &dyn rusqlite::ToSql));
    args.extend(derived.iter().map(|v| v as &dyn rusqlite::ToSql));
    let insert = |args: &[&dyn rusqlite::ToSql]| -> Result<bool> {
        let placeholders: Vec<String> = (2..=columns.len() + 1).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT OR IGNORE INTO {} (id, {}) VALUES (?1, {})", table.name(), columns.join(", "), placeholders.join(", "));
        Ok(conn.prepare_cached(&sql)?.execute(args)? > 0)
    };
    if row == Row::New && insert(&args)? {
        return Ok(true);
    }
    let sets: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
    let updated = conn.prepare_cached(&format!("UPDATE {} SET {} WHERE id = ?1", table.name(), sets.join(", ")))?.execute(args.as_slice())?;
    if updated == 0 && row == Row::Either {
        return insert(&args);
    }
    Ok(false)
}

/// Sets which words of a vocabulary a record carries, as rows of `table` (`parent` and `word`
/// columns) with ids derived from the record and the word: a new word is a row, a word taken
/// away is a tombstone, and a word ticked again brings its row back.
pub(crate) fn set_words(w: &mut Writer<'_>, table: Table, parent: (&'static str, Uuid), word_field: &'static str, all: &[&str], chosen: &[&str]) -> Result<()> {
    for word in all {
        let id = derived_id(&[table.name(), &parent.1.to_string(), word]);
        let deleted: Option<bool> =
            w.tx().prepare_cached(&format!("SELECT deleted FROM {} WHERE id = ?1", table.name()))?.query_row([id.to_string()], |r| r.get(0)).optional()?;
        let wanted = chosen.contains(word);
        let fields = match (wanted, deleted) {
            (true, None) => vec![(parent.0, Value::Text(parent.1.to_string())), (word_field, Value::Text((*word).to_string()))],
            (true, Some(true)) => vec![("deleted", Value::Integer(0))],
            (false, Some(false)) => vec![("deleted", Value::Integer(1))],
            _ => continue,
        };
        let action = match (deleted, wanted) {
            (None, _) => Action::Create,
            (_, true) => Action::Update,
            (_, false) => Action::Delete,
        };
        w.write(&RecordChange { table, id, action, fields })?;
    }
    Ok(())
}

/// A column value as the journal stores it.
pub(crate) fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Value::from(*f),
        Value::Text(t) => serde_json::Value::from(t.as_str()),
        Value::Blob(b) => serde_json::Value::from(b.clone()),
    }
}

/// A journalled value as a column value.
pub(crate) fn column_value(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(b)),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Integer).or_else(|| n.as_f64().map(Value::Real)).unwrap_or(Value::Null),
        serde_json::Value::String(s) => Value::Text(s),
        other => Value::Text(other.to_string()),
    }
}

/// A text value, or SQL NULL for `None`.
pub(crate) fn text(v: Option<impl Into<String>>) -> Value {
    v.map_or(Value::Null, |s| Value::Text(s.into()))
}

#[cfg(test)]
mod tests {
    use super::Clocks;
    use proptest::prelude::*;
    use rusqlite::Connection;
    use std::collections::BTreeMap;

    /// Clocks as they come back from a column holding `value`.
    fn stored(value: impl rusqlite::ToSql) -> rusqlite::Result<Clocks> {
        Connection::open_in_memory().expect("a database in memory").query_row("SELECT ?1", [value], |r| r.get(0))
    }

    proptest! {
        #[test]
        fn packed_clocks_read_back_as_written(clocks in proptest::collection::btree_map("[a-z_]{1,24}", (any::<i64>(), 0i64..1_000_000), 0..40)) {
            let clocks = Clocks(clocks);
            prop_assert_eq!(stored(&clocks).expect("read back"), clocks);
        }

        #[test]
        fn damaged_clocks_are_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(clocks) = stored(bytes.clone()) {
                // Whatever did parse writes back to bytes that read as the same clocks.
                prop_assert_eq!(stored(&clocks).expect("read back"), clocks);
            }
        }
    }

    #[test]
    fn a_record_changed_together_takes_a_byte_or_so_per_clock_beyond_its_field_names() {
        let clocks = Clocks(BTreeMap::from([("legal_name".to_string(), (7_372_718_223_123_456_789, 1)), ("dob".to_string(), (7_372_718_223_123_456_789, 1))]));
        let rusqlite::types::ToSqlOutput::Owned(rusqlite::types::Value::Blob(bytes)) = rusqlite::ToSql::to_sql(&clocks).expect("packed") else { panic!("clocks are stored as bytes") };
        // The lowest clock (ten bytes at most), the count of fields, and per field its name, its
        // length and a byte each for its distance and its site.
        assert_eq!(bytes.len(), 10 + 1 + 3 * 2 + "legal_name".len() + "dob".len());
    }

    #[test]
    fn damaged_clocks_name_the_record_and_what_to_do() {
        let conn = Connection::open_in_memory().expect("a database in memory");
        conn.execute_batch("CREATE TABLE record_clocks (tbl TEXT, record_id BLOB, clocks BLOB, PRIMARY KEY (tbl, record_id))").expect("table");
        let id = uuid::Uuid::from_u128(7);
        conn.execute("INSERT INTO record_clocks VALUES ('participants', ?1, x'ff')", [id.as_bytes().as_slice()]).expect("damaged clocks");
        let said = super::read_clocks(&conn, super::Table::Participants, id.as_bytes()).expect_err("damaged clocks are refused").to_string();
        assert!(said.contains(&format!("participants record {id} cannot be read")) && said.contains("restore the latest backup"), "{said}");
    }

    #[test]
    fn clocks_moved_by_migration_0012_read_as_json() {
        let clocks = stored(r#"{"dob":[5,2],"legal_name":[7,1]}"#).expect("JSON clocks");
        assert_eq!(clocks.0, BTreeMap::from([("dob".to_string(), (5, 2)), ("legal_name".to_string(), (7, 1))]));
        assert!(stored(r#"{"dob":"#).is_err(), "damaged JSON is an error");
        assert!(stored(3i64).is_err(), "a number is not clocks");
    }
}
