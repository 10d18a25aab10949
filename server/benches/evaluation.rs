//! The year-end evaluation's server time: a district's year computed from its records (every
//! secretary's facts counted, scored, ranked, stored), the recomputation that verifies a
//! frozen result, the department's ranking page and a secretary's dossier. Districts of 200 secretaries (峄城区 has 171)
//! and of 2,000, each with a year of generated history, every assessor item scored and a
//! survey counted.
//!
//! `cargo xtask bench` runs it; results go to `docs/benchmarks.md`.

mod common;

use std::time::Instant;

use chrono::Datelike;
use common::{history, organisation, percentile};
use domain::{Actor, Role, Scope};
use rand::{Rng, SeedableRng};
use sqlx::PgPool;

const COMPUTE_RUNS: usize = 5;
const DOSSIER_RUNS: usize = 50;

/// Every posting scored on the four Jiaozhou judged items, with a valid survey.
async fn assessments(pool: &PgPool, year: i32) {
    let assessor: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, password_hash, role, district_id)
         SELECT 'bench.dept', '考核组', 'x', 'dept_admin', min(id) FROM districts RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO evaluation_assessments (posting_id, year, item, points, reason, evidence, assessor_id)
         SELECT p.id, $1, i, -floor(random() * 3), '查阅台账', '台账', $2
           FROM postings p, unnest(ARRAY['B1.1', 'D1.1', 'D4.1', 'D4.2']) i",
    )
    .bind(year)
    .bind(assessor)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO surveys (posting_id, year, eligible, very_satisfied, satisfied, basically_satisfied, dissatisfied, opened_by)
         SELECT p.id, $1, 30, 10 + floor(random() * 8), 6, 3, 1, $2 FROM postings p",
    )
    .bind(year)
    .bind(assessor)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}

async fn measure(townships: i64, per_township: i64) {
    let pool = db::testing::fresh_database().await;
    let district = organisation(&pool, townships, per_township).await;
    history(&pool, 0, 364).await;
    let year = chrono::Utc::now().year();
    assessments(&pool, year).await;
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&pool).await.unwrap();
    let actor = Actor { account_id: 1, role: Role::DeptAdmin, scope: Scope::District(district) };

    let mut compute = Vec::new();
    for _ in 0..COMPUTE_RUNS {
        let started = Instant::now();
        db::evaluation::compute(&pool, &actor, district, year, domain::evaluation::EvaluationStage::Year)
            .await
            .unwrap();
        compute.push(started.elapsed());
    }
    let graded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM evaluation_runs r, jsonb_array_elements(r.output->'results') x WHERE x ? 'grade'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(graded, townships * per_township, "every secretary graded");
    let mut verify = Vec::new();
    for _ in 0..COMPUTE_RUNS {
        let started = Instant::now();
        assert!(db::evaluation::verify(&pool, &actor, district, year, domain::evaluation::EvaluationStage::Year)
            .await
            .unwrap());
        verify.push(started.elapsed());
    }
    let mut ranking = Vec::new();
    for _ in 0..COMPUTE_RUNS {
        let started = Instant::now();
        let runs =
            db::evaluation::runs(&pool, &actor, year, domain::evaluation::EvaluationStage::Year, false).await.unwrap();
        let _ = serde_json::to_vec(&runs).unwrap();
        ranking.push(started.elapsed());
    }
    let postings: Vec<i64> = sqlx::query_scalar("SELECT id FROM postings").fetch_all(&pool).await.unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut dossier = Vec::new();
    for _ in 0..DOSSIER_RUNS {
        let p = postings[rng.gen_range(0..postings.len())];
        let started = Instant::now();
        let d = db::evaluation::dossier(&pool, &actor, p, year).await.unwrap();
        let _ = serde_json::to_vec(&d).unwrap();
        dossier.push(started.elapsed());
        assert!(d.score.is_ok());
    }
    println!(
        "| {} | {records} | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.1} ms | {:.1} ms |",
        townships * per_township,
        percentile(compute.clone(), 0.5),
        percentile(compute, 1.0),
        percentile(verify, 0.5),
        percentile(ranking, 0.5),
        percentile(dossier.clone(), 0.5),
        percentile(dossier, 0.95)
    );
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    println!(
        "| secretaries | field records (a year) | compute p50 | compute max | verify p50 | ranking page p50 | dossier p50 | dossier p95 |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    measure(10, 20).await;
    measure(50, 40).await;
    eprintln!("(generated and measured in {:.0} s)", started.elapsed().as_secs_f64());
}
