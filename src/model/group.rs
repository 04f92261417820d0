//! Groups: the staff who facilitate them, the weekly schedule, meetings, roll call marks, and
//! the rules for them that need no database.

use super::participant::{max_len, optional, parse_date, required_date};
use super::{FacilityId, GroupId, LocationId, ParticipantId, MeetingId, StaffId};
use crate::error::{Error, FieldError, Result};
use crate::text::clean_line;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// The four types of peer support; every group gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SupportType {
    Emotional,
    Informational,
    Instrumental,
    Affiliational,
}

impl SupportType {
    pub const ALL: [SupportType; 4] = [SupportType::Emotional, SupportType::Informational, SupportType::Instrumental, SupportType::Affiliational];

    pub const fn as_str(self) -> &'static str {
        match self {
            SupportType::Emotional => "emotional",
            SupportType::Informational => "informational",
            SupportType::Instrumental => "instrumental",
            SupportType::Affiliational => "affiliational",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            SupportType::Emotional => "Emotional",
            SupportType::Informational => "Informational",
            SupportType::Instrumental => "Instrumental",
            SupportType::Affiliational => "Affiliational",
        }
    }
}

/// A roll call mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Present,
    Absent,
    Excused,
    Refused,
}

impl Mark {
    pub const fn as_str(self) -> &'static str {
        match self {
            Mark::Present => "present",
            Mark::Absent => "absent",
            Mark::Excused => "excused",
            Mark::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Mark::Present, Mark::Absent, Mark::Excused, Mark::Refused].into_iter().find(|m| m.as_str() == s)
    }
}

/// A person in the staff directory: staff with a login, and trained incarcerated peers without.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct StaffInput {
    pub name: String,
    pub peer_roles: Vec<String>,
    pub facility_id: String,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub peer_roles: Vec<String>,
    pub facility_id: FacilityId,
    pub has_login: bool,
    pub username: Option<String>,
}

pub(crate) struct ValidStaff {
    pub name: String,
    pub peer_roles: Vec<String>,
    pub facility_id: FacilityId,
    pub username: Option<String>,
}

impl StaffInput {
    pub(crate) fn validate(&self) -> Result<ValidStaff> {
        let mut errors = Vec::new();
        let name = clean_line(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new("name", said!("the staff member needs a name", "la persona del personal necesita un nombre")));
        }
        max_len("name", ("the name", "el nombre"), &name, 120, &mut errors);
        let facility_id = self.facility_id.parse::<FacilityId>().ok();
        if facility_id.is_none() {
            errors.push(FieldError::new("facility_id", said!("choose the facility they work in", "elija el centro en el que trabaja")));
        }
        let peer_roles: Vec<String> = self.peer_roles.iter().map(|r| clean_line(r)).filter(|r| !r.is_empty()).collect();
        match facility_id {
            Some(facility_id) if errors.is_empty() => {
                Ok(ValidStaff { name, peer_roles, facility_id, username: optional(&self.username).map(|u| u.to_lowercase()) })
            }
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// A group series as a coordinator fills it in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct GroupInput {
    pub name: String,
    pub topic: String,
    pub support_type: String,
    pub facility_id: String,
    pub location_id: String,
    /// ISO weekdays, Monday 1 to Sunday 7.
    pub weekdays: Vec<u32>,
    pub start_time: String,
    pub duration_min: u32,
    pub facilitators: Vec<String>,
    pub capacity: Option<u32>,
    pub open_group: bool,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValidGroup {
    pub name: String,
    pub topic: Option<String>,
    pub support_type: SupportType,
    pub facility_id: FacilityId,
    pub location_id: LocationId,
    pub weekdays: Vec<u32>,
    pub start_time: NaiveTime,
    pub duration_min: u32,
    pub facilitators: Vec<StaffId>,
    pub capacity: Option<u32>,
    pub open_group: bool,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

pub(crate) fn parse_time(field: &'static str, s: &str, errors: &mut Vec<FieldError>) -> Option<NaiveTime> {
    let parsed = NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(field, said!("the time must be written as HH:MM on a 24-hour clock", "la hora debe escribirse como HH:MM en formato de 24 horas")));
    }
    parsed
}

pub(crate) fn check_duration(minutes: u32, errors: &mut Vec<FieldError>) {
    if !(10..=480).contains(&minutes) {
        errors.push(FieldError::new("duration_min", said!("a session lasts 10 minutes to 8 hours", "una sesión dura de 10 minutos a 8 horas")));
    }
}

impl GroupInput {
    pub(crate) fn validate(&self) -> Result<ValidGroup> {
        let mut errors = Vec::new();
        let name = clean_line(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new("name", said!("the group needs a name, such as \"Relapse Prevention\"", "el grupo necesita un nombre, como «Prevención de recaídas»")));
        }
        max_len("name", ("the name", "el nombre"), &name, 120, &mut errors);
        let topic = optional(&self.topic);
        let support_type = SupportType::parse(&self.support_type);
        if support_type.is_none() {
            errors.push(FieldError::new("support_type", said!("choose the type of support the group gives", "elija el tipo de apoyo que da el grupo")));
        }
        let facility_id = self.facility_id.parse::<FacilityId>().ok();
        if facility_id.is_none() {
            errors.push(FieldError::new("facility_id", said!("choose the facility", "elija el centro")));
        }
        let location_id = self.location_id.parse::<LocationId>().ok();
        if location_id.is_none() {
            errors.push(FieldError::new("location_id", said!("choose the room or housing unit where it meets", "elija la sala o unidad de alojamiento donde se reúne")));
        }
        let mut weekdays = self.weekdays.clone();
        weekdays.sort_unstable();
        weekdays.dedup();
        if weekdays.is_empty() || weekdays.iter().any(|d| !(1..=7).contains(d)) {
            errors.push(FieldError::new("weekdays", said!("choose the day or days of the week it meets", "elija el día o los días de la semana en que se reúne")));
        }
        let start_time = parse_time("start_time", &self.start_time, &mut errors);
        check_duration(self.duration_min, &mut errors);
        let facilitators: Vec<StaffId> = self.facilitators.iter().filter_map(|f| f.parse().ok()).collect();
        if facilitators.len() != self.facilitators.len() {
            errors.push(FieldError::new("facilitators", said!("a facilitator is not in the staff directory", "un facilitador no está en el directorio del personal")));
        }
        if self.capacity == Some(0) {
            errors.push(FieldError::new("capacity", said!("the capacity is at least 1, or leave it empty", "las plazas son al menos 1, o déjelo vacío")));
        }
        let starts_on = required_date("starts_on", ("the first date", "la primera fecha"), &self.starts_on, said!("give the date of the first session", "indique la fecha de la primera sesión"), &mut errors);
        let ends_on = parse_date("ends_on", ("the last date", "la última fecha"), &self.ends_on, &mut errors);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.push(FieldError::new("ends_on", said!("the last date is before the first", "la última fecha es anterior a la primera")));
            }
        }
        match (support_type, facility_id, location_id, start_time, starts_on) {
            (Some(support_type), Some(facility_id), Some(location_id), Some(start_time), Some(starts_on)) if errors.is_empty() => Ok(ValidGroup {
                name,
                topic,
                support_type,
                facility_id,
                location_id,
                weekdays,
                start_time,
                duration_min: self.duration_min,
                facilitators,
                capacity: self.capacity,
                open_group: self.open_group,
                starts_on,
                ends_on,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }
}

/// The dates a weekly rule falls on between `from` and `to` inclusive. Times are local wall
/// clock ("09:00"), so a change to or from daylight saving time moves nothing.
pub fn occurrences(weekdays: &[u32], starts_on: NaiveDate, ends_on: Option<NaiveDate>, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let first = from.max(starts_on);
    let last = ends_on.map_or(to, |e| e.min(to));
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| weekdays.contains(&d.weekday().number_from_monday()))
        .collect()
}

/// The Monday of the week `day` is in.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Scheduled,
    Held,
    Cancelled,
}

impl MeetingStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Held => "held",
            MeetingStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [MeetingStatus::Scheduled, MeetingStatus::Held, MeetingStatus::Cancelled].into_iter().find(|x| x.as_str() == s)
    }
}

/// One meeting of a group on the calendar: a scheduled occurrence, as moved or cancelled, or one
/// added by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Meeting {
    pub id: MeetingId,
    pub group_id: GroupId,
    pub group_name: String,
    pub support_type: SupportType,
    pub facility_id: FacilityId,
    /// The scheduled date it stands for; none for a meeting added by hand.
    pub occurrence: Option<NaiveDate>,
    pub date: NaiveDate,
    pub start_time: String,
    pub duration_min: u32,
    pub location_id: LocationId,
    pub location_name: String,
    pub facilitators: Vec<StaffId>,
    pub facilitator_names: Vec<String>,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
    pub topic_covered: Option<String>,
    pub notes: Option<String>,
    pub facilitator_hours: Option<f64>,
}

impl Meeting {
    fn minutes(&self) -> (u32, u32) {
        let start = NaiveTime::parse_from_str(&self.start_time, "%H:%M").map_or(0, |t| t.num_seconds_from_midnight() / 60);
        (start, start + self.duration_min)
    }

    fn overlaps(&self, other: &Meeting) -> bool {
        let (a0, a1) = self.minutes();
        let (b0, b1) = other.minutes();
        self.date == other.date && a0 < b1 && b0 < a1
    }
}

use chrono::Timelike;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ClashKind {
    Room,
    Facilitator,
    Participant,
}

/// Two sessions at the same time that cannot both happen as planned.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Clash {
    pub kind: ClashKind,
    pub first: MeetingId,
    pub second: MeetingId,
    pub detail: String,
}

/// Every clash among `sessions` (cancelled ones aside): the same room, a shared facilitator, or
/// a participant on both rosters (`members` gives each group's roster).
pub fn clashes(sessions: &[Meeting], members: &dyn Fn(GroupId) -> Vec<(ParticipantId, String)>) -> Vec<Clash> {
    let live: Vec<&Meeting> = sessions.iter().filter(|s| s.status != MeetingStatus::Cancelled).collect();
    let mut found = Vec::new();
    for (i, a) in live.iter().enumerate() {
        for b in &live[i + 1..] {
            if !a.overlaps(b) {
                continue;
            }
            let clash = |kind, detail: String| Clash { kind, first: a.id, second: b.id, detail };
            if a.location_id == b.location_id {
                found.push(clash(ClashKind::Room, format!("{} and {} are both in {} at that time", a.group_name, b.group_name, a.location_name)));
            }
            if let Some(name) = a.facilitators.iter().position(|f| b.facilitators.contains(f)).and_then(|i| a.facilitator_names.get(i)) {
                found.push(clash(ClashKind::Facilitator, format!("{name} facilitates both {} and {}", a.group_name, b.group_name)));
            }
            if a.group_id != b.group_id {
                let theirs = members(b.group_id);
                let shared: Vec<String> = members(a.group_id).into_iter().filter(|(p, _)| theirs.iter().any(|(q, _)| q == p)).map(|(_, n)| n).collect();
                if !shared.is_empty() {
                    found.push(clash(ClashKind::Participant, format!("{} on both rosters: {}", shared.len(), shared.join("; "))));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_weekly_rule_keeps_its_days_across_daylight_saving_changes() {
        // US clocks change on 2026-03-08 and 2026-11-01; the dates and the wall-clock time do not.
        let mondays_and_thursdays = occurrences(&[1, 4], d("2026-03-01"), None, d("2026-03-01"), d("2026-03-15"));
        assert_eq!(mondays_and_thursdays, [d("2026-03-02"), d("2026-03-05"), d("2026-03-09"), d("2026-03-12")]);
        let autumn = occurrences(&[7], d("2026-10-01"), Some(d("2026-11-08")), d("2026-10-25"), d("2026-11-30"));
        assert_eq!(autumn, [d("2026-10-25"), d("2026-11-01"), d("2026-11-08")]);
        assert!(occurrences(&[1], d("2027-01-01"), None, d("2026-12-01"), d("2026-12-31")).is_empty());
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
    }

    #[test]
    fn a_group_form_names_each_mistake() {
        let input = GroupInput { name: " ".into(), weekdays: vec![9], start_time: "9am".into(), duration_min: 5, starts_on: "2026-11-30".into(), ends_on: "2026-11-01".into(), ..Default::default() };
        let fields: Vec<&str> = match input.validate() {
            Err(Error::Validation(e)) => e.iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields, ["name", "support_type", "facility_id", "location_id", "weekdays", "start_time", "duration_min", "ends_on"]);
    }
}
