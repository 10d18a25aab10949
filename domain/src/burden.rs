//! The reporting burden (填报负担), measured rather than guessed: the phone times each form
//! from opening to saving and counts the fields filled in ([`Effort`], sent with the record as
//! metadata, never a score of anyone); the department reads, per township and per record kind,
//! how many minutes a week recording costs a secretary, against a budget it sets (为基层减负,
//! `docs/burden.md`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::field::RecordKind;

/// How long a record took to make on the phone, across its drafts, and how many fields were
/// filled in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effort {
    pub seconds: u32,
    pub fields: u16,
}

/// Longest time one record is credited with: a form left open longer was not being filled in
/// all along, and one forgotten form must not make a township's figure.
pub const MAX_EFFORT_SECONDS: u32 = 30 * 60;

impl Effort {
    /// The time from `from` to `to` (none if the clock went back) with `fields` filled in.
    pub fn timed(from: DateTime<Utc>, to: DateTime<Utc>, fields: u16) -> Effort {
        let seconds = u32::try_from((to - from).num_seconds().max(0)).unwrap_or(u32::MAX);
        Effort { seconds, fields }.bounded()
    }

    /// Within bounds: [`MAX_EFFORT_SECONDS`], and no more fields than a form has.
    pub fn bounded(self) -> Effort {
        Effort { seconds: self.seconds.min(MAX_EFFORT_SECONDS), fields: self.fields.min(64) }
    }

    /// This effort and another opening's of the same record (a draft reopened and finished):
    /// the time adds up; the fields are the most either filled in (the same field touched
    /// again is not another field).
    pub fn plus(self, other: Effort) -> Effort {
        Effort { seconds: self.seconds.saturating_add(other.seconds), fields: self.fields.max(other.fields) }.bounded()
    }
}

/// Weeks the figures cover (the last 28 days).
pub const WEEKS: u32 = 4;

/// The budget a district starts with: minutes a week a secretary spends recording.
pub const DEFAULT_BUDGET_MINUTES: i32 = 30;

/// The product's own goal for the time to record one of a kind, seconds (issue 13).
pub fn goal_seconds(kind: RecordKind) -> Option<u32> {
    match kind {
        RecordKind::Meeting | RecordKind::Visit => Some(60),
        RecordKind::Diary => Some(90),
        _ => None,
    }
}

/// One posting's records of one kind over the last [`WEEKS`] (`posting_burden`, kept by the
/// dashboard's refresher).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct PostingBurden {
    pub posting_id: i64,
    /// The township (or district, for a city) the figures are summed under.
    pub area: String,
    pub kind: RecordKind,
    pub records: i32,
    /// Records that came with an [`Effort`] (phones older than the measurement send none).
    pub measured: i32,
    pub seconds: i64,
    pub fields: i64,
}

/// An area's burden: the median secretary's minutes a week, how many are over the budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaBurden {
    pub area: String,
    pub secretaries: usize,
    /// Records a week, per secretary (mean).
    pub records_week: f64,
    pub median_minutes_week: f64,
    pub over_budget: usize,
}

/// A kind's burden over the whole scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindBurden {
    pub kind: RecordKind,
    /// Records a week, per secretary (mean).
    pub records_week: f64,
    /// Mean time to record one, seconds (of the measured ones); none when none was measured.
    pub seconds_each: Option<f64>,
    pub fields_each: Option<f64>,
    pub goal_seconds: Option<u32>,
    pub measured: i64,
    pub records: i64,
}

/// What the department reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Burden {
    /// The budget, when the scope's districts share one (each secretary is held to their
    /// own district's).
    pub budget_minutes_week: Option<i32>,
    pub areas: Vec<AreaBurden>,
    pub kinds: Vec<KindBurden>,
    /// Secretaries of the scope (those without any record count as spending nothing).
    pub secretaries: usize,
}

impl Burden {
    /// Sums `rows` of the current postings `secretaries` (posting, area, their district's
    /// budget), measured time extended to the unmeasured records of the same posting and kind
    /// at the same rate.
    pub fn summarise(secretaries: &[(i64, String, i32)], rows: &[PostingBurden]) -> Burden {
        let weeks = f64::from(WEEKS);
        // Each posting's minutes a week and records a week.
        let per_posting = |id: i64| -> (f64, f64) {
            rows.iter().filter(|r| r.posting_id == id).fold((0.0, 0.0), |(min, rec), r| {
                let each = if r.measured > 0 { r.seconds as f64 / f64::from(r.measured) } else { 0.0 };
                (min + each * f64::from(r.records) / 60.0 / weeks, rec + f64::from(r.records) / weeks)
            })
        };
        let mut areas: Vec<AreaBurden> = Vec::new();
        let mut names: Vec<&str> = secretaries.iter().map(|(_, a, _)| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            // Minutes and records a week, and the budget, of each of the area's secretaries.
            let figures: Vec<(f64, f64, i32)> = secretaries
                .iter()
                .filter(|(_, a, _)| a == name)
                .map(|(id, _, budget)| {
                    let (minutes, records) = per_posting(*id);
                    (minutes, records, *budget)
                })
                .collect();
            let mut minutes: Vec<f64> = figures.iter().map(|f| f.0).collect();
            minutes.sort_by(f64::total_cmp);
            let n = figures.len();
            areas.push(AreaBurden {
                area: name.to_string(),
                secretaries: n,
                records_week: figures.iter().map(|f| f.1).sum::<f64>() / n.max(1) as f64,
                median_minutes_week: median(&minutes),
                over_budget: figures.iter().filter(|f| f.0 > f64::from(f.2)).count(),
            });
        }
        let n = secretaries.len().max(1) as f64;
        let kinds = RecordKind::ALL
            .iter()
            .map(|&kind| {
                let of: Vec<&PostingBurden> = rows.iter().filter(|r| r.kind == kind).collect();
                let records: i64 = of.iter().map(|r| i64::from(r.records)).sum();
                let measured: i64 = of.iter().map(|r| i64::from(r.measured)).sum();
                let seconds: i64 = of.iter().map(|r| r.seconds).sum();
                let fields: i64 = of.iter().map(|r| r.fields).sum();
                KindBurden {
                    kind,
                    records_week: records as f64 / weeks / n,
                    seconds_each: (measured > 0).then(|| seconds as f64 / measured as f64),
                    fields_each: (measured > 0).then(|| fields as f64 / measured as f64),
                    goal_seconds: goal_seconds(kind),
                    measured,
                    records,
                }
            })
            .collect();
        let mut budgets = secretaries.iter().map(|s| s.2);
        let first = budgets.next();
        let shared = if budgets.all(|b| Some(b) == first) { first } else { None };
        Burden { budget_minutes_week: shared, areas, kinds, secretaries: secretaries.len() }
    }
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Checks a district's budget: 1 to 600 minutes a week.
pub fn budget(minutes: i32) -> Result<i32, crate::Msg> {
    if (1..=600).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(crate::Msg::new("填报负担上限应为 1–600 分钟/周", "the budget is 1 to 600 minutes a week"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(posting_id: i64, area: &str, kind: RecordKind, records: i32, measured: i32, seconds: i64) -> PostingBurden {
        PostingBurden {
            posting_id,
            area: area.into(),
            kind,
            records,
            measured,
            seconds,
            fields: i64::from(measured) * 4,
        }
    }

    #[test]
    fn minutes_a_week_are_the_median_secretarys_with_unmeasured_records_at_the_measured_rate() {
        let secretaries = [
            (1, "古邵镇".to_string(), 30),
            (2, "古邵镇".to_string(), 30),
            (3, "古邵镇".to_string(), 30),
            (4, "阴平镇".to_string(), 30),
        ];
        let rows = [
            // 8 meetings in 4 weeks, 4 of them timed at 60 s each: 8 × 60 s / 4 weeks = 2 min a week.
            row(1, "古邵镇", RecordKind::Meeting, 8, 4, 240),
            // 20 diaries, all timed, 120 s each: 20 × 120 / 4 / 60 = 10 min a week.
            row(2, "古邵镇", RecordKind::Diary, 20, 20, 2400),
            // 40 visits at 300 s: 50 min a week, over a 30-minute budget.
            row(3, "古邵镇", RecordKind::Visit, 40, 40, 12_000),
        ];
        let b = Burden::summarise(&secretaries, &rows);
        assert_eq!(b.budget_minutes_week, Some(30));
        let area = |name: &str| b.areas.iter().find(|a| a.area == name).unwrap();
        let gushao = area("古邵镇");
        assert_eq!((gushao.area.as_str(), gushao.secretaries, gushao.over_budget), ("古邵镇", 3, 1));
        assert!((gushao.median_minutes_week - 10.0).abs() < 1e-9, "{}", gushao.median_minutes_week);
        assert!((gushao.records_week - 68.0 / 4.0 / 3.0).abs() < 1e-9);
        let yinping = area("阴平镇");
        assert_eq!((yinping.area.as_str(), yinping.median_minutes_week), ("阴平镇", 0.0), "no records: nothing spent");
        let meeting = b.kinds.iter().find(|k| k.kind == RecordKind::Meeting).unwrap();
        assert_eq!((meeting.seconds_each, meeting.goal_seconds, meeting.measured), (Some(60.0), Some(60), 4));
        let talk = b.kinds.iter().find(|k| k.kind == RecordKind::Talk).unwrap();
        assert_eq!((talk.seconds_each, talk.records), (None, 0));
    }

    #[test]
    fn an_effort_is_bounded_and_its_time_adds_up_over_drafts() {
        let e = Effort { seconds: 50, fields: 3 }.plus(Effort { seconds: 40, fields: 2 });
        assert_eq!(e, Effort { seconds: 90, fields: 3 });
        assert_eq!(Effort { seconds: 86_400, fields: 9 }.bounded().seconds, MAX_EFFORT_SECONDS);
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            Effort::timed(t("2026-12-06T08:00:00Z"), t("2026-12-06T08:01:05Z"), 4),
            Effort { seconds: 65, fields: 4 }
        );
        assert_eq!(Effort::timed(t("2026-12-06T08:00:00Z"), t("2026-12-06T07:00:00Z"), 1).seconds, 0, "clock set back");
        assert!(budget(0).is_err() && budget(601).is_err());
        assert_eq!(budget(30), Ok(30));
    }
}
