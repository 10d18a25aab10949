//! Accounts: who can log in, with which role, bound to which part of the tree.

use domain::model::Account;
use domain::{fields, Action, Actor, Msg, Role};
use serde_json::json;
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{audit, auth, require, Error, Result};

/// A new account as an administrator enters it; exactly the scope column its role needs is set.
#[derive(Clone, Debug, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub phone: String,
    pub role: Option<Role>,
    pub city_id: Option<i64>,
    pub district_id: Option<i64>,
    pub township_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub password: String,
}

pub async fn list(pool: &PgPool, actor: &Actor, role: Option<Role>) -> Result<Vec<Account>> {
    require(actor, Action::ViewAccounts)?;
    Ok(sqlx::query_as(concat!(
        "SELECT a.id, a.username, a.display_name, a.phone, a.role, a.active,
                coalesce(t.name, u.name, d.name, c.name, '') AS scope_name
           FROM accounts a
           LEFT JOIN townships t ON t.id = a.township_id
           LEFT JOIN units u ON u.id = a.unit_id
           LEFT JOIN districts d ON d.id = a.district_id
           LEFT JOIN cities c ON c.id = a.city_id
          WHERE ",
        visible!("account_places", "a.id"),
        " AND ($6::text IS NULL OR a.role = $6) ORDER BY a.role, a.username"
    ))
    .scoped(actor.scope.filter())
    .bind(role.map(Role::code))
    .fetch_all(pool)
    .await?)
}

/// Inserts an account inside an open transaction, checking that it lands inside the caller's
/// scope (only system administrators create system administrators).
pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &Actor,
    a: &NewAccount,
    hash: String,
) -> Result<i64> {
    require(actor, Action::ManageAccounts)?;
    let role = a.role.ok_or_else(|| Msg::new("请选择角色", "choose a role"))?;
    if role == Role::SysAdmin && actor.role != Role::SysAdmin {
        return Err(Error::Forbidden);
    }
    let username = fields::username(&a.username)?;
    let name = fields::name("姓名", "name", &a.display_name)?;
    let phone = fields::phone(&a.phone)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, phone, password_hash, role, city_id, district_id, township_id, unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&username)
    .bind(&name)
    .bind(&phone)
    .bind(hash)
    .bind(role)
    .bind(a.city_id)
    .bind(a.district_id)
    .bind(a.township_id)
    .bind(a.unit_id)
    .fetch_one(&mut **tx)
    .await?;
    ensure_visible!(&mut **tx, actor, "account_places", id).map_err(|_| Error::Forbidden)?;
    audit::record(
        tx,
        Some(actor.account_id),
        "create",
        "account",
        Some(id),
        json!({ "username": username, "role": role }),
    )
    .await?;
    Ok(id)
}

pub async fn create(pool: &PgPool, actor: &Actor, a: &NewAccount) -> Result<i64> {
    require(actor, Action::ManageAccounts)?;
    let hash = auth::hash_password_blocking(fields::password(&a.password)?.to_string()).await;
    let mut tx = pool.begin().await?;
    let id = insert(&mut tx, actor, a, hash).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn set_active(pool: &PgPool, actor: &Actor, id: i64, active: bool) -> Result<()> {
    require(actor, Action::ManageAccounts)?;
    if id == actor.account_id {
        return Err(Error::Invalid(Msg::new("不能停用自己的账号", "you cannot disable your own account")));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "account_places", id)?;
    sqlx::query("UPDATE accounts SET active = $2 WHERE id = $1").bind(id).bind(active).execute(&mut *tx).await?;
    let action = if active { "enable" } else { "disable" };
    audit::record(&mut tx, Some(actor.account_id), action, "account", Some(id), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reset_password(pool: &PgPool, actor: &Actor, id: i64, password: &str) -> Result<()> {
    require(actor, Action::ManageAccounts)?;
    let hash = auth::hash_password_blocking(fields::password(password)?.to_string()).await;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "account_places", id)?;
    // The account's sessions end with the old password.
    sqlx::query("UPDATE accounts SET password_hash = $2, sessions_since = now() WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, Some(actor.account_id), "reset_password", "account", Some(id), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a system administrator without an acting account (bootstrapping a new
/// installation from the command line).
pub async fn create_first_admin(pool: &PgPool, username: &str, name: &str, password: &str) -> Result<i64> {
    let username = fields::username(username)?;
    let name = fields::name("姓名", "name", name)?;
    let hash = auth::hash_password_blocking(fields::password(password)?.to_string()).await;
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, password_hash, role) VALUES ($1, $2, $3, 'sys_admin') RETURNING id",
    )
    .bind(&username)
    .bind(&name)
    .bind(hash)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        None,
        "create",
        "account",
        Some(id),
        json!({ "username": username, "role": Role::SysAdmin, "via": "cli" }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an account's name and phone (role and scope stay: make a new account instead, so
/// that what the old one did stays attributed to it).
pub async fn update(pool: &PgPool, actor: &Actor, id: i64, display_name: &str, phone: &str) -> Result<()> {
    require(actor, Action::ManageAccounts)?;
    let name = fields::name("姓名", "name", display_name)?;
    let phone = fields::phone(phone)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "account_places", id)?;
    let before: serde_json::Value = sqlx::query_scalar(
        "SELECT json_build_object('display_name', display_name, 'phone', phone) FROM accounts WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE accounts SET display_name = $2, phone = $3 WHERE id = $1")
        .bind(id)
        .bind(&name)
        .bind(&phone)
        .execute(&mut *tx)
        .await?;
    let after = json!({ "display_name": name, "phone": phone });
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "update",
        "account",
        Some(id),
        json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
