//! Monthly reports: attendance per secretary and the 脱产 allowance, for a township or for
//! everything in the caller's scope, read from the pre-aggregated `attendance_days`.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use domain::allowance::{self, MonthLine};
use domain::board::LateReview;
use domain::calendar::DayRule;
use domain::org::PostingMode;
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// The first day of a month written `YYYY-MM`.
pub fn parse_month(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").map_err(|_| {
        Error::Invalid(Msg::new(
            format!("月份 {s} 无效（应为 2026-11 这样的格式）"),
            format!("month {s} is not like 2026-11"),
        ))
    })
}

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    secretary: String,
    township: String,
    village: String,
    unit: String,
    mode: PostingMode,
    today: NaiveDate,
    allowance_per_day: i32,
    day_requires_check_out: bool,
    day_min_stay_minutes: i32,
    day_evidence: domain::calendar::DayEvidence,
}

/// Every posting in scope (of one township or district, if given) that overlaps the month, with
/// its month.
pub async fn month(
    pool: &PgPool,
    actor: &Actor,
    township_id: Option<i64>,
    district_id: Option<i64>,
    first: NaiveDate,
) -> Result<Vec<MonthLine>> {
    require(actor, Action::ViewAttendance)?;
    let last = first + Months::new(1) - chrono::Duration::days(1);
    let sql = format!(
        "SELECT p.id, a.display_name AS secretary, t.name AS township, v.name AS village, u.name AS unit, p.mode,
                (now() AT TIME ZONE d.time_zone)::date AS today, d.allowance_per_day, d.day_requires_check_out,
                d.day_min_stay_minutes, d.day_evidence
           FROM postings p
           JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
           JOIN units u ON u.id = p.unit_id
          WHERE {} AND ($6::bigint IS NULL OR v.township_id = $6) AND ($9::bigint IS NULL OR t.district_id = $9)
            AND p.term_start <= $8 AND coalesce(p.ended_on, p.term_end) >= $7
          ORDER BY t.name, v.name",
        visible!("posting_places", "p.id")
    );
    let postings: Vec<PostingRow> = sqlx::query_as(&sql)
        .scoped(actor.scope.filter())
        .bind(township_id)
        .bind(first)
        .bind(last)
        .bind(district_id)
        .fetch_all(pool)
        .await?;
    let Some(today) = postings.first().map(|p| p.today) else { return Ok(Vec::new()) };
    let through = last.min(today);
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();

    let rules: HashMap<i64, DayRule> = postings
        .iter()
        .map(|p| (p.id, DayRule::from_settings(p.day_requires_check_out, p.day_min_stay_minutes, p.day_evidence)))
        .collect();
    let mut verified: HashMap<i64, BTreeSet<NaiveDate>> = HashMap::new();
    let mut late: HashMap<i64, Vec<(NaiveDate, LateReview)>> = HashMap::new();
    for (id, d) in crate::attendance::days(pool, &ids, first, last).await? {
        let Some(rule) = rules.get(&id) else { continue };
        // Listed late: the days the rule counts, struck or not.
        if let Some(review) = d.late.filter(|_| d.evidenced(rule)) {
            late.entry(id).or_default().push((d.day, review));
        }
        if d.counts(rule) {
            verified.entry(id).or_default().insert(d.day);
        }
    }
    let leave = crate::attendance::approved_leave(pool, &ids, first, last).await?;
    let calls = crate::attendance::roll_call_counts(pool, &ids, first, last).await?;
    let absences = crate::attendance::inspection_absences(pool, &ids, first, last).await?;
    let calendar = crate::attendance::calendar(pool, first, last).await?;
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Ok(postings
        .into_iter()
        .map(|p| {
            let duties = p.mode.duties_at(p.allowance_per_day);
            let (asked, answered) = calls.get(&p.id).copied().unwrap_or((0, 0));
            MonthLine {
                month: allowance::month(
                    first,
                    through,
                    &duties,
                    &calendar,
                    verified.get(&p.id).unwrap_or(&BTreeSet::new()),
                    leave.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                ),
                posting_id: p.id,
                secretary: p.secretary,
                township: p.township,
                village: p.village,
                unit: p.unit,
                mode: p.mode,
                roll_calls: n(asked),
                roll_calls_answered: n(answered),
                inspection_absences: absences.get(&p.id).copied().unwrap_or(0),
                late_days: late.remove(&p.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// Who approved a township's allowance list for a month, and when (`None` also when the
/// township is outside the caller's scope).
pub async fn allowance_approval(
    pool: &PgPool,
    actor: &Actor,
    township_id: i64,
    first: NaiveDate,
) -> Result<Option<(String, DateTime<Utc>, i32)>> {
    let sql = format!(
        "SELECT a.display_name, ap.approved_at, ap.total_yuan FROM allowance_approvals ap JOIN accounts a ON a.id = ap.approved_by
          WHERE ap.township_id = $6 AND ap.month = $7 AND {}",
        visible!("township_places", "ap.township_id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).bind(township_id).bind(first).fetch_optional(pool).await?)
}

/// The township approves its allowance list for a month that has ended (once: the list goes to
/// the units' finance offices).
pub async fn approve_allowance(pool: &PgPool, actor: &Actor, township_id: i64, first: NaiveDate) -> Result<i64> {
    require(actor, Action::ManageAttendance)?;
    if first.day() != 1 {
        return Err(Error::Invalid(Msg::new("月份无效", "not a month")));
    }
    ensure_visible!(pool, actor, "township_places", township_id)?;
    let today: NaiveDate = sqlx::query_scalar(
        "SELECT (now() AT TIME ZONE d.time_zone)::date FROM townships t JOIN districts d ON d.id = t.district_id WHERE t.id = $1",
    )
    .bind(township_id)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    if first + Months::new(1) > today {
        return Err(Error::Invalid(Msg::new(
            format!("{} 月尚未结束，月底后才能审批补贴表", first.format("%Y-%m")),
            format!("{} has not ended; its list can be approved once it has", first.format("%Y-%m")),
        )));
    }
    let lines = month(pool, actor, Some(township_id), None, first).await?;
    let pending = lines.iter().flat_map(|l| &l.late_days).filter(|(_, r)| *r == LateReview::Pending).count();
    if pending > 0 {
        return Err(Error::Conflict(Msg::new(
            format!("该月有 {pending} 个补报的在村日待核实：请先在考勤看板上逐一确认或核减，再审批补贴表"),
            format!("{pending} days of the month were reported late: confirm or strike each on the board first"),
        )));
    }
    let total: u32 = lines.iter().map(|l| l.month.allowance_yuan).sum();
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "township_places", township_id)?;
    let inserted = sqlx::query(
        "INSERT INTO allowance_approvals (township_id, month, approved_by, total_yuan) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(township_id)
    .bind(first)
    .bind(actor.account_id)
    .bind(i32::try_from(total).unwrap_or(i32::MAX))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(Error::Conflict(Msg::new("该月补贴表已审批", "this month's list is already approved")));
    }
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "approve_allowance",
        "township",
        Some(township_id),
        serde_json::json!({ "month": first, "total_yuan": total, "secretaries": lines.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(i64::from(total))
}

/// The township confirms a day credited late (补报) or strikes it (it is then not a day in the
/// village: not paid, not counted), with its reason, before the month's list is approved.
pub async fn review_late_day(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    day: NaiveDate,
    confirm: bool,
    reason: &str,
) -> Result<()> {
    require(actor, Action::ManageAttendance)?;
    if reason.trim().is_empty() {
        return Err(Error::Invalid(Msg::new("请写明核实情况", "say what the review found")));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let late = crate::attendance::days(pool, &[posting_id], day, day).await?.into_iter().any(|(_, d)| d.late.is_some());
    if !late {
        return Err(Error::Invalid(Msg::new(
            format!("{day} 不是补报的在村日"),
            format!("{day} was not reported late"),
        )));
    }
    let (township_id, approved): (i64, bool) = sqlx::query_as(
        "SELECT v.township_id, EXISTS (SELECT 1 FROM allowance_approvals x
                                         WHERE x.township_id = v.township_id AND x.month = date_trunc('month', $2::date))
           FROM postings p JOIN villages v ON v.id = p.village_id WHERE p.id = $1",
    )
    .bind(posting_id)
    .bind(day)
    .fetch_one(&mut *tx)
    .await?;
    if approved {
        return Err(Error::Conflict(Msg::new("该月补贴表已审批，不能再改", "that month's list is already approved")));
    }
    let decision = if confirm { "confirmed" } else { "struck" };
    sqlx::query(
        "INSERT INTO late_day_reviews (posting_id, day, decision, reason, decided_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (posting_id, day) DO UPDATE SET decision = EXCLUDED.decision, reason = EXCLUDED.reason,
             decided_by = EXCLUDED.decided_by, decided_at = now()",
    )
    .bind(posting_id)
    .bind(day)
    .bind(decision)
    .bind(reason.trim())
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "review_late_day",
        "posting",
        Some(posting_id),
        serde_json::json!({ "day": day, "decision": decision, "reason": reason.trim() }),
    )
    .await?;
    crate::attendance::notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(())
}
