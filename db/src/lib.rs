//! 驻村通 data layer. Every function that reads or writes on someone's behalf takes the
//! [`domain::Actor`] and filters by its scope in SQL (see [`visible!`]); every change writes
//! to the audit log in the same transaction.

#[macro_use]
mod scope;
pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod commitments;
pub mod dashboard;
mod error;
pub mod evaluation;
pub mod feedback;
pub mod files;
pub mod import;
pub mod mandates;
pub mod monthly;
pub mod org;
pub mod photos;
pub mod postings;
pub mod projects;
pub mod records;
pub mod reference;
pub mod replica;
pub mod reports;
pub mod seed;
pub mod settings;
pub mod sync;
#[cfg(feature = "testing")]
pub mod testing;

use std::time::Duration;

pub use error::Error;
pub use sqlx::PgPool;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The schema migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The application's pool. Every connection runs as `zhucun_app`, the role the migrations
/// create: it reads and writes every table's rows but may only read and append to the audit
/// log, and cannot change the schema or its triggers. Whichever login `url` names: in
/// production one that is only a member of that role (README, "Deploying").
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    pool_options(max_connections).connect(url).await
}

/// A pool like [`connect`]'s that connects when first used: for a standby, which may be
/// restarting when the server starts.
pub fn connect_lazy(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    pool_options(max_connections).connect_lazy(url)
}

fn pool_options(max_connections: u32) -> sqlx::postgres::PgPoolOptions {
    use sqlx::Executor;
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|conn, _| Box::pin(async move { conn.execute("SET ROLE zhucun_app").await.map(drop) }))
}

/// Applies the migrations as the login `url` names: the database's owner.
pub async fn migrate(url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    MIGRATOR.run(&mut conn).await?;
    Ok(conn.close().await?)
}

/// Fails with [`Error::Forbidden`] unless the caller's role may do `action` at all.
pub(crate) fn require(actor: &domain::Actor, action: domain::Action) -> Result<()> {
    if actor.may(action) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Whether the database answers (for `/readyz`).
pub async fn ping(pool: &PgPool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}
