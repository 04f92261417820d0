//! The release pipeline (everyone from 90 days before release to a month after, by window, with
//! what is missing now) and the Today screen drawn from it, within the person's facilities.

use super::appointments::{appointment_row, APPOINTMENT_COLUMNS};
use super::columns::date_col;
use super::plan_template::load_template;
use super::plans::{item_row, ITEM_COLUMNS};
use super::{scope, Store};
use crate::auth::{Need, Permission};
use crate::error::Result;
use crate::model::{assess, Appointment, AppointmentDue, ParticipantId, PipelineRow, PlanItem, Status, TaskDue, TodayView, Window};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::params_from_iter;
use std::collections::HashMap;

/// A pipeline row with the plan items and appointments it was worked out from.
type PipelinePlan = (PipelineRow, Vec<PlanItem>, Vec<Appointment>);

/// How far ahead the Today screen looks for releases, and for tasks and appointments.
const RELEASES_AHEAD_DAYS: i64 = 30;
const WEEK_DAYS: i64 = 7;

/// The rows `sql` selects, by the person in its first column; `row` reads the rest from
/// column 1 on.
fn by_person<T>(conn: &rusqlite::Connection, sql: &str, args: &[Value], row: fn(&rusqlite::Row<'_>, usize) -> rusqlite::Result<T>) -> Result<HashMap<ParticipantId, Vec<T>>> {
    let mut out: HashMap<ParticipantId, Vec<T>> = HashMap::new();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params_from_iter(args.iter()))?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(row(r, 1)?);
    }
    Ok(out)
}

impl Store {
    /// The Today screen: releases coming up, tasks due, appointments this week.
    pub fn today_view(&self, today: NaiveDate) -> Result<TodayView> {
        let plans = self.pipeline_plans(today)?;
        let week = today + chrono::Duration::days(WEEK_DAYS);
        let mut tasks = Vec::new();
        let mut appointments = Vec::new();
        for (r, items, visits) in &plans {
            for i in items.iter().filter(|i| !i.item.status.settled()) {
                let due = i.item.due_date.unwrap_or(r.release - chrono::Duration::days(i.item.due_days));
                if due <= week {
                    tasks.push(TaskDue { participant_id: r.participant_id, legal_name: r.legal_name.clone(), title: i.item.title.clone(), area: i.item.area, owner: i.item.owner.clone(), due, overdue: due < today });
                }
            }
            for a in visits.iter().filter(|a| a.details.date >= today && a.details.date < week) {
                appointments.push(AppointmentDue { participant_id: r.participant_id, legal_name: r.legal_name.clone(), appointment: a.clone() });
            }
        }
        tasks.sort_by(|a, b| (a.due, &a.legal_name).cmp(&(b.due, &b.legal_name)));
        appointments.sort_by(|a, b| (a.appointment.details.date, &a.appointment.details.time).cmp(&(b.appointment.details.date, &b.appointment.details.time)));
        let horizon = today + chrono::Duration::days(RELEASES_AHEAD_DAYS);
        let releases = plans.into_iter().map(|(r, _, _)| r).filter(|r| r.high_risk || (!r.released && r.release >= today && r.release <= horizon)).collect();
        Ok(TodayView { releases, tasks, appointments })
    }

    /// Everyone with a release date, in release order, from 90 days ahead to a month after
    /// release, with their plan's progress and what is missing for their window.
    pub fn release_pipeline(&self, today: NaiveDate) -> Result<Vec<PipelineRow>> {
        Ok(self.pipeline_plans(today)?.into_iter().map(|(row, _, _)| row).collect())
    }

    /// The pipeline's people with their plan items and appointments, read in three queries
    /// rather than three per person: a large prison has thousands in the window.
    fn pipeline_plans(&self, today: NaiveDate) -> Result<Vec<PipelinePlan>> {
        let who = self.allowed(Need::Role(Permission::ReentryWork))?;
        let (within, scope_arg) = scope::within(who.scope(), "p.facility_id", 3);
        // Reentry work starts 90 days out, when Medicaid reentry coverage can begin; people
        // further out are not listed.
        let in_pipeline =
            format!("p.deleted = 0 AND ((p.status = 'active' AND p.release_date <= ?2) OR (p.status = 'released' AND p.status_date >= ?1)) AND {within}");
        let mut args = vec![Value::Text((today - chrono::Duration::days(30)).to_string()), Value::Text((today + chrono::Duration::days(90)).to_string())];
        args.extend(scope_arg);
        let template = load_template(&self.conn)?;
        let mut items: HashMap<ParticipantId, Vec<PlanItem>> = by_person(
            &self.conn,
            &format!("SELECT i.participant_id, {ITEM_COLUMNS} FROM plan_items i JOIN participants p ON p.id = i.participant_id WHERE i.deleted = 0 AND {in_pipeline} ORDER BY i.sort, i.title"),
            &args,
            item_row,
        )?;
        let mut appointments: HashMap<ParticipantId, Vec<Appointment>> = by_person(
            &self.conn,
            &format!("SELECT a.participant_id, {APPOINTMENT_COLUMNS} FROM appointments a JOIN participants p ON p.id = a.participant_id WHERE a.deleted = 0 AND {in_pipeline} ORDER BY a.date, a.time"),
            &args,
            appointment_row,
        )?;
        let mut stmt = self.conn.prepare(&format!("SELECT p.id, p.legal_name, p.facility_number, p.status, p.release_date, p.status_date FROM participants p WHERE {in_pipeline}"))?;
        let mut rows = stmt.query(params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: ParticipantId = r.get(0)?;
            let released = r.get::<_, String>(3)? == Status::Released.as_str();
            let Some(release) = date_col(if released { r.get(5)? } else { r.get(4)? }) else { continue };
            let mut plan_items = items.remove(&id).unwrap_or_default();
            plan_items.sort_by_key(|i| i.item.area);
            let visits = appointments.remove(&id).unwrap_or_default();
            let found = assess(&plan_items, &template, &visits, Some(release), released, today);
            let row = PipelineRow {
                participant_id: id,
                legal_name: r.get(1)?,
                facility_number: r.get(2)?,
                release,
                released,
                window: Window::of(release, today),
                started: !plan_items.is_empty(),
                progress: found.progress,
                missing: found.missing,
                high_risk: found.high_risk,
            };
            out.push((row, plan_items, visits));
        }
        out.sort_by(|a, b| (a.0.release, &a.0.legal_name).cmp(&(b.0.release, &b.0.legal_name)));
        Ok(out)
    }
}
