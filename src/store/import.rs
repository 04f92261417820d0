//! Importing a bundle (ADR 0007, ADR 0011). Everything that needs no key of this site's is
//! checked on the file's first bytes before the rest is read: the magic, the size, the header,
//! the sender (trusted here), its signature, the recipient (this site). Then the payload is read,
//! its digest checked, decrypted and each change checked against its writer's trusted key. What
//! may not be applied is kept out and listed, never applied half: changes written by a site not
//! trusted here, changes a community partner may not make, values that fail the same checks a
//! typed value passes. The rest is applied in one transaction through the writer's receiving
//! mode; a bundle that brings nothing new makes no backup and changes nothing.

use super::anchors;
use super::backup::BackupKind;
use super::bundles::{note_holdings, own_site, peer_key, read_entries};
use super::peers::{peer_kind, stored_keys};
use super::schema::Table;
use super::write::{column_value, Merged, Received};
use super::{PeerKind, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::bundle::{self, Entry};
use crate::sync::Hlc;
use data_encoding::BASE64;
use ed25519_dalek::VerifyingKey;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
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

/// What a community partner may write into this site: its confirmation of a hand-off made to
/// it, nothing else (ADR 0011). `addressed_to` gives the partner site a disclosure went to.
/// Changes this site wrote itself, coming back, are let through: they are its own.
pub(crate) fn partner_may_write(e: &Entry, partner: SiteId, me: SiteId, addressed_to: impl Fn(&str) -> Option<SiteId>) -> std::result::Result<(), &'static str> {
    if e.origin == me {
        return Ok(());
    }
    if e.origin != partner {
        return Err("a community partner passes on no other site's changes");
    }
    let confirmation = e.tbl == Table::Disclosures.name() && matches!(e.field.as_str(), "confirmed_on" | "confirmed_how");
    if !confirmation {
        return Err("a community partner may send back only its confirmation of a hand-off");
    }
    if addressed_to(&e.record) != Some(partner) {
        return Err("a community partner may confirm only a hand-off made to it");
    }
    Ok(())
}

/// Whether a change read from a bundle may be applied here: a community partner's only when
/// it is its own confirmation of a hand-off to it, and every change only when its value passes
/// the checks a typed value passes. Otherwise, why not.
pub(crate) fn admit(e: &Entry, partner: Option<SiteId>, me: SiteId, addressed_to: impl Fn(&str) -> Option<SiteId>) -> std::result::Result<(), String> {
    if let Some(partner) = partner {
        partner_may_write(e, partner, me, addressed_to).map_err(str::to_string)?;
    }
    let table = Table::parse(&e.tbl).ok_or_else(|| format!("there is no table {}", e.tbl))?;
    match table.refuses(&e.field, &column_value(&e.value)) {
        Some(rule) => Err(format!("{} must be {rule}", e.field)),
        None => Ok(()),
    }
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
        let ciphertext = opened.read_payload(&mut file)?;
        let keys = stored_keys(&self.conn)?.ok_or_else(|| Error::Bundle(said!("this site has never given out its card, so no bundle can be for it", "este sitio nunca ha entregado su tarjeta, así que ningún paquete puede ser para él")))?;
        let payload = opened.decrypt(&ciphertext, &keys.age, passphrase)?;
        drop(ciphertext);
        let mut trusted: BTreeMap<SiteId, VerifyingKey> = BTreeMap::from([(me, keys.signing.verifying_key())]);
        for origin in header.ranges.keys().filter(|o| **o != me) {
            if let Some((_, key, _)) = peer_key(&self.conn, *origin)? {
                trusted.insert(*origin, key);
            }
        }
        let read = read_entries(&payload, &trusted)?;
        let total = (read.checked.len() + read.untrusted.len()) as u64;
        let mut kept_out: Vec<KeptOut> = read.untrusted.iter().map(|e| kept(e, "written by a site this one does not trust: add its card to receive its changes")).collect();
        let partner = (peer_kind(&self.conn, header.exporter)? == Some(PeerKind::Partner)).then_some(header.exporter);
        let addressed_to = |record: &str| -> Option<SiteId> {
            self.conn
                .query_row("SELECT r.site_id FROM disclosures d JOIN resources r ON r.id = d.resource_id WHERE d.id = ?1", [record], |r| r.get::<_, Option<SiteId>>(0))
                .optional()
                .ok()
                .flatten()
                .flatten()
        };
        let mut accepted = Vec::with_capacity(read.checked.len());
        for e in read.checked {
            match admit(&e, partner, me, addressed_to) {
                Ok(()) => accepted.push(e),
                Err(why) => kept_out.push(kept(&e, &why)),
            }
        }
        if self.keys.is_some() && self.any_new(&accepted)? {
            self.write_backup(ctx, BackupKind::BeforeImport, "before import")?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let result = self.apply_bundle(ctx, &from, header, &accepted, total, kept_out);
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        result
    }

    /// Whether this site lacks any of `entries`: it stops at the first, so a bundle of new
    /// changes costs one lookup and only a replay is looked up whole.
    fn any_new(&self, entries: &[Entry]) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*) = 0 FROM journal j JOIN site_numbers n ON n.site_no = j.site_no
             WHERE n.site_id = ?1 AND j.hlc = ?2 AND j.tbl = ?3 AND j.record_id = ?4 AND j.field = ?5",
        )?;
        for e in entries {
            let record = Uuid::parse_str(&e.record).map_err(|_| Error::Bundle(said!("damaged record id", "identificador de expediente dañado")))?;
            if stmt.query_row(rusqlite::params![e.origin, e.hlc, e.tbl, record.as_bytes().as_slice(), e.field], |r| r.get::<_, bool>(0))? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The import's one transaction.
    fn apply_bundle(&mut self, ctx: &WriteCtx, from: &str, header: &bundle::Header, entries: &[Entry], total: u64, kept_out: Vec<KeptOut>) -> Result<ImportSummary> {
        self.change(ctx, Need::Everywhere(Permission::ExportData), |w| {
            let mut summary = ImportSummary {
                from: from.to_string(),
                sender: header.exporter,
                changes: total,
                new_records: 0,
                updated_fields: 0,
                already_present: 0,
                conflicts: 0,
                nothing_new: false,
                not_applied: Vec::new(),
                kept_out,
                clock_warning: None,
                notice: header.notice.clone(),
                chain_warnings: Vec::new(),
            };
            // Each distinct statement below is prepared once for the whole bundle.
            w.tx().set_prepared_statement_cache_capacity(256);
            let mut newest = 0i64;
            let mut records_seen: HashSet<Uuid> = HashSet::new();
            for e in entries {
                let table = Table::parse(&e.tbl).ok_or_else(|| Error::Bundle(said!("unknown table", "tabla desconocida")))?;
                let field = table.field(&e.field).ok_or_else(|| Error::Bundle(said!("unknown field", "campo desconocido")))?;
                let record = Uuid::parse_str(&e.record).map_err(|_| Error::Bundle(said!("damaged record id", "identificador de expediente dañado")))?;
                if records_seen.insert(record) {
                    let exists: bool = w.tx().prepare_cached(&format!("SELECT count(*) > 0 FROM {} WHERE id = ?1", table.name()))?.query_row([record.to_string()], |r| r.get(0))?;
                    if !exists {
                        summary.new_records += 1;
                    }
                }
                let value_json = e.value.to_string();
                let sig = BASE64.decode(e.sig.as_bytes()).unwrap_or_default();
                let change = Received { origin: e.origin, hlc: e.hlc, table, field, record, value: column_value(&e.value), value_json: &value_json, sig: &sig, prev: e.prev };
                match w.receive(&change)? {
                    Merged::Duplicate => summary.already_present += 1,
                    Merged::Applied { conflict } => {
                        newest = newest.max(e.hlc);
                        summary.updated_fields += 1;
                        summary.conflicts += u64::from(conflict);
                    }
                    Merged::Older { conflict } => {
                        newest = newest.max(e.hlc);
                        summary.conflicts += u64::from(conflict);
                        summary.not_applied.push(format!("{} {record} {field}: a newer value is already here", e.tbl));
                    }
                }
            }
            // What the sender holds, it need not be sent again.
            note_holdings(w.tx(), header.exporter, &header.seen)?;
            summary.chain_warnings = anchors::incoming(w, header.exporter, from, &header.audit_heads())?;
            summary.nothing_new = summary.already_present == entries.len() as u64;
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

fn kept(e: &Entry, reason: &str) -> KeptOut {
    KeptOut { table: e.tbl.clone(), record: e.record.clone(), field: e.field.clone(), reason: reason.to_string() }
}
