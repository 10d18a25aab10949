//! Passwords (argon2id), login with throttling, and who a session's account is.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use domain::model::Me;
use domain::{Actor, Role, Scope};
use sqlx::PgPool;

use crate::{audit, Error, Result};

/// Failures within [`WINDOW`] that lock a login name for [`LOCKOUT`].
pub const MAX_FAILURES: i32 = 5;
pub const WINDOW: Duration = Duration::minutes(15);
pub const LOCKOUT: Duration = Duration::minutes(15);
/// However active, a session ends this long after its login: the person logs in again.
pub const SESSION_LIFETIME: Duration = Duration::days(7);

/// Hashes a password with argon2id (the crate's default parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default parameters").to_string()
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Password hashes running at once: each takes 19 MiB and tens of milliseconds of a core, so
/// a burst of logins queues here instead of exhausting memory and every core.
static ARGON2: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
});

/// Runs argon2 work off the async workers, a few at a time.
async fn argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _turn = ARGON2.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// Hashing takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_password_blocking(password: String) -> String {
    argon2(move || hash_password(&password)).await.expect("hashing does not panic")
}

/// A hash checked when the login name is unknown, so that unknown names take as long.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("no such account"));

/// Checks a login name and password. Unknown names and wrong passwords fail alike; after
/// [`MAX_FAILURES`] failures within [`WINDOW`] the name is locked for [`LOCKOUT`]. Each attempt
/// is counted before its password is checked, in one statement, so concurrent attempts cannot
/// check more than [`MAX_FAILURES`] passwords.
pub async fn login(pool: &PgPool, username: &str, password: &str, now: DateTime<Utc>) -> Result<i64> {
    // A name no account can have (control characters, a NUL …) fails like a wrong password.
    let username = domain::fields::username(username).map_err(|_| Error::BadCredentials)?;
    let (attempts, locked): (i32, Option<DateTime<Utc>>) = sqlx::query_as(
        "INSERT INTO login_throttle AS t (username, failures, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (username) DO UPDATE SET
           failures = CASE WHEN t.locked_until > $2 THEN t.failures
                           WHEN t.window_start < $2 - $3 OR t.locked_until IS NOT NULL THEN 1 ELSE t.failures + 1 END,
           window_start = CASE WHEN t.locked_until > $2 THEN t.window_start
                               WHEN t.window_start < $2 - $3 OR t.locked_until IS NOT NULL THEN $2 ELSE t.window_start END,
           locked_until = CASE WHEN t.locked_until > $2 THEN t.locked_until END
         RETURNING failures, locked_until",
    )
    .bind(&username)
    .bind(now)
    .bind(WINDOW)
    .fetch_one(pool)
    .await?;
    if let Some(until) = locked {
        return Err(Error::Locked(until));
    }
    if attempts > MAX_FAILURES {
        return Err(Error::Locked(lock(pool, &username, now).await?));
    }
    let account: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM accounts WHERE username = $1 AND active")
            .bind(&username)
            .fetch_optional(pool)
            .await?;
    let (hash, pw) = (account.as_ref().map_or(DUMMY_HASH.clone(), |a| a.1.clone()), password.to_string());
    let ok = argon2(move || verify_password(&hash, &pw)).await.unwrap_or(false);
    match account {
        Some((id, _)) if ok => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM login_throttle WHERE username = $1").bind(&username).execute(&mut *tx).await?;
            audit::record(&mut tx, Some(id), "login", "account", Some(id), serde_json::json!({})).await?;
            tx.commit().await?;
            Ok(id)
        }
        _ if attempts == MAX_FAILURES => Err(Error::Locked(lock(pool, &username, now).await?)),
        _ => Err(Error::BadCredentials),
    }
}

/// Locks a login name for [`LOCKOUT`] from `now` (or keeps an earlier lock); returns until when.
async fn lock(pool: &PgPool, username: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    Ok(sqlx::query_scalar(
        "UPDATE login_throttle SET locked_until = coalesce(locked_until, $2 + $3) WHERE username = $1 RETURNING locked_until",
    )
    .bind(username)
    .bind(now)
    .bind(LOCKOUT)
    .fetch_one(pool)
    .await?)
}

/// The scope columns of an account row.
#[derive(sqlx::FromRow)]
struct AccountScope {
    role: Role,
    city_id: Option<i64>,
    district_id: Option<i64>,
    township_id: Option<i64>,
    unit_id: Option<i64>,
}

/// The actor a session's account runs as; `None` when the account is gone or disabled, or the
/// session ended: its login (`logged_in_at`) is older than [`SESSION_LIFETIME`] or than the
/// account's last password change or reset.
pub async fn actor(pool: &PgPool, account_id: i64, logged_in_at: DateTime<Utc>) -> Result<Option<Actor>> {
    let row: Option<AccountScope> = sqlx::query_as(
        "SELECT role, city_id, district_id, township_id, unit_id FROM accounts
          WHERE id = $1 AND active AND sessions_since <= $2 AND $2 > now() - $3",
    )
    .bind(account_id)
    .bind(logged_in_at)
    .bind(SESSION_LIFETIME)
    .fetch_optional(pool)
    .await?;
    let Some(AccountScope { role, city_id: city, district_id: district, township_id: township, unit_id: unit }) = row
    else {
        return Ok(None);
    };
    let scope = match role {
        Role::SysAdmin => Scope::All,
        Role::Secretary => Scope::Secretary(account_id),
        Role::TownshipSupervisor => Scope::Township(township.ok_or(Error::NotFound)?),
        Role::Inspector => Scope::District(district.ok_or(Error::NotFound)?),
        Role::UnitViewer => Scope::Unit(unit.ok_or(Error::NotFound)?),
        Role::DeptAdmin => match (city, district) {
            (Some(c), None) => Scope::City(c),
            (_, Some(d)) => Scope::District(d),
            _ => return Err(Error::NotFound),
        },
    };
    Ok(Some(Actor { account_id, role, scope }))
}

/// The logged-in account with the name of the part of the tree it is bound to.
pub async fn me(pool: &PgPool, account_id: i64) -> Result<Me> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.username, a.display_name, a.role,
                coalesce(t.name, u.name, d.name, c.name, '') AS scope_name
           FROM accounts a
           LEFT JOIN townships t ON t.id = a.township_id
           LEFT JOIN units u ON u.id = a.unit_id
           LEFT JOIN districts d ON d.id = a.district_id
           LEFT JOIN cities c ON c.id = a.city_id
          WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(pool)
    .await?)
}

/// Changes one's own password after checking the current one, and ends the account's other
/// sessions: those logged in before `now` (the caller's own is stamped `now` again).
pub async fn change_password(pool: &PgPool, actor: &Actor, current: &str, new: &str, now: DateTime<Utc>) -> Result<()> {
    let new = domain::fields::password(new)?.to_string();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(actor.account_id)
        .fetch_one(pool)
        .await?;
    let current = current.to_string();
    if !argon2(move || verify_password(&hash, &current)).await.unwrap_or(false) {
        return Err(Error::BadCredentials);
    }
    let hash = hash_password_blocking(new).await;
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE accounts SET password_hash = $2, sessions_since = $3 WHERE id = $1")
        .bind(actor.account_id)
        .bind(hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "change_password",
        "account",
        Some(actor.account_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
