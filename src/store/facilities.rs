//! Facilities and the housing units and program rooms inside them.

use super::schema::Table;
use super::write::{RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Facility, FacilityId, Location, LocationId, LocationKind, NewFacility};
use crate::text::clean_line;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Sets up a facility with its units and rooms, all in one transaction.
    pub fn create_facility(&mut self, ctx: &WriteCtx, new: &NewFacility) -> Result<Facility> {
        let new = new.validated()?;
        self.change(ctx, Need::Role(Permission::ManageSite), |w| {
            let taken: Option<String> = w
                .tx()
                .query_row("SELECT name FROM facilities WHERE deleted = 0 AND code = ?1", [&new.code], |r| r.get(0))
                .optional()?;
            if let Some(name) = taken {
                return Err(Error::field("code", said!("the code {} is already used by {name}", "el código {} ya lo usa {name}", new.code)));
            }
            let id = FacilityId::from_uuid(ctx.new_uuid());
            w.write(&RecordChange {
                table: Table::Facilities,
                id: id.uuid(),
                action: Action::Create,
                fields: vec![("name", Value::Text(new.name.clone())), ("code", Value::Text(new.code.clone()))],
            })?;
            let mut facility = Facility {
                id,
                name: new.name,
                code: new.code,
                units: vec![],
                rooms: vec![],
            };
            for name in &new.units {
                facility.units.push(insert_location(w, id, LocationKind::Unit, name)?);
            }
            for name in &new.rooms {
                facility.rooms.push(insert_location(w, id, LocationKind::Room, name)?);
            }
            Ok(facility)
        })
    }

    /// Adds a housing unit or program room to a facility.
    pub fn add_location(&mut self, ctx: &WriteCtx, facility: FacilityId, kind: LocationKind, name: &str) -> Result<Location> {
        let name = clean_line(name);
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::field("name", said!("a unit or room name is 1 to 60 characters", "el nombre de una unidad o sala tiene de 1 a 60 caracteres")));
        }
        self.change(ctx, Need::Role(Permission::ManageSite), |w| {
            let exists: bool = w
                .tx()
                .query_row("SELECT count(*) > 0 FROM facilities WHERE id = ?1 AND deleted = 0", [facility], |r| r.get(0))?;
            if !exists {
                return Err(Error::NotFound {
                    what: "facility",
                    id: facility.to_string(),
                });
            }
            let duplicate: bool = w.tx().query_row(
                "SELECT count(*) > 0 FROM locations WHERE facility_id = ?1 AND kind = ?2 AND deleted = 0 AND lower(name) = lower(?3)",
                params![facility, kind.as_str(), name],
                |r| r.get(0),
            )?;
            if duplicate {
                return Err(Error::field("name", match kind {
                    LocationKind::Unit => said!("this facility already has a unit named {name}", "este centro ya tiene una unidad llamada {name}"),
                    LocationKind::Room => said!("this facility already has a room named {name}", "este centro ya tiene una sala llamada {name}"),
                }));
            }
            insert_location(w, facility, kind, &name)
        })
    }

    /// The facilities with their units and rooms, in name order: every one for whoever manages
    /// the site, else those of the person's account.
    pub fn facilities(&self) -> Result<Vec<Facility>> {
        let who = self.allowed(Need::SignedIn)?;
        let shown = |f: &Facility| who.may(Permission::ManageSite) || who.scope().covers(f.id);
        let mut facilities: Vec<Facility> = self
            .conn
            .prepare("SELECT id, name, code FROM facilities WHERE deleted = 0 ORDER BY name, id")?
            .query_map([], |r| {
                Ok(Facility {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    code: r.get(2)?,
                    units: vec![],
                    rooms: vec![],
                })
            })?
            .collect::<rusqlite::Result<Vec<Facility>>>()?
            .into_iter()
            .filter(|f| shown(f))
            .collect();
        let mut stmt = self
            .conn
            .prepare("SELECT facility_id, id, kind, name FROM locations WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, FacilityId>(0)?,
                r.get::<_, LocationId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (facility_id, id, kind, name) = row?;
            let Some(kind) = LocationKind::parse(&kind) else { continue };
            if let Some(f) = facilities.iter_mut().find(|f| f.id == facility_id) {
                let list = if kind == LocationKind::Unit { &mut f.units } else { &mut f.rooms };
                list.push(Location { id, kind, name });
            }
        }
        Ok(facilities)
    }
}

fn insert_location(w: &mut Writer<'_>, facility: FacilityId, kind: LocationKind, name: &str) -> Result<Location> {
    let id = LocationId::from_uuid(w.ctx().new_uuid());
    w.write(&RecordChange {
        table: Table::Locations,
        id: id.uuid(),
        action: Action::Create,
        fields: vec![
            ("facility_id", Value::Text(facility.to_string())),
            ("kind", Value::Text(kind.as_str().into())),
            ("name", Value::Text(name.into())),
        ],
    })?;
    Ok(Location {
        id,
        kind,
        name: name.to_string(),
    })
}
