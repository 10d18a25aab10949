//! A real server (router) on a fresh PostgreSQL database, driven in-process, plus the
//! organisation used by the authorization tests.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use db::PgPool;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "matrix-password-1";

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    pub files: db::files::FileStore,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body_bytes: Vec<u8>,
    pub body: String,
}

impl Response {
    pub fn cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(server::SESSION_COOKIE))
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
    }
}

/// A site root holding the field app's page (its template, as the build would write it) and
/// an icon.
fn site_root() -> String {
    static ROOT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let root = std::env::temp_dir().join(format!("zhucun-test-site-{}", std::process::id()));
        std::fs::create_dir_all(root.join("field")).unwrap();
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../field/index.html"), root.join("field/index.html"))
            .unwrap();
        std::fs::write(root.join("icon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        root.to_string_lossy().into_owned()
    });
    ROOT.clone()
}

pub fn config() -> server::Config {
    server::Config {
        database_url: String::new(),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: site_root(),
        public_url: None,
        session_hours: 12,
        secret_file: Default::default(),
        skip_migrations: true,
        db_connections: 5,
        files: Default::default(),
        replica_url: None,
    }
}

/// A new, empty file store in a directory of its own.
pub fn fresh_files() -> db::files::FileStore {
    let dir = std::env::temp_dir().join(format!("zhucun-test-files-{}-{}", std::process::id(), rand::random::<u64>()));
    db::files::FileStore::local(&dir).unwrap()
}

/// The server's secret in tests.
pub fn key() -> domain::evaluation::ballot::CodeKey {
    domain::evaluation::ballot::CodeKey::new([7; 32])
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(config()).await
    }

    pub async fn with_config(config: server::Config) -> TestApp {
        Self::with(config, fresh_files()).await
    }

    /// A server keeping photos in `files`.
    pub async fn with(config: server::Config, files: db::files::FileStore) -> TestApp {
        let pool = db::testing::fresh_database().await;
        TestApp {
            router: server::router(server::Stores::new(pool.clone(), files.clone()), &config, key()),
            pool,
            files,
        }
    }

    /// The status of an answer whose body is not read (an event stream never ends).
    pub async fn status(&self, req: Request<Body>) -> StatusCode {
        self.router.clone().oneshot(req).await.expect("the router answers").status()
    }

    pub async fn send(&self, req: Request<Body>) -> Response {
        let res = self.router.clone().oneshot(req).await.expect("the router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("a body").to_bytes();
        Response { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), body_bytes: bytes.to_vec() }
    }

    /// A request as a browser page would send it (HTML accepted) or a script (form body).
    pub async fn call(&self, method: Method, path: &str, body: Option<String>, cookie: Option<&str>) -> Response {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(b)),
            None => req.header(header::ACCEPT, "text/html").body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    pub async fn post(&self, path: &str, body: &str, cookie: Option<&str>) -> Response {
        self.call(Method::POST, path, Some(body.to_string()), cookie).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        self.call(Method::GET, path, None, cookie).await
    }

    /// Logs in and returns the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let res = self.post("/api/login", &form(&[("username", username), ("password", password)]), None).await;
        assert_eq!(res.status, StatusCode::OK, "login as {username}: {}", res.body);
        res.cookie().expect("a session cookie")
    }
}

/// Pushes records from a secretary's phone (the phone's clock right) and checks the answer.
pub async fn push(app: &TestApp, cookie: &str, records: Vec<serde_json::Value>) -> Response {
    let body = serde_json::json!({ "device_now": chrono::Utc::now(), "records": records }).to_string();
    let res = push_body(app, cookie, body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res
}

/// Sends a push's body as it is, whatever the answer.
pub async fn push_body(app: &TestApp, cookie: &str, body: String) -> Response {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/push")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// Bytes that are a JPEG by their first bytes (as uploads are checked), ending with `text`.
pub fn jpeg(text: &str) -> Vec<u8> {
    [&[0xFF, 0xD8, 0xFF, 0xE0][..], text.as_bytes()].concat()
}

/// URL-encodes a form body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Three branches of one city: "甲" (own: district 1, township 甲镇), "乙" (a sibling township of
/// the same district) and "丙" (another district of the city). Each has a village, a unit, a secretary
/// posted there by that unit, and a household.
pub struct Branch {
    pub district: i64,
    pub township: i64,
    pub village: i64,
    pub unit: i64,
    pub secretary: i64,
    pub posting: i64,
    /// A pending leave request of the branch's secretary.
    pub leave: i64,
    /// An inspection of the branch's secretary (by the district's inspector).
    pub inspection: i64,
    /// After [`seed_projects`]: a research report of the posting, the project proposed from it,
    /// and its milestone.
    pub research: String,
    pub project: i64,
    pub milestone: i64,
    /// After [`seed_projects`]: an open item of the secretary's commitment.
    pub commitment: i64,
    pub marker: &'static str,
}

pub struct Org {
    pub own: Branch,
    pub sibling: Branch,
    pub foreign: Branch,
}

pub async fn seed_org(pool: &PgPool) -> Org {
    let hash = db::auth::hash_password(PASSWORD);
    let one = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let city = one("INSERT INTO cities (name) VALUES ('测试市') RETURNING id").fetch_one(pool).await.unwrap();
    let d1 = sqlx::query_scalar("INSERT INTO districts (city_id, name) VALUES ($1, '一区') RETURNING id")
        .bind(city)
        .fetch_one(pool)
        .await
        .unwrap();
    let d2 = sqlx::query_scalar("INSERT INTO districts (city_id, name) VALUES ($1, '二区') RETURNING id")
        .bind(city)
        .fetch_one(pool)
        .await
        .unwrap();
    let mut branches = Vec::new();
    for (marker, district) in [("甲", d1), ("乙", d1), ("丙", d2)] {
        let q = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
        let township =
            q("INSERT INTO townships (district_id, name, kind) VALUES ($1, $2 || '镇', 'town') RETURNING id")
                .bind(district)
                .bind(marker)
                .fetch_one(pool)
                .await
                .unwrap();
        let village = q("INSERT INTO villages (township_id, name, kind, lat, lon, geofence_m, eligible_voters)
                         VALUES ($1, $2 || '村', 'village', 34.7, 117.5, 500, 900) RETURNING id")
        .bind(township)
        .bind(marker)
        .fetch_one(pool)
        .await
        .unwrap();
        let unit =
            q("INSERT INTO units (district_id, name, kind) VALUES ($1, $2 || '单位', 'district_organ') RETURNING id")
                .bind(district)
                .bind(marker)
                .fetch_one(pool)
                .await
                .unwrap();
        let secretary = q("INSERT INTO accounts (username, display_name, password_hash, role, district_id)
                           VALUES ('sec.' || $1, $2 || '书记', $3, 'secretary', $4) RETURNING id")
        .bind(pinyin(marker))
        .bind(marker)
        .bind(&hash)
        .bind(district)
        .fetch_one(pool)
        .await
        .unwrap();
        let posting = q("INSERT INTO postings (secretary_id, village_id, unit_id, term_start, term_end, mode, source, rank_class, round)
                         VALUES ($1, $2, $3, current_date - 30, current_date + 300, 'full_time', 'district_organ', 'section_chief', 1) RETURNING id")
            .bind(secretary).bind(village).bind(unit).fetch_one(pool).await.unwrap();
        sqlx::query("INSERT INTO households (posting_id, head_name, members, paired_on) VALUES ($1, $2 || '户', 3, current_date)")
            .bind(posting).bind(marker).execute(pool).await.unwrap();
        let leave = q("INSERT INTO leave_requests (posting_id, first_day, last_day, reason)
                       VALUES ($1, current_date + 3, current_date + 4, '就医') RETURNING id")
        .bind(posting)
        .fetch_one(pool)
        .await
        .unwrap();
        branches.push(Branch {
            district,
            township,
            village,
            unit,
            secretary,
            posting,
            leave,
            inspection: 0,
            research: String::new(),
            project: 0,
            milestone: 0,
            commitment: 0,
            marker,
        });
    }
    let own = &branches[0];
    // (username, role, city, district, township, unit)
    type Row = (&'static str, &'static str, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
    let accounts: [Row; 6] = [
        ("sys", "sys_admin", None, None, None, None),
        ("city1", "dept_admin", Some(city), None, None, None),
        ("dept1", "dept_admin", None, Some(d1), None, None),
        ("insp1", "inspector", None, Some(d1), None, None),
        ("sup1", "township_supervisor", None, None, Some(own.township), None),
        ("unit1", "unit_viewer", None, None, None, Some(own.unit)),
    ];
    for (user, role, city, district, township, unit) in accounts {
        sqlx::query(
            "INSERT INTO accounts (username, display_name, password_hash, role, city_id, district_id, township_id, unit_id)
             VALUES ($1, $1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(user)
        .bind(&hash)
        .bind(role)
        .bind(city)
        .bind(district)
        .bind(township)
        .bind(unit)
        .execute(pool)
        .await
        .unwrap();
    }
    // Roll calls are off unless a district turns them on; the fixture's districts have.
    sqlx::query(
        "INSERT INTO district_mandates (district_id, mandate, basis, reason, enabled_by)
         SELECT d.id, 'roll_call', 'district_decision', '测试', a.id FROM districts d, accounts a WHERE a.username = 'sys'",
    )
    .execute(pool)
    .await
    .unwrap();
    for b in &mut branches {
        b.inspection = sqlx::query_scalar(
            "INSERT INTO inspections (posting_id, inspector_id, visited_on, present)
             SELECT $1, id, current_date, true FROM accounts WHERE username = 'insp1' RETURNING id",
        )
        .bind(b.posting)
        .fetch_one(pool)
        .await
        .unwrap();
    }
    let mut it = branches.into_iter();
    Org { own: it.next().unwrap(), sibling: it.next().unwrap(), foreign: it.next().unwrap() }
}

fn pinyin(marker: &str) -> &'static str {
    match marker {
        "甲" => "jia",
        "乙" => "yi",
        _ => "bing",
    }
}

/// A research report for each branch's posting (as a push stores it), a project proposed from
/// it ("甲项目" …) waiting for the township, the project's one milestone, and an open item of
/// the secretary's commitment.
pub async fn seed_projects(pool: &PgPool, org: &mut Org) {
    for b in [&mut org.own, &mut org.sibling, &mut org.foreign] {
        let research = uuid::Uuid::new_v4();
        let body = serde_json::json!({ "kind": "research", "body": { "title": format!("{}村产业调研", b.marker), "text": "调研" } });
        sqlx::query(
            "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, clock_skew_s, district_id)
             VALUES ($1, $2, $3, 'research', $4, 'fixture', now() - interval '1 day', 0,
                     (SELECT district_id FROM posting_districts WHERE posting_id = $3))",
        )
        .bind(research)
        .bind(b.secretary)
        .bind(b.posting)
        .bind(body)
        .execute(pool)
        .await
        .unwrap();
        b.research = research.to_string();
        b.project = sqlx::query_scalar(
            "INSERT INTO projects (posting_id, research_id, title, term, sector, budget_yuan)
             VALUES ($1, $2, $3 || '项目', 'quick', 'industry', 50000) RETURNING id",
        )
        .bind(b.posting)
        .bind(research)
        .bind(b.marker)
        .fetch_one(pool)
        .await
        .unwrap();
        b.milestone = sqlx::query_scalar(
            "INSERT INTO project_milestones (project_id, title, due) VALUES ($1, '开工', current_date + 30) RETURNING id",
        )
        .bind(b.project)
        .fetch_one(pool)
        .await
        .unwrap();
        b.commitment = sqlx::query_scalar(
            "INSERT INTO commitment_items (posting_id, year, text, due) VALUES ($1, 2026, '修路', current_date + 60) RETURNING id",
        )
        .bind(b.posting)
        .fetch_one(pool)
        .await
        .unwrap();
    }
}
