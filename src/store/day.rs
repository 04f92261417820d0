//! The Today screen: the signed-in person's day in one read. Today's group meetings in their
//! facilities with where roll call stands, the last fortnight's meetings nobody took roll call
//! for, the people on their own caseload who are due a contact, and (for reentry work) the
//! releases, tasks and appointments of [`Store::today_view`], and the peer staff whose
//! credentials or supervision need attention ([`Store::staff_due`]: the staff whose records the
//! person keeps, or their own and their supervisees'). Each part is there only when the
//! person's role may see it.

use super::caseload::{own_staff_id, staff_facility};
use crate::model::FacilityId;
use std::collections::HashMap;
use super::meetings::{facility_groups, meetings_between};
use super::Store;
use crate::auth::{Need, Permission, Scope};
use crate::error::Result;
use crate::model::{CaseloadRow, Meeting, MeetingId, MeetingStatus, StaffDue, TodayView};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// How far back a meeting that was neither held nor cancelled is still shown as missing its
/// roll call: a fortnight covers a coordinator's week off.
const MISSED_ROLL_CALL_DAYS: i64 = 14;

/// One meeting of the day, with its facility's name and the roll call taken so far.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DayMeeting {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub facility_name: String,
    /// People on the roster or marked as walk-ins.
    pub roster: u32,
    pub marked: u32,
    pub present: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DayView {
    pub today: NaiveDate,
    /// Today's meetings, in time order.
    pub meetings: Vec<DayMeeting>,
    /// Meetings before today, newest first, that were neither held nor cancelled.
    pub no_roll_call: Vec<DayMeeting>,
    /// Who on the person's own caseload is due something, most pressing first; none for a
    /// role without peer work or an account with no caseload.
    pub contacts_due: Option<Vec<CaseloadRow>>,
    pub reentry: Option<TodayView>,
    /// Peer staff with a credential expiring or behind on hours, or supervision lapsed.
    pub staff_due: Vec<StaffDue>,
}

impl Store {
    /// The signed-in person's day, within their facilities.
    pub fn my_day(&self, today: NaiveDate) -> Result<DayView> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        let peer_work = who.may(Permission::PeerWork);
        let reentry_work = who.may(Permission::ReentryWork);
        let from = today - Duration::days(MISSED_ROLL_CALL_DAYS);
        let mut meetings = Vec::new();
        let mut no_roll_call = Vec::new();
        let marks = self.marks_between(from, today)?;
        for facility in self.facilities()?.into_iter().filter(|f| who.scope().covers(f.id)) {
            let groups = facility_groups(&self.conn, facility.id)?;
            for meeting in meetings_between(&self.conn, &groups, from, today)? {
                let past = meeting.date < today;
                if past && meeting.status != MeetingStatus::Scheduled {
                    continue;
                }
                let roster = groups.get(&meeting.group_id).map_or(0, |g| g.members.len() as u32);
                let (marked, present, walk_ins) = marks.get(&meeting.id).copied().unwrap_or_default();
                let day = DayMeeting { meeting, facility_name: facility.name.clone(), roster: roster + walk_ins, marked, present };
                if past {
                    no_roll_call.push(day);
                } else {
                    meetings.push(day);
                }
            }
        }
        meetings.sort_by(|a, b| (&a.meeting.start_time, &a.meeting.group_name).cmp(&(&b.meeting.start_time, &b.meeting.group_name)));
        no_roll_call.sort_by(|a, b| (b.meeting.date, &a.meeting.start_time).cmp(&(a.meeting.date, &b.meeting.start_time)));
        // A staff record in a facility the account no longer covers is no caseload of today's.
        let own = if peer_work { own_staff_id(&self.conn, who)? } else { None };
        let contacts_due = match own {
            Some(staff) => Some(self.caseload(today, Some(staff))?.rows.into_iter().filter(|r| !r.due.is_empty()).collect()),
            None => None,
        };
        let reentry = if reentry_work { Some(self.today_view(today)?) } else { None };
        Ok(DayView { today, meetings, no_roll_call, contacts_due, reentry, staff_due: self.staff_due(today)? })
    }

    /// For each meeting held `from`..=`to`: the marks taken, present among them, and walk-ins
    /// among them, in one read (a meeting with no row has no marks).
    fn marks_between(&self, from: NaiveDate, to: NaiveDate) -> Result<HashMap<MeetingId, (u32, u32, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.session_id, count(*), coalesce(sum(a.mark = 'present'), 0), coalesce(sum(a.walk_in), 0)
             FROM attendance a JOIN sessions s ON s.id = a.session_id
             WHERE a.deleted = 0 AND s.deleted = 0 AND s.date BETWEEN ?1 AND ?2 GROUP BY a.session_id",
        )?;
        let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The facility a person works at, for the screens to open on: their staff record's when
    /// their account covers it, else the first of their account's facilities; none for an
    /// account over every facility with no staff record.
    pub fn home_facility(&self) -> Result<Option<FacilityId>> {
        let who = self.allowed(Need::SignedIn)?;
        if let Some(staff) = own_staff_id(&self.conn, who)? {
            if let Some(f) = staff_facility(&self.conn, staff)? {
                return Ok(Some(f));
            }
        }
        if matches!(who.scope(), Scope::All) {
            return Ok(None);
        }
        Ok(self.facilities()?.into_iter().map(|f| f.id).find(|f| who.scope().covers(*f)))
    }
}
