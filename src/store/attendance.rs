//! Attendance over time ("dosage"): a participant's hours by group, month and type of support,
//! and a group's roll calls.

use super::groups::load_group;
use super::participants::load_for;
use super::Store;
use crate::auth::{Need, Permission};
use crate::error::Result;
use crate::model::{GroupId, Mark, MeetingId, ParticipantId};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Hours {
    pub label: String,
    pub sessions: u32,
    pub hours: f64,
}

/// A participant's attendance: what grant reports and program completion ask for.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AttendanceHistory {
    pub sessions_attended: u32,
    pub hours: f64,
    pub by_group: Vec<Hours>,
    pub by_month: Vec<Hours>,
    pub by_support: Vec<Hours>,
    /// Sessions missed (absent or refused) in a row, up to the latest; excused ones neither
    /// count nor break a streak.
    pub current_missed_streak: u32,
    pub longest_missed_streak: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct MeetingAttendance {
    pub meeting_id: MeetingId,
    pub date: NaiveDate,
    pub marked: u32,
    pub present: u32,
}


impl Store {
    /// A participant's attendance: hours by group, month and type of support, and missed streaks.
    pub fn attendance_history(&self, participant: ParticipantId) -> Result<AttendanceHistory> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        load_for(&self.conn, who, participant, Permission::ViewParticipants)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.mark, s.date, s.start_time, s.duration_min, g.name, g.support_type
             FROM attendance a JOIN sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id
             WHERE a.participant_id = ?1 AND a.deleted = 0 AND s.deleted = 0 ORDER BY s.date, s.start_time",
        )?;
        let rows = stmt
            .query_map([participant], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, NaiveDate>(1)?, r.get::<_, u32>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(dosage(&rows))
    }

    /// A group's attendance over time: for each session with roll call, how many were marked
    /// and how many were present, oldest first.
    pub fn group_attendance(&self, group: GroupId) -> Result<Vec<MeetingAttendance>> {
        let who = self.allowed(Need::Role(Permission::ViewParticipants))?;
        who.require(Permission::ViewParticipants, Some(load_group(&self.conn, group)?.facility_id))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.date, count(a.id), sum(a.mark = 'present') FROM sessions s JOIN attendance a ON a.session_id = s.id AND a.deleted = 0
             WHERE s.group_id = ?1 AND s.deleted = 0 GROUP BY s.id ORDER BY s.date",
        )?;
        let rows = stmt
            .query_map([group], |r| Ok(MeetingAttendance { meeting_id: r.get(0)?, date: r.get(1)?, marked: r.get(2)?, present: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Sums present sessions into hours, and finds streaks of missed ones, from (mark, date,
/// minutes, group, support type) in date order.
fn dosage(rows: &[(String, NaiveDate, u32, String, String)]) -> AttendanceHistory {
    let mut by_group: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut by_month: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut by_support: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let (mut streak, mut longest, mut sessions, mut minutes) = (0u32, 0u32, 0u32, 0u32);
    for (mark, date, duration, group, support) in rows {
        match Mark::parse(mark) {
            Some(Mark::Present) => {
                streak = 0;
                sessions += 1;
                minutes += duration;
                for (map, key) in [(&mut by_group, group.clone()), (&mut by_month, date.format("%Y-%m").to_string()), (&mut by_support, support.clone())] {
                    let e = map.entry(key).or_default();
                    e.0 += 1;
                    e.1 += duration;
                }
            }
            Some(Mark::Absent | Mark::Refused) => {
                streak += 1;
                longest = longest.max(streak);
            }
            Some(Mark::Excused) | None => {}
        }
    }
    let hours = |m: BTreeMap<String, (u32, u32)>| -> Vec<Hours> {
        m.into_iter().map(|(label, (sessions, minutes))| Hours { label, sessions, hours: f64::from(minutes) / 60.0 }).collect()
    };
    AttendanceHistory {
        sessions_attended: sessions,
        hours: f64::from(minutes) / 60.0,
        by_group: hours(by_group),
        by_month: hours(by_month),
        by_support: hours(by_support),
        current_missed_streak: streak,
        longest_missed_streak: longest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dosage_sums_present_hours_and_finds_missed_streaks() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let row = |mark: &str, date: &str, minutes: u32, group: &str, support: &str| (mark.to_string(), d(date), minutes, group.to_string(), support.to_string());
        let history = dosage(&[
            row("present", "2026-10-05", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-10-12", 90, "Relapse Prevention", "informational"),
            row("refused", "2026-10-19", 90, "Relapse Prevention", "informational"),
            row("excused", "2026-10-26", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-10-27", 60, "Coffee and Conversation", "affiliational"),
            row("present", "2026-11-02", 60, "Coffee and Conversation", "affiliational"),
            row("present", "2026-11-09", 90, "Relapse Prevention", "informational"),
            row("absent", "2026-11-16", 90, "Relapse Prevention", "informational"),
        ]);
        assert_eq!(history.sessions_attended, 3);
        assert!((history.hours - 4.0).abs() < 1e-9);
        assert_eq!(history.by_month.iter().map(|h| (h.label.as_str(), h.hours)).collect::<Vec<_>>(), [("2026-10", 1.5), ("2026-11", 2.5)]);
        assert_eq!(history.by_support.iter().map(|h| (h.label.as_str(), h.sessions)).collect::<Vec<_>>(), [("affiliational", 1), ("informational", 2)]);
        assert_eq!(history.by_group.iter().map(|h| (h.label.as_str(), h.hours)).collect::<Vec<_>>(), [("Coffee and Conversation", 1.0), ("Relapse Prevention", 3.0)]);
        assert_eq!((history.longest_missed_streak, history.current_missed_streak), (3, 1), "excused neither counts nor breaks a streak");
    }
}
