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

/// The second binding: a posting with open commitment items does not simply end; the
/// department's decision is recorded; handed over, the items reach the village's next secretary.
#[tokio::test]
async fn a_posting_with_open_commitments_ends_only_by_a_recorded_decision_and_the_successor_inherits_them() {
    use domain::commitment::{CommitmentItem, CommitmentState};
    let app = TestApp::new().await;
    let mut org = seed_org(&app.pool).await;
    seed_projects(&app.pool, &mut org).await;
    let (sec, dept) = (app.login("sec.jia", PASSWORD).await, app.login("dept1", PASSWORD).await);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let due = (today + chrono::Duration::days(60)).to_string();
    let add = |text: &str| form(&[("text", text), ("due", &due), ("projects[]", &org.own.project.to_string())]);
    let res = app.post("/api/add_commitment", &add("村集体年收入增加 5 万元"), Some(&sec)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let first: i64 = res.body.parse().unwrap();
    assert_eq!(app.post("/api/add_commitment", &add("硬化村内道路 2 公里"), Some(&sec)).await.status, StatusCode::OK);
    let late = form(&[("text", "任期外"), ("due", "2099-01-01")]);
    assert_eq!(app.post("/api/add_commitment", &late, Some(&sec)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.post("/api/commitment_done", &form(&[("id", &first.to_string())]), Some(&sec)).await.status,
        StatusCode::OK
    );

    // Ending it: refused without a decision, recorded with one.
    let end = |decision: &str, why: &str| {
        form(&[
            ("id", &org.own.posting.to_string()),
            ("ended_on", &today.to_string()),
            ("reason", "任期届满轮换"),
            ("decision", decision),
            ("decision_reason", why),
        ])
    };
    let res = app.post("/api/end_posting", &end("", ""), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    // The fixture's "修路" and the road: two items open.
    assert!(res.body.contains("尚有 2 项承诺未完成"), "{}", res.body);
    assert_eq!(
        app.post("/api/end_posting", &end("hand_over", " "), Some(&dept)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let res = app.post("/api/end_posting", &end("hand_over", "道路项目跨年度，由继任者继续推进"), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let year = today.format("%Y").to_string();
    let res = app
        .post(
            "/api/evaluation_dossier",
            &form(&[("posting_id", &org.own.posting.to_string()), ("year", &year)]),
            Some(&dept),
        )
        .await;
    let dossier: domain::evaluation::view::Dossier = serde_json::from_str(&res.body).unwrap();
    let states: Vec<CommitmentState> = dossier.commitments.iter().map(|c| c.state).collect();
    assert_eq!(states.iter().filter(|s| **s == CommitmentState::Done).count(), 1);
    assert_eq!(states.iter().filter(|s| **s == CommitmentState::HandedOver).count(), 2);
    assert_eq!(dossier.releases.len(), 1);
    assert_eq!(dossier.releases[0].open_items.len(), 2);
    assert!(dossier.releases[0].open_items.iter().any(|i| i.ends_with("硬化村内道路 2 公里")));

    // The village's next secretary sees the item handed over and finishes it.
    let hash = db::auth::hash_password(PASSWORD);
    let successor: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, password_hash, role, district_id)
         VALUES ('sec.next', '继任书记', $1, 'secretary', $2) RETURNING id",
    )
    .bind(&hash)
    .bind(org.own.district)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO postings (secretary_id, village_id, unit_id, term_start, term_end, mode, source, rank_class, round)
         VALUES ($1, $2, $3, $4::date + 1, $4::date + 365, 'full_time', 'district_organ', 'section_chief', 1)",
    )
    .bind(successor)
    .bind(org.own.village)
    .bind(org.own.unit)
    .bind(today)
    .execute(&app.pool)
    .await
    .unwrap();
    // Posted from tomorrow: let the term begin today for the test.
    sqlx::query("UPDATE postings SET term_start = $1 WHERE secretary_id = $2")
        .bind(today)
        .bind(successor)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE postings SET ended_on = $1 - 1 WHERE id = $2")
        .bind(today)
        .bind(org.own.posting)
        .execute(&app.pool)
        .await
        .unwrap();
    let next = app.login("sec.next", PASSWORD).await;
    let res = app.post("/api/my_commitments", "", Some(&next)).await;
    let (own, handed): (Vec<CommitmentItem>, Vec<CommitmentItem>) = serde_json::from_str(&res.body).unwrap();
    assert!(own.is_empty());
    assert_eq!(handed.len(), 2);
    let road = handed.iter().find(|c| c.text == "硬化村内道路 2 公里").unwrap();
    assert_eq!(road.secretary, "甲书记");
    let res = app.post("/api/commitment_done", &form(&[("id", &road.id.to_string())]), Some(&next)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Another village's secretary cannot touch it.
    let yi = app.login("sec.yi", PASSWORD).await;
    assert_eq!(
        app.post("/api/commitment_done", &form(&[("id", &road.id.to_string())]), Some(&yi)).await.status,
        StatusCode::NOT_FOUND
    );

    // Extending instead of ending: the term runs on, the decision is kept.
    assert_eq!(
        app.post("/api/add_commitment", &form(&[("text", "建成光伏电站"), ("due", &due)]), Some(&yi)).await.status,
        StatusCode::OK
    );
    let term_end: chrono::NaiveDate = sqlx::query_scalar("SELECT term_end FROM postings WHERE id = $1")
        .bind(org.sibling.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let later = (term_end + chrono::Duration::days(90)).to_string();
    let extend = form(&[
        ("id", &org.sibling.posting.to_string()),
        ("ended_on", &today.to_string()),
        ("reason", "任期届满"),
        ("decision", "extend"),
        ("decision_reason", "电站并网在即"),
        ("extend_to", &later),
    ]);
    assert_eq!(app.post("/api/end_posting", &extend, Some(&dept)).await.status, StatusCode::OK);
    let (ended, now_end): (Option<chrono::NaiveDate>, chrono::NaiveDate) =
        sqlx::query_as("SELECT ended_on, term_end FROM postings WHERE id = $1")
            .bind(org.sibling.posting)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((ended, now_end.to_string()), (None, later.clone()));
    // At the (new) term's last day it ends, released with the item still open.
    let release = form(&[
        ("id", &org.sibling.posting.to_string()),
        ("ended_on", &later),
        ("reason", "任期届满"),
        ("decision", "release"),
        ("decision_reason", "电站由村集体接管"),
    ]);
    let res = app.post("/api/end_posting", &release, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let late = form(&[("text", "再加一项"), ("due", &due)]);
    assert_eq!(
        app.post("/api/add_commitment", &late, Some(&yi)).await.status,
        StatusCode::CONFLICT,
        "ended: no more items"
    );
    let decisions: Vec<String> =
        sqlx::query_scalar("SELECT detail->>'decision' FROM audit_log WHERE action = 'release_decision' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(decisions, ["hand_over", "extend", "release"]);
}

/// The three evaluations: 任前 recorded by the department; 任后 run for the postings whose term
/// ended this year, by the panel plus the commitment and the projects, frozen, verified and
/// shown on the dossier beside the year's.
#[tokio::test]
async fn the_end_of_term_evaluation_counts_the_commitment_and_the_projects_and_is_frozen_and_verified() {
    use domain::evaluation::view::Dossier;
    use domain::evaluation::EvaluationStage;
    let app = TestApp::new().await;
    let mut org = seed_org(&app.pool).await;
    seed_projects(&app.pool, &mut org).await;
    let (sec, sup, dept) =
        (app.login("sec.jia", PASSWORD).await, app.login("sup1", PASSWORD).await, app.login("dept1", PASSWORD).await);
    let posting = org.own.posting.to_string();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let year = today.format("%Y").to_string();

    // 任前评估: the department's, not the township's.
    let pre = form(&[
        ("posting_id", &posting),
        ("suitability", "熟悉农村工作，适合驻村"),
        ("second_posting", "on"),
        ("view_township", "同意选派"),
    ]);
    assert_eq!(app.post("/api/record_pre_assessment", &pre, Some(&sup)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/record_pre_assessment", &pre, Some(&dept)).await.status, StatusCode::OK);

    // The project approved and its one milestone reached; one of the two items done.
    for who in [&sup, &dept] {
        let review = form(&[("id", &org.own.project.to_string()), ("decision", "approve"), ("reason", "可行")]);
        assert_eq!(app.post("/api/review_project", &review, Some(who)).await.status, StatusCode::OK);
    }
    let done = form(&[("milestone", &org.own.milestone.to_string()), ("done", "true")]);
    assert_eq!(app.post("/api/project_milestone", &done, Some(&sec)).await.status, StatusCode::OK);
    let due = (today + chrono::Duration::days(30)).to_string();
    assert_eq!(
        app.post("/api/add_commitment", &form(&[("text", "建成压块车间"), ("due", &due)]), Some(&sec)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/commitment_done", &form(&[("id", &org.own.commitment.to_string())]), Some(&sec)).await.status,
        StatusCode::OK
    );
    // The five parties score the panel, 16 of 20 each.
    for item in ["Y1", "Y2", "Y3", "Y5"] {
        for who in ["city", "district", "township", "village", "unit"] {
            let key = format!("{item}@{who}");
            let score = form(&[
                ("posting_id", &posting),
                ("year", &year),
                ("key", &key),
                ("points", "16"),
                ("reason", "五方评议"),
            ]);
            let res = app.post("/api/assess_item", &score, Some(&dept)).await;
            assert_eq!(res.status, StatusCode::OK, "{key}: {}", res.body);
        }
    }
    // The term ends today, its open item handed over.
    let end = form(&[
        ("id", &posting),
        ("ended_on", &today.to_string()),
        ("reason", "任期届满"),
        ("decision", "hand_over"),
        ("decision_reason", "车间在建，移交继任者"),
    ]);
    assert_eq!(app.post("/api/end_posting", &end, Some(&dept)).await.status, StatusCode::OK);

    let run = |path: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("district_id", org.own.district.to_string()),
            ("year", year.clone()),
            ("stage", "end_of_term".to_string()),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        (path.to_string(), pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
    };
    let (path, body) = run("/api/compute_evaluation", &[]);
    let res = app.post(&path, &body, Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let overview: domain::evaluation::view::Overview = serde_json::from_str(
        &app.post("/api/evaluation_overview", &format!("year={year}&stage=end_of_term"), Some(&dept)).await.body,
    )
    .unwrap();
    assert_eq!(overview.stage, EvaluationStage::EndOfTerm);
    let run_of = overview.runs.iter().find(|r| r.district_id == org.own.district).unwrap();
    assert_eq!(run_of.output.rule_set, "yicheng_end");
    let ids: Vec<i64> = run_of.output.results.iter().map(|r| r.id).collect();
    assert_eq!(ids, [org.own.posting], "only the posting whose term ended this year");

    for to in ["reviewed", "approved"] {
        let (path, body) = run("/api/advance_evaluation", &[("to", to)]);
        assert_eq!(app.post(&path, &body, Some(&dept)).await.status, StatusCode::OK);
    }
    let (path, body) = run("/api/verify_evaluation", &[]);
    assert_eq!(app.post(&path, &body, Some(&dept)).await.body, "true");
    let (path, body) = run("/api/compute_evaluation", &[]);
    assert_eq!(app.post(&path, &body, Some(&dept)).await.status, StatusCode::CONFLICT, "frozen");
    // The year-end evaluation is another run, not frozen by this one: filings still open.
    let file = form(&[("year", &year), ("kind", "year_report"), ("body", "述职")]);
    assert_eq!(app.post("/api/file_evaluation", &file, Some(&sec)).await.status, StatusCode::OK);

    // The secretary's dossier lists the stage with its lines: Y6 the items (1 of 2: 10 of 20),
    // Y7 the milestones (1 of 1: 20).
    let res = app.post("/api/my_evaluation", &format!("year={year}"), Some(&sec)).await;
    let dossier: Dossier = serde_json::from_str(&res.body).unwrap();
    let (stage, outcome, state) = &dossier.stages[0];
    assert_eq!((*stage, *state), (EvaluationStage::EndOfTerm, domain::evaluation::view::RunState::Approved));
    let lines = &outcome.score.as_ref().unwrap_or_else(|| panic!("{outcome:?}")).lines;
    let points = |code: &str| lines.iter().find(|l| l.code == code).unwrap().points;
    assert_eq!((points("Y1"), points("Y6"), points("Y7")), (16.0, 10.0, 20.0));
    let pre = dossier.pre_assessment.unwrap();
    assert!(pre.second_posting);
    assert_eq!(pre.views.get("township").map(String::as_str), Some("同意选派"));
}
