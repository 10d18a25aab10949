//! The attendance board's server time: a district of 10,000 secretaries (250 townships of 40)
//! with generated history, measured at 30, 180 and 365 days of it. For each size: the township
//! board (`db::attendance::board`, serialised to JSON as the server sends it) for random
//! townships, and the district's monthly attendance summary (`db::reports::month`).
//!
//! `cargo xtask bench` runs it; results go to `docs/benchmarks.md`.

mod common;

use std::time::Instant;

use common::{history, organisation, percentile};
use domain::{Actor, Role, Scope};
use rand::{Rng, SeedableRng};
use sqlx::PgPool;

const TOWNSHIPS: i64 = 250;
const PER_TOWNSHIP: i64 = 40;
const BOARD_RUNS: usize = 200;
const SUMMARY_RUNS: usize = 20;

async fn measure(pool: &PgPool, district: i64, days: i32) {
    let actor = Actor { account_id: 0, role: Role::DeptAdmin, scope: Scope::District(district) };
    let townships: Vec<i64> = sqlx::query_scalar("SELECT id FROM townships ORDER BY id").fetch_all(pool).await.unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(days as u64);
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(pool).await.unwrap();
    let mut board = Vec::new();
    for _ in 0..BOARD_RUNS {
        let t = townships[rng.gen_range(0..townships.len())];
        let started = Instant::now();
        let b = db::attendance::board(pool, &actor, t).await.unwrap();
        let json = serde_json::to_vec(&b).unwrap();
        board.push(started.elapsed());
        assert_eq!(b.rows.len() as i64, PER_TOWNSHIP, "{}", json.len());
    }
    let month = chrono::Utc::now().date_naive().format("%Y-%m").to_string();
    let first = db::reports::parse_month(&month).unwrap();
    let mut summary = Vec::new();
    for _ in 0..SUMMARY_RUNS {
        let started = Instant::now();
        let lines = db::reports::month(pool, &actor, None, None, first).await.unwrap();
        let _ = serde_json::to_vec(&lines).unwrap();
        summary.push(started.elapsed());
        assert_eq!(lines.len() as i64, TOWNSHIPS * PER_TOWNSHIP);
    }
    println!(
        "| {days} days | {records} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
        percentile(board.clone(), 0.5),
        percentile(board, 0.95),
        percentile(summary.clone(), 0.5),
        percentile(summary, 0.95)
    );
}

#[tokio::main]
async fn main() {
    let pool = db::testing::fresh_database().await;
    let started = Instant::now();
    let district = organisation(&pool, TOWNSHIPS, PER_TOWNSHIP).await;
    println!("| history | field records | township board p50 | township board p95 | district summary p50 | district summary p95 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut done = 0;
    for days in [30, 180, 365] {
        history(&pool, done, days - 1).await;
        done = days;
        measure(&pool, district, days).await;
    }
    eprintln!("(generated and measured in {:.0} s)", started.elapsed().as_secs_f64());
}
