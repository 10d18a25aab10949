//! Attendance that cannot be faked and a server that bad input cannot break (issue 11): each
//! test is named after the hole it closes, and failed before the fix.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::{Duration, Utc};
use common::*;
use serde_json::{json, Value};

/// A push with the phone's clock at `device_now`.
async fn push_at(app: &TestApp, cookie: &str, device_now: &str, records: Vec<Value>) -> Response {
    push_body(app, cookie, format!(r#"{{"device_now": "{device_now}", "records": {}}}"#, Value::Array(records))).await
}

fn check_in(village: i64, made: &str) -> Value {
    json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": made, "kind": "check_in",
            "body": { "village_id": village, "lat": 34.7, "lon": 117.5, "accuracy_m": 15.0, "offline": false } })
}

async fn records(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn the_phones_clock_is_bounded() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    let now = Utc::now();

    // A clock at the end of time (which overflowed the correction and dropped the connection),
    // and one two days behind: refused as a clock error in Chinese, nothing stored, so the
    // phone keeps its records.
    let end_of_time = "+262142-06-01T00:00:00Z";
    for device_now in [end_of_time.to_string(), (now - Duration::days(2)).to_rfc3339()] {
        let res = push_at(&app, &sec, &device_now, vec![check_in(org.own.village, &device_now)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{device_now}: {}", res.body);
        assert!(res.body.contains("手机时间与服务器时间相差超过 1 天"), "{}", res.body);
    }
    assert_eq!(records(&app).await, 0);

    // A right clock but one record dated at the end of time: that record alone is refused.
    let res = push_at(
        &app,
        &sec,
        &now.to_rfc3339(),
        vec![check_in(org.own.village, end_of_time), check_in(org.own.village, &now.to_rfc3339())],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let acks: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(acks["acks"][0]["status"], "rejected");
    assert_eq!(acks["acks"][1]["status"], "stored");

    // A phone 20 hours behind is corrected, and its skew kept with its sign.
    let behind = now - Duration::hours(20);
    let res = push_at(&app, &sec, &behind.to_rfc3339(), vec![check_in(org.own.village, &behind.to_rfc3339())]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let skew: i32 =
        sqlx::query_scalar("SELECT max(clock_skew_s) FROM field_records").fetch_one(&app.pool).await.unwrap();
    assert!((71_990..=72_010).contains(&skew), "{skew}");

    // The table refuses what no push may store.
    let insert = sqlx::query(
        "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, clock_skew_s, district_id)
         VALUES (gen_random_uuid(), $1, $2, 'talk', '{}', 'x', now(), 90000, (SELECT district_id FROM posting_districts WHERE posting_id = $2))",
    )
    .bind(org.own.secretary)
    .bind(org.own.posting)
    .execute(&app.pool)
    .await;
    assert!(insert.is_err(), "a skew of 25 hours");

    // A record stored before the bound, at the end of time (it made the board fail to decode
    // it): moved aside, kept, and the board answers again.
    sqlx::query("ALTER TABLE field_records DROP CONSTRAINT field_records_clock_bounds")
        .execute(&db::testing::owner(&app.pool).await)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, clock_skew_s, verdict, district_id)
         VALUES (gen_random_uuid(), $1, $2, 'check_in', $3, 'x', '262142-06-01 00:00:00+00', 2147483647, 'verified',
                 (SELECT district_id FROM posting_districts WHERE posting_id = $2))",
    )
    .bind(org.own.secretary)
    .bind(org.own.posting)
    .bind(check_in(org.own.village, end_of_time))
    .execute(&app.pool)
    .await
    .unwrap();
    // (sqlx panics decoding it: the connection dropped, the page never came.)
    let broken = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(app.post(
        "/api/attendance_board",
        "",
        Some(&sup),
    )))
    .await;
    assert!(broken.map_or(true, |r| r.status.is_server_error()), "the bad row breaks the board");
    let moved: i32 = sqlx::query_scalar("SELECT quarantine_bad_clocks()").fetch_one(&app.pool).await.unwrap();
    assert_eq!(moved, 1);
    let res = app.post("/api/attendance_board", "", Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let board: domain::board::Board = serde_json::from_str(&res.body).unwrap();
    assert_eq!(board.rows[0].assessment.days_in_village_month, 1, "the good check-ins still count");
    let kept: (i64, String) = sqlx::query_as("SELECT count(*), min(reason) FROM field_records_quarantine")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, (1, "clock out of bounds".to_string()));
}

#[tokio::test]
async fn roll_calls_answered_after_the_deadline_are_late() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    let start = |minutes: &str| form(&[("township_id", &org.own.township.to_string()), ("minutes", minutes)]);
    assert_eq!(app.post("/api/start_roll_call", &start("30"), Some(&sup)).await.status, StatusCode::OK);
    // The roll call began two hours ago and ended an hour ago; the phone checked in 90 minutes
    // ago, offline, and syncs only now (it was answered as in time before the fix).
    sqlx::query("UPDATE roll_calls SET started_at = now() - interval '2 hours', deadline = now() - interval '1 hour'")
        .execute(&app.pool)
        .await
        .unwrap();
    let made = (Utc::now() - Duration::minutes(90)).to_rfc3339();
    let res = push_at(&app, &sec, &Utc::now().to_rfc3339(), vec![check_in(org.own.village, &made)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let board: domain::board::Board =
        serde_json::from_str(&app.post("/api/attendance_board", "", Some(&sup)).await.body).unwrap();
    let answer = &board.roll_calls[0].answers[0];
    assert_eq!(answer.answered_at, None, "received after the deadline");
    assert!(answer.late_at.is_some_and(|t| Utc::now() - t < Duration::minutes(1)), "shown as late: {answer:?}");
    // A roll call still open is answered by the same kind of check-in.
    assert_eq!(app.post("/api/start_roll_call", &start("30"), Some(&sup)).await.status, StatusCode::OK);
    let res =
        push_at(&app, &sec, &Utc::now().to_rfc3339(), vec![check_in(org.own.village, &Utc::now().to_rfc3339())]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let board: domain::board::Board =
        serde_json::from_str(&app.post("/api/attendance_board", "", Some(&sup)).await.body).unwrap();
    assert!(board.roll_calls[0].answers[0].answered_at.is_some(), "{:?}", board.roll_calls[0]);
}

#[tokio::test]
async fn allowance_approvals_are_scoped_and_wait_for_the_month_to_end() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sup = app.login("sup1", PASSWORD).await;
    // The current month (and a future one) cannot be approved: it could never be redone.
    let month = |m: String| form(&[("township_id", &org.own.township.to_string()), ("month", &m)]);
    let this_month: String = sqlx::query_scalar("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for m in [this_month, "2099-01".to_string()] {
        let res = app.post("/api/approve_allowance", &month(m.clone()), Some(&sup)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{m}: {}", res.body);
        assert!(res.body.contains("尚未结束"), "{}", res.body);
    }
    // Another township's approval is not shown to this township's supervisor (it was, by an
    // unscoped lookup).
    sqlx::query(
        "INSERT INTO allowance_approvals (township_id, month, approved_by, total_yuan)
         SELECT $1, '2026-10-01', id, 4321 FROM accounts WHERE username = 'sys'",
    )
    .bind(org.sibling.township)
    .execute(&app.pool)
    .await
    .unwrap();
    let res = app
        .get(&format!("/reports/allowance.xlsx?month=2026-10&township_id={}", org.sibling.township), Some(&sup))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let text = xlsx_text(&res.body_bytes);
    assert!(text.contains("镇街尚未审批") && !text.contains("4321"), "{text}");
    let dept = app.login("dept1", PASSWORD).await;
    let res = app
        .get(&format!("/reports/allowance.xlsx?month=2026-10&township_id={}", org.sibling.township), Some(&dept))
        .await;
    assert!(xlsx_text(&res.body_bytes).contains("合计 4321 元"), "the district sees it");
}

/// The text of every cell of a workbook's first sheet.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn concurrent_wrong_passwords_check_at_most_five_and_lock_the_name() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let wrong = form(&[("username", "sec.jia"), ("password", "not the password")]);
    // 25 at once: each attempt is counted before its password is checked (17 were checked
    // before the fix, and the right password still worked after them).
    let answers = futures_util::future::join_all((0..25).map(|_| app.post("/api/login", &wrong, None))).await;
    let refused_as_wrong = answers.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let locked = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((refused_as_wrong, locked), (4, 21), "four wrong, the fifth locks, the rest wait");
    let right = form(&[("username", "sec.jia"), ("password", PASSWORD)]);
    let res = app.post("/api/login", &right, None).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "locked for the right password too: {}", res.body);
}

#[tokio::test]
async fn a_nul_byte_in_a_login_name_is_a_wrong_name_not_a_server_error() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    for name in ["sec\0jia", "sec.jia\u{7}", "\u{0}"] {
        let res = app.post("/api/login", &form(&[("username", name), ("password", PASSWORD)]), None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{name:?}: {}", res.body);
    }
}

#[tokio::test]
async fn the_language_switch_stays_on_this_site() {
    let app = TestApp::new().await;
    for (referer, back) in [
        ("http://zhucun.example//evil.example", "/"),
        ("http://zhucun.example/\\evil.example", "/"),
        ("http://zhucun.example/township?township=3", "/township?township=3"),
    ] {
        let req = Request::builder().uri("/lang/en").header(header::REFERER, referer).body(Body::empty()).unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.headers[header::LOCATION], back, "{referer}");
    }
}

#[tokio::test]
async fn uploads_are_what_their_bytes_say_and_a_shared_photo_is_each_secretarys() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let jia = app.login("sec.jia", PASSWORD).await;
    let yi = app.login("sec.yi", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    let upload = |bytes: Vec<u8>, content_type: &'static str, cookie: &str| {
        use sha2::Digest;
        let hash = format!("{:x}", sha2::Sha256::digest(&bytes));
        let req = Request::builder()
            .method(Method::PUT)
            .uri(format!("/sync/photos/{hash}"))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, cookie)
            .body(Body::from(bytes))
            .unwrap();
        (hash, req)
    };
    // An HTML page sent as a PNG was stored and served before.
    let (_, req) = upload(b"<html><script>alert(document.cookie)</script></html>".to_vec(), "image/png", &jia);
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("文件内容不是所声明的类型"), "{}", res.body);
    // The same photo from the sibling township's secretary first, then from ours: our
    // supervisor sees it (it was the first uploader's only).
    let photo = jpeg("the same notice board, photographed by both");
    let (hash, req) = upload(photo.clone(), "image/jpeg", &yi);
    assert_eq!(app.send(req).await.status, StatusCode::CREATED);
    let (_, req) = upload(photo, "image/jpeg", &jia);
    assert_eq!(app.send(req).await.status, StatusCode::OK, "already there");
    let res = app.get(&format!("/photos/{hash}"), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers[header::CONTENT_TYPE], "image/jpeg");
    let owners: i64 = sqlx::query_scalar("SELECT count(*) FROM photo_owners WHERE hash = $1")
        .bind(&hash)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(owners, 2);
}

#[tokio::test]
async fn sessions_end_with_a_password_change_or_reset_and_after_their_lifetime() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let signed_in = |cookie: String| {
        let app = &app;
        async move { app.get("/sync/reference", Some(&cookie)).await.status != StatusCode::UNAUTHORIZED }
    };
    // Two phones of one secretary; the password is changed on the first (it stayed valid on
    // the second before the fix).
    let (first, second) = (app.login("sec.jia", PASSWORD).await, app.login("sec.jia", PASSWORD).await);
    let change = form(&[("current", PASSWORD), ("new", "another-password-2")]);
    assert_eq!(app.post("/api/change_password", &change, Some(&first)).await.status, StatusCode::OK);
    assert!(signed_in(first.clone()).await, "the session that changed it goes on");
    assert!(!signed_in(second).await, "the other session ended");
    // A reset by the department ends the account's sessions too.
    let yi = app.login("sec.yi", PASSWORD).await;
    let dept = app.login("dept1", PASSWORD).await;
    let yi_id: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE username = 'sec.yi'").fetch_one(&app.pool).await.unwrap();
    let reset = form(&[("id", &yi_id.to_string()), ("password", "a-new-password-3")]);
    assert_eq!(app.post("/api/reset_password", &reset, Some(&dept)).await.status, StatusCode::OK);
    assert!(!signed_in(yi).await);
    // However active, a session ends a week after its login.
    let jia_id: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE username = 'sec.jia'").fetch_one(&app.pool).await.unwrap();
    let old = Utc::now() - db::auth::SESSION_LIFETIME - Duration::minutes(1);
    assert!(db::auth::actor(&app.pool, jia_id, old).await.unwrap().is_none());
    assert!(db::auth::actor(&app.pool, jia_id, Utc::now()).await.unwrap().is_some());
}

#[tokio::test]
async fn the_live_stream_ends_with_its_session() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let sup = app.login("sup1", PASSWORD).await;
    let req = Request::builder().uri("/events/attendance").header(header::COOKIE, &sup).body(Body::empty()).unwrap();
    let mut events = app.router.clone().oneshot(req).await.unwrap().into_body();
    assert_eq!(app.post("/api/logout", "", Some(&sup)).await.status, StatusCode::OK);
    // It kept sending after logout; now it ends within its recheck (10 s), keep-alives aside.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        while let Some(frame) = events.frame().await {
            if frame.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream is still open 20 s after logout");
}

#[tokio::test]
async fn answers_carry_the_security_headers_and_pages_a_nonce_policy() {
    let app = TestApp::new().await;
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the policy");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the policy's nonce");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    for res in [&page, &app.get("/healthz", None).await, &app.get("/sync/reference", None).await] {
        assert_eq!(res.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(res.headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(res.headers[header::REFERRER_POLICY], "same-origin");
        assert!(res.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    }
    let other = app.get("/login", None).await;
    assert_ne!(
        other.headers[header::CONTENT_SECURITY_POLICY],
        page.headers[header::CONTENT_SECURITY_POLICY],
        "a nonce per page"
    );
}

#[tokio::test]
async fn a_visitors_push_is_refused_before_its_body_is_read() {
    use futures_util::StreamExt;
    let app = TestApp::new().await;
    // A body that never ends: the records were parsed (up to 16 MiB, ~287 MiB of memory) before
    // the session was looked at; now the visitor is answered without a byte being read.
    let endless = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(axum::body::Bytes::from_static(
        b"{\"records\": [",
    ))])
    .chain(futures_util::stream::pending());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/push")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(endless))
        .unwrap();
    let res = tokio::time::timeout(std::time::Duration::from_secs(5), app.send(req)).await;
    assert_eq!(res.expect("answered without reading the body").status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reported_accuracy_buys_no_verified_check_in() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    let fix = |lat: f64, accuracy: f64| {
        json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": Utc::now(), "kind": "check_in",
                "body": { "village_id": org.own.village, "lat": lat, "lon": 117.5, "accuracy_m": accuracy, "offline": false } })
    };
    // 8 km north claiming 9 km of accuracy ("verified" before the fix); 550 m out with 80 m
    // (credited: the geofence is 500 m); 550 m out with 20 m.
    let res = push_at(
        &app,
        &sec,
        &Utc::now().to_rfc3339(),
        vec![fix(34.772, 9000.0), fix(34.70495, 80.0), fix(34.70495, 20.0)],
    )
    .await;
    let acks: Value = serde_json::from_str(&res.body).unwrap();
    let verdicts: Vec<&str> = acks["acks"].as_array().unwrap().iter().map(|a| a["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["review", "verified", "review"]);
    // The board says how far from the village's centre the last check-in was.
    let board: domain::board::Board =
        serde_json::from_str(&app.post("/api/attendance_board", "", Some(&sup)).await.body).unwrap();
    let last = board.rows[0].last_check_in.as_ref().unwrap();
    assert!(last.distance_m.is_some_and(|m| (540.0..560.0).contains(&m)), "{last:?}");
    // A district may credit more.
    sqlx::query("UPDATE districts SET max_accuracy_m = 1000").execute(&app.pool).await.unwrap();
    let res = push_at(&app, &sec, &Utc::now().to_rfc3339(), vec![fix(34.71, 700.0)]).await;
    assert!(res.body.contains("\"verified\""), "{}", res.body);
}

#[tokio::test]
async fn an_accuracy_that_never_varies_is_an_alert() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    // Five mornings synced at once, each a different spot, each reporting exactly 10 m.
    let days: Vec<Value> = (1..=5)
        .map(|d| {
            let made = Utc::now() - Duration::days(d);
            json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": made, "kind": "check_in",
                    "body": { "village_id": org.own.village, "lat": 34.7 + f64::from(i32::try_from(d).unwrap()) * 1e-4,
                              "lon": 117.5, "accuracy_m": 10.0, "offline": true } })
        })
        .collect();
    let res = push_at(&app, &sec, &Utc::now().to_rfc3339(), days).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let board: domain::board::Board =
        serde_json::from_str(&app.post("/api/attendance_board", "", Some(&sup)).await.body).unwrap();
    let alert = board.rows[0].assessment.alerts.iter().find(|a| a.kind == domain::board::AlertKind::SameAccuracy);
    assert_eq!(alert.map(|a| a.detail.zh.as_str()), Some("近 30 天至少 5 天的签到精度都是 10 米"));
}

#[tokio::test]
async fn back_dated_check_ins_are_reported_late_and_reviewed_before_the_allowance() {
    use chrono::Datelike;
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    sqlx::query("UPDATE postings SET term_start = current_date - 62").execute(&app.pool).await.unwrap();
    // Check-ins "made" on the 14th and 15th of last month (the phone's clock set back, or a phone
    // that really had no signal), received now: counted, but 补报; one made an hour ago is not.
    let this_month = (Utc::now() + Duration::hours(8)).date_naive().with_day(1).unwrap();
    let last_month = this_month - chrono::Months::new(1);
    let at = |day: u32| (last_month.with_day(day).unwrap().and_hms_opt(1, 0, 0).unwrap().and_utc()).to_rfc3339();
    let now = Utc::now().to_rfc3339();
    let recent = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let res = push_at(
        &app,
        &sec,
        &now,
        vec![
            check_in(org.own.village, &at(14)),
            check_in(org.own.village, &at(15)),
            check_in(org.own.village, &recent),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let board: domain::board::Board =
        serde_json::from_str(&app.post("/api/attendance_board", "", Some(&sup)).await.body).unwrap();
    let late: Vec<(u32, domain::board::LateReview)> = board.late_days.iter().map(|l| (l.day.day(), l.review)).collect();
    assert_eq!(late, [(14, domain::board::LateReview::Pending), (15, domain::board::LateReview::Pending)]);

    // The list is not approved while they wait (before the fix both were simply paid).
    let month = last_month.format("%Y-%m").to_string();
    let approve = form(&[("township_id", &org.own.township.to_string()), ("month", &month)]);
    let res = app.post("/api/approve_allowance", &approve, Some(&sup)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("2 个补报的在村日待核实"), "{}", res.body);
    let xlsx = app.get(&format!("/reports/allowance.xlsx?month={month}"), Some(&sup)).await;
    assert!(xlsx_text(&xlsx.body_bytes).contains("14（补报待核实）、15（补报待核实）"));
    let review = |day: u32, confirm: bool| {
        form(&[
            ("posting_id", &org.own.posting.to_string()),
            ("day", &last_month.with_day(day).unwrap().to_string()),
            ("confirm", &confirm.to_string()),
            ("reason", "与村干部核实"),
        ])
    };
    assert_eq!(app.post("/api/review_late_day", &review(14, true), Some(&sup)).await.status, StatusCode::OK);
    assert_eq!(app.post("/api/review_late_day", &review(15, false), Some(&sup)).await.status, StatusCode::OK);
    let res = app.post("/api/review_late_day", &review(16, true), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "not a late day: {}", res.body);
    // Approved now: the struck day is not paid.
    let res = app.post("/api/approve_allowance", &approve, Some(&sup)).await;
    assert_eq!((res.status, res.body.as_str()), (StatusCode::OK, "40"));
    assert_eq!(
        app.post("/api/review_late_day", &review(14, false), Some(&sup)).await.status,
        StatusCode::CONFLICT,
        "approved"
    );
    // The timeline shows the phone's time, the receipt and the skew.
    let timeline: domain::board::Timeline = serde_json::from_str(
        &app.post("/api/secretary_timeline", &form(&[("posting_id", &org.own.posting.to_string())]), Some(&sup))
            .await
            .body,
    )
    .unwrap();
    assert!(timeline.entries.iter().all(|e| e.clock_skew_s.abs() < 60));
}

#[tokio::test]
async fn a_guesser_of_ballot_codes_is_held_up_and_other_voters_are_not() {
    let app = TestApp::new().await;
    let vote = |ip: [u8; 4], code: &str| {
        let addr = std::net::SocketAddr::from((ip, 40_000));
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/cast_ballot")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(axum::extract::ConnectInfo(addr))
            .body(Body::from(form(&[("code", code), ("answer", "satisfied")])))
            .unwrap();
        app.send(req)
    };
    let guesser = [198, 51, 100, 9];
    for i in 0..20 {
        let res = vote(guesser, &format!("ABCDE-FGH{:02}", i)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}: {}", res.body);
    }
    let held = vote(guesser, "ABCDE-FGHJK").await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.body);
    assert_eq!(
        vote([198, 51, 100, 10], "ABCDE-FGHJK").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a neighbour votes"
    );
}

#[tokio::test]
async fn the_audit_log_is_a_hash_chain_its_owner_cannot_rewrite_unseen() {
    use db::audit::Verified;
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    // Entries from many transactions at once still make one chain.
    let writers: Vec<_> = (0..20)
        .map(|i| {
            let pool = app.pool.clone();
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                db::audit::record(&mut tx, None, "probe", "test", Some(i), json!({ "n": i, "名": "甲村" }))
                    .await
                    .unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    // A back-dated entry with a made-up place in the chain is put where and when it was made.
    sqlx::query("INSERT INTO audit_log (actor_id, action, entity, at, seq, hash, prev_hash) VALUES ($1, 'x', 'y', '2020-01-01', 1, '', '')")
        .bind(org.own.secretary)
        .execute(&app.pool)
        .await
        .unwrap();
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&app.pool).await.unwrap();
    let Verified::Intact(chain) = db::audit::verify(&app.pool).await.unwrap() else { panic!("intact") };
    assert_eq!(chain.len, entries);
    assert!(entries > 20);
    let at_back_then: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE at < '2021-01-01'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(at_back_then, 0, "the server's time");

    // The application's role may not rewrite it, nor switch its guard off.
    for sql in [
        "UPDATE audit_log SET action = 'x'",
        "DELETE FROM audit_log WHERE seq = 3",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TRIGGER audit_log_chain ON audit_log",
    ] {
        let err = sqlx::query(sql).execute(&app.pool).await.expect_err(sql).to_string();
        assert!(err.contains("permission denied") || err.contains("must be owner"), "{sql}: {err}");
    }

    // Its owner can, and the check finds the entry.
    let owner = db::testing::owner(&app.pool).await;
    let mut tx = owner.begin().await.unwrap();
    sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE audit_log SET detail = '{\"n\": 99}' WHERE seq = 7").execute(&mut *tx).await.unwrap();
    sqlx::query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let Verified::Broken { seq, problem, good, .. } = db::audit::verify(&app.pool).await.unwrap() else {
        panic!("broken")
    };
    assert_eq!((seq, problem, good.len), (7, domain::audit::Break::Altered, 6));

    // As the operator's command says it (exit status 1).
    let base = std::env::var("ZHUCUN_TEST_DATABASE_URL").unwrap();
    let url = format!("{}/{}", base.rsplit_once('/').unwrap().0, app.pool.connect_options().get_database().unwrap());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhucun"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("BROKEN at entry 7") && said.contains("entries 1–6 are intact"), "{said}");
}

#[tokio::test]
async fn a_slip_printed_before_codes_were_keyed_still_votes_once() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let year = Utc::now().format("%Y").to_string().parse::<i32>().unwrap();
    let legacy = "LEGACY2345";
    sqlx::query(
        "WITH s AS (INSERT INTO surveys (posting_id, year, eligible, opened_by)
                    SELECT $1, $2, 10, id FROM accounts LIMIT 1 RETURNING id)
         INSERT INTO ballot_codes (code_hash, survey_id, keyed) SELECT $3, id, false FROM s",
    )
    .bind(org.own.posting)
    .bind(year)
    .bind(domain::evaluation::ballot::legacy_hash(legacy))
    .execute(&app.pool)
    .await
    .unwrap();
    let body = form(&[("code", legacy), ("answer", "satisfied")]);
    let first = app.post("/api/cast_ballot", &body, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(app.post("/api/cast_ballot", &body, None).await.status, StatusCode::CONFLICT, "once");
    let satisfied: i32 = sqlx::query_scalar("SELECT satisfied FROM surveys").fetch_one(&app.pool).await.unwrap();
    assert_eq!(satisfied, 1);
}
