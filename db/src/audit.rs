//! The append-only audit log (the database refuses updates and deletes).

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
