//! The assistance-project database (issue 14): a project proposed from the secretary's
//! research, returned, changed and approved by the township and then the department; its
//! progress counted from the visits and practical matters that name it; a research report
//! found untrue no longer counts and flags its projects.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::project::{Project, ProjectList, ProjectStatus};
use serde_json::{json, Value};

fn record(kind: &str, body: Value) -> (String, Value) {
    let id = uuid::Uuid::new_v4().to_string();
    let r = json!({ "id": id, "device_time": chrono::Utc::now() - chrono::Duration::minutes(5), "kind": kind, "body": body });
    (id, r)
}

async fn project(app: &TestApp, cookie: &str, id: i64) -> Project {
    let res = app.post("/api/project_detail", &form(&[("id", &id.to_string())]), Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str(&res.body).unwrap()
}

async fn projected(app: &TestApp, sec: &str) -> f64 {
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(sec)).await.body).unwrap();
    r.projection.unwrap().organisation_score
}

#[tokio::test]
async fn a_project_is_proposed_returned_changed_approved_and_followed_from_the_records() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let sec = app.login("sec.jia", PASSWORD).await;
    let (sup, dept, unit) =
        (app.login("sup1", PASSWORD).await, app.login("dept1", PASSWORD).await, app.login("unit1", PASSWORD).await);
    let proposal = |research: &str, budget: &str| {
        form(&[
            ("research_id", research),
            ("title", "秸秆煤秸秆压块"),
            ("term", "long_term"),
            ("sector", "industry"),
            ("budget_yuan", budget),
            ("funding", "区财政衔接资金，村集体自筹"),
            ("households[]", &household.to_string()),
            ("other_households", "12"),
            ("milestones", "2026-12-31 完成可行性论证\n2027-06-30 建成压块车间"),
        ])
    };

    // Without a research report of the posting there is nothing to propose from.
    let res = app.post("/api/save_project", &proposal(&uuid::Uuid::new_v4().to_string(), "350000"), Some(&sec)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("调研报告"), "{}", res.body);
    let (research, r) =
        record("research", json!({ "title": "关于秸秆综合利用的调研", "text": "全村秸秆年产约 3000 吨" }));
    push(&app, &sec, vec![r]).await;
    let res = app.post("/api/save_project", &proposal(&research, "350000"), Some(&sec)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id: i64 = res.body.parse().unwrap();
    let p = project(&app, &sec, id).await;
    assert_eq!((p.status, p.budget_yuan, p.beneficiaries()), (ProjectStatus::Proposed, 350_000, 13));
    assert_eq!(p.research.1, "关于秸秆综合利用的调研");
    assert_eq!(p.milestones.len(), 2);

    // The department decides after the township; the township returns it with its reason.
    let review =
        |decision: &str, reason: &str| form(&[("id", &id.to_string()), ("decision", decision), ("reason", reason)]);
    assert_eq!(
        app.post("/api/review_project", &review("approve", "可行"), Some(&dept)).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post("/api/review_project", &review("return", "  "), Some(&sup)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let res = app.post("/api/review_project", &review("return", "预算依据不足，请补充测算"), Some(&sup)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.post("/api/review_project", &review("approve", "可行"), Some(&unit)).await.status,
        StatusCode::FORBIDDEN
    );
    let changed = format!("id={id}&{}", proposal(&research, "280000"));
    assert_eq!(app.post("/api/save_project", &changed, Some(&sec)).await.status, StatusCode::OK);
    let p = project(&app, &sec, id).await;
    assert_eq!((p.status, p.budget_yuan), (ProjectStatus::Proposed, 280_000), "back to the township");
    assert_eq!(p.reviews[0].reason, "预算依据不足，请补充测算");
    assert_eq!(
        app.post("/api/review_project", &review("approve", "测算充分"), Some(&sup)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/review_project", &review("approve", "同意入库"), Some(&dept)).await.status,
        StatusCode::OK
    );
    assert_eq!(project(&app, &unit, id).await.status, ProjectStatus::Approved, "the unit reads its secretary's");
    assert_eq!(
        app.post("/api/save_project", &changed, Some(&sec)).await.status,
        StatusCode::CONFLICT,
        "approved: fixed"
    );

    // The phone offers the approved project; a visit and a practical matter naming it are its
    // progress. A record naming a project not in the database is refused alone.
    let r: domain::sync::Reference = serde_json::from_str(&app.get("/sync/reference", Some(&sec)).await.body).unwrap();
    assert_eq!(r.projects, [(id, "秸秆煤秸秆压块".to_string())]);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let (_, visit) =
        record("visit", json!({ "household_id": household, "date": today, "notes": "讲解秸秆回收", "project_id": id }));
    let (_, funds) = record(
        "practical",
        json!({ "kind": "funds", "date": today, "title": "衔接资金第一笔", "yuan": 80000, "project_id": id }),
    );
    let (stray, other) =
        record("practical", json!({ "kind": "other", "date": today, "title": "别的", "project_id": id + 1000 }));
    let res = push(&app, &sec, vec![visit, funds, other]).await;
    let acks: domain::sync::PushResult = serde_json::from_str(&res.body).unwrap();
    let refused: Vec<&str> = acks
        .acks
        .iter()
        .filter(|a| a.status == domain::sync::AckStatus::Rejected)
        .filter_map(|a| a.id.as_deref())
        .collect();
    assert_eq!(refused, [stray.as_str()]);
    let p = project(&app, &dept, id).await;
    assert_eq!((p.progress.yuan, p.progress.records, p.progress.households), (80_000, 2, 1));
    let milestone = p.milestones[0].id;
    let done = form(&[("milestone", &milestone.to_string()), ("done", "true")]);
    assert_eq!(app.post("/api/project_milestone", &done, Some(&sec)).await.status, StatusCode::OK);
    assert!(project(&app, &sec, id).await.milestones[0].done_on.is_some());

    // The database: the department's, filtered; the township's own.
    let list: ProjectList =
        serde_json::from_str(&app.post("/api/projects", &form(&[("status", "approved")]), Some(&dept)).await.body)
            .unwrap();
    assert_eq!(list.projects.len(), 1);
    assert_eq!(list.totals(), (280_000, 80_000, 13));
    let none: ProjectList =
        serde_json::from_str(&app.post("/api/projects", &form(&[("sector", "services")]), Some(&dept)).await.body)
            .unwrap();
    assert!(none.projects.is_empty());
    let audited: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'project' ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        audited,
        [
            "propose_project",
            "review_project",
            "update_project",
            "review_project",
            "review_project",
            "project_milestone"
        ]
    );
}

#[tokio::test]
async fn a_research_report_found_untrue_stops_counting_and_flags_its_projects() {
    let app = TestApp::new().await;
    let mut org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let before = projected(&app, &sec).await;
    seed_projects(&app.pool, &mut org).await;
    let with_research = projected(&app, &sec).await;
    assert_eq!(with_research - before, 4.0, "D1.2: a research report filed");

    let (dept, sup) = (app.login("dept1", PASSWORD).await, app.login("sup1", PASSWORD).await);
    let strike = |record: &str, reason: &str| {
        form(&[
            ("posting_id", &org.own.posting.to_string()),
            ("record", record),
            ("reason", reason),
            ("evidence", "实地核查，村内无相关产业"),
        ])
    };
    // A full-time secretary is assessed by the department, not the township.
    assert_eq!(
        app.post("/api/strike_record", &strike(&org.own.research, "与实际不符"), Some(&sup)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/strike_record", &strike(&org.own.research, " "), Some(&dept)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let res = app.post("/api/strike_record", &strike(&org.own.research, "调研内容与村情不符"), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(with_research - projected(&app, &sec).await, 4.0, "D1.2 no longer counts it: exactly 4 points");
    assert_eq!(
        app.post("/api/strike_record", &strike(&org.own.research, "再次"), Some(&dept)).await.status,
        StatusCode::CONFLICT
    );
    let p = project(&app, &dept, org.own.project).await;
    assert_eq!(p.research_untrue.as_deref(), Some("调研内容与村情不符"), "the project is flagged");

    // The dossier lists it as struck, and the struck report offers no project any more.
    let year = chrono::Utc::now().format("%Y").to_string();
    let res = app
        .post(
            "/api/evaluation_dossier",
            &form(&[("posting_id", &org.own.posting.to_string()), ("year", &year)]),
            Some(&dept),
        )
        .await;
    let dossier: domain::evaluation::view::Dossier = serde_json::from_str(&res.body).unwrap();
    assert_eq!(dossier.struck.len(), 1);
    assert_eq!(dossier.struck[0].reason, "调研内容与村情不符");
    assert!(dossier.strikable.iter().all(|r| r.id != org.own.research));
    let choices = app.post("/api/proposal_options", "", Some(&sec)).await;
    assert!(!choices.body.contains(&org.own.research), "{}", choices.body);

    // A practical matter found untrue: its 20,000 yuan no longer earn P1's 2 × 5 points.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let (funds, r) =
        record("practical", json!({ "kind": "funds", "date": today, "title": "争取道路资金", "yuan": 20000 }));
    push(&app, &sec, vec![r]).await;
    let raised = projected(&app, &sec).await;
    assert_eq!(app.post("/api/strike_record", &strike(&funds, "资金未到位"), Some(&dept)).await.status, StatusCode::OK);
    assert_eq!(raised - projected(&app, &sec).await, 10.0);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'strike_record'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 2);
}
