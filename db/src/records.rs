//! Field records as the server holds them, read back: a secretary's own history for the phone
//! (`GET /sync/history`).

use chrono::{DateTime, Utc};
use domain::field::{Envelope, Verdict};
use domain::sync::{HeldRecord, HistoryCursor, HistoryPage, HISTORY_PAGE};
use domain::{Actor, Msg};
use sqlx::PgPool;

use crate::scope::BindScope;
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
                envelope: Envelope { id: id.to_string(), device_time, body, effort: None },
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

/// A record in an export: where and by whom, both clocks (in the district's time zone, as
/// `2026-11-24 09:30:00`), the verdict on its position.
#[derive(Clone, Debug)]
pub struct Exported {
    pub id: uuid::Uuid,
    pub township: String,
    pub village: String,
    pub secretary: String,
    pub device_time: String,
    pub received_at: String,
    pub verdict: Option<Verdict>,
    pub body: domain::field::RecordBody,
}

/// Every record made (district day, by the server-corrected clock) in the month from `first`
/// by the secretaries in the caller's scope, of one township or district if given, of one kind
/// if given, by township, village and time; and the names of the households they name. A
/// stored body this build cannot read is left out (logged).
pub async fn export(
    pool: &PgPool,
    actor: &Actor,
    township_id: Option<i64>,
    district_id: Option<i64>,
    first: chrono::NaiveDate,
    kind: Option<domain::field::RecordKind>,
) -> Result<(Vec<Exported>, std::collections::HashMap<i64, String>)> {
    crate::require(actor, domain::Action::FollowSecretaries)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| Error::Invalid(Msg::new("月份无效", "the month is not valid")))?;
    let sql = format!(
        "SELECT r.id, t.name AS township, v.name AS village, a.display_name AS secretary,
                to_char(r.device_time AT TIME ZONE d.time_zone, 'YYYY-MM-DD HH24:MI:SS'),
                to_char(r.received_at AT TIME ZONE d.time_zone, 'YYYY-MM-DD HH24:MI:SS'), r.verdict, r.body, r.posting_id
           FROM field_records r
           JOIN postings p ON p.id = r.posting_id
           JOIN accounts a ON a.id = r.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE {} AND ($6::bigint IS NULL OR v.township_id = $6) AND ($7::bigint IS NULL OR t.district_id = $7)
            AND ($8::text IS NULL OR r.kind = $8)
            AND ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone) >= $9
            AND ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone) < $10
          ORDER BY t.name, v.name, r.device_time, r.id",
        visible!("posting_places", "p.id")
    );
    type Row = (uuid::Uuid, String, String, String, String, String, Option<String>, serde_json::Value, i64);
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .scoped(actor.scope.filter())
        .bind(township_id)
        .bind(district_id)
        .bind(kind.map(|k| k.code()))
        .bind(first.and_time(chrono::NaiveTime::MIN))
        .bind(last.and_time(chrono::NaiveTime::MIN))
        .fetch_all(pool)
        .await?;
    let postings: Vec<i64> = rows.iter().map(|r| r.8).collect();
    let households: std::collections::HashMap<i64, String> =
        sqlx::query_as("SELECT id, head_name FROM households WHERE posting_id = ANY($1)")
            .bind(&postings)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let records = rows
        .into_iter()
        .filter_map(|(id, township, village, secretary, device_time, received_at, verdict, body, _)| {
            match serde_json::from_value(body) {
                Ok(body) => Some(Exported {
                    id,
                    township,
                    village,
                    secretary,
                    device_time,
                    received_at,
                    verdict: verdict.as_deref().and_then(Verdict::from_code),
                    body,
                }),
                Err(e) => {
                    tracing::warn!(%id, "stored record unreadable: {e}");
                    None
                }
            }
        })
        .collect();
    Ok((records, households))
}

/// A posting's work records (not check-ins or check-outs) about days from `first` to `last`,
/// each with that day: its own date, else the district day it was made (server-corrected
/// clock). Records found untrue, and a stored body this build cannot read, are left out.
pub(crate) async fn work_between(
    pool: &PgPool,
    posting_id: i64,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> Result<Vec<(chrono::NaiveDate, domain::field::RecordBody)>> {
    let rows: Vec<(chrono::NaiveDate, serde_json::Value)> = sqlx::query_as(
        "SELECT x.day, r.body FROM field_records r JOIN posting_districts pd ON pd.posting_id = r.posting_id,
                LATERAL (SELECT coalesce((r.body->'body'->>'date')::date,
                                         ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE pd.time_zone)::date)
                                AS day) x
          WHERE r.posting_id = $1 AND r.kind NOT IN ('check_in', 'check_out') AND x.day BETWEEN $2 AND $3
            AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id)
          ORDER BY x.day, r.device_time, r.id",
    )
    .bind(posting_id)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, body)| match serde_json::from_value(body) {
            Ok(body) => Some((day, body)),
            Err(e) => {
                tracing::warn!(posting = posting_id, %day, "stored record unreadable: {e}");
                None
            }
        })
        .collect())
}

/// Postings' diaries, meetings, visits and research reports (what the duties and the
/// evaluation count), with their ids, per posting.
pub(crate) async fn counted(
    pool: &PgPool,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<(String, domain::field::RecordBody)>>> {
    let rows: Vec<(i64, uuid::Uuid, serde_json::Value)> = sqlx::query_as(
        "SELECT posting_id, id, body FROM field_records r
          WHERE posting_id = ANY($1) AND kind IN ('diary', 'meeting', 'visit', 'research', 'practical')
            AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id)",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::HashMap<i64, Vec<(String, domain::field::RecordBody)>> = Default::default();
    for (posting, id, body) in rows {
        if let Ok(body) = serde_json::from_value(body) {
            out.entry(posting).or_default().push((id.to_string(), body));
        }
    }
    Ok(out)
}
