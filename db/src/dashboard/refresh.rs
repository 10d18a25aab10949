//! Keeps `posting_stats`, `posting_periods`, `posting_weeks` and `township_weeks` current: the
//! postings queued by the triggers of the `dashboard` migration, and those last computed on a
//! day that has passed, are recomputed from their facts (as the township board reads them) and
//! the districts concerned are told on the `dashboard` channel.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use domain::board::Facts;
use domain::calendar::DayRule;
use domain::dashboard::{self, PostingFigures, Term};
use domain::field::RecordBody;
use domain::org::PostingMode;
use sqlx::{PgPool, Postgres, Transaction};

use crate::Result;

/// The PostgreSQL channel told `district,city` when a district's figures changed.
pub const CHANNEL: &str = "dashboard";

/// Refreshers of several servers take turns (a transaction-scoped advisory lock).
const LOCK: i64 = 0x0000_da5b_0a7d;

/// Ended postings are refreshed for this long after their last day, until their week and
/// month figures have rolled over to zero.
const ENDED_DAYS: i64 = 40;

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    district_id: i64,
    city_id: i64,
    township_id: i64,
    unit_id: i64,
    mode: PostingMode,
    term_start: NaiveDate,
    last_day: NaiveDate,
    today: NaiveDate,
    allowance_per_day: i32,
    day_requires_check_out: bool,
    day_min_stay_minutes: i32,
    day_evidence: domain::calendar::DayEvidence,
    evaluation_rules: String,
}

/// What the board's facts do not hold.
#[derive(Default)]
struct Extra {
    diaries_7d: i32,
    research_reports: i32,
    roll_calls: i32,
    roll_calls_answered: i32,
    goals_filed: bool,
    goals_approved: bool,
    assessed: i32,
    assessable: i32,
    survey_votes: i32,
    survey_eligible: i32,
}

/// Recomputes up to `limit` postings: those queued first, then those whose figures are of a
/// past day. Returns how many it recomputed (0 when another server's refresher holds the turn).
pub async fn refresh(pool: &PgPool, limit: i64) -> Result<usize> {
    let mut tx = pool.begin().await?;
    let turn: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(LOCK).fetch_one(&mut *tx).await?;
    if !turn {
        return Ok(0);
    }
    let due: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "(SELECT posting_id, version FROM dashboard_queue ORDER BY version LIMIT $1)
         UNION ALL
         (SELECT s.posting_id, NULL FROM posting_stats s JOIN districts d ON d.id = s.district_id
           WHERE s.day < (now() AT TIME ZONE d.time_zone)::date AND s.last_day >= s.day - $2::int
             AND NOT EXISTS (SELECT 1 FROM dashboard_queue q WHERE q.posting_id = s.posting_id)
           LIMIT $1)",
    )
    .bind(limit)
    .bind(ENDED_DAYS as i32)
    .fetch_all(&mut *tx)
    .await?;
    let due: Vec<(i64, Option<i64>)> = due.into_iter().take(usize::try_from(limit).unwrap_or(0)).collect();
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = due.iter().map(|d| d.0).collect();
    let postings: Vec<PostingRow> = sqlx::query_as(
        "SELECT p.id, t.district_id, d.city_id, v.township_id, p.unit_id, p.mode, p.term_start,
                coalesce(p.ended_on, p.term_end) AS last_day, (now() AT TIME ZONE d.time_zone)::date AS today,
                d.allowance_per_day, d.day_requires_check_out, d.day_min_stay_minutes, d.day_evidence, d.evaluation_rules
           FROM postings p JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE p.id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await?;

    // Postings of a district share its day and rule: their facts are read together.
    let mut by_district: BTreeMap<i64, Vec<&PostingRow>> = BTreeMap::new();
    for p in &postings {
        by_district.entry(p.district_id).or_default().push(p);
    }
    let mut figures: Vec<(&PostingRow, PostingFigures, Facts, Extra)> = Vec::with_capacity(postings.len());
    for group in by_district.values() {
        let today = group[0].today;
        let rule = DayRule::from_settings(
            group[0].day_requires_check_out,
            group[0].day_min_stay_minutes,
            group[0].day_evidence,
        );
        let first = group.iter().map(|p| p.term_start).min().unwrap_or(today).min(today);
        let terms: Vec<(i64, NaiveDate)> = group.iter().map(|p| (p.id, p.term_start)).collect();
        let mut facts = crate::attendance::facts(pool, &terms, today, rule, first).await?;
        let mut extra = extra(pool, &terms, today).await?;
        let calendar = crate::attendance::calendar(pool, first, today).await?;
        // The evaluation's items an assessor scores, by the district's rule set.
        let slots = crate::evaluation::rules_of(&group[0].evaluation_rules).slots(&Default::default()).len();
        let assessable = i32::try_from(slots).unwrap_or(i32::MAX);
        for p in group {
            let f = facts.remove(&p.id).unwrap_or_default();
            let duties = p.mode.duties_at(p.allowance_per_day);
            let term = Term { first: p.term_start, last: p.last_day };
            let fig = dashboard::posting_figures(p.today, term, &duties, &calendar, &f);
            let mut x = extra.remove(&p.id).unwrap_or_default();
            x.assessable = assessable;
            x.assessed = x.assessed.min(assessable);
            figures.push((p, fig, f, x));
        }
    }
    store(&mut tx, &figures).await?;
    store_burden(&mut tx, &postings.iter().map(|p| p.id).collect::<Vec<_>>()).await?;

    let townships: BTreeSet<i64> = postings.iter().map(|p| p.township_id).collect();
    sum_weeks(&mut tx, &townships.into_iter().collect::<Vec<_>>()).await?;
    let (queued, versions): (Vec<i64>, Vec<i64>) = due.iter().filter_map(|(id, v)| v.map(|v| (*id, v))).unzip();
    sqlx::query(
        "DELETE FROM dashboard_queue q USING unnest($1::bigint[], $2::bigint[]) AS r(id, version)
          WHERE q.posting_id = r.id AND q.version = r.version",
    )
    .bind(&queued)
    .bind(&versions)
    .execute(&mut *tx)
    .await?;
    let districts: BTreeSet<(i64, i64)> = postings.iter().map(|p| (p.district_id, p.city_id)).collect();
    for (district, city) in districts {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{district},{city}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(postings.len())
}

/// Refreshes until nothing is due (tests, the benchmark, a fresh seed).
pub async fn refresh_all(pool: &PgPool) -> Result<usize> {
    let mut total = 0;
    loop {
        let n = refresh(pool, 500).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

/// Diaries of the last 7 days, research reports, this month's roll calls and the year's
/// evaluation, per posting.
async fn extra(pool: &PgPool, postings: &[(i64, NaiveDate)], today: NaiveDate) -> Result<HashMap<i64, Extra>> {
    let ids: Vec<i64> = postings.iter().map(|p| p.0).collect();
    let mut out: HashMap<i64, Extra> = HashMap::new();
    // A diary is counted by its date; one written up to a week later still counts.
    let week_ago = today - Duration::days(6);
    let diaries: Vec<(i64, serde_json::Value)> = sqlx::query_as(
        "SELECT posting_id, body FROM field_records WHERE posting_id = ANY($1) AND kind = 'diary' AND device_time >= $2",
    )
    .bind(&ids)
    .bind((week_ago - Duration::days(7)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    .fetch_all(pool)
    .await?;
    for (id, body) in diaries {
        if let Ok(body) = serde_json::from_value::<RecordBody>(body) {
            if body.date().is_some_and(|d| week_ago <= d && d <= today) {
                out.entry(id).or_default().diaries_7d += 1;
            }
        }
    }
    let research: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT posting_id, count(*) FROM field_records r WHERE posting_id = ANY($1) AND kind = 'research'
            AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id) GROUP BY 1",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    for (id, n) in research {
        out.entry(id).or_default().research_reports = i32::try_from(n).unwrap_or(i32::MAX);
    }
    let month = today.with_day(1).unwrap_or(today);
    for (id, (asked, answered)) in crate::attendance::roll_call_counts(pool, &ids, month, today).await? {
        let x = out.entry(id).or_default();
        x.roll_calls = i32::try_from(asked).unwrap_or(i32::MAX);
        x.roll_calls_answered = i32::try_from(answered).unwrap_or(i32::MAX);
    }
    #[derive(sqlx::FromRow)]
    struct Progress {
        id: i64,
        filed: bool,
        approved: bool,
        assessed: i64,
        votes: Option<i32>,
        eligible: Option<i32>,
    }
    let progress: Vec<Progress> = sqlx::query_as(
        "SELECT p.id,
                EXISTS (SELECT 1 FROM filings f WHERE f.posting_id = p.id AND f.year = $2 AND f.kind = 'term_goals') AS filed,
                EXISTS (SELECT 1 FROM filings f WHERE f.posting_id = p.id AND f.year = $2 AND f.kind = 'term_goals'
                           AND f.township_approved_at IS NOT NULL AND f.unit_approved_at IS NOT NULL) AS approved,
                (SELECT count(*) FROM evaluation_assessments e WHERE e.posting_id = p.id AND e.year = $2) AS assessed,
                s.very_satisfied + s.satisfied + s.basically_satisfied + s.dissatisfied AS votes, s.eligible
           FROM unnest($1::bigint[]) p(id) LEFT JOIN surveys s ON s.posting_id = p.id AND s.year = $2",
    )
    .bind(&ids)
    .bind(today.year())
    .fetch_all(pool)
    .await?;
    for p in progress {
        let x = out.entry(p.id).or_default();
        x.goals_filed = p.filed;
        x.goals_approved = p.approved;
        x.assessed = i32::try_from(p.assessed).unwrap_or(i32::MAX);
        x.survey_votes = p.votes.unwrap_or(0);
        x.survey_eligible = p.eligible.unwrap_or(0);
    }
    Ok(out)
}

fn n(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Writes the figures: one `posting_stats` row, its periods and its weeks, replacing the old.
async fn store(
    tx: &mut Transaction<'_, Postgres>,
    figures: &[(&PostingRow, PostingFigures, Facts, Extra)],
) -> Result<()> {
    let ids: Vec<i64> = figures.iter().map(|f| f.0.id).collect();
    let mut rows: Vec<serde_json::Value> = Vec::with_capacity(figures.len());
    let mut periods: Vec<serde_json::Value> = Vec::new();
    let mut weeks: Vec<serde_json::Value> = Vec::new();
    for (p, fig, facts, x) in figures {
        let a = fig.assessment.as_ref();
        let alerts: Vec<&str> = a.map(|a| a.alerts.iter().map(|x| x.kind.code()).collect()).unwrap_or_default();
        rows.push(serde_json::json!({
            "posting_id": p.id, "district_id": p.district_id, "township_id": p.township_id, "unit_id": p.unit_id,
            "day": p.today, "last_day": p.last_day, "current": a.is_some(),
            "expected_today": fig.expected_today, "present_today": fig.present_today,
            "status": a.map(|a| a.status.code()), "alerts": alerts, "assessment": a,
            "diaries_7d": x.diaries_7d, "households": facts.pairings.len(),
            "households_due": a.map(|a| a.summary.households_due.len()).unwrap_or(0),
            "research_reports": x.research_reports, "roll_calls": x.roll_calls, "roll_calls_answered": x.roll_calls_answered,
            "goals_filed": x.goals_filed, "goals_approved": x.goals_approved, "assessed": x.assessed,
            "assessable": x.assessable, "survey_votes": x.survey_votes, "survey_eligible": x.survey_eligible,
        }));
        for (period, f) in &fig.periods {
            periods.push(serde_json::json!({
                "posting_id": p.id, "period": period.code(), "days": n(f.days), "required": n(f.required), "met": n(f.met),
                "meetings_due": n(f.meetings_due), "meetings_held": n(f.meetings_held), "leave_days": n(f.leave_days),
            }));
        }
        for w in &fig.weeks {
            weeks.push(serde_json::json!({
                "posting_id": p.id, "week": w.week, "required": n(w.required), "met": n(w.met),
                "meeting_due": w.meeting_due, "meeting_held": w.meeting_held,
            }));
        }
    }
    sqlx::query(
        "INSERT INTO posting_stats
         SELECT posting_id, district_id, township_id, unit_id, day, last_day, now(), current, expected_today, present_today,
                status, alerts, assessment, diaries_7d, households, households_due, research_reports, roll_calls,
                roll_calls_answered, goals_filed, goals_approved, assessed, assessable, survey_votes, survey_eligible
           FROM jsonb_populate_recordset(NULL::posting_stats, $1)
         ON CONFLICT (posting_id) DO UPDATE SET
                district_id = EXCLUDED.district_id, township_id = EXCLUDED.township_id, unit_id = EXCLUDED.unit_id,
                day = EXCLUDED.day, last_day = EXCLUDED.last_day, computed_at = EXCLUDED.computed_at,
                current = EXCLUDED.current, expected_today = EXCLUDED.expected_today,
                present_today = EXCLUDED.present_today, status = EXCLUDED.status, alerts = EXCLUDED.alerts,
                assessment = EXCLUDED.assessment, diaries_7d = EXCLUDED.diaries_7d, households = EXCLUDED.households,
                households_due = EXCLUDED.households_due, research_reports = EXCLUDED.research_reports,
                roll_calls = EXCLUDED.roll_calls, roll_calls_answered = EXCLUDED.roll_calls_answered,
                goals_filed = EXCLUDED.goals_filed, goals_approved = EXCLUDED.goals_approved,
                assessed = EXCLUDED.assessed, assessable = EXCLUDED.assessable,
                survey_votes = EXCLUDED.survey_votes, survey_eligible = EXCLUDED.survey_eligible",
    )
    .bind(serde_json::Value::Array(rows))
    .execute(&mut **tx)
    .await?;
    for table in ["posting_periods", "posting_weeks"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE posting_id = ANY($1)")).bind(&ids).execute(&mut **tx).await?;
    }
    sqlx::query("INSERT INTO posting_periods SELECT * FROM jsonb_populate_recordset(NULL::posting_periods, $1)")
        .bind(serde_json::Value::Array(periods))
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO posting_weeks SELECT * FROM jsonb_populate_recordset(NULL::posting_weeks, $1)")
        .bind(serde_json::Value::Array(weeks))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The postings' records of the last `burden::WEEKS` weeks by kind, with what the measured
/// ones cost on the phone (`domain::burden`).
async fn store_burden(tx: &mut Transaction<'_, Postgres>, ids: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM posting_burden WHERE posting_id = ANY($1)").bind(ids).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO posting_burden (posting_id, kind, records, measured, seconds, fields)
         SELECT posting_id, kind, count(*), count(effort_seconds), coalesce(sum(effort_seconds), 0),
                coalesce(sum(effort_fields), 0)
           FROM field_records
          WHERE posting_id = ANY($1) AND device_time + clock_skew_s * interval '1 second' >= now() - make_interval(days => $2)
          GROUP BY 1, 2",
    )
    .bind(ids)
    .bind(i32::try_from(domain::burden::WEEKS * 7).unwrap_or(28))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The townships' weeks, summed again from their postings' weeks.
async fn sum_weeks(tx: &mut Transaction<'_, Postgres>, townships: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM township_weeks WHERE township_id = ANY($1)").bind(townships).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO township_weeks (township_id, week, required, met, meetings_due, meetings_held)
         SELECT s.township_id, w.week, sum(w.required), sum(w.met), count(*) FILTER (WHERE w.meeting_due),
                count(*) FILTER (WHERE w.meeting_held)
           FROM posting_weeks w JOIN posting_stats s ON s.posting_id = w.posting_id
          WHERE s.township_id = ANY($1)
          GROUP BY 1, 2",
    )
    .bind(townships)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
