//! Transfers between the program's facilities (ADR 24): asked for by the facility holding the
//! person, carried to the receiving site in an ordinary bundle, marked delivered when that
//! site's receipt shows it holds the request, and answered there. Accepting moves the person's
//! record (with everything hanging from it) to the receiving facility.

use super::columns::{date_col, uuid_col};
use super::participants::{check_in_store, load, load_for, record_status};
use super::schema::Table;
use super::scope::within;
use super::write::{read_clocks, text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result, Said};
use crate::model::{Facility, FacilityId, Outcome, ParticipantId, Status, Transfer, TransferAnswer, TransferInput, TransferReply, TransferState};
use chrono::{Days, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

const SELECT: &str = "SELECT t.id, t.participant_id, p.legal_name, p.dob, p.facility_number, t.from_facility_id, coalesce(ff.name, ''), t.to_facility_id,
        coalesce(tf.name, ''), t.requested_on, coalesce(t.requested_by, ''), coalesce(t.reason, ''), t.delivered_on, t.delivered_to, t.answer,
        t.answered_on, t.answered_by, t.answer_note, p.facility_id
    FROM transfers t JOIN participants p ON p.id = t.participant_id AND p.deleted = 0
         LEFT JOIN facilities ff ON ff.id = t.from_facility_id LEFT JOIN facilities tf ON tf.id = t.to_facility_id";

/// How many days an answered transfer stays on the facilities' list; the person's page keeps
/// every one.
const ANSWERED_LISTED_DAYS: u64 = 30;

/// The transfers `sql` selects, each with whether the reader covers the facility holding the
/// person now. Someone the reader cannot otherwise see shows with their birth date and number
/// only while their transfer waits (to tell who is coming); once it is answered, by name.
fn read_listed(conn: &Connection, who: &Session, sql: &str, args: &[Value]) -> Result<Vec<(Transfer, bool)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let answer = r.get::<_, Option<String>>(14)?.as_deref().and_then(TransferAnswer::parse);
        let delivered_on = date_col(r.get(12)?);
        let state = TransferState::of(answer, delivered_on.is_some());
        let from: FacilityId = r.get(5)?;
        let to: FacilityId = r.get(7)?;
        let may = |f: FacilityId| state.is_open() && who.require(Permission::TransferParticipants, Some(f)).is_ok();
        let sees_record = who.scope().covers(r.get::<_, FacilityId>(18)?);
        let identified = sees_record || state.is_open();
        let transfer = Transfer {
            id: uuid_col(r.get(0)?).unwrap_or_default(),
            participant_id: r.get(1)?,
            name: r.get(2)?,
            dob: date_col(r.get(3)?).filter(|_| identified),
            facility_number: if identified { r.get(4)? } else { String::new() },
            from_facility_id: from,
            from_facility: r.get(6)?,
            to_facility_id: to,
            to_facility: r.get(8)?,
            requested_on: date_col(r.get(9)?).unwrap_or_default(),
            requested_by: r.get(10)?,
            reason: r.get(11)?,
            state,
            delivered_on,
            delivered_to: r.get(13)?,
            answered_on: date_col(r.get(15)?),
            answered_by: r.get(16)?,
            answer_note: r.get(17)?,
            open: state.is_open(),
            incoming: who.scope().covers(to) && (!who.scope().covers(from) || may(to)),
            may_answer: may(to),
            may_cancel: may(from),
        };
        Ok((transfer, sees_record))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read_rows(conn: &Connection, who: &Session, sql: &str, args: &[Value]) -> Result<Vec<Transfer>> {
    Ok(read_listed(conn, who, sql, args)?.into_iter().map(|(t, _)| t).collect())
}

/// The transfer `id` as the reader may know it: one from or to a facility of theirs, else
/// "not found" (another facility's moves are not theirs to learn of).
fn visible(conn: &Connection, who: &Session, id: Uuid) -> Result<Transfer> {
    read_rows(conn, who, &format!("{SELECT} WHERE t.id = ?1 AND t.deleted = 0"), &[Value::Text(id.to_string())])?
        .into_iter()
        .find(|t| who.scope().covers(t.from_facility_id) || who.scope().covers(t.to_facility_id))
        .ok_or(Error::NotFound { what: "transfer", id: id.to_string() })
}

/// Ends the person's open programs at the facility they leave (and those kept before episodes
/// named a facility), the day before they arrive, so an episode of the same kind may start at
/// the receiving facility on the day itself; never before a phase already recorded.
fn end_episodes_on_leaving(w: &mut Writer<'_>, participant: ParticipantId, left: FacilityId, arrival: NaiveDate, to_name: &str) -> Result<()> {
    let open: Vec<(String, Option<String>, Option<String>)> = w
        .tx()
        .prepare_cached(
            "SELECT e.id, e.start_date, (SELECT max(h.date) FROM episode_phases h WHERE h.episode_id = e.id AND h.deleted = 0)
             FROM program_episodes e INDEXED BY program_episodes_participant
             WHERE e.participant_id = ?1 AND e.deleted = 0 AND e.end_date IS NULL AND (e.facility_id = ?2 OR e.facility_id IS NULL)",
        )?
        .query_map(rusqlite::params![participant, left], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, start, last_phase) in open {
        let start = date_col(start).unwrap_or(arrival);
        let last_day = arrival.checked_sub_days(Days::new(1)).unwrap_or(arrival).max(start).max(date_col(last_phase).unwrap_or(start));
        let fields = vec![
            ("end_date", Value::Text(last_day.to_string())),
            ("outcome", Value::Text(Outcome::Transferred.as_str().into())),
            ("exit_note", Value::Text(format!("Transferred to {to_name}"))),
        ];
        let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound { what: "program episode", id })?;
        w.save(Table::ProgramEpisodes, id, false, fields)?;
    }
    Ok(())
}

/// Takes the person out of the groups of the facility they leave; their attendance stays.
fn leave_groups(w: &mut Writer<'_>, participant: ParticipantId, from: FacilityId) -> Result<()> {
    let memberships: Vec<String> = w
        .tx()
        .prepare_cached("SELECT m.id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.participant_id = ?1 AND m.deleted = 0 AND g.facility_id = ?2")?
        .query_map(rusqlite::params![participant, from], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in memberships {
        let id = Uuid::parse_str(&id).map_err(|_| Error::NotFound { what: "group membership", id })?;
        w.write(&RecordChange { table: Table::GroupMembers, id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })?;
    }
    Ok(())
}

/// Moves the person to the receiving facility on `arrival`, under `number` when given.
fn move_person(w: &mut Writer<'_>, t: &Transfer, arrival: NaiveDate, number: Option<String>) -> Result<()> {
    let person = load(w.tx(), t.participant_id)?;
    if person.facility_id != t.from_facility_id {
        return Err(Error::Refused(said!(
            "the record now shows the person at {}, not {}: this transfer no longer fits; decline it",
            "el expediente muestra ahora a la persona en {}, no en {}: este traslado ya no corresponde; recházelo",
            person.facility_name,
            t.from_facility
        )));
    }
    if person.status != Status::Active {
        let (label, on) = (person.status.label().to_lowercase(), person.status_date);
        return Err(Error::Refused(Said {
            en: format!("the record shows the person {label} on {on}: only someone held in the program can be taken in; decline it"),
            es: format!("el expediente muestra a la persona {} desde el {on}: solo se puede recibir a alguien que está en el programa; recházelo", person.status.spanish()),
        }));
    }
    let mut input = person.to_input();
    input.facility_id = t.to_facility_id.to_string();
    input.unit_id = String::new();
    if let Some(number) = &number {
        input.facility_number.clone_from(number);
    }
    let moved = input.validate(w.ctx().today)?;
    check_in_store(w.tx(), &moved, Some(t.participant_id))?;
    end_episodes_on_leaving(w, t.participant_id, t.from_facility_id, arrival, &t.to_facility)?;
    leave_groups(w, t.participant_id, t.from_facility_id)?;
    // The housing, the cell, the peer and the roster source were the other facility's.
    let also = vec![
        ("facility_id", Value::Text(t.to_facility_id.to_string())),
        ("facility_number", Value::Text(moved.facility_number)),
        ("unit_id", Value::Null),
        ("cell", Value::Null),
        ("peer_id", Value::Null),
        ("roster_source_id", Value::Null),
    ];
    let note = format!("Transferred from {} to {}", t.from_facility, t.to_facility);
    record_status(w, t.participant_id, Status::Active, arrival, Some(note), also)
}

impl Store {
    /// Asks for the person to move to another facility of the program. Nothing about them
    /// changes until the receiving facility accepts.
    pub fn request_transfer(&mut self, ctx: &WriteCtx, participant: ParticipantId, input: &TransferInput) -> Result<Transfer> {
        self.change(ctx, Need::Role(Permission::TransferParticipants), |w| {
            let person = load_for(w.tx(), w.who(), participant, Permission::TransferParticipants)?;
            if person.status != Status::Active {
                return Err(Error::Refused(Said {
                    en: format!("only someone held in the program can be transferred: this record shows the person {}", person.status.label().to_lowercase()),
                    es: format!("solo se puede trasladar a alguien que está en el programa: este expediente muestra a la persona {}", person.status.spanish()),
                }));
            }
            let (to, reason) = input.validate(person.facility_id)?;
            let exists = w.tx().prepare_cached("SELECT 1 FROM facilities WHERE id = ?1 AND deleted = 0")?.exists([to])?;
            if !exists {
                return Err(Error::field("to_facility_id", said!("that facility does not exist", "ese centro no existe")));
            }
            if let Some(to_name) = waiting_transfer_to(w.tx(), participant)? {
                return Err(Error::Refused(said!(
                    "a transfer to {to_name} already waits for an answer: cancel it before asking for another",
                    "un traslado a {to_name} ya espera respuesta: cancélelo antes de pedir otro"
                )));
            }
            let id = ctx.new_uuid();
            let fields = vec![
                ("participant_id", Value::Text(participant.to_string())),
                ("from_facility_id", Value::Text(person.facility_id.to_string())),
                ("to_facility_id", Value::Text(to.to_string())),
                ("requested_on", Value::Text(ctx.today.to_string())),
                ("requested_by", Value::Text(w.who().display_name().to_string())),
                ("reason", Value::Text(reason)),
            ];
            w.write(&RecordChange { table: Table::Transfers, id, action: Action::Create, fields })?;
            visible(w.tx(), w.who(), id)
        })
    }

    /// Every facility of the program a person may be transferred to, whichever the reader covers.
    pub fn transfer_destinations(&self) -> Result<Vec<Facility>> {
        self.allowed(Need::Role(Permission::TransferParticipants))?;
        let rows = self
            .conn
            .prepare_cached("SELECT id, name, code FROM facilities WHERE deleted = 0 ORDER BY name, id")?
            .query_map([], |r| Ok(Facility { id: r.get(0)?, name: r.get(1)?, code: r.get(2)?, units: vec![], rooms: vec![] }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The person's transfers, the latest first, as their page shows them.
    pub fn transfers_of(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Vec<Transfer>> {
        self.view_part(ctx, participant, "transfers", |conn, who, _| {
            read_rows(conn, who, &format!("{SELECT} WHERE t.participant_id = ?1 AND t.deleted = 0 ORDER BY t.requested_on DESC, t.id DESC"), &[Value::Text(participant.to_string())])
        })
    }

    /// The transfers from or to the reader's facilities: every one waiting, then those answered
    /// in the last 30 days, the latest first. Each person held at a facility the reader does not
    /// cover is audited as a view of their record.
    pub fn transfers(&mut self, ctx: &WriteCtx) -> Result<Vec<Transfer>> {
        self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let (from_in, from_arg) = within(w.who().scope(), "t.from_facility_id", 1);
            let (to_in, to_arg) = within(w.who().scope(), "t.to_facility_id", 2);
            let since = ctx.today.checked_sub_days(Days::new(ANSWERED_LISTED_DAYS)).unwrap_or(ctx.today);
            let sql = format!(
                "{SELECT} WHERE t.deleted = 0 AND ({from_in} OR {to_in}) AND (t.answer IS NULL OR t.answered_on >= ?3)
                 ORDER BY t.answer IS NOT NULL, t.requested_on DESC, t.id DESC"
            );
            let args = [from_arg.unwrap_or(Value::Null), to_arg.unwrap_or(Value::Null), Value::Text(since.to_string())];
            let listed = read_listed(w.tx(), w.who(), &sql, &args)?;
            for (t, _) in listed.iter().filter(|(_, sees_record)| !sees_record) {
                let what = if t.state.is_open() { "incoming transfer" } else { "answered transfer" };
                w.audit(Action::View, Some(Table::Participants.name()), Some(&t.participant_id.to_string()), what)?;
            }
            Ok(listed.into_iter().map(|(t, _)| t).collect())
        })
    }

    /// Accepts, declines or cancels a transfer that waits. The receiving facility accepts (the
    /// person moves, on the day they arrived) or declines; the sending facility cancels.
    pub fn answer_transfer(&mut self, ctx: &WriteCtx, id: Uuid, reply: &TransferReply) -> Result<Transfer> {
        self.change(ctx, Need::Role(Permission::TransferParticipants), |w| {
            let t = visible(w.tx(), w.who(), id)?;
            if !t.state.is_open() {
                let by = t.answered_by.clone().unwrap_or_default();
                let on = t.answered_on.map(|d| d.to_string()).unwrap_or_default();
                return Err(Error::Refused(Said {
                    en: format!("this transfer was already answered: {} by {by} on {on}", t.state.label().to_lowercase()),
                    es: format!("este traslado ya tiene respuesta: {} por {by} el {on}", t.state.spanish()),
                }));
            }
            let v = reply.validate(t.requested_on, ctx.today)?;
            let answering_from = if v.answer == TransferAnswer::Cancelled { t.from_facility_id } else { t.to_facility_id };
            w.require(Permission::TransferParticipants, answering_from)?;
            if v.answer == TransferAnswer::Accepted {
                move_person(w, &t, v.date, v.number)?;
            }
            let fields = vec![
                ("answer", Value::Text(v.answer.as_str().into())),
                ("answered_on", Value::Text(ctx.today.to_string())),
                ("answered_by", Value::Text(w.who().display_name().to_string())),
                ("answer_note", text(v.note)),
            ];
            w.write(&RecordChange { table: Table::Transfers, id, action: Action::Update, fields })?;
            visible(w.tx(), w.who(), id)
        })
    }
}

/// The facility a transfer of `participant` waits to go to, if one waits.
pub(crate) fn waiting_transfer_to(conn: &Connection, participant: ParticipantId) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(f.name, '') FROM transfers t LEFT JOIN facilities f ON f.id = t.to_facility_id
             WHERE t.participant_id = ?1 AND t.deleted = 0 AND t.answer IS NULL",
        )?
        .query_row([participant], |r| r.get(0))
        .optional()?)
}

/// Marks delivered the transfers asked for here that a receipt from `site_name` shows it
/// holds: those whose request this site wrote at or before `holds`, the newest of this site's
/// changes the receipt says the other site has.
pub(crate) fn deliver_by_receipt(w: &mut Writer<'_>, holds: i64, site_name: &str) -> Result<u64> {
    let me = w.origin()?.no;
    let waiting: Vec<String> = w
        .tx()
        .prepare_cached("SELECT id FROM transfers WHERE deleted = 0 AND answer IS NULL AND delivered_on IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut delivered = 0;
    for id in waiting {
        let Ok(id) = Uuid::parse_str(&id) else { continue };
        let clocks = read_clocks(w.tx(), Table::Transfers, id.as_bytes())?;
        let request = clocks.0.get("to_facility_id").filter(|(_, site)| *site == me);
        if request.is_some_and(|(hlc, _)| *hlc <= holds) {
            let today = w.ctx().today.to_string();
            w.save(Table::Transfers, id, false, vec![("delivered_on", Value::Text(today)), ("delivered_to", Value::Text(site_name.to_string()))])?;
            delivered += 1;
        }
    }
    Ok(delivered)
}
