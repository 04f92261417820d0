//! The accounting of disclosures (42 CFR 2.24): what about a person went to whom, when, by whom,
//! and whether the recipient confirmed it. A hand-off stays open until the partner's receipt
//! shows it holds what was sent, or staff record the confirmed first contact.

use super::participants::load_for;
use super::schema::Table;
use super::write::Writer;
use super::{scope, Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Area, Disclosure, OpenHandOff, ParticipantId, SiteId};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a disclosure row's `what` column holds: the areas sent, and the newest clock among the
/// changes sent, so that a receipt showing the partner holds that much confirms it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Disclosed {
    pub areas: Vec<Area>,
    pub through: i64,
}

fn disclosure_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Disclosure> {
    let what: Disclosed = serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default();
    Ok(Disclosure {
        id: Uuid::parse_str(&r.get::<_, String>(0)?).unwrap_or_default(),
        consent_id: r.get::<_, Option<String>>(1)?.and_then(|c| Uuid::parse_str(&c).ok()),
        recipient: r.get(2)?,
        areas: what.areas,
        how: r.get(4)?,
        disclosed_ms: r.get::<_, Option<i64>>(5)?.unwrap_or_default(),
        disclosed_by: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        confirmed_on: r.get::<_, Option<String>>(7)?.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        confirmed_how: r.get(8)?,
    })
}

const DISCLOSURE_ROW: &str = "SELECT d.id, d.consent_id, coalesce(r.name, '(removed from the directory)'), d.what, d.how, d.disclosed_ms, d.disclosed_by,
     d.confirmed_on, d.confirmed_how FROM disclosures d LEFT JOIN resources r ON r.id = d.resource_id";

pub(crate) fn load_disclosures(conn: &Connection, participant: ParticipantId) -> Result<Vec<Disclosure>> {
    let mut stmt = conn.prepare(&format!("{DISCLOSURE_ROW} WHERE d.participant_id = ?1 AND d.deleted = 0 ORDER BY d.disclosed_ms DESC"))?;
    let rows = stmt.query_map([participant], disclosure_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// The accounting of disclosures for one person.
    pub fn disclosures(&self, participant: ParticipantId) -> Result<Vec<Disclosure>> {
        let who = self.allowed(Need::Role(Permission::ReentryWork))?;
        load_for(&self.conn, who, participant, Permission::ReentryWork)?;
        load_disclosures(&self.conn, participant)
    }

    /// Hand-offs still waiting for the partner's confirmation, oldest first, in the person's
    /// facilities.
    pub fn open_handoffs(&self) -> Result<Vec<OpenHandOff>> {
        let who = self.allowed(Need::Role(Permission::ReentryWork))?;
        let (within, arg) = scope::within(who.scope(), "p.facility_id", 1);
        let sql = format!(
            "SELECT d.id, d.participant_id, p.legal_name, coalesce(r.name, '(removed from the directory)'), d.disclosed_ms FROM disclosures d
             JOIN participants p ON p.id = d.participant_id AND p.deleted = 0 LEFT JOIN resources r ON r.id = d.resource_id
             WHERE d.deleted = 0 AND d.confirmed_on IS NULL AND d.how = 'handoff_bundle' AND {within} ORDER BY d.disclosed_ms"
        );
        let rows = self
            .conn
            .prepare(&sql)?
            .query_map(params_from_iter(arg), |r| {
                Ok(OpenHandOff {
                    disclosure_id: Uuid::parse_str(&r.get::<_, String>(0)?).unwrap_or_default(),
                    participant_id: r.get(1)?,
                    legal_name: r.get(2)?,
                    recipient: r.get(3)?,
                    disclosed_ms: r.get::<_, Option<i64>>(4)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records that the partner confirmed a hand-off (the first contact was made, say).
    pub fn confirm_handoff(&mut self, ctx: &WriteCtx, participant: ParticipantId, disclosure: Uuid, on: NaiveDate, how: &str) -> Result<Vec<Disclosure>> {
        if on > ctx.today {
            return Err(Error::field("confirmed_on", said!("a confirmation is recorded on or after the day it came, not ahead of it", "una confirmación se registra el día en que llegó o después, no antes")));
        }
        let how = crate::model::optional_text(how).ok_or_else(|| Error::field("confirmed_how", said!("say how the partner confirmed, e.g. first contact by phone", "indique cómo confirmó el socio, p. ej., primer contacto por teléfono")))?;
        self.change(ctx, Need::Role(Permission::HandOff), |w| {
            load_for(w.tx(), w.who(), participant, Permission::HandOff)?;
            let (id, _) = w.own_or_new(Table::Disclosures, Some(disclosure), participant, "hand-off")?;
            w.save(Table::Disclosures, id, false, vec![("confirmed_on", Value::Text(on.to_string())), ("confirmed_how", Value::Text(how))])
        })?;
        self.disclosures(participant)
    }
}

/// Closes the hand-offs to `partner` that a receipt shows arrived: those whose newest change
/// the partner now holds.
pub(crate) fn confirm_by_receipt(w: &mut Writer<'_>, partner: SiteId, holds: i64, partner_name: &str) -> Result<u64> {
    let rows: Vec<(String, String)> = w
        .tx()
        .prepare(
            "SELECT d.id, d.what FROM disclosures d JOIN resources r ON r.id = d.resource_id
             WHERE r.site_id = ?1 AND d.deleted = 0 AND d.confirmed_on IS NULL AND d.how = 'handoff_bundle'",
        )?
        .query_map([partner], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut closed = 0;
    for (id, what) in rows {
        let what: Disclosed = serde_json::from_str(&what).unwrap_or_default();
        if let (Ok(id), true) = (Uuid::parse_str(&id), what.through <= holds) {
            let today = w.ctx().today.to_string();
            w.save(Table::Disclosures, id, false, vec![("confirmed_on", Value::Text(today)), ("confirmed_how", Value::Text(format!("receipt from {partner_name}")))])?;
            closed += 1;
        }
    }
    Ok(closed)
}
