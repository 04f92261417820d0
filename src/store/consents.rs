//! Consents under 42 CFR Part 2: to whom (a directory entry, and the partner site it stood for
//! when signed), which areas of the plan, why, signed and expiry dates, revocation.

use super::columns::{date_col, uuid_col};
use super::participants::load_for;
use super::resources::load_resource;
use super::schema::Table;
use super::write::text;
use super::{Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Area, Consent, ConsentInput, ConsentTerms, ParticipantId, Plan};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use uuid::Uuid;

const CONSENT_ROW: &str = "SELECT c.id, c.resource_id, coalesce(r.name, '(removed from the directory)'), c.information, c.purpose, c.signed_on,
     c.expires_on, c.revoked_on, c.site_id FROM consents c LEFT JOIN resources r ON r.id = c.resource_id";

fn consent_row(r: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<Consent> {
    let information: Vec<Area> = serde_json::from_str::<Vec<String>>(&r.get::<_, String>(3)?).unwrap_or_default().iter().filter_map(|a| Area::parse(a)).collect();
    let terms = ConsentTerms {
        information,
        signed_on: date_col(r.get(5)?).unwrap_or_default(),
        expires_on: date_col(r.get(6)?).unwrap_or_default(),
        revoked_on: date_col(r.get(7)?),
    };
    Ok(Consent {
        id: uuid_col(r.get(0)?).unwrap_or_default(),
        resource_id: uuid_col(r.get(1)?).unwrap_or_default(),
        resource_name: r.get(2)?,
        site_id: r.get::<_, Option<String>>(8)?.and_then(|s| s.parse().ok()),
        active: terms.active(today),
        terms,
        purpose: r.get(4)?,
    })
}

pub(crate) fn load_consents(conn: &Connection, participant: ParticipantId, today: NaiveDate) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(&format!("{CONSENT_ROW} WHERE c.participant_id = ?1 AND c.deleted = 0 ORDER BY c.signed_on DESC"))?;
    let rows = stmt.query_map([participant], |r| consent_row(r, today))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Records a consent the person signed. It names the partner site its recipient stands for
    /// today, so a directory entry changed later cannot send the person's plan elsewhere.
    pub fn add_consent(&mut self, ctx: &WriteCtx, participant: ParticipantId, input: &ConsentInput) -> Result<Plan> {
        let v = input.validate(ctx.today)?;
        let resource = Uuid::parse_str(input.resource_id.trim()).map_err(|_| Error::field("resource_id", said!("choose who the information may go to", "elija a quién puede ir la información")))?;
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            let recipient = load_resource(w.tx(), resource).map_err(|_| Error::field("resource_id", said!("that recipient is not in the directory", "ese destinatario no está en el directorio")))?;
            let information: Vec<&str> = v.information.iter().map(|a| a.as_str()).collect();
            w.save(
                Table::Consents,
                ctx.new_uuid(),
                true,
                vec![
                    ("participant_id", Value::Text(participant.to_string())),
                    ("resource_id", Value::Text(resource.to_string())),
                    ("information", Value::Text(serde_json::json!(information).to_string())),
                    ("purpose", Value::Text(v.purpose.clone())),
                    ("signed_on", Value::Text(v.signed_on.to_string())),
                    ("expires_on", Value::Text(v.expires_on.to_string())),
                    ("site_id", text(recipient.site_id.map(|s| s.to_string()))),
                ],
            )
        })?;
        self.plan_as_it_stands(ctx, participant)
    }

    /// Records that the person revoked a consent on `on`; nothing more goes out under it.
    pub fn revoke_consent(&mut self, ctx: &WriteCtx, participant: ParticipantId, consent: Uuid, on: NaiveDate) -> Result<Plan> {
        if on > ctx.today {
            return Err(Error::field("revoked_on", said!("a revocation is recorded on or after the day it was made, not ahead of it", "una revocación se registra el día en que se hizo o después, no antes")));
        }
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            let (id, _) = w.own_or_new(Table::Consents, Some(consent), participant, "consent")?;
            w.save(Table::Consents, id, false, vec![("revoked_on", Value::Text(on.to_string()))])
        })?;
        self.plan_as_it_stands(ctx, participant)
    }
}
