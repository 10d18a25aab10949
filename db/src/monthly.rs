//! 月度工作纪实 (`domain::monthly`): the secretary's month drafted from the records, filed, and
//! read by the township and the dispatching unit.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::monthly::{first_day, last_day, MonthFacts, MonthlyDraft, MonthlyRecord};
use domain::{Action, Actor, Lang, Msg};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// The first day of the current month by the posting's district clock.
async fn this_month(pool: &PgPool, posting_id: i64) -> Result<NaiveDate> {
    Ok(sqlx::query_scalar("SELECT date_trunc('month', today)::date FROM posting_districts WHERE posting_id = $1")
        .bind(posting_id)
        .fetch_one(pool)
        .await?)
}

/// The month drafted from the records of the secretary's current posting (`month`: any day of
/// it; the current month when none). Once filed, the filed text is shown instead; the facts are
/// always counted afresh.
#[tracing::instrument(skip(pool, actor), fields(account = actor.account_id))]
pub async fn draft(pool: &PgPool, actor: &Actor, month: Option<NaiveDate>, lang: Lang) -> Result<MonthlyDraft> {
    require(actor, Action::FileEvaluation)?;
    let posting = crate::postings::current_own(pool, actor).await?;
    let first = match month {
        Some(m) => first_day(m),
        None => this_month(pool, posting.id).await?,
    };
    let last = last_day(first);
    let rule = crate::attendance::day_rule(pool, posting.id).await?;
    let days = crate::attendance::days(pool, &[posting.id], first, last).await?;
    let days_in_village = days.iter().filter(|(_, d)| d.counts(&rule)).count();
    let records = crate::records::work_between(pool, posting.id, first, last).await?;
    let households: HashMap<i64, String> =
        crate::postings::households(pool, actor, posting.id).await?.into_iter().map(|h| (h.id, h.head_name)).collect();
    let facts = MonthFacts::gather(
        first,
        days_in_village,
        records.iter().map(|(d, b)| (*d, b)),
        |id| households.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
        lang,
    );
    let filed: Option<(String, DateTime<Utc>, DateTime<Utc>)> =
        sqlx::query_as("SELECT body, filed_at, updated_at FROM monthly_records WHERE posting_id = $1 AND month = $2")
            .bind(posting.id)
            .bind(first)
            .fetch_optional(pool)
            .await?;
    Ok(match filed {
        Some((text, at, updated)) => MonthlyDraft { facts, text, filed: Some((at, updated)) },
        None => MonthlyDraft { text: facts.draft(lang), facts, filed: None },
    })
}

/// Files the month (again: the text is replaced); audited.
#[tracing::instrument(skip(pool, actor, body), fields(account = actor.account_id))]
pub async fn file(pool: &PgPool, actor: &Actor, month: Option<NaiveDate>, body: &str) -> Result<()> {
    require(actor, Action::FileEvaluation)?;
    let posting = crate::postings::current_own(pool, actor).await?;
    let now = this_month(pool, posting.id).await?;
    let month = month.map_or(now, first_day);
    if month > now {
        return Err(Error::Invalid(Msg::new("不能为尚未到来的月份存档", "a month still to come cannot be filed")));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > domain::field::MAX_TEXT {
        return Err(Error::Invalid(Msg::new(
            "纪实内容不能为空，且不超过 20000 字",
            "the record must have 1 to 20,000 characters",
        )));
    }
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO monthly_records (posting_id, month, body) VALUES ($1, $2, $3)
         ON CONFLICT ON CONSTRAINT monthly_records_once DO UPDATE SET body = EXCLUDED.body, updated_at = now()
         RETURNING id",
    )
    .bind(posting.id)
    .bind(month)
    .bind(body)
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "file_monthly_record",
        "monthly_record",
        Some(id),
        serde_json::json!({ "month": month }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A posting's filed months, newest first, for those who follow the secretary.
pub async fn filed(pool: &PgPool, actor: &Actor, posting_id: i64) -> Result<Vec<MonthlyRecord>> {
    require(actor, Action::FollowSecretaries)?;
    ensure_visible!(pool, actor, "posting_places", posting_id)?;
    Ok(sqlx::query_as(
        "SELECT month, body, filed_at, updated_at FROM monthly_records WHERE posting_id = $1 ORDER BY month DESC LIMIT 36",
    )
    .bind(posting_id)
    .fetch_all(pool)
    .await?)
}
