//! Receipts: what an importing site tells the sender it now holds (so the sender's next bundle
//! starts from there) and its audit chain head; read back by the sender, it also confirms the
//! hand-offs a partner now holds.

use super::bundles::{note_holdings, own_site, peer_key, seen};
use super::disclosures::confirm_by_receipt;
use super::transfers::deliver_by_receipt;
use super::peers::{peer_kind, site_keys, PeerKind};
use super::{anchors, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::receipt::{self, Receipt, MAX_RECEIPT};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// What reading a receipt found.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ReceiptRead {
    /// The site that wrote it.
    pub from: String,
    /// Audit trails found rewritten since this site or the sender last saw them (ADR 0013).
    pub chain_warnings: Vec<String>,
    /// Transfers asked for here that the receipt shows the other site now holds.
    pub transfers_delivered: u64,
}

impl Store {
    /// Writes a signed receipt for `sender` at `path`: what this site now holds.
    pub fn write_receipt(&mut self, ctx: &WriteCtx, sender: SiteId, path: &Path) -> Result<()> {
        self.change(ctx, Need::Everywhere(Permission::ExportData), |w| {
            peer_key(w.tx(), sender)?.ok_or_else(|| Error::field("peer", said!("that site is not trusted here: add its card first", "ese sitio no es de confianza aquí: añada antes su tarjeta")))?;
            let (me, _) = own_site(w.tx())?;
            let keys = site_keys(w)?;
            let audit = anchors::outgoing(w, sender)?;
            let receipt = Receipt { format: 1, from: me, to: sender, created_ms: ctx.now_ms, seen: seen(w.tx())?, audit };
            w.write_output(path, &receipt.seal(&keys.signing)?)?;
            w.audit(Action::Export, Some("receipt"), Some(&sender.to_string()), "")
        })
    }

    /// Reads a receipt a peer wrote after importing this site's bundle.
    pub fn import_receipt(&mut self, ctx: &WriteCtx, path: &Path) -> Result<ReceiptRead> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_RECEIPT + 1).read_to_end(&mut bytes))
            .map_err(|source| Error::Io { context: said!("cannot read {}", "no se puede leer {}", path.display()), source })?;
        if bytes.len() as u64 > MAX_RECEIPT {
            return Err(Error::Bundle(said!("this file is not a Bridger receipt", "este archivo no es un acuse de recibo de Bridger")));
        }
        let opened = receipt::open(&bytes)?;
        let r = &opened.receipt;
        let (me, _) = own_site(&self.conn)?;
        let (name, key, _) = peer_key(&self.conn, r.from)?.ok_or_else(|| Error::Bundle(said!("this receipt is from a site this one does not trust", "este acuse viene de un sitio en el que este no confía")))?;
        if !opened.signed_by(&key) {
            return Err(Error::Bundle(said!("the receipt's signature is not {name}'s", "la firma del acuse no es de {name}")));
        }
        if r.to != me {
            return Err(Error::Bundle(said!("this receipt is for another site", "este acuse es para otro sitio")));
        }
        let (chain_warnings, transfers_delivered) = self.change(ctx, Need::Everywhere(Permission::ExportData), |w| {
            note_holdings(w.tx(), r.from, &r.seen)?;
            let warnings = anchors::incoming(w, r.from, &name, &r.audit)?;
            // A community partner's receipt is also its confirmation of the hand-offs it now holds.
            let holds = r.seen.get(&me).copied().unwrap_or_default();
            confirm_by_receipt(w, r.from, holds, &name)?;
            // Only another site of the program takes transfers in; a partner holds none.
            let program_site = peer_kind(w.tx(), r.from)? == Some(PeerKind::ProgramSite);
            let delivered = if program_site { deliver_by_receipt(w, holds, &name)? } else { 0 };
            let detail = if warnings.is_empty() { format!("receipt from {name}") } else { format!("receipt from {name}; {}", warnings.join("; ")) };
            w.audit(Action::Import, Some("receipt"), Some(&r.from.to_string()), &detail)?;
            Ok((warnings, delivered))
        })?;
        Ok(ReceiptRead { from: name, chain_warnings, transfers_delivered })
    }
}
