//! Importing a bundle (ADR 0007, ADR 0011). Everything that needs no key of this site's is
//! checked on the file's first bytes before the rest is read: the magic, the size, the header,
//! the sender (trusted here), its signature, the recipient (this site). Then the payload is read,
//! its digest checked, decrypted and each change checked against its writer's trusted key. What
//! may not be applied is kept out and listed, never applied half: changes written by a site not
//! trusted here, changes a community partner may not make, values that fail the same checks a
//! typed value passes. The rest is applied in one transaction through the writer's receiving
//! mode; a bundle that brings nothing new makes no backup and changes nothing.

use super::anchors;
use super::merges;
use super::backup::BackupKind;
use super::bundles::{format1_events, note_holdings, own_site, peer_key};
use super::peers::{peer_kind, stored_keys};
use super::schema::Table;
use super::write::{column_value, Merged, Received, Writer};
use super::{PeerKind, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::bundle::{self, count_change, Range};
use crate::sync::payload::{damaged, matches_header, Event, Incoming, PayloadReader, Vouched};
use crate::sync::segment::Bounds;
use crate::sync::{Hlc, Names};
use ed25519_dalek::VerifyingKey;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use uuid::Uuid;

/// A day: a bundle whose clocks are further ahead of this workstation's is reported.
const CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// A change that was kept out of the database, and why; never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KeptOut {
    pub table: String,
    pub record: String,
    pub field: String,
    pub reason: String,
}

/// What an import did, for the person who carried the stick.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct ImportSummary {
    pub from: String,
    pub sender: SiteId,
    pub changes: u64,
    pub new_records: u64,
    pub updated_fields: u64,
    pub already_present: u64,
    pub conflicts: u64,
    /// Every change was already here: the bundle was imported before, or is older than what
    /// arrived since (a replay), and nothing was changed.
    pub nothing_new: bool,
    /// Changes kept in the journal but not shown because a newer value is here.
    pub not_applied: Vec<String>,
    /// Changes kept out of the database altogether, each with its reason.
    pub kept_out: Vec<KeptOut>,
    /// Set when the bundle's clocks were far ahead of this workstation's.
    pub clock_warning: Option<String>,
    /// A hand-off's notice forbidding re-disclosure, to be shown to whoever imported it.
    pub notice: Option<String>,
    /// Audit trails found rewritten since this site or the sender last saw them (ADR 0013).
    pub chain_warnings: Vec<String>,
}

/// Where a change read from a bundle would be written, in the store's terms.
pub(crate) struct Arriving<'a> {
    pub origin: SiteId,
    pub table: Table,
    pub field: &'a str,
    pub record: Uuid,
}

/// What a community partner may write into this site: its confirmation of a hand-off made to
/// it, nothing else (ADR 0011). `addressed_to` gives the partner site a disclosure went to.
/// Changes this site wrote itself, coming back, are let through: they are its own.
pub(crate) fn partner_may_write(e: &Arriving<'_>, partner: SiteId, me: SiteId, addressed_to: impl Fn(Uuid) -> Option<SiteId>) -> std::result::Result<(), &'static str> {
    if e.origin == me {
        return Ok(());
    }
    if e.origin != partner {
        return Err("a community partner passes on no other site's changes");
    }
    let confirmation = e.table == Table::Disclosures && matches!(e.field, "confirmed_on" | "confirmed_how");
    if !confirmation {
        return Err("a community partner may send back only its confirmation of a hand-off");
    }
    if addressed_to(e.record) != Some(partner) {
        return Err("a community partner may confirm only a hand-off made to it");
    }
    Ok(())
}

/// A change's table, field and value in the store's terms, and whether the value passes the
/// checks a typed value passes: all that can be known of a change without the database.
pub(crate) struct Decoded {
    pub table: Table,
    pub field: &'static str,
    pub value: Value,
    /// Why the value is not one this field may hold.
    pub refused: Option<String>,
}

/// An event of a bundle's payload with its change decoded, as the import takes it.
pub(crate) enum Ready {
    /// A change, decoded unless its writer is not trusted here: such a change is kept out
    /// unread, as its names may be ones a newer Bridger knows.
    Change(Incoming, Option<Decoded>),
    SegmentEnd { bounds: Bounds, sig: Vec<u8>, trusted: bool },
}

/// Decodes a bundle's changes, looking up the tables and fields its names stand for once each.
pub(crate) struct Decoder<'a> {
    names: &'a Names,
    tables: Vec<Option<Table>>,
    fields: HashMap<(u16, u16), Option<&'static str>>,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(names: &'a Names) -> Self {
        Decoder { names, tables: names.tables.iter().map(|t| Table::parse(t)).collect(), fields: HashMap::new() }
    }

    /// The table and field a change names, or a refusal naming them: a bundle from a newer
    /// Bridger may carry what this one cannot hold.
    fn resolve(&mut self, table: u16, field: u16) -> Result<(Table, &'static str)> {
        let names = self.names;
        let t = self.tables.get(usize::from(table)).copied().flatten();
        let f = *self.fields.entry((table, field)).or_insert_with(|| t.and_then(|t| names.fields.get(usize::from(field)).and_then(|f| t.field(f))));
        match (t, f) {
            (Some(t), Some(f)) => Ok((t, f)),
            _ => {
                let name = |list: &[String], i: u16| list.get(usize::from(i)).cloned().unwrap_or_default();
                let (t, f) = (name(&names.tables, table), name(&names.fields, field));
                Err(Error::Bundle(said!("the bundle carries {t}.{f}, which this Bridger does not know: update Bridger first", "el paquete trae {t}.{f}, que este Bridger no conoce: actualice Bridger antes")))
            }
        }
    }

    /// The event with its change decoded; an error for a name this Bridger does not know or a
    /// value that is not JSON.
    pub(crate) fn decode(&mut self, event: Event) -> Result<Ready> {
        let c = match event {
            Event::SegmentEnd { bounds, sig, trusted } => return Ok(Ready::SegmentEnd { bounds, sig, trusted }),
            Event::Change(c) if c.vouched == Vouched::Untrusted => return Ok(Ready::Change(c, None)),
            Event::Change(c) => c,
        };
        let (table, field) = self.resolve(c.table, c.field)?;
        let value = column_value(serde_json::from_str(&c.value).map_err(|_| damaged())?);
        let refused = table.refuses(field, &value).map(|rule| format!("{field} must be {rule}"));
        Ok(Ready::Change(c, Some(Decoded { table, field, value, refused })))
    }
}

/// Who sent a bundle and what else its import needs to know, decided before it is applied.
struct Sender<'a> {
    name: &'a str,
    me: SiteId,
    /// Set when the sender is a community partner (ADR 0011).
    partner: Option<SiteId>,
    /// About how many of the bundle's changes this site lacks ([`Store::new_changes`]).
    new_changes: u64,
}

impl Store {
    /// Imports the bundle at `path`. `passphrase` opens a one-off bundle.
    pub fn import_bundle(&mut self, ctx: &WriteCtx, path: &Path, passphrase: Option<&str>) -> Result<ImportSummary> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let limit = u64::from(super::settings::read(&self.conn)?.bundle_limit_mb) << 20;
        if path.is_dir() {
            return Err(Error::Bundle(said!("that is a folder: choose the bundle file in it", "eso es una carpeta: elija el archivo del paquete que contiene")));
        }
        let mut file = std::fs::File::open(path).map_err(|source| Error::Io { context: said!("cannot read {}", "no se puede leer {}", path.display()), source })?;
        let opened = bundle::open(&mut file, limit)?;
        let header = &opened.header;
        let (me, _) = own_site(&self.conn)?;
        if header.exporter == me {
            return Err(Error::Bundle(said!("this bundle was written by this site itself", "este paquete lo escribió este mismo sitio")));
        }
        let (from, signer, _) = peer_key(&self.conn, header.exporter)?
            .ok_or_else(|| Error::Bundle(said!("this bundle is from a site this one does not trust: add its card first", "este paquete viene de un sitio en el que este no confía: añada antes su tarjeta")))?;
        if !opened.signed_by(&signer) {
            return Err(Error::Bundle(said!("the bundle's signature is not {from}'s: it was changed or signed by another key", "la firma del paquete no es de {from}: se cambió o la firmó otra clave")));
        }
        if !header.recipients.contains(&me) {
            return Err(Error::Bundle(said!("this bundle is for another site, not this one", "este paquete es para otro sitio, no para este")));
        }
        opened.check_payload(&mut file)?;
        let keys = stored_keys(&self.conn)?.ok_or_else(|| Error::Bundle(said!("this site has never given out its card, so no bundle can be for it", "este sitio nunca ha entregado su tarjeta, así que ningún paquete puede ser para él")))?;
        let decrypted = opened.decrypting(&mut file, &keys.age, passphrase)?;
        let mut trusted: BTreeMap<SiteId, VerifyingKey> = BTreeMap::from([(me, keys.signing.verifying_key())]);
        for origin in header.ranges.keys().filter(|o| **o != me) {
            if let Some((_, key, _)) = peer_key(&self.conn, *origin)? {
                trusted.insert(*origin, key);
            }
        }
        let partner = (peer_kind(&self.conn, header.exporter)? == Some(PeerKind::Partner)).then_some(header.exporter);
        let sender = Sender { name: &from, me, partner, new_changes: self.new_changes(&header.ranges)? };
        // A format-1 payload is one JSON array, read and checked whole before anything is
        // applied; a format-2 payload is applied as it is read, each segment's signature
        // checked as it ends, and a bad one rolls the whole import back.
        let payload = if header.format < 2 {
            let (names, events) = format1_events(&decrypted.read_whole()?, &trusted)?;
            ReadPayload::Format1(names, events)
        } else {
            ReadPayload::Format2(PayloadReader::new(decrypted, &header.names, &trusted)?)
        };
        if self.keys.is_some() && sender.new_changes > 0 {
            self.write_backup(ctx, BackupKind::BeforeImport, "before import")?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        // A large bundle touches more pages than the usual cache holds, and every page that
        // leaves it is encrypted and later decrypted again: twice the cache for the import
        // (about a quarter faster for a million changes), well inside its memory budget.
        self.conn.pragma_update(None, "cache_size", super::CACHE_KIB * -2)?;
        let result = match payload {
            ReadPayload::Format1(names, events) => {
                let mut decoder = Decoder::new(&names);
                self.apply_bundle(ctx, &sender, header, &names, events.into_iter().map(|e| decoder.decode(e)))
            }
            ReadPayload::Format2(reader) => {
                let mut decoder = Decoder::new(&header.names);
                let decoded = reader.map(move |e| e.and_then(|e| decoder.decode(e)));
                read_ahead(decoded, |events| self.apply_bundle(ctx, &sender, header, &header.names, events))
            }
        };
        self.conn.pragma_update(None, "cache_size", -super::CACHE_KIB)?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        result
    }

    /// About how many of the changes a bundle's header says it carries this site lacks: for each
    /// writer, how many more the bundle has in the clocks it spans than this site holds there.
    /// None means nothing new (no backup is needed before the import); a count above the records
    /// held makes the import set indexes aside.
    fn new_changes(&self, ranges: &BTreeMap<SiteId, Range>) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*) FROM journal j JOIN site_numbers n ON n.site_no = j.site_no WHERE n.site_id = ?1 AND j.hlc BETWEEN ?2 AND ?3",
        )?;
        let mut lacking = 0u64;
        for (origin, range) in ranges {
            let held: i64 = stmt.query_row(rusqlite::params![origin, range.first, range.last], |r| r.get(0))?;
            lacking = lacking.saturating_add(range.count.saturating_sub(held.unsigned_abs()));
        }
        Ok(lacking)
    }

    /// The import's one transaction: every change read is kept out (with its reason) or
    /// received by the writer (ADR 0007); a segment received whole is kept so this site can
    /// pass it on; and what was read must be what the header lists.
    fn apply_bundle(&mut self, ctx: &WriteCtx, sender: &Sender<'_>, header: &bundle::Header, names: &Names, events: impl Iterator<Item = Result<Ready>>) -> Result<ImportSummary> {
        self.change(ctx, Need::Everywhere(Permission::ExportData), |w| {
            let from = sender.name;
            let mut summary = ImportSummary {
                from: from.to_string(),
                sender: header.exporter,
                changes: 0,
                new_records: 0,
                updated_fields: 0,
                already_present: 0,
                conflicts: 0,
                nothing_new: false,
                not_applied: Vec::new(),
                kept_out: Vec::new(),
                clock_warning: None,
                notice: header.notice.clone(),
                chain_warnings: Vec::new(),
            };
            // Each distinct statement below is prepared once for the whole bundle: one per table
            // and field for conflicts, one per table and set of fields for updates.
            w.tx().set_prepared_statement_cache_capacity(2048);
            let aside = IndexesAside::for_bundle(w.tx(), sender.new_changes)?;
            let mut new_here = NewHere::at_start(w.tx())?;
            let mut read: BTreeMap<SiteId, Range> = BTreeMap::new();
            let mut newest = 0i64;
            // Whether every change of the segment being read was taken in: only then is the
            // segment kept for passing on.
            let mut whole = true;
            // Consecutive changes to one record are taken in together (Writer::receive_record).
            let mut group: Vec<Taking> = Vec::new();
            for event in events {
                let (c, decoded) = match event? {
                    Ready::Change(c, decoded) => (c, decoded),
                    Ready::SegmentEnd { bounds, sig, trusted } => {
                        take_in(w, &mut group, &mut new_here, &mut summary, &mut newest)?;
                        if trusted && whole {
                            let no = w.site_no(bounds.origin)?;
                            w.tx()
                                .prepare_cached("INSERT OR IGNORE INTO segments (site_no, first_hlc, last_hlc, count, sig) VALUES (?1, ?2, ?3, ?4, ?5)")?
                                .execute(rusqlite::params![no, bounds.first, bounds.last, i64::try_from(bounds.count).map_err(|_| damaged())?, sig])?;
                        }
                        whole = true;
                        continue;
                    }
                };
                count_change(&mut read, c.origin, c.hlc);
                summary.changes += 1;
                let record = Uuid::from_bytes(c.record);
                let Some(decoded) = decoded else {
                    let name = |list: &[String], i: u16| list.get(usize::from(i)).cloned().unwrap_or_default();
                    let reason = "written by a site this one does not trust: add its card to receive its changes".to_string();
                    summary.kept_out.push(KeptOut { table: name(&names.tables, c.table), record: record.to_string(), field: name(&names.fields, c.field), reason });
                    whole &= !c.in_segment;
                    continue;
                };
                let (table, field) = (decoded.table, decoded.field);
                // A community partner's change only when it is its own confirmation of a hand-off
                // to it; any change only when its value passes the checks a typed value passes.
                let partner_refuses = sender.partner.and_then(|partner| {
                    let addressed_to = |record: Uuid| -> Option<SiteId> {
                        w.tx()
                            .query_row("SELECT r.site_id FROM disclosures d JOIN resources r ON r.id = d.resource_id WHERE d.id = ?1", [record.to_string()], |r| r.get::<_, Option<SiteId>>(0))
                            .optional()
                            .ok()
                            .flatten()
                            .flatten()
                    };
                    partner_may_write(&Arriving { origin: c.origin, table, field, record }, partner, sender.me, addressed_to).err().map(str::to_string)
                });
                if let Some(why) = partner_refuses.or(decoded.refused) {
                    summary.kept_out.push(KeptOut { table: table.name().to_string(), record: record.to_string(), field: field.to_string(), reason: why });
                    whole &= !c.in_segment;
                    continue;
                }
                if group.first().is_some_and(|g| g.table != table || g.record != record) {
                    take_in(w, &mut group, &mut new_here, &mut summary, &mut newest)?;
                }
                group.push(Taking { change: c, table, field, record, value: decoded.value });
            }
            take_in(w, &mut group, &mut new_here, &mut summary, &mut newest)?;
            matches_header(&read, &header.ranges)?;
            if let Some(aside) = aside {
                aside.put_back(w.tx())?;
            }
            // Records that arrived naming a merged person, and late edits to a merged record,
            // land where the merges this site now holds say (ADR 25).
            merges::settle(w)?;
            // What the sender holds, it need not be sent again.
            note_holdings(w.tx(), header.exporter, &header.seen)?;
            summary.chain_warnings = anchors::incoming(w, header.exporter, from, &header.audit_heads())?;
            summary.nothing_new = summary.already_present == summary.changes - summary.kept_out.len() as u64;
            let ahead_ms = Hlc::unpack(newest).millis().saturating_sub(ctx.now_ms);
            if ahead_ms > CLOCK_AHEAD_MS {
                summary.clock_warning = Some(format!(
                    "changes in this bundle are stamped {} days ahead of this workstation's clock: check the date on both workstations",
                    ahead_ms / CLOCK_AHEAD_MS
                ));
            }
            let detail = format!(
                "{} changes from {from}: {} applied, {} already here, {} conflicts, {} kept out{}",
                summary.changes,
                summary.updated_fields,
                summary.already_present,
                summary.conflicts,
                summary.kept_out.len(),
                if summary.chain_warnings.is_empty() { String::new() } else { format!("; {}", summary.chain_warnings.join("; ")) }
            );
            w.audit(Action::Import, Some("bundle"), Some(&header.exporter.to_string()), &detail)?;
            Ok(summary)
        })
    }
}

/// A payload ready to apply: a format-1 one read whole, or a format-2 one to read as it goes.
enum ReadPayload<R> {
    Format1(Names, Vec<Event>),
    Format2(R),
}

/// How many read changes cross to the import at a time: enough that handing over costs nothing
/// next to applying them.
const BATCH: usize = 512;
/// How many batches may wait for the import: enough to keep it fed while the reader decompresses
/// the next block, few enough that a stalled import holds a few thousand changes at most.
const BATCHES_WAITING: usize = 4;

/// Runs `apply` over the events `reader` yields, read on a thread of their own: decrypting,
/// decompressing, checking segments and decoding values then take none of the import's time
/// (7% of it for a million changes, and decoding 5% more). Reading stops at the first error, which `apply` receives as the last event,
/// and when `apply` stops early. A reader that panics hands over an error too: the channel
/// closing alone would look like the payload's end, with a segment perhaps left unchecked.
fn read_ahead<E: Send, T>(reader: impl Iterator<Item = Result<E>> + Send, apply: impl FnOnce(&mut dyn Iterator<Item = Result<E>>) -> Result<T>) -> Result<T> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Result<E>>>(BATCHES_WAITING);
        let forward = move || {
            let sending = send.clone();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let mut batch = Vec::with_capacity(BATCH);
                for event in reader {
                    let failed = event.is_err();
                    batch.push(event);
                    if failed || batch.len() == BATCH {
                        let sent = sending.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_ok();
                        // A send that fails means the import has stopped: nothing is left to do.
                        if failed || !sent {
                            return;
                        }
                    }
                }
                if !batch.is_empty() {
                    sending.send(batch).ok();
                }
            }));
            if read.is_err() {
                send.send(vec![Err(damaged())]).ok();
            }
        };
        std::thread::Builder::new()
            .name("bundle reader".into())
            .spawn_scoped(scope, forward)
            .map_err(|source| Error::Io { context: said!("cannot start reading the bundle", "no se puede empezar a leer el paquete"), source })?;
        apply(&mut receive.into_iter().flatten())
    })
}

/// A change read from a bundle, admitted, waiting for the rest of its record's changes.
struct Taking {
    change: Incoming,
    table: Table,
    field: &'static str,
    record: Uuid,
    value: Value,
}

/// Takes in the changes gathered for one record and counts what became of each.
fn take_in(w: &mut Writer<'_>, group: &mut Vec<Taking>, new_here: &mut NewHere, summary: &mut ImportSummary, newest: &mut i64) -> Result<()> {
    let certainly_new = group.first().is_some_and(|t| new_here.first_sight(t.table, t.record));
    let received: Vec<Received<'_>> = group
        .iter()
        .map(|t| Received {
            origin: t.change.origin,
            hlc: t.change.hlc,
            table: t.table,
            field: t.field,
            record: t.record,
            value: &t.value,
            value_json: &t.change.value,
            sig: match &t.change.vouched {
                Vouched::Alone(sig) => Some(sig.as_slice()),
                _ => None,
            },
            prev: t.change.prev,
        })
        .collect();
    for (t, merged) in group.iter().zip(w.receive_record(&received, certainly_new)?) {
        match merged {
            Merged::Duplicate => summary.already_present += 1,
            Merged::Applied { conflict, created } => {
                *newest = (*newest).max(t.change.hlc);
                summary.updated_fields += 1;
                summary.conflicts += u64::from(conflict);
                summary.new_records += u64::from(created);
            }
            Merged::Older { conflict } => {
                *newest = (*newest).max(t.change.hlc);
                summary.conflicts += u64::from(conflict);
                summary.not_applied.push(format!("{} {} {}: a newer value is already here", t.table.name(), t.record, t.field));
            }
        }
    }
    group.clear();
    Ok(())
}

/// The records an import knows this site holds no clock of, so their clocks need not be looked
/// up: those of a table the site held no record of when the import began, each until the import
/// first takes it in. A site's first bundle from another is mostly such records.
struct NewHere {
    empty: Vec<Table>,
    taken: HashSet<(Table, Uuid)>,
}

impl NewHere {
    fn at_start(tx: &rusqlite::Connection) -> Result<Self> {
        let mut any = tx.prepare("SELECT 1 FROM record_clocks WHERE tbl = ?1 LIMIT 1")?;
        let mut empty = Vec::new();
        for table in Table::ALL {
            if !any.exists([table.name()])? {
                empty.push(table);
            }
        }
        Ok(NewHere { empty, taken: HashSet::new() })
    }

    /// Whether the record is certainly new here; it is not after this.
    fn first_sight(&mut self, table: Table, record: Uuid) -> bool {
        self.empty.contains(&table) && self.taken.insert((table, record))
    }
}

/// The synced tables' indexes and the search index's triggers, set aside while a large bundle is
/// applied and made again after it. Keeping every index up to date row by row costs most of a
/// large import, where building each once from the rows in order costs a fraction of it; but
/// building costs in proportion to the records held, so it is done only when the bundle brings
/// more changes new here than the site has records. Both happen inside the import's transaction: a refused
/// bundle leaves the schema as it was. Unique indexes stay, as their constraint must hold
/// throughout, and so do the ids' own: every statement of an import finds rows by id.
struct IndexesAside {
    indexes: Vec<String>,
    triggers: Vec<String>,
}

impl IndexesAside {
    fn for_bundle(tx: &rusqlite::Connection, changes: u64) -> Result<Option<Self>> {
        let records: i64 = tx.query_row("SELECT count(*) FROM record_clocks", [], |r| r.get(0))?;
        if changes <= records.unsigned_abs() {
            return Ok(None);
        }
        let found: Vec<(String, String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT type, name, tbl_name, sql FROM sqlite_schema
                 WHERE (type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %')
                    OR (type = 'trigger' AND tbl_name = 'participants' AND sql LIKE '%participants_fts%')
                 ORDER BY type, name",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
            rows
        };
        let mut indexes = Vec::new();
        let mut triggers = Vec::new();
        for (kind, name, table, sql) in found {
            if Table::parse(&table).is_none() {
                continue;
            }
            if kind == "index" {
                tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                indexes.push(sql);
            } else {
                tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
                triggers.push(sql);
            }
        }
        Ok(Some(IndexesAside { indexes, triggers }))
    }

    fn put_back(self, tx: &rusqlite::Connection) -> Result<()> {
        for sql in &self.indexes {
            tx.execute_batch(sql)?;
        }
        if !self.triggers.is_empty() {
            tx.execute_batch("INSERT INTO participants_fts (participants_fts) VALUES ('rebuild')")?;
        }
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{read_ahead, Event};
    use crate::error::Result;

    #[test]
    fn a_reader_that_panics_hands_over_an_error_not_an_end() {
        let reader = std::iter::from_fn(|| -> Option<Result<Event>> { panic!("a bug in the reader") });
        let read = read_ahead(reader, |events| Ok(events.map(|e| e.is_err()).collect::<Vec<bool>>())).expect("the import ran");
        assert_eq!(read, vec![true], "the import receives one error, and no end it could take for the payload's");
    }

    #[test]
    fn the_import_receives_every_event_in_order_then_the_end() {
        let errors = (0..1_300).map(|i| if i == 1_299 { Err(crate::sync::payload::damaged()) } else { Ok(()) });
        let events = errors.map(|r| r.map(|()| Event::SegmentEnd { bounds: bounds(), sig: Vec::new(), trusted: true }));
        let read = read_ahead(events, |events| Ok(events.map(|e| e.is_ok()).collect::<Vec<bool>>())).expect("the import ran");
        assert_eq!(read.len(), 1_300, "three batches and a part, nothing lost or repeated");
        assert!(read[..1_299].iter().all(|ok| *ok) && !read[1_299], "the error comes last, where it was read");
    }

    fn bounds() -> crate::sync::segment::Bounds {
        crate::sync::segment::Bounds { origin: crate::model::SiteId::from_uuid(uuid::Uuid::from_u128(1)), first: 1, last: 1, count: 1 }
    }
}
