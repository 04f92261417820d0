//! The staff directory: staff with a login, and trained incarcerated peers without one.

use super::schema::Table;
use super::write::{text, RecordChange};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::Result;
use crate::model::{FacilityId, Staff, StaffId, StaffInput};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

pub(crate) fn staff_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Staff> {
    let roles: String = r.get(2)?;
    let username: Option<String> = r.get(4)?;
    Ok(Staff {
        id: r.get(0)?,
        name: r.get(1)?,
        peer_roles: roles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        facility_id: r.get(3)?,
        has_login: username.is_some(),
        username,
    })
}

pub(crate) fn staff_names(conn: &Connection, ids: &[StaffId]) -> Result<Vec<String>> {
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        let name: Option<String> = conn.prepare_cached("SELECT name FROM staff WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
        names.push(name.unwrap_or_else(|| "(not in the directory)".into()));
    }
    Ok(names)
}

impl Store {
    /// The staff directory of a facility, in name order.
    pub fn staff(&self, facility: FacilityId) -> Result<Vec<Staff>> {
        self.allowed(Need::In(Permission::ViewParticipants, facility))?;
        let mut stmt = self.conn.prepare(
            "SELECT id, name, peer_roles, facility_id, username FROM staff WHERE facility_id = ?1 AND deleted = 0 ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([facility], staff_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn add_staff(&mut self, ctx: &WriteCtx, input: &StaffInput) -> Result<Staff> {
        let v = input.validate()?;
        let id = StaffId::from_uuid(ctx.new_uuid());
        self.change(ctx, Need::In(Permission::RunGroups, v.facility_id), |w| {
            w.write(&RecordChange {
                table: Table::Staff,
                id: id.uuid(),
                action: Action::Create,
                fields: vec![
                    ("name", Value::Text(v.name.clone())),
                    ("peer_roles", Value::Text(v.peer_roles.join(","))),
                    ("facility_id", Value::Text(v.facility_id.to_string())),
                    ("has_login", Value::Integer(i64::from(v.username.is_some()))),
                    ("username", text(v.username.clone())),
                ],
            })
        })?;
        Ok(Staff { id, name: v.name, peer_roles: v.peer_roles, facility_id: v.facility_id, has_login: v.username.is_some(), username: v.username })
    }
}
