//! The assessors' part of a year: scores by rule item (考核打分), facts entered by hand with
//! their evidence, and the pre-posting assessment (派驻前评估).

use domain::evaluation::rules::{Assessment, Rule, RuleSet};
use domain::evaluation::view::PreAssessment;
use domain::org::PostingMode;
use domain::{Action, Actor, Msg, Role};
use sqlx::{PgPool, Postgres, Transaction};

use crate::scope::BindScope;
use crate::{require, Error, Result};

use super::{ensure_open, rules_of};

/// An assessor's points for an item, why, and what they saw (one item per line).
pub struct Judgement<'a> {
    pub points: f64,
    pub reason: &'a str,
    pub evidence: &'a str,
}

/// A posting's district rule set and mode, checking the caller may assess it this year.
pub(super) async fn assessable(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    posting_id: i64,
    year: i32,
) -> Result<RuleSet> {
    require(actor, Action::Assess)?;
    ensure_visible!(&mut **tx, actor, "posting_places", posting_id)?;
    ensure_open(tx, posting_id, year).await?;
    let (mode, rules): (PostingMode, String) = sqlx::query_as(
        "SELECT p.mode, pd.evaluation_rules FROM postings p JOIN posting_districts pd ON pd.posting_id = p.id WHERE p.id = $1",
    )
    .bind(posting_id)
    .fetch_one(&mut **tx)
    .await?;
    // §19 (二): the department's assessors score 脱产 secretaries, the township's 非脱产 ones.
    if actor.role == Role::TownshipSupervisor && mode != PostingMode::PartTime {
        return Err(Error::Forbidden);
    }
    Ok(rules_of(&rules))
}

/// An assessor scores an item that needs judgement, with a reason and the evidence seen.
pub async fn assess(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    year: i32,
    key: &str,
    j: Judgement<'_>,
) -> Result<()> {
    // `+ 0.0`: a typed "-0" is stored as 0.
    let (points, reason, evidence) = (j.points + 0.0, j.reason, j.evidence);
    let mut tx = pool.begin().await?;
    let rules = assessable(&mut tx, actor, posting_id, year).await?;
    // The year's items, and the panel of the stages during and after the term.
    let slot = rules
        .slots(&Default::default())
        .into_iter()
        .chain(stage_slots(&rules, &Default::default()))
        .find(|s| s.key == key)
        .ok_or_else(|| Error::Invalid(Msg::new(format!("没有评分项 {key}"), format!("no item {key} to score"))))?;
    if !points.is_finite() || points < slot.min || points > slot.max {
        return Err(Error::Invalid(Msg::new(
            format!("{key} 的评分应在 {} 到 {} 之间", slot.min, slot.max),
            format!("{key} takes {} to {}", slot.min, slot.max),
        )));
    }
    if reason.trim().is_empty() {
        return Err(Error::Invalid(Msg::new("请写明评分理由", "give the reason for the score")));
    }
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT jsonb_build_object('points', points, 'reason', reason, 'evidence', evidence)
           FROM evaluation_assessments WHERE posting_id = $1 AND year = $2 AND item = $3",
    )
    .bind(posting_id)
    .bind(year)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO evaluation_assessments (posting_id, year, item, points, reason, evidence, assessor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (posting_id, year, item) DO UPDATE SET points = EXCLUDED.points, reason = EXCLUDED.reason,
             evidence = EXCLUDED.evidence, assessor_id = EXCLUDED.assessor_id, at = now()",
    )
    .bind(posting_id)
    .bind(year)
    .bind(key)
    .bind(points)
    .bind(reason.trim())
    .bind(evidence.trim())
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "assess",
        "posting",
        Some(posting_id),
        serde_json::json!({ "year": year, "item": key, "before": before,
                            "after": { "points": points, "reason": reason.trim(), "evidence": evidence.trim() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An assessor enters a fact the records cannot decide (funds raised, a project's class, the
/// village's grade change, a discipline case …) with its evidence.
pub async fn enter_fact(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    year: i32,
    fact: &str,
    value: f64,
    evidence: &str,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let rules = assessable(&mut tx, actor, posting_id, year).await?;
    if !rules.entered_facts().iter().any(|(f, _)| f == fact) {
        return Err(Error::Invalid(Msg::new(format!("没有需录入的事项 {fact}"), format!("no fact {fact} to enter"))));
    }
    let signed = rules.items.iter().any(|i| matches!(&i.rule, Rule::GradeChange { fact: f, .. } if f == fact));
    if !value.is_finite() || (value < 0.0 && !signed) {
        return Err(Error::Invalid(Msg::new("数值无效（不能为负数）", "the value is not valid (no negatives)")));
    }
    if evidence.trim().is_empty() {
        return Err(Error::Invalid(Msg::new(
            "请写明依据（档案、证明材料）",
            "name the evidence (files, certificates)",
        )));
    }
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT jsonb_build_object('value', value, 'evidence', evidence)
           FROM evaluation_facts WHERE posting_id = $1 AND year = $2 AND fact = $3",
    )
    .bind(posting_id)
    .bind(year)
    .bind(fact)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO evaluation_facts (posting_id, year, fact, value, evidence, entered_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (posting_id, year, fact) DO UPDATE SET value = EXCLUDED.value, evidence = EXCLUDED.evidence,
             entered_by = EXCLUDED.entered_by, at = now()",
    )
    .bind(posting_id)
    .bind(year)
    .bind(fact)
    .bind(value)
    .bind(evidence.trim())
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "enter_fact",
        "posting",
        Some(posting_id),
        serde_json::json!({ "year": year, "fact": fact, "before": before,
                            "after": { "value": value, "evidence": evidence.trim() } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The panel items of the stages during and after the term (Yicheng's five parties), unless
/// the district's year already is that panel.
pub(super) fn stage_slots(
    rules: &RuleSet,
    given: &std::collections::BTreeMap<String, Assessment>,
) -> Vec<domain::evaluation::view::Slot> {
    let panel = RuleSet::yicheng();
    if rules.code == panel.code {
        return Vec::new();
    }
    panel.slots(given)
}

/// A posting's 任前评估, if recorded.
pub(super) async fn pre_assessment(pool: &PgPool, posting_id: i64) -> Result<Option<PreAssessment>> {
    type Row = (
        String,
        bool,
        sqlx::types::Json<std::collections::BTreeMap<String, String>>,
        String,
        chrono::DateTime<chrono::Utc>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.suitability, s.second_posting, s.views, a.display_name, s.recorded_at
           FROM posting_assessments s JOIN accounts a ON a.id = s.recorded_by WHERE s.posting_id = $1",
    )
    .bind(posting_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(suitability, second_posting, views, recorded_by, recorded_at)| PreAssessment {
        suitability,
        second_posting,
        views: views.0,
        recorded_by,
        recorded_at,
    }))
}

/// The department records (or corrects) the 任前评估 of a posting in its scope: the
/// suitability assessment, whether it is a second posting, the assessors' views; audited.
pub async fn record_pre_assessment(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    suitability: &str,
    second_posting: bool,
    views: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    require(actor, Action::ManagePostings)?;
    let suitability = suitability.trim();
    if suitability.is_empty() || suitability.chars().count() > 5000 {
        return Err(Error::Invalid(Msg::new(
            "请填写任前评估意见（不超过 5000 字）",
            "give the assessment (5,000 characters at most)",
        )));
    }
    let views: std::collections::BTreeMap<String, String> =
        views.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.trim().to_string())).collect();
    if views.values().any(|v| v.chars().count() > 2000) {
        return Err(Error::Invalid(Msg::new("每方意见不超过 2000 字", "each view has 2,000 characters at most")));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT to_jsonb(s) - 'recorded_at' FROM posting_assessments s WHERE posting_id = $1 FOR UPDATE",
    )
    .bind(posting_id)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO posting_assessments (posting_id, suitability, second_posting, views, recorded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (posting_id) DO UPDATE SET suitability = EXCLUDED.suitability, second_posting = EXCLUDED.second_posting,
             views = EXCLUDED.views, recorded_by = EXCLUDED.recorded_by, recorded_at = now()",
    )
    .bind(posting_id)
    .bind(suitability)
    .bind(second_posting)
    .bind(sqlx::types::Json(&views))
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "pre_assessment",
        "posting",
        Some(posting_id),
        serde_json::json!({ "before": before, "after": { "suitability": suitability, "second_posting": second_posting, "views": views } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
