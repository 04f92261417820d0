//! The supervision report: for each person supervised at a cadence, the sessions they received
//! in a period and each time their supervision came late (or has not come).

use super::staff::{Cadence, StaffRef, SupervisionDue, SupervisionFunction};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A stretch without the supervision a cadence asks: it was due on `due_on` and came on
/// `met_on` (none while it has not come by the end of the period), `days_late` days after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Lapse {
    pub due_on: NaiveDate,
    pub met_on: Option<NaiveDate>,
    pub days_late: i64,
}

/// The lapses of supervision at `cadence` that reach into the period `from`..=`to`, for a person
/// who started on `started` and was supervised on `sessions` (any order). The cadence runs from
/// the start (or the first session, when no start is known) and from each session after it.
pub fn lapses(cadence: Cadence, started: Option<NaiveDate>, sessions: &[NaiveDate], from: NaiveDate, to: NaiveDate) -> Vec<Lapse> {
    let mut days: Vec<NaiveDate> = sessions.iter().copied().filter(|d| *d <= to).collect();
    days.sort_unstable();
    days.dedup();
    let Some(origin) = started.into_iter().chain(days.first().copied()).min() else { return Vec::new() };
    let mut anchor = origin;
    let mut found = Vec::new();
    for met in days.into_iter().filter(|d| *d > origin).map(Some).chain([None]) {
        let Some(due_on) = cadence.due_after(anchor) else { return Vec::new() };
        let end = met.unwrap_or(to);
        if end > due_on {
            found.push(Lapse { due_on, met_on: met, days_late: (end - due_on).num_days() });
        }
        let Some(next) = met else { break };
        anchor = next;
    }
    // A lapse belongs to the period when some of its late days fall in it.
    found.retain(|l| l.due_on < to && l.met_on.unwrap_or(to) >= from);
    found
}

/// How many of a person's sessions in the period served one function of supervision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FunctionCount {
    pub function: SupervisionFunction,
    pub sessions: u32,
}

/// One person's supervision in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SupervisionRow {
    pub staff: StaffRef,
    pub facility_name: String,
    pub cadence: Cadence,
    pub supervisor: Option<StaffRef>,
    pub sessions: u32,
    pub minutes: i64,
    pub functions: Vec<FunctionCount>,
    /// The last session on or before the period's end.
    pub last: Option<NaiveDate>,
    /// Where their supervision stands at the period's end.
    pub due: Option<SupervisionDue>,
    pub lapses: Vec<Lapse>,
}

/// The supervision report for a period: everyone the person asking may see, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SupervisionReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<SupervisionRow>,
}

impl SupervisionReport {
    /// How many people went without supervision for a while in the period.
    pub fn people_lapsed(&self) -> usize {
        self.rows.iter().filter(|r| !r.lapses.is_empty()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn days(list: &[&str]) -> Vec<NaiveDate> {
        list.iter().map(|d| day(d)).collect()
    }

    #[test]
    fn monthly_supervision_is_due_a_month_on_even_across_short_months() {
        // Due 28 February after 31 January, met that day; due 28 March, met 2 April: 5 days late.
        let found = lapses(Cadence::Monthly, Some(day("2027-01-31")), &days(&["2027-02-28", "2027-04-02"]), day("2027-01-01"), day("2027-04-30"));
        assert_eq!(
            found,
            [
                Lapse { due_on: day("2027-03-28"), met_on: Some(day("2027-04-02")), days_late: 5 },
                // And from 2 April, due 2 May: not late by the end of April.
            ]
        );
        // In a leap year a month after 31 January is 29 February.
        let leap = lapses(Cadence::Monthly, Some(day("2028-01-31")), &days(&["2028-03-01"]), day("2028-01-01"), day("2028-03-31"));
        assert_eq!(leap, [Lapse { due_on: day("2028-02-29"), met_on: Some(day("2028-03-01")), days_late: 1 }]);
    }

    #[test]
    fn supervision_not_yet_come_is_late_to_the_end_of_the_period() {
        let found = lapses(Cadence::Weekly, Some(day("2026-11-02")), &days(&["2026-11-09"]), day("2026-11-01"), day("2026-11-30"));
        assert_eq!(found, [Lapse { due_on: day("2026-11-16"), met_on: None, days_late: 14 }]);
    }

    #[test]
    fn only_lapses_reaching_into_the_period_count() {
        let sessions = days(&["2026-01-10", "2026-03-20", "2026-04-10"]);
        // 10 February due, met 20 March: late 38 days, all before April.
        let april = lapses(Cadence::Monthly, None, &sessions, day("2026-04-01"), day("2026-04-30"));
        assert!(april.is_empty(), "{april:?}");
        let march = lapses(Cadence::Monthly, None, &sessions, day("2026-03-01"), day("2026-03-31"));
        assert_eq!(march, [Lapse { due_on: day("2026-02-10"), met_on: Some(day("2026-03-20")), days_late: 38 }]);
        // Sessions after the period are not known to it.
        let february = lapses(Cadence::Monthly, None, &sessions, day("2026-02-01"), day("2026-02-28"));
        assert_eq!(february, [Lapse { due_on: day("2026-02-10"), met_on: None, days_late: 18 }]);
    }

    #[test]
    fn nothing_lapses_without_a_cadence_or_anything_to_count_from() {
        assert!(lapses(Cadence::NotRequired, Some(day("2026-01-01")), &[], day("2026-01-01"), day("2026-12-31")).is_empty());
        assert!(lapses(Cadence::Weekly, None, &[], day("2026-01-01"), day("2026-12-31")).is_empty());
        // Two sessions on one day are one.
        let same = lapses(Cadence::Weekly, None, &days(&["2026-06-01", "2026-06-01", "2026-06-08"]), day("2026-06-01"), day("2026-06-14"));
        assert!(same.is_empty(), "{same:?}");
    }
}
