//! Roll calls (点名): the township calls its secretaries, a check-in answers.

use chrono::{DateTime, Utc};
use domain::board::RollCall;
use domain::mandate::Mandate;
use domain::sync::OpenRollCall;
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{require, Error, Result};

use super::notify;

/// The township's roll calls of the last week, newest first, with who answered.
pub(super) async fn roll_calls(pool: &PgPool, township_id: i64) -> Result<Vec<RollCall>> {
    let calls: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, started_at, deadline FROM roll_calls
          WHERE township_id = $1 AND started_at > now() - interval '7 days' ORDER BY started_at DESC",
    )
    .bind(township_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for (id, started_at, deadline) in calls {
        let answers = sqlx::query_as(
            "SELECT g.posting_id, a.display_name AS secretary,
                    r.device_time + r.clock_skew_s * interval '1 second' AS answered_at, r.verdict = 'verified' AS verified,
                    g.late_at
               FROM roll_call_targets g
               JOIN postings p ON p.id = g.posting_id JOIN accounts a ON a.id = p.secretary_id
               LEFT JOIN field_records r ON r.id = g.answer
              WHERE g.roll_call_id = $1 ORDER BY a.display_name",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        out.push(RollCall { id, started_at, deadline, answers });
    }
    Ok(out)
}

/// Starts a roll call of the township's current secretaries (those of `postings`, or all when
/// it is empty), answerable until `minutes` from now.
pub async fn start_roll_call(
    pool: &PgPool,
    actor: &Actor,
    township_id: i64,
    minutes: i64,
    postings: &[i64],
) -> Result<i64> {
    require(actor, Action::ManageAttendance)?;
    if !(5..=24 * 60).contains(&minutes) {
        return Err(Error::Invalid(Msg::new(
            "点名时限应在 5 分钟到 24 小时之间",
            "the deadline must be 5 minutes to 24 hours away",
        )));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "township_places", township_id)?;
    crate::mandates::require_on(&mut *tx, township_id, Mandate::RollCall).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO roll_calls (township_id, started_by, deadline) VALUES ($1, $2, now() + $3 * interval '1 minute') RETURNING id",
    )
    .bind(township_id)
    .bind(actor.account_id)
    .bind(minutes as f64)
    .fetch_one(&mut *tx)
    .await?;
    let targets = sqlx::query(concat!(
        "INSERT INTO roll_call_targets (roll_call_id, posting_id)
         SELECT $1, p.id FROM postings p JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
          WHERE v.township_id = $2 AND ",
        is_current!(),
        " AND (cardinality($3::bigint[]) = 0 OR p.id = ANY($3))"
    ))
    .bind(id)
    .bind(township_id)
    .bind(postings)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if targets == 0 || (!postings.is_empty() && targets as usize != postings.len()) {
        return Err(Error::Invalid(Msg::new(
            "点名对象须是本镇街在岗的第一书记",
            "the secretaries called must be posted in this township now",
        )));
    }
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "start_roll_call",
        "roll_call",
        Some(id),
        serde_json::json!({ "township_id": township_id, "minutes": minutes, "postings": postings }),
    )
    .await?;
    notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Open roll calls asking this secretary to check in (shown on the phone).
pub async fn open_roll_calls(pool: &PgPool, posting_id: i64) -> Result<Vec<OpenRollCall>> {
    let rows: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "SELECT c.id, c.started_at, c.deadline FROM roll_call_targets g JOIN roll_calls c ON c.id = g.roll_call_id
          WHERE g.posting_id = $1 AND g.answer IS NULL AND c.deadline > now() ORDER BY c.deadline",
    )
    .bind(posting_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, started_at, deadline)| OpenRollCall { id, started_at, deadline }).collect())
}
