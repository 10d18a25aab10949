//! Fresh databases for tests: each test gets its own, migrated, on the server that
//! `ZHUCUN_TEST_DATABASE_URL` names (`cargo xtask test` starts one and sets it).

use sqlx::{Connection, PgConnection, PgPool};

fn admin_url() -> String {
    std::env::var("ZHUCUN_TEST_DATABASE_URL")
        .expect("ZHUCUN_TEST_DATABASE_URL must name a PostgreSQL server (cargo xtask test starts one)")
}

/// The URL of the test server's database `name` (its owner's login).
fn database_url(name: &str) -> String {
    let admin = admin_url();
    let (base, _) = admin.rsplit_once('/').expect("URL with a database name");
    format!("{base}/{name}")
}

/// Creates a new, empty database with a unique name (not migrated: what a restore goes into)
/// and returns its URL.
pub async fn empty_database() -> String {
    let name = format!("zhucun_t_{}_{}", std::process::id(), rand::random::<u32>());
    let mut admin = PgConnection::connect(&admin_url()).await.expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create a test database");
    database_url(&name)
}

/// Creates and migrates a new database with a unique name and returns the application's pool
/// on it (as `zhucun_app`, like the server's).
pub async fn fresh_database() -> PgPool {
    let url = empty_database().await;
    crate::migrate(&url).await.expect("migrate the test database");
    crate::connect(&url, 5).await.expect("connect to the test database")
}

/// The owner's URL of the database `app` is on (for `pg_dump` and the like).
pub async fn url_of(app: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(app).await.expect("its name");
    database_url(&name)
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
