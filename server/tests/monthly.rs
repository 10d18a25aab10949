//! Reports drafted from the synced records: the 月度工作纪实 (filed by the secretary, read by
//! the township), the year-end 述职报告 and 自查报告表, and the month's records exported.

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
    assert_eq!(
        (f.days_in_village, f.work.meetings.len(), f.work.visits.len(), f.work.talks, f.work.diaries),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(f.work.visits[0].1, head, "the household by name");
    assert!(draft.filed.is_none());
    let visited = format!("走访{head}（安排就业）");
    for line in ["本月在村 1 天", "议题：冬季防火", &visited, "民情日记 1 篇，主要涉及：民生 1 篇", "涉及金额 50000 元"]
    {
        assert!(draft.text.contains(line), "{line} not in {}", draft.text);
    }
    // Another month has none of it.
    let other = app.post("/api/draft_month", &form(&[("month", "2025-01")]), Some(&sec)).await;
    let other: MonthlyDraft = serde_json::from_str(&other.body).unwrap();
    assert_eq!((other.facts.work.meetings.len(), other.facts.days_in_village), (0, 0));
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

/// Record once, report many: the month's records as a workbook for other systems, a sheet per
/// kind with `domain::export`'s columns, households by name; for those who follow the
/// secretaries, not the secretaries themselves.
#[tokio::test]
async fn the_months_records_export_as_a_sheet_per_kind_with_households_named() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let (household, head): (i64, String) =
        sqlx::query_as("SELECT id, head_name FROM households WHERE posting_id = $1 ORDER BY id LIMIT 1")
            .bind(org.own.posting)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let sec = app.login("sec.jia", PASSWORD).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    push(
        &app,
        &sec,
        vec![
            record(
                "visit",
                json!({ "household_id": household, "date": today, "notes": "了解就业意愿", "help": ["job"] }),
            ),
            record("practical", json!({ "kind": "funds", "date": today, "title": "修路", "yuan": 50000 })),
        ],
    )
    .await;
    let month = today.format("%Y-%m").to_string();
    let sheets = |bytes: Vec<u8>| {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        book.worksheets()
            .into_iter()
            .map(|(name, range)| (name, range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()))
            .collect::<Vec<(String, Vec<Vec<String>>)>>()
    };

    let sup = app.login("sup1", PASSWORD).await;
    let res = app.get(&format!("/reports/records.xlsx?month={month}"), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let book = sheets(res.body_bytes);
    assert_eq!(book.len(), domain::field::RecordKind::ALL.len(), "a sheet per kind, empty ones too");
    let (_, visits) = book.iter().find(|(n, _)| n == "走访帮扶户").unwrap();
    assert_eq!(visits[0][..4], ["记录编号", "镇街", "村（社区）", "第一书记"]);
    assert_eq!(visits.len(), 2, "the heading and the one visit");
    assert_eq!(visits[1][3], "甲书记");
    assert_eq!(visits[1][7..], [head.as_str(), &today.to_string(), "了解就业意愿", "安排就业", "0"]);
    let (_, practical) = book.iter().find(|(n, _)| n == "为村办实事").unwrap();
    assert_eq!(practical[1][10], "50000");

    let unit = app.login("unit1", PASSWORD).await;
    let res = app.get(&format!("/reports/records.xlsx?month={month}&kind=visit"), Some(&unit)).await;
    assert_eq!(res.status, StatusCode::OK, "the dispatching unit follows its secretary");
    assert_eq!(sheets(res.body_bytes).len(), 1);
    let res = app.get(&format!("/reports/records.xlsx?month={month}&kind=selfie"), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("记录类型"), "{}", res.body);
    assert_eq!(
        app.get(&format!("/reports/records.xlsx?month={month}"), Some(&sec)).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Issue 13: the year-end 述职报告 and 自查报告表 are drafted from the year's records: every
/// research report and practical matter of the year by name, the engine's items with their
/// evidence; nothing of another secretary's.
#[tokio::test]
async fn the_year_end_report_and_self_check_are_drafted_from_the_years_records() {
    use domain::evaluation::drafts::YearDrafts;
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let earlier = today - chrono::Duration::days(20);
    push(
        &app,
        &sec,
        vec![
            record("research", json!({ "title": "关于发展秸秆压块产业的调研", "text": "全村秸秆年产约 3000 吨" })),
            record("research", json!({ "title": "村集体经济增收路径调研", "text": "……" })),
            record("practical", json!({ "kind": "funds", "date": earlier, "title": "硬化村内道路", "yuan": 120000 })),
            record("practical", json!({ "kind": "other", "date": today, "title": "安装路灯 40 盏", "yuan": 30000 })),
        ],
    )
    .await;
    let other = app.login("sec.yi", PASSWORD).await;
    push(
        &app,
        &other,
        vec![record("practical", json!({ "kind": "funds", "date": today, "title": "乙村打井", "yuan": 8000 }))],
    )
    .await;

    let res = app.post("/api/draft_year_end", "", Some(&sec)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let drafts: YearDrafts = serde_json::from_str(&res.body).unwrap();
    let report = &drafts.year_report;
    for line in [
        "年度第一书记述职报告",
        "一、完成基本工作目标情况",
        "调研报告 2 篇",
        "《关于发展秸秆压块产业的调研》",
        "《村集体经济增收路径调研》",
        "办理实事 2 件，涉及金额 150000 元",
        &format!("{earlier} 争取物资资金：硬化村内道路（120000 元）"),
        "安装路灯 40 盏（30000 元）",
        "三、落实工作制度情况",
        "四、执行工作纪律情况",
        "五、存在问题和不足",
        "六、下步工作打算及意见建议",
    ] {
        assert!(report.contains(line), "{line} not in\n{report}");
    }
    assert!(!report.contains("乙村打井"), "another secretary's work");
    let check = &drafts.self_check;
    assert!(check.contains("年度履职情况自查报告表"), "{check}");
    assert!(
        check.contains("D1.2") && check.contains("关于发展秸秆压块产业的调研"),
        "research with its evidence:\n{check}"
    );
    assert!(check.contains("调研报告 2"), "what the engine counted:\n{check}");

    // What the secretary files is theirs to edit; the draft is only where it starts.
    let file = form(&[("year", &today.format("%Y").to_string()), ("kind", "year_report"), ("body", report)]);
    assert_eq!(app.post("/api/file_evaluation", &file, Some(&sec)).await.status, StatusCode::OK);
    let sup = app.login("sup1", PASSWORD).await;
    assert_eq!(app.post("/api/draft_year_end", "", Some(&sup)).await.status, StatusCode::FORBIDDEN);
}
