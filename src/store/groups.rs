//! Group series and their rosters.

use super::participants::load as load_participant;
use super::schema::Table;
use super::staff::staff_names;
use super::write::{text, RecordChange};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, FieldError, Result};
use crate::model::{derived_id, FacilityId, GroupId, GroupInput, LocationId, ParticipantId, StaffId, SupportType, ValidGroup};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

/// A group series as the screens show it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub topic: Option<String>,
    pub support_type: SupportType,
    pub facility_id: FacilityId,
    pub location_id: LocationId,
    pub location_name: String,
    pub weekdays: Vec<u32>,
    pub start_time: String,
    pub duration_min: u32,
    pub facilitators: Vec<StaffId>,
    pub facilitator_names: Vec<String>,
    pub capacity: Option<u32>,
    pub open_group: bool,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub members: Vec<Member>,
}

impl Group {
    /// The form's starting values when a coordinator edits the group.
    pub fn to_input(&self) -> GroupInput {
        GroupInput {
            name: self.name.clone(),
            topic: self.topic.clone().unwrap_or_default(),
            support_type: self.support_type.as_str().into(),
            facility_id: self.facility_id.to_string(),
            location_id: self.location_id.to_string(),
            weekdays: self.weekdays.clone(),
            start_time: self.start_time.clone(),
            duration_min: self.duration_min,
            facilitators: self.facilitators.iter().map(ToString::to_string).collect(),
            capacity: self.capacity,
            open_group: self.open_group,
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Member {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub joined_on: String,
}

pub(crate) fn load_group(conn: &Connection, id: GroupId) -> Result<Group> {
    let mut group = conn
        .query_row(
            "SELECT g.id, g.name, g.topic, g.support_type, g.facility_id, g.location_id, coalesce(l.name, ''), g.weekdays,
                    g.start_time, g.duration_min, g.facilitators, g.capacity, g.open_group, g.starts_on, g.ends_on
             FROM groups g LEFT JOIN locations l ON l.id = g.location_id WHERE g.id = ?1 AND g.deleted = 0",
            [id],
            |r| {
                let weekdays: String = r.get(7)?;
                let facilitators: String = r.get(10)?;
                let support: String = r.get(3)?;
                Ok(Group {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    topic: r.get(2)?,
                    support_type: SupportType::parse(&support).unwrap_or(SupportType::Emotional),
                    facility_id: r.get(4)?,
                    location_id: r.get(5)?,
                    location_name: r.get(6)?,
                    weekdays: weekdays.split(',').filter_map(|d| d.parse().ok()).collect(),
                    start_time: r.get(8)?,
                    duration_min: r.get(9)?,
                    facilitators: serde_json::from_str(&facilitators).unwrap_or_default(),
                    facilitator_names: Vec::new(),
                    capacity: r.get(11)?,
                    open_group: r.get(12)?,
                    starts_on: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                    ends_on: r.get(14)?,
                    members: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound { what: "group", id: id.to_string() })?;
    group.facilitator_names = staff_names(conn, &group.facilitators)?;
    group.members = conn
        .prepare_cached(
            "SELECT m.participant_id, p.legal_name, p.facility_number, coalesce(m.joined_on, '')
             FROM group_members m JOIN participants p ON p.id = m.participant_id
             WHERE m.group_id = ?1 AND m.deleted = 0 AND p.deleted = 0 ORDER BY p.sort_name",
        )?
        .query_map([id], |r| Ok(Member { participant_id: r.get(0)?, legal_name: r.get(1)?, facility_number: r.get(2)?, joined_on: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(group)
}

impl Store {
    /// The groups of a facility, in name order, with their rosters.
    pub fn groups(&self, facility: FacilityId) -> Result<Vec<Group>> {
        self.allowed(Need::In(Permission::ViewParticipants, facility))?;
        let ids: Vec<GroupId> = self
            .conn
            .prepare("SELECT id FROM groups WHERE facility_id = ?1 AND deleted = 0 ORDER BY name COLLATE NOCASE")?
            .query_map([facility], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| load_group(&self.conn, id)).collect()
    }

    pub fn group(&self, id: GroupId) -> Result<Group> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        let group = load_group(&self.conn, id)?;
        who.require(Permission::ViewParticipants, Some(group.facility_id))?;
        Ok(group)
    }

    /// Creates a group series (`id` none) or saves changes to one, checked against the database:
    /// the room or unit is in the facility, the facilitators are in its staff directory.
    pub fn save_group(&mut self, ctx: &WriteCtx, id: Option<GroupId>, input: &GroupInput) -> Result<Group> {
        let v = input.validate()?;
        let id = self.change(ctx, Need::In(Permission::RunGroups, v.facility_id), |w| {
        let mut errors = Vec::new();
        let in_facility: bool = w.tx().query_row(
            "SELECT count(*) > 0 FROM locations WHERE id = ?1 AND facility_id = ?2 AND deleted = 0",
            params![v.location_id, v.facility_id],
            |r| r.get(0),
        )?;
        if !in_facility {
            errors.push(FieldError::new("location_id", said!("that room or unit is not in this facility", "esa sala o unidad no está en este centro")));
        }
        for f in &v.facilitators {
            let ok: bool = w.tx().query_row("SELECT count(*) > 0 FROM staff WHERE id = ?1 AND deleted = 0", [f], |r| r.get(0))?;
            if !ok {
                errors.push(FieldError::new("facilitators", said!("a facilitator is not in the staff directory", "un facilitador no está en el directorio del personal")));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let fields = group_fields(&v);
        let (id, action, fields) = match id {
            None => (GroupId::from_uuid(ctx.new_uuid()), Action::Create, fields),
            Some(id) => {
                let current = load_group(w.tx(), id)?;
                w.require(Permission::RunGroups, current.facility_id)?;
                let before = group_fields(&current.to_input().validate()?);
                // Only what changed is written, so an edit elsewhere to another field survives.
                let changed = fields.into_iter().zip(before).filter(|((_, new), (_, old))| new != old).map(|(f, _)| f).collect();
                (id, Action::Update, changed)
            }
        };
        w.write(&RecordChange { table: Table::Groups, id: id.uuid(), action, fields })?;
        Ok(id)
        })?;
        load_group(&self.conn, id)
    }

    /// Puts a participant on a group's roster, from `joined_on`.
    pub fn add_member(&mut self, ctx: &WriteCtx, group: GroupId, participant: ParticipantId) -> Result<Group> {
        self.change(ctx, Need::Role(Permission::RunGroups), |w| {
        let g = load_group(w.tx(), group)?;
        w.require(Permission::RunGroups, g.facility_id)?;
        let p = load_participant(w.tx(), participant)?;
        if p.facility_id != g.facility_id {
            return Err(Error::field("participant_id", said!("this participant is not at this group's facility", "este participante no está en el centro de este grupo")));
        }
        if g.members.iter().any(|m| m.participant_id == participant) {
            return Err(Error::field("participant_id", said!("this participant is already on the roster", "este participante ya está en la lista")));
        }
        if let Some(cap) = g.capacity.filter(|c| g.members.len() as u32 >= *c) {
            return Err(Error::field("participant_id", said!("the group is full: its capacity is {cap}", "el grupo está completo: tiene {cap} plazas")));
        }
        let id = membership_id(group, participant);
        let exists: bool = w.tx().query_row("SELECT count(*) > 0 FROM group_members WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
        let mut fields = vec![("joined_on", Value::Text(ctx.today.to_string())), ("deleted", Value::Integer(0))];
        if !exists {
            fields.splice(0..0, [("group_id", Value::Text(group.to_string())), ("participant_id", Value::Text(participant.to_string()))]);
        }
        w.write(&RecordChange { table: Table::GroupMembers, id, action: if exists { Action::Update } else { Action::Create }, fields })
        })?;
        load_group(&self.conn, group)
    }

    pub fn remove_member(&mut self, ctx: &WriteCtx, group: GroupId, participant: ParticipantId) -> Result<Group> {
        self.change(ctx, Need::Role(Permission::RunGroups), |w| {
        let g = load_group(w.tx(), group)?;
        w.require(Permission::RunGroups, g.facility_id)?;
        if !g.members.iter().any(|m| m.participant_id == participant) {
            return Err(Error::NotFound { what: "roster entry", id: participant.to_string() });
        }
        w.write(&RecordChange { table: Table::GroupMembers, id: membership_id(group, participant), action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })
        })?;
        load_group(&self.conn, group)
    }
}

/// One roster entry per person and group, the same id on every workstation.
pub(crate) fn membership_id(group: GroupId, participant: ParticipantId) -> Uuid {
    derived_id(&["member", &group.to_string(), &participant.to_string()])
}

fn group_fields(v: &ValidGroup) -> Vec<(&'static str, Value)> {
    vec![
        ("name", Value::Text(v.name.clone())),
        ("topic", text(v.topic.clone())),
        ("support_type", Value::Text(v.support_type.as_str().into())),
        ("facility_id", Value::Text(v.facility_id.to_string())),
        ("location_id", Value::Text(v.location_id.to_string())),
        ("weekdays", Value::Text(v.weekdays.iter().map(ToString::to_string).collect::<Vec<_>>().join(","))),
        ("start_time", Value::Text(v.start_time.format("%H:%M").to_string())),
        ("duration_min", Value::Integer(i64::from(v.duration_min))),
        ("facilitators", Value::Text(serde_json::to_string(&v.facilitators).unwrap_or_else(|_| "[]".into()))),
        ("capacity", v.capacity.map_or(Value::Null, |c| Value::Integer(i64::from(c)))),
        ("open_group", Value::Integer(i64::from(v.open_group))),
        ("starts_on", Value::Text(v.starts_on.to_string())),
        ("ends_on", text(v.ends_on.map(|d| d.to_string()))),
    ]
}
