//! An incarcerated peer mentor's file beyond the staff record: evaluations of their work, and
//! the summary of their peer work, read on screen or printed for them to take out at release.

use super::caseload::own_staff_id;
use super::columns::date_col;
use super::identity;
use super::schema::Table;
use super::staff_records::{credentials, evaluations, keeper_may_name, ledger, must_be_staff, reach, sessions, writes_peer_work};
use super::write::{text, RecordChange};
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::{Error, Result};
use crate::model::{Evaluation, EvaluationInput, FacilitatedGroup, MentorSummary, PeerRole, StaffId, StaffReach, SupportType};
use crate::reports::{mentor_summary, Language};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

/// The groups `staff` facilitated: sessions held that roll call found them facilitating (or, for
/// a session from before roll call kept that, whose group names them), at the facilities they
/// work in, since they started. What another facility's group names them in is not their work
/// there, and does not reach the paper they carry out.
fn facilitated(conn: &Connection, staff: StaffId) -> Result<Vec<FacilitatedGroup>> {
    // Facilitators are a list of staff ids in one column; an id is found in it whole, as ids are
    // all the same length.
    let mut stmt = conn.prepare_cached(
        "SELECT g.name, g.support_type, count(*), sum(coalesce(s.facilitator_hours, coalesce(s.duration_min, g.duration_min) / 60.0)), min(s.date), max(s.date)
         FROM sessions s JOIN groups g ON g.id = s.group_id JOIN staff p ON p.id = ?1
         WHERE s.deleted = 0 AND g.deleted = 0 AND s.status = 'held' AND s.date IS NOT NULL AND instr(coalesce(s.facilitators, g.facilitators), ?1) > 0
           AND s.date >= coalesce(p.start_date, '')
           AND (g.facility_id = p.facility_id
                OR g.facility_id IN (SELECT facility_id FROM staff_facilities WHERE staff_id = ?1 AND deleted = 0))
         GROUP BY g.id ORDER BY min(s.date), g.name",
    )?;
    let rows = stmt.query_map([staff.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?, r.get::<_, f64>(3)?, r.get(4)?, r.get(5)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (name, support_type, sessions, hours, first, last) = row?;
        let (Some(first), Some(last)) = (date_col(first), date_col(last)) else { continue };
        out.push(FacilitatedGroup { name, support_type: SupportType::parse(&support_type).unwrap_or(SupportType::Emotional), sessions, hours, first, last });
    }
    Ok(out)
}

fn summary(conn: &Connection, staff: StaffId, today: NaiveDate) -> Result<MentorSummary> {
    let row = conn
        .prepare_cached(
            "SELECT s.name, coalesce(f.name, ''), s.start_date, s.agreement_signed_on, s.agreement_covers FROM staff s LEFT JOIN facilities f ON f.id = s.facility_id
             WHERE s.id = ?1 AND s.deleted = 0",
        )?
        .query_row([staff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "staff member", id: staff.to_string() })?;
    let (name, facility_name, start_date, agreement_signed_on, agreement_covers) = row;
    let mut training = ledger(conn, staff)?;
    let credentials = credentials(conn, staff, &training, today)?;
    training.reverse();
    let (contacts, contact_minutes) = conn
        .prepare_cached("SELECT count(*), coalesce(sum(minutes), 0) FROM contacts WHERE staff_id = ?1 AND deleted = 0 AND date IS NOT NULL")?
        .query_row([staff], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let received = sessions(conn, Some(staff), None)?;
    let mut evaluations = evaluations(conn, staff)?;
    evaluations.reverse();
    let roles = conn
        .prepare_cached("SELECT role FROM staff_roles WHERE staff_id = ?1 AND deleted = 0 ORDER BY role")?
        .query_map([staff.to_string()], |r| r.get::<_, String>(0))?
        .filter_map(|r| r.ok().and_then(|r| PeerRole::parse(&r)))
        .collect();
    Ok(MentorSummary {
        name,
        facility_name,
        roles,
        start_date: date_col(start_date),
        agreement_signed_on: date_col(agreement_signed_on),
        agreement_covers,
        credentials,
        training,
        groups: facilitated(conn, staff)?,
        contacts,
        contact_minutes,
        supervision_sessions: u32::try_from(received.len()).unwrap_or(u32::MAX),
        supervision_minutes: received.iter().map(|s| s.minutes).sum(),
        evaluations,
    })
}

impl Store {
    /// Records an evaluation of a peer's work: by whoever keeps their facility's staff records,
    /// or by their supervisor, in their own name.
    pub fn add_evaluation(&mut self, ctx: &WriteCtx, input: &EvaluationInput) -> Result<Evaluation> {
        let v = input.validate(ctx.today)?;
        let id = ctx.new_uuid();
        self.change(ctx, Need::SignedIn, |w| {
            must_be_staff(w.tx(), "evaluator_id", v.evaluator_id)?;
            let own = own_staff_id(w.tx(), w.who())?;
            match reach(w.tx(), w.who(), v.staff_id)? {
                StaffReach::Keeper if own == Some(v.staff_id) => {
                    return Err(Error::Refused(said!("your own work is evaluated by your supervisor or another coordinator", "su propio trabajo lo evalúa su supervisor u otro coordinador")))
                }
                StaffReach::Keeper => keeper_may_name(w, "evaluator_id", v.evaluator_id, own)?,
                StaffReach::Supervisor if own == Some(v.evaluator_id) => writes_peer_work(w)?,
                StaffReach::Supervisor => {
                    return Err(Error::field("evaluator_id", said!("a supervisor records the evaluations they made: choose yourself", "un supervisor registra las evaluaciones que hizo: elíjase a sí mismo")))
                }
                StaffReach::Own => {
                    return Err(Error::Refused(said!("your work is evaluated by your supervisor or a coordinator", "su trabajo lo evalúa su supervisor o un coordinador")))
                }
            }
            w.write(&RecordChange {
                table: Table::Evaluations,
                id,
                action: Action::Create,
                fields: vec![
                    ("staff_id", Value::Text(v.staff_id.to_string())),
                    ("date", Value::Text(v.date.to_string())),
                    ("evaluator_id", Value::Text(v.evaluator_id.to_string())),
                    ("strengths", text(v.strengths.clone())),
                    ("growth", text(v.growth.clone())),
                ],
            })
        })?;
        evaluations(&self.conn, v.staff_id)?.into_iter().find(|e| e.id == id.to_string()).ok_or_else(|| Error::NotFound { what: "evaluation", id: id.to_string() })
    }

    /// The summary of a person's peer work as `today` sees it, for whoever reaches their record.
    pub fn mentor_summary(&self, staff: StaffId, today: NaiveDate) -> Result<MentorSummary> {
        let who = self.allowed(Need::SignedIn)?;
        reach(&self.conn, who, staff)?;
        summary(&self.conn, staff, today)
    }

    /// The name offered when a summary is saved: `peer-work-ortega-luis-2026-12-03.pdf`.
    pub fn mentor_summary_file_name(&self, ctx: &WriteCtx, staff: StaffId) -> Result<String> {
        let name = self.mentor_summary(staff, ctx.today)?.name;
        Ok(format!("peer-work-{}-{}.pdf", crate::text::file_word(&name), ctx.today))
    }

    /// Writes the summary of a person's peer work as a PDF at `path`, whole or not at all, and
    /// records the print. Whoever keeps their record or supervises them may, with the print
    /// permission: the mentor has no login, and takes the paper.
    pub fn save_mentor_summary(&mut self, ctx: &WriteCtx, staff: StaffId, language: Language, path: &std::path::Path) -> Result<()> {
        self.change(ctx, Need::SignedIn, |w| {
            if reach(w.tx(), w.who(), staff)? == StaffReach::Own {
                return Err(Error::Refused(said!("your summary is printed by your supervisor or a coordinator", "su resumen lo imprime su supervisor o un coordinador")));
            }
            w.who().check(Need::Role(Permission::Print))?;
            let summary = summary(w.tx(), staff, ctx.today)?;
            let site = identity::site_row(w.tx())?.map(|s| s.name).unwrap_or_default();
            // The print is recorded first: a file that cannot be written undoes the record, and
            // no file is left without one.
            w.audit(Action::Print, Some(Table::Staff.name()), Some(&staff.to_string()), &format!("summary of peer work ({})", language.code()))?;
            w.write_output(path, &crate::reports::render(&mentor_summary(&summary, &site, ctx.today, language)))
        })
    }
}
