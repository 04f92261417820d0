//! The supervision report: who was supervised how often in a period, and each lapse.

use super::caseload::own_staff_id;
use super::columns::date_col;
use super::staff_records::{is_refusal, reach_as, sessions, staff_ref};
use super::program_report::check_period;
use super::Store;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{lapses, supervision_due, Cadence, FacilityId, FunctionCount, StaffId, StaffRef, SupervisionFunction, SupervisionReport, SupervisionRow};
use chrono::NaiveDate;

impl Store {
    /// Supervision from `from` to `to` (both included; a period reaching past `today` is counted
    /// to today) for everyone whose record the person reaches, in one facility or all. People
    /// supervised at no cadence appear when they had a session in the period.
    pub fn supervision_report(&self, from: NaiveDate, to: NaiveDate, facility: Option<FacilityId>, today: NaiveDate) -> Result<SupervisionReport> {
        let who = self.allowed(Need::SignedIn)?;
        if who.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        check_period(from, to)?;
        if let Some(f) = facility {
            if !who.scope().covers(f) {
                return Err(Error::OutOfScope(Permission::KeepStaffRecords));
            }
        }
        let end = to.min(today);
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, coalesce(f.name, ''), s.cadence, s.start_date, s.supervisor_id FROM staff s LEFT JOIN facilities f ON f.id = s.facility_id
             WHERE s.deleted = 0 AND (?1 IS NULL OR s.facility_id = ?1) ORDER BY s.name COLLATE NOCASE",
        )?;
        let people = stmt
            .query_map([facility], |r| {
                Ok((StaffRef { id: r.get(0)?, name: r.get(1)? }, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?, r.get::<_, Option<StaffId>>(5)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let own = own_staff_id(&self.conn, who)?;
        let mut rows = Vec::new();
        for (staff, facility_name, cadence, started, supervisor) in people {
            match reach_as(&self.conn, who, own, staff.id) {
                Ok(_) => {}
                Err(e) if is_refusal(&e) => continue,
                Err(e) => return Err(e),
            }
            let cadence = Cadence::parse(&cadence).unwrap_or(Cadence::NotRequired);
            let started = date_col(started);
            let received: Vec<_> = sessions(&self.conn, Some(staff.id), None)?.into_iter().filter(|s| s.date <= end).collect();
            let in_period: Vec<_> = received.iter().filter(|s| s.date >= from).collect();
            if cadence == Cadence::NotRequired && in_period.is_empty() {
                continue;
            }
            let dates: Vec<NaiveDate> = received.iter().map(|s| s.date).collect();
            let last = dates.iter().max().copied();
            let functions = SupervisionFunction::ALL
                .iter()
                .map(|f| FunctionCount { function: *f, sessions: in_period.iter().filter(|s| s.functions.contains(f)).count() as u32 })
                .filter(|c| c.sessions > 0)
                .collect();
            rows.push(SupervisionRow {
                facility_name,
                cadence,
                supervisor: supervisor.map(|s| staff_ref(&self.conn, s)).transpose()?,
                sessions: in_period.len() as u32,
                minutes: in_period.iter().map(|s| s.minutes).sum(),
                functions,
                last,
                due: supervision_due(cadence, last, started, end),
                lapses: lapses(cadence, started, &dates, from, end),
                staff,
            });
        }
        Ok(SupervisionReport { from, to, rows })
    }
}
