//! Import, postings history, the audit log and the demo seed, against a real database.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;

fn upload(kind: &str, file_name: &str, bytes: &[u8], password: &str, cookie: &str) -> Request<Body> {
    let boundary = "zhucunboundary";
    let mut body = Vec::new();
    for (name, value) in [("kind", kind), ("password", password)] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri("/api/import")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_file_with_a_bad_row_is_rejected_whole_with_every_error() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let before = count(&app, "SELECT count(*) FROM villages").await;
    let csv = "镇街,村名,类型,纬度,经度,围栏半径米,选民数\n\
               甲镇,东村,村,34.7,117.5,500,800\n\
               乙镇,西村,寨,34.7,117.5,500,800\n\
               甲镇,南村,村,34.7,117.5,20,800\n\
               丙镇,北村,村,34.7,117.5,500,800\n";
    let res = app.send(upload("villages", "v.csv", csv.as_bytes(), "", &admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let err: app::error::AppError = serde_json::from_str(&res.body).unwrap();
    let app::error::AppError::Rows(rows) = err else { panic!("{}", res.body) };
    let cells: Vec<(usize, &str)> = rows.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(cells, vec![(3, "类型"), (4, "围栏半径米")], "format errors are found first");
    assert_eq!(count(&app, "SELECT count(*) FROM villages").await, before, "nothing imported");

    // Once the format is right, names are checked within the caller's scope: 丙镇 is in
    // another district.
    let csv = "镇街,村名,类型,纬度,经度,围栏半径米,选民数\n甲镇,东村,村,34.7,117.5,500,800\n丙镇,北村,村,34.7,117.5,500,800\n甲镇,甲村,村,34.7,117.5,500,800\n";
    let res = app.send(upload("villages", "v.csv", csv.as_bytes(), "", &admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let app::error::AppError::Rows(rows) = serde_json::from_str(&res.body).unwrap() else { panic!() };
    let cells: Vec<(usize, &str)> = rows.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(cells, vec![(3, "镇街"), (4, "村名")], "{rows:?}");
    assert_eq!(count(&app, "SELECT count(*) FROM villages").await, before, "still nothing imported");
}

#[tokio::test]
async fn an_xlsx_of_secretaries_creates_accounts_and_postings_that_work() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 12]; 3] = [
        domain::import::SECRETARY_HEADERS,
        [
            "王敏",
            "wangmin",
            "13800000001",
            "甲镇",
            "甲村",
            "乙单位",
            "脱产驻村",
            "区直机关",
            "正股级",
            "4",
            "2031-03-01",
            "2032-02-29",
        ],
        [
            "李强",
            "liqiang",
            "",
            "乙镇",
            "乙村",
            "甲单位",
            "非脱产联村",
            "镇街",
            "副股级及以下",
            "4",
            "2031-03-01",
            "2033-02-28",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if r > 0 && c == 9 {
                sheet.write_number(r as u32, c as u16, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let res = app.send(upload("secretaries", "书记.xlsx", &bytes, "initial-pass-2031", &admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.body, "2");
    let cookie = app.login("liqiang", "initial-pass-2031").await;
    let res = app.post("/api/postings", "current_only=false", Some(&cookie)).await;
    assert!(res.body.contains("乙村") && res.body.contains("\"round\":4"), "{}", res.body);
    assert_eq!(count(&app, "SELECT count(*) FROM audit_log WHERE entity = 'posting' AND action = 'create'").await, 2);
}

#[tokio::test]
async fn postings_keep_their_history_and_never_overlap() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let posting = |village: i64, start: &str, end: &str| {
        form(&[
            ("secretary_id", &org.own.secretary.to_string()),
            ("village_id", &village.to_string()),
            ("unit_id", &org.own.unit.to_string()),
            ("term_start", start),
            ("term_end", end),
            ("mode", "part_time"),
            ("source", "district_organ"),
            ("rank_class", "section_chief"),
            ("round", "2"),
            ("assistant_name", ""),
            ("assistant_phone", ""),
        ])
    };
    let (start, end): (chrono::NaiveDate, chrono::NaiveDate) =
        sqlx::query_as("SELECT term_start, term_end FROM postings WHERE id = $1")
            .bind(org.own.posting)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let transfer = start + chrono::Days::new(20); // ten days ago
                                                  // Overlapping the current posting is refused with the reason.
    let res = app
        .post(
            "/api/create_posting",
            &posting(org.sibling.village, &transfer.to_string(), &end.to_string()),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("该书记在这段时间已有选派"));
    // End it, then post the secretary elsewhere from the next day.
    let res = app
        .post(
            "/api/end_posting",
            &form(&[("id", &org.own.posting.to_string()), ("ended_on", &transfer.to_string()), ("reason", "工作调动")]),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let next = (transfer + chrono::Days::new(1)).to_string();
    let res =
        app.post("/api/create_posting", &posting(org.sibling.village, &next, &end.to_string()), Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let all = app.post("/api/postings", "current_only=false", Some(&admin)).await;
    let list: Vec<domain::model::Posting> = serde_json::from_str(&all.body).unwrap();
    let mine: Vec<_> = list.iter().filter(|p| p.secretary_id == org.own.secretary).collect();
    assert_eq!(mine.len(), 2, "the ended posting is kept");
    assert_eq!(mine.iter().filter(|p| p.current).count(), 1);
    assert_eq!(mine.iter().find(|p| !p.current).unwrap().ended_on, Some(transfer));
}

/// The own township's and unit's current postings, as the organisation lists give them.
async fn active_postings(app: &TestApp, cookie: &str, org: &Org) -> (i64, i64) {
    let t = app.post("/api/townships", "", Some(cookie)).await;
    let u = app.post("/api/units", "", Some(cookie)).await;
    let t: Vec<domain::model::Township> = serde_json::from_str(&t.body).unwrap();
    let u: Vec<domain::model::Unit> = serde_json::from_str(&u.body).unwrap();
    let township = t.iter().find(|t| t.id == org.own.township).unwrap().active_postings;
    let unit = u.iter().find(|u| u.id == org.own.unit).unwrap().active_postings;
    (township, unit)
}

/// The organisation lists count the postings that cover today in their district, not those
/// that ended.
#[tokio::test]
async fn the_tree_counts_only_the_postings_current_today() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let before = active_postings(&app, &admin, &org).await;
    assert!(before.0 >= 1 && before.1 >= 1, "{before:?}");
    let start: chrono::NaiveDate = sqlx::query_scalar("SELECT term_start FROM postings WHERE id = $1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let ended = (start + chrono::Days::new(20)).to_string(); // ten days ago
    let res = app
        .post(
            "/api/end_posting",
            &form(&[("id", &org.own.posting.to_string()), ("ended_on", &ended), ("reason", "工作调动")]),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        active_postings(&app, &admin, &org).await,
        (before.0 - 1, before.1 - 1),
        "the ended posting no longer counts"
    );
}

#[tokio::test]
async fn the_audit_log_records_changes_and_cannot_be_rewritten() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let body = form(&[
        ("id", &org.own.village.to_string()),
        ("name", "甲村"),
        ("kind", "village"),
        ("lat", "34.75"),
        ("lon", "117.55"),
        ("geofence_m", "800"),
        ("eligible_voters", "1000"),
    ]);
    assert_eq!(app.post("/api/update_village", &body, Some(&admin)).await.status, StatusCode::OK);
    // Text the database cannot hold is the writer's to fix, not a server error.
    let nul = body.replace("name=%E7%94%B2%E6%9D%91", "name=%E7%94%B2%00%E6%9D%91");
    assert_ne!(nul, body);
    let res = app.post("/api/update_village", &nul, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("无法保存的字符"), "{}", res.body);
    let res = app.post("/api/audit_log", "", Some(&admin)).await;
    let entries: Vec<domain::model::AuditEntry> = serde_json::from_str(&res.body).unwrap();
    let e = entries.iter().find(|e| e.entity == "village" && e.action == "update").expect("an audit entry");
    assert_eq!(e.actor.as_deref(), Some("dept1"));
    assert!(
        e.detail.contains("\"geofence_m\": 500") && e.detail.contains("\"geofence_m\": 800"),
        "before and after: {}",
        e.detail
    );
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'").execute(&app.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(&app.pool).await.is_err());
}

#[tokio::test]
async fn the_demo_district_is_the_seed_documents_and_the_same_every_time() {
    let a = db::testing::fresh_database().await;
    let b = db::testing::fresh_database().await;
    assert!(db::seed::demo(&a).await.unwrap());
    assert!(!db::seed::demo(&a).await.unwrap(), "seeding twice adds nothing");
    db::seed::demo(&b).await.unwrap();
    // 峄城区 in the seed document's mix; 薛城区 generated the same way, smaller.
    let mix = "SELECT min(d.name), p.source, count(*) FROM postings p JOIN villages v ON v.id = p.village_id
                 JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
                GROUP BY d.id, 2 ORDER BY d.id, 2";
    let got: Vec<(String, String, i64)> = sqlx::query_as(mix).fetch_all(&a).await.unwrap();
    let row = |d: &str, s: &str, n| (d.to_string(), s.to_string(), n);
    assert_eq!(
        got,
        vec![
            row("峄城区", "city_department", 23),
            row("峄城区", "district_organ", 71),
            row("峄城区", "retired_cadre", 10),
            row("峄城区", "township", 67),
            row("薛城区", "city_department", 16),
            row("薛城区", "district_organ", 52),
            row("薛城区", "retired_cadre", 8),
            row("薛城区", "township", 44),
        ]
    );
    let villages: Vec<i64> = sqlx::query_scalar(
        "SELECT count(*) FROM villages v JOIN townships t ON t.id = v.township_id GROUP BY t.district_id ORDER BY t.district_id",
    )
    .fetch_all(&a)
    .await
    .unwrap();
    assert!((170..=185).contains(&villages[0]) && (120..=135).contains(&villages[1]), "{villages:?}");
    // Each district has its own department login, and the city sees both.
    let depts: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT a.username, d.name FROM accounts a LEFT JOIN districts d ON d.id = a.district_id
          WHERE a.role = 'dept_admin' ORDER BY a.username",
    )
    .fetch_all(&a)
    .await
    .unwrap();
    assert_eq!(
        depts,
        [("szzb".into(), None), ("xczzb".into(), Some("薛城区".into())), ("zzb".into(), Some("峄城区".into()))]
    );
    // Township cadres serve in their own township.
    let strays: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM postings p JOIN units u ON u.id = p.unit_id JOIN villages v ON v.id = p.village_id
          WHERE u.kind = 'township' AND u.township_id <> v.township_id",
    )
    .fetch_one(&a)
    .await
    .unwrap();
    assert_eq!(strays, 0);
    let digest = "SELECT md5(string_agg(a.username || a.display_name || v.name || v.lat || v.lon || p.mode || p.rank_class, ',' ORDER BY a.username))
                    FROM postings p JOIN accounts a ON a.id = p.secretary_id JOIN villages v ON v.id = p.village_id";
    let da: String = sqlx::query_scalar(digest).fetch_one(&a).await.unwrap();
    let db_: String = sqlx::query_scalar(digest).fetch_one(&b).await.unwrap();
    assert_eq!(da, db_, "the same data on every machine");
}

#[tokio::test]
async fn the_demo_history_is_a_lived_in_year_and_the_same_every_time() {
    // The end of 20 November, China time.
    let through: chrono::DateTime<chrono::Utc> = "2026-11-20T15:59:59Z".parse().unwrap();
    let a = db::testing::fresh_database().await;
    let b = db::testing::fresh_database().await;
    for pool in [&a, &b] {
        db::seed::demo(pool).await.unwrap();
        assert!(db::seed::history(pool, through).await.unwrap());
    }
    assert!(!db::seed::history(&a, through).await.unwrap(), "added once");
    let digest =
        "SELECT md5(string_agg(id::text || body::text || device_time::text, ',' ORDER BY id)) FROM field_records";
    let da: String = sqlx::query_scalar(digest).fetch_one(&a).await.unwrap();
    let db_: String = sqlx::query_scalar(digest).fetch_one(&b).await.unwrap();
    assert_eq!(da, db_, "the same records on every machine");

    // Stored as a push stores them: attendance counted, content hashes those of the phone.
    let (records, last): (i64, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("SELECT count(*), max(device_time) FROM field_records").fetch_one(&a).await.unwrap();
    assert!(records > 30_000, "{records}");
    assert!(last <= through);
    let days: i64 =
        sqlx::query_scalar("SELECT count(*) FROM attendance_days WHERE verified > 0").fetch_one(&a).await.unwrap();
    assert!(days > 10_000, "{days}");
    let (id, device_time, body, hash): (uuid::Uuid, chrono::DateTime<chrono::Utc>, serde_json::Value, String) =
        sqlx::query_as("SELECT id, device_time, body, content_hash FROM field_records ORDER BY id LIMIT 1")
            .fetch_one(&a)
            .await
            .unwrap();
    let envelope = domain::field::Envelope {
        id: id.to_string(),
        device_time,
        body: serde_json::from_value(body).unwrap(),
        effort: None,
    };
    assert_eq!(
        envelope.content_hash(),
        hash,
        "{}",
        serde_json::to_string(&(&envelope.device_time, &envelope.body)).unwrap()
    );
    // Honest phones: no township board flags a faked position.
    let dept = domain::Actor { account_id: 1, role: domain::Role::SysAdmin, scope: domain::Scope::All };
    for township in sqlx::query_scalar::<_, i64>("SELECT id FROM townships").fetch_all(&a).await.unwrap() {
        let board = db::attendance::board(&a, &dept, township).await.unwrap();
        let faked = board.rows.iter().flat_map(|r| &r.assessment.alerts).filter(|a| {
            use domain::board::AlertKind::{SameAccuracy, SameCoordinates, Speed};
            matches!(a.kind, SameCoordinates | Speed | SameAccuracy)
        });
        assert_eq!(faked.count(), 0, "{}", board.township);
    }

    // The evaluation is under way: most secretaries can be graded, 30 % of a category at most
    // excellent, and some are still open.
    let district: i64 =
        sqlx::query_scalar("SELECT id FROM districts WHERE name = '峄城区'").fetch_one(&a).await.unwrap();
    let dept = domain::Actor { account_id: 1, role: domain::Role::DeptAdmin, scope: domain::Scope::District(district) };
    db::evaluation::compute(&a, &dept, district, 2026, domain::evaluation::EvaluationStage::Year).await.unwrap();
    let run = db::evaluation::runs(&a, &dept, 2026, domain::evaluation::EvaluationStage::Year, false)
        .await
        .unwrap()
        .remove(0);
    let graded = run.output.results.iter().filter(|r| r.grade.is_some()).count();
    let open = run.output.results.iter().filter(|r| r.error.is_some()).count();
    assert!(graded > 140 && open > 5 && graded + open == 171, "{graded} graded, {open} open");
    let excellent =
        run.output.results.iter().filter(|r| r.grade == Some(domain::evaluation::grade::Grade::Excellent)).count();
    assert!(excellent > 0 && excellent * 10 <= graded * 3, "{excellent} excellent of {graded}");
}
