//! Attendance (issue 4): the ledger here — check-ins and located records counted per posting
//! and district day (kept by the sync push), the calendar and the district's day rule, leave,
//! roll-call answers and inspection absences as the board, allowance, evaluation and dashboard
//! read them — and beside it the township board and the actions that change the ledger.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::board::{DayCount, Facts, Fix, LastCheckIn, LateReview};
use domain::calendar::{DayEvidence, DayRule, WorkCalendar};
use domain::duty::Pairing;
use domain::field::RecordBody;
use sqlx::{PgPool, Postgres, Transaction};

use crate::Result;

mod board;
mod inspections;
mod leave;
mod roll_calls;

pub use board::{board, timeline};
pub use inspections::{attach_inspection_photo, record_inspection};
pub use leave::{decide_leave, my_leave, request_leave};
pub use roll_calls::{open_roll_calls, start_roll_call};

/// PostgreSQL channel told a township's id whenever check-ins, leave or roll calls change.
pub const CHANNEL: &str = "attendance";

/// Counts newly stored records into `attendance_days` (check-ins, and other records made inside
/// the village) and `attendance_outs` (check-outs), marks the roll calls check-ins answer, and
/// tells the township's open boards (the notification is delivered when the push commits).
pub(crate) async fn record_presence(
    tx: &mut Transaction<'_, Postgres>,
    posting_id: i64,
    township_id: i64,
    ids: &[uuid::Uuid],
) -> Result<()> {
    let written: i64 = sqlx::query_scalar("SELECT count_attendance($1)").bind(ids).fetch_one(&mut **tx).await?;
    if written == 0 {
        return Ok(());
    }
    // A check-in made (by the server's clock) after a roll call's start answers it if it reached
    // the server before the deadline; one that arrives later is late (the first such time kept).
    sqlx::query(
        "UPDATE roll_call_targets g
            SET answer = CASE WHEN r.received_at <= c.deadline THEN r.id END,
                late_at = CASE WHEN r.received_at > c.deadline THEN least(g.late_at, r.received_at) ELSE g.late_at END
           FROM roll_calls c, LATERAL (
                SELECT r.id, r.received_at FROM field_records r
                 WHERE r.id = ANY($1) AND r.kind = 'check_in'
                   AND r.device_time + r.clock_skew_s * interval '1 second' >= c.started_at
                 ORDER BY r.received_at LIMIT 1) r
          WHERE g.roll_call_id = c.id AND g.posting_id = $2 AND g.answer IS NULL",
    )
    .bind(ids)
    .bind(posting_id)
    .execute(&mut **tx)
    .await?;
    notify(tx, township_id).await
}

pub(crate) async fn notify(tx: &mut Transaction<'_, Postgres>, township_id: i64) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(township_id.to_string()).execute(&mut **tx).await?;
    Ok(())
}

/// The working calendar's exceptions between two days.
pub async fn calendar(pool: &PgPool, first: NaiveDate, last: NaiveDate) -> Result<WorkCalendar> {
    let rows: Vec<(NaiveDate, bool)> =
        sqlx::query_as("SELECT day, working FROM calendar_days WHERE day BETWEEN $1 AND $2")
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await?;
    Ok(WorkCalendar::new(rows))
}

/// The district's rule for a day in the village.
pub async fn day_rule(pool: &PgPool, posting_id: i64) -> Result<DayRule> {
    let (requires_check_out, minutes, evidence): (bool, i32, DayEvidence) = sqlx::query_as(
        "SELECT day_requires_check_out, day_min_stay_minutes, day_evidence FROM posting_districts WHERE posting_id = $1",
    )
    .bind(posting_id)
    .fetch_one(pool)
    .await?;
    Ok(DayRule::from_settings(requires_check_out, minutes, evidence))
}

/// Each posting's days from `first` to `last` with check-ins, check-outs or records made inside
/// the village.
pub(crate) async fn days(
    pool: &PgPool,
    ids: &[i64],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(i64, DayCount)>> {
    #[derive(sqlx::FromRow)]
    struct DayRow {
        posting_id: i64,
        day: NaiveDate,
        verified: i32,
        review: i32,
        offline: i32,
        first_device_time: Option<DateTime<Utc>>,
        first_received_at: Option<DateTime<Utc>>,
        first_verified_in: Option<DateTime<Utc>>,
        last_verified_out: Option<DateTime<Utc>>,
        located: i32,
        first_located: Option<DateTime<Utc>>,
        first_located_received_at: Option<DateTime<Utc>>,
        late: bool,
        review_decision: Option<LateReview>,
    }
    // Late: the day's first evidence (a verified check-in, or by the district's rule another
    // record made inside the village) arrived more than the district's grace after the day
    // ended (in the district's time zone).
    let rows: Vec<DayRow> = sqlx::query_as(
        "SELECT a.posting_id, a.day, a.verified, a.review, a.offline, a.first_device_time, a.first_received_at,
                a.first_verified_in, o.last_verified_out, a.located, a.first_located,
                a.first_located_received_at,
                coalesce(least(a.first_verified_received_at,
                               CASE WHEN d.day_evidence = 'any_located' THEN a.first_located_received_at END)
                           > ((a.day + 1)::timestamp AT TIME ZONE d.time_zone) + d.late_grace_hours * interval '1 hour',
                         false) AS late,
                l.decision AS review_decision
           FROM attendance_days a
           JOIN postings p ON p.id = a.posting_id JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
           LEFT JOIN attendance_outs o ON o.posting_id = a.posting_id AND o.day = a.day
           LEFT JOIN late_day_reviews l ON l.posting_id = a.posting_id AND l.day = a.day
          WHERE a.posting_id = ANY($1) AND a.day BETWEEN $2 AND $3",
    )
    .bind(ids)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|d| {
            let count = DayCount {
                day: d.day,
                verified: n(d.verified),
                review: n(d.review),
                offline: n(d.offline),
                first_device_time: d.first_device_time,
                first_received_at: d.first_received_at,
                first_verified_in: d.first_verified_in,
                last_verified_out: d.last_verified_out,
                located: n(d.located),
                first_located: d.first_located,
                first_located_received_at: d.first_located_received_at,
                late: d.late.then_some(d.review_decision.unwrap_or(LateReview::Pending)),
            };
            (d.posting_id, count)
        })
        .collect())
}

/// What the board (and the dashboard) knows of each posting `(id, term start)`, in one query per
/// kind of fact: days in the village and 两委 meetings from `since`, leave overlapping it, the
/// latest diary, each household's latest visit, the last 30 days' check-ins and this month's
/// inspections.
pub(crate) async fn facts(
    pool: &PgPool,
    postings: &[(i64, NaiveDate)],
    today: NaiveDate,
    rule: DayRule,
    since: NaiveDate,
) -> Result<HashMap<i64, Facts>> {
    let ids: Vec<i64> = postings.iter().map(|p| p.0).collect();
    let mut out: HashMap<i64, Facts> =
        postings.iter().map(|&(id, start)| (id, Facts { rule, term_start: Some(start), ..Facts::default() })).collect();
    let month_start = today.with_day(1).unwrap_or(today);

    for d in days(pool, &ids, since, today).await? {
        let f = out.entry(d.0).or_default();
        if d.1.counts(&rule) {
            f.activity.days_in_village.insert(d.1.day);
        }
        f.days.push(d.1);
    }

    for (id, ranges) in approved_leave(pool, &ids, since, today).await? {
        out.entry(id).or_default().leave = ranges;
    }

    let records: Vec<(i64, serde_json::Value)> = sqlx::query_as(
        "(SELECT posting_id, body FROM field_records
           WHERE posting_id = ANY($1) AND kind = 'meeting' AND device_time >= $2)
         UNION ALL
         (SELECT d.posting_id, d.body FROM unnest($1::bigint[]) p(id) CROSS JOIN LATERAL (
                 SELECT posting_id, body FROM field_records
                  WHERE posting_id = p.id AND kind = 'diary' ORDER BY device_time DESC LIMIT 1) d)
         UNION ALL
         (SELECT DISTINCT ON (posting_id, body->'body'->>'household_id') posting_id, body FROM field_records
           WHERE posting_id = ANY($1) AND kind = 'visit'
           ORDER BY posting_id, body->'body'->>'household_id', device_time DESC)",
    )
    .bind(&ids)
    .bind((since - Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    .fetch_all(pool)
    .await?;
    for (id, body) in records {
        if let Ok(body) = serde_json::from_value::<RecordBody>(body) {
            out.entry(id).or_default().activity.add(&body);
        }
    }

    let pairings: Vec<(i64, i64, NaiveDate)> =
        sqlx::query_as("SELECT posting_id, id, paired_on FROM households WHERE posting_id = ANY($1)")
            .bind(&ids)
            .fetch_all(pool)
            .await?;
    for (id, household_id, paired_on) in pairings {
        out.entry(id).or_default().pairings.push(Pairing { household_id, paired_on });
    }

    let fixes: Vec<(i64, DateTime<Utc>, NaiveDate, f64, f64, f64)> = sqlx::query_as(
        "SELECT r.posting_id, r.device_time + r.clock_skew_s * interval '1 second',
                ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
                (r.body->'body'->>'lat')::float8, (r.body->'body'->>'lon')::float8,
                (r.body->'body'->>'accuracy_m')::float8
           FROM field_records r JOIN districts d ON d.id = r.district_id
          WHERE r.posting_id = ANY($1) AND r.kind = 'check_in' AND r.device_time > $2
          ORDER BY 1, 2",
    )
    .bind(&ids)
    .bind((today - Duration::days(30)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    .fetch_all(pool)
    .await?;
    for (id, at, day, lat, lon, accuracy_m) in fixes {
        out.entry(id).or_default().fixes.push(Fix { at, day, lat, lon, accuracy_m });
    }

    for (id, n) in inspection_absences(pool, &ids, month_start, today).await? {
        out.entry(id).or_default().inspection_absences = n;
    }
    Ok(out)
}

/// Each posting's approved leave overlapping `first`–`last`.
pub(crate) async fn approved_leave(
    pool: &PgPool,
    ids: &[i64],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<HashMap<i64, Vec<(NaiveDate, NaiveDate)>>> {
    let rows: Vec<(i64, NaiveDate, NaiveDate)> = sqlx::query_as(
        "SELECT posting_id, first_day, last_day FROM leave_requests
          WHERE posting_id = ANY($1) AND status = 'approved' AND last_day >= $2 AND first_day <= $3",
    )
    .bind(ids)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for (id, a, b) in rows {
        out.entry(id).or_default().push((a, b));
    }
    Ok(out)
}

/// Each posting's roll calls started (district days) from `first` to `last`: how many, and how
/// many it answered.
pub(crate) async fn roll_call_counts(
    pool: &PgPool,
    ids: &[i64],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<HashMap<i64, (i64, i64)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT g.posting_id, count(*), count(g.answer)
           FROM roll_call_targets g
           JOIN roll_calls c ON c.id = g.roll_call_id
           JOIN townships t ON t.id = c.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE g.posting_id = ANY($1) AND (c.started_at AT TIME ZONE d.time_zone)::date BETWEEN $2 AND $3
          GROUP BY 1",
    )
    .bind(ids)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, asked, answered)| (id, (asked, answered))).collect())
}

/// Each posting's inspections between `first` and `last` that found the secretary absent.
pub(crate) async fn inspection_absences(
    pool: &PgPool,
    ids: &[i64],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<HashMap<i64, u32>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT posting_id, count(*) FROM inspections
          WHERE posting_id = ANY($1) AND NOT present AND visited_on BETWEEN $2 AND $3 GROUP BY 1",
    )
    .bind(ids)
    .bind(first)
    .bind(last)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(0))).collect())
}

pub(crate) async fn last_check_ins(pool: &PgPool, ids: &[i64]) -> Result<HashMap<i64, LastCheckIn>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        posting_id: i64,
        device_time: DateTime<Utc>,
        received_at: DateTime<Utc>,
        verified: bool,
        offline: bool,
        body: serde_json::Value,
        village_lat: f64,
        village_lon: f64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.id AS posting_id, r.device_time, r.received_at, r.verdict = 'verified' AS verified, r.offline, r.body,
                v.lat AS village_lat, v.lon AS village_lon
           FROM unnest($1::bigint[]) p(id) JOIN postings q ON q.id = p.id JOIN villages v ON v.id = q.village_id
           CROSS JOIN LATERAL (
                SELECT device_time, received_at, verdict, offline, body FROM field_records
                 WHERE posting_id = p.id AND kind = 'check_in' ORDER BY device_time DESC LIMIT 1) r",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let body = serde_json::from_value::<RecordBody>(r.body).ok();
            let c = LastCheckIn {
                device_time: r.device_time,
                received_at: r.received_at,
                verified: r.verified,
                offline: r.offline,
                distance_m: body.and_then(|b| distance_from(&b, r.village_lat, r.village_lon)),
            };
            (r.posting_id, c)
        })
        .collect())
}

/// How far a check-in or check-out was made from the village's centre, metres.
fn distance_from(body: &RecordBody, lat: f64, lon: f64) -> Option<f64> {
    let p = body.position()?;
    let centre = domain::Coordinates::parse(lat, lon).ok()?;
    Some(centre.distance_m(domain::Coordinates::parse(p.lat, p.lon).ok()?))
}
