//! Peer staff records: what the directory entry grows into, credentials and the continuing
//! education that renews them, the supervision log, and who is due what. A coordinator keeps
//! the records of the staff in their facilities; anyone else reaches their own record and, as a
//! supervisor, their supervisees' ([`StaffReach`](crate::model::StaffReach)).

use super::caseload::own_staff_id;
use super::columns::date_col;
use super::schema::Table;
use super::staff::{staff_names, staff_row};
use super::write::{set_words, text, RecordChange, Writer};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result};
use crate::model::{
    ce_progress, expiry, staff_warnings, supervision_due, Cadence, CeEntry, Evaluation, CeHoursInput, CeTopic, Credential, CredentialInput, CredentialKind,
    EmployerKind, FacilityId, PeerRole, Renewal, StaffDue, StaffId, StaffRecord, StaffRecordInput, StaffRef, SupervisionDue, SupervisionFunction,
    SupervisionInput, SupervisionSession, SupervisionSetting, StaffReach as Reach,
};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

/// What the store needs of a staff record to decide who reaches it.
struct Holder {
    facility: Option<FacilityId>,
    supervisor: Option<StaffId>,
}

fn holder(conn: &Connection, staff: StaffId) -> Result<Holder> {
    conn.prepare_cached("SELECT facility_id, supervisor_id FROM staff WHERE id = ?1 AND deleted = 0")?
        .query_row([staff], |r| Ok(Holder { facility: r.get(0)?, supervisor: r.get(1)? }))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "staff member", id: staff.to_string() })
}

/// How far `who` reaches into `staff`'s record; a refusal when not at all. A coordinator keeps
/// the records of their facilities; the person themselves and their supervisor come next.
pub(crate) fn reach(conn: &Connection, who: &Session, staff: StaffId) -> Result<Reach> {
    reach_as(conn, who, own_staff_id(conn, who)?, staff)
}

/// [`reach`], for someone whose own staff record (`own`) is already known.
pub(crate) fn reach_as(conn: &Connection, who: &Session, own: Option<StaffId>, staff: StaffId) -> Result<Reach> {
    if who.must_change_password {
        return Err(Error::PasswordChangeRequired);
    }
    let h = holder(conn, staff)?;
    let kept = match h.facility {
        Some(f) => who.require(Permission::KeepStaffRecords, Some(f)),
        None => who.check(Need::Everywhere(Permission::KeepStaffRecords)),
    };
    let Err(refusal) = kept else { return Ok(Reach::Keeper) };
    if own == Some(staff) {
        return Ok(Reach::Own);
    }
    if own.is_some() && h.supervisor == own {
        return Ok(Reach::Supervisor);
    }
    Err(refusal)
}

/// Whether `e` refuses the person (their role, their facilities) rather than reporting a fault.
pub(crate) fn is_refusal(e: &Error) -> bool {
    matches!(e, Error::Forbidden(_) | Error::OutOfScope(_) | Error::NotEverywhere(_))
}

/// When `staff`'s supervision is next due at `cadence` (as stored) from `started`, given the
/// last session they received.
fn supervision_of(conn: &Connection, staff: StaffId, cadence: &str, started: Option<NaiveDate>, today: NaiveDate) -> Result<Option<SupervisionDue>> {
    let cadence = Cadence::parse(cadence).unwrap_or(Cadence::NotRequired);
    Ok(supervision_due(cadence, last_supervised(conn, staff)?, started, today))
}

pub(crate) fn staff_ref(conn: &Connection, id: StaffId) -> Result<StaffRef> {
    Ok(StaffRef { id, name: staff_names(conn, &[id])?.into_iter().next().unwrap_or_default() })
}

/// The live words of `table` (a `parent` column, a `word` column) for one record.
fn words(conn: &Connection, table: &str, parent: &str, word: &str, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {word} FROM {table} WHERE {parent} = ?1 AND deleted = 0 ORDER BY {word}"))?;
    let rows = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn ledger(conn: &Connection, staff: StaffId) -> Result<Vec<CeEntry>> {
    let mut stmt = conn.prepare_cached("SELECT id, date, coalesce(hours, 0), topic, title, provider FROM ce_hours WHERE staff_id = ?1 AND deleted = 0 ORDER BY date DESC, title")?;
    let rows = stmt.query_map([staff], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?, r.get(5)?)))?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, date, hours, topic, title, provider) = row?;
        let Some(date) = date_col(date) else { continue };
        entries.push(CeEntry { id, date, hours, topic: CeTopic::parse(&topic).unwrap_or(CeTopic::Other), title, provider });
    }
    Ok(entries)
}

pub(crate) fn credentials(conn: &Connection, staff: StaffId, ledger: &[CeEntry], today: NaiveDate) -> Result<Vec<Credential>> {
    let hours: Vec<(NaiveDate, CeTopic, f64)> = ledger.iter().map(|e| (e.date, e.topic, e.hours)).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, name, issuer, number, issued_on, expires_on, renewal_years, coalesce(renewal_hours, 0), coalesce(renewal_ethics_hours, 0)
         FROM credentials WHERE staff_id = ?1 AND deleted = 0 ORDER BY coalesce(expires_on, '9999'), name",
    )?;
    let rows = stmt.query_map([staff], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get::<_, u32>(7)?, r.get::<_, f64>(8)?, r.get::<_, f64>(9)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, name, issuer, number, issued_on, expires_on, years, renewal_hours, ethics_hours) = row?;
        let Some(issued_on) = date_col(issued_on) else { continue };
        let expires_on = date_col(expires_on);
        let renewal = (years > 0 && renewal_hours > 0.0).then_some(Renewal { years, hours: renewal_hours, ethics_hours });
        let progress = renewal.zip(expires_on).map(|(rule, expires)| ce_progress(rule, issued_on, expires, &hours, today));
        out.push(Credential {
            id,
            staff_id: staff,
            kind: CredentialKind::parse(&kind).unwrap_or(CredentialKind::TrainingCertificate),
            name,
            issuer,
            number,
            issued_on,
            expires_on,
            renewal,
            expiry: expires_on.and_then(|e| expiry(e, today)),
            progress,
        });
    }
    Ok(out)
}

/// The supervision sessions `staff` received, newest first, or those of the one session `only`.
pub(crate) fn sessions(conn: &Connection, staff: Option<StaffId>, only: Option<&str>) -> Result<Vec<SupervisionSession>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.date, v.supervisor_id, v.minutes, v.setting, v.topics, v.follow_ups FROM supervision v
         WHERE v.deleted = 0 AND (?2 IS NULL OR v.id = ?2)
           AND (?1 IS NULL OR v.id IN (SELECT supervision_id FROM supervision_supervisees WHERE staff_id = ?1 AND deleted = 0))
         ORDER BY v.date DESC",
    )?;
    let rows = stmt
        .query_map(params![staff, only], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, Option<StaffId>>(2)?, r.get(3)?, r.get::<_, String>(4)?, r.get(5)?, r.get(6)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, date, supervisor, minutes, setting, topics, follow_ups) in rows {
        // A session still arriving in parts is shown once it has its day and its supervisor.
        let (Some(date), Some(supervisor)) = (date_col(date), supervisor) else { continue };
        let supervisees = words(conn, "supervision_supervisees", "supervision_id", "staff_id", &id)?
            .iter()
            .filter_map(|s| s.parse::<StaffId>().ok())
            .map(|s| staff_ref(conn, s))
            .collect::<Result<Vec<_>>>()?;
        let functions = words(conn, "supervision_functions", "supervision_id", "function", &id)?.iter().filter_map(|f| SupervisionFunction::parse(f)).collect();
        out.push(SupervisionSession {
            supervisor: staff_ref(conn, supervisor)?,
            supervisees,
            date,
            minutes,
            functions,
            setting: SupervisionSetting::parse(&setting).unwrap_or(SupervisionSetting::InPerson),
            topics,
            follow_ups,
            id,
        });
    }
    Ok(out)
}

/// A person's evaluations, newest first.
pub(crate) fn evaluations(conn: &Connection, staff: StaffId) -> Result<Vec<Evaluation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.date, e.evaluator_id, coalesce(s.name, ''), e.strengths, e.growth FROM evaluations e LEFT JOIN staff s ON s.id = e.evaluator_id
         WHERE e.staff_id = ?1 AND e.deleted = 0 ORDER BY e.date DESC",
    )?;
    let rows = stmt.query_map([staff], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<StaffId>>(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, date, evaluator, name, strengths, growth) = row?;
        // An evaluation still arriving in parts is shown once it has its day and its evaluator.
        let (Some(date), Some(evaluator)) = (date_col(date), evaluator) else { continue };
        out.push(Evaluation { id, date, evaluator: StaffRef { id: evaluator, name }, strengths, growth });
    }
    Ok(out)
}

/// The newest supervision `staff` received.
fn last_supervised(conn: &Connection, staff: StaffId) -> Result<Option<NaiveDate>> {
    let last: Option<String> = conn
        .prepare_cached(
            "SELECT max(v.date) FROM supervision v JOIN supervision_supervisees s ON s.supervision_id = v.id
             WHERE s.staff_id = ?1 AND s.deleted = 0 AND v.deleted = 0",
        )?
        .query_row([staff], |r| r.get(0))?;
    Ok(date_col(last))
}

/// A staff member's record, with its warnings worked out for `today`, as one who reaches it so
/// far reads it.
fn record(conn: &Connection, staff: StaffId, today: NaiveDate, reach: Reach) -> Result<StaffRecord> {
    let row = conn
        .prepare_cached(
            "SELECT s.id, s.name, s.peer_roles, s.facility_id, s.username, s.employer_kind, s.employer, s.start_date, s.phone, s.email, s.cadence, s.supervisor_id,
                    s.agreement_signed_on, s.agreement_covers, coalesce(f.name, '')
             FROM staff s LEFT JOIN facilities f ON f.id = s.facility_id WHERE s.id = ?1 AND s.deleted = 0",
        )?
        .query_row([staff], |r| {
            Ok((
                staff_row(r)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, Option<StaffId>>(11)?,
                r.get::<_, Option<String>>(12)?,
                r.get::<_, Option<String>>(13)?,
                r.get::<_, String>(14)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "staff member", id: staff.to_string() })?;
    let (directory, employer_kind, employer, start_date, phone, email, cadence, supervisor, agreement_signed_on, agreement_covers, facility_name) = row;
    let id = staff.to_string();
    let ce_hours = ledger(conn, staff)?;
    let start_date = date_col(start_date);
    let supervision_due = supervision_of(conn, staff, &cadence, start_date, today)?;
    let mut stmt = conn.prepare_cached("SELECT id, name FROM staff WHERE supervisor_id = ?1 AND deleted = 0 ORDER BY name COLLATE NOCASE")?;
    let supervisees = stmt.query_map([staff], |r| Ok(StaffRef { id: r.get(0)?, name: r.get(1)? }))?.collect::<rusqlite::Result<_>>()?;
    let credentials = credentials(conn, staff, &ce_hours, today)?;
    Ok(StaffRecord {
        warnings: staff_warnings(&credentials, supervision_due),
        evaluations: evaluations(conn, staff)?,
        reach,
        facility_name,
        roles: words(conn, "staff_roles", "staff_id", "role", &id)?.iter().filter_map(|r| PeerRole::parse(r)).collect(),
        employer_kind: EmployerKind::parse(&employer_kind).unwrap_or(EmployerKind::Facility),
        employer,
        start_date,
        phone,
        email,
        cadence: Cadence::parse(&cadence).unwrap_or(Cadence::NotRequired),
        supervisor: supervisor.map(|s| staff_ref(conn, s)).transpose()?,
        other_facilities: words(conn, "staff_facilities", "staff_id", "facility_id", &id)?.iter().filter_map(|f| f.parse().ok()).collect(),
        agreement_signed_on: date_col(agreement_signed_on),
        agreement_covers,
        credentials,
        supervision: sessions(conn, Some(staff), None)?,
        supervision_due,
        ce_hours,
        supervisees,
        staff: directory,
    })
}

/// Refuses a staff id that is not a live record of the directory, naming `field`.
pub(crate) fn must_be_staff(conn: &Connection, field: &'static str, staff: StaffId) -> Result<()> {
    let found: Option<i64> = conn.prepare_cached("SELECT 1 FROM staff WHERE id = ?1 AND deleted = 0")?.query_row([staff], |r| r.get(0)).optional()?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::field(field, said!("that person is not in the staff directory", "esa persona no está en el directorio del personal"))),
    }
}

impl Store {
    /// A staff member's record as `today` sees it: their own, a supervisee's, or any in a
    /// facility whose staff the person keeps.
    pub fn staff_record(&self, staff: StaffId, today: NaiveDate) -> Result<StaffRecord> {
        let who = self.allowed(Need::SignedIn)?;
        let reach = reach(&self.conn, who, staff)?;
        record(&self.conn, staff, today, reach)
    }

    /// Changes what a staff record holds beyond its directory entry. Only whoever keeps the
    /// staff records of the person's facility may: the supervisor and the cadence decide whose
    /// supervision is due.
    pub fn update_staff_record(&mut self, ctx: &WriteCtx, staff: StaffId, input: &StaffRecordInput) -> Result<StaffRecord> {
        let v = input.validate(ctx.today)?;
        self.change(ctx, Need::Role(Permission::KeepStaffRecords), |w| {
            if reach(w.tx(), w.who(), staff)? != Reach::Keeper {
                return Err(Error::Refused(said!("only a coordinator of their facility changes a staff record", "solo un coordinador de su centro cambia un expediente del personal")));
            }
            if own_staff_id(w.tx(), w.who())? == Some(staff) {
                let (cadence, supervisor): (String, Option<StaffId>) =
                    w.tx().prepare_cached("SELECT cadence, supervisor_id FROM staff WHERE id = ?1")?.query_row([staff], |r| Ok((r.get(0)?, r.get(1)?)))?;
                let own_supervision = said!("your own supervision is set by another coordinator", "su propia supervisión la fija otro coordinador");
                if supervisor != v.supervisor_id {
                    return Err(Error::field("supervisor_id", own_supervision));
                }
                if cadence != v.cadence.as_str() {
                    return Err(Error::field("cadence", own_supervision));
                }
            }
            if let Some(s) = v.supervisor_id {
                check_supervisor(w, staff, s)?;
            }
            for f in &v.other_facilities {
                let known: Option<i64> = w.tx().prepare_cached("SELECT 1 FROM facilities WHERE id = ?1 AND deleted = 0")?.query_row([f], |r| r.get(0)).optional()?;
                if known.is_none() {
                    return Err(Error::field("other_facilities", said!("that facility is not one of this site's", "ese centro no es de este sitio")));
                }
                w.require(Permission::KeepStaffRecords, *f)?;
            }
            w.save(
                Table::Staff,
                staff.uuid(),
                false,
                vec![
                    ("employer_kind", Value::Text(v.employer_kind.as_str().into())),
                    ("employer", text(v.employer.clone())),
                    ("start_date", text(v.start_date.map(|d| d.to_string()))),
                    ("phone", text(v.phone.clone())),
                    ("email", text(v.email.clone())),
                    ("cadence", Value::Text(v.cadence.as_str().into())),
                    ("supervisor_id", text(v.supervisor_id.map(|s| s.to_string()))),
                    ("agreement_signed_on", text(v.agreement_signed_on.map(|d| d.to_string()))),
                    ("agreement_covers", text(v.agreement_covers.clone())),
                ],
            )?;
            let roles: Vec<&str> = v.roles.iter().map(|r| r.as_str()).collect();
            set_words(w, Table::StaffRoles, ("staff_id", staff.uuid()), "role", PeerRole::IDS, &roles)?;
            // Only the facilities the keeper covers are theirs to tick or untick.
            let facilities: Vec<String> = site_facility_ids(w.tx())?.into_iter().filter(|f| f.parse().is_ok_and(|f| w.who().scope().covers(f))).collect();
            let all: Vec<&str> = facilities.iter().map(String::as_str).collect();
            let chosen: Vec<String> = v.other_facilities.iter().map(ToString::to_string).collect();
            let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
            set_words(w, Table::StaffFacilities, ("staff_id", staff.uuid()), "facility_id", &all, &chosen)
        })?;
        record(&self.conn, staff, ctx.today, Reach::Keeper)
    }

    /// Adds a credential to a person's record: whoever keeps their facility's staff records, or
    /// the person themselves.
    pub fn add_credential(&mut self, ctx: &WriteCtx, input: &CredentialInput) -> Result<Credential> {
        let staff = parse_staff("staff_id", &input.staff_id)?;
        let v = input.validate()?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::SignedIn, |w| {
            keeper_or_own(w, staff)?;
            let renewal = v.renewal;
            w.write(&RecordChange {
                table: Table::Credentials,
                id,
                action: Action::Create,
                fields: vec![
                    ("staff_id", Value::Text(staff.to_string())),
                    ("kind", Value::Text(v.kind.as_str().into())),
                    ("name", Value::Text(v.name.clone())),
                    ("issuer", Value::Text(v.issuer.clone())),
                    ("number", text(v.number.clone())),
                    ("issued_on", Value::Text(v.issued_on.to_string())),
                    ("expires_on", text(v.expires_on.map(|d| d.to_string()))),
                    ("renewal_years", Value::Integer(renewal.map_or(0, |r| i64::from(r.years)))),
                    ("renewal_hours", Value::Real(renewal.map_or(0.0, |r| r.hours))),
                    ("renewal_ethics_hours", Value::Real(renewal.map_or(0.0, |r| r.ethics_hours))),
                    ("entered_by", Value::Text(w.who().username().to_string())),
                ],
            })
        })?;
        let ledger = ledger(&self.conn, staff)?;
        credentials(&self.conn, staff, &ledger, ctx.today)?
            .into_iter()
            .find(|c| c.id == id.to_string())
            .ok_or_else(|| Error::NotFound { what: "credential", id: id.to_string() })
    }

    /// Removes a credential entered by mistake (a tombstone, synced like any change).
    pub fn remove_credential(&mut self, ctx: &WriteCtx, credential: &str) -> Result<()> {
        self.remove_staff_entry(ctx, Table::Credentials, "credential", credential)
    }

    /// Adds an entry to a person's continuing-education ledger: whoever keeps their facility's
    /// staff records, or the person themselves.
    pub fn add_ce_hours(&mut self, ctx: &WriteCtx, input: &CeHoursInput) -> Result<CeEntry> {
        let staff = parse_staff("staff_id", &input.staff_id)?;
        let v = input.validate(ctx.today)?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::SignedIn, |w| {
            keeper_or_own(w, staff)?;
            w.write(&RecordChange {
                table: Table::CeHours,
                id,
                action: Action::Create,
                fields: vec![
                    ("staff_id", Value::Text(staff.to_string())),
                    ("date", Value::Text(v.date.to_string())),
                    ("hours", Value::Real(v.hours)),
                    ("topic", Value::Text(v.topic.as_str().into())),
                    ("title", Value::Text(v.title.clone())),
                    ("provider", text(v.provider.clone())),
                    ("entered_by", Value::Text(w.who().username().to_string())),
                ],
            })
        })?;
        Ok(CeEntry { id: id.to_string(), date: v.date, hours: v.hours, topic: v.topic, title: v.title, provider: v.provider })
    }

    /// Removes a ledger entry entered by mistake.
    pub fn remove_ce_hours(&mut self, ctx: &WriteCtx, entry: &str) -> Result<()> {
        self.remove_staff_entry(ctx, Table::CeHours, "continuing-education entry", entry)
    }

    fn remove_staff_entry(&mut self, ctx: &WriteCtx, table: Table, what: &'static str, entry: &str) -> Result<()> {
        let id = Uuid::parse_str(entry.trim()).map_err(|_| Error::NotFound { what, id: entry.to_string() })?;
        self.change(ctx, Need::SignedIn, |w| {
            let found: Option<(StaffId, Option<String>)> = w
                .tx()
                .prepare_cached(&format!("SELECT staff_id, entered_by FROM {} WHERE id = ?1 AND deleted = 0", table.name()))?
                .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (staff, entered_by) = found.ok_or_else(|| Error::NotFound { what, id: id.to_string() })?;
            // The person removes only what they entered themselves: a keeper's entry stays.
            match reach(w.tx(), w.who(), staff)? {
                Reach::Keeper => {}
                Reach::Own if entered_by.as_deref() == Some(w.who().username()) => writes_peer_work(w)?,
                _ => return Err(Error::Refused(said!("you remove only the entries you entered yourself: ask a coordinator", "usted solo quita las entradas que anotó usted: pídaselo a un coordinador"))),
            }
            w.write(&RecordChange { table, id, action: Action::Delete, fields: vec![("deleted", Value::Integer(1))] })
        })
    }

    /// Logs a supervision session. Whoever keeps the staff records of every person in it may,
    /// and so may the supervisor for their own supervisees.
    pub fn log_supervision(&mut self, ctx: &WriteCtx, input: &SupervisionInput) -> Result<SupervisionSession> {
        let v = input.validate(ctx.today)?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::SignedIn, |w| {
            must_be_staff(w.tx(), "supervisor_id", v.supervisor_id)?;
            for s in &v.supervisees {
                must_be_staff(w.tx(), "supervisees", *s)?;
            }
            let who = w.who();
            let own = own_staff_id(w.tx(), who)?;
            for s in &v.supervisees {
                match reach(w.tx(), who, *s)? {
                    Reach::Keeper => keeper_may_name(w, "supervisor_id", v.supervisor_id, own)?,
                    Reach::Supervisor if own == Some(v.supervisor_id) => writes_peer_work(w)?,
                    Reach::Supervisor => {
                        return Err(Error::Refused(said!("a supervisor logs the sessions they gave: choose yourself as the supervisor", "un supervisor registra las sesiones que dio: elíjase como supervisor")))
                    }
                    Reach::Own => return Err(Error::Refused(said!("your own supervision is logged by your supervisor or a coordinator", "su propia supervisión la registra su supervisor o un coordinador"))),
                }
            }
            if own.is_some_and(|o| v.supervisees.contains(&o)) {
                return Err(Error::field("supervisees", said!("your own supervision is logged by your supervisor or another coordinator", "su propia supervisión la registra su supervisor u otro coordinador")));
            }
            w.write(&RecordChange {
                table: Table::Supervision,
                id,
                action: Action::Create,
                fields: vec![
                    ("supervisor_id", Value::Text(v.supervisor_id.to_string())),
                    ("date", Value::Text(v.date.to_string())),
                    ("minutes", Value::Integer(v.minutes)),
                    ("setting", Value::Text(v.setting.as_str().into())),
                    ("topics", text(v.topics.clone())),
                    ("follow_ups", text(v.follow_ups.clone())),
                    ("entered_by", Value::Text(who.username().to_string())),
                ],
            })?;
            let supervisees: Vec<String> = v.supervisees.iter().map(ToString::to_string).collect();
            let supervisees: Vec<&str> = supervisees.iter().map(String::as_str).collect();
            set_words(w, Table::SupervisionSupervisees, ("supervision_id", id), "staff_id", &supervisees, &supervisees)?;
            let functions: Vec<&str> = v.functions.iter().map(|f| f.as_str()).collect();
            set_words(w, Table::SupervisionFunctions, ("supervision_id", id), "function", SupervisionFunction::IDS, &functions)
        })?;
        sessions(&self.conn, None, Some(&id.to_string()))?.pop().ok_or_else(|| Error::NotFound { what: "supervision session", id: id.to_string() })
    }

    /// Everyone with something due on `today` (a credential expiring or behind on hours,
    /// supervision lapsed), in name order: the staff of the facilities whose records the person
    /// keeps, or else their own record and their supervisees'.
    pub fn staff_due(&self, today: NaiveDate) -> Result<Vec<StaffDue>> {
        let who = self.allowed(Need::SignedIn)?;
        if who.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, coalesce(f.name, ''), s.cadence, s.start_date FROM staff s LEFT JOIN facilities f ON f.id = s.facility_id
             WHERE s.deleted = 0 ORDER BY s.name COLLATE NOCASE",
        )?;
        let everyone = stmt
            .query_map([], |r| Ok((StaffRef { id: r.get(0)?, name: r.get(1)? }, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let own = own_staff_id(&self.conn, who)?;
        let mut due = Vec::new();
        for (person, facility_name, cadence, started) in everyone {
            let staff = person.id;
            match reach_as(&self.conn, who, own, staff) {
                Ok(_) => {}
                Err(e) if is_refusal(&e) => continue,
                Err(e) => return Err(e),
            }
            let ledger = ledger(&self.conn, staff)?;
            let credentials = credentials(&self.conn, staff, &ledger, today)?;
            let warnings = staff_warnings(&credentials, supervision_of(&self.conn, staff, &cadence, date_col(started), today)?);
            if !warnings.is_empty() {
                due.push(StaffDue { staff: person, facility_name, warnings });
            }
        }
        Ok(due)
    }
}

/// Every facility id of the site, for the words of a person's further facilities.
fn site_facility_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM facilities ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn parse_staff(field: &'static str, text: &str) -> Result<StaffId> {
    text.trim().parse::<StaffId>().map_err(|_| Error::field(field, said!("choose someone from the staff directory", "elija a alguien del directorio del personal")))
}

/// Refuses a supervisor for `staff` who is not in the staff directory, is outside the facilities
/// the writer keeps, or is supervised (however far down) by `staff`: two people who supervise
/// each other would sign off each other's supervision.
fn check_supervisor(w: &Writer<'_>, staff: StaffId, supervisor: StaffId) -> Result<()> {
    must_be_staff(w.tx(), "supervisor_id", supervisor)?;
    if supervisor == staff {
        return Err(Error::field("supervisor_id", said!("a person is not their own supervisor", "nadie es su propio supervisor")));
    }
    if let Some(f) = holder(w.tx(), supervisor)?.facility {
        w.require(Permission::KeepStaffRecords, f)?;
    }
    let mut above = Some(supervisor);
    let mut seen = Vec::new();
    while let Some(s) = above.filter(|s| !seen.contains(s)) {
        if s == staff {
            return Err(Error::field("supervisor_id", said!("that person is already supervised by them, directly or through others", "esa persona ya está bajo su supervisión, directamente o a través de otros")));
        }
        seen.push(s);
        above = match holder(w.tx(), s) {
            Ok(h) => h.supervisor,
            // A supervisor removed from the directory ends the chain.
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
    }
    Ok(())
}

/// Refuses a write through a person's own record or as a supervisor to a role that writes no
/// peer work: a record linked to an auditor's account (say) is read, never changed, by them.
pub(crate) fn writes_peer_work(w: &Writer<'_>) -> Result<()> {
    w.who().check(Need::Role(Permission::PeerWork))
}

/// Refuses a choice of `chosen` (a supervisor, an evaluator) by a keeper who does not keep their
/// record, unless it is the keeper's own, naming `field`: a keeper signs for the staff they keep.
pub(crate) fn keeper_may_name(w: &Writer<'_>, field: &'static str, chosen: StaffId, own: Option<StaffId>) -> Result<()> {
    must_be_staff(w.tx(), field, chosen)?;
    if own == Some(chosen) {
        return Ok(());
    }
    match holder(w.tx(), chosen)?.facility {
        Some(f) => w.require(Permission::KeepStaffRecords, f),
        None => w.who().check(Need::Everywhere(Permission::KeepStaffRecords)),
    }
}

/// Refuses unless the writer keeps `staff`'s record or it is their own.
fn keeper_or_own(w: &Writer<'_>, staff: StaffId) -> Result<()> {
    match reach(w.tx(), w.who(), staff)? {
        Reach::Keeper => Ok(()),
        Reach::Own => writes_peer_work(w),
        Reach::Supervisor => Err(Error::Refused(said!(
            "a supervisor reads a supervisee's record; their credentials and hours are entered by them or a coordinator",
            "un supervisor lee el expediente de quien supervisa; sus credenciales y horas las anotan esa persona o un coordinador"
        ))),
    }
}
