//! One-on-one peer contacts: logging and correcting them, listing a person's, and opening a
//! sensitive note (audited each time). What a reader sees of a note is the session's rule
//! ([`Session::note_access`]), applied here to every row before it leaves the store.

use super::columns::date_col;
use super::participants::load_for;
use super::schema::Table;
use super::write::{set_words, text};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, NoteAccess, Permission, Session};
use crate::error::{Error, FieldError, Result, Said};
use crate::model::{
    billing_units, Contact, ContactInput, ContactKind, Custody, Dimension, Intercept, Note, Participant, ParticipantId, Setting, StaffId, SupportType,
};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use uuid::Uuid;

/// What the intercept and the date rules need of a person's custody, read with their record.
pub(crate) fn custody_of(conn: &Connection, p: &Participant) -> Result<Custody> {
    let supervised: bool = conn
        .prepare_cached(
            "SELECT count(*) > 0 FROM reentry_plans WHERE participant_id = ?1 AND deleted = 0
             AND (coalesce(supervision_conditions, '') <> '' OR first_report_date IS NOT NULL)",
        )?
        .query_row([p.id], |r| r.get(0))?;
    Ok(Custody {
        status: p.status,
        status_date: Some(p.status_date),
        release_date: p.release_date,
        admission_date: Some(p.admission_date),
        supervised,
    })
}

/// Refuses unless `staff` is in the staff directory of the person's facility: work is credited
/// only to someone who works there (`missing` says what to do when it is not).
pub(crate) fn peer_of(conn: &Connection, staff: Option<StaffId>, p: &Participant, missing: Said) -> Result<()> {
    let Some(staff) = staff else { return Err(Error::field("staff_id", missing.clone())) };
    let facility: Option<Option<String>> = conn.query_row("SELECT facility_id FROM staff WHERE id = ?1 AND deleted = 0", [staff], |r| r.get(0)).optional()?;
    match facility {
        None => Err(Error::field("staff_id", missing)),
        Some(f) if f.as_deref() != Some(p.facility_id.to_string().as_str()) => {
            Err(Error::field("staff_id", said!("that peer is not in the staff directory of {}", "ese par no está en el directorio del personal de {}", p.facility_name)))
        }
        Some(_) => Ok(()),
    }
}

/// The local date and time of `ctx`: the day is the one the context names.
fn local_now(ctx: &WriteCtx) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    let at = i64::try_from(ctx.now_ms).ok().and_then(|ms| chrono::Local.timestamp_millis_opt(ms).single()).map(|t| t.naive_local());
    // A context whose clock and calendar disagree (a test's fixed day) is taken at the day's end.
    at.filter(|t| t.date() == ctx.today).unwrap_or_else(|| ctx.today.and_time(chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()))
}

/// Each contact's words of `table`, by contact id, for the contacts of one participant (or the
/// one contact `only`).
fn words_of<W>(conn: &Connection, table: &str, column: &str, participant: ParticipantId, only: Option<&str>, parse: fn(&str) -> Option<W>) -> Result<HashMap<String, Vec<W>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.contact_id, t.{column} FROM {table} t JOIN contacts c ON c.id = t.contact_id
         WHERE c.participant_id = ?1 AND (?2 IS NULL OR c.id = ?2) AND c.deleted = 0 AND t.deleted = 0 ORDER BY t.{column}"
    ))?;
    let mut out: HashMap<String, Vec<W>> = HashMap::new();
    for row in stmt.query_map(rusqlite::params![participant, only], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (contact, word) = row?;
        if let Some(w) = parse(&word) {
            out.entry(contact).or_default().push(w);
        }
    }
    Ok(out)
}

/// Whether the session's account wrote the contact: it entered it, or it is the peer who gave it.
fn wrote(who: &Session, entered_by: Option<&str>, peer_username: Option<&str>) -> bool {
    entered_by == Some(who.username()) || peer_username == Some(who.username())
}

/// A participant's contacts (or their one contact `only`), newest first, each note shown as far
/// as `who` may read it.
pub(crate) fn load_contacts(conn: &Connection, who: &Session, participant: ParticipantId, only: Option<&str>) -> Result<Vec<Contact>> {
    let mut supports = words_of(conn, "contact_supports", "support_type", participant, only, SupportType::parse)?;
    let mut dimensions = words_of(conn, "contact_dimensions", "dimension", participant, only, Dimension::parse)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.participant_id, p.legal_name, c.staff_id, coalesce(s.name, '(not in the directory)'), c.date, coalesce(c.start_time, ''),
                c.minutes, c.setting, c.kind, c.intercept, c.note, c.sensitive, c.follow_up_on, coalesce(c.entered_by, ''), s.username
         FROM contacts c JOIN participants p ON p.id = c.participant_id LEFT JOIN staff s ON s.id = c.staff_id
         WHERE c.participant_id = ?1 AND (?2 IS NULL OR c.id = ?2) AND c.deleted = 0 ORDER BY c.date DESC, c.start_time DESC",
    )?;
    let rows = stmt.query_map(rusqlite::params![participant, only], |r| {
        let id: String = r.get(0)?;
        let note: Option<String> = r.get(11)?;
        let sensitive: bool = r.get(12)?;
        let entered_by: String = r.get(14)?;
        let peer_username: Option<String> = r.get(15)?;
        let note = match (note, who.note_access(sensitive, wrote(who, Some(&entered_by), peer_username.as_deref()))) {
            (None, _) => Note::None,
            (Some(text), NoteAccess::Read) => Note::Text(text),
            (Some(_), NoteAccess::OnRequest) => Note::Sensitive,
            (Some(_), NoteAccess::Withheld) => Note::Withheld,
        };
        let minutes: i64 = r.get(7)?;
        Ok(Contact {
            participant_id: r.get(1)?,
            participant_name: r.get(2)?,
            staff_id: r.get::<_, Option<StaffId>>(3)?.unwrap_or_else(|| StaffId::from_uuid(Uuid::nil())),
            staff_name: r.get(4)?,
            date: date_col(r.get(5)?).unwrap_or_default(),
            start_time: r.get(6)?,
            minutes,
            units: billing_units(minutes),
            setting: Setting::parse(&r.get::<_, String>(8)?).unwrap_or(Setting::HousingUnit),
            kind: ContactKind::parse(&r.get::<_, String>(9)?).unwrap_or(ContactKind::BriefCheckIn),
            intercept: Intercept::parse(&r.get::<_, String>(10)?).unwrap_or(Intercept::JailsAndCourts),
            note,
            sensitive,
            follow_up_on: date_col(r.get(13)?),
            entered_by,
            support_types: supports.remove(&id).unwrap_or_default(),
            dimensions: dimensions.remove(&id).unwrap_or_default(),
            id,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The contact `id` with its participant and whether the session's account wrote it.
fn contact_owner(conn: &Connection, who: &Session, id: Uuid) -> Result<(ParticipantId, bool, bool)> {
    conn.query_row(
        "SELECT c.participant_id, c.sensitive, c.entered_by, s.username FROM contacts c LEFT JOIN staff s ON s.id = c.staff_id WHERE c.id = ?1 AND c.deleted = 0",
        [id.to_string()],
        |r| {
            let entered_by: Option<String> = r.get(2)?;
            let peer: Option<String> = r.get(3)?;
            Ok((r.get::<_, ParticipantId>(0)?, r.get::<_, bool>(1)?, wrote(who, entered_by.as_deref(), peer.as_deref())))
        },
    )
    .optional()?
    .ok_or(Error::NotFound { what: "contact", id: id.to_string() })
}

impl Store {
    /// Logs a contact (`id` none) or corrects one. The peer must be in the staff directory,
    /// and the person in the session's facilities; only those who may open a contact's
    /// sensitive note (its writer, a coordinator) may correct it.
    pub fn save_contact(&mut self, ctx: &WriteCtx, id: Option<Uuid>, input: &ContactInput) -> Result<Contact> {
        let participant = crate::model::parse::record_id("participant", &input.participant_id).map(ParticipantId::from_uuid)?;
        let id = self.change(ctx, Need::Role(Permission::PeerWork), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::PeerWork)?;
            let v = input.validate(local_now(ctx), &custody_of(w.tx(), &p)?)?;
            peer_of(w.tx(), Some(v.staff_id), &p, said!("that peer is not in the staff directory: add them there first", "ese par no está en el directorio del personal: añádalo allí antes"))?;
            let (id, new) = w.own_or_new(Table::Contacts, id, participant, "contact")?;
            if !new {
                let (_, _, wrote_it) = contact_owner(w.tx(), w.who(), id)?;
                if w.who().note_access(true, wrote_it) != NoteAccess::OnRequest {
                    return Err(Error::Refused(said!("only the contact's writer or a coordinator may correct it", "solo quien escribió el contacto o un coordinador puede corregirlo")));
                }
            }
            let mut fields = vec![
                ("staff_id", Value::Text(v.staff_id.to_string())),
                ("date", Value::Text(v.date.to_string())),
                ("start_time", Value::Text(v.start_time.clone())),
                ("minutes", Value::Integer(v.minutes)),
                ("setting", Value::Text(v.setting.as_str().into())),
                ("kind", Value::Text(v.kind.as_str().into())),
                ("intercept", Value::Text(v.intercept.as_str().into())),
                ("note", text(v.note.clone())),
                ("sensitive", Value::Integer(i64::from(v.sensitive))),
                ("follow_up_on", text(v.follow_up_on.map(|d| d.to_string()))),
            ];
            if new {
                fields.push(("participant_id", Value::Text(participant.to_string())));
                fields.push(("entered_by", Value::Text(w.who().username().to_string())));
            }
            w.save(Table::Contacts, id, new, fields)?;
            let supports: Vec<&str> = v.support_types.iter().map(|s| s.as_str()).collect();
            set_words(w, Table::ContactSupports, ("contact_id", id), "support_type", SupportType::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().as_slice(), &supports)?;
            let dimensions: Vec<&str> = v.dimensions.iter().map(|d| d.as_str()).collect();
            set_words(w, Table::ContactDimensions, ("contact_id", id), "dimension", Dimension::IDS, &dimensions)?;
            Ok(id)
        })?;
        let who = self.session()?;
        let id = id.to_string();
        load_contacts(&self.conn, who, participant, Some(&id))?.pop().ok_or(Error::NotFound { what: "contact", id })
    }

    /// A participant's contacts, newest first; notes as far as the session may read them. The
    /// reading is audited.
    pub fn contacts(&mut self, ctx: &WriteCtx, participant: ParticipantId) -> Result<Vec<Contact>> {
        self.view_part(ctx, participant, "contacts", |conn, who, _| load_contacts(conn, who, participant, None))
    }

    /// Opens a contact's sensitive note for its writer or a coordinator, and records the
    /// opening in the audit trail; anyone else is refused, and the refusal is recorded too.
    pub fn open_contact_note(&mut self, ctx: &WriteCtx, contact: Uuid) -> Result<String> {
        let refused = self.change(ctx, Need::Role(Permission::ViewParticipants), |w| {
            let (participant, sensitive, wrote_it) = contact_owner(w.tx(), w.who(), contact)?;
            load_for(w.tx(), w.who(), participant, Permission::ViewParticipants)?;
            let allowed = w.who().note_access(true, wrote_it) == NoteAccess::OnRequest || (!sensitive && w.who().note_access(false, wrote_it) == NoteAccess::Read);
            let detail = if allowed { "opened the contact's note" } else { "was refused the contact's note" };
            w.audit(Action::View, Some(Table::Contacts.name()), Some(&contact.to_string()), detail)?;
            if !allowed {
                return Ok(Err(Error::Refused(said!("this note is read only by its writer and by coordinators", "esta nota solo la leen quien la escribió y los coordinadores"))));
            }
            let note: Option<String> = w.tx().query_row("SELECT note FROM contacts WHERE id = ?1", [contact.to_string()], |r| r.get(0))?;
            Ok(Ok(note.unwrap_or_default()))
        })?;
        refused
    }

    /// Puts a participant on a peer's caseload, or takes them off it (`peer` none).
    pub fn assign_peer(&mut self, ctx: &WriteCtx, participant: ParticipantId, peer: Option<StaffId>) -> Result<Participant> {
        self.change(ctx, Need::Role(Permission::EditParticipants), |w| {
            let p = load_for(w.tx(), w.who(), participant, Permission::EditParticipants)?;
            if let Some(peer) = peer {
                peer_of(w.tx(), Some(peer), &p, said!("that peer is not in the staff directory", "ese par no está en el directorio del personal")).map_err(|e| match e {
                    Error::Validation(mut f) => Error::Validation(f.pop().map(|f| FieldError { field: "peer_id", ..f }).into_iter().collect()),
                    other => other,
                })?;
            }
            w.save(Table::Participants, participant.uuid(), false, vec![("peer_id", text(peer.map(|s| s.to_string())))])
        })?;
        super::participants::load(&self.conn, participant)
    }
}
