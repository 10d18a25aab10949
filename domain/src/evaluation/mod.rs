//! The year-end evaluation 三定一诺双评 (Jiaozhou rules §16–§19, restated item by item in
//! `shared/docs/evaluation-rules.md`): rule sets as data, the organisation score computed item
//! by item with its evidence, the satisfaction survey, and the ranking with its grades.

pub mod ballot;
pub mod drafts;
pub mod facts;
pub mod filing;
pub mod grade;
pub mod rules;
pub mod view;

use serde::{Deserialize, Serialize};

use crate::org::{PostingMode, PostingSource, RankClass};
use crate::Msg;
use grade::{Candidate, Grade, Survey};
use rules::{RuleSet, Score, Year};

coded_enum! {
    /// Which evaluation a run is: the year-end 考核, or Yicheng's 三评 during and after the term
    /// (the one before it, 任前评估, is recorded, not computed).
    EvaluationStage {
        Year = ("year", "年度考核", "Year-end evaluation"),
        MidTerm = ("mid_term", "任中评估", "Mid-term evaluation"),
        EndOfTerm = ("end_of_term", "任后评估", "End-of-term evaluation"),
    }
}

impl EvaluationStage {
    /// The rule set a stage is computed by: the district's own for the year, Yicheng's panel
    /// during the term, and the panel with the commitment and the projects after it.
    pub fn rules(self, district_rules: &str) -> RuleSet {
        match self {
            EvaluationStage::Year => RuleSet::by_code(district_rules).unwrap_or_else(RuleSet::jiaozhou),
            EvaluationStage::MidTerm => RuleSet::yicheng(),
            EvaluationStage::EndOfTerm => RuleSet::yicheng_end(),
        }
    }
}

/// The ranking category (§19): source · mode · rank class.
pub fn category(source: PostingSource, mode: PostingMode, rank: RankClass) -> String {
    let zh = crate::Lang::Zh;
    format!("{}·{}·{}", source.label(zh), mode.label(zh), rank.label(zh))
}

/// A year to evaluate: one or more secretaries (`zhucun evaluate` reads this as JSON; the
/// schema is `docs/evaluation.md`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Input {
    /// A rule set given in full; the Jiaozhou rules when absent.
    #[serde(default)]
    pub rules: Option<RuleSet>,
    pub secretaries: Vec<Secretary>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Secretary {
    pub id: i64,
    pub name: String,
    /// Source · mode · rank class: ranked only within the same category.
    pub category: String,
    pub year: Year,
    pub survey: Survey,
    #[serde(default)]
    pub graded_down: bool,
    #[serde(default)]
    pub serious_case: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub rule_set: String,
    pub version: u32,
    /// The engine that computed it ([`ENGINE`]); absent from runs stored by the first, which
    /// left a secretary without a valid survey without the items' score. A stored run is
    /// recomputed by its own engine.
    #[serde(default = "first_engine", skip_serializing_if = "is_first_engine")]
    pub engine: u32,
    pub results: Vec<Outcome>,
}

/// The engine computing runs now.
pub const ENGINE: u32 = 2;

fn first_engine() -> u32 {
    1
}

fn is_first_engine(e: &u32) -> bool {
    *e == 1
}

/// One secretary's result, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: i64,
    pub name: String,
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Msg>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Msg>,
}

/// Scores, ranks and grades a year. A secretary whose items cannot be scored (an assessor's
/// score missing or out of range) gets an error instead of a result; one whose survey is
/// missing or invalid (under two thirds voted) keeps the items' score with the error; both are
/// left out of the ranking.
pub fn evaluate(input: &Input) -> Output {
    evaluate_as(input, ENGINE)
}

/// [`evaluate`] as the engine `engine` did it (to recompute a stored run exactly).
pub fn evaluate_as(input: &Input, engine: u32) -> Output {
    let rules = input.rules.clone().unwrap_or_else(RuleSet::jiaozhou);
    let mut results = Vec::new();
    let mut candidates = Vec::new();
    for s in &input.secretaries {
        let mut outcome = Outcome {
            id: s.id,
            name: s.name.clone(),
            category: s.category.clone(),
            score: None,
            satisfaction: None,
            total: None,
            rank: None,
            grade: None,
            reasons: Vec::new(),
            error: None,
        };
        match (rules.score(&s.year), s.survey.satisfaction()) {
            (Err(e), _) => outcome.error = Some(e),
            // Scored without a (valid) survey: the items stand, the grade waits.
            (Ok(score), None) if s.survey.eligible == 0 => {
                outcome.score = (engine >= 2).then_some(score);
                outcome.error = Some(Msg::new("尚未进行满意度测评", "no satisfaction survey yet"))
            }
            (Ok(score), None) => {
                outcome.score = (engine >= 2).then_some(score);
                outcome.error = Some(Msg::new(
                    format!("满意度测评无效：{} 人中只有 {} 人投票，不足三分之二", s.survey.eligible, s.survey.votes()),
                    format!(
                        "the survey is void: {} of {} voted, under two thirds",
                        s.survey.votes(),
                        s.survey.eligible
                    ),
                ))
            }
            (Ok(score), Some(satisfaction)) => {
                candidates.push(Candidate {
                    id: s.id,
                    category: s.category.clone(),
                    organisation_score: score.organisation_score,
                    base_parts: score.base_parts,
                    satisfaction,
                    graded_down: s.graded_down,
                    serious_case: s.serious_case,
                });
                outcome.score = Some(score);
                outcome.satisfaction = Some(satisfaction);
            }
        }
        results.push(outcome);
    }
    for r in grade::rank(&candidates, rules.satisfaction) {
        if let Some(o) = results.iter_mut().find(|o| o.id == r.id) {
            o.total = Some(r.total);
            o.rank = Some(r.rank);
            o.grade = Some(r.grade);
            o.reasons = r.reasons;
        }
    }
    Output { rule_set: rules.code, version: rules.version, engine, results }
}
