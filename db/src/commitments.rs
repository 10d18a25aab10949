//! Commitment items and the release of a posting (`domain::commitment`): the secretary keeps
//! the items, a successor finishes those handed over, the department ends a posting (deciding,
//! when items are open, to extend it, hand them over or release it anyway).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::commitment::{CommitmentItem, CommitmentState, NewCommitment, Release, ReleaseDecision};
use domain::{fields, Action, Actor, Msg, Role};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use crate::scope::BindScope;
use crate::{audit, require, Error, Result};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    posting_id: i64,
    secretary: String,
    year: i32,
    text: String,
    due: NaiveDate,
    state: CommitmentState,
    done_on: Option<NaiveDate>,
    project_ids: Vec<i64>,
}

/// Items by a `WHERE` on `c` (and `p`, its posting): unscoped, callers check.
async fn items_where<'e>(exec: impl sqlx::PgExecutor<'e>, filter: &str, id: i64) -> Result<Vec<Row>> {
    Ok(sqlx::query_as(&format!(
        "SELECT c.id, c.posting_id, a.display_name AS secretary, c.year, c.text, c.due, c.state, c.done_on, c.project_ids
           FROM commitment_items c JOIN postings p ON p.id = c.posting_id JOIN accounts a ON a.id = p.secretary_id
          WHERE {filter} ORDER BY c.due, c.id"
    ))
    .bind(id)
    .fetch_all(exec)
    .await?)
}

async fn named(pool: &PgPool, rows: Vec<Row>) -> Result<Vec<CommitmentItem>> {
    let ids: Vec<i64> = rows.iter().flat_map(|r| r.project_ids.iter().copied()).collect();
    let titles: HashMap<i64, String> = sqlx::query_as("SELECT id, title FROM projects WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| CommitmentItem {
            projects: r
                .project_ids
                .iter()
                .map(|p| (*p, titles.get(p).cloned().unwrap_or_else(|| format!("#{p}"))))
                .collect(),
            id: r.id,
            posting_id: r.posting_id,
            secretary: r.secretary,
            year: r.year,
            text: r.text,
            due: r.due,
            state: r.state,
            done_on: r.done_on,
        })
        .collect())
}

/// A posting's items (for those who see the posting: the dossier).
pub(crate) async fn of_posting(pool: &PgPool, posting_id: i64) -> Result<Vec<CommitmentItem>> {
    named(pool, items_where(pool, "c.posting_id = $1", posting_id).await?).await
}

/// The calling secretary's items of the current posting, and those the village's earlier
/// secretaries handed over.
pub async fn mine(pool: &PgPool, actor: &Actor) -> Result<(Vec<CommitmentItem>, Vec<CommitmentItem>)> {
    let posting = crate::postings::current_own(pool, actor).await?;
    let own = items_where(pool, "c.posting_id = $1", posting.id).await?;
    let handed = items_where(
        pool,
        "c.state = 'handed_over' AND p.village_id = (SELECT village_id FROM postings WHERE id = $1) AND p.id <> $1",
        posting.id,
    )
    .await?;
    Ok((named(pool, own).await?, named(pool, handed).await?))
}

/// The secretary adds an item of the year's commitment; audited.
pub async fn add(pool: &PgPool, actor: &Actor, text: &str, due: NaiveDate, projects: &[i64]) -> Result<i64> {
    require(actor, Action::FileEvaluation)?;
    let posting = crate::postings::current_own(pool, actor).await?;
    let item =
        NewCommitment::parse(text, due, projects, posting.term_start, posting.ended_on.unwrap_or(posting.term_end))?;
    let mut tx = pool.begin().await?;
    // Serialised with the end of the posting (which locks it): nothing is added once a
    // decision on the open items is recorded.
    let ended: Option<NaiveDate> = sqlx::query_scalar("SELECT ended_on FROM postings WHERE id = $1 FOR SHARE")
        .bind(posting.id)
        .fetch_one(&mut *tx)
        .await?;
    if ended.is_some() {
        return Err(Error::Conflict(Msg::new(
            "选派已结束，不能再新增承诺事项",
            "the posting has ended: no items can be added",
        )));
    }
    let own: Vec<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE posting_id = $1")
        .bind(posting.id)
        .fetch_all(&mut *tx)
        .await?;
    if let Some(p) = item.projects.iter().find(|p| !own.contains(p)) {
        return Err(Error::Invalid(Msg::new(format!("项目 {p} 不是您的项目"), format!("project {p} is not yours"))));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO commitment_items (posting_id, year, text, due, project_ids)
         VALUES ($1, extract(year FROM $3::date), $2, $3, $4) RETURNING id",
    )
    .bind(posting.id)
    .bind(&item.text)
    .bind(item.due)
    .bind(&item.projects)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "add_commitment",
        "commitment_item",
        Some(id),
        json!({ "text": item.text, "due": item.due, "projects": item.projects }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks an item done: the secretary's own open item, or one the village's earlier secretary
/// handed over; audited.
pub async fn done(pool: &PgPool, actor: &Actor, id: i64) -> Result<()> {
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    let posting = crate::postings::current_own(pool, actor).await?;
    let mut tx = pool.begin().await?;
    let (owner, village, state): (i64, i64, CommitmentState) = sqlx::query_as(
        "SELECT c.posting_id, p.village_id, c.state FROM commitment_items c JOIN postings p ON p.id = c.posting_id
          WHERE c.id = $1 FOR UPDATE OF c",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    let mine = owner == posting.id && state == CommitmentState::Open;
    let inherited = owner != posting.id && village == posting.village_id && state == CommitmentState::HandedOver;
    if !mine && !inherited {
        let done = state == CommitmentState::Done;
        return Err(match (owner == posting.id, village == posting.village_id) {
            (true, _) | (false, true) if done => Error::Conflict(Msg::new("该事项已完成", "the item is done already")),
            (true, _) => Error::Conflict(Msg::new(
                "该事项已移交继任者，由继任者完成",
                "the item was handed over: the successor finishes it",
            )),
            (false, true) => Error::Conflict(Msg::new(
                "前任的该事项未移交给您（已延期或仍予解除）",
                "the item was not handed over to you",
            )),
            (false, false) => Error::NotFound,
        });
    }
    sqlx::query(
        "UPDATE commitment_items SET state = 'done', done_by_posting = $2,
                done_on = (SELECT today FROM posting_districts WHERE posting_id = $2)
          WHERE id = $1",
    )
    .bind(id)
    .bind(posting.id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "commitment_done",
        "commitment_item",
        Some(id),
        json!({ "inherited": inherited }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How a posting ends: the last day served and why, and the department's decision on open
/// commitment items (`domain::commitment::check_release`).
pub struct Ending<'a> {
    pub ended_on: NaiveDate,
    pub reason: &'a str,
    pub decision: Option<ReleaseDecision>,
    pub decision_reason: &'a str,
    pub extend_to: Option<NaiveDate>,
}

/// Ends a posting (transfer, recall, or at its term's end): `ended_on` is the last day served.
/// With commitment items open, the department's decision is required: extended, the term runs
/// on instead; handed over, the items pass to the village's next secretary. Audited.
pub async fn end_posting(pool: &PgPool, actor: &Actor, id: i64, e: &Ending<'_>) -> Result<()> {
    require(actor, Action::ManagePostings)?;
    let reason = fields::name("结束原因", "reason", e.reason)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", id)?;
    let (start, end, ended): (NaiveDate, NaiveDate, Option<NaiveDate>) =
        sqlx::query_as("SELECT term_start, term_end, ended_on FROM postings WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if ended.is_some() {
        return Err(Error::Conflict(Msg::new("该选派已结束", "the posting has already ended")));
    }
    if e.ended_on < start || e.ended_on > end {
        return Err(Error::Invalid(Msg::new(
            "结束日期须在任期之内（最迟为任期结束日）",
            "the end date must fall within the term (its last day at the latest)",
        )));
    }
    let extended = release(&mut tx, actor, id, end, e.decision, e.decision_reason, e.extend_to).await?;
    match extended {
        Some(to) => {
            sqlx::query("UPDATE postings SET term_end = $2 WHERE id = $1").bind(id).bind(to).execute(&mut *tx).await?;
            audit::record(&mut tx, Some(actor.account_id), "extend", "posting", Some(id), json!({ "term_end": to }))
                .await?;
        }
        None => {
            sqlx::query("UPDATE postings SET ended_on = $2, ended_reason = $3 WHERE id = $1")
                .bind(id)
                .bind(e.ended_on)
                .bind(&reason)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                Some(actor.account_id),
                "end",
                "posting",
                Some(id),
                json!({ "ended_on": e.ended_on, "reason": reason }),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Applies the rule when a posting ends (or is extended instead): with open items, the
/// department's decision is required and recorded; handed-over items pass to the village's
/// next secretary. Returns the new term end of an extension.
pub(crate) async fn release(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    posting_id: i64,
    term_end: NaiveDate,
    decision: Option<ReleaseDecision>,
    reason: &str,
    extend_to: Option<NaiveDate>,
) -> Result<Option<NaiveDate>> {
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT due || ' ' || text FROM commitment_items WHERE posting_id = $1 AND state = 'open' ORDER BY due, id FOR UPDATE",
    )
    .bind(posting_id)
    .fetch_all(&mut **tx)
    .await?;
    // Items left open are a conflict with ending; a decision badly given is invalid input.
    let checked = domain::commitment::check_release(open.len(), decision, reason, extend_to, term_end)
        .map_err(|m| if decision.is_none() { Error::Conflict(m) } else { Error::Invalid(m) })?;
    let Some((decision, reason, extend_to)) = checked else {
        return Ok(None);
    };
    if decision == ReleaseDecision::HandOver {
        sqlx::query("UPDATE commitment_items SET state = 'handed_over' WHERE posting_id = $1 AND state = 'open'")
            .bind(posting_id)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO posting_releases (posting_id, decision, reason, extend_to, open_items, decided_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(posting_id)
    .bind(decision)
    .bind(&reason)
    .bind(extend_to)
    .bind(json!(open))
    .bind(actor.account_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor.account_id),
        "release_decision",
        "posting",
        Some(posting_id),
        json!({ "decision": decision, "reason": reason, "extend_to": extend_to, "open_items": open }),
    )
    .await?;
    Ok(extend_to)
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    decision: ReleaseDecision,
    reason: String,
    extend_to: Option<NaiveDate>,
    open_items: sqlx::types::Json<Vec<String>>,
    decided_by: String,
    at: chrono::DateTime<chrono::Utc>,
}

/// A posting's release decisions, oldest first.
pub(crate) async fn releases(pool: &PgPool, posting_id: i64) -> Result<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as(
        "SELECT r.decision, r.reason, r.extend_to, r.open_items, a.display_name AS decided_by, r.at
               FROM posting_releases r JOIN accounts a ON a.id = r.decided_by WHERE r.posting_id = $1 ORDER BY r.id",
    )
    .bind(posting_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Release {
            decision: r.decision,
            reason: r.reason,
            extend_to: r.extend_to,
            open_items: r.open_items.0,
            decided_by: r.decided_by,
            at: r.at,
        })
        .collect())
}
