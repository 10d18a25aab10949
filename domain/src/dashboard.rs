//! The department's dashboard (组织部工作看板): each posting's attendance and duties in the
//! periods the dashboard offers, its weeks for the trends, and the sums of a township, a
//! district or a city. A posting's figures come from the same facts and rules as its row on the
//! township board ([`board::assess`], the district's day rule, the working calendar); the data
//! layer stores them as postings change, so the dashboard only adds them up.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::board::{self, AlertKind, Assessment, Facts, TodayStatus};
use crate::calendar::WorkCalendar;
use crate::duty::week_start;
use crate::org::Duties;

coded_enum! {
    /// The span the dashboard's attendance and meeting columns cover, up to today.
    Period {
        Today = ("today", "今日", "Today"),
        Week = ("week", "本周", "This week"),
        Month = ("month", "本月", "This month"),
        Term = ("term", "任期以来", "Term so far"),
    }
}

impl Period {
    /// The period's first day for a posting whose term began on `term_start`.
    pub fn first_day(self, today: NaiveDate, term_start: NaiveDate) -> NaiveDate {
        let first = match self {
            Period::Today => today,
            Period::Week => week_start(today),
            Period::Month => month_start(today),
            Period::Term => term_start,
        };
        first.max(term_start)
    }
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// A posting's first and last day served (the term's end, or the day it ended early).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Term {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// Attendance and meetings in one period. 脱产 secretaries owe every working day not on leave
/// and a 两委 meeting a week; 非脱产 ones a stay and a meeting each month (counted in the
/// month and term periods, not in a day or a week). A day, week or month not over yet is owed
/// once it is done, so rates do not fall every morning; the Today period owes today itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFigures {
    /// Days in the village (by the district's rule), any day of the week.
    pub days: u32,
    /// What the mode asks: working days not on leave (脱产), or months begun (非脱产).
    pub required: u32,
    /// Of `required`, what was met: those working days in the village, or months with a stay.
    pub met: u32,
    pub meetings_due: u32,
    pub meetings_held: u32,
    pub leave_days: u32,
}

/// A 脱产 posting's week for the trends (Monday's date).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekFigures {
    pub week: NaiveDate,
    pub required: u32,
    pub met: u32,
    pub meeting_due: bool,
    pub meeting_held: bool,
}

/// Everything the dashboard keeps of one posting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostingFigures {
    /// Today's status and alerts as the township board shows them; `None` once the posting is over.
    pub assessment: Option<Assessment>,
    /// 脱产, posted today, a working day, not on leave.
    pub expected_today: bool,
    /// A verified check-in today.
    pub present_today: bool,
    pub periods: Vec<(Period, PeriodFigures)>,
    /// Every week of the term up to this one (脱产 only: 非脱产 duties are monthly).
    pub weeks: Vec<WeekFigures>,
}

/// A posting's figures as of `today`. `facts` hold the whole term's days and meetings (the
/// board's facts read from the term's start).
pub fn posting_figures(
    today: NaiveDate,
    term: Term,
    duties: &Duties,
    calendar: &WorkCalendar,
    facts: &Facts,
) -> PostingFigures {
    let current = term.covers(today);
    let assessment = current.then(|| board::assess(today, duties, calendar, facts));
    let on_leave = |d: NaiveDate| facts.leave.iter().any(|(a, b)| *a <= d && d <= *b);
    let expected_today = current && duties.resident && calendar.is_working(today) && !on_leave(today);
    let present_today = assessment.as_ref().is_some_and(|a| a.status.is_present());
    let ledger = Ledger { term, duties, calendar, facts, today };
    PostingFigures {
        assessment,
        expected_today,
        present_today,
        periods: Period::ALL.iter().map(|&p| (p, ledger.period(p))).collect(),
        weeks: if duties.resident { ledger.weeks() } else { Vec::new() },
    }
}

struct Ledger<'a> {
    term: Term,
    duties: &'a Duties,
    calendar: &'a WorkCalendar,
    facts: &'a Facts,
    today: NaiveDate,
}

impl Ledger<'_> {
    fn on_leave(&self, d: NaiveDate) -> bool {
        self.facts.leave.iter().any(|(a, b)| *a <= d && d <= *b)
    }

    fn present(&self, d: NaiveDate) -> bool {
        self.facts.activity.days_in_village.contains(&d)
    }

    fn meeting_between(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.facts.activity.liang_wei_meetings.range(first..=last).next().is_some()
    }

    /// The days served from `first` to `last`, up to today.
    fn served(&self, first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        let first = first.max(self.term.first);
        let last = last.min(self.term.last).min(self.today);
        first.iter_days().take_while(move |d| *d <= last)
    }

    /// Whether a span ending on `last` (within the term) is over.
    fn over(&self, last: NaiveDate) -> bool {
        last.min(self.term.last) < self.today
    }

    /// Working days not on leave from `first` to `last` that are owed, and those spent in the
    /// village. Today is owed once it is done: a rate must not fall every morning.
    fn working(&self, first: NaiveDate, last: NaiveDate, today_owed: bool) -> (u32, u32) {
        let mut owed = (0, 0);
        for d in self.served(first, last).filter(|d| self.calendar.is_working(*d) && !self.on_leave(*d)) {
            let here = self.present(d);
            if today_owed || d < self.today || here {
                owed.0 += 1;
                owed.1 += u32::from(here);
            }
        }
        owed
    }

    /// The week beginning on `monday`: owed a 两委 meeting once over (a week the term began
    /// after its Monday owes none), or once one is held.
    fn week_meeting(&self, monday: NaiveDate) -> (bool, bool) {
        let sunday = monday + Duration::days(6);
        let held = self.meeting_between(monday, sunday);
        (held || (monday >= self.term.first && self.over(sunday)), held)
    }

    fn period(&self, period: Period) -> PeriodFigures {
        let first = period.first_day(self.today, self.term.first);
        let last = self.today;
        let mut f = PeriodFigures {
            days: self.served(first, last).filter(|d| self.present(*d)).count() as u32,
            leave_days: self.served(first, last).filter(|d| self.on_leave(*d)).count() as u32,
            ..PeriodFigures::default()
        };
        if self.duties.resident {
            // Today's figures are about today itself, done or not.
            (f.required, f.met) = self.working(first, last, period == Period::Today);
            // Weeks are owed by the period holding their first day served.
            if period != Period::Today {
                for begun in self.served(first, last).filter(|d| *d == week_start(*d).max(self.term.first)) {
                    let (due, held) = self.week_meeting(week_start(begun));
                    f.meetings_due += u32::from(due);
                    f.meetings_held += u32::from(held);
                }
            }
        } else if matches!(period, Period::Month | Period::Term) {
            for start in self.served(first, last).filter(|d| *d == month_start(*d).max(self.term.first)) {
                let end =
                    month_start(start).checked_add_months(chrono::Months::new(1)).unwrap_or(start) - Duration::days(1);
                let over = self.over(end);
                let stayed = self.served(start, end).any(|d| self.present(d));
                let held = self.meeting_between(month_start(start), end);
                f.required += u32::from(over || stayed);
                f.met += u32::from(stayed);
                f.meetings_due += u32::from(over || held);
                f.meetings_held += u32::from(held);
            }
        }
        f
    }

    fn weeks(&self) -> Vec<WeekFigures> {
        let last = self.today.min(self.term.last);
        let mut out = Vec::new();
        let mut monday = week_start(self.term.first);
        while monday <= last {
            let (required, met) = self.working(monday, monday + Duration::days(6), false);
            let (meeting_due, meeting_held) = self.week_meeting(monday);
            out.push(WeekFigures { week: monday, required, met, meeting_due, meeting_held });
            monday += Duration::days(7);
        }
        out
    }
}

/// The part of a ratio that can be shown: `None` when nothing was due (a township with no
/// secretaries, a weekend), never a division by zero.
pub fn ratio(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

/// The figures of a group of postings (a township, a district, a city) in one period: sums of
/// what each posting's figures say.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Totals {
    /// Secretaries posted today.
    pub secretaries: i64,
    pub expected_today: i64,
    /// Of those expected today, in the village (verified check-in).
    pub present_expected: i64,
    /// Everyone with a verified check-in today, 非脱产 secretaries included.
    pub present_today: i64,
    pub days: i64,
    pub required: i64,
    pub met: i64,
    pub meetings_due: i64,
    pub meetings_held: i64,
    pub leave_days: i64,
    /// Diaries dated in the last 7 days, and the secretaries who wrote one.
    pub diaries_7d: i64,
    pub diarists_7d: i64,
    pub households: i64,
    /// Paired households not visited for 30 days.
    pub households_due: i64,
    pub research_reports: i64,
    /// Secretaries with each open alert, in [`AlertKind::ALL`]'s order.
    #[cfg_attr(feature = "sqlx", sqlx(json))]
    pub alerts: Vec<i64>,
    pub roll_calls: i64,
    pub roll_calls_answered: i64,
    /// The year-end evaluation: term goals filed, and approved by township and unit.
    pub goals_filed: i64,
    pub goals_approved: i64,
    /// Assessors' items scored, of those the rule sets ask.
    pub assessed: i64,
    pub assessable: i64,
    pub survey_votes: i64,
    pub survey_eligible: i64,
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Totals {
    pub fn attendance_rate(&self) -> Option<f64> {
        share(self.met, self.required)
    }

    pub fn meeting_rate(&self) -> Option<f64> {
        share(self.meetings_held, self.meetings_due)
    }

    pub fn today_rate(&self) -> Option<f64> {
        share(self.present_expected, self.expected_today)
    }

    pub fn roll_call_rate(&self) -> Option<f64> {
        share(self.roll_calls_answered, self.roll_calls)
    }

    pub fn survey_turnout(&self) -> Option<f64> {
        share(self.survey_votes, self.survey_eligible)
    }

    /// Secretaries with an alert of this kind.
    pub fn alert(&self, kind: AlertKind) -> i64 {
        AlertKind::ALL.iter().position(|k| *k == kind).and_then(|i| self.alerts.get(i)).copied().unwrap_or(0)
    }

    pub fn open_alerts(&self) -> i64 {
        self.alerts.iter().sum()
    }

    /// The sum of several groups (a district's townships).
    pub fn sum<'a>(groups: impl IntoIterator<Item = &'a Totals>) -> Totals {
        let mut t = Totals { alerts: vec![0; AlertKind::ALL.len()], ..Totals::default() };
        for g in groups {
            for (a, b) in [
                (&mut t.secretaries, g.secretaries),
                (&mut t.expected_today, g.expected_today),
                (&mut t.present_expected, g.present_expected),
                (&mut t.present_today, g.present_today),
                (&mut t.diaries_7d, g.diaries_7d),
                (&mut t.diarists_7d, g.diarists_7d),
                (&mut t.households, g.households),
                (&mut t.households_due, g.households_due),
                (&mut t.research_reports, g.research_reports),
                (&mut t.roll_calls, g.roll_calls),
                (&mut t.roll_calls_answered, g.roll_calls_answered),
                (&mut t.goals_filed, g.goals_filed),
                (&mut t.goals_approved, g.goals_approved),
                (&mut t.assessed, g.assessed),
                (&mut t.assessable, g.assessable),
                (&mut t.survey_votes, g.survey_votes),
                (&mut t.survey_eligible, g.survey_eligible),
            ] {
                *a = a.saturating_add(b);
            }
            for (a, b) in [
                (&mut t.days, g.days),
                (&mut t.required, g.required),
                (&mut t.met, g.met),
                (&mut t.meetings_due, g.meetings_due),
                (&mut t.meetings_held, g.meetings_held),
                (&mut t.leave_days, g.leave_days),
            ] {
                *a = a.saturating_add(b);
            }
            for (a, b) in t.alerts.iter_mut().zip(&g.alerts) {
                *a = a.saturating_add(*b);
            }
        }
        t
    }
}

/// One week of a trend line: 脱产 secretaries' working days and weekly meetings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TrendPoint {
    pub week: NaiveDate,
    pub required: i64,
    pub met: i64,
    pub meetings_due: i64,
    pub meetings_held: i64,
}

impl TrendPoint {
    pub fn attendance_rate(&self) -> Option<f64> {
        share(self.met, self.required)
    }

    pub fn meeting_rate(&self) -> Option<f64> {
        share(self.meetings_held, self.meetings_due)
    }
}

/// A line of the dashboard's table: a township (of a district) or a district (of a city).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub totals: Totals,
}

/// A trend line: the whole scope (`id` `None`) or one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub id: Option<i64>,
    pub name: String,
    pub points: Vec<TrendPoint>,
}

/// The department's dashboard of a district (rows: its townships) or of a city or everything
/// (rows: districts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The district or city shown.
    pub name: String,
    /// Set when the rows are townships (the district's id, for drilling down and exports).
    pub district_id: Option<i64>,
    pub period: Period,
    pub today: NaiveDate,
    /// When the newest figures were computed, and how many postings wait for the refresher.
    pub computed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub pending: i64,
    /// Read from a standby: the moment its data is of (`db::replica::as_of`).
    #[serde(default)]
    pub replica_as_of: Option<chrono::DateTime<chrono::Utc>>,
    pub total: Totals,
    pub rows: Vec<Row>,
    /// The whole first, then one line per row.
    pub trends: Vec<Series>,
    /// Next year's calendar is not loaded (from November).
    pub calendar_due: Option<i32>,
    /// Years of the period counted without a loaded calendar: its rates are provisional.
    pub provisional: Vec<i32>,
}

impl Dashboard {
    /// What the headline and the first trend line stand for.
    pub fn whole_label(&self, lang: crate::Lang) -> &'static str {
        match (self.district_id, self.name.is_empty()) {
            (Some(_), _) => lang.pick("全区", "District"),
            (None, false) => lang.pick("全市", "City"),
            (None, true) => lang.pick("全部", "All"),
        }
    }
}

/// A secretary as a dispatching unit follows them: where, and today's row of the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Followed {
    pub posting_id: i64,
    pub secretary: String,
    pub village: String,
    pub township: String,
    pub mode: crate::org::PostingMode,
    pub last_check_in: Option<crate::board::LastCheckIn>,
    /// `None` until the refresher has computed the posting.
    pub assessment: Option<Assessment>,
    pub computed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A village on the district's map with its secretary's status today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct VillageDot {
    pub village: String,
    pub township: String,
    pub lat: f64,
    pub lon: f64,
    pub posting_id: Option<i64>,
    pub secretary: Option<String>,
    pub status: Option<TodayStatus>,
}

/// A township on a city's map: where its villages are, and who is in the village today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TownshipDot {
    pub id: i64,
    pub name: String,
    pub district: String,
    pub lat: f64,
    pub lon: f64,
    pub expected_today: i64,
    pub present_expected: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DayRule;
    use crate::org::PostingMode;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Facts with days in the village and chaired 两委 meetings on these dates.
    fn facts(days: &[&str], meetings: &[&str], leave: &[(&str, &str)]) -> Facts {
        let mut f = Facts { rule: DayRule::default(), ..Facts::default() };
        f.activity.days_in_village = days.iter().map(|s| d(s)).collect();
        f.activity.liang_wei_meetings = meetings.iter().map(|s| d(s)).collect();
        f.leave = leave.iter().map(|(a, b)| (d(a), d(b))).collect();
        f
    }

    fn period(f: &PostingFigures, p: Period) -> PeriodFigures {
        f.periods.iter().find(|(q, _)| *q == p).map(|(_, x)| *x).unwrap()
    }

    /// November 2026 with the calendar of the 2026 notice (no holidays in November) and a
    /// made-up holiday on Friday the 13th, to see that the calendar decides.
    fn november() -> WorkCalendar {
        WorkCalendar::new([(d("2026-11-13"), false)])
    }

    const TERM: Term = Term {
        first: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        last: NaiveDate::from_ymd_opt(2027, 2, 28).unwrap(),
    };

    #[test]
    fn working_days_come_from_the_calendar_and_leave_is_not_owed() {
        let today = d("2026-11-18"); // a Wednesday
        let full = PostingMode::FullTime.duties();
        let f = facts(
            &["2026-11-02", "2026-11-03", "2026-11-07", "2026-11-16", "2026-11-18"],
            &["2026-11-03", "2026-11-17"],
            &[("2026-11-09", "2026-11-10")],
        );
        let fig = posting_figures(today, TERM, &full, &november(), &f);
        let month = period(&fig, Period::Month);
        // 1–18 November: 13 weekdays, less the 13th (holiday) and the 9th–10th (leave).
        assert_eq!(month.required, 10);
        assert_eq!(month.met, 4, "the Saturday 7th is a day in the village but not a working day");
        assert_eq!(month.days, 5);
        assert_eq!(month.leave_days, 2);
        // Weeks begun in November: the 2nd, 9th and 16th; meetings in the first and third.
        assert_eq!((month.meetings_due, month.meetings_held), (3, 2));
        let week = period(&fig, Period::Week);
        assert_eq!((week.required, week.met, week.meetings_due, week.meetings_held), (3, 2, 1, 1));
        let today_fig = period(&fig, Period::Today);
        assert_eq!((today_fig.required, today_fig.met, today_fig.meetings_due), (1, 1, 0));
        // The morning after, before a check-in: yesterday is owed, today not yet (but for Today).
        let thursday = posting_figures(d("2026-11-19"), TERM, &full, &november(), &f);
        assert_eq!(period(&thursday, Period::Week).required, 3);
        assert_eq!(period(&thursday, Period::Today).required, 1);
        assert!(fig.expected_today);
        // A term begun on a Sunday owes that week; the Tuesday after is the next week's meeting.
        let sunday = Term { first: d("2026-11-15"), last: TERM.last };
        let f = facts(&["2026-11-16"], &["2026-11-17"], &[]);
        let fig2 = posting_figures(today, sunday, &full, &november(), &f);
        let t = period(&fig2, Period::Term);
        assert_eq!((t.meetings_due, t.meetings_held), (1, 1), "a week the term began after its Monday owes none");
        // The weeks of the term, from the week of 1 March (a Sunday) to this one.
        assert_eq!(fig.weeks.first().map(|w| w.week), Some(d("2026-02-23")));
        let w = fig.weeks.iter().find(|w| w.week == d("2026-11-09")).unwrap();
        assert_eq!((w.required, w.met, w.meeting_held), (2, 0, false), "leave on Mon–Tue, holiday on Fri");
        assert_eq!(fig.weeks.last().map(|w| w.week), Some(d("2026-11-16")));
    }

    #[test]
    fn part_time_secretaries_owe_a_stay_and_a_meeting_a_month() {
        let today = d("2026-11-18");
        let part = PostingMode::PartTime.duties();
        let term = Term { first: d("2026-09-15"), last: d("2028-09-14") };
        let f = facts(&["2026-09-20", "2026-11-05"], &["2026-10-06", "2026-11-03"], &[]);
        let fig = posting_figures(today, term, &part, &november(), &f);
        let term_fig = period(&fig, Period::Term);
        // September (from the 15th), October and November: stays in September and November.
        assert_eq!((term_fig.required, term_fig.met), (3, 2));
        assert_eq!((term_fig.meetings_due, term_fig.meetings_held), (3, 2));
        let month = period(&fig, Period::Month);
        assert_eq!((month.required, month.met, month.meetings_due, month.meetings_held), (1, 1, 1, 1));
        for p in [Period::Today, Period::Week] {
            let x = period(&fig, p);
            assert_eq!((x.required, x.meetings_due), (0, 0), "{p:?}: monthly duties");
        }
        assert!(!fig.expected_today && fig.weeks.is_empty());
    }

    #[test]
    fn a_secretary_who_moved_villages_mid_month_is_counted_once_in_each() {
        let today = d("2026-11-18");
        let full = PostingMode::FullTime.duties();
        let cal = november();
        let days = ["2026-11-02", "2026-11-03", "2026-11-10", "2026-11-16", "2026-11-17"];
        let meetings = ["2026-11-03", "2026-11-17"];
        let old = Term { first: d("2026-03-01"), last: d("2026-11-11") };
        let new = Term { first: d("2026-11-12"), last: d("2027-11-11") };
        // Each posting's facts hold only the records made under it.
        let old_fig = posting_figures(today, old, &full, &cal, &facts(&days[..3], &meetings[..1], &[]));
        let mut new_facts = facts(&days[3..], &meetings[1..], &[]);
        new_facts.term_start = Some(new.first);
        let new_fig = posting_figures(today, new, &full, &cal, &new_facts);
        let (a, b) = (period(&old_fig, Period::Month), period(&new_fig, Period::Month));
        // 1–11 November: 8 working days; 12–18: the 12th and 16th–17th (the 13th is a holiday,
        // today is owed once done).
        assert_eq!((a.required, a.met, b.required, b.met), (8, 3, 3, 2));
        assert_eq!(a.required + b.required, 11, "every working day of the month owed once");
        // The week of the 9th is the old posting's; the new one owes from the week of the 16th.
        assert_eq!((a.meetings_due, b.meetings_due), (2, 1));
        assert!(old_fig.assessment.is_none() && !old_fig.expected_today, "the old posting is over");
        let board_row = new_fig.assessment.unwrap();
        assert_eq!(board_row.days_required_month, 3, "the board counts from the move as well");
    }

    #[test]
    fn sums_of_groups_and_a_township_with_no_secretaries() {
        let empty = Totals::sum(std::iter::empty());
        assert_eq!((empty.attendance_rate(), empty.meeting_rate(), empty.today_rate()), (None, None, None));
        assert_eq!(empty.alert(AlertKind::Absent), 0);
        let mut a = Totals {
            secretaries: 2,
            required: 20,
            met: 15,
            alerts: vec![0; AlertKind::ALL.len()],
            ..Totals::default()
        };
        a.alerts[2] = 1;
        let b = Totals { secretaries: 1, required: 10, met: 10, expected_today: 1, present_expected: 1, ..a.clone() };
        let t = Totals::sum([&a, &b, &empty]);
        assert_eq!(t.secretaries, 3);
        assert_eq!(t.attendance_rate(), Some(25.0 / 30.0));
        assert_eq!(t.today_rate(), Some(1.0));
        assert_eq!(t.alert(AlertKind::ALL[2]), 2);
        assert_eq!(ratio(0, 0), None);
    }
}
