//! Follow-up interviews due: each program episode's windows under the program's rule, met by a
//! check-in inside them, and who is due now, by window.

use super::columns::date_col;
use super::coverage::{covered, Covered};
use super::settings;
use super::{Store, WriteCtx};
use crate::audit::Action;
use crate::auth::{Need, Permission};
use crate::error::Result;
use crate::model::{follow_up_windows, FacilityId, FollowUpDue, FollowUpRule, FollowUpState, FollowUpWindow, ParticipantId, ProgramKind, Status};
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

/// A missed window stays on the list this long after it closed, for someone to record why.
const MISSED_SHOWN_DAYS: i64 = 60;

/// One episode of a participant in scope, with the windows it has under `rule` by `today`.
pub(crate) struct EpisodeWindows {
    pub participant: String,
    /// The id of the facility the episode ran at (none for one kept before that was recorded).
    pub facility_id: Option<String>,
    pub kind: ProgramKind,
    pub name: Option<String>,
    pub windows: Vec<FollowUpWindow>,
}

/// The episodes that started by `until` of every participant in the account's scope, with their
/// windows; the caller keeps those it counts.
pub(crate) fn episode_windows(conn: &Connection, c: &Covered, rule: FollowUpRule, until: NaiveDate, today: NaiveDate) -> Result<Vec<EpisodeWindows>> {
    let mut check_ins: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT participant_id, date FROM checkins WHERE deleted = 0 AND date <= ?1")?;
    for row in stmt.query_map([until.to_string()], |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), date_col(r.get(1)?))))? {
        let (person, date) = row?;
        if let (true, Some(date)) = (c.in_scope(&person), date) {
            check_ins.entry(person).or_default().push(date);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT participant_id, kind, name, start_date, end_date, facility_id FROM program_episodes WHERE deleted = 0 AND start_date <= ?1",
    )?;
    let rows = stmt.query_map([until.to_string()], |r| {
        Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, date_col(r.get(3)?), date_col(r.get(4)?), r.get::<_, Option<String>>(5)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (participant, kind, name, start, end, facility) = row?;
        let Some(start) = start.filter(|_| c.in_scope(&participant)) else { continue };
        let dates = check_ins.get(&participant).map_or(&[][..], Vec::as_slice);
        let windows = follow_up_windows(rule, start, end, dates, today);
        out.push(EpisodeWindows { participant, facility_id: facility, kind: ProgramKind::parse(&kind).unwrap_or(ProgramKind::Other), name, windows });
    }
    Ok(out)
}

impl Store {
    /// The follow-up interviews due today at `facility` or every facility of the account: open,
    /// closing soon, and missed in the last 60 days, soonest to close first. It names people and
    /// their programs, so it is for those who may see the people behind a report's figures, and
    /// each person named is written to the audit trail.
    pub fn follow_ups_due(&mut self, ctx: &WriteCtx, facility: Option<FacilityId>) -> Result<Vec<FollowUpDue>> {
        let today = ctx.today;
        let who = self.allowed(Need::at(Permission::ReportPeople, facility))?;
        let c = covered(&self.conn, who, facility)?;
        let rule = settings::read(&self.conn)?.follow_up_rule;
        let mut due = Vec::new();
        let mut person = self.conn.prepare_cached(
            "SELECT p.id, p.legal_name, p.facility_number, coalesce(f.name, ''), p.status FROM participants p LEFT JOIN facilities f ON f.id = p.facility_id WHERE p.id = ?1",
        )?;
        // A work list: the people held now at the facilities it covers, whatever program they came from.
        for e in episode_windows(&self.conn, &c, rule, today, today)?.into_iter().filter(|e| c.person(&e.participant)) {
            for w in e.windows {
                let state = w.state(today);
                let shown = match state {
                    FollowUpState::Open | FollowUpState::ClosingSoon => true,
                    FollowUpState::Missed => today - w.closes <= Duration::days(MISSED_SHOWN_DAYS),
                    FollowUpState::Done | FollowUpState::Upcoming => false,
                };
                if !shown {
                    continue;
                }
                let (id, legal_name, facility_number, facility_name, status) = person.query_row([&e.participant], |r| {
                    Ok((r.get::<_, ParticipantId>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
                })?;
                // Inside while held; after release the interview is a community contact.
                let in_custody = Status::parse(&status) != Some(Status::Released);
                let program = e.name.clone().unwrap_or_else(|| e.kind.label().to_string());
                due.push(FollowUpDue { participant_id: id, legal_name, facility_number, facility: facility_name, program, window: w, state, in_custody });
            }
        }
        let order = |s: FollowUpState| match s {
            FollowUpState::ClosingSoon => 0,
            FollowUpState::Open => 1,
            _ => 2,
        };
        due.sort_by(|a, b| order(a.state).cmp(&order(b.state)).then(a.window.closes.cmp(&b.window.closes)).then(a.legal_name.cmp(&b.legal_name)));
        drop(person);
        let named: std::collections::BTreeSet<String> = due.iter().map(|d| d.participant_id.to_string()).collect();
        self.change(ctx, Need::Role(Permission::ReportPeople), |w| {
            for id in &named {
                w.audit(Action::View, Some("participants"), Some(id), "follow-ups due")?;
            }
            Ok(())
        })?;
        Ok(due)
    }
}
