//! Field records as the server holds them, read back: a secretary's own history for the phone
//! (`GET /sync/history`).

use chrono::{DateTime, Utc};
use domain::field::{Envelope, Verdict};
use domain::sync::{HeldRecord, HistoryCursor, HistoryPage, HISTORY_PAGE};
use domain::{Actor, Msg};
use sqlx::PgPool;

use crate::{Error, Result};

type Row = (uuid::Uuid, DateTime<Utc>, serde_json::Value, DateTime<Utc>, Option<String>);

/// One page of the records the secretary made under the current posting, newest first (by the
/// phone's clock, then id), starting after `cursor`. A stored body this build cannot read is
/// left out of the page (logged), never the whole page.
#[tracing::instrument(skip(pool, actor), fields(account = actor.account_id))]
pub async fn history(pool: &PgPool, actor: &Actor, cursor: Option<&HistoryCursor>) -> Result<HistoryPage> {
    let posting = crate::postings::current_own(pool, actor).await?;
    let (before, after_id) = match cursor {
        Some(c) => {
            let id = uuid::Uuid::parse_str(&c.id)
                .map_err(|_| Error::Invalid(Msg::new("记录编号格式错误", "malformed record id")))?;
            (Some(c.before), Some(id))
        }
        None => (None, None),
    };
    // One more than a page says whether older records follow.
    let limit = i64::try_from(HISTORY_PAGE + 1).unwrap_or(i64::MAX);
    let mut rows: Vec<Row> = sqlx::query_as(
        "SELECT id, device_time, body, received_at, verdict FROM field_records
          WHERE secretary_id = $1 AND posting_id = $2
            AND ($3::timestamptz IS NULL OR (device_time, id) < ($3, $4))
          ORDER BY device_time DESC, id DESC
          LIMIT $5",
    )
    .bind(actor.account_id)
    .bind(posting.id)
    .bind(before)
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let more = rows.len() > HISTORY_PAGE;
    rows.truncate(HISTORY_PAGE);
    let next = rows
        .last()
        .filter(|_| more)
        .map(|(id, device_time, ..)| HistoryCursor { before: *device_time, id: id.to_string() });
    let records = rows
        .into_iter()
        .filter_map(|(id, device_time, body, received_at, verdict)| match serde_json::from_value(body) {
            Ok(body) => Some(HeldRecord {
                envelope: Envelope { id: id.to_string(), device_time, body },
                received_at,
                verdict: verdict.as_deref().and_then(Verdict::from_code),
            }),
            Err(e) => {
                tracing::warn!(%id, "stored record unreadable: {e}");
                None
            }
        })
        .collect();
    Ok(HistoryPage { records, next })
}
