//! The append-only audit log: the application's role may only add and read entries, and each
//! entry is chained to the one before by its hash (see migration 16 and [`domain::audit`]).

use domain::audit::{Break, Chain, Link};
use domain::model::AuditEntry;
use domain::{Action, Actor};
use sqlx::{PgPool, Postgres, Transaction};

use crate::scope::BindScope;
use crate::{Error, Result};

/// Records a change inside the transaction that makes it.
pub async fn record(
    tx: &mut Transaction<'_, Postgres>,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(actor_id)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The newest entries made by accounts inside the caller's scope.
pub async fn list(pool: &PgPool, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>> {
    if !actor.may(Action::ViewAudit) {
        return Err(Error::Forbidden);
    }
    Ok(sqlx::query_as(concat!(
        "SELECT l.id, l.at, a.display_name AS actor, l.action, l.entity, l.entity_id, l.detail::text AS detail
           FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
          WHERE ",
        visible!("account_places", "l.actor_id"),
        " ORDER BY l.id DESC LIMIT $6"
    ))
    .scoped(actor.scope.filter())
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// The chain checked from the first entry: its length and head, or the first broken entry.
#[derive(Debug)]
pub enum Verified {
    Intact(Chain),
    Broken { seq: i64, id: i64, problem: Break, good: Chain },
}

/// Recomputes every entry's hash in order.
pub async fn verify(pool: &PgPool) -> Result<Verified> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (i64, i64, Vec<u8>, Vec<u8>, String)>(
        "SELECT seq, id, prev_hash, hash, audit_entry_body(seq, at, actor_id, action, entity, entity_id, detail)
           FROM audit_log ORDER BY seq",
    )
    .fetch(pool);
    let mut chain = Chain::default();
    while let Some((seq, id, prev_hash, hash, body)) = rows.try_next().await? {
        if let Err(problem) = chain.check(&Link { seq, id, prev_hash, hash, body }) {
            return Ok(Verified::Broken { seq, id, problem, good: chain });
        }
    }
    Ok(Verified::Intact(chain))
}
