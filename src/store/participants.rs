//! Participants: enrolment, edits, status changes, tombstones, the roster and search.

use super::write::{text, RecordChange, Table, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Permission, Scope};
use crate::error::{Error, FieldError, Result};
use crate::model::{
    DuplicateCandidate, DuplicateCheck, Enrolment, Participant, ParticipantId, ParticipantInput, RosterFilter, RosterPage,
    RosterRow, SearchResult, Status, StatusChange, ValidParticipant,
};
use crate::text::{clean_line, fold, prefix_query, words};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

const ROW_COLUMNS: &str = "p.id, p.legal_name, p.preferred_name, p.facility_number, coalesce(f.code, ''), u.name, \
     p.dob, p.status, p.release_date";
const ROW_JOINS: &str = "LEFT JOIN facilities f ON f.id = p.facility_id LEFT JOIN locations u ON u.id = p.unit_id";

/// The most rows one roster page may ask for.
pub const MAX_PAGE: u64 = 500;

fn roster_row(r: &Row<'_>) -> rusqlite::Result<RosterRow> {
    Ok(RosterRow {
        id: r.get(0)?,
        legal_name: r.get(1)?,
        preferred_name: r.get(2)?,
        facility_number: r.get(3)?,
        facility_code: r.get(4)?,
        unit_name: r.get(5)?,
        dob: r.get(6)?,
        status: status_column(r, 7)?,
        release_date: r.get(8)?,
    })
}

fn status_column(r: &Row<'_>, i: usize) -> rusqlite::Result<Status> {
    let s: String = r.get(i)?;
    Status::parse(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(i, s, rusqlite::types::Type::Text))
}

/// The WHERE clause (over `p`) and its arguments for a roster filter; its placeholders are
/// numbered from `first`, after the arguments the caller puts before them.
/// The account's facility scope is always part of it, so no query shows anyone outside it.
fn filter_sql(filter: &RosterFilter, scope: &Scope, first: usize) -> (String, Vec<Value>) {
    let mut clauses = vec!["p.deleted = 0".to_string()];
    let mut args: Vec<Value> = Vec::new();
    let mut add = |clause: &str, value: String| {
        clauses.push(clause.replace('?', &format!("?{}", first + args.len())));
        args.push(Value::Text(value));
    };
    if let Scope::Facilities(ids) = scope {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        add("p.facility_id IN (SELECT value FROM json_each(?))", serde_json::to_string(&ids).unwrap_or_default());
    }
    if let Some(f) = filter.facility_id {
        add("p.facility_id = ?", f.to_string());
    }
    if let Some(u) = filter.unit_id {
        add("p.unit_id = ?", u.to_string());
    }
    if let Some(s) = filter.status {
        add("p.status = ?", s.as_str().to_string());
    }
    if let Some(d) = filter.release_from {
        add("p.release_date >= ?", d.to_string());
    }
    if let Some(d) = filter.release_to {
        add("p.release_date <= ?", d.to_string());
    }
    (clauses.join(" AND "), args)
}

/// The synced fields of a participant, in the order they are journalled.
fn fields_of(v: &ValidParticipant) -> Vec<(&'static str, Value)> {
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
fn check_in_store(conn: &Connection, v: &ValidParticipant, this: Option<ParticipantId>) -> Result<()> {
    let mut errors = Vec::new();
    let facility: Option<String> = conn
        .query_row("SELECT name FROM facilities WHERE id = ?1 AND deleted = 0", [v.facility_id], |r| r.get(0))
        .optional()?;
    match &facility {
        None => errors.push(FieldError::new("facility_id", "that facility does not exist")),
        Some(name) => {
            if let Some(unit) = v.unit_id {
                let ok: bool = conn.query_row(
                    "SELECT count(*) > 0 FROM locations WHERE id = ?1 AND facility_id = ?2 AND kind = 'unit' AND deleted = 0",
                    params![unit, v.facility_id],
                    |r| r.get(0),
                )?;
                if !ok {
                    errors.push(FieldError::new("unit_id", format!("that housing unit is not in {name}")));
                }
            }
        }
    }
    let holder: Option<String> = conn
        .query_row(
            "SELECT legal_name FROM participants
             WHERE facility_number = ?1 AND facility_id = ?2 AND deleted = 0 AND id IS NOT ?3",
            params![v.facility_number, v.facility_id, this],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(holder) = holder {
        errors.push(FieldError::new(
            "facility_number",
            format!("facility number {} is already used by {holder} in this facility", v.facility_number),
        ));
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
                p.status_note, coalesce(p.language, 'English'), p.notes
         FROM participants p LEFT JOIN facilities f ON f.id = p.facility_id LEFT JOIN locations u ON u.id = p.unit_id
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
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound { what: "participant", id: id.to_string() })
}

impl Store {
    /// Enrols a person as the app and the CLI do: fields are checked first, then, unless the
    /// person enrolling has confirmed it is someone new, possible duplicates are returned and
    /// nothing is saved.
    pub fn enroll_checked(&mut self, ctx: &WriteCtx, input: &ParticipantInput, check: DuplicateCheck) -> Result<Enrolment> {
        let v = input.validate(ctx.today)?;
        self.allowed(Permission::EnrollParticipants, Some(v.facility_id))?;
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
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let mut ids = Vec::with_capacity(inputs.len());
        for input in inputs {
            let v = input.validate(ctx.today)?;
            who.require(Permission::EnrollParticipants, Some(v.facility_id))?;
            check_in_store(w.tx(), &v, None)?;
            let id = ParticipantId::from_uuid(ctx.new_uuid());
            let mut fields: Vec<(&'static str, Value)> =
                fields_of(&v).into_iter().filter(|(_, value)| *value != Value::Null).collect();
            fields.push(("status", Value::Text(Status::Active.as_str().into())));
            fields.push(("status_date", Value::Text(v.admission_date.to_string())));
            w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Create, fields })?;
            ids.push(id);
        }
        w.commit()?;
        Ok(ids)
    }

    /// Saves an edit. `original` is the record as the form first showed it: only fields the
    /// person changed are written, and a field someone else changed meanwhile is refused
    /// rather than overwritten, so neither edit is lost.
    pub fn update_participant(
        &mut self,
        ctx: &WriteCtx,
        id: ParticipantId,
        original: &ParticipantInput,
        edited: &ParticipantInput,
    ) -> Result<Participant> {
        let v = edited.validate(ctx.today)?;
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let current = load(w.tx(), id)?;
        who.require(Permission::EditParticipants, Some(current.facility_id))?;
        who.require(Permission::EditParticipants, Some(v.facility_id))?;
        let current_fields = fields_of(&current.fields());
        let edited_fields = fields_of(&v);
        // An original that no longer passes today's rules gives no base to compare with: every
        // field that differs from the stored record is then written.
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
                clashes.push(FieldError::new(
                    field,
                    "someone else changed this field while you were editing: reopen the record to see their change",
                ));
            } else {
                changes.push((field, new_value));
            }
        }
        if !clashes.is_empty() {
            return Err(Error::Validation(clashes));
        }
        // What will be stored is the current record with this person's changes; that, not the
        // form alone, must pass every rule (someone else may have moved the admission date).
        let mut merged = current.to_input();
        for (field, _) in &changes {
            merged.copy_field(field, edited);
        }
        check_in_store(w.tx(), &merged.validate(ctx.today)?, Some(id))?;
        w.write(&RecordChange { table: Table::Participants, id: id.uuid(), action: Action::Update, fields: changes })?;
        w.commit()?;
        load(&self.conn, id)
    }

    /// Records a release, transfer, discharge or return to active.
    pub fn set_status(&mut self, ctx: &WriteCtx, id: ParticipantId, change: &StatusChange) -> Result<Participant> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let current = load(w.tx(), id)?;
        who.require(Permission::EditParticipants, Some(current.facility_id))?;
        let (status, date, note) = change.validate(current.admission_date, ctx.today)?;
        w.write(&RecordChange {
            table: Table::Participants,
            id: id.uuid(),
            action: Action::Update,
            fields: vec![
                ("status", Value::Text(status.as_str().into())),
                ("status_date", Value::Text(date.to_string())),
                ("status_note", text(note)),
            ],
        })?;
        w.commit()?;
        load(&self.conn, id)
    }

    /// Deletes a participant as a tombstone: hidden everywhere, kept for sync and audit.
    pub fn delete_participant(&mut self, ctx: &WriteCtx, id: ParticipantId) -> Result<()> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let mut w = Writer::begin(&mut self.conn, ctx, who)?;
        let current = load(w.tx(), id)?;
        who.require(Permission::DeleteParticipants, Some(current.facility_id))?;
        w.write(&RecordChange {
            table: Table::Participants,
            id: id.uuid(),
            action: Action::Delete,
            fields: vec![("deleted", Value::Integer(1))],
        })?;
        w.commit()
    }

    /// Opens a participant's record for a person to read: refused outside their facilities,
    /// and written to the audit trail.
    pub fn view_participant(&mut self, ctx: &WriteCtx, id: ParticipantId) -> Result<Participant> {
        let who = self.who.as_ref().ok_or(Error::NotSignedIn)?;
        let w = Writer::begin(&mut self.conn, ctx, who)?;
        let found = load(w.tx(), id)?;
        who.require(Permission::ViewParticipants, Some(found.facility_id))?;
        w.audit(Action::View, Some(Table::Participants.name()), Some(&id.to_string()), "")?;
        w.commit()?;
        Ok(found)
    }

    /// One page of the roster in name order, with the total the filter matches.
    pub fn roster_page(&self, filter: &RosterFilter, offset: u64, limit: u64) -> Result<RosterPage> {
        let scope = &self.allowed(Permission::ViewParticipants, None)?.scope;
        let (clause, args) = filter_sql(filter, scope, 1);
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM participants p WHERE {clause}"),
            params_from_iter(args),
            |r| r.get(0),
        )?;
        let total = total.max(0) as u64;
        let limit = limit.min(MAX_PAGE).min(total.saturating_sub(offset));
        // An OFFSET walks the index from its start, so a page in the second half of the list is
        // read backwards from the end instead: the End key costs what Home costs.
        let from_end = offset.saturating_mul(2) > total;
        let (skip, direction) = if from_end { (total.saturating_sub(offset).saturating_sub(limit), "DESC") } else { (offset, "ASC") };
        let (clause, args) = filter_sql(filter, scope, 3);
        let mut all_args = vec![Value::Integer(limit as i64), Value::Integer(skip.min(i64::MAX as u64) as i64)];
        all_args.extend(args);
        // The page's ids come from the index alone; only those rows are then read and joined.
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM (SELECT p.id FROM participants p WHERE {clause}
                 ORDER BY p.sort_name {direction}, p.id {direction} LIMIT ?1 OFFSET ?2) page
             JOIN participants p ON p.id = page.id {ROW_JOINS} ORDER BY p.sort_name, p.id"
        );
        let rows = self.conn.prepare_cached(&sql)?.query_map(params_from_iter(all_args), roster_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(RosterPage { total, offset, rows })
    }

    /// Search-as-you-type over names and numbers: every typed word must begin a word of the
    /// legal name, preferred name or facility number, ignoring case and accents. An exact
    /// facility number comes first; the rest are in name order.
    pub fn search(&self, typed: &str, filter: &RosterFilter, limit: u64) -> Result<SearchResult> {
        let Some(query) = prefix_query(typed) else {
            return Ok(SearchResult { rows: vec![], more: false });
        };
        let scope = &self.allowed(Permission::ViewParticipants, None)?.scope;
        let limit = limit.clamp(1, MAX_PAGE);
        let (clause, args) = filter_sql(filter, scope, 3);
        let mut all_args = vec![Value::Text(query), Value::Integer(limit as i64 + 1)];
        all_args.extend(args);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM participants_fts JOIN participants p ON p.rowid = participants_fts.rowid {ROW_JOINS}
             WHERE participants_fts MATCH ?1 AND {clause} LIMIT ?2",
        );
        let mut rows: Vec<RosterRow> =
            self.conn.prepare_cached(&sql)?.query_map(params_from_iter(all_args), roster_row)?.collect::<rusqlite::Result<_>>()?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let exact = clean_line(typed).to_uppercase();
        rows.sort_by_cached_key(|r| (r.facility_number != exact, fold(&r.legal_name), r.id));
        Ok(SearchResult { rows, more })
    }

    /// Existing records that may be the person in `input`: the same facility number anywhere,
    /// or the same date of birth with a similar name, within the facilities this person may see.
    /// `this` leaves out the record being edited.
    pub fn possible_duplicates(&self, input: &ParticipantInput, this: Option<ParticipantId>) -> Result<Vec<DuplicateCandidate>> {
        let who = self.allowed(Permission::ViewParticipants, None)?;
        let visible = |row: &RosterRow| match &who.scope {
            Scope::All => true,
            Scope::Facilities(_) => self.conn.query_row("SELECT facility_id FROM participants WHERE id = ?1", [row.id], |r| r.get(0)).is_ok_and(|f| who.scope.covers(f)),
        };
        let mut found: Vec<DuplicateCandidate> = Vec::new();
        let number = clean_line(&input.facility_number).to_uppercase();
        if !number.is_empty() {
            let sql = format!("SELECT {ROW_COLUMNS} FROM participants p {ROW_JOINS} WHERE p.facility_number = ?1 AND p.deleted = 0 AND p.id IS NOT ?2 LIMIT 20");
            for row in self.conn.prepare_cached(&sql)?.query_map(params![number, this], roster_row)? {
                let row = row?;
                if !visible(&row) {
                    continue;
                }
                let reason = format!("same facility number {} at {}", row.facility_number, row.facility_code);
                found.push(DuplicateCandidate { row, reason });
            }
        }
        let typed = words(&input.legal_name);
        if let (Ok(dob), false) = (NaiveDate::parse_from_str(input.dob.trim(), "%Y-%m-%d"), typed.is_empty()) {
            let sql = format!("SELECT {ROW_COLUMNS} FROM participants p {ROW_JOINS} WHERE p.dob = ?1 AND p.deleted = 0 AND p.id IS NOT ?2 LIMIT 200");
            for row in self.conn.prepare_cached(&sql)?.query_map(params![dob, this], roster_row)? {
                let row = row?;
                let theirs = words(&format!("{} {}", row.legal_name, row.preferred_name.as_deref().unwrap_or("")));
                let shared = typed.iter().filter(|w| theirs.contains(w)).count();
                if shared >= typed.len().min(2) && !found.iter().any(|c| c.row.id == row.id) && visible(&row) {
                    found.push(DuplicateCandidate { row, reason: "same date of birth and a similar name".into() });
                }
            }
        }
        Ok(found)
    }
}
