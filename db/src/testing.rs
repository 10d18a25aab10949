//! Fresh databases for tests: each test gets its own, migrated, on the server that
//! `ZHUCUN_TEST_DATABASE_URL` names (`cargo xtask test` starts one and sets it).

use sqlx::{Connection, PgConnection, PgPool};

/// Creates and migrates a new database with a unique name and returns the application's pool
/// on it (as `zhucun_app`, like the server's).
pub async fn fresh_database() -> PgPool {
    let admin_url = std::env::var("ZHUCUN_TEST_DATABASE_URL")
        .expect("ZHUCUN_TEST_DATABASE_URL must name a PostgreSQL server (cargo xtask test starts one)");
    let name = format!("zhucun_t_{}_{}", std::process::id(), rand::random::<u32>());
    let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create a test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
    let url = format!("{base}/{name}");
    crate::migrate(&url).await.expect("migrate the test database");
    crate::connect(&url, 5).await.expect("connect to the test database")
}

/// A pool on the same database as its owner (who runs the migrations), for what the
/// application may not do: changing the schema, rewriting the audit log.
pub async fn owner(app: &PgPool) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with((*app.connect_options()).clone())
        .await
        .expect("connect as the owner")
}
