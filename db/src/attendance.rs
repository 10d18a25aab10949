//! Attendance (issue 4): check-ins pre-aggregated per posting and district day (kept by the
//! sync push), roll calls answered by check-ins, leave, inspections, and the township board
//! that reads them.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::board::{
    self, Board, BoardRow, DayCount, Facts, Fix, LastCheckIn, LateReview, LeaveRequest, RollCall, Timeline,
    TimelineEntry, TimelineFilter,
};
use domain::calendar::{DayEvidence, DayRule, WorkCalendar};
use domain::duty::Pairing;
use domain::field::RecordBody;
use domain::mandate::Mandate;
use domain::org::PostingMode;
use domain::sync::OpenRollCall;
use domain::{Action, Actor, Msg};
use sqlx::{PgPool, Postgres, Transaction};

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{require, Error, Result};

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

async fn leave_requests(pool: &PgPool, ids: &[i64]) -> Result<Vec<LeaveRequest>> {
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

/// The township's roll calls of the last week, newest first, with who answered.
async fn roll_calls(pool: &PgPool, township_id: i64) -> Result<Vec<RollCall>> {
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

/// An inspector records an unannounced visit.
pub async fn record_inspection(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    present: bool,
    note: &str,
) -> Result<i64> {
    require(actor, Action::Inspect)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let (township_id, today): (i64, NaiveDate) =
        sqlx::query_as("SELECT township_id, today FROM posting_districts WHERE posting_id = $1")
            .bind(posting_id)
            .fetch_one(&mut *tx)
            .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspections (posting_id, inspector_id, visited_on, present, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(posting_id)
    .bind(actor.account_id)
    .bind(today)
    .bind(present)
    .bind(note.trim())
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "record_inspection",
        "inspection",
        Some(id),
        serde_json::json!({ "posting_id": posting_id, "present": present, "note": note.trim() }),
    )
    .await?;
    notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(id)
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

/// Attaches a photo to an inspection (replacing an earlier one). The photo is stored under its
/// sha256 with the inspected secretary's photos, so the same people may see it.
pub async fn attach_inspection_photo(
    pool: &PgPool,
    files: &crate::files::FileStore,
    actor: &Actor,
    inspection_id: i64,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    require(actor, Action::Inspect)?;
    if content_type == "application/pdf" {
        return Err(Error::Invalid(Msg::new("只能上传 JPEG、PNG 或 WebP 照片", "only JPEG, PNG or WebP photos")));
    }
    crate::photos::check_file(content_type, bytes)?;
    // Stored first (by content; harmless if refused below), so no connection waits on it.
    let hash = crate::files::sha256(bytes);
    files.put(&hash, bytes).await?;
    let mut tx = pool.begin().await?;
    let (posting_id, secretary_id): (i64, i64) = sqlx::query_as(
        "SELECT i.posting_id, p.secretary_id FROM inspections i JOIN postings p ON p.id = i.posting_id WHERE i.id = $1",
    )
    .bind(inspection_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    crate::photos::keep_file(&mut tx, secretary_id, &hash, content_type, bytes.len()).await?;
    sqlx::query("UPDATE inspections SET photo = $2 WHERE id = $1")
        .bind(inspection_id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "attach_inspection_photo",
        "inspection",
        Some(inspection_id),
        serde_json::json!({ "photo": hash }),
    )
    .await?;
    tx.commit().await?;
    Ok(hash)
}
