//! The facts the records decide (`rules::Year::facts`), counted from a posting's records over
//! the evaluation period, each with the ids of the records behind it as evidence. Rule sets
//! name facts by code (they are data); every other fact they name is entered by an assessor.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use super::rules::Year;
use crate::duty::week_start;
use crate::field::{HelpKind, MeetingKind, PracticalKind, RecordBody};
use crate::org::PostingMode;

coded_enum! {
    /// A fact the system counts from the records, attendance and the posting's commitments and
    /// projects (its code is what rule sets name).
    Fact {
        MissedLiangWeiMeetings = ("missed_liang_wei_meetings", "未主持两委例会的周（脱产）或月（非脱产）",
            "weeks (full-time) or months (part-time) without a 两委 meeting"),
        MissedDemocracyDayMonths = ("missed_democracy_day_months", "未开民主活动日的月份", "months without a democracy day"),
        MissedRequiredMeetings = ("missed_required_meetings", "未参加党员大会等会议的半年",
            "half years without the required meetings"),
        ResearchReports = ("research_reports", "调研报告", "research reports"),
        PairedHouseholds = ("paired_households", "结对帮扶户", "paired households"),
        HouseholdVisits = ("household_visits", "入户走访", "home visits"),
        EducationAid = ("education_aid", "助学", "education aid"),
        Jobs = ("jobs", "安排就业", "jobs"),
        Projects = ("projects", "脱贫项目", "projects"),
        ReliefApplications = ("relief_applications", "申请救助", "relief applications"),
        DaysInVillage = ("days_in_village", "在村天数（非脱产：有驻村的月份）",
            "days in the village (part-time: months with a stay)"),
        DaysRequired = ("days_required", "应在村天数（非脱产：月份）", "days required (part-time: months)"),
        InspectionAbsences = ("inspection_absences", "督查不在岗次数", "absences found by inspections"),
        FundsRaisedYuan = ("funds_raised_yuan", "争取物资资金（元，实事记录）", "funds raised (yuan, practical matters)"),
        PolicyFundsYuan = ("policy_funds_yuan", "争取政策扶持资金（元，实事记录）", "policy funds (yuan, practical matters)"),
        DemonstrationBases = ("demonstration_bases", "建立示范基地（实事记录）", "demonstration bases (practical matters)"),
        ProjectsBrought = ("projects_brought", "引进项目（实事记录，类别由考核组评定）",
            "projects brought in (classed by the assessors)"),
        CommitmentsDone = ("commitments_done", "已完成的承诺事项", "commitment items done"),
        CommitmentsTotal = ("commitments_total", "承诺事项", "commitment items"),
        MilestonesDone = ("milestones_done", "入库项目已完成节点", "approved projects' milestones reached"),
        MilestonesTotal = ("milestones_total", "入库项目节点", "approved projects' milestones"),
    }
}

impl Fact {
    /// The fact a stored code names, if the system counts it.
    pub fn from_code(code: &str) -> Option<Fact> {
        Fact::ALL.iter().copied().find(|f| f.code() == code)
    }
}

/// What binds the posting after its term (任后评估): its commitment's items and its approved
/// projects' milestones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Binding {
    /// Items the posting itself finished (not those a successor did after a hand-over).
    pub commitments_done: u32,
    pub commitments: u32,
    pub milestones_done: u32,
    pub milestones: u32,
}

impl Year {
    /// Sets a counted fact, with the records behind it (if any) as its evidence.
    pub fn put(&mut self, fact: Fact, value: f64, evidence: Vec<String>) {
        self.facts.insert(fact.code().to_string(), value);
        if !evidence.is_empty() {
            self.evidence.insert(fact.code().to_string(), evidence);
        }
    }

    /// A fact's value (0 when it was not counted or entered).
    pub fn get(&self, fact: &str) -> f64 {
        self.facts.get(fact).copied().unwrap_or(0.0)
    }

    /// Attendance over the period and the absences inspections found.
    pub fn put_attendance(&mut self, (present, required): (usize, usize), inspection_absences: u32) {
        self.put(Fact::DaysInVillage, present as f64, Vec::new());
        self.put(Fact::DaysRequired, required as f64, Vec::new());
        self.put(Fact::InspectionAbsences, f64::from(inspection_absences), Vec::new());
    }

    pub fn put_binding(&mut self, b: Binding) {
        self.put(Fact::CommitmentsDone, f64::from(b.commitments_done), Vec::new());
        self.put(Fact::CommitmentsTotal, f64::from(b.commitments), Vec::new());
        self.put(Fact::MilestonesDone, f64::from(b.milestones_done), Vec::new());
        self.put(Fact::MilestonesTotal, f64::from(b.milestones), Vec::new());
    }

    /// The facts the system counted (not those entered by assessors).
    pub fn recorded(&self) -> BTreeMap<String, f64> {
        self.facts.iter().filter(|(k, _)| Fact::from_code(k).is_some()).map(|(k, v)| (k.clone(), *v)).collect()
    }
}

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
    let mut put = |fact: Fact, value: f64, evidence: Vec<String>| y.put(fact, value, evidence);
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
    put(Fact::MissedLiangWeiMeetings, missed as f64, chaired.iter().map(|(id, _)| (*id).clone()).collect());
    // B3.2: a 民主活动日 every month; D3: at least one each half year.
    let days = meetings(MeetingKind::DemocracyDay, false);
    let held: BTreeSet<(i32, u32)> = days.iter().map(|(_, d)| (d.year(), d.month())).collect();
    let evidence: Vec<String> = days.iter().map(|(id, _)| (*id).clone()).collect();
    put(
        Fact::MissedDemocracyDayMonths,
        months(first, last).filter(|m| !held.contains(m)).count() as f64,
        evidence.clone(),
    );
    let halves: BTreeSet<(i32, u32)> = months(first, last).map(|(y, m)| (y, (m - 1) / 6)).collect();
    let missed_halves =
        halves.iter().filter(|(y, h)| !held.iter().any(|(yy, mm)| yy == y && (mm - 1) / 6 == *h)).count();
    put(Fact::MissedRequiredMeetings, missed_halves as f64, evidence);
    // D1.2: a research report filed.
    let reports: Vec<String> =
        records.iter().filter(|(_, b)| matches!(b, RecordBody::Research(_))).map(|(id, _)| id.clone()).collect();
    put(Fact::ResearchReports, reports.len() as f64, reports);
    // D5: paired households, home visits and the help they brought.
    put(Fact::PairedHouseholds, households as f64, Vec::new());
    let visits: Vec<(&String, &crate::field::Visit)> = records
        .iter()
        .filter_map(|(id, b)| match b {
            RecordBody::Visit(v) if in_period(v.date) => Some((id, v)),
            _ => None,
        })
        .collect();
    put(Fact::HouseholdVisits, visits.len() as f64, visits.iter().map(|(id, _)| (*id).clone()).collect());
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
        (PracticalKind::Funds, Fact::FundsRaisedYuan, true),
        (PracticalKind::PolicyFunds, Fact::PolicyFundsYuan, true),
        (PracticalKind::DemonstrationBase, Fact::DemonstrationBases, false),
        (PracticalKind::Project, Fact::ProjectsBrought, false),
    ] {
        let these: Vec<&(&String, &crate::field::Practical)> =
            practical.iter().filter(|(_, p)| p.kind == kind).collect();
        let value = if sum { these.iter().map(|(_, p)| p.yuan as f64).sum() } else { these.len() as f64 };
        put(fact, value, these.iter().map(|(id, _)| (*id).clone()).collect());
    }
    for (kind, fact) in [
        (HelpKind::EducationAid, Fact::EducationAid),
        (HelpKind::Job, Fact::Jobs),
        (HelpKind::Project, Fact::Projects),
        (HelpKind::ReliefApplication, Fact::ReliefApplications),
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
        assert_eq!(y.get(Fact::MissedLiangWeiMeetings.code()), 0.0);
        records.pop();
        let y = from_records(first, last, PostingMode::FullTime, 2, &records);
        assert_eq!(y.get(Fact::MissedLiangWeiMeetings.code()), 1.0, "one week without");
        assert_eq!(y.evidence[Fact::MissedLiangWeiMeetings.code()].len(), 50, "the meetings held are the evidence");
        // Part-time: one a month; these 50 meetings cover 12 months less December's last week.
        let y = from_records(first, last, PostingMode::PartTime, 2, &records);
        assert_eq!(y.get(Fact::MissedLiangWeiMeetings.code()), 0.0);
        let y = from_records(first, last, PostingMode::PartTime, 2, &records[..8]);
        assert_eq!(y.get(Fact::MissedLiangWeiMeetings.code()), 10.0, "January and February only");
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
        assert_eq!(y.get(Fact::FundsRaisedYuan.code()), 35_000.0, "last year's does not count");
        assert_eq!(y.evidence[Fact::FundsRaisedYuan.code()], ["a", "b"]);
        assert_eq!((y.get(Fact::PolicyFundsYuan.code()), y.get(Fact::DemonstrationBases.code())), (30_000.0, 1.0));
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
        assert_eq!(y.get(Fact::MissedDemocracyDayMonths.code()), 4.0);
        assert_eq!(y.get(Fact::MissedRequiredMeetings.code()), 0.0, "one in the half year suffices");
        assert_eq!(
            (
                y.get(Fact::HouseholdVisits.code()),
                y.get(Fact::Jobs.code()),
                y.get(Fact::EducationAid.code()),
                y.get(Fact::Projects.code())
            ),
            (2.0, 2.0, 1.0, 0.0)
        );
        assert_eq!(y.evidence[Fact::Jobs.code()], ["c", "d"]);
        assert_eq!((y.get(Fact::ResearchReports.code()), y.get(Fact::PairedHouseholds.code())), (0.0, 1.0));
    }
}
