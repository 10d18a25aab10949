//! The township's live attendance board: one row per secretary, today's status and the alerts
//! that matter for the duties (§10 of the Jiaozhou rules and Yicheng's 镇街点名考勤).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{DayEvidence, DayPresence, DayRule, WorkCalendar};
use crate::duty::{self, Activity, Pairing};
use crate::geo::Coordinates;
use crate::org::{Duties, PostingMode};
use crate::Msg;

coded_enum! {
    /// 补报: a day in the village whose verified check-in reached the server after the district's
    /// grace. It counts until the township strikes it, and the allowance list waits for the
    /// township to confirm or strike it.
    LateReview {
        Pending = ("pending", "补报待核实", "Reported late, to be reviewed"),
        Confirmed = ("confirmed", "补报已确认", "Reported late, confirmed"),
        Struck = ("struck", "补报已核减", "Reported late, struck"),
    }
}

/// Records at the village on one district day (from `attendance_days`): its check-ins, and its
/// other records made inside the village.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: NaiveDate,
    /// Check-ins inside and outside the village, and those recorded offline.
    pub verified: u32,
    pub review: u32,
    pub offline: u32,
    /// The first check-in's time by the server's clock (the phone's, corrected by its push's
    /// skew), and when it reached the server; none on a day with other records only.
    pub first_device_time: Option<DateTime<Utc>>,
    pub first_received_at: Option<DateTime<Utc>>,
    /// The first verified check-in and the last verified check-out (for the district's rule).
    #[serde(default)]
    pub first_verified_in: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_verified_out: Option<DateTime<Utc>>,
    /// Other records made inside the village (a visit, a meeting …), the first one's time and
    /// when the first reached the server.
    #[serde(default)]
    pub located: u32,
    #[serde(default)]
    pub first_located: Option<DateTime<Utc>>,
    #[serde(default)]
    pub first_located_received_at: Option<DateTime<Utc>>,
    /// Set when the day was credited late (补报), with the township's review.
    #[serde(default)]
    pub late: Option<LateReview>,
}

impl DayCount {
    pub fn presence(&self) -> DayPresence {
        DayPresence {
            first_check_in: self.first_verified_in,
            first_located: self.first_located,
            last_check_out: self.last_verified_out,
        }
    }

    /// Whether the records are evidence of a day in the village by the district's rule (a
    /// late day still under review included).
    pub fn evidenced(&self, rule: &DayRule) -> bool {
        rule.counts(&self.presence())
    }

    /// Whether the day counts as in the village: by the district's rule, unless struck.
    pub fn counts(&self, rule: &DayRule) -> bool {
        self.late != Some(LateReview::Struck) && self.evidenced(rule)
    }
}

/// A check-in's position and (server-corrected) time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub at: DateTime<Utc>,
    pub day: NaiveDate,
    pub lat: f64,
    pub lon: f64,
    /// The accuracy the phone reported, metres.
    #[serde(default)]
    pub accuracy_m: f64,
}

/// Everything the board knows about one secretary.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// This month's days (and the days of this week in the previous month).
    pub days: Vec<DayCount>,
    /// Approved leave, first and last day.
    pub leave: Vec<(NaiveDate, NaiveDate)>,
    pub activity: Activity,
    pub pairings: Vec<Pairing>,
    /// Check-ins of the last 30 days, oldest first.
    pub fixes: Vec<Fix>,
    /// Inspections this month that found the secretary absent.
    pub inspection_absences: u32,
    /// The district's rule for a day in the village.
    pub rule: DayRule,
    /// The posting's first day: a term that began this month asks nothing of the days before.
    pub term_start: Option<NaiveDate>,
}

coded_enum! {
    /// Today's status on the board.
    TodayStatus {
        Verified = ("verified", "已签到（在村）", "Checked in, in the village"),
        /// No check-in, but a record made in the village today counts (`DayEvidence::AnyLocated`).
        AtWork = ("at_work", "在村（有工作记录）", "In the village, by a work record"),
        Outside = ("outside", "签到不在村范围", "Checked in outside the village"),
        OfflineLater = ("offline_later", "离线签到，后补同步", "Checked in offline, synced later"),
        NotCheckedIn = ("not_checked_in", "未签到", "Not checked in"),
        OnLeave = ("on_leave", "请假", "On leave"),
    }
}

impl TodayStatus {
    /// In the village today: a verified check-in (synced at once or later), or a record made
    /// there that the district's rule counts.
    pub fn is_present(self) -> bool {
        matches!(self, TodayStatus::Verified | TodayStatus::OfflineLater | TodayStatus::AtWork)
    }
}

coded_enum! {
    /// What the board warns about.
    AlertKind {
        NoMeeting = ("no_meeting", "未开两委例会", "No committee meeting"),
        NoStay = ("no_stay", "本月未驻村", "No stay this month"),
        Absent = ("absent", "缺勤", "Absent"),
        Outside = ("outside", "多次在村外签到", "Check-ins outside the village"),
        SameCoordinates = ("same_coordinates", "坐标完全相同", "Identical coordinates"),
        Speed = ("speed", "移动速度异常", "Implausible travel speed"),
        SameAccuracy = ("same_accuracy", "定位精度始终不变", "Accuracy that never varies"),
        InspectionAbsence = ("inspection_absence", "督查不在岗", "Absent at an inspection"),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub detail: Msg,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub status: TodayStatus,
    /// The first check-in today: the phone's time and the server's receipt.
    pub today_first: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub days_in_village_month: u32,
    /// Days in the village the mode asks for so far this month: every working day not on
    /// leave, today once it is done (脱产), or one stay (非脱产).
    pub days_required_month: u32,
    pub leave_days_month: u32,
    pub summary: duty::Summary,
    pub alerts: Vec<Alert>,
}

/// One secretary on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub posting_id: i64,
    pub secretary: String,
    pub village: String,
    pub mode: PostingMode,
    pub last_check_in: Option<LastCheckIn>,
    pub assessment: Assessment,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LastCheckIn {
    pub device_time: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub verified: bool,
    pub offline: bool,
    /// From the village's centre, metres.
    #[serde(default)]
    pub distance_m: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub township_id: i64,
    pub township: String,
    pub today: NaiveDate,
    pub rows: Vec<BoardRow>,
    pub leave_requests: Vec<LeaveRequest>,
    pub roll_calls: Vec<RollCall>,
    /// Whether the district has turned roll calls on (`mandate::Mandate::RollCall`).
    #[serde(default)]
    pub roll_calls_on: bool,
    /// Days of this month and the last credited late (补报), for the township to review.
    #[serde(default)]
    pub late_days: Vec<LateDay>,
}

/// A day credited late, as the township reviews it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateDay {
    pub posting_id: i64,
    pub secretary: String,
    pub day: NaiveDate,
    /// When the day's first check-in reached the server.
    pub received_at: DateTime<Utc>,
    pub review: LateReview,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct LeaveRequest {
    pub id: i64,
    pub posting_id: i64,
    pub secretary: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub reason: String,
    pub status: String,
    pub requested_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RollCall {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub answers: Vec<RollCallAnswer>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct RollCallAnswer {
    pub posting_id: i64,
    pub secretary: String,
    /// The answering check-in: the phone's time (corrected) and whether inside the village.
    pub answered_at: Option<DateTime<Utc>>,
    pub verified: Option<bool>,
    /// Unanswered, but a check-in arrived after the deadline: when it was received.
    pub late_at: Option<DateTime<Utc>>,
}

/// A secretary's records, newest first, for the township to look through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub secretary: String,
    pub village: String,
    pub entries: Vec<TimelineEntry>,
    pub inspections: Vec<Inspection>,
    /// The posting's paired households (id, head of household), so visits and diaries name them.
    #[serde(default)]
    pub households: Vec<(i64, String)>,
}

/// An unannounced visit (督查) as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Inspection {
    pub visited_on: NaiveDate,
    pub present: bool,
    pub note: String,
    pub photo: Option<String>,
    pub inspector: String,
}

/// Which of a secretary's records a timeline shows: one kind, and the days from `from` to `to`
/// (inclusive; the day a record is about, or else the district day it was made).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineFilter {
    pub kind: Option<crate::field::RecordKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub body: crate::field::RecordBody,
    pub device_time: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// Records with a position (check-ins, and work records made with one): `verified` or
    /// `review`.
    pub verdict: Option<String>,
    pub offline: bool,
    /// Records with a position: from the village's centre, metres.
    #[serde(default)]
    pub distance_m: Option<f64>,
    /// Server minus phone clock at the push, seconds.
    #[serde(default)]
    pub clock_skew_s: i32,
}

/// A check-in received this long after it was made counts as made offline and synced later.
const LATE: i64 = 30;
/// Days with only outside check-ins this month before the board warns.
const OUTSIDE_DAYS: usize = 2;
/// Check-ins on this many days or more, all reporting the very same accuracy, are not GPS fixes.
const SAME_ACCURACY_DAYS: usize = 5;
/// Faster than this between two check-ins more than [`SPEED_MIN_KM`] apart is not travel.
const SPEED_KMH: f64 = 150.0;
const SPEED_MIN_KM: f64 = 5.0;

fn on_leave(leave: &[(NaiveDate, NaiveDate)], day: NaiveDate) -> bool {
    leave.iter().any(|(a, b)| *a <= day && day <= *b)
}

pub fn assess(today: NaiveDate, duties: &Duties, calendar: &WorkCalendar, facts: &Facts) -> Assessment {
    let month_start = today.with_day(1).unwrap_or(today).max(facts.term_start.unwrap_or(NaiveDate::MIN));
    let this_month = |d: NaiveDate| d >= month_start && d <= today;
    let verified_days: Vec<NaiveDate> =
        facts.days.iter().filter(|d| this_month(d.day) && d.counts(&facts.rule)).map(|d| d.day).collect();
    let today_row = facts.days.iter().find(|d| d.day == today);
    let status = if on_leave(&facts.leave, today) {
        TodayStatus::OnLeave
    } else {
        let delay = |d: &DayCount| Some(d.first_received_at? - d.first_device_time?);
        match today_row {
            Some(d) if d.verified > 0 && delay(d).is_some_and(|t| t > Duration::minutes(LATE)) => {
                TodayStatus::OfflineLater
            }
            Some(d) if d.verified > 0 => TodayStatus::Verified,
            Some(d) if d.located > 0 && facts.rule.evidence == DayEvidence::AnyLocated => TodayStatus::AtWork,
            Some(d) if d.review > 0 => TodayStatus::Outside,
            _ => TodayStatus::NotCheckedIn,
        }
    };
    let month_days = (month_start.iter_days().take_while(|d| *d <= today)).collect::<Vec<_>>();
    let leave_days_month = month_days.iter().filter(|d| on_leave(&facts.leave, **d)).count() as u32;
    let working: Vec<NaiveDate> =
        calendar.working_days(month_start, today).filter(|d| !on_leave(&facts.leave, *d)).collect();
    // Today is owed once it is done (the absence alert below likewise waits for the day to end).
    let owed = working.iter().filter(|d| **d < today || verified_days.contains(d)).count() as u32;
    let days_required_month = if duties.resident { owed } else { 1 };
    let summary = duty::summary(today, duties, &facts.activity, &facts.pairings);

    let mut alerts = Vec::new();
    if !summary.meeting_recorded {
        alerts.push(if duties.meeting_every_week {
            Alert {
                kind: AlertKind::NoMeeting,
                detail: Msg::new("本周未记录两委例会", "no committee meeting this week"),
            }
        } else {
            Alert {
                kind: AlertKind::NoMeeting,
                detail: Msg::new("本月未记录两委例会", "no committee meeting this month"),
            }
        });
    }
    if duties.resident {
        // Days already over: today may still bring a check-in.
        let absent = working.iter().filter(|d| **d < today && !verified_days.contains(d)).count();
        if absent > 0 {
            alerts.push(Alert {
                kind: AlertKind::Absent,
                detail: Msg::new(
                    format!("本月缺勤 {absent} 个工作日"),
                    format!("absent {absent} working days this month"),
                ),
            });
        }
    } else if verified_days.is_empty() {
        alerts.push(Alert {
            kind: AlertKind::NoStay,
            detail: Msg::new("本月尚未驻村", "no stay in the village this month"),
        });
    }
    let outside = facts.days.iter().filter(|d| this_month(d.day) && d.verified == 0 && d.review > 0).count();
    if outside >= OUTSIDE_DAYS {
        alerts.push(Alert {
            kind: AlertKind::Outside,
            detail: Msg::new(
                format!("本月 {outside} 天只在村外签到"),
                format!("{outside} days this month checked in only outside"),
            ),
        });
    }
    if let Some((a, b)) = same_coordinates(&facts.fixes) {
        alerts.push(Alert {
            kind: AlertKind::SameCoordinates,
            detail: Msg::new(format!("{a} 与 {b} 的签到坐标完全相同"), format!("identical coordinates on {a} and {b}")),
        });
    }
    if let Some(kmh) = fastest_move(&facts.fixes) {
        alerts.push(Alert {
            kind: AlertKind::Speed,
            detail: Msg::new(
                format!("两次签到间移动速度约 {kmh:.0} 公里/小时"),
                format!("moved about {kmh:.0} km/h between check-ins"),
            ),
        });
    }
    if let Some(m) = constant_accuracy(&facts.fixes) {
        let days = SAME_ACCURACY_DAYS;
        alerts.push(Alert {
            kind: AlertKind::SameAccuracy,
            detail: Msg::new(
                format!("近 30 天至少 {days} 天的签到精度都是 {m} 米"),
                format!("the check-ins of {days} days or more all report {m} m of accuracy"),
            ),
        });
    }
    if facts.inspection_absences > 0 {
        let n = facts.inspection_absences;
        alerts.push(Alert {
            kind: AlertKind::InspectionAbsence,
            detail: Msg::new(format!("本月督查 {n} 次不在岗"), format!("absent at {n} inspections this month")),
        });
    }
    Assessment {
        status,
        today_first: today_row.and_then(|d| Some((d.first_device_time?, d.first_received_at?))),
        days_in_village_month: verified_days.len() as u32,
        days_required_month,
        leave_days_month,
        summary,
        alerts,
    }
}

/// Two check-ins on different days at exactly the same position (to a millionth of a degree,
/// about 10 cm): real GPS fixes never repeat like that; a position typed into a fake-GPS app does.
fn same_coordinates(fixes: &[Fix]) -> Option<(NaiveDate, NaiveDate)> {
    let key = |f: &Fix| ((f.lat * 1e6).round() as i64, (f.lon * 1e6).round() as i64);
    let mut seen: std::collections::HashMap<(i64, i64), NaiveDate> = Default::default();
    for f in fixes {
        match seen.get(&key(f)) {
            Some(day) if *day != f.day => return Some((*day, f.day)),
            Some(_) => {}
            None => {
                seen.insert(key(f), f.day);
            }
        }
    }
    None
}

/// The accuracy every check-in reported, if it never varied over [`SAME_ACCURACY_DAYS`] days or
/// more: a real receiver's estimate changes with the sky; a position typed into a fake-GPS app
/// often carries the app's one number.
fn constant_accuracy(fixes: &[Fix]) -> Option<f64> {
    let first = fixes.first()?.accuracy_m;
    let days: std::collections::BTreeSet<NaiveDate> = fixes.iter().map(|f| f.day).collect();
    (days.len() >= SAME_ACCURACY_DAYS && fixes.iter().all(|f| f.accuracy_m.to_bits() == first.to_bits()))
        .then_some(first)
}

/// The highest speed between consecutive check-ins far enough apart to be travel, if implausible.
fn fastest_move(fixes: &[Fix]) -> Option<f64> {
    fixes
        .windows(2)
        .filter_map(|w| {
            let a = Coordinates::parse(w[0].lat, w[0].lon).ok()?;
            let b = Coordinates::parse(w[1].lat, w[1].lon).ok()?;
            let km = a.distance_m(b) / 1000.0;
            let hours = ((w[1].at - w[0].at).num_seconds().max(1)) as f64 / 3600.0;
            (km > SPEED_MIN_KM).then_some(km / hours)
        })
        .filter(|kmh| *kmh > SPEED_KMH)
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::PostingMode;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn day(s: &str, verified: u32, review: u32, received_late_min: i64) -> DayCount {
        let made = t(&format!("{s}T00:30:00Z"));
        DayCount {
            day: d(s),
            verified,
            review,
            offline: 0,
            first_device_time: Some(made),
            first_received_at: Some(made + Duration::minutes(received_late_min)),
            first_verified_in: (verified > 0).then_some(made),
            last_verified_out: None,
            located: 0,
            first_located: None,
            first_located_received_at: None,
            late: None,
        }
    }

    /// A day with no check-in and one visit made inside the village.
    fn visited(s: &str) -> DayCount {
        let made = t(&format!("{s}T02:00:00Z"));
        DayCount {
            first_device_time: None,
            first_received_at: None,
            first_verified_in: None,
            located: 1,
            first_located: Some(made),
            ..day(s, 0, 0, 0)
        }
    }

    #[test]
    fn a_visit_in_the_village_without_a_check_in_is_a_day_there_unless_the_district_asks_for_check_ins() {
        let cal = WorkCalendar::default();
        let full = PostingMode::FullTime.duties();
        let today = d("2026-11-25");
        let mut f = Facts { days: vec![visited("2026-11-24"), visited("2026-11-25")], ..Facts::default() };
        let a = assess(today, &full, &cal, &f);
        assert_eq!(a.status, TodayStatus::AtWork);
        assert!(a.status.is_present());
        assert_eq!(a.days_in_village_month, 2);
        assert_eq!(a.today_first, None, "no check-in time to show");

        f.rule.evidence = crate::calendar::DayEvidence::CheckIn;
        let a = assess(today, &full, &cal, &f);
        assert_eq!(a.status, TodayStatus::NotCheckedIn);
        assert_eq!(a.days_in_village_month, 0);
    }

    #[test]
    fn todays_status_distinguishes_leave_late_sync_outside_and_absence() {
        let cal = WorkCalendar::default();
        let full = PostingMode::FullTime.duties();
        let today = d("2026-11-25");
        let mut f = Facts::default();
        assert_eq!(assess(today, &full, &cal, &f).status, TodayStatus::NotCheckedIn);
        f.days = vec![day("2026-11-25", 0, 1, 0)];
        assert_eq!(assess(today, &full, &cal, &f).status, TodayStatus::Outside);
        f.days = vec![day("2026-11-25", 1, 0, 0)];
        assert_eq!(assess(today, &full, &cal, &f).status, TodayStatus::Verified);
        f.days = vec![day("2026-11-25", 1, 0, 360)];
        let a = assess(today, &full, &cal, &f);
        assert_eq!(a.status, TodayStatus::OfflineLater);
        assert_eq!(a.today_first.map(|(m, r)| (r - m).num_minutes()), Some(360), "both times are kept");
        f.leave = vec![(d("2026-11-24"), d("2026-11-26"))];
        assert_eq!(assess(today, &full, &cal, &f).status, TodayStatus::OnLeave);
    }

    #[test]
    fn absence_counts_past_working_days_without_a_verified_check_in_less_leave() {
        // November 2026: the 2nd is a Monday. Up to Tuesday the 24th: 17 working days (today,
        // the 25th, is owed once done).
        let cal = WorkCalendar::default();
        let full = PostingMode::FullTime.duties();
        let today = d("2026-11-25");
        let mut f = Facts { days: vec![day("2026-11-02", 1, 0, 0), day("2026-11-03", 0, 2, 0)], ..Facts::default() };
        let a = assess(today, &full, &cal, &f);
        assert_eq!((a.days_in_village_month, a.days_required_month), (1, 17));
        let absent = a.alerts.iter().find(|x| x.kind == AlertKind::Absent).unwrap();
        assert_eq!(absent.detail.zh, "本月缺勤 16 个工作日", "today is not over; the 2nd was present");
        f.leave = vec![(d("2026-11-03"), d("2026-11-24"))];
        let a = assess(today, &full, &cal, &f);
        assert!(a.alerts.iter().all(|x| x.kind != AlertKind::Absent), "approved leave removes the absence");
        assert_eq!((a.days_required_month, a.leave_days_month), (1, 22));
    }

    #[test]
    fn a_term_begun_this_month_asks_nothing_of_the_days_before() {
        let cal = WorkCalendar::default();
        let full = PostingMode::FullTime.duties();
        let today = d("2026-11-25");
        // Moved to this village on Monday the 16th; the check-in of the 10th was in the old one.
        let f = Facts {
            days: vec![day("2026-11-10", 1, 0, 0), day("2026-11-17", 1, 0, 0)],
            term_start: Some(d("2026-11-16")),
            ..Facts::default()
        };
        let a = assess(today, &full, &cal, &f);
        assert_eq!((a.days_in_village_month, a.days_required_month), (1, 7), "16–24 November: 7 working days");
        let absent = a.alerts.iter().find(|x| x.kind == AlertKind::Absent).unwrap();
        assert_eq!(absent.detail.zh, "本月缺勤 6 个工作日");
    }

    #[test]
    fn a_day_reported_late_counts_until_struck() {
        let cal = WorkCalendar::default();
        let full = PostingMode::FullTime.duties();
        let today = d("2026-11-25");
        let mut late = day("2026-11-02", 1, 0, 3 * 24 * 60);
        late.late = Some(LateReview::Pending);
        let mut f = Facts { days: vec![late, day("2026-11-03", 1, 0, 0)], ..Facts::default() };
        let a = assess(today, &full, &cal, &f);
        assert_eq!(a.days_in_village_month, 2);
        f.days[0].late = Some(LateReview::Struck);
        assert_eq!(assess(today, &full, &cal, &f).days_in_village_month, 1, "struck by the township");
    }

    #[test]
    fn part_time_secretaries_need_one_stay_and_a_monthly_meeting() {
        let cal = WorkCalendar::default();
        let part = PostingMode::PartTime.duties();
        let today = d("2026-11-25");
        let kinds = |f: &Facts| assess(today, &part, &cal, f).alerts.iter().map(|a| a.kind).collect::<Vec<_>>();
        let mut f = Facts::default();
        assert_eq!(kinds(&f), [AlertKind::NoMeeting, AlertKind::NoStay]);
        f.days = vec![day("2026-11-10", 1, 0, 0)];
        f.activity.liang_wei_meetings.insert(d("2026-11-03"));
        assert!(kinds(&f).is_empty());
        assert_eq!(assess(today, &part, &cal, &f).days_required_month, 1);
    }

    #[test]
    fn faked_positions_show_as_identical_coordinates_or_impossible_speed() {
        let fix = |at: &str, lat: f64, lon: f64| Fix { at: t(at), day: t(at).date_naive(), lat, lon, accuracy_m: 15.0 };
        let honest = [
            fix("2026-11-20T00:30:00Z", 34.700_012, 117.500_031),
            fix("2026-11-21T00:31:00Z", 34.700_043, 117.499_987),
        ];
        assert_eq!(same_coordinates(&honest), None);
        let typed = [
            fix("2026-11-20T00:30:00Z", 34.7, 117.5),
            fix("2026-11-20T09:00:00Z", 34.7, 117.5),
            fix("2026-11-21T00:30:00Z", 34.7, 117.5),
        ];
        assert_eq!(
            same_coordinates(&typed),
            Some((d("2026-11-20"), d("2026-11-21"))),
            "the same day twice is not suspicious"
        );
        // About 55 km in 10 minutes.
        let jump = [fix("2026-11-20T00:30:00Z", 34.7, 117.5), fix("2026-11-20T00:40:00Z", 35.2, 117.5)];
        assert!(fastest_move(&jump).is_some_and(|kmh| kmh > 300.0));
        // The same distance in two hours is a drive.
        let drive = [fix("2026-11-20T00:30:00Z", 34.7, 117.5), fix("2026-11-20T02:30:00Z", 35.2, 117.5)];
        assert_eq!(fastest_move(&drive), None);
        // Five days, every fix reporting 15.0 m: the same number every time.
        let days: Vec<Fix> = (16..=20).map(|d| fix(&format!("2026-11-{d}T00:30:00Z"), 34.7, 117.5)).collect();
        assert_eq!(constant_accuracy(&days), Some(15.0));
        assert_eq!(constant_accuracy(&days[..4]), None, "four days are not enough to tell");
        let mut varied = days.clone();
        varied[2].accuracy_m = 15.000001;
        assert_eq!(constant_accuracy(&varied), None);
    }
}
