//! The secretary's filings (三定一诺) and the approval of term goals.

use domain::evaluation::filing::{Filing, FilingKind, NewFiling};
use domain::{Action, Actor, Msg, Role};
use sqlx::PgPool;

use super::ensure_open;
use crate::scope::BindScope;
use crate::{require, Error, Result};

const SELECT: &str = "SELECT f.id, f.posting_id, f.year, f.kind, f.body, f.goals, f.published_on, f.filed_at,
        f.updated_at, ta.display_name AS township_approver, f.township_approved_at,
        ua.display_name AS unit_approver, f.unit_approved_at
   FROM filings f
   LEFT JOIN accounts ta ON ta.id = f.township_approved_by
   LEFT JOIN accounts ua ON ua.id = f.unit_approved_by";

/// A posting's filings of a year (the caller's scope was checked).
pub(crate) async fn of(pool: &PgPool, posting_id: i64, year: i32) -> Result<Vec<Filing>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE f.posting_id = $1 AND f.year = $2 ORDER BY f.kind"))
        .bind(posting_id)
        .bind(year)
        .fetch_all(pool)
        .await?)
}

/// The secretary's posting that covers part of `year`, the newest first (secretaries only).
pub(crate) async fn own_posting(pool: &PgPool, actor: &Actor, year: i32) -> Result<i64> {
    require(actor, Action::FileEvaluation)?;
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    sqlx::query_scalar(
        "SELECT id FROM postings WHERE secretary_id = $1
            AND extract(year FROM term_start) <= $2 AND extract(year FROM coalesce(ended_on, term_end)) >= $2
          ORDER BY term_start DESC LIMIT 1",
    )
    .bind(actor.account_id)
    .bind(year)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| {
        Error::Invalid(Msg::new(format!("您在 {year} 年没有选派任务"), format!("you have no posting in {year}")))
    })
}

/// Files (or files again) one of the secretary's documents. Term goals come after the first
/// research (a research report must be on record); filing them again with other goals needs
/// the approvals again.
pub async fn file(pool: &PgPool, actor: &Actor, year: i32, f: &NewFiling) -> Result<i64> {
    let posting_id = own_posting(pool, actor, year).await?;
    let mut tx = pool.begin().await?;
    ensure_open(&mut tx, posting_id, year).await?;
    if f.kind == FilingKind::TermGoals {
        let researched: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM field_records WHERE posting_id = $1 AND kind = 'research')",
        )
        .bind(posting_id)
        .fetch_one(&mut *tx)
        .await?;
        if !researched {
            return Err(Error::Invalid(Msg::new(
                "任期目标须在首次调研之后备案：请先提交并同步调研报告",
                "term goals are filed after the first research: record and sync a research report first",
            )));
        }
    }
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT jsonb_build_object('body', body, 'goals', goals, 'published_on', published_on)
           FROM filings WHERE posting_id = $1 AND year = $2 AND kind = $3",
    )
    .bind(posting_id)
    .bind(year)
    .bind(f.kind)
    .fetch_optional(&mut *tx)
    .await?;
    let goals = serde_json::to_value(&f.goals).map_err(|_| Error::Forbidden)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO filings (posting_id, year, kind, body, goals, published_on) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (posting_id, year, kind) DO UPDATE
            SET body = EXCLUDED.body, published_on = EXCLUDED.published_on, updated_at = now(),
                -- Progress already noted stays with goals of the same wording.
                goals = (SELECT coalesce(jsonb_agg(jsonb_build_object('goal', n->>'goal', 'progress',
                                coalesce((SELECT o->>'progress' FROM jsonb_array_elements(filings.goals) o
                                           WHERE o->>'goal' = n->>'goal' LIMIT 1), ''))), '[]')
                           FROM jsonb_array_elements(EXCLUDED.goals) n),
                township_approved_by = CASE WHEN goal_texts(filings.goals) = goal_texts(EXCLUDED.goals) THEN filings.township_approved_by END,
                township_approved_at = CASE WHEN goal_texts(filings.goals) = goal_texts(EXCLUDED.goals) THEN filings.township_approved_at END,
                unit_approved_by = CASE WHEN goal_texts(filings.goals) = goal_texts(EXCLUDED.goals) THEN filings.unit_approved_by END,
                unit_approved_at = CASE WHEN goal_texts(filings.goals) = goal_texts(EXCLUDED.goals) THEN filings.unit_approved_at END
         RETURNING id",
    )
    .bind(posting_id)
    .bind(year)
    .bind(f.kind)
    .bind(&f.body)
    .bind(goals)
    .bind(f.published_on)
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "file",
        "filing",
        Some(id),
        serde_json::json!({ "kind": f.kind.code(), "year": year, "before": before,
                            "after": { "body": f.body, "goals": f.goals, "published_on": f.published_on } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The secretary notes how far goal `index` of their term goals has come.
pub async fn goal_progress(pool: &PgPool, actor: &Actor, year: i32, index: usize, progress: &str) -> Result<()> {
    let posting_id = own_posting(pool, actor, year).await?;
    let mut tx = pool.begin().await?;
    ensure_open(&mut tx, posting_id, year).await?;
    let done = sqlx::query(
        "UPDATE filings SET goals = jsonb_set(goals, ARRAY[$3::text, 'progress'], to_jsonb($4::text)), updated_at = now()
          WHERE posting_id = $1 AND year = $2 AND kind = 'term_goals' AND $3 < jsonb_array_length(goals)",
    )
    .bind(posting_id)
    .bind(year)
    .bind(index as i64)
    .bind(progress.trim())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(Error::NotFound);
    }
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "goal_progress",
        "posting",
        Some(posting_id),
        serde_json::json!({ "year": year, "goal": index, "progress": progress.trim() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The township (supervisor) or the dispatching unit approves a posting's term goals, once.
pub async fn approve_goals(pool: &PgPool, actor: &Actor, posting_id: i64, year: i32) -> Result<()> {
    require(actor, Action::ApproveGoals)?;
    let stage = match actor.role {
        Role::TownshipSupervisor => "township",
        Role::UnitViewer => "unit",
        _ => return Err(Error::Forbidden),
    };
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let sql = format!(
        "UPDATE filings SET {stage}_approved_by = $3, {stage}_approved_at = now()
          WHERE posting_id = $1 AND year = $2 AND kind = 'term_goals' AND {stage}_approved_at IS NULL RETURNING id"
    );
    let id: Option<i64> =
        sqlx::query_scalar(&sql).bind(posting_id).bind(year).bind(actor.account_id).fetch_optional(&mut *tx).await?;
    let Some(id) = id else {
        let filed: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM filings WHERE posting_id = $1 AND year = $2 AND kind = 'term_goals')",
        )
        .bind(posting_id)
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
        return Err(if filed {
            Error::Conflict(Msg::new("已审核通过，无需重复审核", "already approved"))
        } else {
            Error::Invalid(Msg::new("该书记尚未备案任期目标", "no term goals have been filed"))
        });
    };
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "approve_goals",
        "filing",
        Some(id),
        serde_json::json!({ "stage": stage, "year": year }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
