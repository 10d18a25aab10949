//! Postings (选派) and their paired hardship households (结对帮扶户).

use chrono::NaiveDate;
use domain::model::{Household, Posting};
use domain::org::{PostingMode, PostingSource, RankClass};
use domain::{fields, Action, Actor, Msg, Role};
use serde_json::json;
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{audit, require, Error, Result};

#[derive(Clone, Debug)]
pub struct NewPosting {
    pub secretary_id: i64,
    pub village_id: i64,
    pub unit_id: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub mode: PostingMode,
    pub source: PostingSource,
    pub rank_class: RankClass,
    pub round: i32,
    pub assistant_name: Option<String>,
    pub assistant_phone: Option<String>,
}

/// Whether posting `p` covers today in its district `d`'s time zone: `posting_is_current`
/// written out, because that function (a query of its own) cost the phone's every poll ~0.5 ms
/// of PostgreSQL twice over (the province load test, docs/benchmarks.md).
macro_rules! is_current {
    () => {
        "(now() AT TIME ZONE d.time_zone)::date BETWEEN p.term_start AND coalesce(p.ended_on, p.term_end)"
    };
}
pub(crate) use is_current;

/// `SELECT` of a [`Posting`] as `p`, with the village `v`, township `t` and district `d` joined.
macro_rules! posting_select {
    () => {
        concat!(
            "SELECT p.id, p.secretary_id, a.display_name AS secretary, p.village_id, v.name AS village,
                t.name AS township, p.unit_id, u.name AS unit, p.term_start, p.term_end, p.ended_on,
                p.mode, p.source, p.rank_class, p.round, p.assistant_name, ",
            $crate::postings::is_current!(),
            " AS current
           FROM postings p
           JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
           JOIN units u ON u.id = p.unit_id"
        )
    };
}
pub(crate) use posting_select;

pub async fn list(pool: &PgPool, actor: &Actor, current_only: bool) -> Result<Vec<Posting>> {
    require(actor, Action::ViewOrg)?;
    Ok(sqlx::query_as(concat!(
        posting_select!(),
        " WHERE ",
        visible!("posting_places", "p.id"),
        " AND (NOT $6 OR ",
        is_current!(),
        ") ORDER BY t.id, v.name, p.term_start DESC"
    ))
    .scoped(actor.scope.filter())
    .bind(current_only)
    .fetch_all(pool)
    .await?)
}

/// A secretary's own current posting (what the phone records under).
pub(crate) async fn current_own(pool: &PgPool, actor: &Actor) -> Result<Posting> {
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    // A secretary's scope is their own postings: read straight by the secretary, not through
    // the scope's view (the phone asks on every sync).
    let current: Option<Posting> = sqlx::query_as(concat!(
        posting_select!(),
        " WHERE p.secretary_id = $1 AND ",
        is_current!(),
        " ORDER BY p.term_start DESC LIMIT 1"
    ))
    .bind(actor.account_id)
    .fetch_optional(pool)
    .await?;
    current.ok_or_else(|| Error::Invalid(Msg::new("您目前没有选派任务", "you have no current posting")))
}

pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &Actor,
    p: &NewPosting,
) -> Result<i64> {
    require(actor, Action::ManagePostings)?;
    if p.term_end <= p.term_start {
        return Err(Error::Invalid(Msg::new("任期结束须晚于任期开始", "the term must end after it starts")));
    }
    if p.round < 1 {
        return Err(Error::Invalid(Msg::new("轮次须为正数", "the round must be positive")));
    }
    let assistant = p
        .assistant_name
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| fields::name("助理姓名", "assistant name", s))
        .transpose()?;
    let assistant_phone = fields::phone(p.assistant_phone.as_deref().unwrap_or(""))?;
    ensure_visible!(&mut **tx, actor, "village_places", p.village_id)?;
    ensure_visible!(&mut **tx, actor, "unit_places", p.unit_id)?;
    ensure_visible!(&mut **tx, actor, "account_places", p.secretary_id)?;
    let role: Role =
        sqlx::query_scalar("SELECT role FROM accounts WHERE id = $1").bind(p.secretary_id).fetch_one(&mut **tx).await?;
    if role != Role::Secretary {
        return Err(Error::Invalid(Msg::new("只能选派第一书记账号", "only first-secretary accounts can be posted")));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO postings (secretary_id, village_id, unit_id, term_start, term_end, mode, source, rank_class, round,
                               assistant_name, assistant_phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(p.secretary_id)
    .bind(p.village_id)
    .bind(p.unit_id)
    .bind(p.term_start)
    .bind(p.term_end)
    .bind(p.mode)
    .bind(p.source)
    .bind(p.rank_class)
    .bind(p.round)
    .bind(assistant)
    .bind(assistant_phone)
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor.account_id),
        "create",
        "posting",
        Some(id),
        json!({
            "secretary_id": p.secretary_id, "village_id": p.village_id, "unit_id": p.unit_id,
            "term_start": p.term_start, "term_end": p.term_end, "mode": p.mode,
        }),
    )
    .await?;
    Ok(id)
}

pub async fn create(pool: &PgPool, actor: &Actor, p: &NewPosting) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let id = insert(&mut tx, actor, p).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn households(pool: &PgPool, actor: &Actor, posting_id: i64) -> Result<Vec<Household>> {
    require(actor, Action::ViewOrg)?;
    ensure_visible!(pool, actor, "posting_places", posting_id)?;
    Ok(sqlx::query_as(
        "SELECT id, posting_id, head_name, members, address, hardship, paired_on FROM households WHERE posting_id = $1 ORDER BY id",
    )
    .bind(posting_id)
    .fetch_all(pool)
    .await?)
}

#[derive(Clone, Debug)]
pub struct NewHousehold {
    pub head_name: String,
    pub members: i32,
    pub address: String,
    pub hardship: String,
    pub paired_on: NaiveDate,
}

pub async fn add_household(pool: &PgPool, actor: &Actor, posting_id: i64, h: &NewHousehold) -> Result<i64> {
    require(actor, Action::ManageHouseholds)?;
    let head = fields::name("户主姓名", "head of household", &h.head_name)?;
    if !(1..=30).contains(&h.members) {
        return Err(Error::Invalid(Msg::new("家庭人口须在 1 到 30 之间", "household members must be 1–30")));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO households (posting_id, head_name, members, address, hardship, paired_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(posting_id)
    .bind(&head)
    .bind(h.members)
    .bind(h.address.trim())
    .bind(h.hardship.trim())
    .bind(h.paired_on)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "create",
        "household",
        Some(id),
        json!({ "posting_id": posting_id, "head_name": head }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
