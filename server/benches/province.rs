//! A province's evening on one machine (issue 16): the release server, started as it is
//! deployed, against a database of 20,000 secretaries with their history, under the mixed load
//! of a province's evening peak, then the same load at 2×, 3×, … until it saturates.
//!
//! - **Phones**: each of the 20,000 open field apps polls every ~2 min 10 s (its 2-minute
//!   reference age checked on a 20-second tick): `GET /sync/reference` with the tag it holds
//!   (304), then `GET /sync/live`.
//! - **The evening push**: 40 % of a day's records in 2 hours. Each of 8,000 secretaries sends
//!   the day in one push (a check-in, a diary with 2 photos, a talk: 3 records), gzipped as the
//!   app sends it, uploads the 2 photos (200 KB each: ~8 GB a day for the province), then reads
//!   its reference whole (its tag changed).
//! - **300 township supervisors** hold the live board's event stream and reload the board when
//!   it says their township changed, at most once every 10 s (as the page does).
//! - **20 district dashboards** likewise on `dashboard` events.
//!
//! Arrivals are open-loop (Poisson; an arrival's first request is timed from when it was due, so
//! a slow server cannot slow the load down and hide its own queue; the requests after it, from
//! when they were sent). Every response is read to its end, compressed as the server sends it to
//! browsers and the app; a request unanswered after 30 s failed. A step is saturated when a
//! route's p95 (over at least 20 requests) passes 1 s, more than 1 % of requests fail, or the
//! client had to shed load.
//!
//! `cargo xtask bench` runs it; results go to `docs/benchmarks.md`.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use rand::{Rng, SeedableRng};
use reqwest::{header, Client, StatusCode};
use sha2::Digest;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

const DISTRICTS: i64 = 20;
const TOWNSHIPS: i64 = 50;
const PER_TOWNSHIP: i64 = 20;
/// Days of history behind the evening.
const HISTORY_DAYS: i32 = 182;
const SUPERVISORS: usize = 300;
/// The field app's poll: a 2-minute age checked every 20 s.
const POLL_EVERY_S: f64 = 130.0;
/// 40 % of the secretaries push their day in the 2 peak hours.
const PUSHES_PER_S: f64 = 20_000.0 * 0.4 / 7_200.0;
const PHOTO_BYTES: usize = 200 * 1024;
const STEP: Duration = Duration::from_secs(45);
/// A route's p95 decides saturation once it has this many requests in a step (one slow request
/// of a rare kind is not a p95).
const MIN_SAMPLES: f64 = 20.0;
const WARM_UP: Duration = Duration::from_secs(15);
const LEVELS: [f64; 8] = [1.0, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0, 12.0];
/// A request not answered by then failed (the phone gives up too).
const TIMEOUT: Duration = Duration::from_secs(30);
/// Requests the client lets wait at once before it counts the server as saturated.
const IN_FLIGHT: usize = 2_000;
const ADDR: &str = "127.0.0.1:3300";
/// The kernel's clock ticks per second in `/proc/*/stat` (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// One secretary's phone.
struct Phone {
    cookie: String,
    village: i64,
    at: (f64, f64),
    tag: Mutex<String>,
}

/// What was asked, when the arrival it belongs to was due (which step it counts in), how long it
/// took and whether it succeeded.
struct Sample {
    route: &'static str,
    arrival: Instant,
    took: Duration,
    ok: bool,
}

struct Load {
    client: Client,
    base: String,
    phones: Vec<Phone>,
    samples: Mutex<Vec<Sample>>,
    shed: AtomicU64,
    photo: Vec<u8>,
    photos_sent: AtomicU64,
    in_flight: Arc<tokio::sync::Semaphore>,
}

impl Load {
    /// A request of the arrival due at `arrival`, timed from `started` (the arrival's first
    /// request from when it was due, the ones after it from when they were sent).
    fn note(&self, route: &'static str, arrival: Instant, started: Instant, ok: bool) {
        self.samples.lock().unwrap().push(Sample { route, arrival, took: started.elapsed(), ok });
    }

    /// A poll: the reference with the tag held (304 unless something changed), then the live part.
    async fn poll(&self, phone: &Phone, due: Instant) {
        let tag = phone.tag.lock().unwrap().clone();
        let res = self.get("/sync/reference", phone).header(header::IF_NONE_MATCH, tag).send().await;
        match res.as_ref().map(|r| r.status()) {
            Ok(StatusCode::NOT_MODIFIED) => {
                let ok = read_reference(res, StatusCode::NOT_MODIFIED, phone).await;
                self.note("GET /sync/reference (304, the poll)", due, due, ok)
            }
            Ok(StatusCode::OK) => {
                let ok = read_reference(res, StatusCode::OK, phone).await;
                self.note("GET /sync/reference (200, changed)", due, due, ok)
            }
            _ => return self.note("GET /sync/reference (304, the poll)", due, due, false),
        }
        let started = Instant::now();
        let ok = read(self.get("/sync/live", phone).send().await, StatusCode::OK).await;
        self.note("GET /sync/live", due, started, ok);
    }

    /// The evening's push of a day: the records, their photos, then the reference whole.
    async fn push(&self, phone: &Phone, due: Instant) {
        let photos: Vec<Vec<u8>> = (0..2).map(|_| self.fresh_photo()).collect();
        let hashes: Vec<String> = photos.iter().map(|p| format!("{:x}", sha2::Sha256::digest(p))).collect();
        let body = gzip(&serde_json::json!({ "device_now": chrono::Utc::now(), "records": day(phone, &hashes) }));
        let res = self
            .client
            .post(format!("{}/sync/push", self.base))
            .header(header::COOKIE, &phone.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_ENCODING, "gzip")
            .timeout(TIMEOUT)
            .body(body)
            .send()
            .await;
        let stored = match res {
            Ok(r) if r.status() == StatusCode::OK => r.text().await.is_ok_and(|t| t.matches("\"stored\"").count() == 3),
            _ => false,
        };
        self.note("POST /sync/push (3 records)", due, due, stored);
        for (bytes, hash) in photos.into_iter().zip(&hashes) {
            let started = Instant::now();
            let res = self
                .client
                .put(format!("{}/sync/photos/{hash}", self.base))
                .header(header::COOKIE, &phone.cookie)
                .header(header::CONTENT_TYPE, "image/jpeg")
                .timeout(TIMEOUT)
                .body(bytes)
                .send()
                .await;
            let ok = read(res, StatusCode::CREATED).await;
            self.note("PUT /sync/photos (200 KB)", due, started, ok);
        }
        let started = Instant::now();
        let ok = read_reference(self.get("/sync/reference", phone).send().await, StatusCode::OK, phone).await;
        self.note("GET /sync/reference (200, after a push)", due, started, ok);
    }

    fn get(&self, path: &str, phone: &Phone) -> reqwest::RequestBuilder {
        self.client.get(format!("{}{path}", self.base)).header(header::COOKIE, &phone.cookie).timeout(TIMEOUT)
    }

    /// A photo of its own: the same bytes with a counter, so that every hash is new.
    fn fresh_photo(&self) -> Vec<u8> {
        let n = self.photos_sent.fetch_add(1, Ordering::Relaxed);
        let mut bytes = self.photo.clone();
        bytes[4..12].copy_from_slice(&n.to_le_bytes());
        bytes
    }

    /// Runs `work` for arrivals at `rate` a second until `end`, each on a task of its own.
    async fn arrivals<F, Fut>(self: &Arc<Self>, rate: f64, end: Instant, seed: u64, work: F)
    where
        F: Fn(Arc<Load>, usize, Instant) -> Fut + Send + Sync + 'static + Clone,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut due = Instant::now();
        loop {
            due += Duration::from_secs_f64(-(1.0 - rng.gen::<f64>()).ln() / rate);
            if due >= end {
                return;
            }
            tokio::time::sleep_until(due.into()).await;
            let Ok(permit) = self.in_flight.clone().try_acquire_owned() else {
                self.shed.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let (load, work, phone) = (self.clone(), work.clone(), rng.gen_range(0..self.phones.len()));
            tokio::spawn(async move {
                work(load, phone, due).await;
                drop(permit);
            });
        }
    }
}

/// Whether `res` came with status `want`, its body read to the end as the app reads it.
async fn read(res: reqwest::Result<reqwest::Response>, want: StatusCode) -> bool {
    let Ok(res) = res else { return false };
    let status = res.status();
    res.bytes().await.is_ok() && status == want
}

/// [`read`] of the reference, its tag kept by the phone.
async fn read_reference(res: reqwest::Result<reqwest::Response>, want: StatusCode, phone: &Phone) -> bool {
    if let Some(tag) = res.as_ref().ok().and_then(|r| r.headers().get(header::ETAG)?.to_str().ok()) {
        *phone.tag.lock().unwrap() = tag.to_owned();
    }
    read(res, want).await
}

/// A secretary's day as the phone queued it.
fn day(phone: &Phone, photos: &[String]) -> serde_json::Value {
    let now = chrono::Utc::now();
    let today = (now + chrono::Duration::hours(8)).date_naive();
    let id = || uuid::Uuid::new_v4().to_string();
    serde_json::json!([
        { "id": id(), "device_time": now - chrono::Duration::hours(10), "kind": "check_in",
          "body": { "village_id": phone.village, "lat": phone.at.0, "lon": phone.at.1, "accuracy_m": 12.0, "offline": true } },
        { "id": id(), "device_time": now - chrono::Duration::hours(4), "kind": "diary",
          "body": { "date": today, "text": "走访农户，了解冬季取暖和用水情况。", "tags": ["民生"], "households": [], "photos": photos } },
        { "id": id(), "device_time": now - chrono::Duration::hours(2), "kind": "talk",
          "body": { "with": "villager", "requested_by_villager": true, "date": today, "notes": "问低保政策" } },
    ])
}

fn gzip(value: &serde_json::Value) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(value.to_string().as_bytes()).unwrap();
    e.finish().unwrap()
}

/// A live page's reader: holds the event stream and reloads `page` when `event` comes, at most
/// once every 10 s (as `LiveRefresh` does); loads it once at the start.
async fn watch(load: Arc<Load>, cookie: String, event: &'static str, page: &'static str, stop: Instant) {
    let min_age = Duration::from_secs(10);
    let started = Instant::now() + Duration::from_secs_f64(rand::random::<f64>() * 10.0);
    let mut due = Some(started);
    let mut loaded = started;
    let res = load.client.get(format!("{}/events/attendance", load.base)).header(header::COOKIE, &cookie).send().await;
    let Ok(res) = res.and_then(|r| r.error_for_status()) else {
        let now = Instant::now();
        return load.note("GET /events/attendance", now, now, false);
    };
    let mut stream = res.bytes_stream().map_err(std::io::Error::other);
    let mut text = String::new();
    loop {
        let wake = due.unwrap_or(stop).min(stop);
        tokio::select! {
            chunk = stream.next() => {
                let Some(Ok(chunk)) = chunk else {
                    let now = Instant::now();
                    return load.note("GET /events/attendance", now, now, false);
                };
                text.push_str(&String::from_utf8_lossy(&chunk));
                let heard = text.lines().any(|l| l.trim() == format!("event: {event}"));
                if let Some(end) = text.rfind('\n') { text.drain(..=end); }
                if heard && due.is_none() {
                    due = Some((loaded + min_age).max(Instant::now()));
                }
            }
            _ = tokio::time::sleep_until(wake.into()) => {
                if Instant::now() >= stop {
                    return;
                }
                let at = due.take().unwrap_or_else(Instant::now);
                loaded = Instant::now();
                let res = load.client.get(format!("{}{page}", load.base)).header(header::COOKIE, &cookie)
                    .timeout(TIMEOUT).send().await;
                let ok = read(res, StatusCode::OK).await;
                load.note(if page == "/township" { "GET /township (the board)" } else { "GET /dashboard" }, at, at, ok);
            }
        }
    }
}

/// The fields of `/proc/<pid>/stat` after the command's closing parenthesis (the state first).
fn stat(pid: u32) -> Option<Vec<u64>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = text.rsplit_once(')')?.1;
    // The state is a letter: read as 0.
    Some(rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect())
}

/// CPU seconds used so far by process `pid` (utime + stime), with its waited-for children's
/// (cutime + cstime) when `children` is set.
fn cpu(pid: u32, children: bool) -> f64 {
    let fields = if children { 11..15 } else { 11..13 };
    stat(pid).map_or(0.0, |f| f.get(fields).map_or(0, |t| t.iter().sum::<u64>()) as f64 / TICKS)
}

/// CPU seconds used so far by the PostgreSQL server: the postmaster, its backends and workers
/// alive now (listed anew each time: the pool and autovacuum start some during a step), and
/// those that have ended (counted in the postmaster's children's time once reaped).
fn cpu_postgres(postmaster: u32) -> f64 {
    let mut total = cpu(postmaster, true);
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        if stat(pid).and_then(|f| f.get(1).copied()) == Some(u64::from(postmaster)) {
            total += cpu(pid, false);
        }
    }
    total
}

/// Sessions as a login leaves them, for `accounts` (id, logged in now): their cookies.
async fn sessions(pool: &db::PgPool, accounts: &[i64]) -> Vec<String> {
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    let now = chrono::Utc::now();
    futures_util::stream::iter(accounts)
        .map(|&account| {
            let store = store.clone();
            async move {
                let data = HashMap::from([
                    (app::server::SESSION_ACCOUNT.to_string(), serde_json::json!(account)),
                    (app::server::SESSION_SINCE.to_string(), serde_json::json!(now)),
                ]);
                let mut record = Record {
                    id: Id::default(),
                    data,
                    expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(12),
                };
                store.create(&mut record).await.unwrap();
                format!("{}={}", server::SESSION_COOKIE, record.id)
            }
        })
        .buffered(16)
        .collect()
        .await
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let setup = db::testing::fresh_database().await;
    let url = db::testing::url_of(&setup).await;
    let pool = db::connect(&url, 16).await.unwrap();
    common::city(&pool, DISTRICTS, TOWNSHIPS, PER_TOWNSHIP).await;
    common::history(&pool, 1, HISTORY_DAYS).await;
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&pool).await.unwrap();
    db::dashboard::refresh_all(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO accounts (username, display_name, password_hash, role, township_id)
         SELECT 'zj' || id, '镇街' || id, 'x', 'township_supervisor', id FROM townships ORDER BY id LIMIT $1",
    )
    .bind(SUPERVISORS as i64)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO accounts (username, display_name, password_hash, role, district_id)
         SELECT 'zzb' || id, '组织部' || id, 'x', 'dept_admin', id FROM districts",
    )
    .execute(&pool)
    .await
    .unwrap();
    let ids = |role: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE role = $1 ORDER BY id")
                .bind(role)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let (secretaries, supervisors, departments) =
        (ids("secretary").await, ids("township_supervisor").await, ids("dept_admin").await);
    let places: Vec<(i64, f64, f64)> = sqlx::query_as(
        "SELECT v.id, v.lat, v.lon FROM postings p JOIN villages v ON v.id = p.village_id ORDER BY p.secretary_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let cookies = sessions(&pool, &secretaries).await;
    let tags: Vec<String> = futures_util::stream::iter(&secretaries)
        .map(|&id| {
            let pool = pool.clone();
            async move {
                let actor = domain::Actor {
                    account_id: id,
                    role: domain::Role::Secretary,
                    scope: domain::Scope::Secretary(id),
                };
                format!("\"{}\"", db::reference::version(&pool, &actor).await.unwrap())
            }
        })
        .buffered(8)
        .collect()
        .await;
    let phones: Vec<Phone> = cookies
        .into_iter()
        .zip(tags)
        .zip(places)
        .map(|((cookie, tag), (village, lat, lon))| Phone { cookie, village, at: (lat, lon), tag: Mutex::new(tag) })
        .collect();
    let watchers = (sessions(&pool, &supervisors).await, sessions(&pool, &departments).await);
    sqlx::query("VACUUM ANALYZE").execute(&pool).await.unwrap();
    // A backend's parent is the postmaster.
    let postmaster: u32 = {
        let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&pool).await.unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{backend}/stat")).unwrap();
        stat.rsplit_once(')').unwrap().1.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    pool.close().await;
    eprintln!(
        "province ready in {:.0} s: {} secretaries, {records} records",
        started.elapsed().as_secs_f64(),
        phones.len()
    );

    let files = std::env::temp_dir().join(format!("zhucun-province-{}", std::process::id()));
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_zhucun"))
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("ZHUCUN_ADDR", ADDR)
        .env("ZHUCUN_SITE_ROOT", files.join("site"))
        .env("ZHUCUN_FILES_DIR", files.join("files"))
        .env("ZHUCUN_SECRET_FILE", files.join("secret"))
        .env("RUST_LOG", "warn")
        .spawn()
        .expect("start the server");
    let client = Client::builder().pool_max_idle_per_host(512).build().unwrap();
    let base = format!("http://{ADDR}");
    while !client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == StatusCode::OK) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut photo = vec![0u8; PHOTO_BYTES];
    rand_chacha::ChaCha8Rng::seed_from_u64(16).fill(&mut photo[..]);
    photo[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let load = Arc::new(Load {
        client,
        base,
        phones,
        samples: Mutex::new(Vec::new()),
        shed: AtomicU64::new(0),
        photo,
        photos_sent: AtomicU64::new(0),
        in_flight: Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT)),
    });

    // The pages stay open until the run ends.
    let end = Instant::now() + Duration::from_secs(3_600);
    for cookie in watchers.0 {
        tokio::spawn(watch(load.clone(), cookie, "attendance", "/township", end));
    }
    for cookie in watchers.1 {
        tokio::spawn(watch(load.clone(), cookie, "dashboard", "/dashboard", end));
    }
    let me = std::process::id();
    println!(
        "{} secretaries in {DISTRICTS} districts and {} townships, {records} field records ({HISTORY_DAYS} days), \
         {SUPERVISORS} boards and {DISTRICTS} dashboards live; {:.0} s steps; cores: CPU seconds per second",
        load.phones.len(),
        DISTRICTS * TOWNSHIPS,
        STEP.as_secs_f64()
    );
    let mut rows = Vec::new();
    let mut saturated_at = None;
    for (n, level) in std::iter::once(1.0).chain(LEVELS).enumerate() {
        let warm = n == 0;
        let length = if warm { WARM_UP } else { STEP };
        let (cpu_server, cpu_pg, cpu_me) = (cpu(server.id(), false), cpu_postgres(postmaster), cpu(me, false));
        let (from, shed) = (Instant::now(), load.shed.load(Ordering::Relaxed));
        let until = from + length;
        let polls = load.arrivals(level * 20_000.0 / POLL_EVERY_S, until, n as u64, |l, i, due| async move {
            l.poll(&l.phones[i], due).await
        });
        let pushes = load.arrivals(level * PUSHES_PER_S, until, 100 + n as u64, |l, i, due| async move {
            l.push(&l.phones[i], due).await
        });
        tokio::join!(polls, pushes);
        // The step's stragglers finish (or fail: each request has TIMEOUT, an arrival at most
        // four in a row) before the next step starts, so every arrival of the step is counted.
        let _ = tokio::time::timeout(TIMEOUT * 5, load.in_flight.acquire_many(IN_FLIGHT as u32)).await;
        let seconds = from.elapsed().as_secs_f64();
        let cores = (
            (cpu(server.id(), false) - cpu_server) / seconds,
            (cpu_postgres(postmaster) - cpu_pg) / seconds,
            (cpu(me, false) - cpu_me) / seconds,
        );
        let shed = load.shed.load(Ordering::Relaxed) - shed;
        if warm {
            continue;
        }
        let samples: Vec<(&'static str, Duration, bool)> = {
            let all = load.samples.lock().unwrap();
            all.iter().filter(|s| s.arrival >= from && s.arrival < until).map(|s| (s.route, s.took, s.ok)).collect()
        };
        let row = Step::of(level, &samples, length, shed, cores);
        let saturated = row.saturated();
        rows.push(row);
        if saturated {
            saturated_at = Some(level);
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&files);

    println!("| load | requests/s done | failed | shed | server cores | PostgreSQL cores | load generator cores |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {}× | {:.0} | {} | {} | {:.2} | {:.2} | {:.2} |",
            r.level, r.done_per_s, r.failed, r.shed, r.cores.0, r.cores.1, r.cores.2
        );
    }
    let routes: BTreeSet<&'static str> = rows.iter().flat_map(|r| r.routes.iter().map(|x| x.0)).collect();
    println!();
    println!(
        "| route (req/s · p95) | {} |",
        rows.iter().map(|r| format!("{}×", r.level)).collect::<Vec<_>>().join(" | ")
    );
    println!("| --- |{}", " --- |".repeat(rows.len()));
    for route in routes {
        let cells: Vec<String> = rows
            .iter()
            .map(|r| match r.routes.iter().find(|x| x.0 == route) {
                Some((_, rate, p95, _)) => format!("{rate:.1}/s · {p95:.0} ms"),
                None => "–".into(),
            })
            .collect();
        println!("| `{route}` | {} |", cells.join(" | "));
    }
    match saturated_at {
        Some(level) => println!("saturated at {level}× a province's evening peak"),
        None => println!("not saturated up to {}× a province's evening peak", LEVELS[LEVELS.len() - 1]),
    }
}

/// One load level's outcome.
struct Step {
    level: f64,
    done_per_s: f64,
    failed: usize,
    shed: u64,
    /// Server, PostgreSQL and load generator, in cores.
    cores: (f64, f64, f64),
    /// Per route: requests/s, p95 (ms), failures.
    routes: Vec<(&'static str, f64, f64, usize)>,
}

impl Step {
    fn of(
        level: f64,
        samples: &[(&'static str, Duration, bool)],
        length: Duration,
        shed: u64,
        cores: (f64, f64, f64),
    ) -> Step {
        let seconds = length.as_secs_f64();
        let mut by_route: BTreeMap<&'static str, (Vec<Duration>, usize)> = BTreeMap::new();
        for &(route, took, ok) in samples {
            let (times, failed) = by_route.entry(route).or_default();
            times.push(took);
            *failed += usize::from(!ok);
        }
        let failed = by_route.values().map(|r| r.1).sum();
        Step {
            level,
            done_per_s: (samples.len() - failed) as f64 / seconds,
            failed,
            shed,
            cores,
            routes: by_route
                .into_iter()
                .map(|(route, (times, failed))| {
                    (route, times.len() as f64 / seconds, common::percentile(times, 0.95), failed)
                })
                .collect(),
        }
    }

    fn saturated(&self) -> bool {
        let asked: f64 = self.routes.iter().map(|r| r.1).sum::<f64>() * STEP.as_secs_f64();
        self.shed > 0
            || self.failed as f64 > 0.01 * asked
            || self.routes.iter().any(|r| r.1 * STEP.as_secs_f64() >= MIN_SAMPLES && r.2 > 1_000.0)
    }
}
