//! The audit trail anchored outside the file (ADR 0013). Someone with an account's password and
//! the files can edit the database with SQL and recompute the whole chain; the chain alone
//! cannot show that. So every bundle and receipt carries its sender's signed chain head, every
//! site keeps each head it has seen of the others, and each exchange checks both ways that the
//! chains still extend what was seen: the sender sends its current hash at each head it sent
//! before (the recipient compares them with what it kept), and the newest head of the
//! recipient's own chain it holds (the recipient compares it with its own trail). A mismatch is
//! named as a rewrite, kept, and reported by `audit verify` on both sides. A head written on
//! paper (`bridger audit anchor`) is checked the same way.

use super::write::Writer;
use super::Store;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::AuditHeads;
use data_encoding::{BASE32_NOPAD, HEXLOWER, HEXLOWER_PERMISSIVE};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many heads of one chain are vouched for again in each bundle or receipt: those this site
/// sent the peer, and those of the peer's chain this site kept.
const HEADS_RESENT: i64 = 64;

/// A chain head short enough to write in a paper log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AuditAnchor {
    pub seq: i64,
    /// Sixteen letters and digits from the head's hash.
    pub code: String,
}

impl std::fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.seq, self.code)
    }
}

fn hex(bytes: &[u8]) -> String {
    HEXLOWER.encode(bytes)
}

fn code(hash: &[u8]) -> String {
    let text = BASE32_NOPAD.encode(&hash[..hash.len().min(10)]);
    text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn hash_at(conn: &Connection, seq: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn.prepare_cached("SELECT hash FROM audit_log WHERE seq = ?1")?.query_row([seq], |r| r.get::<_, Option<Vec<u8>>>(0)).optional()?.flatten())
}

fn head(conn: &Connection) -> Result<(i64, Vec<u8>)> {
    let (seq, hash): (i64, Option<Vec<u8>>) = conn.query_row("SELECT audit_head_seq, audit_head_hash FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)?;
    Ok((seq, hash.unwrap_or_default()))
}

/// What a bundle or receipt for `peer` says about the chains, and a note that `peer` was sent
/// this site's current head.
pub(crate) fn outgoing(w: &Writer<'_>, peer: SiteId) -> Result<AuditHeads> {
    let conn = w.tx();
    let (seq, hash) = head(conn)?;
    let mut at = BTreeMap::new();
    let sent: Vec<i64> = conn
        .prepare_cached("SELECT seq FROM audit_heads_sent WHERE peer_site = ?1 ORDER BY seq DESC LIMIT ?2")?
        .query_map(params![peer, HEADS_RESENT], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for s in sent {
        at.insert(s, hash_at(conn, s)?.map(|h| hex(&h)).unwrap_or_default());
    }
    let yours: BTreeMap<i64, String> = conn
        .prepare_cached("SELECT seq, hash FROM peer_audit_heads WHERE peer_site = ?1 ORDER BY seq DESC LIMIT ?2")?
        .query_map(params![peer, HEADS_RESENT], |r| Ok((r.get(0)?, hex(&r.get::<_, Vec<u8>>(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    conn.prepare_cached("INSERT OR IGNORE INTO audit_heads_sent (peer_site, seq) VALUES (?1, ?2)")?.execute(params![peer, seq])?;
    Ok(AuditHeads { head_seq: seq, head_hash: hex(&hash), at, yours })
}

/// Checks what `peer` (called `name` here) says about the chains against what this site kept,
/// keeps its new head, and records any rewrite. Returns the rewrites found.
pub(crate) fn incoming(w: &Writer<'_>, peer: SiteId, name: &str, heads: &AuditHeads) -> Result<Vec<String>> {
    let conn = w.tx();
    let mut found = Vec::new();
    let kept: Vec<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM peer_audit_heads WHERE peer_site = ?1 ORDER BY seq")?
        .query_map([peer], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // An older bundle or receipt read again names a head this site already saw: its chain was
    // not cut back, it is only an old message.
    let replayed = kept.iter().any(|(seq, hash)| *seq == heads.head_seq && hex(hash) == heads.head_hash);
    for (seq, hash) in &kept {
        if *seq > heads.head_seq {
            if !replayed {
                found.push(format!("the audit trail of {name} was cut back: it reached entry {seq} when this site saw it, and now ends at entry {}", heads.head_seq));
            }
            break;
        }
        if heads.at.get(seq).is_some_and(|h| *h != hex(hash)) || (*seq == heads.head_seq && heads.head_hash != hex(hash)) {
            found.push(format!("the audit trail of {name} was rewritten: its entry {seq} is not the one this site saw"));
            break;
        }
    }
    if let Some((newest, _)) = kept.last() {
        let vouched = heads.at.contains_key(newest) || *newest == heads.head_seq;
        if !vouched && found.is_empty() && !replayed {
            found.push(format!("the audit trail of {name} no longer vouches for its entry {newest}, which this site saw: it may have been rewritten"));
        }
    }
    for (seq, theirs) in &heads.yours {
        if hash_at(conn, *seq)?.map(|h| hex(&h)).as_deref() != Some(theirs.as_str()) {
            found.push(format!("this site's audit trail was rewritten: its entry {seq} is not the one {name} saw"));
            break;
        }
    }
    let hash = HEXLOWER_PERMISSIVE.decode(heads.head_hash.as_bytes()).unwrap_or_default();
    conn.prepare_cached("INSERT OR IGNORE INTO peer_audit_heads (peer_site, seq, hash, seen_ms) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![peer, heads.head_seq, hash, w.now_ms()])?;
    for detail in &found {
        conn.prepare_cached("INSERT INTO audit_warnings (found_ms, peer_site, detail) SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM audit_warnings WHERE detail = ?3)")?
            .execute(params![w.now_ms(), peer, detail])?;
    }
    Ok(found)
}

/// Every rewrite an exchange has found, oldest first.
pub(crate) fn warnings(conn: &Connection) -> Result<Vec<String>> {
    let rows = conn.prepare("SELECT detail FROM audit_warnings ORDER BY id")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Store {
    /// The chain's head as a short line for a paper log.
    pub fn audit_anchor(&self) -> Result<AuditAnchor> {
        self.allowed(Need::Role(Permission::ViewAudit))?;
        let (seq, hash) = head(&self.conn)?;
        Ok(AuditAnchor { seq, code: code(&hash) })
    }

    /// Checks a head written down earlier (`"1234 ABCD-EFGH-JKLM-NPQR"`): the trail must still
    /// hold that very entry.
    pub fn audit_check_anchor(&self, written: &str) -> Result<AuditAnchor> {
        self.allowed(Need::Role(Permission::ViewAudit))?;
        let bad = || Error::field("anchor", said!("write the anchor as its entry number and its sixteen letters, such as \"1234 ABCD-EFGH-JKLM-NPQR\"", "escriba el ancla como su número de entrada y sus dieciséis letras, como «1234 ABCD-EFGH-JKLM-NPQR»"));
        let (seq, typed) = written.trim().split_once(|c: char| c.is_whitespace() || c == ':').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let normal = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase();
        let anchor = AuditAnchor { seq, code: normal(typed) };
        match hash_at(&self.conn, seq)? {
            Some(hash) if normal(&code(&hash)) == anchor.code => Ok(AuditAnchor { seq, code: code(&hash) }),
            Some(_) => Err(Error::Tampered(said!("entry {seq} is not the entry the anchor was written from: the trail was rewritten", "la entrada {seq} no es la entrada con la que se anotó el ancla: el registro se reescribió"))),
            None => Err(Error::Tampered(said!("entry {seq} is gone: the trail was cut back or rewritten", "la entrada {seq} ha desaparecido: el registro se recortó o se reescribió"))),
        }
    }
}
