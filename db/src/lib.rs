//! 驻村通 data layer. Every function that reads or writes on someone's behalf takes the
//! [`domain::Actor`] and filters by its scope in SQL (see [`visible!`]); every change writes
//! to the audit log in the same transaction.

#[macro_use]
mod scope;
pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod dashboard;
mod error;
pub mod evaluation;
pub mod import;
pub mod org;
pub mod postings;
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

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
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
