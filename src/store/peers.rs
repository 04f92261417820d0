//! This site's sync keys and the sites it trusts (ADR 0006).

use super::write::Writer;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::Permission;
use crate::error::{Error, Result};
use crate::model::SiteId;
use crate::sync::{SiteCard, SiteKeys};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A site this one trusts: bundles signed by it are accepted, bundles to it are encrypted to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Peer {
    pub site_id: SiteId,
    pub name: String,
    pub fingerprint: String,
    pub added_ms: i64,
    pub added_by: String,
}

/// The site's keys, made the first time they are needed.
pub(crate) fn site_keys(conn: &Connection) -> Result<SiteKeys> {
    let stored: Option<(String, Vec<u8>)> =
        conn.query_row("SELECT age_identity, signing_key FROM site_keys", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    if let Some((age, signing)) = stored {
        return SiteKeys::from_stored(&age, &signing);
    }
    let keys = SiteKeys::generate()?;
    let (age, signing) = keys.to_stored();
    conn.execute("INSERT INTO site_keys (singleton, age_identity, signing_key) VALUES (1, ?1, ?2)", params![age.as_str(), signing.as_slice()])?;
    Ok(keys)
}

fn site_identity(conn: &Connection) -> Result<(SiteId, String)> {
    conn.query_row("SELECT site_id, name FROM site", [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(Error::NotInitialized)
}

impl Store {
    /// This site's public card, for another site to trust it. Makes the keys on first use.
    pub fn site_card(&mut self, ctx: &WriteCtx) -> Result<SiteCard> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ManageTrustedPeers, None)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        let had_keys: bool = w.tx().query_row("SELECT count(*) > 0 FROM site_keys", [], |r| r.get(0))?;
        let keys = site_keys(w.tx())?;
        let site = site_identity(w.tx())?;
        if !had_keys {
            w.audit(Action::Create, Some("site_keys"), None, "sync keys made for this site")?;
        }
        w.commit()?;
        Ok(keys.card(site.0, &site.1))
    }

    /// The trusted sites: for administrators who manage trust, and for those who export to them.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        let who = self.session()?;
        if !who.may(Permission::ExportData) {
            who.require(Permission::ManageTrustedPeers, None)?;
        }
        let mut stmt = self.conn.prepare("SELECT site_id, name, fingerprint, added_ms, added_by FROM peers ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| Ok(Peer { site_id: r.get(0)?, name: r.get(1)?, fingerprint: r.get(2)?, added_ms: r.get(3)?, added_by: r.get(4)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Trusts the site a card describes, once the person has compared its fingerprint with the
    /// one the other site reads out and typed what they heard.
    pub fn trust_peer(&mut self, ctx: &WriteCtx, card: &SiteCard, heard: &str) -> Result<Peer> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        who.require(Permission::ManageTrustedPeers, None)?;
        let card = SiteCard::parse(&card.to_json())?;
        if !card.matches(heard) {
            return Err(Error::field(
                "fingerprint",
                "the fingerprint you heard is not this card's: do not trust it, and ask the other site to read theirs again",
            ));
        }
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        let (own, _) = site_identity(w.tx())?;
        if own == card.site_id {
            return Err(Error::field("card", "this is this site's own card"));
        }
        let known: Option<String> = w.tx().query_row("SELECT fingerprint FROM peers WHERE site_id = ?1", [card.site_id], |r| r.get(0)).optional()?;
        match known {
            Some(f) if f == card.fingerprint => return Err(Error::field("card", format!("{} is already trusted", card.name))),
            Some(_) => {
                return Err(Error::field(
                    "card",
                    format!("a different card for {} is already trusted: its keys changed, so check with that site before anything else", card.name),
                ))
            }
            None => {}
        }
        let verify = card.verifying_key()?;
        let added_ms = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
        w.tx().execute(
            "INSERT INTO peers (site_id, name, age_recipient, verify_key, fingerprint, added_ms, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![card.site_id, card.name, card.age_recipient, verify.as_bytes().as_slice(), card.fingerprint, added_ms, who.username],
        )?;
        w.audit(Action::Create, Some("peers"), Some(&card.site_id.to_string()), &format!("{} ({})", card.name, card.fingerprint))?;
        w.commit()?;
        Ok(Peer { site_id: card.site_id, name: card.name, fingerprint: card.fingerprint, added_ms, added_by: who.username.clone() })
    }
}
