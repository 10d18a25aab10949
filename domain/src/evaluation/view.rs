//! What the evaluation pages show: a secretary's year (the dossier) and a district's
//! computed, possibly frozen, ranking.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::facts::Fact;
use super::filing::Filing;
use super::rules::{Assessment, Rule, RuleSet, Score};
use super::{Outcome, Output};
use crate::model::Posting;
use crate::{Lang, Msg};

/// What a fact counts, in words: a recorded fact's label, else its code (an entered fact is
/// labelled by the rule items that name it).
pub fn recorded_label(fact: &str) -> Msg {
    match Fact::from_code(fact) {
        Some(f) => Msg::new(f.label(Lang::Zh), f.label(Lang::En)),
        None => Msg::new(fact, fact),
    }
}

/// Entered with evidence although no item scores it: one of §19's serious cases (不称职 directly).
pub const SERIOUS_CASE: &str = "serious_case";

/// An item (or a panel member's part of one) that an assessor scores within a range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// The item code, or `CODE@assessor` for a panel.
    pub key: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub current: Option<Assessment>,
}

/// A fact the records cannot decide, with the items it feeds and its entered value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnteredFact {
    pub fact: String,
    pub label: String,
    pub value: Option<f64>,
    pub evidence: String,
}

impl RuleSet {
    pub fn by_code(code: &str) -> Option<RuleSet> {
        match code {
            "jiaozhou" => Some(RuleSet::jiaozhou()),
            "yicheng" => Some(RuleSet::yicheng()),
            "yicheng_end" => Some(RuleSet::yicheng_end()),
            _ => None,
        }
    }

    /// The items assessors score, with their ranges (a `judged` item is a deduction: ≤ 0).
    pub fn slots(&self, given: &BTreeMap<String, Assessment>) -> Vec<Slot> {
        let mut out = Vec::new();
        let mut slot = |key: String, name: String, min: f64, max: f64| {
            let current = given.get(&key).cloned();
            out.push(Slot { key, name, min, max, current });
        };
        for item in &self.items {
            match &item.rule {
                Rule::Judged { max_deduction, .. } => slot(item.code.clone(), item.name.clone(), -max_deduction, 0.0),
                Rule::Assessed { min, max } => slot(item.code.clone(), item.name.clone(), *min, *max),
                Rule::Panel { max, weights } => {
                    for who in weights.keys() {
                        slot(format!("{}@{who}", item.code), format!("{}（{who}）", item.name), 0.0, *max);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The facts its items name that the records do not decide, labelled by their items, then
    /// the serious case.
    pub fn entered_facts(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut add = |fact: &str, label: String| {
            if Fact::from_code(fact).is_none() && !out.iter().any(|(f, _)| f == fact) {
                out.push((fact.to_string(), label));
            }
        };
        for item in &self.items {
            let label = format!("{} {}", item.code, item.name);
            match &item.rule {
                Rule::Done { fact, .. } | Rule::Deduct { fact, .. } | Rule::Bonus { fact, .. } => add(fact, label),
                Rule::Judged { fact: Some(fact), .. } => add(fact, format!("{label}（未组织学习）")),
                Rule::Penalty { fact, serious_fact, .. } => {
                    add(fact, format!("{label}（起数）"));
                    add(serious_fact, format!("{label}（其中情节特别严重）"));
                }
                Rule::GradeChange { fact, .. } => add(fact, format!("{label}（升为正、降为负，级数）")),
                Rule::Ratio { fact, of, .. } => {
                    add(fact, label.clone());
                    add(of, label);
                }
                _ => {}
            }
        }
        add(SERIOUS_CASE, "直接定为不称职的情形（六严禁造成严重不良影响、引发集体访或群体性事件）".into());
        out
    }
}

/// A record behind a point, as the dossier lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub id: String,
    pub kind: String,
    pub date: Option<NaiveDate>,
    pub summary: String,
}

/// A record an assessor found untrue (不实): it no longer counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StruckRecord {
    pub record: EvidenceRecord,
    pub reason: String,
    pub evidence: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The survey's state; the counts only (ballots are not kept one by one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyStatus {
    /// The count by answer, once the survey is closed; while it is open only `eligible` (the
    /// answers of the last voters could be read off a live count).
    pub survey: super::grade::Survey,
    /// Votes cast so far (the turnout is shown live).
    #[serde(default)]
    pub votes: u32,
    /// Codes issued and not used yet.
    pub unused_codes: i64,
    pub closed: bool,
}

/// A secretary's year: filings, what the records say, the assessors' scores, the survey, and
/// the score as it stands (or the frozen result).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub posting: Posting,
    pub year: i32,
    pub category: String,
    pub rule_set: String,
    pub filings: Vec<Filing>,
    pub recorded: BTreeMap<String, f64>,
    pub slots: Vec<Slot>,
    /// The panel items of the stages during and after the term, when the year's rule set is
    /// another (the five parties score them here too).
    #[serde(default)]
    pub stage_slots: Vec<Slot>,
    pub entered: Vec<EnteredFact>,
    pub survey: Option<SurveyStatus>,
    /// The frozen result's score once the district's year is frozen; before, the score from
    /// what is entered so far, or why there is none yet.
    pub score: Result<Score, Msg>,
    /// Whether `score` is the frozen one.
    pub frozen: bool,
    /// The result in the district's newest computed run, and that run's state (shown to the
    /// department when computed, to everyone else once approved).
    pub result: Option<(Outcome, RunState)>,
    pub evidence: Vec<EvidenceRecord>,
    /// The year's research reports and practical matters found untrue.
    #[serde(default)]
    pub struck: Vec<StruckRecord>,
    /// Those an assessor could still find untrue (listed for assessors only).
    #[serde(default)]
    pub strikable: Vec<EvidenceRecord>,
    /// The posting's commitment items and the release decisions (Yicheng's binding).
    #[serde(default)]
    pub commitments: Vec<crate::commitment::CommitmentItem>,
    #[serde(default)]
    pub releases: Vec<crate::commitment::Release>,
    /// 任前评估, when the department recorded one.
    #[serde(default)]
    pub pre_assessment: Option<PreAssessment>,
    /// The posting's results in the district's runs of the stages during and after the term
    /// (shown to the department when computed, to everyone else once approved).
    #[serde(default)]
    pub stages: Vec<(super::EvaluationStage, Outcome, RunState)>,
    /// What the caller may do here.
    pub may: DossierRights,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DossierRights {
    pub assess: bool,
    pub approve_as_township: bool,
    pub approve_as_unit: bool,
    pub run_survey: bool,
    /// The department records the 任前评估.
    #[serde(default)]
    pub record_pre_assessment: bool,
}

coded_enum! {
    /// Where a computed year stands (§19 (五)(六)).
    RunState {
        Computed = ("computed", "已计算", "Computed"),
        /// 部长办公会审核.
        Reviewed = ("reviewed", "部长办公会已审核", "Reviewed by the department meeting"),
        /// 市委审批.
        Approved = ("approved", "市委已审批", "Approved by the city committee"),
        Reopened = ("reopened", "已重新打开", "Reopened"),
    }
}

impl RunState {
    /// Reviewed or approved results do not change until reopened.
    pub fn frozen(self) -> bool {
        matches!(self, RunState::Reviewed | RunState::Approved)
    }
}

fn year_stage() -> super::EvaluationStage {
    super::EvaluationStage::Year
}

/// 任前评估: the suitability assessment that informed the choice of the secretary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreAssessment {
    pub suitability: String,
    /// 二次选派: a second posting of the same secretary.
    pub second_posting: bool,
    /// The five assessors' views where used (city, district, township, village, unit).
    pub views: BTreeMap<String, String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A district's computed year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: i64,
    pub district_id: i64,
    pub district: String,
    pub year: i32,
    #[serde(default = "year_stage")]
    pub stage: super::EvaluationStage,
    pub state: RunState,
    pub computed_by: String,
    pub computed_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub output: Output,
}

/// The evaluation page: the year, the secretaries in scope and, for the department, each
/// district's computed results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub year: i32,
    /// The stage whose runs are listed.
    #[serde(default = "year_stage")]
    pub stage: super::EvaluationStage,
    pub standings: Vec<Standing>,
    /// Districts the caller computes and approves, with their rule set's code (empty for
    /// other roles).
    pub districts: Vec<(i64, String, String)>,
    pub runs: Vec<Run>,
}

/// A posting's line in the evaluation overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Standing {
    pub posting_id: i64,
    pub secretary: String,
    pub township: String,
    pub village: String,
    pub unit: String,
    pub filings: i64,
    pub goals_approved: bool,
    pub assessments: i64,
    pub votes: Option<i32>,
    pub eligible: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_sets_name_their_assessor_items_and_entered_facts() {
        let j = RuleSet::jiaozhou();
        let keys: Vec<String> = j.slots(&BTreeMap::new()).into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["B1.1", "D1.1", "D4.1", "D4.2"]);
        let facts: Vec<String> = j.entered_facts().into_iter().map(|(f, _)| f).collect();
        assert!(facts.contains(&"projects_class_1".to_string()) && facts.contains(&"village_grade_change".to_string()));
        assert!(!facts.contains(&"funds_raised_yuan".to_string()), "recorded as 实事");
        assert!(!facts.iter().any(|f| Fact::from_code(f).is_some()), "recorded facts are not entered");
        assert_eq!(facts.last().map(String::as_str), Some(SERIOUS_CASE));
        let y = RuleSet::yicheng();
        assert_eq!(y.slots(&BTreeMap::new()).len(), 20, "four panel blocks × five assessors");
        assert_eq!(y.entered_facts().len(), 1, "attendance comes from the records");
    }
}
