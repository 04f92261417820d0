//! Export and import of bundles (ADR 0007): which changes a peer still needs, and applying a
//! bundle's changes field by field, newest clock winning, concurrent edits kept as conflicts.

use super::audit_trail::append;
use crate::auth::write_atomically;
use super::peers::site_keys;
use super::write::{apply_fields, Table, Writer};
use super::{Store, WriteCtx};
use crate::audit::chain::EntryContent;
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::bundle::{self, entry_bytes, sign_entry, verify_entry, Entry, Header, Range, Signed};
use crate::sync::Hlc;
use data_encoding::BASE64;
use ed25519_dalek::VerifyingKey;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use uuid::Uuid;

/// A day: a bundle whose clocks are further ahead of this workstation's is reported.
const CLOCK_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub to: String,
    pub path: String,
    pub changes: u64,
    pub bytes: u64,
}

/// What an import did, for the person who carried the stick.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Changes kept in the journal but not shown, each with its record and why.
    pub not_applied: Vec<String>,
    /// Set when the bundle's clocks were far ahead of this workstation's.
    pub clock_warning: Option<String>,
    /// A hand-off's notice forbidding re-disclosure, to be shown to whoever imported it.
    pub notice: Option<String>,
}

/// Whether `passphrase` may lock a bundle: checked before anyone is asked where to save it.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < 12 {
        return Err(Error::field("passphrase", "a passphrase needs at least 12 characters; a few words together are easy to pass on by phone"));
    }
    Ok(())
}

fn peer_key(conn: &Connection, site: SiteId) -> Result<Option<(String, VerifyingKey, String)>> {
    let row: Option<(String, Vec<u8>, String)> =
        conn.query_row("SELECT name, verify_key, age_recipient FROM peers WHERE site_id = ?1", [site], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    Ok(row.and_then(|(name, key, recipient)| {
        let bytes: [u8; 32] = key.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(|k| (name, k, recipient))
    }))
}

fn own_site(conn: &Connection) -> Result<(SiteId, String)> {
    conn.query_row("SELECT site_id, name FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)
}

fn site_no(conn: &Connection, site: SiteId) -> Result<i64> {
    conn.execute("INSERT OR IGNORE INTO site_numbers (site_id) VALUES (?1)", [site])?;
    Ok(conn.query_row("SELECT site_no FROM site_numbers WHERE site_id = ?1", [site], |r| r.get(0))?)
}

/// A journal row as bundles carry it: the origin's site id, the value it replaced, the signature.
pub(crate) const JOURNAL_ROW: &str = "SELECT j.seq, n.site_id, j.hlc, j.tbl, j.record_id, j.field, j.value, j.sig, p.site_id, j.prev_hlc FROM journal j
     JOIN site_numbers n ON n.site_no = j.site_no LEFT JOIN site_numbers p ON p.site_no = j.prev_site_no";

/// The change a [`JOURNAL_ROW`] holds, signed: this site's own changes are signed the first
/// time they leave it. A change from elsewhere that arrived unsigned is never passed on.
pub(crate) fn journal_entry(tx: &Connection, r: &rusqlite::Row<'_>, me: SiteId, signing: &ed25519_dalek::SigningKey) -> Result<Option<Entry>> {
    let (origin, hlc): (SiteId, i64) = (r.get(1)?, r.get(2)?);
    let record = Uuid::from_slice(&r.get::<_, Vec<u8>>(4)?).map_err(|e| Error::Bundle(e.to_string()))?.to_string();
    let (tbl, field, value): (String, String, String) = (r.get(3)?, r.get(5)?, r.get(6)?);
    let prev = match (r.get::<_, Option<SiteId>>(8)?, r.get::<_, Option<i64>>(9)?) {
        (Some(site), Some(hlc)) => Some((site, hlc)),
        _ => None,
    };
    let sig = match r.get::<_, Option<Vec<u8>>>(7)? {
        Some(s) => s,
        None if origin == me => {
            let signed = Signed { origin, hlc, tbl: &tbl, record: &record, field: &field, value: &value, prev };
            let s = sign_entry(signing, &entry_bytes(&signed));
            tx.prepare_cached("UPDATE journal SET sig = ?2 WHERE seq = ?1")?.execute(params![r.get::<_, i64>(0)?, s])?;
            s
        }
        None => return Ok(None),
    };
    let value = serde_json::from_str(&value).unwrap_or(serde_json::Value::Null);
    Ok(Some(Entry { origin, hlc, tbl, record, field, value, prev, sig: BASE64.encode(&sig) }))
}

/// A trusted site's name and the key bundles for it are encrypted to.
pub(crate) fn peer_lock(conn: &Connection, peer: SiteId) -> Result<(String, age::x25519::Recipient)> {
    let (name, _, recipient) = peer_key(conn, peer)?.ok_or_else(|| Error::field("peer", "that site is not trusted here: add its card first"))?;
    let recipient = recipient.parse().map_err(|_| Error::field("peer", "that site's card is damaged: add it again"))?;
    Ok((name, recipient))
}

/// The directory's name for a trusted site that is a community partner, if it is one.
pub(crate) fn community_partner(conn: &Connection, site: SiteId) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT name FROM resources WHERE site_id = ?1 AND deleted = 0", [site], |r| r.get(0)).optional()?)
}

/// Signs and encrypts `entries` as a bundle for `peer` and writes it at `path`, whole or not at
/// all. Returns its size in bytes.
pub(crate) fn seal_bundle(
    tx: &Connection,
    ctx: &WriteCtx,
    peer: Option<SiteId>,
    entries: &[Entry],
    lock: bundle::Lock<'_>,
    notice: Option<String>,
    path: &Path,
) -> Result<u64> {
    let (me, my_name) = own_site(tx)?;
    let keys = site_keys(tx)?;
    let mut ranges: BTreeMap<SiteId, Range> = BTreeMap::new();
    for e in entries {
        let range = ranges.entry(e.origin).or_insert(Range { first: e.hlc, last: e.hlc, count: 0 });
        range.first = range.first.min(e.hlc);
        range.last = range.last.max(e.hlc);
        range.count += 1;
    }
    let mut origin_keys = BTreeMap::new();
    for origin in ranges.keys() {
        let key = if *origin == me { Some(keys.signing.verifying_key()) } else { peer_key(tx, *origin)?.map(|(_, k, _)| k) };
        if let Some(k) = key {
            origin_keys.insert(*origin, BASE64.encode(k.as_bytes()));
        }
    }
    let (audit_head_seq, head): (i64, Option<Vec<u8>>) = tx.query_row("SELECT audit_head_seq, audit_head_hash FROM site", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let header = Header {
        format: bundle::FORMAT,
        critical: Vec::new(),
        exporter: me,
        exporter_name: my_name,
        recipients: peer.into_iter().collect(),
        created_ms: ctx.now_ms,
        seen: seen(tx)?,
        ranges,
        origin_keys,
        audit_head_seq,
        audit_head_hash: head.unwrap_or_default().iter().map(|b| format!("{b:02x}")).collect(),
        payload_sha256: String::new(),
        payload_len: 0,
        passphrase: false,
        notice,
    };
    let payload = serde_json::to_vec(entries).map_err(|e| Error::Bundle(e.to_string()))?;
    let sealed = bundle::seal(header, &payload, lock, &keys.signing)?;
    write_atomically(path, &sealed)?;
    Ok(sealed.len() as u64)
}

/// Records what `peer` holds (from its bundle or receipt), so it is not sent again.
fn note_holdings(tx: &Connection, peer: SiteId, seen: &BTreeMap<SiteId, i64>) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO peer_frontier (peer_site, origin_site, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (peer_site, origin_site) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
    )?;
    for (origin, hlc) in seen {
        stmt.execute(params![peer, origin, hlc])?;
    }
    Ok(())
}

/// An audit entry about a bundle or receipt (`what`), exchanged with `peer`.
fn audit_exchange(tx: &Connection, ctx: &WriteCtx, who: &crate::auth::Session, action: Action, what: &str, peer: Option<SiteId>, detail: String) -> Result<()> {
    append(
        tx,
        &EntryContent {
            at_ms: i64::try_from(ctx.now_ms).unwrap_or(i64::MAX),
            site_id: own_site(tx)?.0.to_string(),
            actor: who.username.clone(),
            workstation: who.workstation.clone(),
            action: action.as_str().into(),
            table: Some(what.into()),
            record_id: peer.map(|p| p.to_string()),
            detail,
        },
    )
}

/// For each site whose changes this one holds, the newest clock.
fn seen(conn: &Connection) -> Result<BTreeMap<SiteId, i64>> {
    let mut stmt = conn.prepare("SELECT n.site_id, max(j.hlc) FROM journal j JOIN site_numbers n ON n.site_no = j.site_no GROUP BY n.site_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, SiteId>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Store {
    /// Writes a bundle for `peer` at `path`: every change it is not known to hold (or all with
    /// `full`), encrypted to it and signed by this site. The file appears whole or not at all.
    pub fn export_bundle(&mut self, ctx: &WriteCtx, peer: SiteId, full: bool, path: &Path) -> Result<ExportSummary> {
        self.write_bundle(ctx, Some(peer), None, full, path)
    }

    /// A one-off bundle of every change, locked with a passphrase instead of a site's key; the
    /// importing site must still trust this one's signature.
    pub fn export_bundle_with_passphrase(&mut self, ctx: &WriteCtx, passphrase: &str, path: &Path) -> Result<ExportSummary> {
        check_passphrase(passphrase)?;
        self.write_bundle(ctx, None, Some(passphrase), true, path)
    }

    fn write_bundle(&mut self, ctx: &WriteCtx, peer: Option<SiteId>, passphrase: Option<&str>, full: bool, path: &Path) -> Result<ExportSummary> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ExportData, None)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let me = own_site(&tx)?.0;
        let target = match (peer, passphrase) {
            (Some(peer), _) => {
                if let Some(partner) = community_partner(&tx, peer)? {
                    return Err(Error::field(
                        "peer",
                        format!("{partner} is a community partner: only hand-off bundles go to it, carrying what a person's consent covers"),
                    ));
                }
                Some(peer_lock(&tx, peer)?)
            }
            (None, Some(_)) => None,
            (None, None) => return Err(Error::field("peer", "choose a trusted site or a passphrase")),
        };
        let peer_name = target.as_ref().map_or_else(|| "whoever has the passphrase".to_string(), |(n, _)| n.clone());
        let keys = site_keys(&tx)?;
        let known: BTreeMap<SiteId, i64> = if full {
            BTreeMap::new()
        } else {
            let mut stmt = tx.prepare("SELECT origin_site, hlc FROM peer_frontier WHERE peer_site = ?1")?;
            let rows = stmt.query_map([peer.map(|p| p.to_string())], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            rows
        };
        let mut entries = Vec::new();
        {
            let mut stmt = tx.prepare(&format!("{JOURNAL_ROW} WHERE n.site_id IS NOT ?1 ORDER BY j.seq"))?;
            let mut rows = stmt.query([peer.map(|p| p.to_string())])?;
            while let Some(r) = rows.next()? {
                let (origin, hlc): (SiteId, i64) = (r.get(1)?, r.get(2)?);
                if known.get(&origin).is_some_and(|k| hlc <= *k) {
                    continue;
                }
                entries.extend(journal_entry(&tx, r, me, &keys.signing)?);
            }
        }
        let lock = match (&target, passphrase) {
            (Some((_, recipient)), _) => bundle::Lock::Recipient(recipient),
            (None, Some(p)) => bundle::Lock::Passphrase(p),
            (None, None) => unreachable!("refused above"),
        };
        let sealed = seal_bundle(&tx, ctx, peer, &entries, lock, None, path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        audit_exchange(&tx, ctx, who, Action::Export, "bundle", peer, format!("{} changes for {peer_name} in {name}", entries.len()))?;
        tx.commit()?;
        Ok(ExportSummary { to: peer_name, path: path.display().to_string(), changes: entries.len() as u64, bytes: sealed })
    }

    /// Checks a bundle (format, signer, recipient, digest, in that order) before decrypting it,
    /// then applies all of its changes in one transaction, or none. `passphrase` opens a
    /// one-off bundle.
    pub fn import_bundle(&mut self, ctx: &WriteCtx, bytes: &[u8], passphrase: Option<&str>) -> Result<ImportSummary> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?.clone();
        who.require(Permission::ExportData, None)?;
        let opened = bundle::open(bytes)?;
        let header = &opened.header;
        let (me, _) = own_site(&self.conn)?;
        if header.exporter == me {
            return Err(Error::Bundle("this bundle was written by this site itself".into()));
        }
        let (from, signer, _) = peer_key(&self.conn, header.exporter)?.ok_or_else(|| {
            Error::Bundle(format!("this bundle is from \"{}\", a site this one does not trust: add its card first", header.exporter_name))
        })?;
        if !opened.signed_by(&signer) {
            return Err(Error::Bundle(format!("the bundle's signature is not {from}'s: it was changed or signed by another key")));
        }
        if !header.passphrase && !header.recipients.contains(&me) {
            return Err(Error::Bundle("this bundle is for another site, not this one".into()));
        }
        opened.check_payload()?;
        let keys = site_keys(&self.conn)?;
        let payload = opened.decrypt(&keys.age, passphrase)?;
        let mut origin_keys: BTreeMap<SiteId, VerifyingKey> = BTreeMap::new();
        for (origin, text) in &header.origin_keys {
            let vouched = BASE64.decode(text.as_bytes()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()).and_then(|b| VerifyingKey::from_bytes(&b).ok());
            // A site trusted here is checked with the key this site trusts, not the one vouched for.
            let key = if *origin == me { Some(keys.signing.verifying_key()) } else { peer_key(&self.conn, *origin)?.map(|(_, k, _)| k).or(vouched) };
            if let Some(k) = key {
                origin_keys.insert(*origin, k);
            }
        }
        let entries = read_entries(&payload, &origin_keys)?;
        if self.keys.is_some() {
            self.write_backup(ctx, "before import")?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = apply_bundle(&mut self.conn, ctx, &who, &from, header, &entries);
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        result
    }
}

/// The bundle's changes, each checked against the key of the site that wrote it and against
/// the tables and fields this Bridger knows, before any is applied. Checking a signature is most
/// of an import's work, so the changes are checked on every core at once.
pub(crate) fn read_entries(payload: &[u8], origin_keys: &BTreeMap<SiteId, VerifyingKey>) -> Result<Vec<Entry>> {
    let entries: Vec<Entry> = serde_json::from_slice(payload).map_err(|_| Error::Bundle("the bundle's contents are damaged".into()))?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let share = entries.len().div_ceil(cores).max(1);
    let invalid = std::thread::scope(|scope| {
        let workers: Vec<_> = entries.chunks(share).map(|part| scope.spawn(move || part.iter().find(|e| !entry_is_valid(e, origin_keys)))).collect();
        // A checker that stopped proves nothing, so the bundle is refused as if a change were bad.
        workers.into_iter().map(|w| w.join().unwrap_or(Some(&entries[0]))).find_map(|bad| bad)
    });
    match invalid {
        Some(e) => Err(Error::Bundle(format!("a change in the bundle ({} {}) does not carry its writer's valid signature", e.tbl, e.record))),
        None => Ok(entries),
    }
}

fn entry_is_valid(e: &Entry, origin_keys: &BTreeMap<SiteId, VerifyingKey>) -> bool {
    let known = Table::parse(&e.tbl).is_some_and(|t| t.fields().contains(&e.field.as_str())) && Uuid::parse_str(&e.record).is_ok();
    known
        && origin_keys.get(&e.origin).is_some_and(|k| {
            let value = e.value.to_string();
            let signed = Signed { origin: e.origin, hlc: e.hlc, tbl: &e.tbl, record: &e.record, field: &e.field, value: &value, prev: e.prev };
            BASE64.decode(e.sig.as_bytes()).is_ok_and(|sig| verify_entry(k, &entry_bytes(&signed), &sig))
        })
}

/// The import's one transaction.
fn apply_bundle(
    conn: &mut Connection,
    ctx: &WriteCtx,
    who: &crate::auth::Session,
    from: &str,
    header: &Header,
    entries: &[Entry],
) -> Result<ImportSummary> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut summary = ImportSummary {
        from: from.to_string(),
        sender: header.exporter,
        changes: entries.len() as u64,
        new_records: 0,
        updated_fields: 0,
        already_present: 0,
        conflicts: 0,
        nothing_new: false,
        not_applied: Vec::new(),
        clock_warning: None,
        notice: header.notice.clone(),
    };
    let mut newest = 0i64;
    // Each distinct statement below is prepared once for the whole bundle.
    tx.set_prepared_statement_cache_capacity(256);
    let mut site_nos: BTreeMap<SiteId, i64> = BTreeMap::new();
    let mut number = |tx: &Connection, site: SiteId| -> Result<i64> {
        if let Some(n) = site_nos.get(&site) {
            return Ok(*n);
        }
        let n = site_no(tx, site)?;
        site_nos.insert(site, n);
        Ok(n)
    };
    let mut records_seen: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    for e in entries {
        let table = Table::parse(&e.tbl).ok_or_else(|| Error::Bundle("unknown table".into()))?;
        let field: &'static str = table.fields().iter().copied().find(|f| *f == e.field).ok_or_else(|| Error::Bundle("unknown field".into()))?;
        let record = Uuid::parse_str(&e.record).map_err(|_| Error::Bundle("damaged record id".into()))?;
        let origin_no = number(&tx, e.origin)?;
        let value_text = e.value.to_string();
        let sig = BASE64.decode(e.sig.as_bytes()).unwrap_or_default();
        let prev_no = e.prev.map(|(site, _)| number(&tx, site)).transpose()?;
        let inserted = tx.prepare_cached(
            "INSERT OR IGNORE INTO journal (hlc, site_no, tbl, record_id, field, value, sig, prev_hlc, prev_site_no)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![e.hlc, origin_no, e.tbl, record.as_bytes().as_slice(), e.field, value_text, sig, e.prev.map(|(_, h)| h), prev_no],
        )?;
        if inserted == 0 {
            summary.already_present += 1;
            continue;
        }
        newest = newest.max(e.hlc);
        let current: Option<(i64, SiteId)> = tx
            .prepare_cached(
                "SELECT c.hlc, n.site_id FROM field_clocks c JOIN site_numbers n ON n.site_no = c.site_no WHERE c.tbl = ?1 AND c.record_id = ?2 AND c.field = ?3",
            )?
            .query_row(params![e.tbl, record.as_bytes().as_slice(), e.field], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let id = record.to_string();
        let value = json_value(&e.value);
        let current_value = || -> Result<String> {
            let v: Value = tx.prepare_cached(&format!("SELECT {field} FROM {} WHERE id = ?1", table.name()))?.query_row([&id], |r| r.get(0))?;
            Ok(super::write::json(&v).to_string())
        };
        let wins = current.is_none_or(|(hlc, site)| (e.hlc, e.origin.to_string()) > (hlc, site.to_string()));
        // The local value is concurrent with this change unless the change was made on top of it.
        let concurrent = |hlc: i64, site: SiteId| site != e.origin && e.prev != Some((site, hlc));
        if let Some((hlc, site)) = current.filter(|(hlc, site)| concurrent(*hlc, *site)) {
            let here = current_value()?;
            if here != value_text {
                let (winner, loser) = if wins { ((value_text.clone(), e.origin, e.hlc), (here, site, hlc)) } else { ((here, site, hlc), (value_text.clone(), e.origin, e.hlc)) };
                tx.execute(
                    "INSERT INTO conflicts (tbl, record_id, field, winner_value, winner_site, winner_hlc, loser_value, loser_site, loser_hlc, found_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![e.tbl, id, e.field, winner.0, winner.1, winner.2, loser.0, loser.1, loser.2, i64::try_from(ctx.now_ms).unwrap_or(i64::MAX)],
                )?;
                summary.conflicts += 1;
            }
        }
        if !wins {
            summary.not_applied.push(format!("{} {} {}: a newer value is already here", e.tbl, id, e.field));
            continue;
        }
        if records_seen.insert(record) {
            let exists: bool = tx.prepare_cached(&format!("SELECT count(*) > 0 FROM {} WHERE id = ?1", table.name()))?.query_row([&id], |r| r.get(0))?;
            if !exists {
                summary.new_records += 1;
            }
        }
        apply_fields(&tx, table, &id, true, &[(field, value)])?;
        tx.prepare_cached(
            "INSERT INTO field_clocks (tbl, record_id, field, hlc, site_no) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tbl, record_id, field) DO UPDATE SET hlc = excluded.hlc, site_no = excluded.site_no",
        )?
        .execute(params![e.tbl, record.as_bytes().as_slice(), e.field, e.hlc, origin_no])?;
        summary.updated_fields += 1;
    }
    // What the sender holds, it need not be sent again; this site's clock never runs behind
    // what it has seen.
    note_holdings(&tx, header.exporter, &header.seen)?;
    let last: i64 = tx.query_row("SELECT hlc_last FROM site", [], |r| r.get(0))?;
    if newest > last {
        tx.execute("UPDATE site SET hlc_last = ?1", [newest])?;
    }
    summary.nothing_new = summary.already_present == summary.changes;
    let ahead_ms = (Hlc::unpack(newest).millis()).saturating_sub(ctx.now_ms);
    if ahead_ms > CLOCK_AHEAD_MS {
        summary.clock_warning = Some(format!(
            "changes in this bundle are stamped {} days ahead of this workstation's clock: check the date on both workstations",
            ahead_ms / CLOCK_AHEAD_MS
        ));
    }
    let detail = format!(
        "{} changes from {from}: {} applied, {} already here, {} conflicts",
        summary.changes, summary.updated_fields, summary.already_present, summary.conflicts
    );
    audit_exchange(&tx, ctx, who, Action::Import, "bundle", Some(header.exporter), detail)?;
    tx.commit()?;
    Ok(summary)
}

fn json_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Integer).or_else(|| n.as_f64().map(Value::Real)).unwrap_or(Value::Null),
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// Two values of one field, written concurrently at two sites; the winner is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

impl Store {
    /// The conflicts no one has resolved yet, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        self.allowed(Permission::EditParticipants, None)?;
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.tbl, c.record_id, p.legal_name, c.field, c.winner_value, c.winner_site, c.winner_hlc, c.loser_value, c.loser_site, c.loser_hlc
             FROM conflicts c LEFT JOIN participants p ON c.tbl = 'participants' AND p.id = c.record_id
             WHERE c.resolved_ms IS NULL ORDER BY c.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
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
            out.push(Conflict {
                id,
                table,
                record_id,
                record_name,
                field,
                winner_value: serde_json::from_str(&wv).unwrap_or_default(),
                winner_site: site_name(&self.conn, &ws)?,
                winner_at_ms: Hlc::unpack(wh).millis(),
                loser_value: serde_json::from_str(&lv).unwrap_or_default(),
                loser_site: site_name(&self.conn, &ls)?,
                loser_at_ms: Hlc::unpack(lh).millis(),
            });
        }
        Ok(out)
    }

    /// Resolves a conflict: keeping the shown value marks it resolved; keeping the other writes
    /// it again as a new change, which syncs like any other.
    pub fn resolve_conflict(&mut self, ctx: &WriteCtx, id: i64, keep: Keep) -> Result<()> {
        let conflict = self.conflicts()?.into_iter().find(|c| c.id == id).ok_or(Error::NotFound { what: "conflict", id: id.to_string() })?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let table = Table::parse(&conflict.table).ok_or(Error::NotFound { what: "table", id: conflict.table.clone() })?;
        let field = table.fields().iter().copied().find(|f| *f == conflict.field).ok_or(Error::NotFound { what: "field", id: conflict.field.clone() })?;
        let record = Uuid::parse_str(&conflict.record_id).map_err(|_| Error::NotFound { what: "record", id: conflict.record_id.clone() })?;
        if table == Table::Participants {
            let facility = super::participants::load(&self.conn, crate::model::ParticipantId::from_uuid(record))?.facility_id;
            who.require(Permission::EditParticipants, Some(facility))?;
        }
        let mut w = super::write::Writer::begin(&mut self.conn, ctx, who)?;
        if keep == Keep::Other {
            w.write(&super::write::RecordChange { table, id: record, action: Action::Update, fields: vec![(field, json_value(&conflict.loser_value))] })?;
        }
        w.tx().execute("UPDATE conflicts SET resolved_ms = ?2 WHERE id = ?1", params![id, i64::try_from(ctx.now_ms).unwrap_or(i64::MAX)])?;
        w.audit(Action::Update, Some("conflicts"), Some(&conflict.record_id), &format!("{}: kept the {} value", conflict.field, if keep == Keep::Other { "other" } else { "shown" }))?;
        w.commit()
    }
}

const RECEIPT_MAGIC: &[u8] = b"BRIDGER RECEIPT\n";

/// What an importing site tells the sender it now holds, signed by the importer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Receipt {
    format: u32,
    from: SiteId,
    to: SiteId,
    created_ms: u64,
    seen: BTreeMap<SiteId, i64>,
}

impl Store {
    /// Writes a signed receipt for `sender`: what this site now holds, so the sender's next
    /// bundle starts from there.
    pub fn write_receipt(&mut self, ctx: &WriteCtx, sender: SiteId, path: &Path) -> Result<()> {
        self.allowed(Permission::ExportData, None)?;
        let (me, _) = own_site(&self.conn)?;
        let keys = site_keys(&self.conn)?;
        let receipt = Receipt { format: 1, from: me, to: sender, created_ms: ctx.now_ms, seen: seen(&self.conn)? };
        let line = serde_json::to_string(&receipt).map_err(|e| Error::Bundle(e.to_string()))?;
        let sig = sign_entry(&keys.signing, line.as_bytes());
        let mut out = RECEIPT_MAGIC.to_vec();
        out.extend(line.as_bytes());
        out.push(b'\n');
        out.extend(BASE64.encode(&sig).as_bytes());
        out.push(b'\n');
        write_atomically(path, &out)
    }

    /// Reads a receipt a peer wrote after importing this site's bundle. Returns the peer's name.
    pub fn import_receipt(&mut self, ctx: &WriteCtx, bytes: &[u8]) -> Result<String> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ExportData, None)?;
        let not = || Error::Bundle("this file is not a Bridger receipt".into());
        let rest = bytes.strip_prefix(RECEIPT_MAGIC).ok_or_else(not)?;
        let mut lines = rest.split(|b| *b == b'\n');
        let (line, sig) = (lines.next().ok_or_else(not)?, lines.next().ok_or_else(not)?);
        let receipt: Receipt = serde_json::from_slice(line).map_err(|_| not())?;
        let (me, _) = own_site(&self.conn)?;
        let (name, key, _) = peer_key(&self.conn, receipt.from)?.ok_or_else(|| Error::Bundle("this receipt is from a site this one does not trust".into()))?;
        let sig = BASE64.decode(sig).map_err(|_| not())?;
        if !verify_entry(&key, line, &sig) {
            return Err(Error::Bundle(format!("the receipt's signature is not {name}'s")));
        }
        if receipt.to != me {
            return Err(Error::Bundle("this receipt is for another site".into()));
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        note_holdings(&tx, receipt.from, &receipt.seen)?;
        audit_exchange(&tx, ctx, who, Action::Import, "receipt", Some(receipt.from), format!("receipt from {name}"))?;
        // A community partner's receipt is also its confirmation of the hand-offs it now holds.
        let mut w = Writer::within(tx, ctx, who)?;
        super::handoff::confirm_by_receipt(&mut w, receipt.from, receipt.seen.get(&me).copied().unwrap_or_default(), &name)?;
        w.commit()?;
        Ok(name)
    }
}
