//! Where a secretary stands on the duties of their posting this week and month: the numbers
//! on the secretary's home screen. The server computes the same from stored records; the
//! phone adds what it has not synced yet ([`Activity::merge`]), so the screen is right offline.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::field::{MeetingKind, RecordBody};
use crate::org::Duties;

/// A paired household is due a visit after this many days without one.
pub const VISIT_INTERVAL_DAYS: i64 = 30;

/// What a secretary did, reduced to the dates the duties are counted by.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Days (district time) with a check-in inside the village geofence.
    pub days_in_village: BTreeSet<NaiveDate>,
    /// Days with a 两委 work meeting the secretary chaired.
    pub liang_wei_meetings: BTreeSet<NaiveDate>,
    pub last_diary: Option<NaiveDate>,
    /// Each paired household's latest visit.
    pub last_visits: BTreeMap<i64, NaiveDate>,
}

impl Activity {
    /// Counts one work record's date. Days in the village are not counted here but by the
    /// district's rule (`calendar::DayRule`) over the day's records.
    pub fn add(&mut self, body: &RecordBody) {
        match body {
            RecordBody::Meeting(m) if m.kind == MeetingKind::LiangWeiWeekly && m.chaired => {
                self.liang_wei_meetings.insert(m.date);
            }
            RecordBody::Diary(d) => self.last_diary = self.last_diary.max(Some(d.date)),
            RecordBody::Visit(v) => {
                let last = self.last_visits.entry(v.household_id).or_insert(v.date);
                *last = (*last).max(v.date);
            }
            _ => {}
        }
    }

    pub fn merge(&mut self, other: &Activity) {
        self.days_in_village.extend(other.days_in_village.iter().copied());
        self.liang_wei_meetings.extend(other.liang_wei_meetings.iter().copied());
        self.last_diary = self.last_diary.max(other.last_diary);
        for (h, d) in &other.last_visits {
            let last = self.last_visits.entry(*h).or_insert(*d);
            *last = (*last).max(*d);
        }
    }
}

/// A paired household as the duties see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pairing {
    pub household_id: i64,
    pub paired_on: NaiveDate,
}

/// The home screen's numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub days_in_village_week: u32,
    pub days_in_village_month: u32,
    /// Days in the village this month × the daily allowance (脱产 only), yuan.
    pub allowance_month_yuan: u32,
    /// Whether the 两委 meeting due this period (week for 脱产, month for 非脱产) is recorded.
    pub meeting_recorded: bool,
    pub meeting_every_week: bool,
    /// Days since the last 民情日记, `None` when there is none.
    pub days_since_diary: Option<i64>,
    /// Paired households with no visit in the last [`VISIT_INTERVAL_DAYS`] days (counting from
    /// the pairing when never visited).
    pub households_due: Vec<i64>,
}

/// Monday of the week holding `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

pub fn summary(today: NaiveDate, duties: &Duties, activity: &Activity, pairings: &[Pairing]) -> Summary {
    let week = week_start(today)..=today;
    let month = month_start(today)..=today;
    let count =
        |range: &std::ops::RangeInclusive<NaiveDate>| activity.days_in_village.range(range.clone()).count() as u32;
    let days_in_village_month = count(&month);
    let meeting_period = if duties.meeting_every_week { week.clone() } else { month.clone() };
    let due_before = today - Duration::days(VISIT_INTERVAL_DAYS);
    Summary {
        days_in_village_week: count(&week),
        days_in_village_month,
        allowance_month_yuan: days_in_village_month * duties.allowance_per_day,
        meeting_recorded: activity.liang_wei_meetings.range(meeting_period).next().is_some(),
        meeting_every_week: duties.meeting_every_week,
        days_since_diary: activity.last_diary.map(|d| (today - d).num_days().max(0)),
        households_due: pairings
            .iter()
            .filter(|p| {
                let since = activity.last_visits.get(&p.household_id).copied().unwrap_or(p.paired_on).max(p.paired_on);
                since < due_before
            })
            .map(|p| p.household_id)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Diary, Meeting, Visit};
    use crate::org::PostingMode;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meeting(kind: MeetingKind, chaired: bool, date: &str) -> RecordBody {
        RecordBody::Meeting(Meeting {
            position: None,
            kind,
            chaired,
            date: d(date),
            attendees: 7,
            topics: "x".into(),
            decisions: String::new(),
            photos: vec![],
        })
    }

    #[test]
    fn days_in_village_count_by_week_from_monday_and_by_month() {
        let mut a = Activity::default();
        // 2026-11-23 is a Monday; 2026-11-25 a Wednesday.
        a.days_in_village.extend([d("2026-11-22"), d("2026-11-23"), d("2026-10-31")]);
        let s = summary(d("2026-11-25"), &PostingMode::FullTime.duties(), &a, &[]);
        assert_eq!((s.days_in_village_week, s.days_in_village_month), (1, 2));
        assert_eq!(s.allowance_month_yuan, 80);
        let part = summary(d("2026-11-25"), &PostingMode::PartTime.duties(), &a, &[]);
        assert_eq!(part.allowance_month_yuan, 0);
    }

    #[test]
    fn the_meeting_due_is_weekly_for_full_time_and_monthly_for_part_time() {
        let mut a = Activity::default();
        a.add(&meeting(MeetingKind::LiangWeiWeekly, true, "2026-11-20"));
        a.add(&meeting(MeetingKind::LiangWeiWeekly, false, "2026-11-24"));
        a.add(&meeting(MeetingKind::PartyAssembly, true, "2026-11-24"));
        let today = d("2026-11-25");
        assert!(!summary(today, &PostingMode::FullTime.duties(), &a, &[]).meeting_recorded);
        assert!(summary(today, &PostingMode::PartTime.duties(), &a, &[]).meeting_recorded);
        a.add(&meeting(MeetingKind::LiangWeiWeekly, true, "2026-11-23"));
        assert!(summary(today, &PostingMode::FullTime.duties(), &a, &[]).meeting_recorded);
    }

    #[test]
    fn households_are_due_thirty_days_after_the_last_visit_or_the_pairing() {
        let pairings = [
            Pairing { household_id: 1, paired_on: d("2026-03-01") },
            Pairing { household_id: 2, paired_on: d("2026-03-01") },
            Pairing { household_id: 3, paired_on: d("2026-11-01") },
            Pairing { household_id: 4, paired_on: d("2026-03-01") },
        ];
        let mut a = Activity::default();
        let visit = |h, date: &str| {
            RecordBody::Visit(Visit {
                project_id: None,
                position: None,
                household_id: h,
                date: d(date),
                notes: "x".into(),
                help: vec![],
                photos: vec![],
            })
        };
        a.add(&visit(1, "2026-10-26")); // exactly 30 days: not yet due
        a.add(&visit(2, "2026-10-25"));
        a.add(&visit(2, "2026-09-01")); // an older one does not win
        let s = summary(d("2026-11-25"), &PostingMode::FullTime.duties(), &a, &pairings);
        assert_eq!(s.households_due, vec![2, 4]);
    }

    #[test]
    fn merging_keeps_the_latest_of_both_sides() {
        let diary = |date: &str| {
            RecordBody::Diary(Diary {
                position: None,
                date: d(date),
                text: "x".into(),
                tags: vec![],
                households: vec![],
                photos: vec![],
            })
        };
        let mut server = Activity::default();
        server.add(&diary("2026-11-20"));
        let mut phone = Activity::default();
        phone.add(&diary("2026-11-18"));
        phone.days_in_village.insert(d("2026-11-25"));
        server.merge(&phone);
        let s = summary(d("2026-11-25"), &PostingMode::FullTime.duties(), &server, &[]);
        assert_eq!(s.days_since_diary, Some(5));
        assert_eq!(s.days_in_village_week, 1);
        assert_eq!(
            summary(d("2026-11-25"), &PostingMode::FullTime.duties(), &Activity::default(), &[]).days_since_diary,
            None
        );
    }
}
