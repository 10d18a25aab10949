//! Fresh databases for tests: each test gets its own, migrated, on the server that
//! `ZHUCUN_TEST_DATABASE_URL` names (`cargo xtask test` starts one and sets it).

use sqlx::{Connection, PgConnection, PgPool};

/// Creates and migrates a new database with a unique name and returns a pool on it.
pub async fn fresh_database() -> PgPool {
    let admin_url = std::env::var("ZHUCUN_TEST_DATABASE_URL")
        .expect("ZHUCUN_TEST_DATABASE_URL must name a PostgreSQL server (cargo xtask test starts one)");
    let name = format!("zhucun_t_{}_{}", std::process::id(), rand::random::<u32>());
    let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the test server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create a test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
    let pool = crate::connect(&format!("{base}/{name}"), 5).await.expect("connect to the test database");
    crate::MIGRATOR.run(&pool).await.expect("migrate the test database");
    pool
}
