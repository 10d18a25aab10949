//! The facts the records decide (`rules::Year::facts`), counted from a posting's records over
//! the evaluation period, each with the ids of the records behind it as evidence.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::rules::Year;
use crate::duty::week_start;
use crate::field::{HelpKind, MeetingKind, PracticalKind, RecordBody};
use crate::org::PostingMode;

/// Counts from the records made between `first` and `last` (the evaluation year within the
/// term, up to today for a projection). Weeks and months count when they end inside the period.
pub fn from_records(
    first: NaiveDate,
    last: NaiveDate,
    mode: PostingMode,
    households: usize,
    records: &[(String, RecordBody)],
) -> Year {
    let mut y = Year::default();
    let mut put = |name: &str, value: f64, evidence: Vec<String>| {
        y.facts.insert(name.to_string(), value);
        if !evidence.is_empty() {
            y.evidence.insert(name.to_string(), evidence);
        }
    };
    let in_period = |d: NaiveDate| d >= first && d <= last;
    let meetings = |kind: MeetingKind, chaired_only: bool| -> Vec<(&String, NaiveDate)> {
        records
            .iter()
            .filter_map(|(id, b)| match b {
                RecordBody::Meeting(m) if m.kind == kind && (m.chaired || !chaired_only) && in_period(m.date) => {
                    Some((id, m.date))
                }
                _ => None,
            })
            .collect()
    };
    // D2: the 两委 meetings the mode asks for — a week (脱产) or a month (非脱产) without one.
    let chaired = meetings(MeetingKind::LiangWeiWeekly, true);
    let missed = if mode.duties().meeting_every_week {
        let held: BTreeSet<NaiveDate> = chaired.iter().map(|(_, d)| week_start(*d)).collect();
        weeks(first, last).filter(|w| !held.contains(w)).count()
    } else {
        let held: BTreeSet<(i32, u32)> = chaired.iter().map(|(_, d)| (d.year(), d.month())).collect();
        months(first, last).filter(|m| !held.contains(m)).count()
    };
    put("missed_liang_wei_meetings", missed as f64, chaired.iter().map(|(id, _)| (*id).clone()).collect());
    // B3.2: a 民主活动日 every month; D3: at least one each half year.
    let days = meetings(MeetingKind::DemocracyDay, false);
    let held: BTreeSet<(i32, u32)> = days.iter().map(|(_, d)| (d.year(), d.month())).collect();
    let evidence: Vec<String> = days.iter().map(|(id, _)| (*id).clone()).collect();
    put(
        "missed_democracy_day_months",
        months(first, last).filter(|m| !held.contains(m)).count() as f64,
        evidence.clone(),
    );
    let halves: BTreeSet<(i32, u32)> = months(first, last).map(|(y, m)| (y, (m - 1) / 6)).collect();
    let missed_halves =
        halves.iter().filter(|(y, h)| !held.iter().any(|(yy, mm)| yy == y && (mm - 1) / 6 == *h)).count();
    put("missed_required_meetings", missed_halves as f64, evidence);
    // D1.2: a research report filed.
    let reports: Vec<String> =
        records.iter().filter(|(_, b)| matches!(b, RecordBody::Research(_))).map(|(id, _)| id.clone()).collect();
    put("research_reports", reports.len() as f64, reports);
    // D5: paired households, home visits and the help they brought.
    put("paired_households", households as f64, Vec::new());
    let visits: Vec<(&String, &crate::field::Visit)> = records
        .iter()
        .filter_map(|(id, b)| match b {
            RecordBody::Visit(v) if in_period(v.date) => Some((id, v)),
            _ => None,
        })
        .collect();
    put("household_visits", visits.len() as f64, visits.iter().map(|(id, _)| (*id).clone()).collect());
    let mut help: std::collections::HashMap<HelpKind, Vec<String>> = Default::default();
    for (id, v) in &visits {
        for h in &v.help {
            help.entry(*h).or_default().push((*id).clone());
        }
    }
    // P1, P2, P4: the 实事 recorded — yuan raised, bases built; projects brought in are
    // counted for the assessors, who class them (P3).
    let practical: Vec<(&String, &crate::field::Practical)> = records
        .iter()
        .filter_map(|(id, b)| match b {
            RecordBody::Practical(p) if in_period(p.date) => Some((id, p)),
            _ => None,
        })
        .collect();
    for (kind, fact, sum) in [
        (PracticalKind::Funds, "funds_raised_yuan", true),
        (PracticalKind::PolicyFunds, "policy_funds_yuan", true),
        (PracticalKind::DemonstrationBase, "demonstration_bases", false),
        (PracticalKind::Project, "projects_brought", false),
    ] {
        let these: Vec<&(&String, &crate::field::Practical)> =
            practical.iter().filter(|(_, p)| p.kind == kind).collect();
        let value = if sum { these.iter().map(|(_, p)| p.yuan as f64).sum() } else { these.len() as f64 };
        put(fact, value, these.iter().map(|(id, _)| (*id).clone()).collect());
    }
    for (kind, fact) in [
        (HelpKind::EducationAid, "education_aid"),
        (HelpKind::Job, "jobs"),
        (HelpKind::Project, "projects"),
        (HelpKind::ReliefApplication, "relief_applications"),
    ] {
        let ids = help.remove(&kind).unwrap_or_default();
        put(fact, ids.len() as f64, ids);
    }
    y
}

/// Days in the village against the days required over the period (Yicheng's 出勤管理):
/// for 脱产, verified days not on leave against working days not on leave; for 非脱产, months
/// with a stay against the months of the period.
pub fn attendance(
    first: NaiveDate,
    last: NaiveDate,
    mode: PostingMode,
    calendar: &crate::calendar::WorkCalendar,
    verified: &BTreeSet<NaiveDate>,
    leave: &[(NaiveDate, NaiveDate)],
) -> (usize, usize) {
    let on_leave = |d: NaiveDate| leave.iter().any(|(a, b)| *a <= d && d <= *b);
    let in_period = |d: &&NaiveDate| **d >= first && **d <= last;
    if mode.duties().meeting_every_week {
        let present = verified.iter().filter(in_period).filter(|d| !on_leave(**d)).count();
        let required = calendar.working_days(first, last).filter(|d| !on_leave(*d)).count();
        (present, required)
    } else {
        let stays: BTreeSet<(i32, u32)> = verified.iter().filter(in_period).map(|d| (d.year(), d.month())).collect();
        let months: Vec<(i32, u32)> = months(first, last).collect();
        (months.iter().filter(|m| stays.contains(m)).count(), months.len())
    }
}

/// Mondays of the weeks that end (Sunday) inside the period and start inside it.
fn weeks(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let mut monday = week_start(first);
    if monday < first {
        monday += chrono::Duration::days(7);
    }
    std::iter::successors(Some(monday), |m| Some(*m + chrono::Duration::days(7)))
        .take_while(move |m| *m + chrono::Duration::days(6) <= last)
}

/// (year, month) of the months that end inside the period.
fn months(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = (i32, u32)> {
    let start = (first.year(), first.month());
    std::iter::successors(Some(start), |(y, m)| Some(if *m == 12 { (y + 1, 1) } else { (*y, m + 1) })).take_while(
        move |(y, m)| {
            let next =
                if *m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(*y, m + 1, 1) };
            next.is_some_and(|n| n - chrono::Duration::days(1) <= last)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Meeting, Visit};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meeting(kind: MeetingKind, date: &str) -> RecordBody {
        RecordBody::Meeting(Meeting {
            position: None,
            kind,
            chaired: true,
            date: d(date),
            attendees: 7,
            topics: "x".into(),
            decisions: String::new(),
            photos: vec![],
        })
    }

    #[test]
    fn weekly_meetings_count_full_weeks_and_monthly_ones_months() {
        // 2026: Monday 5 January to Sunday 27 December: 51 full weeks.
        let (first, last) = (d("2026-01-01"), d("2026-12-31"));
        let mut records: Vec<(String, RecordBody)> =
            weeks(first, last).map(|w| (w.to_string(), meeting(MeetingKind::LiangWeiWeekly, &w.to_string()))).collect();
        assert_eq!(records.len(), 51);
        let y = from_records(first, last, PostingMode::FullTime, 2, &records);
        assert_eq!(y.facts["missed_liang_wei_meetings"], 0.0);
        records.pop();
        let y = from_records(first, last, PostingMode::FullTime, 2, &records);
        assert_eq!(y.facts["missed_liang_wei_meetings"], 1.0, "one week without");
        assert_eq!(y.evidence["missed_liang_wei_meetings"].len(), 50, "the meetings held are the evidence");
        // Part-time: one a month; these 50 meetings cover 12 months less December's last week.
        let y = from_records(first, last, PostingMode::PartTime, 2, &records);
        assert_eq!(y.facts["missed_liang_wei_meetings"], 0.0);
        let y = from_records(first, last, PostingMode::PartTime, 2, &records[..8]);
        assert_eq!(y.facts["missed_liang_wei_meetings"], 10.0, "January and February only");
    }

    #[test]
    fn attendance_counts_working_days_for_full_time_and_months_for_part_time() {
        let cal = crate::calendar::WorkCalendar::new([(d("2026-06-19"), false)]);
        let (first, last) = (d("2026-06-01"), d("2026-06-30"));
        let verified: BTreeSet<NaiveDate> = ["2026-06-01", "2026-06-02", "2026-06-06", "2026-07-01"].map(d).into();
        // 22 weekdays in June 2026, less the Dragon Boat holiday, less 2 days of leave.
        let leave = [(d("2026-06-02"), d("2026-06-03"))];
        assert_eq!(attendance(first, last, PostingMode::FullTime, &cal, &verified, &leave), (2, 19));
        let (first, last) = (d("2026-05-01"), d("2026-07-31"));
        assert_eq!(attendance(first, last, PostingMode::PartTime, &cal, &verified, &[]), (2, 3));
    }

    #[test]
    fn practical_matters_count_their_yuan_and_bases() {
        let (first, last) = (d("2026-01-01"), d("2026-12-31"));
        let practical = |kind, date: &str, yuan| {
            RecordBody::Practical(crate::field::Practical {
                project_id: None,
                position: None,
                kind,
                date: d(date),
                title: "x".into(),
                yuan,
                notes: String::new(),
                photos: vec![],
            })
        };
        let records = vec![
            ("a".to_string(), practical(PracticalKind::Funds, "2026-03-01", 25_000)),
            ("b".to_string(), practical(PracticalKind::Funds, "2026-05-01", 10_000)),
            ("c".to_string(), practical(PracticalKind::PolicyFunds, "2026-05-01", 30_000)),
            ("d".to_string(), practical(PracticalKind::DemonstrationBase, "2026-06-01", 0)),
            ("e".to_string(), practical(PracticalKind::Funds, "2025-12-01", 90_000)),
        ];
        let y = from_records(first, last, PostingMode::FullTime, 2, &records);
        assert_eq!(y.facts["funds_raised_yuan"], 35_000.0, "last year's does not count");
        assert_eq!(y.evidence["funds_raised_yuan"], ["a", "b"]);
        assert_eq!((y.facts["policy_funds_yuan"], y.facts["demonstration_bases"]), (30_000.0, 1.0));
        // P1: 3 whole 10,000 yuan × 5; P2: 3 × 2; P4: 1 × 10.
        let score = crate::evaluation::rules::RuleSet::jiaozhou().projection(&y);
        let line = |code: &str| score.lines.iter().find(|l| l.code == code).unwrap().points;
        assert_eq!((line("P1"), line("P2"), line("P4")), (15.0, 6.0, 10.0));
    }

    #[test]
    fn democracy_days_reports_and_household_help_are_counted() {
        let (first, last) = (d("2026-01-01"), d("2026-06-30"));
        let visit = |date: &str, help: Vec<HelpKind>| {
            RecordBody::Visit(Visit {
                project_id: None,
                position: None,
                household_id: 1,
                date: d(date),
                notes: "x".into(),
                help,
                photos: vec![],
            })
        };
        let records = vec![
            ("a".to_string(), meeting(MeetingKind::DemocracyDay, "2026-01-10")),
            ("b".to_string(), meeting(MeetingKind::DemocracyDay, "2026-03-10")),
            ("c".to_string(), visit("2026-02-01", vec![HelpKind::Job, HelpKind::EducationAid])),
            ("d".to_string(), visit("2026-04-01", vec![HelpKind::Job])),
            ("e".to_string(), visit("2025-12-01", vec![HelpKind::Project])),
        ];
        let y = from_records(first, last, PostingMode::FullTime, 1, &records);
        assert_eq!(y.facts["missed_democracy_day_months"], 4.0);
        assert_eq!(y.facts["missed_required_meetings"], 0.0, "one in the half year suffices");
        assert_eq!(
            (y.facts["household_visits"], y.facts["jobs"], y.facts["education_aid"], y.facts["projects"]),
            (2.0, 2.0, 1.0, 0.0)
        );
        assert_eq!(y.evidence["jobs"], ["c", "d"]);
        assert_eq!((y.facts["research_reports"], y.facts["paired_households"]), (0.0, 1.0));
    }
}
