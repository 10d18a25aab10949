//! The sync protocol's server side: idempotent batched pushes, per-record errors, check-in
//! verdicts, and a seeded randomized test of phones on a bad network.

mod common;

use std::collections::HashMap;
use std::io::Write;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use db::sync::{AckStatus, PushResult};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

fn push_request(body: &Value, cookie: &str, gzip: bool) -> Request<Body> {
    let bytes = serde_json::to_vec(body).unwrap();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/push")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie);
    if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&bytes).unwrap();
        req.header(header::CONTENT_ENCODING, "gzip").body(Body::from(enc.finish().unwrap())).unwrap()
    } else {
        req.body(Body::from(bytes)).unwrap()
    }
}

async fn push(app: &TestApp, cookie: &str, records: Vec<Value>) -> PushResult {
    let body = json!({ "device_now": chrono::Utc::now(), "records": records });
    let res = app.send(push_request(&body, cookie, false)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// When the test phones made their records (a retry carries the same time).
static MADE: std::sync::LazyLock<chrono::DateTime<chrono::Utc>> =
    std::sync::LazyLock::new(|| chrono::Utc::now() - chrono::Duration::minutes(10));

fn talk(id: &str, notes: &str) -> Value {
    let today = MADE.date_naive();
    json!({ "id": id, "device_time": *MADE, "kind": "talk",
            "body": { "with": "villager", "requested_by_villager": true, "date": today, "notes": notes } })
}

fn check_in(id: &str, village: i64, lat: f64, offline: bool) -> Value {
    json!({ "id": id, "device_time": *MADE - chrono::Duration::hours(3), "kind": "check_in",
            "body": { "village_id": village, "lat": lat, "lon": 117.5, "accuracy_m": 15.0, "offline": offline } })
}

async fn stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn the_same_record_twice_is_stored_once_and_other_content_is_a_conflict() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let a = id();
    let r = push(&app, &sec, vec![talk(&a, "问低保政策")]).await;
    assert_eq!(r.acks[0].status, AckStatus::Stored);
    let r = push(&app, &sec, vec![talk(&a, "问低保政策"), talk(&a, "问低保政策")]).await;
    assert_eq!(r.acks.iter().map(|a| a.status).collect::<Vec<_>>(), [AckStatus::Duplicate, AckStatus::Duplicate]);
    let r = push(&app, &sec, vec![talk(&a, "改过的内容")]).await;
    assert_eq!(r.acks[0].status, AckStatus::Conflict);
    assert!(r.acks[0].error.as_ref().unwrap().zh.contains("留待核对"));
    assert_eq!(stored(&app).await, 1);
    let body: Value = sqlx::query_scalar("SELECT body FROM field_records").fetch_one(&app.pool).await.unwrap();
    assert_eq!(body["body"]["notes"], "问低保政策", "the original is never overwritten");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM sync_conflicts").fetch_one(&app.pool).await.unwrap();
    assert_eq!(kept, 1, "the other version is kept for review");
    // Another secretary cannot reuse the id.
    let other = app.login("sec.yi", PASSWORD).await;
    let r = push(&app, &other, vec![talk(&a, "问低保政策")]).await;
    assert_eq!(r.acks[0].status, AckStatus::Rejected);
}

#[tokio::test]
async fn a_bad_record_is_refused_alone_with_its_reason() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let mut future = talk(&id(), "明天的事");
    future["device_time"] = json!(chrono::Utc::now() + chrono::Duration::hours(2));
    let records = vec![
        talk(&id(), "正常的谈话"),
        json!({ "id": id(), "kind": "talk", "body": { "notes": "缺字段" } }),
        check_in(&id(), org.sibling.village, 34.7, false),
        check_in(&id(), org.own.village, 134.7, false),
        future,
        json!({ "id": id(), "device_time": chrono::Utc::now(), "kind": "visit",
                "body": { "household_id": 999999, "date": chrono::Utc::now().date_naive(), "notes": "走访" } }),
        json!({ "id": "not-a-uuid", "device_time": chrono::Utc::now(), "kind": "talk",
                "body": { "with": "villager", "requested_by_villager": false, "date": chrono::Utc::now().date_naive(), "notes": "x" } }),
        json!({ "id": id(), "device_time": chrono::Utc::now(), "kind": "diary",
                "body": { "date": chrono::Utc::now().date_naive(), "text": "长".repeat(30_000) } }),
    ];
    let r = push(&app, &sec, records).await;
    let statuses: Vec<AckStatus> = r.acks.iter().map(|a| a.status).collect();
    assert_eq!(statuses[0], AckStatus::Stored);
    assert!(statuses[1..].iter().all(|s| *s == AckStatus::Rejected), "{statuses:?}");
    let reasons: Vec<String> = r.acks[1..].iter().map(|a| a.error.as_ref().unwrap().zh.clone()).collect();
    for (i, want) in ["格式错误", "不是您当前的驻村", "纬度", "晚于当前时间", "不是您的结对户", "记录编号", "过大"]
        .iter()
        .enumerate()
    {
        assert!(reasons[i].contains(want), "record {}: {} should say {want}", i + 1, reasons[i]);
    }
    assert_eq!(stored(&app).await, 1, "only the good record is stored");
}

#[tokio::test]
async fn check_ins_get_a_verdict_and_keep_both_times() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let (inside, outside) = (id(), id());
    // The fixture's villages sit at 34.7, 117.5 with a 500 m fence; 34.72 is about 2.2 km away.
    let r = push(
        &app,
        &sec,
        vec![check_in(&inside, org.own.village, 34.7001, true), check_in(&outside, org.own.village, 34.72, false)],
    )
    .await;
    assert_eq!(r.acks[0].verdict, Some(domain::field::Verdict::Verified));
    assert_eq!(r.acks[1].verdict, Some(domain::field::Verdict::Review));
    let (verdict, offline, lag): (String, bool, f64) = sqlx::query_as(
        "SELECT verdict, offline, extract(epoch FROM received_at - device_time)::float8 FROM field_records WHERE id = $1::uuid",
    )
    .bind(&inside)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((verdict.as_str(), offline), ("verified", true));
    // Made 3 h 10 min before it arrived (see MADE).
    assert!((11_400.0 - 60.0..11_400.0 + 60.0).contains(&lag), "device and receipt times: {lag}");
    // Each record carries its posting's district (the distribution column of docs/scaling.md).
    let districts: Vec<i64> =
        sqlx::query_scalar("SELECT district_id FROM field_records").fetch_all(&app.pool).await.unwrap();
    assert_eq!(districts, [org.own.district, org.own.district]);
}

#[tokio::test]
async fn pushes_may_be_gzip_compressed_and_only_secretaries_push() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let records: Vec<Value> = (0..300).map(|i| talk(&id(), &format!("第 {i} 次谈话"))).collect();
    let body = json!({ "device_now": chrono::Utc::now(), "records": records });
    let res = app.send(push_request(&body, &sec, true)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(stored(&app).await, 300);
    let admin = app.login("dept1", PASSWORD).await;
    assert_eq!(app.send(push_request(&body, &admin, false)).await.status, StatusCode::FORBIDDEN);
    let mut anonymous = push_request(&body, "", false);
    anonymous.headers_mut().remove(header::COOKIE);
    assert_eq!(app.send(anonymous).await.status, StatusCode::UNAUTHORIZED);
    let too_many: Vec<Value> = (0..=db::sync::MAX_BATCH).map(|_| talk(&id(), "x")).collect();
    let res =
        app.send(push_request(&json!({ "device_now": chrono::Utc::now(), "records": too_many }), &sec, false)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&app).await, 300, "a refused push stores nothing");
}

/// A phone: its queue of unsynced records (id → latest content) and what it made.
struct Phone {
    cookie: String,
    village: i64,
    queue: HashMap<String, Value>,
    made: HashMap<String, Value>,
    in_conflict: Vec<String>,
}

/// Many phones on a bad network: requests lost before the server, answers lost after the
/// server committed, pushes sent twice, records edited while unsynced, the server restarted.
/// Nothing the server acknowledged may be lost, and nothing may be stored twice.
#[tokio::test]
async fn randomized_sessions_lose_nothing_and_duplicate_nothing() {
    let mut app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20261125);
    let mut phones = Vec::new();
    for (user, village) in
        [("sec.jia", org.own.village), ("sec.yi", org.sibling.village), ("sec.bing", org.foreign.village)]
    {
        let cookie = app.login(user, PASSWORD).await;
        phones.push(Phone { cookie, village, queue: HashMap::new(), made: HashMap::new(), in_conflict: Vec::new() });
    }
    let (mut lost_requests, mut lost_answers, mut doubled, mut restarts, mut edits) = (0, 0, 0, 0, 0);
    for step in 0..400 {
        let p = &mut phones[rng.gen_range(0..3)];
        match rng.gen_range(0..10) {
            // Record something.
            0..=4 => {
                let rid = uuid::Uuid::from_u128(rng.gen()).to_string();
                let record = if rng.gen_bool(0.5) {
                    talk(&rid, &format!("谈话 {step}"))
                } else {
                    check_in(&rid, p.village, 34.7, rng.gen_bool(0.7))
                };
                p.queue.insert(rid.clone(), record.clone());
                p.made.insert(rid, record);
            }
            // Edit a record the phone believes unsynced.
            5 => {
                if let Some(rid) = p.queue.keys().next().cloned() {
                    if p.queue[&rid]["kind"] == "talk" {
                        let edited = talk(&rid, &format!("改 {step}"));
                        p.queue.insert(rid.clone(), edited.clone());
                        p.made.insert(rid, edited);
                        edits += 1;
                    }
                }
            }
            // The server restarts: a new process on the same database.
            6 => {
                app.router = server::router(server::Stores::new(app.pool.clone(), app.files.clone()), &config(), key());
                restarts += 1;
            }
            // Sync a batch, over a network that may fail.
            _ => {
                let batch: Vec<Value> = p.queue.values().take(rng.gen_range(1..=60)).cloned().collect();
                if batch.is_empty() {
                    continue;
                }
                let body = json!({ "device_now": chrono::Utc::now(), "records": batch });
                match rng.gen_range(0..10) {
                    0..=1 => lost_requests += 1, // never reached the server
                    2..=3 => {
                        // Committed, but the answer never came back.
                        let res = app.send(push_request(&body, &p.cookie, rng.gen_bool(0.5))).await;
                        assert_eq!(res.status, StatusCode::OK);
                        lost_answers += 1;
                    }
                    n => {
                        if n == 4 {
                            app.send(push_request(&body, &p.cookie, false)).await;
                            doubled += 1;
                        }
                        let res = app.send(push_request(&body, &p.cookie, rng.gen_bool(0.5))).await;
                        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
                        let result: PushResult = serde_json::from_str(&res.body).unwrap();
                        apply_acks(p, &result);
                    }
                }
            }
        }
    }
    // The network comes back for good.
    for p in &mut phones {
        while !p.queue.is_empty() {
            let batch: Vec<Value> = p.queue.values().take(100).cloned().collect();
            let body = json!({ "device_now": chrono::Utc::now(), "records": batch });
            let res = app.send(push_request(&body, &p.cookie, true)).await;
            apply_acks(p, &serde_json::from_str(&res.body).unwrap());
        }
    }

    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id::text, content_hash FROM field_records").fetch_all(&app.pool).await.unwrap();
    let on_server: HashMap<String, String> = rows.iter().cloned().collect();
    let conflicts: Vec<(String, String)> =
        sqlx::query_as("SELECT record_id::text, content_hash FROM sync_conflicts").fetch_all(&app.pool).await.unwrap();
    let made: usize = phones.iter().map(|p| p.made.len()).sum();
    let mut lost = 0;
    for p in &phones {
        for (rid, record) in &p.made {
            let hash = serde_json::from_value::<domain::field::Envelope>(record.clone()).unwrap().content_hash();
            match on_server.get(rid) {
                None => lost += 1,
                // An edit that reached the server after its first version did is kept as a conflict.
                Some(h) if *h != hash => {
                    assert!(
                        conflicts.contains(&(rid.clone(), hash.clone())),
                        "edited record {rid} was neither stored nor kept"
                    );
                    assert!(p.in_conflict.contains(rid));
                }
                Some(_) => {}
            }
        }
    }
    assert_eq!(lost, 0, "records lost");
    assert_eq!(rows.len(), made, "records stored more or less than once");
    assert!(
        lost_requests > 10 && lost_answers > 10 && doubled > 5 && restarts > 10 && edits > 5,
        "the network was not bad enough: {lost_requests} {lost_answers} {doubled} {restarts} {edits}"
    );
    println!(
        "{made} records from 3 phones; {lost_requests} requests and {lost_answers} answers lost, {doubled} pushes doubled, \
         {restarts} restarts, {edits} edits, {} conflicts kept: 0 lost, 0 duplicated",
        conflicts.len()
    );
}

fn apply_acks(p: &mut Phone, result: &PushResult) {
    for ack in &result.acks {
        let rid = ack.id.clone().unwrap();
        match ack.status {
            AckStatus::Stored | AckStatus::Duplicate => {
                p.queue.remove(&rid);
            }
            AckStatus::Conflict => {
                p.queue.remove(&rid);
                p.in_conflict.push(rid);
            }
            AckStatus::Rejected => panic!("a valid record was refused: {:?}", ack.error),
        }
    }
}

#[tokio::test]
async fn photos_are_stored_by_hash_and_records_show_which_are_missing() {
    use sha2::Digest;
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let jpeg = b"\xff\xd8\xff\xe0 a small photo".to_vec();
    let hash = format!("{:x}", sha2::Sha256::digest(&jpeg));
    let mut record = check_in(&id(), org.own.village, 34.7, true);
    record["body"]["photo"] = json!(hash);
    let r = push(&app, &sec, vec![record.clone()]).await;
    assert_eq!(r.acks[0].missing_photos, vec![hash.clone()], "the record is incomplete until its photo arrives");

    let upload = |bytes: Vec<u8>, hash: &str, content_type: &str| {
        Request::builder()
            .method(Method::PUT)
            .uri(format!("/sync/photos/{hash}"))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, &sec)
            .body(Body::from(bytes))
            .unwrap()
    };
    // An interrupted upload (fewer bytes) does not match its hash and is refused.
    let res = app.send(upload(jpeg[..10].to_vec(), &hash, "image/jpeg")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.send(upload(jpeg.clone(), &hash, "text/html")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.send(upload(jpeg.clone(), &hash, "image/jpeg")).await.status, StatusCode::CREATED);
    assert_eq!(app.send(upload(jpeg.clone(), &hash, "image/jpeg")).await.status, StatusCode::OK, "again: harmless");
    let r = push(&app, &sec, vec![record]).await;
    assert_eq!(r.acks[0].status, AckStatus::Duplicate);
    assert!(r.acks[0].missing_photos.is_empty(), "complete now");
}

#[tokio::test]
async fn the_phone_gets_its_posting_village_households_and_duties() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let res = app.get("/sync/reference", Some(&sec)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r: db::sync::Reference = serde_json::from_str(&res.body).unwrap();
    assert_eq!(r.posting.id, org.own.posting);
    assert_eq!((r.village.id, r.village.geofence_m), (org.own.village, 500));
    assert_eq!(r.households.iter().map(|h| h.head_name.as_str()).collect::<Vec<_>>(), ["甲户"]);
    assert!(r.duties.meeting_every_week && r.duties.allowance_per_day == 40);
    assert_eq!(r.activity, domain::duty::Activity::default(), "nothing recorded yet");

    // What was pushed comes back as the dates the duties count, at the district's rate.
    let today = MADE.date_naive();
    let meeting = json!({ "id": id(), "device_time": *MADE, "kind": "meeting",
        "body": { "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 7, "topics": "冬季防火" } });
    let diary = json!({ "id": id(), "device_time": *MADE, "kind": "diary", "body": { "date": today, "text": "走访" } });
    let outside = check_in(&id(), org.own.village, 34.9, false);
    let r = push(&app, &sec, vec![check_in(&id(), org.own.village, 34.7, true), outside, meeting, diary]).await;
    assert!(r.acks.iter().all(|a| a.status == AckStatus::Stored), "{:?}", r.acks);
    sqlx::query("UPDATE districts SET allowance_per_day = 50").execute(&app.pool).await.unwrap();
    let r: db::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert_eq!(r.duties.allowance_per_day, 50);
    assert_eq!(r.activity.days_in_village.len(), 1, "only the check-in inside the geofence counts");
    assert_eq!(r.activity.liang_wei_meetings.iter().collect::<Vec<_>>(), [&today]);
    assert_eq!(r.activity.last_diary, Some(today));
}

#[tokio::test]
async fn records_synced_from_the_phone_change_the_projected_score() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let reference = || async {
        let r: db::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
        r.projection.expect("a projection")
    };
    let before = reference().await;
    // The scale the phone shows: the default rule set's base parts (B 60 + D 40) give 100 at most.
    assert_eq!(before.base_max, 100.0);
    assert!(before.base_parts <= before.base_max);
    assert!(before.shortfalls.iter().any(|(code, ..)| code == "D5.1"), "one household of two, no visit yet");
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let visit = json!({ "id": id(), "device_time": *MADE, "kind": "visit",
        "body": { "household_id": household, "date": MADE.date_naive(), "notes": "推荐到合作社务工", "help": ["job"] } });
    push(&app, &sec, vec![visit]).await;
    let after = reference().await;
    // A home visit removes the "no visit" deduction (2) and the job is a bonus (5).
    assert_eq!(after.organisation_score - before.organisation_score, 7.0);
}

#[tokio::test]
async fn a_new_phone_reads_the_secretarys_history_back_page_by_page() {
    use domain::sync::{HistoryPage, HISTORY_PAGE};
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    // 120 talks, some made in the same second (the page order must still be total), and one
    // check-in outside the fence.
    let mut pushed: Vec<(chrono::DateTime<chrono::Utc>, String)> = Vec::new();
    let mut records = Vec::new();
    for i in 0..120 {
        let (rid, made) = (id(), *MADE - chrono::Duration::seconds(i / 3));
        let mut r = talk(&rid, &format!("第{i}次谈话"));
        r["device_time"] = json!(made);
        pushed.push((made, rid));
        records.push(r);
    }
    let outside = id();
    records.push(check_in(&outside, org.own.village, 34.72, false));
    pushed.push((*MADE - chrono::Duration::hours(3), outside.clone()));
    push(&app, &sec, records).await;
    // Another secretary's work is not in this history.
    let other = app.login("sec.yi", PASSWORD).await;
    push(&app, &other, vec![talk(&id(), "别人的谈话")]).await;

    let mut seen = Vec::new();
    let mut url = "/sync/history".to_string();
    loop {
        let res = app.get(&url, Some(&sec)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page: HistoryPage = serde_json::from_str(&res.body).unwrap();
        assert!(page.records.len() <= HISTORY_PAGE);
        seen.extend(page.records.iter().map(|r| r.clone().into_local()));
        let Some(next) = page.next else { break };
        url = format!("/sync/history?before={}&id={}", next.before.to_rfc3339().replace('+', "%2B"), next.id);
    }
    pushed.sort_by(|a, b| b.cmp(a));
    let ids: Vec<&str> = seen.iter().map(|r| r.envelope.id.as_str()).collect();
    let want: Vec<&str> = pushed.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(ids, want, "every record once, newest first, none of another secretary's");
    assert!(seen.iter().all(|r| r.state == domain::sync::SyncState::Synced && !r.is_editable()));
    let check_in = seen.iter().find(|r| r.envelope.id == outside).unwrap();
    assert_eq!(check_in.verdict, Some(domain::field::Verdict::Review), "the server's verdict comes back");
    assert!(check_in.synced_at.is_some_and(|t| t > check_in.envelope.device_time));

    // Half a cursor is refused in the secretary's language; only secretaries have a history.
    let res = app.get("/sync/history?id=x", Some(&sec)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("翻页参数错误"), "{}", res.body);
    let res = app.get(&format!("/sync/history?before={}&id=not-a-uuid", "2026-01-01T00:00:00Z"), Some(&sec)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let sup = app.login("sup1", PASSWORD).await;
    assert_eq!(app.get("/sync/history", Some(&sup)).await.status, StatusCode::FORBIDDEN);
}

/// Issue 15: the phone polls cheaply. The reference carries a tag of what it holds; asked with
/// it, the server answers 304 until records, settings or leave change. Roll calls, which change
/// by the minute, come from `/sync/live` without recomputing the rest.
#[tokio::test]
async fn the_reference_is_sent_again_only_when_it_changed_and_roll_calls_come_live() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let conditional = |tag: Option<&str>| {
        let mut req = Request::builder().uri("/sync/reference").header(header::COOKIE, &sec);
        if let Some(t) = tag {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        req.body(Body::empty()).unwrap()
    };
    let first = app.send(conditional(None)).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers.get(header::ETAG).unwrap().to_str().unwrap().to_string();
    let again = app.send(conditional(Some(&tag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    // A roll call does not change the reference's tag: the live part carries it.
    let sup = app.login("sup1", PASSWORD).await;
    let call = form(&[("township_id", &org.own.township.to_string()), ("minutes", "30")]);
    assert_eq!(app.post("/api/start_roll_call", &call, Some(&sup)).await.status, StatusCode::OK);
    assert_eq!(app.send(conditional(Some(&tag))).await.status, StatusCode::NOT_MODIFIED);
    let live: domain::sync::Live = serde_json::from_str(&app.get("/sync/live", Some(&sec)).await.body).unwrap();
    assert_eq!(live.roll_calls.len(), 1);

    // A record stored changes it: the whole reference comes, with a new tag.
    push(&app, &sec, vec![talk(&id(), "谈心")]).await;
    let after = app.send(conditional(Some(&tag))).await;
    assert_eq!(after.status, StatusCode::OK);
    let new_tag = after.headers.get(header::ETAG).unwrap().to_str().unwrap();
    assert_ne!(new_tag, tag);
    let r: domain::sync::Reference = serde_json::from_str(&after.body).unwrap();
    assert_eq!(r.roll_calls.len(), 1);
    // A leave decision changes it too (the projection counts approved leave).
    let decide = form(&[("id", &org.own.leave.to_string()), ("approve", "true")]);
    assert_eq!(app.post("/api/decide_leave", &decide, Some(&sup)).await.status, StatusCode::OK);
    assert_eq!(app.send(conditional(Some(new_tag))).await.status, StatusCode::OK);
}
