//! Follow-up interviews a grant requires, as windows around each program episode, and whether a
//! check-in fell inside each. Two rules, chosen in the program's settings: the classic GPRA
//! interview (intake, a follow-up 5 to 8 months after intake, discharge) and the newer one
//! (baseline within 30 days, reassessment at 180 days ±30, annual ±30, closeout within 30 days;
//! a case closed before a reassessment window opens needs none). A check-in dated inside a
//! window is the interview for it.

use super::words::words;
use super::ParticipantId;
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

words! {
    /// Which follow-up rule the program works to.
    FollowUpRule {
        Gpra = "gpra", "GPRA: intake, follow-up at 5 to 8 months, discharge";
        Suprt = "suprt", "Baseline, reassessment at 180 days, annual, closeout";
    }
}

words! {
    /// One interview point of an episode.
    FollowUpPoint {
        Intake = "intake", "Intake";
        FollowUp = "follow_up", "Follow-up at 5 to 8 months";
        Discharge = "discharge", "Discharge";
        Baseline = "baseline", "Baseline";
        Reassessment = "reassessment", "Reassessment at 180 days";
        Annual = "annual", "Annual reassessment";
        Closeout = "closeout", "Closeout";
    }
}

words! {
    /// Where a window stands today.
    FollowUpState {
        Done = "done", "Done";
        Upcoming = "upcoming", "Not open yet";
        Open = "open", "Open";
        ClosingSoon = "closing_soon", "Closing soon";
        Missed = "missed", "Missed";
    }
}

/// A window within this many days of closing is "closing soon".
pub const CLOSING_SOON_DAYS: i64 = 14;

/// The share of follow-ups a GPRA grant requires.
pub const FOLLOW_UP_TARGET: f64 = 80.0;

/// One interview due: its point, its window (both days included), and the check-in that met it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FollowUpWindow {
    pub point: FollowUpPoint,
    /// Which of several annual reassessments: 1 for the first year.
    pub year: u32,
    pub opens: NaiveDate,
    pub closes: NaiveDate,
    pub met_on: Option<NaiveDate>,
}

impl FollowUpWindow {
    pub fn state(&self, today: NaiveDate) -> FollowUpState {
        match self.met_on {
            Some(_) => FollowUpState::Done,
            None if today < self.opens => FollowUpState::Upcoming,
            None if today > self.closes => FollowUpState::Missed,
            None if (self.closes - today).num_days() <= CLOSING_SOON_DAYS => FollowUpState::ClosingSoon,
            None => FollowUpState::Open,
        }
    }
}

/// A follow-up interview someone is due for, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FollowUpDue {
    pub participant_id: ParticipantId,
    pub legal_name: String,
    pub facility_number: String,
    pub facility: String,
    /// The episode's name, or its kind's.
    pub program: String,
    pub window: FollowUpWindow,
    pub state: FollowUpState,
    /// Held now: the interview happens inside; released, it is a community contact.
    pub in_custody: bool,
}

fn window(point: FollowUpPoint, year: u32, opens: NaiveDate, closes: NaiveDate, check_ins: &[NaiveDate]) -> FollowUpWindow {
    let met_on = check_ins.iter().copied().filter(|d| (opens..=closes).contains(d)).min();
    FollowUpWindow { point, year, opens, closes, met_on }
}

fn months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

/// The windows of one episode that started on `start` and ended on `end` (if it has), met by
/// the person's check-ins (any order), as far as `today`: a window is listed once it would
/// matter by today, and an episode's annual windows stop at its end.
pub fn windows(rule: FollowUpRule, start: NaiveDate, end: Option<NaiveDate>, check_ins: &[NaiveDate], today: NaiveDate) -> Vec<FollowUpWindow> {
    let days = Duration::days;
    let mut out = Vec::new();
    match rule {
        FollowUpRule::Gpra => {
            let intake = window(FollowUpPoint::Intake, 1, start, start + days(30), check_ins);
            // The follow-up counts from the intake interview when there was one.
            let from = intake.met_on.unwrap_or(start);
            out.push(intake);
            out.push(window(FollowUpPoint::FollowUp, 1, months(from, 5), months(from, 8), check_ins));
        }
        FollowUpRule::Suprt => {
            out.push(window(FollowUpPoint::Baseline, 1, start, start + days(30), check_ins));
            let reassessment = window(FollowUpPoint::Reassessment, 1, start + days(150), start + days(210), check_ins);
            if end.is_none_or(|e| e >= reassessment.opens) {
                out.push(reassessment);
            }
            let last = end.unwrap_or(today).max(today);
            for year in 1u32.. {
                let at = start + days(365 * i64::from(year));
                let w = window(FollowUpPoint::Annual, year, at - days(30), at + days(30), check_ins);
                if w.opens > last || end.is_some_and(|e| e < w.opens) {
                    break;
                }
                out.push(w);
            }
        }
    }
    if let Some(end) = end {
        let point = match rule {
            FollowUpRule::Gpra => FollowUpPoint::Discharge,
            FollowUpRule::Suprt => FollowUpPoint::Closeout,
        };
        out.push(window(point, 1, end, end + days(30), check_ins));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn points(w: &[FollowUpWindow]) -> Vec<(FollowUpPoint, NaiveDate, NaiveDate)> {
        w.iter().map(|w| (w.point, w.opens, w.closes)).collect()
    }

    #[test]
    fn gpra_follows_up_five_to_eight_months_after_the_intake_interview() {
        let start = d("2026-01-31");
        let w = windows(FollowUpRule::Gpra, start, None, &[d("2026-02-10")], d("2026-12-01"));
        // From the intake on 10 February, not the start: 10 July to 10 October.
        assert_eq!(points(&w), [(FollowUpPoint::Intake, start, d("2026-03-02")), (FollowUpPoint::FollowUp, d("2026-07-10"), d("2026-10-10"))]);
        assert_eq!(w[1].state(d("2026-12-01")), FollowUpState::Missed);
        // Without an intake interview the window counts from the start, across month ends.
        let w = windows(FollowUpRule::Gpra, start, Some(d("2026-11-15")), &[d("2026-09-01")], d("2026-12-01"));
        assert_eq!(points(&w)[1], (FollowUpPoint::FollowUp, d("2026-06-30"), d("2026-09-30")), "31 January plus 5 months is 30 June");
        assert_eq!(w[1].met_on, Some(d("2026-09-01")));
        assert_eq!(points(&w)[2], (FollowUpPoint::Discharge, d("2026-11-15"), d("2026-12-15")));
        assert_eq!(w[2].state(d("2026-12-01")), FollowUpState::ClosingSoon);
    }

    #[test]
    fn the_newer_rule_reassesses_at_180_days_then_yearly_and_a_short_case_needs_no_reassessment() {
        let start = d("2025-01-01");
        let w = windows(FollowUpRule::Suprt, start, None, &[d("2025-01-20"), d("2025-07-01")], d("2026-12-01"));
        // The second year's annual opens on 2 December: not yet listed on the 1st.
        assert_eq!(
            points(&w),
            [(FollowUpPoint::Baseline, start, d("2025-01-31")), (FollowUpPoint::Reassessment, d("2025-05-31"), d("2025-07-30")), (FollowUpPoint::Annual, d("2025-12-02"), d("2026-01-31"))]
        );
        assert_eq!(w.iter().map(|w| w.state(d("2026-12-01"))).collect::<Vec<_>>(), [FollowUpState::Done, FollowUpState::Done, FollowUpState::Missed]);
        assert_eq!(windows(FollowUpRule::Suprt, start, None, &[], d("2026-12-02")).len(), 4, "listed from the day it opens");
        // Closed after 90 days: baseline and closeout only.
        let w = windows(FollowUpRule::Suprt, start, Some(d("2025-04-01")), &[], d("2026-12-01"));
        assert_eq!(w.iter().map(|w| w.point).collect::<Vec<_>>(), [FollowUpPoint::Baseline, FollowUpPoint::Closeout]);
    }

    #[test]
    fn a_window_is_open_then_closing_soon_then_missed_and_its_last_day_counts() {
        let w = window(FollowUpPoint::FollowUp, 1, d("2026-06-01"), d("2026-08-31"), &[]);
        assert_eq!(w.state(d("2026-05-31")), FollowUpState::Upcoming);
        assert_eq!(w.state(d("2026-06-01")), FollowUpState::Open);
        assert_eq!(w.state(d("2026-08-17")), FollowUpState::ClosingSoon);
        assert_eq!(w.state(d("2026-08-31")), FollowUpState::ClosingSoon);
        assert_eq!(w.state(d("2026-09-01")), FollowUpState::Missed);
        assert_eq!(window(FollowUpPoint::FollowUp, 1, d("2026-06-01"), d("2026-08-31"), &[d("2026-08-31"), d("2026-09-01")]).met_on, Some(d("2026-08-31")));
    }
}
