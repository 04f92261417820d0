//! Bundles in the store's terms: the journal rows a bundle carries, sealed for a trusted site
//! (signed, encrypted, with the audit chain heads), and the changes a bundle carries read back
//! and checked, each against the key this site trusts for the site that wrote it. Export,
//! hand-off, import and receipts are built on these.

use super::anchors;
use super::peers::stored_keys;
use super::schema::Table;
use super::write::{read_clocks, Writer};
use crate::error::{Error, Result};
use crate::files::{io_error, Scratch, CANNOT_WRITE};
use crate::model::SiteId;
use crate::sync::bundle::{self, entry_bytes, sign_entry, verify_entry, Encrypting, Entry, Header, Signed};
use crate::sync::payload::{damaged, Event, Incoming, Numbering, Outgoing, PayloadWriter, Vouched};
use crate::sync::segment::{Bounds, Covered, SegmentDigest};
use crate::sync::Names;
use data_encoding::BASE64;
use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use uuid::Uuid;

/// Whether `passphrase` may lock a bundle: checked before anyone is asked where to save it.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < 12 {
        return Err(Error::field("passphrase", said!("a passphrase needs at least 12 characters; a few words together are easy to pass on by phone", "una frase de paso necesita al menos 12 caracteres; unas cuantas palabras juntas se comunican fácilmente por teléfono")));
    }
    Ok(())
}

/// A trusted site's name, signing key and the key bundles for it are encrypted to.
pub(crate) fn peer_key(conn: &Connection, site: SiteId) -> Result<Option<(String, VerifyingKey, String)>> {
    let row: Option<(String, Vec<u8>, String)> =
        conn.query_row("SELECT name, verify_key, age_recipient FROM peers WHERE site_id = ?1", [site], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    Ok(row.and_then(|(name, key, recipient)| {
        let bytes: [u8; 32] = key.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(|k| (name, k, recipient))
    }))
}

/// A trusted site's name and the key bundles for it are encrypted to.
pub(crate) fn peer_lock(conn: &Connection, peer: SiteId) -> Result<(String, age::x25519::Recipient)> {
    let (name, _, recipient) = peer_key(conn, peer)?.ok_or_else(|| Error::field("peer", said!("that site is not trusted here: add its card first", "ese sitio no es de confianza aquí: añada antes su tarjeta")))?;
    let recipient = recipient.parse().map_err(|_| Error::field("peer", said!("that site's card is damaged: add it again", "la tarjeta de ese sitio está dañada: añádala de nuevo")))?;
    Ok((name, recipient))
}

pub(crate) fn own_site(conn: &Connection) -> Result<(SiteId, String)> {
    conn.query_row("SELECT site_id, name FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)
}

/// For each site whose changes this one holds, the newest clock.
pub(crate) fn seen(conn: &Connection) -> Result<BTreeMap<SiteId, i64>> {
    let mut stmt = conn.prepare("SELECT n.site_id, max(j.hlc) FROM journal j JOIN site_numbers n ON n.site_no = j.site_no GROUP BY n.site_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, SiteId>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Records what `peer` holds (from its bundle or receipt), so it is not sent again.
pub(crate) fn note_holdings(conn: &Connection, peer: SiteId, seen: &BTreeMap<SiteId, i64>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO peer_frontier (peer_site, origin_site, hlc) VALUES (?1, ?2, ?3)
         ON CONFLICT (peer_site, origin_site) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
    )?;
    for (origin, hlc) in seen {
        stmt.execute(params![peer, origin, hlc])?;
    }
    Ok(())
}

/// A change as the journal holds it, with its writer, the value it replaced, and the signature
/// it carries alone if it has one.
const HELD: &str = "SELECT n.site_id, j.hlc, j.tbl, j.record_id, j.field, j.value, p.site_id, j.prev_hlc, j.sig FROM journal j
     JOIN site_numbers n ON n.site_no = j.site_no LEFT JOIN site_numbers p ON p.site_no = j.prev_site_no";
/// One change, by the journal's key: writer's number, clock, table, record and field.
const ONE_CHANGE: &str = "j.site_no = ?1 AND j.hlc = ?2 AND j.tbl = ?3 AND j.record_id = ?4 AND j.field = ?5";
/// A writer's changes clocked from ?2 to ?3, in the order a segment's digest covers them (the
/// journal's key, so nothing is sorted).
const SEGMENT_ROWS: &str = "WHERE j.site_no = ?1 AND j.hlc BETWEEN ?2 AND ?3 ORDER BY j.hlc, j.tbl, j.record_id, j.field";

fn damaged_record(e: impl std::fmt::Display) -> Error {
    Error::Bundle(said!("a record id in the journal is damaged ({e})", "un identificador de expediente del diario está dañado ({e})"))
}

/// Hands a [`HELD`] row to `each` as the change a digest covers, with its writer and the
/// signature it carries alone.
fn held_row<T>(r: &rusqlite::Row<'_>, each: &mut impl FnMut(SiteId, &Covered<'_>, Option<&[u8]>) -> Result<T>) -> Result<T> {
    let text = |i: usize| r.get_ref(i).map_err(Error::from)?.as_str().map_err(damaged_record);
    let record: [u8; 16] = r.get_ref(3)?.as_blob().map_err(damaged_record)?.try_into().map_err(damaged_record)?;
    let prev = match (r.get::<_, Option<SiteId>>(6)?, r.get::<_, Option<i64>>(7)?) {
        (Some(site), Some(hlc)) => Some((site, hlc)),
        _ => None,
    };
    let covered = Covered { hlc: r.get(1)?, tbl: text(2)?, record: &record, field: text(4)?, value: text(5)?, prev };
    each(r.get(0)?, &covered, r.get_ref(8)?.as_blob_or_null().map_err(damaged_record)?)
}

/// [`held_row`] for every row of `rows`.
fn each_held(mut rows: rusqlite::Rows<'_>, mut each: impl FnMut(SiteId, &Covered<'_>, Option<&[u8]>) -> Result<()>) -> Result<()> {
    while let Some(r) = rows.next()? {
        held_row(r, &mut each)?;
    }
    Ok(())
}

/// Signs this site's changes that no segment holds yet as one new segment (ADR 0017): they are
/// about to leave it. Every change of this site clocked after its newest segment is in it.
fn seal_own_changes(tx: &Connection, me: SiteId, signing: &ed25519_dalek::SigningKey) -> Result<()> {
    let no: i64 = tx.query_row("SELECT site_no FROM site_numbers WHERE site_id = ?1", [me], |r| r.get(0))?;
    let after: i64 = tx.query_row("SELECT coalesce(max(last_hlc), -1) FROM segments WHERE site_no = ?1", [no], |r| r.get(0))?;
    let (count, first, last): (i64, Option<i64>, Option<i64>) =
        tx.query_row("SELECT count(*), min(hlc), max(hlc) FROM journal WHERE site_no = ?1 AND hlc > ?2", params![no, after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let (Some(first), Some(last)) = (first, last) else { return Ok(()) };
    let bounds = Bounds { origin: me, first, last, count: count.unsigned_abs() };
    let mut digest = SegmentDigest::new(&bounds);
    let mut stmt = tx.prepare(&format!("{HELD} {SEGMENT_ROWS}"))?;
    each_held(stmt.query(params![no, first, last])?, |_, c, _| {
        digest.add(c);
        Ok(())
    })?;
    let sig = digest.sign(signing);
    tx.execute("INSERT INTO segments (site_no, first_hlc, last_hlc, count, sig) VALUES (?1, ?2, ?3, ?4, ?5)", params![no, first, last, count, sig.as_slice()])?;
    Ok(())
}

/// Writes into `out` every change of every site but `recipient` that is newer than what
/// `known` says the recipient holds: whole segments with their writers' signatures (a segment
/// the recipient holds part of goes whole; it takes the rest), and the changes signed alone
/// that no segment sent carries. This site's own new changes are sealed into a segment first.
pub(crate) fn write_changes<W: Write>(tx: &Connection, out: &mut PayloadWriter<W>, recipient: SiteId, known: &BTreeMap<SiteId, i64>, signing: &ed25519_dalek::SigningKey) -> Result<()> {
    let me = own_site(tx)?.0;
    seal_own_changes(tx, me, signing)?;
    let origins: Vec<(i64, SiteId)> = {
        let mut stmt = tx.prepare("SELECT site_no, site_id FROM site_numbers WHERE site_id IS NOT ?1 ORDER BY site_no")?;
        let rows = stmt.query_map([recipient], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        rows
    };
    let mut segment_rows = tx.prepare(&format!("{HELD} {SEGMENT_ROWS}"))?;
    for (no, origin) in origins {
        let after = known.get(&origin).copied().unwrap_or(-1);
        let segments: Vec<(Bounds, Vec<u8>)> = {
            let mut stmt = tx.prepare_cached("SELECT first_hlc, last_hlc, count, sig FROM segments WHERE site_no = ?1 AND last_hlc > ?2 ORDER BY first_hlc, last_hlc")?;
            let rows = stmt.query_map(params![no, after], |r| Ok((Bounds { origin, first: r.get(0)?, last: r.get(1)?, count: r.get::<_, i64>(2)?.unsigned_abs() }, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
            rows
        };
        for (bounds, sig) in &segments {
            out.begin_segment(*bounds, false)?;
            each_held(segment_rows.query(params![no, bounds.first, bounds.last])?, |_, c, _| out.change(c))?;
            out.end_segment(Some(sig), None)?;
        }
        let mut alone = tx.prepare_cached(&format!("{HELD} WHERE j.site_no = ?1 AND j.hlc > ?2 AND j.sig IS NOT NULL ORDER BY j.hlc"))?;
        each_held(alone.query(params![no, after])?, |origin, c, sig| match sig {
            Some(sig) if !segments.iter().any(|(b, _)| (b.first..=b.last).contains(&c.hlc)) => out.single(&Outgoing { origin, covered: *c }, sig),
            _ => Ok(()),
        })?;
    }
    Ok(())
}

/// The changes that set the current value of each chosen field of each chosen record, each
/// signed alone, as a hand-off carries them: this site's own are signed the first time they
/// leave it alone; one from elsewhere that arrived without its own signature (in a segment) is
/// not passed on, since only its whole segment could vouch for it.
pub(crate) fn write_current_values<W: Write>(
    tx: &Connection,
    out: &mut PayloadWriter<W>,
    chosen: &[(Table, Uuid, Vec<&'static str>)],
    signing: &ed25519_dalek::SigningKey,
) -> Result<i64> {
    let me = own_site(tx)?.0;
    let mut stmt = tx.prepare(&format!("{HELD} WHERE {ONE_CHANGE}"))?;
    let mut sign = tx.prepare(&format!("UPDATE journal AS j SET sig = ?6 WHERE {ONE_CHANGE}"))?;
    let mut through = 0;
    for (table, record, fields) in chosen {
        let id: &[u8] = record.as_bytes();
        let clocks = read_clocks(tx, *table, id)?;
        let mut current: Vec<(&'static str, i64, i64)> = fields.iter().filter_map(|f| clocks.0.get(*f).map(|&(hlc, no)| (*f, hlc, no))).collect();
        current.sort_by_key(|&(_, hlc, _)| hlc);
        for (field, hlc, no) in current {
            let mut rows = stmt.query(params![no, hlc, table.name(), id, field])?;
            while let Some(r) = rows.next()? {
                let mut write = |origin: SiteId, c: &Covered<'_>, sig: Option<&[u8]>| -> Result<()> {
                    let sig = match sig {
                        Some(sig) => sig.to_vec(),
                        None if origin == me => {
                            let record = Uuid::from_bytes(*c.record).to_string();
                            let signed = Signed { origin, hlc: c.hlc, tbl: c.tbl, record: &record, field: c.field, value: c.value, prev: c.prev };
                            let sig = sign_entry(signing, &entry_bytes(&signed));
                            sign.execute(params![no, hlc, table.name(), id, field, sig])?;
                            sig
                        }
                        None => return Ok(()),
                    };
                    through = through.max(c.hlc);
                    out.single(&Outgoing { origin, covered: *c }, &sig)
                };
                held_row(r, &mut write)?;
            }
        }
    }
    Ok(through)
}

/// What goes into a bundle for `peer` besides its changes.
pub(crate) struct Sealing<'a> {
    pub peer: SiteId,
    pub lock: bundle::Lock<'a>,
    pub notice: Option<String>,
}

/// The payload of a bundle being written, on its way through compression and encryption to a
/// working file beside the bundle.
pub(crate) type Payload<'f> = PayloadWriter<Encrypting<std::io::BufWriter<&'f mut std::fs::File>>>;

/// What a bundle written to a file carried.
pub(crate) struct Written {
    pub changes: u64,
    pub bytes: u64,
}

/// Writes a bundle for `sealing.peer` at `path`, whole or not at all: the changes `fill` writes
/// into its payload, compressed and encrypted as they are written (so no more than a buffer of
/// it is ever in memory), then the header (this site's holdings, the clocks each writer's
/// changes span, its audit chain heads for the peer, ADR 0013), signed by this site.
pub(crate) fn write_bundle(w: &Writer<'_>, path: &Path, sealing: Sealing<'_>, fill: impl FnOnce(&mut Payload<'_>) -> Result<()>) -> Result<Written> {
    let tx = w.tx();
    let (me, my_name) = own_site(tx)?;
    // Every change that writes a bundle makes the site's keys first when it has none.
    let keys = stored_keys(tx)?.ok_or(Error::NotInitialized)?;
    // A destination that is one of the site's own files is refused before any work is done.
    w.check_output(path)?;
    let heads = anchors::outgoing(w, sealing.peer)?;
    let mut header = Header {
        format: bundle::FORMAT,
        critical: Vec::new(),
        exporter: me,
        exporter_name: my_name,
        recipients: vec![sealing.peer],
        created_ms: w.ctx().now_ms,
        seen: seen(tx)?,
        ranges: BTreeMap::new(),
        origin_keys: BTreeMap::new(),
        audit_head_seq: heads.head_seq,
        audit_head_hash: heads.head_hash,
        audit_at: heads.at,
        your_audit_heads: heads.yours,
        names: Names::default(),
        payload_sha256: String::new(),
        payload_len: 0,
        passphrase: false,
        notice: sealing.notice,
    };
    let mut scratch = Scratch::beside(path)?;
    {
        let encrypting = bundle::encrypt(std::io::BufWriter::new(&mut scratch.file), &sealing.lock, &mut header)?;
        let mut payload = PayloadWriter::new(encrypting)?;
        fill(&mut payload)?;
        let (encrypting, names, ranges) = payload.finish()?;
        let buffered = bundle::end_encryption(encrypting, &mut header)?;
        buffered.into_inner().map_err(|e| io_error(path, CANNOT_WRITE)(e.into_error()))?;
        header.names = names;
        header.ranges = ranges;
    }
    for origin in header.ranges.keys() {
        let key = if *origin == me { Some(keys.signing.verifying_key()) } else { peer_key(tx, *origin)?.map(|(_, k, _)| k) };
        if let Some(k) = key {
            header.origin_keys.insert(*origin, BASE64.encode(k.as_bytes()));
        }
    }
    let unreadable = |source| io_error(path, CANNOT_WRITE)(source);
    scratch.file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let mut bytes = 0;
    w.write_output_with(path, |out| {
        bundle::lay_out(&header, &keys.signing, &mut std::io::BufWriter::new(&mut *out), &mut std::io::BufReader::new(&mut scratch.file))?;
        bytes = out.stream_position().map_err(unreadable)?;
        Ok(())
    })?;
    Ok(Written { changes: header.ranges.values().fold(0u64, |sum, r| sum.saturating_add(r.count)), bytes })
}
/// A bundle's changes, read back: those whose writer this site trusts, each checked against
/// that writer's key, and those kept out because their writer is not trusted here (their
/// signatures cannot be checked; no other site may vouch for a key, ADR 0011).
pub(crate) struct ReadEntries {
    pub checked: Vec<Entry>,
    pub untrusted: Vec<Entry>,
}

/// Reads a bundle's changes and checks each against the key of the site that wrote it and
/// against the tables and fields this Bridger knows, before any is applied. Checking a
/// signature is most of an import's work, so the changes are checked on every core at once. A
/// change that fails its check refuses the whole bundle.
pub(crate) fn read_entries(payload: &[u8], trusted_keys: &BTreeMap<SiteId, VerifyingKey>) -> Result<ReadEntries> {
    let entries: Vec<Entry> = serde_json::from_slice(payload).map_err(|_| Error::Bundle(said!("the bundle's contents are damaged", "el contenido del paquete está dañado")))?;
    let (checked, untrusted): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| trusted_keys.contains_key(&e.origin));
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let share = checked.len().div_ceil(cores).max(1);
    let invalid = std::thread::scope(|scope| {
        let workers: Vec<_> = checked.chunks(share).map(|part| scope.spawn(move || part.iter().position(|e| !entry_is_valid(e, trusted_keys)).map(|i| &part[i]))).collect();
        // A checker that stopped proves nothing, so the bundle is refused as if a change were bad.
        workers.into_iter().map(|w| w.join().unwrap_or(checked.first())).find_map(|bad| bad)
    });
    match invalid {
        Some(e) => Err(Error::Bundle(said!("a change in the bundle ({} {}) does not carry its writer's valid signature", "un cambio del paquete ({} {}) no lleva la firma válida de quien lo escribió", e.tbl, e.record))),
        None => Ok(ReadEntries { checked, untrusted }),
    }
}

fn entry_is_valid(e: &Entry, keys: &BTreeMap<SiteId, VerifyingKey>) -> bool {
    let known = Table::parse(&e.tbl).is_some_and(|t| t.field(&e.field).is_some()) && Uuid::parse_str(&e.record).is_ok();
    known
        && keys.get(&e.origin).is_some_and(|k| {
            let value = e.value.to_string();
            let signed = Signed { origin: e.origin, hlc: e.hlc, tbl: &e.tbl, record: &e.record, field: &e.field, value: &value, prev: e.prev };
            BASE64.decode(e.sig.as_bytes()).is_ok_and(|sig| verify_entry(k, &entry_bytes(&signed), &sig))
        })
}

/// A format-1 payload (a JSON array of changes, each signed alone), read whole and checked as
/// [`read_entries`] does, as the events a format-2 payload yields, with the names they use.
pub(crate) fn format1_events(payload: &[u8], trusted_keys: &BTreeMap<SiteId, VerifyingKey>) -> Result<(Names, Vec<Event>)> {
    let read = read_entries(payload, trusted_keys)?;
    let mut numbering = Numbering::default();
    let mut events = Vec::with_capacity(read.checked.len() + read.untrusted.len());
    let checked = read.checked.into_iter().map(|e| (e, true));
    for (e, trusted) in checked.chain(read.untrusted.into_iter().map(|e| (e, false))) {
        let vouched = if trusted { Vouched::Alone(BASE64.decode(e.sig.as_bytes()).map_err(|_| damaged())?) } else { Vouched::Untrusted };
        events.push(Event::Change(Incoming {
            origin: e.origin,
            hlc: e.hlc,
            table: numbering.table(&e.tbl)?,
            field: numbering.field(&e.field)?,
            record: Uuid::parse_str(&e.record).map_err(|_| damaged())?.into_bytes(),
            value: e.value.to_string(),
            prev: e.prev,
            vouched,
            in_segment: false,
        }));
    }
    Ok((numbering.into_names(), events))
}
