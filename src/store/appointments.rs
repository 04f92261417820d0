//! Appointments in a reentry plan: community appointments come after release, and one before it
//! needs its reason written down.

use super::columns::{area_col, date_col, uuid_col};
use super::participants::load_for;
use super::resources::load_resource;
use super::schema::Table;
use super::write::text;
use super::{Store, WriteCtx};
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{release_of, Appointment, AppointmentInput, ParticipantId, Plan, ValidAppointment};
use rusqlite::types::Value;
use rusqlite::Connection;
use uuid::Uuid;

pub(crate) const APPOINTMENT_COLUMNS: &str =
    "a.id, a.area, a.resource_id, a.provider, a.address, a.phone, a.date, a.time, a.before_release_reason, a.confirmed, a.notes";

/// An appointment from [`APPOINTMENT_COLUMNS`] read from column `at` on.
pub(crate) fn appointment_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: uuid_col(r.get(at)?).unwrap_or_default(),
        resource_id: uuid_col(r.get(at + 2)?),
        details: ValidAppointment {
            area: area_col(&r.get::<_, String>(at + 1)?),
            provider: r.get(at + 3)?,
            address: r.get(at + 4)?,
            phone: r.get(at + 5)?,
            date: date_col(r.get(at + 6)?).unwrap_or_default(),
            time: r.get(at + 7)?,
            before_release_reason: r.get(at + 8)?,
            confirmed: r.get(at + 9)?,
            notes: r.get(at + 10)?,
        },
    })
}

pub(crate) fn load_appointments(conn: &Connection, participant: ParticipantId) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare(&format!("SELECT {APPOINTMENT_COLUMNS} FROM appointments a WHERE a.participant_id = ?1 AND a.deleted = 0 ORDER BY a.date, a.time"))?;
    let appointments = stmt.query_map([participant], |r| appointment_row(r, 0))?.collect::<rusqlite::Result<_>>()?;
    Ok(appointments)
}

impl Store {
    /// Adds an appointment (`id` none) or saves changes to one. One before the release date is
    /// refused unless its reason is given.
    pub fn save_appointment(&mut self, ctx: &WriteCtx, participant: ParticipantId, id: Option<Uuid>, input: &AppointmentInput) -> Result<Plan> {
        let resource = super::columns::uuid_col(Some(input.resource_id.clone()).filter(|s| !s.trim().is_empty()));
        self.change(ctx, Need::Role(Permission::ReentryWork), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::ReentryWork)?;
            let v = input.validate(release_of(&p).0)?;
            if let Some(r) = resource {
                load_resource(w.tx(), r).map_err(|_| Error::field("resource_id", said!("that resource is not in the directory", "ese recurso no está en el directorio")))?;
            }
            let (id, new) = w.own_or_new(Table::Appointments, id, participant, "appointment")?;
            let mut fields = vec![
                ("area", Value::Text(v.area.as_str().into())),
                ("resource_id", text(resource.map(|r| r.to_string()))),
                ("provider", Value::Text(v.provider)),
                ("address", text(v.address)),
                ("phone", text(v.phone)),
                ("date", Value::Text(v.date.to_string())),
                ("time", text(v.time)),
                ("before_release_reason", text(v.before_release_reason)),
                ("confirmed", Value::Integer(i64::from(v.confirmed))),
                ("notes", text(v.notes)),
            ];
            if new {
                fields.push(("participant_id", Value::Text(participant.to_string())));
            }
            w.save(Table::Appointments, id, new, fields)
        })?;
        self.plan_as_it_stands(ctx, participant)
    }
}
