//! The township board (考勤看板) read from the ledger, and one posting's records behind it.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::board::{self, Board, BoardRow, LateReview, Timeline, TimelineEntry, TimelineFilter};
use domain::calendar::DayRule;
use domain::field::RecordBody;
use domain::mandate::Mandate;
use domain::org::PostingMode;
use domain::{Action, Actor};
use sqlx::PgPool;

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{require, Result};

use super::leave::leave_requests;
use super::roll_calls::roll_calls;
use super::{calendar, day_rule, days, distance_from, facts, last_check_ins};

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    secretary: String,
    village: String,
    mode: PostingMode,
    term_start: NaiveDate,
    today: NaiveDate,
}

/// The board of one township: its current postings, assessed.
pub async fn board(pool: &PgPool, actor: &Actor, township_id: i64) -> Result<Board> {
    require(actor, Action::ViewAttendance)?;
    ensure_visible!(pool, actor, "township_places", township_id)?;
    let postings: Vec<PostingRow> = sqlx::query_as(concat!(
        "SELECT p.id, a.display_name AS secretary, v.name AS village, p.mode, p.term_start,
                (now() AT TIME ZONE d.time_zone)::date AS today
           FROM postings p
           JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE v.township_id = $1 AND ",
        is_current!(),
        " ORDER BY v.name"
    ))
    .bind(township_id)
    .fetch_all(pool)
    .await?;
    let township: String =
        sqlx::query_scalar("SELECT name FROM townships WHERE id = $1").bind(township_id).fetch_one(pool).await?;
    let today = match postings.first() {
        Some(p) => p.today,
        None => sqlx::query_scalar(
            "SELECT (now() AT TIME ZONE d.time_zone)::date FROM townships t JOIN districts d ON d.id = t.district_id WHERE t.id = $1",
        )
        .bind(township_id)
        .fetch_one(pool)
        .await?,
    };
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let terms: Vec<(i64, NaiveDate)> = postings.iter().map(|p| (p.id, p.term_start)).collect();
    // Postings of one township share their district's rule.
    let rule = match ids.first() {
        Some(id) => day_rule(pool, *id).await?,
        None => DayRule::default(),
    };
    // The duties count this week and month (not the whole history: the board stays as fast in
    // December as in March).
    let since = today.with_day(1).unwrap_or(today).min(domain::duty::week_start(today));
    let mut facts = facts(pool, &terms, today, rule, since).await?;
    let mut last = last_check_ins(pool, &ids).await?;
    let calendar = calendar(pool, today.with_day(1).unwrap_or(today), today).await?;
    let names: HashMap<i64, String> = postings.iter().map(|p| (p.id, p.secretary.clone())).collect();
    let rows = postings
        .into_iter()
        .map(|p| {
            let f = facts.remove(&p.id).unwrap_or_default();
            BoardRow {
                posting_id: p.id,
                secretary: p.secretary,
                village: p.village,
                mode: p.mode,
                last_check_in: last.remove(&p.id),
                assessment: board::assess(today, &p.mode.duties(), &calendar, &f),
            }
        })
        .collect();
    Ok(Board {
        township_id,
        township,
        today,
        late_days: late_days(pool, &ids, &names, today).await?,
        rows,
        leave_requests: leave_requests(pool, &ids).await?,
        roll_calls: roll_calls(pool, township_id).await?,
        roll_calls_on: crate::mandates::is_on(pool, township_id, Mandate::RollCall).await?,
    })
}

/// The days of this month and the last that were credited late, for the township to review.
async fn late_days(
    pool: &PgPool,
    ids: &[i64],
    names: &HashMap<i64, String>,
    today: NaiveDate,
) -> Result<Vec<board::LateDay>> {
    let since = (today.with_day(1).unwrap_or(today) - Duration::days(1)).with_day(1).unwrap_or(today);
    let mut out: Vec<board::LateDay> = days(pool, ids, since, today)
        .await?
        .into_iter()
        .filter_map(|(id, d)| {
            Some(board::LateDay {
                posting_id: id,
                secretary: names.get(&id).cloned().unwrap_or_default(),
                day: d.day,
                // The first record that made the day, a check-in or a located one.
                received_at: d.first_received_at.into_iter().chain(d.first_located_received_at).min()?,
                review: d.late?,
            })
        })
        .collect();
    out.sort_by_key(|l| (l.review != LateReview::Pending, l.day));
    Ok(out)
}

/// The newest records of one posting (at most `limit`), for the board's click-through and the
/// dispatching unit's view.
pub async fn timeline(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    filter: TimelineFilter,
    limit: i64,
) -> Result<Timeline> {
    require(actor, Action::FollowSecretaries)?;
    ensure_visible!(pool, actor, "posting_places", posting_id)?;
    let (secretary, village, lat, lon): (String, String, f64, f64) = sqlx::query_as(
        "SELECT a.display_name, v.name, v.lat, v.lon FROM postings p JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id WHERE p.id = $1",
    )
    .bind(posting_id)
    .fetch_one(pool)
    .await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        body: serde_json::Value,
        device_time: DateTime<Utc>,
        received_at: DateTime<Utc>,
        verdict: Option<String>,
        offline: bool,
        clock_skew_s: i32,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.body, r.device_time, r.received_at, r.verdict, r.offline, r.clock_skew_s
           FROM field_records r JOIN postings p ON p.id = r.posting_id JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id,
                LATERAL (SELECT coalesce((r.body->'body'->>'date')::date,
                                         ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date)
                                AS day) x
          WHERE r.posting_id = $1 AND ($3::text IS NULL OR r.kind = $3)
            AND ($4::date IS NULL OR x.day >= $4) AND ($5::date IS NULL OR x.day <= $5)
          ORDER BY r.device_time DESC LIMIT $2",
    )
    .bind(posting_id)
    .bind(limit)
    .bind(filter.kind)
    .bind(filter.from)
    .bind(filter.to)
    .fetch_all(pool)
    .await?;
    let entries = rows
        .into_iter()
        .filter_map(|r| {
            let body: RecordBody = serde_json::from_value(r.body).ok()?;
            Some(TimelineEntry {
                distance_m: distance_from(&body, lat, lon),
                body,
                device_time: r.device_time,
                received_at: r.received_at,
                verdict: r.verdict,
                offline: r.offline,
                clock_skew_s: r.clock_skew_s,
            })
        })
        .collect();
    let inspections = sqlx::query_as(
        "SELECT i.visited_on, i.present, i.note, i.photo, a.display_name AS inspector
           FROM inspections i JOIN accounts a ON a.id = i.inspector_id
          WHERE i.posting_id = $1 ORDER BY i.recorded_at DESC LIMIT 50",
    )
    .bind(posting_id)
    .fetch_all(pool)
    .await?;
    let households = sqlx::query_as("SELECT id, head_name FROM households WHERE posting_id = $1 ORDER BY id")
        .bind(posting_id)
        .fetch_all(pool)
        .await?;
    Ok(Timeline { secretary, village, entries, inspections, households })
}
