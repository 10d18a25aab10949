//! What one phone's polling costs the server (issue 15): every 2 minutes an open field app asks
//! for its reference data. Before, the server computed the whole reference each time (the year's
//! projection from every record); now the phone sends the tag of what it holds and the server
//! answers 304 unless something changed, and the roll calls come from `/sync/live`. Measured on a
//! district of 400 secretaries with a year of generated history, for random secretaries: the
//! whole reference (`db::reference::reference`, serialised as sent) against the poll that finds
//! nothing changed (`db::reference::version` and `db::reference::live`).
//!
//! `cargo xtask bench` runs it; results go to `docs/benchmarks.md`.

mod common;

use std::time::Instant;

use common::{history, organisation, percentile};
use domain::{Actor, Role, Scope};
use rand::{Rng, SeedableRng};

const TOWNSHIPS: i64 = 20;
const PER_TOWNSHIP: i64 = 20;
const RUNS: usize = 300;

#[tokio::main]
async fn main() {
    let pool = db::testing::fresh_database().await;
    organisation(&pool, TOWNSHIPS, PER_TOWNSHIP).await;
    history(&pool, 0, 364).await;
    let secretaries: Vec<i64> =
        sqlx::query_scalar("SELECT secretary_id FROM postings ORDER BY id").fetch_all(&pool).await.unwrap();
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&pool).await.unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    let (mut full, mut poll) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..RUNS {
        let id = secretaries[rng.gen_range(0..secretaries.len())];
        let actor = Actor { account_id: id, role: Role::Secretary, scope: Scope::Secretary(id) };
        let started = Instant::now();
        let r = db::reference::reference(&pool, &actor).await.unwrap();
        let json = serde_json::to_vec(&r).unwrap();
        full.push(started.elapsed());
        bytes = json.len();
        let started = Instant::now();
        let tag = db::reference::version(&pool, &actor).await.unwrap();
        let live = db::reference::live(&pool, &actor).await.unwrap();
        let _ = serde_json::to_vec(&live).unwrap();
        poll.push(started.elapsed());
        assert_eq!(tag.len(), 32);
    }
    let (f50, f95, p50, p95) =
        (percentile(full.clone(), 0.5), percentile(full, 0.95), percentile(poll.clone(), 0.5), percentile(poll, 0.95));
    println!(
        "{} secretaries, {records} field records (a year), {RUNS} polls of random secretaries:",
        secretaries.len()
    );
    println!("| poll | p50 | p95 | sent |");
    println!("| --- | --- | --- | --- |");
    println!("| whole reference (before) | {f50:.2} ms | {f95:.2} ms | {bytes} B JSON |");
    println!("| tag unchanged: 304 + /sync/live (after) | {p50:.2} ms | {p95:.2} ms | 304, no body; live ~100 B |");
    println!("ratio p50: {:.1}× less server time per poll", f50 / p50);
}
