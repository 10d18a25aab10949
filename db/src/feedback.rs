//! 投诉建议 (`domain::feedback`): a message sent by an account or, from the ballot page, by a
//! villager holding a ballot code; the sender's own messages; one found by its follow-up code;
//! the department's inbox, its answers and its counts.

use domain::evaluation::ballot::{self, CodeKey};
use domain::feedback::{self, Feedback, FeedbackCounts, FeedbackKind};
use domain::{Action, Actor, Msg, Role};
use rand::Rng;
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

/// Messages listed at most.
const LISTED: i64 = 200;

const SELECT: &str = "SELECT f.id, f.kind, f.body, d.name AS district, f.sent_at, s.display_name AS sender,
        s.role AS sender_role, f.villager, f.answer, f.answered_at, r.display_name AS answered_by
   FROM feedback f JOIN districts d ON d.id = f.district_id
   LEFT JOIN accounts s ON s.id = f.sender_id LEFT JOIN accounts r ON r.id = f.answered_by";

/// A message sent: its id and the follow-up code, shown once as `ABCDE-FGHJK`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sent {
    pub id: i64,
    pub code: String,
}

/// Where a message comes from.
enum From {
    Account(i64),
    Anonymous,
    Villager,
}

async fn store(
    pool: &PgPool,
    key: &CodeKey,
    district: i64,
    kind: FeedbackKind,
    body: &str,
    from: From,
) -> Result<Sent> {
    let body = feedback::text(body).map_err(Error::Invalid)?;
    let code = ballot::code_from(rand::rngs::OsRng.gen());
    let sender = match from {
        From::Account(id) => Some(id),
        From::Anonymous | From::Villager => None,
    };
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO feedback (district_id, kind, body, sender_id, villager, lookup_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(district)
    .bind(kind)
    .bind(&body)
    .bind(sender)
    .bind(matches!(from, From::Villager))
    .bind(key.hash(&code))
    .fetch_one(&mut *tx)
    .await?;
    // An anonymous message names no one, in the audit log either.
    crate::audit::record(&mut tx, sender, "send_feedback", "feedback", Some(id), serde_json::json!({ "kind": kind }))
        .await?;
    tx.commit().await?;
    Ok(Sent { id, code: ballot::display(&code) })
}

/// Sends a message to the caller's district. The departments answer rather than send.
/// Not instrumented with the account: an anonymous message must leave no trace of its sender,
/// in the logs either.
pub async fn send(
    pool: &PgPool,
    key: &CodeKey,
    actor: &Actor,
    kind: FeedbackKind,
    body: &str,
    anonymous: bool,
) -> Result<Sent> {
    if matches!(actor.role, Role::DeptAdmin | Role::SysAdmin) {
        return Err(Error::Forbidden);
    }
    let district: Option<i64> = sqlx::query_scalar(
        "SELECT coalesce(a.district_id, t.district_id, u.district_id) FROM accounts a
           LEFT JOIN townships t ON t.id = a.township_id LEFT JOIN units u ON u.id = a.unit_id
          WHERE a.id = $1",
    )
    .bind(actor.account_id)
    .fetch_optional(pool)
    .await?
    .flatten();
    let from = if anonymous { From::Anonymous } else { From::Account(actor.account_id) };
    store(pool, key, district.ok_or(Error::Forbidden)?, kind, body, from).await
}

/// A villager's message, sent from the ballot page with a ballot code of the district (used or
/// not: the code only shows the sender lives where a survey was held; it is not kept).
#[tracing::instrument(skip_all)]
pub async fn send_as_villager(
    pool: &PgPool,
    key: &CodeKey,
    ballot_code: &str,
    kind: FeedbackKind,
    body: &str,
) -> Result<Sent> {
    let refused = || Error::Invalid(Msg::new("票码无效，请核对测评时发放的票码", "the ballot code is not valid"));
    let code = ballot::normalise(ballot_code).ok_or_else(refused)?;
    let district: i64 = sqlx::query_scalar(
        "SELECT t.district_id FROM ballot_codes c JOIN surveys s ON s.id = c.survey_id JOIN postings p ON p.id = s.posting_id
           JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
          WHERE (c.code_hash = $1 AND c.keyed) OR (c.code_hash = $2 AND NOT c.keyed)",
    )
    .bind(key.hash(&code))
    .bind(ballot::legacy_hash(&code))
    .fetch_optional(pool)
    .await?
    .ok_or_else(refused)?;
    store(pool, key, district, kind, body, From::Villager).await
}

/// The caller's own messages (not the anonymous ones: nothing ties those to anyone), newest first.
pub async fn mine(pool: &PgPool, actor: &Actor) -> Result<Vec<Feedback>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE f.sender_id = $1 ORDER BY f.sent_at DESC LIMIT $2"))
        .bind(actor.account_id)
        .bind(LISTED)
        .fetch_all(pool)
        .await?)
}

/// The message a follow-up code belongs to, for whoever holds the code.
pub async fn by_code(pool: &PgPool, key: &CodeKey, typed: &str) -> Result<Feedback> {
    let code = ballot::normalise(typed).ok_or_else(|| {
        Error::Invalid(Msg::new("查询码格式不正确，如 ABCDE-FGHJK", "the code looks like ABCDE-FGHJK"))
    })?;
    sqlx::query_as(&format!("{SELECT} WHERE f.lookup_hash = $1"))
        .bind(key.hash(&code))
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)
}

/// The messages sent to the districts in the caller's scope: waiting ones first, then newest.
pub async fn inbox(pool: &PgPool, actor: &Actor) -> Result<Vec<Feedback>> {
    require(actor, Action::AnswerFeedback)?;
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY f.answer IS NOT NULL, f.sent_at DESC LIMIT $6",
        visible!("district_places", "f.district_id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).bind(LISTED).fetch_all(pool).await?)
}

/// Answers a message once; audited.
#[tracing::instrument(skip(pool, actor, text), fields(account = actor.account_id))]
pub async fn answer(pool: &PgPool, actor: &Actor, id: i64, text: &str) -> Result<()> {
    require(actor, Action::AnswerFeedback)?;
    let text = feedback::text(text).map_err(Error::Invalid)?;
    let mut tx = pool.begin().await?;
    let sql = format!(
        "SELECT f.answer IS NOT NULL FROM feedback f WHERE f.id = $6 AND {} FOR UPDATE",
        visible!("district_places", "f.district_id")
    );
    let answered: bool = sqlx::query_scalar(&sql)
        .scoped(actor.scope.filter())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    if answered {
        return Err(Error::Conflict(Msg::new(
            "已答复过，答复不能修改",
            "already answered; an answer cannot be changed",
        )));
    }
    sqlx::query("UPDATE feedback SET answer = $2, answered_by = $3, answered_at = now() WHERE id = $1")
        .bind(id)
        .bind(&text)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "answer_feedback",
        "feedback",
        Some(id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The department's counts over its districts (for its dashboard).
pub async fn counts(pool: &PgPool, actor: &Actor) -> Result<FeedbackCounts> {
    require(actor, Action::AnswerFeedback)?;
    let sql = format!(
        "SELECT count(*) FILTER (WHERE f.answer IS NULL) AS waiting, count(f.answer) AS answered,
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.answered_at - f.sent_at)) / 3600)::float8
                    AS median_hours_to_answer
           FROM feedback f WHERE {}",
        visible!("district_places", "f.district_id")
    );
    Ok(sqlx::query_as(&sql).scoped(actor.scope.filter()).fetch_one(pool).await?)
}
