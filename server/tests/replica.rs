//! A read replica for dashboards (issue 16): with a streaming standby configured, the
//! department's dashboard is read from it (and says so, with the moment its data is of) and
//! catches up with a push, which is written to the primary. The standby is a real one, made by
//! `cargo xtask test` with `pg_basebackup` from the tests' cluster (`ZHUCUN_TEST_REPLICA_URL`).

mod common;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::Utc;
use common::*;
use domain::dashboard::Dashboard;
use serde_json::{json, Value};

/// The URL of `database` on the tests' standby.
fn on_standby(database: &str) -> String {
    let standby = std::env::var("ZHUCUN_TEST_REPLICA_URL").expect(
        "ZHUCUN_TEST_REPLICA_URL: the tests' standby, started by `cargo xtask test` or `cargo xtask pg-start --test`",
    );
    let (base, _) = standby.rsplit_once('/').unwrap();
    format!("{base}/{database}")
}

/// Waits until the standby has replayed everything the primary has written so far.
async fn caught_up(primary: &db::PgPool, standby: &db::PgPool) {
    let lsn: String = sqlx::query_scalar("SELECT pg_current_wal_lsn()::text").fetch_one(primary).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let replayed: bool = sqlx::query_scalar("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn")
            .bind(&lsn)
            .fetch_one(standby)
            .await
            .unwrap();
        if replayed {
            return;
        }
        assert!(Instant::now() < deadline, "the standby did not replay {lsn} within 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn dashboard(app: &TestApp, cookie: &str) -> Dashboard {
    let res = app.post("/api/department_dashboard", "period=today", Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page: Value = serde_json::from_str(&res.body).unwrap();
    serde_json::from_value(page["dashboard"].clone()).unwrap()
}

#[tokio::test]
async fn the_dashboard_is_read_from_the_standby_and_catches_up_after_a_push() {
    let primary = TestApp::new().await;
    let org = seed_org(&primary.pool).await;
    db::dashboard::refresh_all(&primary.pool).await.unwrap();
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&primary.pool).await.unwrap();
    // The new database reaches the standby by replay, like everything else.
    let deadline = Instant::now() + Duration::from_secs(30);
    let reads = loop {
        match db::connect(&on_standby(&name), 2).await {
            Ok(pool) => break pool,
            Err(e) => assert!(Instant::now() < deadline, "the database never reached the standby: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    caught_up(&primary.pool, &reads).await;
    let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(&reads).await.unwrap();
    assert!(in_recovery, "a real standby");

    let mut stores = server::Stores::new(primary.pool.clone(), primary.files.clone());
    stores.reads = reads.clone();
    let app = TestApp {
        router: server::router(stores, &config(), key()),
        pool: primary.pool.clone(),
        files: primary.files.clone(),
    };
    let dept = app.login("dept1", PASSWORD).await;
    let own = |d: &Dashboard| d.rows.iter().find(|r| r.id == org.own.township).unwrap().totals.present_today;
    let before = dashboard(&app, &dept).await;
    assert!(before.replica_as_of.is_some(), "read from the standby, which says how current it is");
    assert_eq!(own(&before), 0);
    let page = app.get("/dashboard", Some(&dept)).await;
    assert!(page.body.contains("数据同步至"), "the page shows how current the standby is");

    // A check-in is written to the primary and reaches the dashboard once the standby has it.
    let sec = app.login("sec.jia", PASSWORD).await;
    let pushed_at = Utc::now();
    let check_in = json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": pushed_at, "kind": "check_in",
        "body": { "village_id": org.own.village, "lat": 34.7, "lon": 117.5, "accuracy_m": 12.0, "offline": false } });
    push(&app, &sec, vec![check_in]).await;
    assert_eq!(db::dashboard::refresh(&primary.pool, 100).await.unwrap(), 1);
    let deadline = Instant::now() + Duration::from_secs(30);
    let after = loop {
        let d = dashboard(&app, &dept).await;
        if own(&d) == 1 {
            break d;
        }
        assert!(Instant::now() < deadline, "the standby never showed the push");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let as_of = after.replica_as_of.expect("still read from the standby");
    assert!(as_of >= pushed_at - chrono::Duration::seconds(1), "its data is of after the push: {as_of} vs {pushed_at}");

    // Without a standby, the same dashboard is read from the primary and says nothing of one.
    let plain = dashboard(&primary, &primary.login("dept1", PASSWORD).await).await;
    assert_eq!((own(&plain), plain.replica_as_of), (1, None));
}
