//! Referrals of a person to resources in the directory: sent, accepted, attended or declined.

use super::columns::{area_col, date_col, uuid_col};
use super::participants::load_for;
use super::resources::load_resource;
use super::schema::Table;
use super::write::text;
use super::{Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{ParticipantId, Plan, Referral, ReferralInput, ReferralStatus};
use rusqlite::types::Value;
use rusqlite::Connection;
use uuid::Uuid;

pub(crate) fn load_referrals(conn: &Connection, participant: ParticipantId) -> Result<Vec<Referral>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.resource_id, coalesce(r.name, '(removed from the directory)'), f.area, f.status, f.sent_on, f.notes
         FROM referrals f LEFT JOIN resources r ON r.id = f.resource_id
         WHERE f.participant_id = ?1 AND f.deleted = 0 ORDER BY f.sent_on",
    )?;
    let rows = stmt.query_map([participant], |r| {
        Ok(Referral {
            id: uuid_col(r.get(0)?).unwrap_or_default(),
            resource_id: uuid_col(r.get(1)?).unwrap_or_default(),
            resource_name: r.get(2)?,
            area: area_col(&r.get::<_, String>(3)?),
            status: ReferralStatus::parse(&r.get::<_, String>(4)?).unwrap_or(ReferralStatus::Sent),
            sent_on: date_col(r.get(5)?).unwrap_or_default(),
            notes: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Refers the person to a resource from the directory (`id` none), or updates where the
    /// referral stands.
    pub fn save_referral(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &ReferralInput) -> Result<Plan> {
        let (area, status, sent_on, notes) = input.validate(ctx.today)?;
        let resource = Uuid::parse_str(input.resource_id.trim()).map_err(|_| Error::field("resource_id", said!("choose the resource from the directory", "elija el recurso del directorio")))?;
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            load_resource(w.tx(), resource).map_err(|_| Error::field("resource_id", said!("that resource is not in the directory", "ese recurso no está en el directorio")))?;
            let (id, new) = w.own_or_new(Table::Referrals, id, participant, "referral")?;
            let mut fields = vec![
                ("resource_id", Value::Text(resource.to_string())),
                ("area", Value::Text(area.as_str().into())),
                ("status", Value::Text(status.as_str().into())),
                ("sent_on", Value::Text(sent_on.to_string())),
                ("notes", text(notes)),
            ];
            if new {
                fields.push(("participant_id", Value::Text(participant.to_string())));
            }
            w.save(Table::Referrals, id, new, fields)
        })?;
        self.plan_as_it_stands(ctx, participant)
    }
}
