//! Exporting a bundle for a trusted program site: every change it is not known to hold (or all,
//! with `full`), encrypted to it or locked with a passphrase for a one-off transfer, and always
//! naming it as the one recipient. A bundle carries the whole site's changes, so only an account
//! that covers every facility may write one; community partners get hand-offs only (ADR 0011).

use super::bundles::{check_passphrase, peer_lock, write_bundle, write_changes, Sealing};
use super::peers::{peer_kind, site_keys};
use super::{PeerKind, Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Password, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::bundle::Lock;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportSummary {
    pub to: String,
    pub path: String,
    pub changes: u64,
    pub bytes: u64,
}

/// How a bundle is locked: to the recipient's own key, or with a passphrase for a one-off
/// transfer (still for that recipient only).
#[derive(Debug, Clone)]
pub(crate) enum BundleLock {
    SiteKey,
    Passphrase(Password),
}

impl Store {
    /// Writes a bundle for `peer` at `path`: every change it is not known to hold (or all with
    /// `full`), encrypted to it and signed by this site. The file appears whole or not at all.
    pub fn export_bundle(&mut self, ctx: &WriteCtx, peer: SiteId, full: bool, path: &Path) -> Result<ExportSummary> {
        self.write_bundle(ctx, peer, &BundleLock::SiteKey, full, path)
    }

    /// A one-off bundle of every change for `peer`, locked with a passphrase instead of its key.
    pub fn export_bundle_with_passphrase(&mut self, ctx: &WriteCtx, peer: SiteId, passphrase: &str, path: &Path) -> Result<ExportSummary> {
        check_passphrase(passphrase)?;
        self.write_bundle(ctx, peer, &BundleLock::Passphrase(Password::new(passphrase)), true, path)
    }

    /// Refuses an export that cannot happen before anyone is asked where to save it: the
    /// account must cover every facility, and the site must be a trusted program site.
    pub fn check_export(&self, peer: SiteId) -> Result<String> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        match peer_kind(&self.conn, peer)? {
            None => Err(Error::field("peer", said!("that site is not trusted here: add its card first", "ese sitio no es de confianza aquí: añada antes su tarjeta"))),
            Some(PeerKind::Partner) => Err(Error::field("peer", said!("that site is a community partner: only hand-offs go to it, carrying what a person's consent covers", "ese sitio es un socio comunitario: solo recibe traspasos, con lo que cubre el consentimiento de una persona"))),
            Some(PeerKind::ProgramSite) => Ok(peer_lock(&self.conn, peer)?.0),
        }
    }

    fn write_bundle(&mut self, ctx: &WriteCtx, peer: SiteId, lock: &BundleLock, full: bool, path: &Path) -> Result<ExportSummary> {
        let to = self.check_export(peer)?;
        self.change(ctx, Need::Everywhere(Permission::ExportData), |w| {
            let keys = site_keys(w)?;
            let tx = w.tx();
            let (_, recipient) = peer_lock(tx, peer)?;
            let known: BTreeMap<SiteId, i64> = if full {
                BTreeMap::new()
            } else {
                let mut stmt = tx.prepare("SELECT origin_site, hlc FROM peer_frontier WHERE peer_site = ?1")?;
                let rows = stmt.query_map([peer], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
                rows
            };
            let lock = match lock {
                BundleLock::SiteKey => Lock::Recipient(&recipient),
                BundleLock::Passphrase(p) => Lock::Passphrase(p.as_str()),
            };
            let written = write_bundle(w, path, Sealing { peer, lock, notice: None }, |out| write_changes(tx, out, peer, &known, &keys.signing))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            w.audit(Action::Export, Some("bundle"), Some(&peer.to_string()), &format!("{} changes for {to} in {name}", written.changes))?;
            Ok(ExportSummary { to: to.clone(), path: path.display().to_string(), changes: written.changes, bytes: written.bytes })
        })
    }
}
