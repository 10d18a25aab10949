//! A district's computed runs (the year-end evaluation and the stages during and after the
//! term): computing from everything entered so far, the approvals that freeze them, reopening,
//! and recomputing a run exactly from its stored input.

use domain::evaluation::view::{Run, RunState};
use domain::evaluation::{self, EvaluationStage, Input, Output};
use domain::{Actor, Msg};
use sqlx::PgPool;

use super::{manage, postings_where, secretaries, settings, unreadable};
use crate::scope::BindScope;
use crate::{Error, Result};

/// A posting's result in its district's current run of a year, with the run's state.
pub(super) async fn current_outcome(
    pool: &PgPool,
    district_id: i64,
    year: i32,
    stage: EvaluationStage,
    posting_id: i64,
) -> Result<Option<(evaluation::Outcome, RunState)>> {
    let row: Option<(serde_json::Value, RunState)> = sqlx::query_as(
        "SELECT o.outcome, r.state FROM evaluation_runs r JOIN evaluation_outcomes o ON o.run_id = r.id
          WHERE r.district_id = $1 AND r.year = $2 AND r.state <> 'reopened' AND o.posting_id = $3 AND r.stage = $4",
    )
    .bind(district_id)
    .bind(year)
    .bind(posting_id)
    .bind(stage)
    .fetch_optional(pool)
    .await?;
    row.map(|(outcome, state)| Ok((serde_json::from_value(outcome).map_err(unreadable)?, state))).transpose()
}

/// Computes a district's year (or a stage of it: the postings serving in it during the term,
/// those whose term ended in it after) from everything entered so far and stores the engine's
/// whole input (with the rule set) and output. A computed, not yet reviewed run is replaced.
pub async fn compute(pool: &PgPool, actor: &Actor, district_id: i64, year: i32, stage: EvaluationStage) -> Result<i64> {
    manage(actor)?;
    ensure_visible!(pool, actor, "district_places", district_id)?;
    let rules: String = sqlx::query_scalar("SELECT evaluation_rules FROM districts WHERE id = $1")
        .bind(district_id)
        .fetch_one(pool)
        .await?;
    let rules = stage.rules(&rules);
    let filter = match stage {
        EvaluationStage::EndOfTerm => "t.district_id = $1 AND extract(year FROM coalesce(p.ended_on, p.term_end)) = $2",
        EvaluationStage::Year | EvaluationStage::MidTerm => "t.district_id = $1",
    };
    let postings = postings_where(pool, filter, district_id, year).await?;
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let settings = settings(pool, &ids).await?;
    let input = Input { rules: Some(rules), secretaries: secretaries(pool, &postings, year, &settings).await? };
    let output = evaluation::evaluate(&input);
    let stored = |e: serde_json::Error| {
        tracing::error!(error = %e, "an evaluation does not serialise");
        Error::Invalid(Msg::new("考核数据无法保存", "the evaluation cannot be stored"))
    };
    let input_json = serde_json::to_value(&input).map_err(stored)?;
    let output_json = serde_json::to_value(&output).map_err(stored)?;
    let mut tx = pool.begin().await?;
    let current: Option<(i64, RunState)> = sqlx::query_as(
        "SELECT id, state FROM evaluation_runs
          WHERE district_id = $1 AND year = $2 AND stage = $3 AND state <> 'reopened' FOR UPDATE",
    )
    .bind(district_id)
    .bind(year)
    .bind(stage)
    .fetch_optional(&mut *tx)
    .await?;
    let id: i64 =
        match current {
            Some((_, state)) if state.frozen() => {
                return Err(Error::Conflict(Msg::new(
                    "结果已审核冻结，须先说明理由重新打开",
                    "the results are frozen: reopen them with a reason first",
                )))
            }
            Some((id, _)) => {
                sqlx::query_scalar(
                    "UPDATE evaluation_runs SET input = $2, output = $3, rule_set = $4, version = $5, computed_by = $6,
                    computed_at = now() WHERE id = $1 RETURNING id",
                )
                .bind(id)
                .bind(&input_json)
                .bind(&output_json)
                .bind(&output.rule_set)
                .bind(output.version as i32)
                .bind(actor.account_id)
                .fetch_one(&mut *tx)
                .await?
            }
            None => sqlx::query_scalar(
                "INSERT INTO evaluation_runs (district_id, year, stage, rule_set, version, input, output, computed_by)
             VALUES ($1, $2, $8, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(district_id)
            .bind(year)
            .bind(&output.rule_set)
            .bind(output.version as i32)
            .bind(&input_json)
            .bind(&output_json)
            .bind(actor.account_id)
            .bind(stage)
            .fetch_one(&mut *tx)
            .await?,
        };
    sqlx::query("DELETE FROM evaluation_outcomes WHERE run_id = $1").bind(id).execute(&mut *tx).await?;
    let ids: Vec<i64> = output.results.iter().map(|r| r.id).collect();
    let outcomes =
        output.results.iter().map(serde_json::to_value).collect::<std::result::Result<Vec<_>, _>>().map_err(stored)?;
    sqlx::query("INSERT INTO evaluation_outcomes (run_id, posting_id, outcome) SELECT $1, * FROM unnest($2::bigint[], $3::jsonb[])")
        .bind(id)
        .bind(&ids)
        .bind(&outcomes)
        .execute(&mut *tx)
        .await?;
    let ranked = output.results.iter().filter(|r| r.grade.is_some()).count();
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "compute_evaluation",
        "evaluation_run",
        Some(id),
        serde_json::json!({ "district_id": district_id, "year": year, "stage": stage, "secretaries": output.results.len(),
                            "graded": ranked }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a district's year one approval further: 部长办公会 review (`Reviewed`), then the city
/// committee (`Approved`). Both freeze the results.
pub async fn advance(
    pool: &PgPool,
    actor: &Actor,
    district_id: i64,
    year: i32,
    stage: EvaluationStage,
    to: RunState,
) -> Result<()> {
    manage(actor)?;
    ensure_visible!(pool, actor, "district_places", district_id)?;
    let (from, column) = match to {
        RunState::Reviewed => (RunState::Computed, "reviewed"),
        RunState::Approved => (RunState::Reviewed, "approved"),
        _ => return Err(Error::Invalid(Msg::new("无效的审批步骤", "not an approval step"))),
    };
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE evaluation_runs SET state = $3, {column}_by = $4, {column}_at = now()
          WHERE district_id = $1 AND year = $2 AND state = $5 AND stage = $6 RETURNING id"
    ))
    .bind(district_id)
    .bind(year)
    .bind(to)
    .bind(actor.account_id)
    .bind(from)
    .bind(stage)
    .fetch_optional(&mut *tx)
    .await?;
    let id = id.ok_or_else(|| {
        Error::Conflict(Msg::new(
            format!("只有“{}”的结果才能{}", from.label(domain::Lang::Zh), to.label(domain::Lang::Zh)),
            format!("only {} results can become {}", from.label(domain::Lang::En), to.label(domain::Lang::En)),
        ))
    })?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "advance_evaluation",
        "evaluation_run",
        Some(id),
        serde_json::json!({ "state": to.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reopens frozen results, with a reason (audited). The run is kept as it was; computing again
/// makes a new one.
pub async fn reopen(
    pool: &PgPool,
    actor: &Actor,
    district_id: i64,
    year: i32,
    stage: EvaluationStage,
    reason: &str,
) -> Result<()> {
    manage(actor)?;
    ensure_visible!(pool, actor, "district_places", district_id)?;
    if reason.trim().is_empty() {
        return Err(Error::Invalid(Msg::new("重新打开须写明理由", "reopening needs a reason")));
    }
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "UPDATE evaluation_runs SET state = 'reopened', reopen_reason = $3
          WHERE district_id = $1 AND year = $2 AND stage = $4 AND state IN ('reviewed', 'approved') RETURNING id",
    )
    .bind(district_id)
    .bind(year)
    .bind(reason.trim())
    .bind(stage)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::Conflict(Msg::new("没有已冻结的结果可重新打开", "no frozen results to reopen")))?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "reopen_evaluation",
        "evaluation_run",
        Some(id),
        serde_json::json!({ "reason": reason.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes a district's current run from its stored input and tells whether the result is
/// exactly the stored one.
pub async fn verify(pool: &PgPool, actor: &Actor, district_id: i64, year: i32, stage: EvaluationStage) -> Result<bool> {
    manage(actor)?;
    ensure_visible!(pool, actor, "district_places", district_id)?;
    let (input, output): (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "SELECT input, output FROM evaluation_runs WHERE district_id = $1 AND year = $2 AND stage = $3 AND state <> 'reopened'",
    )
    .bind(district_id)
    .bind(year)
    .bind(stage)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::Invalid(Msg::new("尚未计算考核结果", "no results computed yet")))?;
    let input: Input = serde_json::from_value(input)
        .map_err(|_| Error::Invalid(Msg::new("存储的考核输入无法读取", "the stored input cannot be read")))?;
    // By the engine that computed it.
    let engine = output.get("engine").and_then(serde_json::Value::as_u64).map_or(1, |e| u32::try_from(e).unwrap_or(1));
    let again = serde_json::to_value(evaluation::evaluate_as(&input, engine)).unwrap_or(serde_json::Value::Null);
    Ok(again == output)
}

/// The current run of each district in the caller's scope for a year; each result with its
/// item lines only when `with_lines` (the export), else its totals (the ranking page).
pub async fn runs(
    pool: &PgPool,
    actor: &Actor,
    year: i32,
    stage: EvaluationStage,
    with_lines: bool,
) -> Result<Vec<Run>> {
    type Time = chrono::DateTime<chrono::Utc>;
    type Row = (i64, i64, String, RunState, String, Time, Option<Time>, Option<Time>, String, i32);
    manage(actor)?;
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT r.id, r.district_id, d.name, r.state, a.display_name, r.computed_at, r.reviewed_at, r.approved_at,
                r.rule_set, r.version
           FROM evaluation_runs r JOIN districts d ON d.id = r.district_id JOIN accounts a ON a.id = r.computed_by
          WHERE ",
        visible!("district_places", "r.district_id"),
        " AND r.year = $6 AND r.stage = $7 AND r.state <> 'reopened' ORDER BY d.id"
    ))
    .scoped(actor.scope.filter())
    .bind(year)
    .bind(stage)
    .fetch_all(pool)
    .await?;
    let mut runs = Vec::new();
    for (id, district_id, district, state, computed_by, computed_at, reviewed_at, approved_at, rule_set, version) in
        rows
    {
        let outcomes: Vec<serde_json::Value> = sqlx::query_scalar(
            "SELECT CASE WHEN $2 THEN outcome ELSE outcome #- '{score,lines}' END
               FROM evaluation_outcomes WHERE run_id = $1 ORDER BY posting_id",
        )
        .bind(id)
        .bind(with_lines)
        .fetch_all(pool)
        .await?;
        let results = outcomes
            .into_iter()
            .map(serde_json::from_value)
            .collect::<std::result::Result<_, _>>()
            .map_err(unreadable)?;
        let output =
            Output { rule_set, version: u32::try_from(version).unwrap_or(0), engine: evaluation::ENGINE, results };
        runs.push(Run {
            id,
            district_id,
            district,
            year,
            stage,
            state,
            computed_by,
            computed_at,
            reviewed_at,
            approved_at,
            output,
        });
    }
    Ok(runs)
}
