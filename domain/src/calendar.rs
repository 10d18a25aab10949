//! Working days: Monday to Friday, except public holidays, plus the adjusted working days
//! (调休) the State Council publishes each year. The exceptions are data (`calendar_days`),
//! not code; this only applies them.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Days that differ from the weekly pattern: `false` a holiday on a weekday, `true` a
    /// working weekend day.
    exceptions: BTreeMap<NaiveDate, bool>,
}

impl WorkCalendar {
    pub fn new(exceptions: impl IntoIterator<Item = (NaiveDate, bool)>) -> WorkCalendar {
        WorkCalendar { exceptions: exceptions.into_iter().collect() }
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        self.exceptions.get(&day).copied().unwrap_or(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The working days from `first` to `last`, both included.
    pub fn working_days(&self, first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let days = (last - first).num_days().max(-1) + 1;
        (0..days).map(move |i| first + Duration::days(i)).filter(|d| self.is_working(*d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holidays_and_adjusted_working_days_override_the_week() {
        // 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked.
        let mut exceptions: Vec<(NaiveDate, bool)> =
            (16..=20).map(|day| (NaiveDate::from_ymd_opt(2026, 2, day).unwrap(), false)).collect();
        exceptions.push((d("2026-02-23"), false));
        exceptions.push((d("2026-02-14"), true));
        exceptions.push((d("2026-02-28"), true));
        let cal = WorkCalendar::new(exceptions);
        assert!(cal.is_working(d("2026-02-14")), "an adjusted Saturday is worked");
        assert!(!cal.is_working(d("2026-02-16")), "a holiday Monday is not");
        assert!(!cal.is_working(d("2026-02-22")), "a plain Sunday is not");
        assert!(cal.is_working(d("2026-02-24")));
        // February 2026: 20 weekdays, 6 of them holidays, plus 2 adjusted Saturdays.
        assert_eq!(cal.working_days(d("2026-02-01"), d("2026-02-28")).count(), 16);
        assert_eq!(cal.working_days(d("2026-02-02"), d("2026-02-01")).count(), 0);
    }
}
