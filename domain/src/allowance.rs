//! The month's attendance per secretary and the 脱产 allowance (§4 of the Jiaozhou rules:
//! verified days in the village × the daily rate, leave days excluded).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::org::Duties;

/// One secretary's month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    /// Days with a verified check-in that are not leave: what the allowance pays.
    pub paid_days: Vec<NaiveDate>,
    pub leave_days: u32,
    pub working_days: u32,
    /// Working days, not on leave, without a verified check-in (only past days count).
    pub absent_working_days: u32,
    pub allowance_yuan: u32,
}

/// A line of the monthly report: who, where, and their month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthLine {
    pub posting_id: i64,
    pub secretary: String,
    pub township: String,
    pub village: String,
    pub unit: String,
    pub mode: crate::org::PostingMode,
    pub month: Month,
    pub roll_calls: u32,
    pub roll_calls_answered: u32,
    pub inspection_absences: u32,
    /// Days of the month credited late (补报), with the township's review: pending ones hold
    /// up the approval, struck ones are not paid.
    #[serde(default)]
    pub late_days: Vec<(NaiveDate, crate::board::LateReview)>,
}

/// `verified`: the month's days with a verified check-in; `leave`: approved leave ranges;
/// `through`: the last day to count (the month's end, or today for the current month).
pub fn month(
    first: NaiveDate,
    through: NaiveDate,
    duties: &Duties,
    calendar: &WorkCalendar,
    verified: &BTreeSet<NaiveDate>,
    leave: &[(NaiveDate, NaiveDate)],
) -> Month {
    let on_leave = |d: NaiveDate| leave.iter().any(|(a, b)| *a <= d && d <= *b);
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= through && d.month() == first.month()).collect();
    let paid_days: Vec<NaiveDate> = days.iter().copied().filter(|d| verified.contains(d) && !on_leave(*d)).collect();
    let working: Vec<NaiveDate> = days.iter().copied().filter(|d| calendar.is_working(*d)).collect();
    Month {
        allowance_yuan: paid_days.len() as u32 * duties.allowance_per_day,
        leave_days: days.iter().filter(|d| on_leave(**d)).count() as u32,
        working_days: working.len() as u32,
        absent_working_days: working.iter().filter(|d| !on_leave(**d) && !verified.contains(d)).count() as u32,
        paid_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::PostingMode;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_allowance_pays_verified_days_that_are_not_leave() {
        // October 2026: National Day holidays 1–2 and 5–7, Saturday the 10th worked.
        let cal = WorkCalendar::new(
            ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
                .map(|s| (d(s), false))
                .into_iter()
                .chain([(d("2026-10-10"), true)]),
        );
        let verified: BTreeSet<NaiveDate> =
            ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"].map(d).into();
        let leave = [(d("2026-10-13"), d("2026-10-16"))];
        let m = month(d("2026-10-01"), d("2026-10-31"), &PostingMode::FullTime.duties(), &cal, &verified, &leave);
        assert_eq!(m.paid_days.len(), 4, "the 13th was leave");
        assert_eq!(m.allowance_yuan, 160);
        assert_eq!(m.leave_days, 4);
        // 22 weekdays − 5 holidays + 1 worked Saturday.
        assert_eq!(m.working_days, 18);
        assert_eq!(m.absent_working_days, 18 - 4 - 4, "present 4 working days, 4 on leave");
        let part = month(d("2026-10-01"), d("2026-10-31"), &PostingMode::PartTime.duties(), &cal, &verified, &leave);
        assert_eq!(part.allowance_yuan, 0, "no allowance for 非脱产");
    }
}
