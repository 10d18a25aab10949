//! The township's attendance board: check-ins arriving by sync change it (and are announced
//! to open boards), leave removes absences, roll calls are answered by check-ins, inspections
//! are flagged.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::{Datelike, FixedOffset, Utc};
use common::*;
use domain::board::{AlertKind, Board, TodayStatus};
use domain::field::RecordKind;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A push every record of which is stored.
async fn push_ok(app: &TestApp, cookie: &str, records: Vec<Value>) {
    let res = push(app, cookie, records).await;
    assert!(!res.body.contains("rejected"), "{}", res.body);
}

fn check_in(village: i64, lat: f64, made: chrono::DateTime<Utc>) -> Value {
    json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": made, "kind": "check_in",
            "body": { "village_id": village, "lat": lat, "lon": 117.5, "accuracy_m": 15.0, "offline": true } })
}

async fn board(app: &TestApp, cookie: &str) -> Board {
    let res = app.post("/api/attendance_board", "", Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

fn china_day(t: chrono::DateTime<Utc>) -> chrono::NaiveDate {
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap()).date_naive()
}

#[tokio::test]
async fn check_ins_leave_roll_calls_and_inspections_show_on_the_board() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;

    let b = board(&app, &sup).await;
    assert_eq!(b.rows.len(), 1, "only the supervisor's township");
    assert_eq!(b.rows[0].assessment.status, TodayStatus::NotCheckedIn);
    assert_eq!(b.leave_requests.len(), 1, "the pending request of the fixture");

    // Made offline 40 minutes ago inside the village, synced now: both times are kept.
    let made = Utc::now() - chrono::Duration::minutes(40);
    push_ok(&app, &sec, vec![check_in(org.own.village, 34.7, made)]).await;
    let b = board(&app, &sup).await;
    let row = &b.rows[0];
    let expected = if china_day(made) == b.today { TodayStatus::OfflineLater } else { TodayStatus::NotCheckedIn };
    assert_eq!(row.assessment.status, expected);
    let last = row.last_check_in.as_ref().unwrap();
    assert!(last.verified && last.offline);
    assert!(last.received_at - last.device_time >= chrono::Duration::minutes(39));

    assert!(!row.assessment.summary.meeting_recorded);
    assert!(row.assessment.alerts.iter().any(|a| a.kind == AlertKind::NoMeeting));
    // A chaired committee meeting, a diary and a visit today count on the board.
    let today = b.today;
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let now = Utc::now();
    push_ok(
        &app,
        &sec,
        vec![
            json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": now, "kind": "meeting",
                    "body": { "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 7, "topics": "冬季防火" } }),
            json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": now, "kind": "diary", "body": { "date": today, "text": "走访" } }),
            json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": now, "kind": "visit",
                    "body": { "household_id": household, "date": today, "notes": "看望" } }),
        ],
    )
    .await;
    let b = board(&app, &sup).await;
    let a = &b.rows[0].assessment;
    assert!(a.summary.meeting_recorded && a.alerts.iter().all(|x| x.kind != AlertKind::NoMeeting));
    assert_eq!(a.summary.days_since_diary, Some(0));

    // A roll call: answered by the next check-in.
    let res = app
        .post(
            "/api/start_roll_call",
            &form(&[("township_id", &org.own.township.to_string()), ("minutes", "30")]),
            Some(&sup),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert_eq!(r.roll_calls.len(), 1, "the phone sees the roll call");
    let b = board(&app, &sup).await;
    assert_eq!(b.roll_calls[0].answers[0].answered_at, None);
    push_ok(&app, &sec, vec![check_in(org.own.village, 34.7, Utc::now())]).await;
    let b = board(&app, &sup).await;
    assert!(b.roll_calls[0].answers[0].answered_at.is_some());
    assert_eq!(b.roll_calls[0].answers[0].verified, Some(true));
    // The day's first check-in decides the status: made offline and synced late, it stays so.
    let first_today = if expected == TodayStatus::OfflineLater { expected } else { TodayStatus::Verified };
    assert_eq!(b.rows[0].assessment.status, first_today);
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert!(r.roll_calls.is_empty(), "answered");

    // Leave asked from the phone and approved: today is leave.
    let leave =
        json!({ "first_day": today, "last_day": today + chrono::Duration::days(1), "reason": "陪护住院的母亲" });
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/leave")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &sec)
        .body(Body::from(leave.to_string()))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id: i64 = serde_json::from_str(&res.body).unwrap();
    let res = app.post("/api/decide_leave", &form(&[("id", &id.to_string()), ("approve", "true")]), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let again =
        app.post("/api/decide_leave", &form(&[("id", &id.to_string()), ("approve", "false")]), Some(&sup)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "decided once");
    let b = board(&app, &sup).await;
    assert_eq!(b.rows[0].assessment.status, TodayStatus::OnLeave);
    assert!(b.rows[0].assessment.leave_days_month >= 1);

    // An inspection finds the secretary absent: flagged.
    let insp = app.login("insp1", PASSWORD).await;
    let res = app
        .post(
            "/api/record_inspection",
            &form(&[("posting_id", &org.own.posting.to_string()), ("present", "false"), ("note", "不在村")]),
            Some(&insp),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let inspection: i64 = serde_json::from_str(&res.body).unwrap();
    let b = board(&app, &sup).await;
    assert!(b.rows[0].assessment.alerts.iter().any(|a| a.kind == AlertKind::InspectionAbsence));
    // With a photo taken on site, shown on the secretary's timeline.
    let photo = jpeg("a jpeg taken at the village gate");
    let req = Request::builder()
        .method(Method::PUT)
        .uri(format!("/inspections/{inspection}/photo"))
        .header(header::CONTENT_TYPE, "image/jpeg")
        .header(header::COOKIE, &insp)
        .body(Body::from(photo.clone()))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let hash: String = serde_json::from_str(&res.body).unwrap();
    let res =
        app.post("/api/secretary_timeline", &form(&[("posting_id", &org.own.posting.to_string())]), Some(&sup)).await;
    let timeline: domain::board::Timeline = serde_json::from_str(&res.body).unwrap();
    let absent = timeline.inspections.iter().find(|i| !i.present).expect("the inspection");
    assert_eq!(absent.photo.as_deref(), Some(hash.as_str()));
    assert_eq!(timeline.entries.iter().filter(|e| e.body.kind() == RecordKind::CheckIn).count(), 2);
    // The visit's household is named: the timeline carries the posting's households.
    let visit = timeline.entries.iter().find_map(|e| match &e.body {
        domain::field::RecordBody::Visit(v) => Some(v.household_id),
        _ => None,
    });
    let named = timeline.households.iter().find(|(id, _)| Some(*id) == visit).map(|(_, n)| n.as_str());
    assert!(named.is_some_and(|n| n.ends_with('户')), "{:?}", timeline.households);
    // The timeline filtered by kind and by day (the district's).
    let filtered = |pairs: &[(&str, String)]| {
        let mut all = vec![("posting_id", org.own.posting.to_string())];
        all.extend(pairs.iter().cloned());
        let body = form(&all.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>());
        let sup = sup.clone();
        let app = &app;
        async move {
            let res = app.post("/api/secretary_timeline", &body, Some(&sup)).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            serde_json::from_str::<domain::board::Timeline>(&res.body).unwrap().entries
        }
    };
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let all = timeline.entries.len();
    assert_eq!(filtered(&[("kind", "check_in".into())]).await.len(), 2);
    let diaries = filtered(&[("kind", "diary".into())]).await;
    assert!(!diaries.is_empty() && diaries.iter().all(|e| e.body.kind() == RecordKind::Diary));
    assert!(diaries.len() < all);
    assert_eq!(filtered(&[("kind", "practical".into())]).await.len(), 0);
    assert_eq!(filtered(&[("from", (today + chrono::Duration::days(1)).to_string())]).await.len(), 0);
    assert_eq!(filtered(&[("to", (today - chrono::Duration::days(60)).to_string())]).await.len(), 0);
    let window = [("from", (today - chrono::Duration::days(1)).to_string()), ("to", today.to_string())];
    assert_eq!(filtered(&window).await.len(), all);
    let shown = app.get(&format!("/photos/{hash}"), Some(&sup)).await;
    assert_eq!((shown.status, shown.body_bytes), (StatusCode::OK, photo));
    // A roll call of chosen secretaries: only the township's own.
    let call = |ids: i64| {
        form(&[("township_id", &org.own.township.to_string()), ("minutes", "15"), ("posting_ids", &ids.to_string())])
    };
    let res = app.post("/api/start_roll_call", &call(org.sibling.posting), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("本镇街"), "{}", res.body);
    assert_eq!(app.post("/api/start_roll_call", &call(org.own.posting), Some(&sup)).await.status, StatusCode::OK);

    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('start_roll_call', 'request_leave', 'decide_leave', 'record_inspection')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 5, "two roll calls, a request, a decision, an inspection");
    let photo_audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'attach_inspection_photo'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(photo_audited, 1);
}

#[tokio::test]
async fn an_open_board_hears_of_its_own_townships_check_ins_only() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sup = app.login("sup1", PASSWORD).await;
    let own = app.login("sec.jia", PASSWORD).await;
    let foreign = app.login("sec.bing", PASSWORD).await;

    let req = Request::builder().uri("/events/attendance").header(header::COOKIE, &sup).body(Body::empty()).unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = res.into_body();

    push_ok(&app, &foreign, vec![check_in(org.foreign.village, 34.7, Utc::now())]).await;
    push_ok(&app, &own, vec![check_in(org.own.village, 34.7, Utc::now())]).await;
    let mut seen = String::new();
    while !seen.contains("\n\n") {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame()).await.expect("an event within 10 s");
        let frame = frame.expect("the stream is open").unwrap();
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert_eq!(
        seen,
        format!("event: attendance\ndata: {}\n\n", org.own.township),
        "the other district's check-in was not announced"
    );
}

#[tokio::test]
async fn the_allowance_list_pays_verified_days_and_is_approved_once() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    sqlx::query("UPDATE districts SET allowance_per_day = 45").execute(&app.pool).await.unwrap();
    // Posted since two months ago; on the 15th of last month (a phone that synced only now)
    // inside the village, and once outside: only the first is paid.
    sqlx::query("UPDATE postings SET term_start = current_date - 62").execute(&app.pool).await.unwrap();
    let this_month = china_day(Utc::now()).with_day(1).unwrap();
    let fifteenth = (this_month - chrono::Months::new(1)).with_day(15).unwrap();
    let noon = fifteenth.and_hms_opt(4, 0, 0).unwrap().and_utc();
    push_ok(&app, &sec, vec![check_in(org.own.village, 34.7, noon), check_in(org.own.village, 34.9, noon)]).await;
    let month = fifteenth.format("%Y-%m").to_string();

    // Synced weeks later: 补报, confirmed by the township before its list is approved.
    let confirm = form(&[
        ("posting_id", &org.own.posting.to_string()),
        ("day", &fifteenth.to_string()),
        ("confirm", "true"),
        ("reason", "村干部证实在村"),
    ]);
    assert_eq!(app.post("/api/review_late_day", &confirm, Some(&sup)).await.status, StatusCode::OK);
    let approve = form(&[("township_id", &org.own.township.to_string()), ("month", &month)]);
    let res = app.post("/api/approve_allowance", &approve, Some(&sup)).await;
    assert_eq!((res.status, res.body.as_str()), (StatusCode::OK, "45"));
    assert_eq!(app.post("/api/approve_allowance", &approve, Some(&sup)).await.status, StatusCode::CONFLICT);

    let res = app.get(&format!("/reports/allowance.xlsx?month={month}"), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK);
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(res.body_bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert!(rows[1][0].to_string().starts_with("镇街审批：sup1"), "{:?}", rows[1]);
    let line = rows.iter().find(|r| r.get(2).is_some_and(|c| *c == "甲书记")).expect("the secretary's line");
    assert_eq!((line[4].to_string(), line[6].to_string()), ("1".to_string(), "45".to_string()));
    let bad = app.get("/reports/allowance.xlsx?month=2026-13", Some(&sup)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("月份"), "{}", bad.body);
}

/// Issue 13: the work itself is evidence of the day. A visit made inside the village with the
/// phone's position puts the secretary in the village without a check-in; outside, or where the
/// district counts check-ins only, it does not.
#[tokio::test]
async fn a_visit_made_in_the_village_is_a_day_there_without_a_check_in() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let now = Utc::now();
    let visit = |lat: Option<f64>| {
        json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": now, "kind": "visit",
                "body": { "household_id": household, "date": china_day(now), "notes": "走访，了解用水",
                          "position": lat.map(|lat| json!({ "lat": lat, "lon": 117.5, "accuracy_m": 15.0 })) } })
    };
    let status = || async { board(&app, &sup).await.rows[0].assessment.status };
    let phone_counts_today = || async {
        let r: domain::sync::Reference =
            serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
        r.activity.days_in_village.contains(&china_day(now))
    };

    let res = push(&app, &sec, vec![visit(None), visit(Some(34.8))]).await;
    let acks: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(acks["acks"][0]["status"], "stored", "a visit without a position is as valid: {}", res.body);
    assert_eq!(acks["acks"][1]["verdict"], "review", "11 km from the village");
    assert_eq!(status().await, TodayStatus::NotCheckedIn);
    assert!(!phone_counts_today().await);

    let res = push(&app, &sec, vec![visit(Some(34.7))]).await;
    let acks: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(acks["acks"][0]["verdict"], "verified", "{}", res.body);
    assert_eq!(status().await, TodayStatus::AtWork);
    assert!(board(&app, &sup).await.rows[0].assessment.days_in_village_month >= 1);
    assert!(phone_counts_today().await, "the phone counts the day as the board does");

    sqlx::query("UPDATE districts SET day_evidence = 'check_in'").execute(&app.pool).await.unwrap();
    assert_eq!(status().await, TodayStatus::NotCheckedIn, "a district that counts check-ins only");
    assert!(!phone_counts_today().await);
}

/// Issue 13: a roll call forces check-ins, so it is off unless the department turns it on with
/// its basis; who did so and when is listed for an inspection and audited.
#[tokio::test]
async fn roll_calls_need_the_district_to_turn_them_on_with_a_basis() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sup = app.login("sup1", PASSWORD).await;
    let dept = app.login("dept1", PASSWORD).await;
    let district = org.own.district.to_string();
    let set = |enable: &str, reason: &str| {
        form(&[
            ("district_id", &district),
            ("mandate", "roll_call"),
            ("enable", enable),
            ("basis", "emergency"),
            ("reason", reason),
        ])
    };
    let call = form(&[("township_id", &org.own.township.to_string()), ("minutes", "30")]);

    assert_eq!(app.post("/api/set_mandate", &set("false", ""), Some(&dept)).await.status, StatusCode::OK);
    assert!(!board(&app, &sup).await.roll_calls_on);
    let res = app.post("/api/start_roll_call", &call, Some(&sup)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("本区未启用"), "{}", res.body);

    let res = app.post("/api/set_mandate", &set("true", "  "), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "a basis needs its reason");
    assert!(res.body.contains("依据"), "{}", res.body);
    let res = app.post("/api/set_mandate", &set("true", "防汛应急响应（区防指〔2026〕3号）"), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(board(&app, &sup).await.roll_calls_on);
    assert_eq!(app.post("/api/start_roll_call", &call, Some(&sup)).await.status, StatusCode::OK);

    let res = app.post("/api/district_forced_functions", "", Some(&dept)).await;
    let listed: Vec<domain::mandate::ForcedFunctions> = serde_json::from_str(&res.body).unwrap();
    let own = listed.iter().find(|d| d.district_id == org.own.district).unwrap();
    let on = &own.on[0];
    assert_eq!(
        (on.basis, on.reason.as_str(), on.enabled_by.as_str()),
        (domain::mandate::MandateBasis::Emergency, "防汛应急响应（区防指〔2026〕3号）", "dept1")
    );
    assert!(own.check_in_duties().is_empty(), "the default day rule forces no check-in");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE '%_mandate' AND entity_id = $1 ORDER BY id")
            .bind(org.own.district)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited, ["disable_mandate", "enable_mandate"]);
}

#[tokio::test]
async fn a_district_may_require_a_check_out_and_a_minimum_stay() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    sqlx::query("UPDATE districts SET day_requires_check_out = true, day_min_stay_minutes = 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    let yesterday = china_day(Utc::now()) - chrono::Duration::days(1);
    let at = |hh: u32, mm: u32| {
        yesterday.and_hms_opt(hh, mm, 0).unwrap().and_local_timezone(china).unwrap().with_timezone(&Utc)
    };
    let check_out = |made| {
        let mut r = check_in(org.own.village, 34.7, made);
        r["kind"] = json!("check_out");
        r
    };
    let days = || async {
        let r: domain::sync::Reference =
            serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
        assert!(r.day_rule.requires_check_out && r.day_rule.min_stay_minutes == 60, "the phone gets the rule");
        r.activity.days_in_village.contains(&yesterday)
    };
    push_ok(&app, &sec, vec![check_in(org.own.village, 34.7, at(9, 0))]).await;
    assert!(!days().await, "no check-out yet");
    push_ok(&app, &sec, vec![check_out(at(9, 30))]).await;
    assert!(!days().await, "half an hour is short of the hour");
    push_ok(&app, &sec, vec![check_out(at(10, 5))]).await;
    assert!(days().await, "a stay of 65 minutes counts");
}

#[tokio::test]
async fn settings_change_the_rate_the_day_rule_and_the_calendar() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let dept = app.login("dept1", PASSWORD).await;
    let sys = app.login("sys", PASSWORD).await;
    let update = form(&[
        ("id", &org.own.district.to_string()),
        ("allowance_per_day", "55"),
        ("day_requires_check_out", "on"),
        ("day_min_stay_minutes", "30"),
        ("day_evidence", "check_in"),
        ("max_accuracy_m", "150"),
        ("late_grace_hours", "48"),
        ("burden_budget_minutes", "45"),
    ]);
    let res = app.post("/api/update_district_settings", &update, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert_eq!(r.duties.allowance_per_day, 55);
    assert_eq!(r.max_accuracy_m, 150.0, "the phone judges fixes as the server does");
    assert_eq!(
        r.day_rule,
        domain::calendar::DayRule {
            requires_check_out: true,
            min_stay_minutes: 30,
            evidence: domain::calendar::DayEvidence::CheckIn
        }
    );
    let unknown = update.replace("day_evidence=check_in", "day_evidence=gps_track");
    let res = app.post("/api/update_district_settings", &unknown, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("认定方式"), "{}", res.body);
    let bad = form(&[
        ("id", &org.own.district.to_string()),
        ("allowance_per_day", "5000"),
        ("day_min_stay_minutes", "0"),
        ("day_evidence", "any_located"),
        ("max_accuracy_m", "100"),
        ("late_grace_hours", "48"),
        ("burden_budget_minutes", "30"),
    ]);
    let res = app.post("/api/update_district_settings", &bad, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_budget = update.replace("burden_budget_minutes=45", "burden_budget_minutes=0");
    let res = app.post("/api/update_district_settings", &no_budget, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("填报负担上限"), "{}", res.body);
    let before: serde_json::Value =
        sqlx::query_scalar("SELECT detail->'before' FROM audit_log WHERE action = 'update_district_settings'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before["allowance_per_day"], 40, "the audit keeps the old value");
    let after: serde_json::Value =
        sqlx::query_scalar("SELECT detail->'after' FROM audit_log WHERE action = 'update_district_settings'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((&before["day_evidence"], &after["day_evidence"]), (&"any_located".into(), &"check_in".into()));

    let day = form(&[("day", "2026-12-31"), ("working", "false"), ("name", "测试假日")]);
    assert_eq!(app.post("/api/set_calendar_day", &day, Some(&dept)).await.status, StatusCode::FORBIDDEN, "national");
    assert_eq!(app.post("/api/set_calendar_day", &day, Some(&sys)).await.status, StatusCode::OK);
    let days = app.post("/api/calendar_days", &form(&[("year", "2026")]), Some(&dept)).await;
    assert!(days.body.contains("测试假日") && days.body.contains("国庆节"), "{}", days.body);
    let remove = form(&[("day", "2026-12-31"), ("working", "false"), ("name", "")]);
    assert_eq!(app.post("/api/set_calendar_day", &remove, Some(&sys)).await.status, StatusCode::OK);
    let days = app.post("/api/calendar_days", &form(&[("year", "2026")]), Some(&dept)).await;
    assert!(!days.body.contains("测试假日"));
}

/// Issue 13: a district may require a photo of the sign-in sheet with each meeting record, as
/// a forced function it turns on with its basis; off (the default), no record needs a photo.
#[tokio::test]
async fn a_district_that_requires_a_meeting_photo_refuses_a_meeting_without_one() {
    use domain::sync::{AckStatus, PushResult};
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let (sec, dept) = (app.login("sec.jia", PASSWORD).await, app.login("dept1", PASSWORD).await);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let meeting = |photos: Vec<String>| {
        serde_json::json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": chrono::Utc::now() - chrono::Duration::minutes(2),
            "kind": "meeting", "body": { "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 7,
            "topics": "冬季防火", "photos": photos } })
    };
    let acks = |res: Response| serde_json::from_str::<PushResult>(&res.body).unwrap().acks;
    let first = acks(push(&app, &sec, vec![meeting(vec![])]).await);
    assert_eq!(first[0].status, AckStatus::Stored, "off by default");

    let on = form(&[
        ("district_id", &org.own.district.to_string()),
        ("mandate", "meeting_photo"),
        ("enable", "true"),
        ("basis", "district_decision"),
        ("reason", "区委组织部会议决定（2026 年第 5 次部务会）"),
    ]);
    assert_eq!(app.post("/api/set_mandate", &on, Some(&dept)).await.status, StatusCode::OK);
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert!(r.meeting_photo_required, "the phone is told, and asks for the photo");
    let res = acks(push(&app, &sec, vec![meeting(vec![]), meeting(vec!["a".repeat(64)])]).await);
    assert_eq!(res[0].status, AckStatus::Rejected);
    assert!(res[0].error.as_ref().unwrap().zh.contains("签到表照片"), "{:?}", res[0].error);
    assert_eq!(res[1].status, AckStatus::Stored);
    assert_eq!(res[1].missing_photos, ["a".repeat(64)], "the photo itself follows");
}
