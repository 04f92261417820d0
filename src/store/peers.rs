//! This site's sync keys and the sites it trusts (ADR 0006): program sites that exchange
//! bundles with it, and community partners that receive hand-offs only (ADR 0011).

use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::{SiteCard, SiteKeys};
use crate::text::clean_line;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What a trusted site is to this one. It is this site's own decision, never synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PeerKind {
    /// A facility, office or workstation of the same program: ordinary bundles both ways.
    ProgramSite,
    /// A community partner: hand-offs go to it, carrying what a consent covers; it may write
    /// back only its confirmations.
    Partner,
}

/// A site this one trusts: bundles signed by it are accepted, bundles to it are encrypted to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Peer {
    pub site_id: SiteId,
    pub name: String,
    pub fingerprint: String,
    pub kind: PeerKind,
    pub added_ms: i64,
    pub added_by: String,
}

/// The site's keys as stored: none until a change first needs them.
pub(crate) fn stored_keys(conn: &Connection) -> Result<Option<SiteKeys>> {
    let stored: Option<(String, Vec<u8>)> = conn.query_row("SELECT age_identity, signing_key FROM site_keys", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    stored.map(|(age, signing)| SiteKeys::from_stored(&age, &signing)).transpose()
}

/// The site's keys, made in the change that first needs them, and the making audited.
pub(crate) fn site_keys(w: &mut Writer<'_>) -> Result<SiteKeys> {
    if let Some(keys) = stored_keys(w.tx())? {
        return Ok(keys);
    }
    let keys = SiteKeys::generate()?;
    let (age, signing) = keys.to_stored();
    w.tx().execute("INSERT INTO site_keys (singleton, age_identity, signing_key) VALUES (1, ?1, ?2)", params![age.as_str(), signing.as_slice()])?;
    w.audit(Action::Create, Some("site_keys"), None, "sync keys made for this site")?;
    Ok(keys)
}

/// Whether `site` is trusted here, and as what.
pub(crate) fn peer_kind(conn: &Connection, site: SiteId) -> Result<Option<PeerKind>> {
    let partner: Option<bool> = conn.query_row("SELECT partner FROM peers WHERE site_id = ?1", [site], |r| r.get(0)).optional()?;
    Ok(partner.map(|p| if p { PeerKind::Partner } else { PeerKind::ProgramSite }))
}

fn site_identity(conn: &Connection) -> Result<(SiteId, String)> {
    conn.query_row("SELECT site_id, name FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)
}

fn peer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Peer> {
    let partner: bool = r.get(3)?;
    Ok(Peer {
        site_id: r.get(0)?,
        name: r.get(1)?,
        fingerprint: r.get(2)?,
        kind: if partner { PeerKind::Partner } else { PeerKind::ProgramSite },
        added_ms: r.get(4)?,
        added_by: r.get(5)?,
    })
}

fn card(w: &mut Writer<'_>) -> Result<SiteCard> {
    let keys = site_keys(w)?;
    let (id, name) = site_identity(w.tx())?;
    Ok(keys.card(id, &name))
}

const PEER_COLUMNS: &str = "site_id, name, fingerprint, partner, added_ms, added_by";

impl Store {
    /// This site's public card, for another site to trust it. Makes the keys on first use.
    pub fn site_card(&mut self, ctx: &WriteCtx) -> Result<SiteCard> {
        self.change(ctx, Need::Role(Permission::ManageTrustedPeers), card)
    }

    /// Writes this site's card at `path`, to carry to another site.
    pub fn save_site_card(&mut self, ctx: &WriteCtx, path: &std::path::Path) -> Result<SiteCard> {
        self.change(ctx, Need::Role(Permission::ManageTrustedPeers), |w| {
            let card = card(w)?;
            w.write_output(path, card.to_json().as_bytes())?;
            Ok(card)
        })
    }

    /// The trusted sites: for administrators who manage trust, and for those who export to them.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        let who = self.allowed(Need::SignedIn)?;
        if !who.may(Permission::ExportData) && !who.may(Permission::HandOff) {
            who.require(Permission::ManageTrustedPeers, None)?;
        }
        let mut stmt = self.conn.prepare(&format!("SELECT {PEER_COLUMNS} FROM peers ORDER BY name"))?;
        let rows = stmt.query_map([], peer_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The trusted site someone named on the command line or picked: by its name, its id or its
    /// fingerprint, however the fingerprint was typed.
    pub fn find_peer(&self, typed: &str) -> Result<Peer> {
        let wanted = clean_line(typed).to_lowercase();
        let fold = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        let mut found: Vec<Peer> = self
            .peers()?
            .into_iter()
            .filter(|p| p.name.to_lowercase() == wanted || p.site_id.to_string() == wanted || (!fold(&wanted).is_empty() && fold(&p.fingerprint) == fold(&wanted)))
            .collect();
        match found.len() {
            0 => Err(Error::field("to", said!("no trusted site is named \"{wanted}\" (see `bridger peers list`)", "no hay ningún sitio de confianza llamado «{wanted}» (vea `bridger peers list`)"))),
            1 => Ok(found.remove(0)),
            _ => Err(Error::field("to", said!("more than one trusted site is named \"{wanted}\": name the one you mean by its fingerprint", "hay más de un sitio de confianza llamado «{wanted}»: indique el que quiere por su huella"))),
        }
    }

    /// The program site an export goes to, named as in [`Store::find_peer`]; refused first for an
    /// account that may not export at all, so that is what it is told.
    pub fn export_destination(&self, typed: &str) -> Result<Peer> {
        self.allowed(Need::Everywhere(Permission::ExportData))?;
        let peer = self.find_peer(typed)?;
        self.check_export(peer.site_id)?;
        Ok(peer)
    }

    /// Trusts the site a card describes, as a program site or a community partner, once the
    /// person has compared its fingerprint with the one the other site reads out and typed what
    /// they heard.
    pub fn trust_peer(&mut self, ctx: &WriteCtx, card: &SiteCard, heard: &str, kind: PeerKind) -> Result<Peer> {
        let card = SiteCard::parse(&card.to_json())?;
        if !card.matches(heard) {
            return Err(Error::field("fingerprint", said!("the fingerprint you heard is not this card's: do not trust it, and ask the other site to read theirs again", "la huella que oyó no es la de esta tarjeta: no confíe en ella y pida al otro sitio que vuelva a leer la suya")));
        }
        self.change(ctx, Need::Role(Permission::ManageTrustedPeers), |w| {
            let (own, _) = site_identity(w.tx())?;
            if own == card.site_id {
                return Err(Error::field("card", said!("this is this site's own card", "esta es la tarjeta de este mismo sitio")));
            }
            let known: Option<String> = w.tx().query_row("SELECT fingerprint FROM peers WHERE site_id = ?1", [card.site_id], |r| r.get(0)).optional()?;
            match known {
                Some(f) if f == card.fingerprint => return Err(Error::field("card", said!("this site is already trusted", "ya se confía en este sitio"))),
                Some(_) => return Err(Error::field("card", said!("a different card for this site is already trusted: its keys changed, so check with that site before anything else", "ya se confía en otra tarjeta de este sitio: sus claves cambiaron, así que consulte con ese sitio antes de nada"))),
                None => {}
            }
            // Sites are chosen by name when exporting: two of one name would be one slip away.
            let names: Vec<String> = w.tx().prepare("SELECT name FROM peers")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            if names.iter().any(|n| n.to_lowercase() == card.name.to_lowercase()) {
                return Err(Error::field("card", said!("a trusted site already has this name: ask this site to choose another name and send a new card", "ya hay un sitio de confianza con este nombre: pida a este sitio que elija otro nombre y envíe una tarjeta nueva")));
            }
            let verify = card.verifying_key()?;
            let partner = kind == PeerKind::Partner;
            w.tx().execute(
                "INSERT INTO peers (site_id, name, age_recipient, verify_key, fingerprint, added_ms, added_by, partner) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![card.site_id, card.name, card.age_recipient, verify.as_bytes().as_slice(), card.fingerprint, w.now_ms(), w.who().username(), partner],
            )?;
            let as_what = if partner { "community partner" } else { "program site" };
            w.audit(Action::Create, Some("peers"), Some(&card.site_id.to_string()), &format!("{} as a {as_what} ({})", card.name, card.fingerprint))?;
            Ok(Peer { site_id: card.site_id, name: card.name.clone(), fingerprint: card.fingerprint.clone(), kind, added_ms: w.now_ms(), added_by: w.who().username().to_string() })
        })
    }

    /// Stops trusting a site: its bundles and receipts are refused from now on, and nothing more
    /// is sent to it. What it sent before stays.
    pub fn remove_peer(&mut self, ctx: &WriteCtx, site: SiteId) -> Result<()> {
        self.change(ctx, Need::Role(Permission::ManageTrustedPeers), |w| {
            let name: Option<String> = w.tx().query_row("SELECT name FROM peers WHERE site_id = ?1", [site], |r| r.get(0)).optional()?;
            let Some(name) = name else { return Err(Error::NotFound { what: "trusted site", id: site.to_string() }) };
            w.tx().execute("DELETE FROM peers WHERE site_id = ?1", [site])?;
            w.audit(Action::Delete, Some("peers"), Some(&site.to_string()), &format!("{name} is no longer trusted"))
        })
    }
}
