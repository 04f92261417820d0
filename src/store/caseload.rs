//! "My people": a peer's caseload, with when each person was last seen and what is due.

use super::columns::date_col;
use super::participants::status_column;
use super::scope::within;
use super::Store;
use crate::auth::{Need, Permission, Session};
use crate::error::{Error, Result};
use crate::model::{due_on, Caseload, CaseloadRow, FacilityId, Staff, StaffId, Status};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;

/// The staff record of the person signed in: the one with their account's user name in a
/// facility their account covers. Accounts belong to one site and staff records travel, so a
/// record with the same user name elsewhere is someone else's (ADR 0019).
pub(crate) fn own_staff_id(conn: &rusqlite::Connection, who: &Session) -> Result<Option<StaffId>> {
    let mut stmt = conn.prepare_cached("SELECT id, facility_id FROM staff WHERE username = ?1 AND deleted = 0 ORDER BY name, id")?;
    let rows = stmt.query_map([who.username()], |r| Ok((r.get::<_, StaffId>(0)?, r.get::<_, Option<FacilityId>>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().find(|(_, f)| f.is_some_and(|f| who.scope().covers(f))).map(|(id, _)| id))
}

/// The facility a staff record belongs to, if it names one.
pub(crate) fn staff_facility(conn: &rusqlite::Connection, staff: StaffId) -> Result<Option<FacilityId>> {
    Ok(conn.query_row("SELECT facility_id FROM staff WHERE id = ?1 AND deleted = 0", [staff], |r| r.get(0)).optional()?.flatten())
}

impl Store {
    /// The caseload of `peer`, or of the signed-in person's own staff record: everyone active
    /// or released on it, most pressing first (overdue follow-ups, then people not seen, then
    /// check-ins due), then by name.
    pub fn caseload(&self, today: NaiveDate, peer: Option<StaffId>) -> Result<Caseload> {
        let who = self.allowed(Need::Role(Permission::PeerWork))?;
        let peer = match peer {
            Some(p) => p,
            None => own_staff_id(&self.conn, who)?.ok_or_else(|| Error::field("staff_id", said!("your account is not in the staff directory: choose whose caseload to open", "su cuenta no está en el directorio del personal: elija a qué personas asignadas abrir")))?,
        };
        let (staff_name, facility): (String, Option<FacilityId>) = self
            .conn
            .query_row("SELECT name, facility_id FROM staff WHERE id = ?1 AND deleted = 0", [peer], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or(Error::NotFound { what: "staff member", id: peer.to_string() })?;
        who.require(Permission::PeerWork, facility)?;
        let schedule = super::settings::read(&self.conn)?.schedule;
        let (in_scope, scope_arg) = within(who.scope(), "p.facility_id", 2);
        let sql = format!(
            "SELECT p.id, p.legal_name, p.facility_number, u.name, p.status, p.release_date, p.admission_date,
                    (SELECT max(c.date) FROM contacts c WHERE c.participant_id = p.id AND c.deleted = 0),
                    (SELECT c.follow_up_on FROM contacts c WHERE c.participant_id = p.id AND c.deleted = 0 ORDER BY c.date DESC, c.start_time DESC LIMIT 1),
                    (SELECT max(k.date) FROM checkins k WHERE k.participant_id = p.id AND k.deleted = 0)
             FROM participants p LEFT JOIN locations u ON u.id = p.unit_id
             WHERE p.peer_id = ?1 AND p.deleted = 0 AND p.status IN ('active', 'released') AND {in_scope}"
        );
        let mut args: Vec<Value> = vec![Value::Text(peer.to_string())];
        args.extend(scope_arg);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<CaseloadRow> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                let status: Status = status_column(r, 4)?;
                let release_date = date_col(r.get(5)?);
                let admitted = date_col(r.get(6)?).unwrap_or(today);
                let last_contact = date_col(r.get(7)?);
                let follow_up_on = date_col(r.get(8)?);
                let last_check_in = date_col(r.get(9)?);
                let check_in_due = schedule.next_check_in(status, admitted, release_date, last_check_in);
                Ok(CaseloadRow {
                    participant_id: r.get(0)?,
                    name: r.get(1)?,
                    facility_number: r.get(2)?,
                    unit_name: r.get(3)?,
                    status,
                    release_date,
                    last_contact,
                    follow_up_on,
                    last_check_in,
                    check_in_due,
                    due: due_on(today, &schedule, last_contact, follow_up_on, check_in_due),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_by(|a, b| a.due.is_empty().cmp(&b.due.is_empty()).then_with(|| a.due.cmp(&b.due)).then_with(|| crate::text::sort_key(&a.name).cmp(&crate::text::sort_key(&b.name))));
        Ok(Caseload { staff_id: peer, staff_name, schedule, rows })
    }

    /// The peers whose caseloads the session may open: the staff directory of its facilities.
    pub fn caseload_peers(&self) -> Result<Vec<Staff>> {
        let who = self.allowed(Need::Role(Permission::PeerWork))?;
        let mut peers = Vec::new();
        for f in self.facilities()? {
            if who.scope().covers(f.id) {
                peers.extend(self.staff(f.id)?);
            }
        }
        Ok(peers)
    }
}
