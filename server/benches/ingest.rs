//! Sync ingest throughput: records per second through the real HTTP server into PostgreSQL
//! (both on this machine), beside a raw `COPY` of the same rows into the same table, and with
//! the dashboard's queue trigger switched off (what keeping the dashboards current costs a push).
//!
//! `cargo xtask bench` runs it (it starts the PostgreSQL cluster and sets
//! `ZHUCUN_TEST_DATABASE_URL`); results go to `docs/benchmarks.md`.

mod common;

use std::io::Write;
use std::time::Instant;

use common::files;
use serde_json::{json, Value};

const CLIENTS: usize = 4;
const BATCHES_PER_CLIENT: usize = 100;
const BATCH: usize = 500;

fn record(i: usize, village: i64, made: chrono::DateTime<chrono::Utc>) -> Value {
    let id = uuid::Uuid::new_v4().to_string();
    let date = made.date_naive();
    match i % 3 {
        0 => json!({ "id": id, "device_time": made, "kind": "check_in",
                     "body": { "village_id": village, "lat": 34.7, "lon": 117.5, "accuracy_m": 12.5, "offline": i.is_multiple_of(2) } }),
        1 => json!({ "id": id, "device_time": made, "kind": "talk",
                     "body": { "with": "villager", "requested_by_villager": true, "date": date,
                               "notes": "村民反映自来水管道老化，夏季经常停水，希望村里协调维修。" } }),
        _ => json!({ "id": id, "device_time": made, "kind": "diary",
                     "body": { "date": date, "tags": ["民生", "基础设施"], "households": [],
                               "text": "走访三组，了解到今年玉米收成较好，但收购价偏低，部分农户有惜售情绪。与村两委商量联系合作社统一收购。" } }),
    }
}

fn gzip(v: &Value) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&serde_json::to_vec(v).unwrap()).unwrap();
    enc.finish().unwrap()
}

#[tokio::main]
async fn main() {
    let pool = db::testing::fresh_database().await;
    db::seed::demo(&pool).await.unwrap();
    let mut config = server::Config {
        database_url: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        public_url: None,
        session_hours: 12,
        secret_file: Default::default(),
        skip_migrations: true,
        db_connections: 10,
        files: Default::default(),
        replica_url: None,
    };
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    config.addr = listener.local_addr().unwrap();
    let app = server::router(
        server::Stores::new(pool.clone(), files()),
        &config,
        domain::evaluation::ballot::CodeKey::new([7; 32]),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let base = format!("http://{}", config.addr);
    let http = reqwest::Client::new();

    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let user = format!("sj{:03}", c + 1);
        let res = http
            .post(format!("{base}/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("username={user}&password={}", db::seed::DEMO_PASSWORD))
            .send()
            .await
            .unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        let village: i64 = sqlx::query_scalar(
            "SELECT p.village_id FROM postings p JOIN accounts a ON a.id = p.secretary_id WHERE a.username = $1",
        )
        .bind(&user)
        .fetch_one(&pool)
        .await
        .unwrap();
        clients.push((cookie, village));
    }
    let total = CLIENTS * BATCHES_PER_CLIENT * BATCH;
    // Roll-call answers, projects and strikes point at records (none here): truncated with them.
    let truncate = "TRUNCATE field_records, roll_call_targets, dashboard_queue CASCADE";

    // Without the dashboard's queue trigger first (the baseline), then as deployed. Triggers
    // and truncation are the owner's.
    let owner = db::testing::owner(&pool).await;
    sqlx::query("ALTER TABLE field_records DISABLE TRIGGER field_records_dashboard").execute(&owner).await.unwrap();
    let without_s = ingest(&http, &base, &clients).await;
    sqlx::query(truncate).execute(&owner).await.unwrap();
    sqlx::query("ALTER TABLE field_records ENABLE TRIGGER field_records_dashboard").execute(&owner).await.unwrap();
    let ingest_s = ingest(&http, &base, &clients).await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&pool).await.unwrap();
    assert_eq!(stored as usize, total);
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM dashboard_queue").fetch_one(&pool).await.unwrap();
    assert_eq!(queued as usize, CLIENTS, "each secretary's posting queued once");

    // The same rows, copied raw into the emptied table.
    const COLUMNS: &str =
        "field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at, clock_skew_s, verdict, offline, district_id)";
    let mut conn = owner.acquire().await.unwrap();
    let mut csv = Vec::new();
    let mut out = conn.copy_out_raw(&format!("COPY {COLUMNS} TO STDOUT WITH (FORMAT csv)")).await.unwrap();
    while let Some(chunk) = futures_util::StreamExt::next(&mut out).await {
        csv.extend_from_slice(&chunk.unwrap());
    }
    drop(out);
    sqlx::query(truncate).execute(&mut *conn).await.unwrap();
    let started = Instant::now();
    let mut copy = conn.copy_in_raw(&format!("COPY {COLUMNS} FROM STDIN WITH (FORMAT csv)")).await.unwrap();
    copy.send(csv.as_slice()).await.unwrap();
    copy.finish().await.unwrap();
    let copy_s = started.elapsed().as_secs_f64();

    let rate = |s: f64| total as f64 / s;
    println!("| records | clients × batch | HTTP ingest | raw COPY | ingest / COPY | ingest without the dashboard queue | with / without |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    println!(
        "| {total} | {CLIENTS} × {BATCH} | {:.0} records/s ({ingest_s:.2} s) | {:.0} records/s ({copy_s:.2} s) | {:.0} % | {:.0} records/s ({without_s:.2} s) | {:.0} % |",
        rate(ingest_s),
        rate(copy_s),
        100.0 * copy_s / ingest_s,
        rate(without_s),
        100.0 * without_s / ingest_s
    );
    println!();
    println!(
        "| the worst push allowed | gzip on the wire | peak memory added: a visitor | a secretary | parsing it whole |"
    );
    println!("| --- | --- | --- | --- | --- |");
    let memory = worst_push(&http, &base, &clients[0].0).await;
    println!(
        "| {:.1} MiB of records made of numbers | {:.0} KiB | {:.0} MiB | {:.0} MiB | {:.0} MiB |",
        memory.0, memory.1, memory.2, memory.3, memory.4
    );
}

/// The process's peak resident memory since the last reset, MiB (`VmHWM`), and a reset.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The largest push the server takes (16 MiB once decompressed) made of what costs most to
/// parse, numbers, sent by a visitor and by a secretary: the peak memory each adds, beside what
/// parsing the whole body as one JSON tree costs (what the server did before it kept records as
/// text). Returns (MiB of JSON, KiB gzip, visitor, secretary, whole-tree) in MiB.
async fn worst_push(http: &reqwest::Client, base: &str, cookie: &str) -> (f64, f64, f64, f64, f64) {
    let numbers = format!("[{}0]", "0,".repeat(8 * 1024 - 1));
    let record = format!(r#"{{"id": "x", "device_time": "2026-11-25T08:00:00Z", "kind": "talk", "body": {numbers}}}"#);
    // As many as a push may carry, each as large as the body allows (16 KiB × 1,000).
    let records = vec![record; domain::sync::MAX_BATCH].join(",");
    let body = format!(r#"{{"device_now": "{}", "records": [{records}]}}"#, chrono::Utc::now().to_rfc3339());
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(body.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let send = |cookie: Option<&str>| {
        let mut req = http
            .post(format!("{base}/sync/push"))
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(gz.clone());
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    let mut added = [0.0; 3];
    for (i, who) in [None, Some(cookie)].into_iter().enumerate() {
        reset_peak();
        let base_line = peak_mib();
        let res = send(who).await.unwrap();
        assert!(res.status().is_client_error() || res.status().is_success(), "{}", res.status());
        let _ = res.bytes().await;
        added[i] = peak_mib() - base_line;
    }
    reset_peak();
    let base_line = peak_mib();
    let tree: Value = serde_json::from_str(&body).unwrap();
    added[2] = peak_mib() - base_line;
    drop(tree);
    (body.len() as f64 / 1048576.0, gz.len() as f64 / 1024.0, added[0], added[1], added[2])
}

/// Pushes every client's batches (prepared before the clock starts; one client per secretary,
/// all at once) and returns the seconds it took.
async fn ingest(http: &reqwest::Client, base: &str, clients: &[(String, i64)]) -> f64 {
    let made = chrono::Utc::now() - chrono::Duration::hours(1);
    let prepared: Vec<(String, Vec<Vec<u8>>)> = clients
        .iter()
        .map(|(cookie, village)| {
            let batches = (0..BATCHES_PER_CLIENT)
                .map(|b| {
                    let records: Vec<Value> = (0..BATCH).map(|i| record(b * BATCH + i, *village, made)).collect();
                    gzip(&json!({ "device_now": chrono::Utc::now(), "records": records }))
                })
                .collect();
            (cookie.clone(), batches)
        })
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (cookie, batches) in prepared {
        let (http, url) = (http.clone(), format!("{base}/sync/push"));
        tasks.push(tokio::spawn(async move {
            for body in batches {
                let res = http
                    .post(&url)
                    .header("cookie", &cookie)
                    .header("content-type", "application/json")
                    .header("content-encoding", "gzip")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(res.status().is_success(), "{}", res.text().await.unwrap());
                let answer: Value = res.json().await.unwrap();
                assert!(answer["acks"].as_array().unwrap().iter().all(|a| a["status"] == "stored"));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed().as_secs_f64()
}
