//! The department's dashboards and the dispatching unit's view (issue 10), read from the
//! figures the refresher keeps ([`refresh`]): sums per township or district, weekly trends,
//! the village map, and the unit's secretaries one by one.

mod refresh;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::board::{AlertKind, Assessment};
use domain::burden::{Burden, PostingBurden};
use domain::calendar::{next_year_due, unloaded_years};
use domain::dashboard::{Dashboard, Followed, Period, Row, Series, Totals, TownshipDot, TrendPoint, VillageDot};
use domain::org::PostingMode;
use domain::{Action, Actor, Scope};
use sqlx::PgPool;

use crate::postings::is_current;
use crate::scope::BindScope;
use crate::{require, Result};

pub use refresh::{refresh, refresh_all, CHANNEL};

/// The columns of [`Totals`] over `posting_stats s` and `posting_periods p`. Counts of the
/// moment (secretaries, alerts, diaries …) are of current postings only; a period's attendance
/// also counts a posting that ended within it.
fn totals_columns() -> String {
    let alerts: Vec<String> = AlertKind::ALL
        .iter()
        .map(|k| format!("count(*) FILTER (WHERE s.current AND '{}' = ANY(s.alerts))", k.code()))
        .collect();
    format!(
        "count(*) FILTER (WHERE s.current) AS secretaries,
         count(*) FILTER (WHERE s.expected_today) AS expected_today,
         count(*) FILTER (WHERE s.expected_today AND s.present_today) AS present_expected,
         count(*) FILTER (WHERE s.present_today) AS present_today,
         coalesce(sum(p.days), 0) AS days, coalesce(sum(p.required), 0) AS required, coalesce(sum(p.met), 0) AS met,
         coalesce(sum(p.meetings_due), 0) AS meetings_due, coalesce(sum(p.meetings_held), 0) AS meetings_held,
         coalesce(sum(p.leave_days), 0) AS leave_days,
         coalesce(sum(s.diaries_7d) FILTER (WHERE s.current), 0) AS diaries_7d,
         count(*) FILTER (WHERE s.current AND s.diaries_7d > 0) AS diarists_7d,
         coalesce(sum(s.households) FILTER (WHERE s.current), 0) AS households,
         coalesce(sum(s.households_due) FILTER (WHERE s.current), 0) AS households_due,
         coalesce(sum(s.research_reports) FILTER (WHERE s.current), 0) AS research_reports,
         json_build_array({}) AS alerts,
         coalesce(sum(s.roll_calls) FILTER (WHERE s.current), 0) AS roll_calls,
         coalesce(sum(s.roll_calls_answered) FILTER (WHERE s.current), 0) AS roll_calls_answered,
         count(*) FILTER (WHERE s.current AND s.goals_filed) AS goals_filed,
         count(*) FILTER (WHERE s.current AND s.goals_approved) AS goals_approved,
         coalesce(sum(s.assessed) FILTER (WHERE s.current), 0) AS assessed,
         coalesce(sum(s.assessable) FILTER (WHERE s.current), 0) AS assessable,
         coalesce(sum(s.survey_votes) FILTER (WHERE s.current), 0) AS survey_votes,
         coalesce(sum(s.survey_eligible) FILTER (WHERE s.current), 0) AS survey_eligible",
        alerts.join(", ")
    )
}

#[derive(sqlx::FromRow)]
struct RowTotals {
    id: i64,
    name: String,
    #[sqlx(flatten)]
    totals: Totals,
}

/// The district a dashboard shows (`district`, else the caller's own) or none for every
/// district in scope; and those districts: id, name, city, today.
async fn in_view(
    pool: &PgPool,
    actor: &Actor,
    district: Option<i64>,
) -> Result<(Option<i64>, Vec<(i64, String, String, NaiveDate)>)> {
    require(actor, Action::ViewDashboard)?;
    let district = district.or(match actor.scope {
        Scope::District(d) => Some(d),
        _ => None,
    });
    let sql = format!(
        "SELECT d.id, d.name, c.name, (now() AT TIME ZONE d.time_zone)::date FROM districts d JOIN cities c ON c.id = d.city_id
          WHERE {} AND ($6::bigint IS NULL OR d.id = $6) ORDER BY d.id",
        visible!("district_places", "d.id")
    );
    let districts: Vec<(i64, String, String, NaiveDate)> =
        sqlx::query_as(&sql).scoped(actor.scope.filter()).bind(district).fetch_all(pool).await?;
    if district.is_some() && districts.is_empty() {
        return Err(crate::Error::NotFound);
    }
    Ok((district, districts))
}

/// The dashboard of `district` (rows: townships) or, for a city department or the system
/// administrator without one, of every district in scope (rows: districts).
pub async fn dashboard(pool: &PgPool, actor: &Actor, district: Option<i64>, period: Period) -> Result<Dashboard> {
    let (district, districts) = in_view(pool, actor, district).await?;
    let ids: Vec<i64> = districts.iter().map(|d| d.0).collect();
    // The district, the city, or nothing for everything (the system administrator).
    let name = match (district, &districts[..]) {
        (Some(_), [(_, d, ..)]) => d.clone(),
        (_, [(_, _, city, ..), ..]) if matches!(actor.scope, Scope::City(_)) => city.clone(),
        _ => String::new(),
    };
    let today = districts.first().map(|d| d.3).unwrap_or_else(|| Utc::now().date_naive());

    let (group, from) = match district {
        Some(_) => ("t.id, t.name", "townships t LEFT JOIN posting_stats s ON s.township_id = t.id"),
        None => ("t.id, t.name", "districts t LEFT JOIN posting_stats s ON s.district_id = t.id"),
    };
    let filter = if district.is_some() { "t.district_id = ANY($1)" } else { "t.id = ANY($1)" };
    let sql = format!(
        "SELECT {group}, {} FROM {from}
           LEFT JOIN posting_periods p ON p.posting_id = s.posting_id AND p.period = $2 AND (s.current OR $2 <> 'term')
          WHERE {filter} GROUP BY {group} ORDER BY t.id",
        totals_columns()
    );
    let rows: Vec<Row> = sqlx::query_as::<_, RowTotals>(&sql)
        .bind(&ids)
        .bind(period.code())
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| Row { id: r.id, name: r.name, totals: r.totals })
        .collect();

    let (computed_at, first_day, pending): (Option<DateTime<Utc>>, Option<NaiveDate>, i64) = sqlx::query_as(
        "SELECT max(s.computed_at), min(p.term_start) FILTER (WHERE s.current),
                (SELECT count(*) FROM dashboard_queue q JOIN postings p ON p.id = q.posting_id
                   JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
                  WHERE t.district_id = ANY($1))
           FROM posting_stats s JOIN postings p ON p.id = s.posting_id WHERE s.district_id = ANY($1)",
    )
    .bind(&ids)
    .fetch_one(pool)
    .await?;
    let first_day = first_day.unwrap_or(today);
    let weeks = (domain::duty::week_start(first_day), domain::duty::week_start(today));
    let trends = trends(pool, &ids, district.is_some(), &rows, weeks).await?;
    let loaded: Vec<i32> = sqlx::query_scalar("SELECT year FROM calendar_years").fetch_all(pool).await?;
    Ok(Dashboard {
        name,
        district_id: district,
        period,
        today,
        computed_at,
        pending,
        total: Totals::sum(rows.iter().map(|r| &r.totals)),
        rows,
        trends,
        replica_as_of: crate::replica::as_of(pool).await?,
        calendar_due: next_year_due(today, &loaded),
        provisional: unloaded_years(period.first_day(today, first_day), today, &loaded),
    })
}

/// The reporting burden of the last four weeks in the dashboard's scope: per township of
/// `district`, or per district of the city (`domain::burden`).
pub async fn burden(pool: &PgPool, actor: &Actor, district: Option<i64>) -> Result<Burden> {
    let (district, districts) = in_view(pool, actor, district).await?;
    let ids: Vec<i64> = districts.iter().map(|d| d.0).collect();
    let area = if district.is_some() { "t.name" } else { "d.name" };
    let secretaries: Vec<(i64, String, i32)> = sqlx::query_as(&format!(
        "SELECT s.posting_id, {area}, d.burden_budget_minutes
           FROM posting_stats s JOIN townships t ON t.id = s.township_id JOIN districts d ON d.id = s.district_id
          WHERE s.current AND s.district_id = ANY($1)"
    ))
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let rows: Vec<PostingBurden> = sqlx::query_as(&format!(
        "SELECT b.posting_id, {area} AS area, b.kind, b.records, b.measured, b.seconds, b.fields
           FROM posting_burden b JOIN posting_stats s ON s.posting_id = b.posting_id
           JOIN townships t ON t.id = s.township_id JOIN districts d ON d.id = s.district_id
          WHERE s.current AND s.district_id = ANY($1)"
    ))
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    Ok(Burden::summarise(&secretaries, &rows))
}

/// Weekly lines of the weeks from `weeks.0` to before `weeks.1` (this week, not over yet): the
/// whole scope first, then each row (township or district).
async fn trends(
    pool: &PgPool,
    ids: &[i64],
    townships: bool,
    rows: &[Row],
    weeks: (NaiveDate, NaiveDate),
) -> Result<Vec<Series>> {
    let key = if townships { "t.id" } else { "t.district_id" };
    let sql = format!(
        "SELECT {key}, w.week, sum(w.required)::bigint, sum(w.met)::bigint, sum(w.meetings_due)::bigint,
                sum(w.meetings_held)::bigint
           FROM township_weeks w JOIN townships t ON t.id = w.township_id
          WHERE t.district_id = ANY($1) AND w.week >= $2 AND w.week < $3 GROUP BY 1, 2 ORDER BY 2"
    );
    let points: Vec<(i64, NaiveDate, i64, i64, i64, i64)> =
        sqlx::query_as(&sql).bind(ids).bind(weeks.0).bind(weeks.1).fetch_all(pool).await?;
    let mut whole: BTreeMap<NaiveDate, TrendPoint> = BTreeMap::new();
    let mut per_row: BTreeMap<i64, Vec<TrendPoint>> = BTreeMap::new();
    for (id, week, required, met, meetings_due, meetings_held) in points {
        let p = TrendPoint { week, required, met, meetings_due, meetings_held };
        let w =
            whole.entry(week).or_insert(TrendPoint { week, required: 0, met: 0, meetings_due: 0, meetings_held: 0 });
        w.required += required;
        w.met += met;
        w.meetings_due += meetings_due;
        w.meetings_held += meetings_held;
        per_row.entry(id).or_default().push(p);
    }
    let mut out = vec![Series { id: None, name: String::new(), points: whole.into_values().collect() }];
    for r in rows {
        out.push(Series { id: Some(r.id), name: r.name.clone(), points: per_row.remove(&r.id).unwrap_or_default() });
    }
    Ok(out)
}

/// The villages of a district with their secretary's status today (the district's map).
pub async fn village_map(pool: &PgPool, actor: &Actor, district: i64) -> Result<Vec<VillageDot>> {
    require(actor, Action::ViewDashboard)?;
    ensure_visible!(pool, actor, "district_places", district)?;
    Ok(sqlx::query_as(concat!(
        "SELECT v.name AS village, t.name AS township, v.lat, v.lon, p.id AS posting_id, a.display_name AS secretary,
                s.status
           FROM villages v JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
           LEFT JOIN postings p ON p.village_id = v.id AND ",
        is_current!(),
        " LEFT JOIN accounts a ON a.id = p.secretary_id
           LEFT JOIN posting_stats s ON s.posting_id = p.id
          WHERE t.district_id = $1 ORDER BY t.id, v.id"
    ))
    .bind(district)
    .fetch_all(pool)
    .await?)
}

/// The townships of the districts in scope, placed at their villages' centre, with who is in
/// the village today (the city's map).
pub async fn township_map(pool: &PgPool, actor: &Actor) -> Result<Vec<TownshipDot>> {
    require(actor, Action::ViewDashboard)?;
    let sql = format!(
        "SELECT t.id, t.name, d.name AS district, avg(v.lat) AS lat, avg(v.lon) AS lon,
                (SELECT count(*) FROM posting_stats s WHERE s.township_id = t.id AND s.expected_today) AS expected_today,
                (SELECT count(*) FROM posting_stats s WHERE s.township_id = t.id AND s.expected_today AND s.present_today)
                    AS present_expected
           FROM townships t JOIN districts d ON d.id = t.district_id JOIN villages v ON v.township_id = t.id
          WHERE {} GROUP BY t.id, d.id ORDER BY t.id",
        visible!("district_places", "d.id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).fetch_all(pool).await?)
}

/// The secretaries posted now in the caller's part of the tree (a dispatching unit: those it
/// sent, wherever they serve), each with today's row of the board.
pub async fn followed(pool: &PgPool, actor: &Actor) -> Result<Vec<Followed>> {
    require(actor, Action::FollowSecretaries)?;
    #[derive(sqlx::FromRow)]
    struct FollowedRow {
        posting_id: i64,
        secretary: String,
        village: String,
        township: String,
        mode: PostingMode,
        assessment: Option<sqlx::types::Json<Assessment>>,
        computed_at: Option<DateTime<Utc>>,
    }
    let sql = format!(
        "SELECT p.id AS posting_id, a.display_name AS secretary, v.name AS village, t.name AS township, p.mode,
                s.assessment, s.computed_at
           FROM {} mine
           JOIN postings p ON p.id = mine.id
           JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
           LEFT JOIN posting_stats s ON s.posting_id = p.id AND s.current
          WHERE {}
          ORDER BY t.id, v.name",
        in_scope!("posting_places"),
        is_current!()
    );
    let rows: Vec<FollowedRow> = sqlx::query_as(&sql).scoped(actor.scope.filter()).fetch_all(pool).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.posting_id).collect();
    let mut last = crate::attendance::last_check_ins(pool, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Followed {
            last_check_in: last.remove(&r.posting_id),
            posting_id: r.posting_id,
            secretary: r.secretary,
            village: r.village,
            township: r.township,
            mode: r.mode,
            assessment: r.assessment.map(|a| a.0),
            computed_at: r.computed_at,
        })
        .collect())
}
