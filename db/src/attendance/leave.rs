//! Leave (请假): the secretary asks, the township decides.

use chrono::NaiveDate;
use domain::board::LeaveRequest;
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{require, Error, Result};

use super::notify;

/// The leave requests a board lists: those pending and those of the last month.
pub(super) async fn leave_requests(pool: &PgPool, ids: &[i64]) -> Result<Vec<LeaveRequest>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.posting_id, a.display_name AS secretary, l.first_day, l.last_day, l.reason, l.status, l.requested_at
           FROM leave_requests l JOIN postings p ON p.id = l.posting_id JOIN accounts a ON a.id = p.secretary_id
          WHERE l.posting_id = ANY($1) AND (l.status = 'pending' OR l.last_day >= current_date - 31)
          ORDER BY l.status = 'pending' DESC, l.first_day DESC",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?)
}

/// A secretary asks for leave for their current posting.
pub async fn request_leave(
    pool: &PgPool,
    actor: &Actor,
    first_day: NaiveDate,
    last_day: NaiveDate,
    reason: &str,
) -> Result<i64> {
    if actor.role != domain::Role::Secretary {
        return Err(Error::Forbidden);
    }
    if last_day < first_day || (last_day - first_day).num_days() >= 90 {
        return Err(Error::Invalid(Msg::new(
            "请假日期无效（最长 90 天）",
            "the leave dates are not valid (90 days at most)",
        )));
    }
    if reason.trim().is_empty() {
        return Err(Error::Invalid(Msg::new("请填写请假事由", "please give a reason")));
    }
    let mut tx = pool.begin().await?;
    let (posting_id, township_id): (i64, i64) = sqlx::query_as(concat!(
        "SELECT p.id, v.township_id FROM postings p JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
          WHERE p.secretary_id = $1 AND ",
        is_current!()
    ))
    .bind(actor.account_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::Invalid(Msg::new("您目前没有选派任务", "you have no current posting")))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO leave_requests (posting_id, first_day, last_day, reason) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(posting_id)
    .bind(first_day)
    .bind(last_day)
    .bind(reason.trim())
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "request_leave",
        "leave_request",
        Some(id),
        serde_json::json!({ "first_day": first_day, "last_day": last_day, "reason": reason.trim() }),
    )
    .await?;
    notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// The secretary's own leave requests (for the phone).
pub async fn my_leave(pool: &PgPool, actor: &Actor) -> Result<Vec<LeaveRequest>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.posting_id, a.display_name AS secretary, l.first_day, l.last_day, l.reason, l.status, l.requested_at
           FROM leave_requests l JOIN postings p ON p.id = l.posting_id JOIN accounts a ON a.id = p.secretary_id
          WHERE p.secretary_id = $1 ORDER BY l.first_day DESC LIMIT 20",
    )
    .bind(actor.account_id)
    .fetch_all(pool)
    .await?)
}

/// The township approves or rejects a pending request.
pub async fn decide_leave(pool: &PgPool, actor: &Actor, id: i64, approve: bool) -> Result<()> {
    require(actor, Action::ManageAttendance)?;
    let mut tx = pool.begin().await?;
    let (posting_id, township_id, status): (i64, i64, String) = sqlx::query_as(
        "SELECT l.posting_id, v.township_id, l.status FROM leave_requests l
           JOIN postings p ON p.id = l.posting_id JOIN villages v ON v.id = p.village_id WHERE l.id = $1 FOR UPDATE OF l",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    if status != "pending" {
        return Err(Error::Conflict(Msg::new("该请假申请已处理", "this request has already been decided")));
    }
    let status = if approve { "approved" } else { "rejected" };
    sqlx::query("UPDATE leave_requests SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "decide_leave",
        "leave_request",
        Some(id),
        serde_json::json!({ "status": status }),
    )
    .await?;
    notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(())
}
