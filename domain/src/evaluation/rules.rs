//! Rule sets are data (JSON), not code branches: items with their codes, points and how each
//! is fed — by facts counted from the records, or by an assessor within the item's range. The
//! Jiaozhou rules are the default set (`jiaozhou.json`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::grade::SatisfactionThresholds;
use crate::Msg;

/// A versioned rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub code: String,
    pub version: u32,
    pub name: String,
    /// Parts whose sum must reach 80 for an excellent grade (B and D in Jiaozhou).
    pub base_parts: Vec<String>,
    pub satisfaction: SatisfactionThresholds,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub part: String,
    pub name: String,
    pub rule: Rule,
}

/// How an item is scored. `fact` names a number counted from the records (or entered with
/// evidence): a count, yuan, or 1/0 for done/not done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// `points` if the fact is done (> 0), else 0.
    Done { points: f64, fact: String },
    /// Starts at `points` and loses `per` for each unit of the fact, not below 0.
    Deduct { points: f64, fact: String, per: f64 },
    /// Starts at `points`; an assessor deducts up to `max_deduction` with a reason; `fact`
    /// (optional) deducts `fact_deduction` when done (a study not organised …).
    Judged { points: f64, max_deduction: f64, fact: Option<String>, fact_deduction: Option<f64> },
    /// Paired households: `points`, minus `per_missing` for each of `required` not paired,
    /// minus `no_visit` when there was no home visit.
    Households { points: f64, required: f64, paired: String, per_missing: f64, visits: String, no_visit: f64 },
    /// Adds `per` for each whole `unit` of the fact (1 for a count, 10,000 for yuan).
    Bonus { fact: String, per: f64, unit: f64 },
    /// Subtracts `per` for each case and `serious` for each especially serious case.
    Penalty { fact: String, per: f64, serious_fact: String, serious: f64 },
    /// An assessor gives points within [min, max] (a project's class …).
    Assessed { min: f64, max: f64 },
    /// ± `per` for each level the village organisation moved (fact: levels up, negative down).
    GradeChange { fact: String, per: f64 },
    /// `points` × the share `fact` ÷ `of` reaches (at most 1): days in the village against the
    /// days required …
    Ratio { points: f64, fact: String, of: String },
    /// A panel scores the item, each assessor from 0 to `max` (assessments keyed
    /// `CODE@assessor`); the points are the weighted sum (weights add up to 1).
    Panel { max: f64, weights: BTreeMap<String, f64> },
}

/// An assessor's points for an item that needs judgement, with the evidence and the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub points: f64,
    pub reason: String,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub assessor: String,
}

/// One secretary's year: the facts counted from the records and the assessors' scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Year {
    #[serde(default)]
    pub facts: BTreeMap<String, f64>,
    /// Where each fact came from (record ids, documents), shown beside the points.
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<String>>,
    /// Assessor scores by item code.
    #[serde(default)]
    pub assessments: BTreeMap<String, Assessment>,
}

/// A line of the result: an item's points and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub code: String,
    pub part: String,
    pub name: String,
    pub points: f64,
    pub explanation: Msg,
    pub evidence: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub rule_set: String,
    pub version: u32,
    /// Left out where only the totals are shown (a ranking page).
    #[serde(default)]
    pub lines: Vec<Line>,
    pub organisation_score: f64,
    pub base_parts: f64,
}

impl RuleSet {
    /// The Jiaozhou rules (三定一诺双评实施细则), the default.
    pub fn jiaozhou() -> RuleSet {
        serde_json::from_str(include_str!("jiaozhou.json")).expect("the bundled rule set parses")
    }

    /// Yicheng's 三评五考: five blocks scored by a panel of five (city, district, township,
    /// village, original unit), attendance fed by the records.
    pub fn yicheng() -> RuleSet {
        serde_json::from_str(include_str!("yicheng.json")).expect("the bundled rule set parses")
    }

    /// Yicheng's 任后评估: the five-block panel, plus the share of the commitment's items done
    /// and of the approved projects' milestones reached (the excellent grade at the same 80 %
    /// of the base).
    pub fn yicheng_end() -> RuleSet {
        serde_json::from_str(include_str!("yicheng_end.json")).expect("the bundled rule set parses")
    }

    /// Scores a year item by item. An item that needs an assessor and has none is an error:
    /// a result is never silently incomplete.
    pub fn score(&self, year: &Year) -> Result<Score, Msg> {
        // `+ 0.0` reads −0 as 0 (an empty sum is −0; PostgreSQL keeps no −0): a result must
        // read the same after its input has been stored and read back.
        let fact = |name: &str| year.facts.get(name).copied().unwrap_or(0.0) + 0.0;
        let evidence = |name: &str| year.evidence.get(name).cloned().unwrap_or_default();
        let mut lines = Vec::new();
        for item in &self.items {
            let assessed = year.assessments.get(&item.code);
            let (points, explanation, ev) = match &item.rule {
                Rule::Done { points, fact: f } => {
                    let done = fact(f) > 0.0;
                    let p = if done { *points } else { 0.0 };
                    let m = if done {
                        Msg::new("已完成", "done")
                    } else {
                        Msg::new("未完成，不得分", "not done: 0")
                    };
                    (p, m, evidence(f))
                }
                Rule::Deduct { points, fact: f, per } => {
                    let n = fact(f);
                    let p = (points - n * per).max(0.0);
                    (p, Msg::new(format!("{n} 次 × 扣 {per} 分"), format!("{n} × −{per}")), evidence(f))
                }
                Rule::Judged { points, max_deduction, fact: f, fact_deduction } => {
                    let a = assessed.ok_or_else(|| missing(item))?;
                    let auto = match (f, fact_deduction) {
                        (Some(f), Some(d)) if fact(f) > 0.0 => *d,
                        _ => 0.0,
                    };
                    // `+ 0.0` makes a deduction of −0 read as 0 (PostgreSQL keeps no −0).
                    let judged = (-a.points).clamp(0.0, *max_deduction) + 0.0;
                    if a.points > 0.0 || -a.points > *max_deduction {
                        return Err(out_of_range(item, -max_deduction, 0.0));
                    }
                    let p = (points - auto - judged).max(0.0);
                    let m = Msg::new(
                        format!("{}：{}（扣 {judged} 分）", a.assessor, a.reason),
                        format!("{}: {} (−{judged})", a.assessor, a.reason),
                    );
                    let mut ev = a.evidence.clone();
                    if let Some(f) = f {
                        ev.extend(evidence(f));
                    }
                    (p, m, ev)
                }
                Rule::Households { points, required, paired, per_missing, visits, no_visit } => {
                    let missing = (required - fact(paired)).max(0.0);
                    let unvisited = if fact(visits) > 0.0 { 0.0 } else { *no_visit };
                    let p = (points - missing * per_missing - unvisited).max(0.0);
                    let m = Msg::new(
                        format!("结对 {} 户（应 {required} 户），入户走访 {} 次", fact(paired), fact(visits)),
                        format!("{} of {required} households paired, {} home visits", fact(paired), fact(visits)),
                    );
                    let mut ev = evidence(paired);
                    ev.extend(evidence(visits));
                    (p, m, ev)
                }
                Rule::Bonus { fact: f, per, unit } => {
                    let units = (fact(f) / unit).floor();
                    (units * per, Msg::new(format!("{units} × {per} 分"), format!("{units} × {per}")), evidence(f))
                }
                Rule::Penalty { fact: f, per, serious_fact, serious } => {
                    let (n, s) = (fact(f), fact(serious_fact));
                    let p = -(n * per + s * serious);
                    let mut ev = evidence(f);
                    ev.extend(evidence(serious_fact));
                    (
                        p,
                        Msg::new(format!("{n} 起，其中特别严重 {s} 起"), format!("{n} cases, {s} especially serious")),
                        ev,
                    )
                }
                Rule::Assessed { min, max } => match assessed {
                    None => (0.0, Msg::new("无", "none"), Vec::new()),
                    Some(a) if a.points < *min || a.points > *max => return Err(out_of_range(item, *min, *max)),
                    Some(a) => (
                        a.points,
                        Msg::new(format!("{}：{}", a.assessor, a.reason), format!("{}: {}", a.assessor, a.reason)),
                        a.evidence.clone(),
                    ),
                },
                Rule::Ratio { points, fact: f, of } => {
                    let (n, d) = (fact(f), fact(of));
                    let share = if d > 0.0 { (n / d).min(1.0) } else { 1.0 };
                    let mut ev = evidence(f);
                    ev.extend(evidence(of));
                    (points * share, Msg::new(format!("{n} / {d}"), format!("{n} of {d}")), ev)
                }
                Rule::Panel { max, weights } => {
                    let mut points = 0.0;
                    let mut parts = Vec::new();
                    let mut ev = Vec::new();
                    for (who, weight) in weights {
                        let a = year.assessments.get(&format!("{}@{who}", item.code)).ok_or_else(|| missing(item))?;
                        if a.points < 0.0 || a.points > *max {
                            return Err(out_of_range(item, 0.0, *max));
                        }
                        points += weight * a.points;
                        parts.push(format!("{}（{who}×{weight}）{}", a.assessor, a.points));
                        ev.extend(a.evidence.clone());
                    }
                    let text = parts.join("；");
                    (points, Msg::new(text.clone(), text), ev)
                }
                Rule::GradeChange { fact: f, per } => {
                    let levels = fact(f);
                    (levels * per, Msg::new(format!("升降 {levels} 级"), format!("{levels} levels")), evidence(f))
                }
            };
            lines.push(Line {
                code: item.code.clone(),
                part: item.part.clone(),
                name: item.name.clone(),
                points: points + 0.0,
                explanation,
                evidence: ev,
            });
        }
        let organisation_score = lines.iter().map(|l| l.points).sum();
        let base_parts = lines.iter().filter(|l| self.base_parts.contains(&l.part)).map(|l| l.points).sum();
        Ok(Score { rule_set: self.code.clone(), version: self.version, lines, organisation_score, base_parts })
    }
}

impl RuleSet {
    /// A projection during the year: items that wait for assessors are taken as if nothing
    /// were deducted (judged items) or full marks given (panels); assessed bonuses count only
    /// when given. What the records decide counts as it stands.
    pub fn projection(&self, year: &Year) -> Score {
        let mut y = year.clone();
        let estimate =
            |points| Assessment { points, reason: "预估".into(), evidence: Vec::new(), assessor: "系统".into() };
        for item in &self.items {
            match &item.rule {
                Rule::Judged { .. } => {
                    y.assessments.entry(item.code.clone()).or_insert_with(|| estimate(0.0));
                }
                Rule::Panel { max, weights } => {
                    for who in weights.keys() {
                        y.assessments.entry(format!("{}@{who}", item.code)).or_insert_with(|| estimate(*max));
                    }
                }
                _ => {}
            }
        }
        // Every assessor item is now present and in range.
        self.score(&y).unwrap_or_else(|_| Score {
            rule_set: self.code.clone(),
            version: self.version,
            lines: Vec::new(),
            organisation_score: 0.0,
            base_parts: 0.0,
        })
    }
}

/// What a year is heading for ([`RuleSet::projected`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Projected {
    pub score: Score,
    /// What the base parts give at most (the scale of `score.base_parts`).
    pub base_max: f64,
    /// Base items the records have cost points so far: code, name, points lost.
    pub shortfalls: Vec<(String, String, f64)>,
}

/// Facts filed with the township (a plan, a training) that count as done until an assessor
/// enters otherwise.
const FILED: [&str; 3] = ["party_training_held", "development_plan", "annual_work_plan"];

impl RuleSet {
    /// The score `year` is heading for: items still waiting for assessors count as not
    /// deducted ([`RuleSet::projection`]), filed plans and trainings as done; and, against the
    /// year with every duty done, the base items the records have cost points so far.
    pub fn projected(&self, year: &Year) -> Projected {
        let mut year = year.clone();
        for filed in FILED {
            year.facts.entry(filed.to_string()).or_insert(1.0);
        }
        let mut full = Year::default();
        for (fact, value) in FILED.iter().map(|f| (*f, 1.0)).chain([
            ("research_reports", 1.0),
            ("paired_households", 2.0),
            ("household_visits", 1.0),
            ("days_in_village", 1.0),
            ("days_required", 1.0),
        ]) {
            full.facts.insert(fact.to_string(), value);
        }
        let (score, full) = (self.projection(&year), self.projection(&full));
        let shortfalls = score
            .lines
            .iter()
            .zip(&full.lines)
            .filter(|(l, f)| l.points < f.points && f.part != "P" && f.part != "G")
            .map(|(l, f)| (l.code.clone(), l.name.clone(), f.points - l.points))
            .collect();
        Projected { score, base_max: full.base_parts, shortfalls }
    }
}

fn missing(item: &Item) -> Msg {
    Msg::new(format!("{} {} 需要考核组评分", item.code, item.name), format!("{} needs an assessor's score", item.code))
}

fn out_of_range(item: &Item, min: f64, max: f64) -> Msg {
    Msg::new(
        format!("{} 的评分应在 {min} 到 {max} 之间", item.code),
        format!("{}'s score must be between {min} and {max}", item.code),
    )
}

/// 两委 meetings the mode required and those missed: one a week (脱产) or one a month (非脱产)
/// over the periods of the year the posting covered.
pub fn missed_meetings(periods_required: u32, periods_held: u32) -> u32 {
    periods_required.saturating_sub(periods_held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{evaluate, grade::Survey, Input, Secretary};

    fn assess(points: f64) -> Assessment {
        Assessment {
            points, reason: "查阅台账".into(), evidence: vec!["档案".into()], assessor: "考核组".into()
        }
    }

    /// A year with every base item done and nothing missed.
    fn full_year() -> Year {
        let mut y = Year::default();
        for f in ["party_training_held", "development_plan", "annual_work_plan", "research_reports", "household_visits"]
        {
            y.facts.insert(f.into(), 1.0);
        }
        y.facts.insert("paired_households".into(), 2.0);
        for code in ["B1.1", "D1.1", "D4.1", "D4.2"] {
            y.assessments.insert(code.into(), assess(0.0));
        }
        y
    }

    fn line(s: &Score, code: &str) -> f64 {
        s.lines.iter().find(|l| l.code == code).unwrap().points
    }

    #[test]
    fn a_year_with_everything_done_scores_the_full_base_of_100() {
        let s = RuleSet::jiaozhou().score(&full_year()).unwrap();
        assert_eq!((s.base_parts, s.organisation_score), (100.0, 100.0));
        assert_eq!(s.lines.len(), RuleSet::jiaozhou().items.len(), "every item has a line");
    }

    #[test]
    fn one_missed_weekly_meeting_costs_a_point_and_monthly_duty_counts_months() {
        let rules = RuleSet::jiaozhou();
        let mut y = full_year();
        y.facts.insert("missed_liang_wei_meetings".into(), f64::from(missed_meetings(52, 51)));
        assert_eq!(line(&rules.score(&y).unwrap(), "D2"), 7.0);
        y.facts.insert("missed_liang_wei_meetings".into(), f64::from(missed_meetings(52, 52)));
        assert_eq!(line(&rules.score(&y).unwrap(), "D2"), 8.0);
        // A part-time secretary owes one a month: 10 of 12 held.
        y.facts.insert("missed_liang_wei_meetings".into(), f64::from(missed_meetings(12, 10)));
        assert_eq!(line(&rules.score(&y).unwrap(), "D2"), 6.0);
        // More missed than the item is worth: it stops at 0.
        y.facts.insert("missed_liang_wei_meetings".into(), 20.0);
        assert_eq!(line(&rules.score(&y).unwrap(), "D2"), 0.0);
    }

    #[test]
    fn a_deduction_of_minus_zero_scores_and_reads_like_zero() {
        // Stored results are recomputed from their input read back from PostgreSQL, which
        // turns −0 into 0: both must give the same result, text included.
        let rules = RuleSet::jiaozhou();
        let (mut minus, mut plus) = (full_year(), full_year());
        minus.assessments.insert("D1.1".into(), assess(-0.0));
        plus.assessments.insert("D1.1".into(), assess(0.0));
        // The same for facts: an empty sum of yuan is −0.
        minus.facts.insert("policy_funds_yuan".into(), std::iter::empty::<f64>().sum());
        plus.facts.insert("policy_funds_yuan".into(), 0.0);
        let (a, b) = (rules.score(&minus).unwrap(), rules.score(&plus).unwrap());
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        assert!(!serde_json::to_string(&a).unwrap().contains("-0"));
    }

    #[test]
    fn no_households_paired_loses_the_whole_item() {
        let mut y = full_year();
        y.facts.insert("paired_households".into(), 0.0);
        y.facts.insert("household_visits".into(), 0.0);
        let s = RuleSet::jiaozhou().score(&y).unwrap();
        assert_eq!(line(&s, "D5.1"), 0.0, "8 − 2 × 3 − 2");
        y.facts.insert("paired_households".into(), 1.0);
        y.facts.insert("household_visits".into(), 3.0);
        assert_eq!(line(&RuleSet::jiaozhou().score(&y).unwrap(), "D5.1"), 5.0);
    }

    #[test]
    fn bonuses_count_whole_units_and_penalties_and_grade_changes_subtract() {
        let mut y = full_year();
        y.facts.insert("funds_raised_yuan".into(), 25_000.0);
        y.facts.insert("jobs".into(), 2.0);
        y.facts.insert("projects_class_2".into(), 1.0);
        y.facts.insert("prohibition_violations".into(), 1.0);
        y.facts.insert("village_grade_change".into(), -1.0);
        y.evidence.insert("jobs".into(), vec!["visit 0199…".into()]);
        let s = RuleSet::jiaozhou().score(&y).unwrap();
        assert_eq!(line(&s, "P1"), 10.0, "two whole 10,000s");
        assert_eq!(line(&s, "D5.3"), 10.0);
        assert_eq!(line(&s, "P3.2"), 30.0);
        assert_eq!(line(&s, "D6.1"), -5.0);
        assert_eq!(line(&s, "G"), -10.0);
        assert_eq!(s.base_parts, 100.0 + 10.0 - 5.0, "D bonuses and penalties are part of D");
        assert_eq!(s.organisation_score, 100.0 + 10.0 - 5.0 + 10.0 + 30.0 - 10.0);
        assert_eq!(s.lines.iter().find(|l| l.code == "D5.3").unwrap().evidence, ["visit 0199…"]);
    }

    #[test]
    fn a_projection_takes_the_assessors_items_at_full_marks_and_the_records_as_they_stand() {
        let mut y = Year::default();
        y.facts.insert("missed_liang_wei_meetings".into(), 3.0);
        y.facts.insert("paired_households".into(), 2.0);
        y.facts.insert("household_visits".into(), 1.0);
        let s = RuleSet::jiaozhou().projection(&y);
        assert_eq!(line(&s, "D2"), 5.0);
        assert_eq!(line(&s, "D1.1"), 4.0, "not yet judged: no deduction");
        assert_eq!(line(&s, "B1.2"), 0.0, "no training recorded yet");
        assert!(RuleSet::jiaozhou().score(&y).is_err(), "the real score needs the assessors");
    }

    #[test]
    fn judgement_needs_an_assessor_within_the_range() {
        let mut y = full_year();
        y.assessments.remove("D1.1");
        assert!(RuleSet::jiaozhou().score(&y).unwrap_err().zh.contains("D1.1"));
        y.assessments.insert("D1.1".into(), assess(-5.0));
        assert!(RuleSet::jiaozhou().score(&y).unwrap_err().en.contains("between -4 and 0"));
        y.assessments.insert("D1.1".into(), assess(-2.0));
        y.facts.insert("study_not_organised".into(), 1.0);
        let s = RuleSet::jiaozhou().score(&y).unwrap();
        assert_eq!(line(&s, "D1.1"), 2.0);
        assert_eq!(line(&s, "B1.1"), 5.0, "the study was not organised: −5");
    }

    #[test]
    fn yicheng_scores_five_blocks_by_a_weighted_panel_and_attendance_by_the_records() {
        let rules = RuleSet::yicheng();
        let mut y = Year::default();
        for item in rules.items.iter() {
            if let Rule::Panel { weights, .. } = &item.rule {
                for who in weights.keys() {
                    let points = if who == "village" { 10.0 } else { 20.0 };
                    y.assessments.insert(format!("{}@{who}", item.code), assess(points));
                }
            }
        }
        y.facts.insert("days_in_village".into(), 180.0);
        y.facts.insert("days_required".into(), 240.0);
        let s = rules.score(&y).unwrap();
        // Four panel blocks: 20 from four assessors, 10 from the village, weights 0.2 each → 18.
        assert_eq!(line(&s, "Y1"), 18.0);
        assert_eq!(line(&s, "Y4"), 15.0, "20 × 180/240");
        assert_eq!(s.organisation_score, 4.0 * 18.0 + 15.0);
        y.assessments.remove("Y2@unit");
        assert!(rules.score(&y).unwrap_err().zh.contains("Y2"), "every assessor of the panel must score");

        // The same engine ranks with either rule set.
        y.assessments.insert("Y2@unit".into(), assess(20.0));
        let survey = Survey { eligible: 30, very_satisfied: 20, satisfied: 5, basically_satisfied: 5, dissatisfied: 0 };
        let secretary = Secretary {
            id: 1,
            name: "甲".into(),
            category: "c".into(),
            year: y,
            survey,
            graded_down: false,
            serious_case: false,
        };
        let input = Input { rules: Some(rules), secretaries: vec![secretary] };
        let out = evaluate(&input);
        assert_eq!(out.rule_set, "yicheng");
        assert_eq!(out.results[0].total, Some(((87.0 * 25.0 / 30.0) * 100.0_f64).round() / 100.0));

        // Without a survey the items' score stands (engine 2), the grade waits; the first
        // engine, which runs stored before were computed by, left the score out.
        let mut unsurveyed = input.clone();
        unsurveyed.secretaries[0].survey = Survey::default();
        let now = evaluate(&unsurveyed);
        assert_eq!(now.results[0].score.as_ref().map(|s| s.organisation_score), Some(87.0));
        assert!(now.results[0].grade.is_none() && now.results[0].error.is_some());
        let first = crate::evaluation::evaluate_as(&unsurveyed, 1);
        assert!(first.results[0].score.is_none());
        assert!(serde_json::to_value(&first).unwrap().get("engine").is_none(), "stored as the first engine wrote it");
        assert_eq!(serde_json::to_value(&now).unwrap()["engine"], 2);
    }

    #[test]
    fn the_projection_names_the_base_items_the_records_have_cost() {
        let rules = RuleSet::jiaozhou();
        let p = rules.projected(&Year::default());
        let lost = |code: &str| p.shortfalls.iter().find(|s| s.0 == code).map(|s| s.2);
        assert_eq!(lost("D1.2"), Some(4.0), "no research report yet");
        assert_eq!(lost("B2.1"), None, "a filed plan counts as done until an assessor says otherwise");
        assert!(p.shortfalls.iter().all(|s| !s.0.starts_with('P')), "bonus items are not shortfalls");
        assert_eq!(p.base_max, 100.0);
        let mut year = Year::default();
        year.facts.insert("research_reports".into(), 1.0);
        assert_eq!(rules.projected(&year).score.organisation_score - p.score.organisation_score, 4.0);
    }
}
