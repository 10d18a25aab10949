//! 月度工作纪实: drafted from the month's synced records, filed by the secretary, read by the
//! township.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use domain::monthly::{MonthlyDraft, MonthlyRecord};
use serde_json::{json, Value};

async fn push(app: &TestApp, cookie: &str, records: Vec<Value>) {
    let body = json!({ "device_now": chrono::Utc::now(), "records": records });
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/push")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_json::to_vec(&body).unwrap()))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!res.body.contains("rejected"), "{}", res.body);
}

fn record(kind: &str, body: Value) -> Value {
    json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": chrono::Utc::now() - chrono::Duration::minutes(5),
            "kind": kind, "body": body })
}

#[tokio::test]
async fn the_month_is_drafted_from_its_records_filed_once_edited_and_read_by_the_township() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let (household, head): (i64, String) =
        sqlx::query_as("SELECT id, head_name FROM households WHERE posting_id = $1 ORDER BY id LIMIT 1")
            .bind(org.own.posting)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let sec = app.login("sec.jia", PASSWORD).await;
    // China's today: the records are about it.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    push(
        &app,
        &sec,
        vec![
            record("check_in", json!({ "village_id": org.own.village, "lat": 34.7001, "lon": 117.5, "accuracy_m": 15.0, "offline": false })),
            record("meeting", json!({ "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 9, "topics": "冬季防火" })),
            record("visit", json!({ "household_id": household, "date": today, "notes": "看望", "help": ["job"] })),
            record("diary", json!({ "date": today, "text": "走访", "tags": ["民生"] })),
            record("talk", json!({ "with": "villager", "requested_by_villager": true, "date": today, "notes": "低保" })),
            record("practical", json!({ "kind": "funds", "date": today, "title": "修路", "yuan": 50000 })),
        ],
    )
    .await;

    let draft = app.post("/api/draft_month", "", Some(&sec)).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let draft: MonthlyDraft = serde_json::from_str(&draft.body).unwrap();
    let f = &draft.facts;
    assert_eq!((f.days_in_village, f.meetings.len(), f.visits.len(), f.talks, f.diaries), (1, 1, 1, 1, 1));
    assert_eq!(f.visits[0].1, head, "the household by name");
    assert!(draft.filed.is_none());
    let visited = format!("走访{head}（安排就业）");
    for line in ["本月在村 1 天", "议题：冬季防火", &visited, "民情日记 1 篇，主要涉及：民生 1 篇", "涉及金额 50000 元"]
    {
        assert!(draft.text.contains(line), "{line} not in {}", draft.text);
    }
    // Another month has none of it.
    let other = app.post("/api/draft_month", &form(&[("month", "2025-01")]), Some(&sec)).await;
    let other: MonthlyDraft = serde_json::from_str(&other.body).unwrap();
    assert_eq!((other.facts.meetings.len(), other.facts.days_in_village), (0, 0));
    let bad = app.post("/api/draft_month", &form(&[("month", "十一月")]), Some(&sec)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("月份格式"), "{}", bad.body);

    // Filed with the secretary's own plans, then filed again: one record, the last text.
    let month = today.format("%Y-%m").to_string();
    let text = format!("{}\n下月计划：推进修路。", draft.text);
    for body in [draft.text.as_str(), text.as_str()] {
        let res = app.post("/api/file_monthly_record", &form(&[("month", &month), ("body", body)]), Some(&sec)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let empty = app.post("/api/file_monthly_record", &form(&[("month", &month), ("body", "  ")]), Some(&sec)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ahead = (today + chrono::Duration::days(40)).format("%Y-%m").to_string();
    let ahead = app.post("/api/file_monthly_record", &form(&[("month", &ahead), ("body", "预写")]), Some(&sec)).await;
    assert_eq!(ahead.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ahead.body.contains("尚未到来"), "{}", ahead.body);
    let again: MonthlyDraft = serde_json::from_str(&app.post("/api/draft_month", "", Some(&sec)).await.body).unwrap();
    assert_eq!(again.text, text.trim());
    assert!(again.filed.is_some_and(|(at, updated)| updated >= at));

    let sup = app.login("sup1", PASSWORD).await;
    let res =
        app.post("/api/monthly_records", &form(&[("posting_id", &org.own.posting.to_string())]), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let filed: Vec<MonthlyRecord> = serde_json::from_str(&res.body).unwrap();
    assert_eq!(filed.len(), 1);
    assert!(filed[0].body.ends_with("下月计划：推进修路。"));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'file_monthly_record'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 2);
}
