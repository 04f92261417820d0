//! Bundles in the store's terms: the journal rows a bundle carries, sealed for a trusted site
//! (signed, encrypted, with the audit chain heads), and the changes a bundle carries read back
//! and checked, each against the key this site trusts for the site that wrote it. Export,
//! hand-off, import and receipts are built on these.

use super::anchors;
use super::peers::stored_keys;
use super::schema::Table;
use super::write::Writer;
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::bundle::{self, entry_bytes, sign_entry, verify_entry, Entry, Header, Range, Signed};
use data_encoding::BASE64;
use ed25519_dalek::VerifyingKey;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;
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

/// A journal row as bundles carry it: the origin's site id, the value it replaced, the signature.
pub(crate) const JOURNAL_ROW: &str = "SELECT j.seq, n.site_id, j.hlc, j.tbl, j.record_id, j.field, j.value, j.sig, p.site_id, j.prev_hlc FROM journal j
     JOIN site_numbers n ON n.site_no = j.site_no LEFT JOIN site_numbers p ON p.site_no = j.prev_site_no";

/// The change a [`JOURNAL_ROW`] holds, signed: this site's own changes are signed the first
/// time they leave it. A change from elsewhere that arrived unsigned is never passed on.
pub(crate) fn journal_entry(tx: &Connection, r: &rusqlite::Row<'_>, me: SiteId, signing: &ed25519_dalek::SigningKey) -> Result<Option<Entry>> {
    let (origin, hlc): (SiteId, i64) = (r.get(1)?, r.get(2)?);
    let record = Uuid::from_slice(&r.get::<_, Vec<u8>>(4)?).map_err(|e| Error::Bundle(said!("a record id in the journal is damaged ({e})", "un identificador de expediente del diario está dañado ({e})")))?.to_string();
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

/// What goes into a bundle for `peer` besides its changes.
pub(crate) struct Sealing<'a> {
    pub peer: SiteId,
    pub lock: bundle::Lock<'a>,
    pub notice: Option<String>,
}

/// Signs and encrypts `entries` as a bundle for `sealing.peer`, with this site's audit chain
/// heads for it (ADR 0013). Returns the file's bytes.
pub(crate) fn seal_bundle(w: &Writer<'_>, entries: &[Entry], sealing: Sealing<'_>) -> Result<Vec<u8>> {
    let tx = w.tx();
    let (me, my_name) = own_site(tx)?;
    // The change sealing it made the keys if they were missing.
    let keys = stored_keys(tx)?.ok_or(Error::NotInitialized)?;
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
    let heads = anchors::outgoing(w, sealing.peer)?;
    let header = Header {
        format: bundle::FORMAT,
        critical: Vec::new(),
        exporter: me,
        exporter_name: my_name,
        recipients: vec![sealing.peer],
        created_ms: w.ctx().now_ms,
        seen: seen(tx)?,
        ranges,
        origin_keys,
        audit_head_seq: heads.head_seq,
        audit_head_hash: heads.head_hash,
        audit_at: heads.at,
        your_audit_heads: heads.yours,
        payload_sha256: String::new(),
        payload_len: 0,
        passphrase: false,
        notice: sealing.notice,
    };
    let payload = serde_json::to_vec(entries).map_err(|e| Error::Bundle(said!("the bundle could not be written ({e})", "no se pudo escribir el paquete ({e})")))?;
    bundle::seal(header, &payload, sealing.lock, &keys.signing)
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
