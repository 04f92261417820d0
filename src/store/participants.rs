//! Participants: enrolment, edits, status changes, tombstones and opening a record.

use super::schema::Table;
use super::write::{text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, FieldError, Result};
use crate::model::{DuplicateCheck, Enrolment, Participant, ParticipantId, ParticipantInput, Status, StatusChange, ValidParticipant};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

pub(crate) fn status_column(r: &Row<'_>, i: usize) -> rusqlite::Result<Status> {
    let s: String = r.get(i)?;
    Status::parse(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(i, s, rusqlite::types::Type::Text))
}

/// The synced fields of a participant, in the order they are journalled.
pub(super) fn fields_of(v: &ValidParticipant) -> Vec<(&'static str, Value)> {
    vec![
        ("legal_name", Value::Text(v.legal_name.clone())),
        ("preferred_name", text(v.preferred_name.clone())),
        ("dob", Value::Text(v.dob.to_string())),
        ("facility_number", Value::Text(v.facility_number.clone())),
        ("facility_id", Value::Text(v.facility_id.to_string())),
        ("unit_id", text(v.unit_id.map(|u| u.to_string()))),
        ("admission_date", Value::Text(v.admission_date.to_string())),
        ("release_date", text(v.release_date.map(|d| d.to_string()))),
        ("program", text(v.program.clone())),
        ("language", Value::Text(v.language.clone())),
        ("notes", text(v.notes.clone())),
    ]
}

/// Checks what needs the database: the facility and unit exist and belong together, and no one
/// else in that facility holds the same number.
pub(super) fn check_in_store(conn: &Connection, v: &ValidParticipant, this: Option<ParticipantId>) -> Result<()> {
    let mut errors = Vec::new();
    let facility: Option<String> = conn
        .query_row("SELECT name FROM facilities WHERE id = ?1 AND deleted = 0", [v.facility_id], |r| r.get(0))
        .optional()?;
    match &facility {
        None => errors.push(FieldError::new("facility_id", said!("that facility does not exist", "ese centro no existe"))),
        Some(name) => {
            if let Some(unit) = v.unit_id {
                let ok: bool = conn.query_row(
                    "SELECT count(*) > 0 FROM locations WHERE id = ?1 AND facility_id = ?2 AND kind = 'unit' AND deleted = 0",
                    params![unit, v.facility_id],
                    |r| r.get(0),
                )?;
                if !ok {
                    errors.push(FieldError::new("unit_id", said!("that housing unit is not in {name}", "esa unidad de alojamiento no está en {name}")));
                }
            }
        }
    }
    let taken: bool = conn.query_row(
        "SELECT count(*) > 0 FROM participants WHERE facility_number = ?1 AND facility_id = ?2 AND deleted = 0 AND id IS NOT ?3",
        params![v.facility_number, v.facility_id, this],
        |r| r.get(0),
    )?;
    if taken {
        errors.push(FieldError::new("facility_number", said!("facility number {} is already used by another participant in this facility", "el número {} ya lo usa otro participante de este centro", v.facility_number)));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

pub(crate) fn load(conn: &Connection, id: ParticipantId) -> Result<Participant> {
    conn.query_row(
        "SELECT p.id, p.legal_name, p.preferred_name, p.dob, p.facility_number, p.facility_id, coalesce(f.name, ''),
                p.unit_id, u.name, p.admission_date, p.release_date, p.program, p.status, p.status_date,
                p.status_note, coalesce(p.language, 'English'), p.notes, p.peer_id, s.name,
                p.state_number, p.cell, p.release_note, p.charges
         FROM participants p LEFT JOIN facilities f ON f.id = p.facility_id LEFT JOIN locations u ON u.id = p.unit_id
              LEFT JOIN staff s ON s.id = p.peer_id AND s.deleted = 0
         WHERE p.id = ?1 AND p.deleted = 0",
        [id],
        |r| {
            Ok(Participant {
                id: r.get(0)?,
                legal_name: r.get(1)?,
                preferred_name: r.get(2)?,
                dob: r.get(3)?,
                facility_number: r.get(4)?,
                facility_id: r.get(5)?,
                facility_name: r.get(6)?,
                unit_id: r.get(7)?,
                unit_name: r.get(8)?,
                admission_date: r.get(9)?,
                release_date: r.get(10)?,
                program: r.get(11)?,
                status: status_column(r, 12)?,
                status_date: r.get(13)?,
                status_note: r.get(14)?,
                language: r.get(15)?,
                notes: r.get(16)?,
                peer_id: r.get(17)?,
                peer_name: r.get(18)?,
                state_number: r.get(19)?,
                cell: r.get(20)?,
                release_note: r.get(21)?,
                charges: r.get::<_, Option<String>>(22)?.map(|c| c.lines().map(str::to_string).collect()).unwrap_or_default(),
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound { what: "participant", id: id.to_string() })
}

/// A participant the person may `permission` on: not found, or refused outside their
/// facilities, before anything of the record is returned.
pub(crate) fn load_for(conn: &Connection, who: &Session, id: ParticipantId, permission: Permission) -> Result<Participant> {
    let p = load(conn, id)?;
    who.require(permission, Some(p.facility_id))?;
    Ok(p)
}

/// Writes a participant's new status with `also` (other fields changing with it), and the
/// change as a record of its own too, so the person's timeline shows every change.
pub(super) fn record_status(w: &mut Writer<'_>, id: ParticipantId, status: Status, date: NaiveDate, note: Option<String>, also: Vec<(&'static str, Value)>) -> Result<()> {
    let mut fields = vec![("status", Value::Text(status.as_str().into())), ("status_date", Value::Text(date.to_string())), ("status_note", text(note.clone()))];
    fields.extend(also);
    w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Update, fields })?;
    let record = vec![
        ("participant_id", Value::Text(id.to_string())),
        ("status", Value::Text(status.as_str().into())),
        ("date", Value::Text(date.to_string())),
        ("note", text(note)),
    ];
    w.write(&RecordChange { table: Table::StatusChanges, id: w.ctx().new_uuid(), action: Action::Create, fields: record })
}

impl Store {
    /// Enrols a person as the app and the CLI do: fields are checked first, then, unless the
    /// person enrolling has confirmed it is someone new, possible duplicates are returned and
    /// nothing is saved.
    pub fn enroll_checked(&mut self, ctx: &WriteCtx, input: &ParticipantInput, check: DuplicateCheck) -> Result<Enrolment> {
        let v = input.validate(ctx.today)?;
        self.allowed(Need::In(Permission::EnrollParticipants, v.facility_id))?;
        if check == DuplicateCheck::Check {
            let candidates = self.possible_duplicates(input, None)?;
            if !candidates.is_empty() {
                return Ok(Enrolment::PossibleDuplicates { candidates });
            }
        }
        Ok(Enrolment::Enrolled { participant: Box::new(self.enroll(ctx, input)?) })
    }

    /// Enrols a new participant without looking for duplicates (two people can share a name and
    /// a birth date): for bulk loads and tests. People enrolling go through
    /// [`Store::enroll_checked`].
    pub fn enroll(&mut self, ctx: &WriteCtx, input: &ParticipantInput) -> Result<Participant> {
        let ids = self.enroll_many(ctx, std::slice::from_ref(input))?;
        load(&self.conn, ids[0])
    }

    /// Enrols several participants in one transaction: all of them, or none if any is refused.
    pub fn enroll_many(&mut self, ctx: &WriteCtx, inputs: &[ParticipantInput]) -> Result<Vec<ParticipantId>> {
        self.change(ctx, Need::Role(Permission::EnrollParticipants), |w| {
            let mut ids = Vec::with_capacity(inputs.len());
            for input in inputs {
                let v = input.validate(ctx.today)?;
                w.require(Permission::EnrollParticipants, v.facility_id)?;
                check_in_store(w.tx(), &v, None)?;
                let id = ParticipantId::from_uuid(ctx.new_uuid());
                let mut fields: Vec<(&'static str, Value)> = fields_of(&v).into_iter().filter(|(_, value)| *value != Value::Null).collect();
                fields.push(("status", Value::Text(Status::Active.as_str().into())));
                fields.push(("status_date", Value::Text(v.admission_date.to_string())));
                w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Create, fields })?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Saves an edit. `original` is the record as the form first showed it: only fields the
    /// person changed are written, and a field someone else changed meanwhile is refused
    /// rather than overwritten, so neither edit is lost.
    pub fn update_participant(&mut self, ctx: &WriteCtx, id: ParticipantId, original: &ParticipantInput, edited: &ParticipantInput) -> Result<Participant> {
        let v = edited.validate(ctx.today)?;
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            let current = load_for(w.tx(), w.who(), id, Permission::EditParticipants)?;
            w.require(Permission::EditParticipants, v.facility_id)?;
            let current_fields = fields_of(&current.fields());
            let edited_fields = fields_of(&v);
            // An original that no longer passes today's rules gives no base to compare with:
            // every field that differs from the stored record is then written.
            let original_fields = original.validate(ctx.today).ok().map(|o| fields_of(&o));
            let mut changes = Vec::new();
            let mut clashes = Vec::new();
            for (i, (field, new_value)) in edited_fields.into_iter().enumerate() {
                let now_value = &current_fields[i].1;
                let was = original_fields.as_ref().map(|o| &o[i].1);
                if was.is_some_and(|was| *was == new_value) || *now_value == new_value {
                    continue;
                }
                if was.is_some_and(|was| was != now_value) {
                    clashes.push(FieldError::new(field, said!("someone else changed this field while you were editing: reopen the record to see their change", "otra persona cambió este campo mientras usted lo editaba: vuelva a abrir el expediente para ver su cambio")));
                } else {
                    changes.push((field, new_value));
                }
            }
            if !clashes.is_empty() {
                return Err(Error::Validation(clashes));
            }
            // What will be stored is the current record with this person's changes; that, not
            // the form alone, must pass every rule (someone else may have moved the admission date).
            let mut merged = current.to_input();
            for (field, _) in &changes {
                merged.copy_field(field, edited);
            }
            check_in_store(w.tx(), &merged.validate(ctx.today)?, Some(id))?;
            w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Update, fields: changes })
        })?;
        load(&self.conn, id)
    }

    /// Records a release, transfer, discharge or return to active.
    pub fn set_status(&mut self, ctx: &WriteCtx, id: ParticipantId, change: &StatusChange) -> Result<Participant> {
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            let current = load_for(w.tx(), w.who(), id, Permission::EditParticipants)?;
            let (status, date, note) = change.validate(current.admission_date, ctx.today)?;
            record_status(w, id, status, date, note, vec![])
        })?;
        load(&self.conn, id)
    }

    /// Deletes a participant as a tombstone: hidden everywhere, kept for sync and audit.
    pub fn delete_participant(&mut self, ctx: &WriteCtx, id: ParticipantId) -> Result<()> {
        self.change(ctx, Need::Role(Permission::DeleteParticipants), |w| {
            load_for(w.tx(), w.who(), id, Permission::DeleteParticipants)?;
            w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })
        })
    }

    /// Reads a part of a person's record (their contacts, check-ins, plan, timeline) with
    /// `read`: refused outside the reader's facilities, and written to the audit trail as a view
    /// of `what`, like opening the record.
    pub(crate) fn view_part<T>(&mut self, ctx: &WriteCtx, id: ParticipantId, what: &str, read: impl FnOnce(&Connection, &Session, &Participant) -> Result<T>) -> Result<T> {
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let found = load_for(w.tx(), w.who(), id, Permission::ViewParticipants)?;
            w.audit(Action::View, Some(Table::Participants.name()), Some(&id.to_string()), what)?;
            read(w.tx(), w.who(), &found)
        })
    }

    /// Opens a participant's record for a person to read: refused outside their facilities,
    /// and written to the audit trail.
    pub fn view_participant(&mut self, ctx: &WriteCtx, id: ParticipantId) -> Result<Participant> {
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let found = load_for(w.tx(), w.who(), id, Permission::ViewParticipants)?;
            w.audit(Action::View, Some(Table::Participants.name()), Some(&id.to_string()), "")?;
            Ok(found)
        })
    }
}
