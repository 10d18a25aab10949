//! Working days: Monday to Friday, except public holidays, plus the adjusted working days
//! (调休) the State Council publishes each year. The exceptions are data (`calendar_days`),
//! not code; this only applies them.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::field::{RecordBody, Verdict};

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

/// The years from `first` to `last` whose holidays and adjusted working days are not loaded
/// (`loaded`: the years confirmed complete). Working days counted in them assume Monday to
/// Friday and are provisional (暂定).
pub fn unloaded_years(first: NaiveDate, last: NaiveDate, loaded: &[i32]) -> Vec<i32> {
    (first.year()..=last.year()).filter(|y| !loaded.contains(y)).collect()
}

/// The State Council publishes next year's arrangement in the autumn: from November, next
/// year's calendar is due if it is not loaded.
pub fn next_year_due(today: NaiveDate, loaded: &[i32]) -> Option<i32> {
    let next = today.year() + 1;
    (today.month() >= 11 && !loaded.contains(&next)).then_some(next)
}

coded_enum! {
    /// What is evidence of a day in the village, a district setting (issue 13): any record made
    /// inside the village (a check-in, or a visit, meeting, diary, talk or practical matter with
    /// the phone's position), so the secretary who visits a household has no separate check-in
    /// to make; or, where the district decides so, check-ins only.
    #[derive(Default)]
    DayEvidence {
        #[default]
        AnyLocated = ("any_located", "任一在村定位记录（签到、走访、会议、日记等）", "Any record located in the village (check-in, visit, meeting, diary …)"),
        CheckIn = ("check_in", "仅签到", "Check-ins only"),
    }
}

/// What makes a day "in the village", a district setting: a verified record there (a check-in,
/// or by [`DayEvidence`] any located record), and, where the district asks for it, a verified
/// check-out the same day and a minimum stay from the first record to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRule {
    pub requires_check_out: bool,
    /// From the day's first verified record to its last verified check-out; 0 for none.
    pub min_stay_minutes: u32,
    #[serde(default)]
    pub evidence: DayEvidence,
}

/// One day's records made inside the village (verified), by their time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayPresence {
    pub first_check_in: Option<DateTime<Utc>>,
    /// The first other record with a position inside the village.
    pub first_located: Option<DateTime<Utc>>,
    pub last_check_out: Option<DateTime<Utc>>,
}

impl DayPresence {
    /// Takes in a record made at `at`, with the verdict on its position (none without one).
    pub fn add(&mut self, body: &RecordBody, at: DateTime<Utc>, verdict: Option<Verdict>) {
        if verdict != Some(Verdict::Verified) {
            return;
        }
        let (slot, latest) = match body {
            RecordBody::CheckIn(_) => (&mut self.first_check_in, false),
            RecordBody::CheckOut(_) => (&mut self.last_check_out, true),
            _ => (&mut self.first_located, false),
        };
        *slot = Some(match *slot {
            Some(t) if latest => t.max(at),
            Some(t) => t.min(at),
            None => at,
        });
    }
}

impl DayRule {
    /// The rule from a district's settings (`day_requires_check_out`, `day_min_stay_minutes`,
    /// `day_evidence`).
    pub fn from_settings(requires_check_out: bool, min_stay_minutes: i32, evidence: DayEvidence) -> DayRule {
        DayRule { requires_check_out, min_stay_minutes: u32::try_from(min_stay_minutes).unwrap_or(0), evidence }
    }

    /// The day's first record that is evidence of being there, by this rule.
    pub fn arrival(&self, day: &DayPresence) -> Option<DateTime<Utc>> {
        match (self.evidence, day.first_check_in, day.first_located) {
            (DayEvidence::AnyLocated, Some(a), Some(b)) => Some(a.min(b)),
            (DayEvidence::AnyLocated, a, b) => a.or(b),
            (DayEvidence::CheckIn, a, _) => a,
        }
    }

    /// Whether a day with these verified records counts.
    pub fn counts(&self, day: &DayPresence) -> bool {
        let Some(arrival) = self.arrival(day) else { return false };
        if !self.requires_check_out && self.min_stay_minutes == 0 {
            return true;
        }
        match day.last_check_out {
            Some(out) => out - arrival >= Duration::minutes(i64::from(self.min_stay_minutes)),
            None => false,
        }
    }
}

/// A district's attendance settings: the daily allowance (脱产), its rule for a day, and how
/// much reported GPS accuracy a check-in is credited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct DistrictAttendance {
    pub id: i64,
    pub name: String,
    pub allowance_per_day: i32,
    pub day_requires_check_out: bool,
    pub day_min_stay_minutes: i32,
    pub day_evidence: DayEvidence,
    /// A fix's reported accuracy is credited up to this, metres; a less accurate fix is reviewed.
    pub max_accuracy_m: i32,
    /// A day whose check-in reaches the server later than this after it ended is 补报, hours.
    pub late_grace_hours: i32,
    /// Minutes a week a secretary should spend recording (`burden`): the department's budget.
    pub burden_budget_minutes: i32,
}

/// A year whose calendar is loaded completely, from which notice and confirmed by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct CalendarYear {
    pub year: i32,
    pub notice: String,
    /// `None` for the year the migrations loaded.
    pub confirmed_by: Option<String>,
    pub confirmed_at: DateTime<Utc>,
}

/// A day of the working calendar that differs from Monday to Friday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct CalendarException {
    pub day: NaiveDate,
    pub working: bool,
    pub name: String,
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

    #[test]
    fn next_years_calendar_is_due_from_november() {
        let loaded = [2026];
        assert_eq!(next_year_due(d("2026-10-31"), &loaded), None);
        assert_eq!(next_year_due(d("2026-11-01"), &loaded), Some(2027));
        assert_eq!(next_year_due(d("2026-12-01"), &[2026, 2027]), None);
        assert_eq!(unloaded_years(d("2026-03-01"), d("2026-12-01"), &loaded), Vec::<i32>::new());
        assert_eq!(unloaded_years(d("2026-03-01"), d("2027-01-04"), &loaded), vec![2027]);
    }

    #[test]
    fn a_day_counts_by_the_districts_rule() {
        let t = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        let (morning, noon) = (t("2026-11-25T00:30:00Z"), t("2026-11-25T04:00:00Z"));
        let day = |first_check_in, last_check_out| DayPresence { first_check_in, first_located: None, last_check_out };
        assert!(DayRule::default().counts(&day(morning, None)));
        assert!(!DayRule::default().counts(&day(None, noon)), "a check-out alone is not a day");
        let out = DayRule { requires_check_out: true, ..DayRule::default() };
        assert!(!out.counts(&day(morning, None)) && out.counts(&day(morning, noon)));
        let stay = DayRule { requires_check_out: true, min_stay_minutes: 240, ..DayRule::default() };
        assert!(!stay.counts(&day(morning, noon)), "3.5 hours is short of 4");
        assert!(stay.counts(&day(morning, t("2026-11-25T04:30:00Z"))));
    }

    fn visit() -> RecordBody {
        RecordBody::Visit(crate::field::Visit {
            project_id: None,
            household_id: 1,
            date: d("2026-11-25"),
            notes: "走访".into(),
            help: Vec::new(),
            photos: Vec::new(),
            position: None,
        })
    }

    #[test]
    fn a_visit_inside_the_village_makes_a_day_without_a_check_in() {
        let at = "2026-11-25T02:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let mut inside = DayPresence::default();
        inside.add(&visit(), at, Some(Verdict::Verified));
        assert!(DayRule::default().counts(&inside), "by default any located record counts");
        assert_eq!(DayRule::default().arrival(&inside), Some(at));

        let mut outside = DayPresence::default();
        outside.add(&visit(), at, Some(Verdict::Review));
        outside.add(&visit(), at, None);
        assert!(!DayRule::default().counts(&outside), "outside the fence, or with no position, it does not");

        let check_in_only = DayRule { evidence: DayEvidence::CheckIn, ..DayRule::default() };
        assert!(!check_in_only.counts(&inside), "the setting \"check-in only\" ignores it");
    }

    #[test]
    fn a_minimum_stay_runs_from_the_first_record_the_rule_accepts() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let mut day = DayPresence::default();
        day.add(&visit(), t("2026-11-25T00:30:00Z"), Some(Verdict::Verified));
        let check_out = RecordBody::CheckOut(crate::field::Presence {
            village_id: 1,
            lat: 0.0,
            lon: 0.0,
            accuracy_m: 10.0,
            offline: false,
            photo: None,
            note: None,
        });
        day.add(&check_out, t("2026-11-25T04:30:00Z"), Some(Verdict::Verified));
        day.add(&check_out, t("2026-11-25T03:00:00Z"), Some(Verdict::Verified));
        assert_eq!(day.last_check_out, Some(t("2026-11-25T04:30:00Z")), "the last check-out is kept");
        let stay = DayRule { requires_check_out: true, min_stay_minutes: 240, ..DayRule::default() };
        assert!(stay.counts(&day), "four hours from the visit to the check-out");
        assert!(!DayRule { evidence: DayEvidence::CheckIn, ..stay }.counts(&day), "no check-in, no arrival");
    }
}
