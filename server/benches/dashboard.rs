//! The dashboards' server time: a city of 20,000 secretaries (10 districts of 50 townships of
//! 40) with generated history, measured at 30, 180 and 365 days of it, and the demo city with
//! its lived-in year. For each: the refresher's cost (the whole city, and one posting after a
//! push), the district dashboard, the city dashboard and a unit's view (each with its JSON,
//! charts drawn), and the size of the district dashboard's page as the browser receives it.
//!
//! `cargo xtask bench` runs it; results go to `docs/benchmarks.md`.

mod common;

use std::time::Instant;

use axum::body::Body;
use axum::http::{header, Method, Request};
use common::{city, files, history, percentile};
use domain::dashboard::Period;
use domain::{Actor, Lang, Role, Scope};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

const DISTRICTS: i64 = 10;
const TOWNSHIPS: i64 = 50;
const PER_TOWNSHIP: i64 = 40;
const RUNS: usize = 40;

async fn timed<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await;
        times.push(started.elapsed());
    }
    (percentile(times.clone(), 0.5), percentile(times, 0.95))
}

/// The district dashboard's page as a browser gets it (brotli), logged in as `user`.
async fn page_bytes(pool: &PgPool, user: &str, password: &str) -> (usize, usize) {
    let site = std::env::temp_dir().join(format!("zhucun-bench-site-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    let config = server::Config {
        database_url: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: site.to_string_lossy().into_owned(),
        public_url: None,
        session_hours: 12,
        secret_file: Default::default(),
        skip_migrations: true,
        db_connections: 5,
        files: Default::default(),
        replica_url: None,
    };
    let router = server::router(
        server::Stores::new(pool.clone(), files()),
        &config,
        domain::evaluation::ballot::CodeKey::new([7; 32]),
    );
    let login = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password={password}")))
        .unwrap();
    let res = router.clone().oneshot(login).await.unwrap();
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    let mut sizes = [0, 0];
    for (i, encoding) in ["identity", "br"].iter().enumerate() {
        let req = Request::builder()
            .uri("/dashboard")
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_ENCODING, *encoding)
            .body(Body::empty())
            .unwrap();
        let res = router.clone().oneshot(req).await.unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        sizes[i] = res.into_body().collect().await.unwrap().to_bytes().len();
    }
    (sizes[0], sizes[1])
}

/// The three dashboards' server times, for the district and unit given.
async fn dashboards(pool: &PgPool, city_id: i64, district: i64, unit: i64) -> [(f64, f64); 3] {
    let dept = Actor { account_id: 0, role: Role::DeptAdmin, scope: Scope::District(district) };
    let city = Actor { account_id: 0, role: Role::DeptAdmin, scope: Scope::City(city_id) };
    let viewer = Actor { account_id: 0, role: Role::UnitViewer, scope: Scope::Unit(unit) };
    let page = |actor: Actor| async move {
        let d = db::dashboard::dashboard(pool, &actor, None, Period::Month).await.unwrap();
        let page = app::charts::dashboard_page(d, Lang::Zh);
        assert!(!page.dashboard.rows.is_empty());
        let _ = serde_json::to_vec(&page).unwrap();
    };
    [
        timed(RUNS, || page(dept)).await,
        timed(RUNS, || page(city)).await,
        timed(RUNS, || async {
            let rows = db::dashboard::followed(pool, &viewer).await.unwrap();
            assert!(!rows.is_empty());
            let _ = serde_json::to_vec(&rows).unwrap();
        })
        .await,
    ]
}

/// The refresher over everything (seconds), then for one posting queued by a push (ms, p50).
async fn refresher(pool: &PgPool) -> (f64, usize, f64) {
    sqlx::query("SELECT dashboard_enqueue(ARRAY(SELECT id FROM postings))").execute(pool).await.unwrap();
    let started = Instant::now();
    let n = db::dashboard::refresh_all(pool).await.unwrap();
    let all = started.elapsed().as_secs_f64();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    let one = timed(RUNS, || async {
        sqlx::query("SELECT dashboard_enqueue(ARRAY[(SELECT min(id) FROM postings)])").execute(pool).await.unwrap();
        assert_eq!(db::dashboard::refresh(pool, 500).await.unwrap(), 1);
    })
    .await;
    (all, n, one.0)
}

/// Whose dashboards are measured: a city, one of its districts (and its department's login) and
/// one of the district's units.
struct Measured {
    city: i64,
    district: i64,
    unit: i64,
    login: (&'static str, &'static str),
}

/// One line of the table: the refresher, the three dashboards, the district's page.
async fn measure(pool: &PgPool, label: &str, m: Measured) {
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(pool).await.unwrap();
    let (all, n, one) = refresher(pool).await;
    let [d, c, u] = dashboards(pool, m.city, m.district, m.unit).await;
    let (raw, br) = page_bytes(pool, m.login.0, m.login.1).await;
    println!(
        "| {label} | {records} | {all:.1} s ({n} postings, {:.0}/s) | {one:.1} ms | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.0} / {:.1} KB |",
        n as f64 / all,
        d.0,
        d.1,
        c.0,
        c.1,
        u.0,
        u.1,
        raw as f64 / 1000.0,
        br as f64 / 1000.0
    );
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let pool = db::testing::fresh_database().await;
    let districts = city(&pool, DISTRICTS, TOWNSHIPS, PER_TOWNSHIP).await;
    let city_id: i64 = sqlx::query_scalar("SELECT id FROM cities").fetch_one(&pool).await.unwrap();
    let unit: i64 = sqlx::query_scalar("SELECT min(id) FROM units WHERE district_id = $1")
        .bind(districts[0])
        .fetch_one(&pool)
        .await
        .unwrap();
    let hash = db::auth::hash_password("bench-password-1");
    sqlx::query("INSERT INTO accounts (username, display_name, password_hash, role, district_id) VALUES ('bench.zzb', '组织部', $1, 'dept_admin', $2)")
        .bind(&hash)
        .bind(districts[0])
        .execute(&pool)
        .await
        .unwrap();
    println!("| history | field records | full refresh | one posting | district p50 / p95 | city p50 / p95 | unit p50 / p95 | district page (raw / brotli) |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut done = 0;
    for days in [30, 180, 365] {
        history(&pool, done, days - 1).await;
        done = days;
        let m = Measured { city: city_id, district: districts[0], unit, login: ("bench.zzb", "bench-password-1") };
        measure(&pool, &format!("{days} days"), m).await;
    }

    // The demo city with its lived-in year (as `cargo xtask run` seeds it).
    let demo = db::testing::fresh_database().await;
    db::seed::demo(&demo).await.unwrap();
    db::seed::history(&demo, chrono::Utc::now()).await.unwrap();
    let one = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&demo);
    let m = Measured {
        city: one("SELECT id FROM cities").await.unwrap(),
        district: one("SELECT id FROM districts WHERE name = '峄城区'").await.unwrap(),
        unit: one("SELECT unit_id FROM accounts WHERE username = 'dw.jiaoti'").await.unwrap(),
        login: ("zzb", db::seed::DEMO_PASSWORD),
    };
    measure(&demo, "demo city (峄城区, lived-in year)", m).await;
    eprintln!("(generated and measured in {:.0} s)", started.elapsed().as_secs_f64());
}
