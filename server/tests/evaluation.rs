//! The year-end evaluation through the HTTP API: filings and their approval, assessors'
//! scores and entered facts, the anonymous survey, and the department's computed results —
//! frozen, refused changes, verified by recomputation, reopened with an audited reason.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use chrono::Utc;
use common::*;
use domain::evaluation::ballot::BallotSheet;
use domain::evaluation::grade::Grade;
use domain::evaluation::view::{Dossier, Overview, RunState};
use serde_json::json;

async fn push_research(app: &TestApp, cookie: &str) -> String {
    push_record(app, cookie, "research", json!({ "title": "甲村产业调研", "text": "合作社与道路" })).await
}

/// Pushes one record as the phone would; returns its id.
async fn push_record(app: &TestApp, cookie: &str, kind: &str, body: serde_json::Value) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let record = json!({ "id": id, "device_time": Utc::now(), "kind": kind, "body": body });
    let res = push(app, cookie, vec![record]).await;
    assert!(res.body.contains("\"stored\""), "{}", res.body);
    id
}

async fn ok(app: &TestApp, path: &str, pairs: &[(&str, &str)], cookie: &str) -> String {
    let res = app.post(path, &form(pairs), Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
    res.body
}

async fn status(app: &TestApp, path: &str, pairs: &[(&str, &str)], cookie: Option<&str>) -> StatusCode {
    app.post(path, &form(pairs), cookie).await.status
}

async fn dossier(app: &TestApp, posting: i64, year: &str, cookie: &str) -> Dossier {
    serde_json::from_str(
        &ok(app, "/api/evaluation_dossier", &[("posting_id", &posting.to_string()), ("year", year)], cookie).await,
    )
    .unwrap()
}

#[tokio::test]
async fn a_year_is_filed_scored_surveyed_computed_frozen_verified_and_reopened() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let year: i32 = sqlx::query_scalar("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let y = year.to_string();
    let (sec, sup, unit, dept) = (
        app.login("sec.jia", PASSWORD).await,
        app.login("sup1", PASSWORD).await,
        app.login("unit1", PASSWORD).await,
        app.login("dept1", PASSWORD).await,
    );
    let posting = org.own.posting.to_string();
    let target = [("posting_id", posting.as_str()), ("year", y.as_str())];

    // Term goals come after the first research report.
    let goals = [("year", y.as_str()), ("kind", "term_goals"), ("body", "三年目标"), ("goals", "修通村路\n成立合作社")];
    assert_eq!(status(&app, "/api/file_evaluation", &goals, Some(&sec)).await, StatusCode::UNPROCESSABLE_ENTITY);
    let research = push_research(&app, &sec).await;
    ok(&app, "/api/file_evaluation", &goals, &sec).await;
    let commitment = [("year", y.as_str()), ("kind", "commitment"), ("body", "我承诺")];
    assert_eq!(status(&app, "/api/file_evaluation", &commitment, Some(&sec)).await, StatusCode::UNPROCESSABLE_ENTITY);
    let dated = [commitment.as_slice(), &[("published_on", "2026-03-01")]].concat();
    ok(&app, "/api/file_evaluation", &dated, &sec).await;
    ok(&app, "/api/goal_progress", &[("year", &y), ("index", "1"), ("progress", "已注册")], &sec).await;

    // The township and the unit approve the goals, each once; the department cannot.
    ok(&app, "/api/approve_goals", &target, &sup).await;
    assert_eq!(status(&app, "/api/approve_goals", &target, Some(&sup)).await, StatusCode::CONFLICT);
    assert_eq!(status(&app, "/api/approve_goals", &target, Some(&dept)).await, StatusCode::FORBIDDEN);
    ok(&app, "/api/approve_goals", &target, &unit).await;
    let d = dossier(&app, org.own.posting, &y, &sec).await;
    let filed = d.filings.iter().find(|f| f.kind == domain::evaluation::filing::FilingKind::TermGoals).unwrap();
    assert!(filed.approved(), "approved by both");
    assert_eq!(filed.goals[1].progress, "已注册");
    // Filing the same goals again keeps the approvals and the progress; other goals need them again.
    ok(&app, "/api/file_evaluation", &goals, &sec).await;
    let again = dossier(&app, org.own.posting, &y, &sec).await;
    assert!(again.filings.iter().any(|f| f.approved() && f.goals.len() == 2 && f.goals[1].progress == "已注册"));
    assert!(d.score.is_err(), "the assessors' items are missing: {:?}", d.score);

    // Assessors: the department scores this 脱产 secretary; the township may not.
    let assess = |key: &'static str, points: &'static str| {
        vec![
            ("posting_id", posting.clone()),
            ("year", y.clone()),
            ("key", key.to_string()),
            ("points", points.to_string()),
            ("reason", "查阅台账".to_string()),
            ("evidence", "民情日记本\n会议记录".to_string()),
        ]
    };
    let pairs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |v: Vec<(&'static str, String)>, who: String| {
        let app = &app;
        async move {
            let p = pairs(&v);
            let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post("/api/assess_item", &form(&refs), Some(&who)).await.status
        }
    };
    assert_eq!(send(assess("B1.1", "1"), dept.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "a deduction is ≤ 0");
    assert_eq!(send(assess("B1.1", "-2"), sup.clone()).await, StatusCode::FORBIDDEN, "脱产: the department's");
    assert_eq!(send(assess("X9", "0"), dept.clone()).await, StatusCode::UNPROCESSABLE_ENTITY);
    for (key, points) in [("B1.1", "-2"), ("D1.1", "0"), ("D4.1", "0"), ("D4.2", "-1.5")] {
        assert_eq!(send(assess(key, points), dept.clone()).await, StatusCode::OK, "{key}");
    }
    let fact = |fact: &'static str, value: &'static str, evidence: &'static str| {
        [
            ("posting_id", org.own.posting.to_string()),
            ("year", y.clone()),
            ("fact", fact.into()),
            ("value", value.into()),
            ("evidence", evidence.into()),
        ]
    };
    let enter = |f: [(&'static str, String); 5]| {
        let app = &app;
        let dept = dept.clone();
        async move {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post("/api/enter_fact", &form(&refs), Some(&dept)).await.status
        }
    };
    assert_eq!(enter(fact("demonstration_bases", "1", "x")).await, StatusCode::UNPROCESSABLE_ENTITY, "a 实事 record");
    assert_eq!(enter(fact("policy_funds_yuan", "1", "x")).await, StatusCode::UNPROCESSABLE_ENTITY, "a 实事 record");
    assert_eq!(enter(fact("jobs", "3", "x")).await, StatusCode::UNPROCESSABLE_ENTITY, "counted from the records");
    assert_eq!(enter(fact("projects_class_2", "1", "")).await, StatusCode::UNPROCESSABLE_ENTITY, "evidence needed");
    assert_eq!(enter(fact("projects_class_2", "-1", "x")).await, StatusCode::UNPROCESSABLE_ENTITY);
    for (f, v, e) in [
        ("projects_class_2", "1", "引进项目评估意见（二类）"),
        ("party_training_held", "1", "培训签到表"),
        ("development_plan", "1", "发展规划"),
        ("annual_work_plan", "1", "年度计划"),
        ("village_grade_change", "1", "镇党委定级文件：C→B"),
    ] {
        assert_eq!(enter(fact(f, v, e)).await, StatusCode::OK, "{f}");
    }
    // Funds raised come from a 实事 recorded on the phone.
    let practical =
        json!({ "kind": "funds", "date": Utc::now().date_naive(), "title": "争取道路硬化资金", "yuan": 25000 });
    let funds = push_record(&app, &sec, "practical", practical).await;
    let d = dossier(&app, org.own.posting, &y, &dept).await;
    let score = d.score.clone().expect("every assessor item is scored");
    let line = |code: &str| score.lines.iter().find(|l| l.code == code).unwrap().clone();
    assert_eq!(line("P1").points, 10.0, "2 whole 10,000 yuan × 5");
    assert_eq!(line("P1").evidence, std::slice::from_ref(&funds));
    assert_eq!(line("P3.2").points, 30.0, "a class-2 project");
    assert_eq!(line("P3.2").evidence, ["引进项目评估意见（二类）"]);
    assert!(d.evidence.iter().any(|e| e.id == funds && e.summary == "争取物资资金：争取道路硬化资金"));
    assert_eq!(line("B1.1").points, 8.0);
    assert_eq!(line("D4.2").points, 1.5, "3 − 1.5");
    assert_eq!(line("G").points, 10.0);
    assert_eq!(line("D1.2").points, 4.0, "the research report");
    assert_eq!(line("D1.2").evidence, std::slice::from_ref(&research));
    assert!(d.evidence.iter().any(|e| e.id == research && e.summary == "甲村产业调研"), "the record behind the point");
    assert!(d.may.assess && !d.may.approve_as_township);
    // The phone's projection takes the assessors' scores as they come in.
    let reference = app.get("/sync/reference", Some(&sec)).await;
    let reference: domain::sync::Reference = serde_json::from_str(&reference.body).unwrap();
    let shortfalls = reference.projection.unwrap().shortfalls;
    assert!(shortfalls.iter().any(|(code, _, lost)| code == "B1.1" && *lost == 2.0), "{shortfalls:?}");

    // The survey: six eligible voters, codes on paper, one vote each, nobody linked.
    sqlx::query("UPDATE villages SET eligible_voters = 6 WHERE id = $1")
        .bind(org.own.village)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(status(&app, "/api/issue_ballots", &target, Some(&unit)).await, StatusCode::FORBIDDEN);
    let sheet: BallotSheet = serde_json::from_str(&ok(&app, "/api/issue_ballots", &target, &sup).await).unwrap();
    assert_eq!(sheet.ballots.len(), 6);
    assert!(sheet.ballots[0].2.starts_with("<?xml") || sheet.ballots[0].2.contains("<svg"), "a QR code");
    assert!(sheet.ballots[0].1.ends_with(&sheet.ballots[0].0.replace('-', "")), "the QR link carries the code");
    let vote = |code: String, answer: &'static str| {
        let app = &app;
        async move { status(app, "/api/cast_ballot", &[("code", &code), ("answer", answer)], None).await }
    };
    let codes: Vec<String> = sheet.ballots.iter().map(|b| b.0.clone()).collect();
    for (code, answer) in codes.iter().zip(["very_satisfied", "satisfied", "satisfied"]) {
        assert_eq!(vote(code.to_lowercase(), answer).await, StatusCode::OK);
    }
    assert_eq!(vote(codes[0].clone(), "dissatisfied").await, StatusCode::CONFLICT, "one vote per code");
    assert_eq!(vote("ABCDE-FGHJ0".into(), "satisfied").await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vote("ABCDE-FGHJK".into(), "satisfied").await, StatusCode::UNPROCESSABLE_ENTITY, "not issued");
    // Lost slips: issuing again voids the unused codes and prints one for each who has not voted.
    let again: BallotSheet = serde_json::from_str(&ok(&app, "/api/issue_ballots", &target, &sup).await).unwrap();
    assert_eq!(again.ballots.len(), 3);
    assert_eq!(vote(codes[4].clone(), "satisfied").await, StatusCode::UNPROCESSABLE_ENTITY, "voided");
    // While the survey is open only the turnout shows, to the secretary as to anyone (the last
    // voter's answer could be read off a live count).
    let mine: domain::evaluation::view::Dossier =
        serde_json::from_str(&ok(&app, "/api/my_evaluation", &[("year", &y)], &sec).await).unwrap();
    let open = mine.survey.unwrap();
    assert_eq!(
        (open.votes, open.survey.votes(), open.survey.satisfaction()),
        (3, 0, None),
        "3 of 6, no count by answer"
    );
    assert_eq!(vote(again.ballots[0].0.clone(), "dissatisfied").await, StatusCode::OK);
    let survey = dossier(&app, org.own.posting, &y, &sup).await.survey.unwrap();
    assert_eq!((survey.votes, survey.survey.satisfaction()), (4, None), "hidden until closed");
    let counts: (i32, i32) = sqlx::query_as("SELECT very_satisfied + satisfied, dissatisfied FROM surveys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(counts, (3, 1), "(1 + 2) satisfied of 4: 0.75 once closed");
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'ballot_codes' ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(columns, ["code_hash", "keyed", "survey_id", "used"], "no time, no answer, no person on a code");
    // Stored keyed with the server's secret: the database alone cannot check a guess.
    let code = domain::evaluation::ballot::normalise(&again.ballots[1].0).unwrap();
    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT code_hash FROM ballot_codes WHERE keyed").fetch_all(&app.pool).await.unwrap();
    assert!(stored.contains(&key().hash(&code)));
    assert!(!stored.contains(&domain::evaluation::ballot::legacy_hash(&code)));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action LIKE '%ballot%' AND action <> 'issue_ballots'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited, 0, "votes leave no trace in the audit log");

    // The department computes the district; the sibling township's secretary is not scored yet.
    let district = [("district_id", org.own.district.to_string()), ("year", y.clone())];
    let district: Vec<(&str, &str)> = district.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(status(&app, "/api/compute_evaluation", &district, Some(&sup)).await, StatusCode::FORBIDDEN);
    ok(&app, "/api/compute_evaluation", &district, &dept).await;
    let overview: Overview =
        serde_json::from_str(&ok(&app, "/api/evaluation_overview", &[("year", &y)], &dept).await).unwrap();
    assert_eq!(overview.standings.len(), 2, "both townships of the district");
    let run = &overview.runs[0];
    assert_eq!(run.state, RunState::Computed);
    let mine = run.output.results.iter().find(|r| r.id == org.own.posting).unwrap();
    let total = mine.score.as_ref().unwrap().organisation_score * 0.75;
    assert_eq!(mine.total, Some((total * 100.0).round() / 100.0));
    assert_eq!(
        mine.grade,
        Some(Grade::Competent),
        "alone in the category: 30 % of 1 is nobody; 0.75 is over 0.6 {mine:?}"
    );
    let sibling = run.output.results.iter().find(|r| r.id == org.sibling.posting).unwrap();
    assert!(sibling.grade.is_none() && sibling.error.is_some());
    assert!(!run.output.results.iter().any(|r| r.id == org.foreign.posting), "another district");

    // Until approved, only the department sees the result.
    assert!(dossier(&app, org.own.posting, &y, &sec).await.result.is_none());
    assert!(dossier(&app, org.own.posting, &y, &dept).await.result.is_some());

    // Verified, frozen by the department meeting, approved; changes are refused.
    assert_eq!(ok(&app, "/api/verify_evaluation", &district, &dept).await, "true");
    let to = |state: &'static str| [district.as_slice(), &[("to", state)]].concat();
    assert_eq!(
        status(&app, "/api/advance_evaluation", &to("approved"), Some(&dept)).await,
        StatusCode::CONFLICT,
        "review first"
    );
    ok(&app, "/api/advance_evaluation", &to("reviewed"), &dept).await;
    ok(&app, "/api/advance_evaluation", &to("approved"), &dept).await;
    assert_eq!(send(assess("D1.1", "-1"), dept.clone()).await, StatusCode::CONFLICT, "frozen");
    assert_eq!(status(&app, "/api/file_evaluation", &goals, Some(&sec)).await, StatusCode::CONFLICT);
    assert_eq!(status(&app, "/api/compute_evaluation", &district, Some(&dept)).await, StatusCode::CONFLICT);
    assert_eq!(vote(again.ballots[1].0.clone(), "satisfied").await, StatusCode::UNPROCESSABLE_ENTITY, "survey over");
    let d = dossier(&app, org.own.posting, &y, &sec).await;
    assert_eq!(d.result.as_ref().map(|(o, s)| (o.grade, *s)), Some((mine.grade, RunState::Approved)));
    let frozen = d.score.clone().unwrap();
    assert!(d.frozen && !frozen.lines.is_empty(), "the frozen points, item by item");
    assert_eq!(frozen.organisation_score, mine.score.as_ref().unwrap().organisation_score);
    assert!(mine.score.as_ref().unwrap().lines.is_empty(), "the ranking page reads no item lines");

    // A tampered stored result no longer matches its recomputation.
    sqlx::query(
        "UPDATE evaluation_runs SET output = jsonb_set(output, '{results,0,total}', '1.0') WHERE district_id = $1",
    )
    .bind(org.own.district)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(ok(&app, "/api/verify_evaluation", &district, &dept).await, "false");

    // Reopening needs a reason, is audited, and lets a new computation replace nothing old.
    let reopen = |reason: &'static str| [district.as_slice(), &[("reason", reason)]].concat();
    assert_eq!(
        status(&app, "/api/reopen_evaluation", &reopen(" "), Some(&dept)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    ok(&app, "/api/reopen_evaluation", &reopen("复核发现漏计示范基地"), &dept).await;
    let reason: String =
        sqlx::query_scalar("SELECT detail->>'reason' FROM audit_log WHERE action = 'reopen_evaluation'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(reason, "复核发现漏计示范基地");
    assert_eq!(send(assess("D1.1", "-1"), dept.clone()).await, StatusCode::OK, "open again");
    ok(&app, "/api/compute_evaluation", &district, &dept).await;
    let runs: Vec<(String, bool)> =
        sqlx::query_as("SELECT state, reopen_reason IS NOT NULL FROM evaluation_runs ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(runs, [("reopened".to_string(), true), ("computed".to_string(), false)], "the old run is kept");
    assert_eq!(ok(&app, "/api/verify_evaluation", &district, &dept).await, "true");

    // The ranking export lists the graded secretary with every item.
    let res = app.get(&format!("/reports/ranking.xlsx?year={y}&district_id={}", org.own.district), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(res.body_bytes)).unwrap();
    use calamine::Reader;
    let ranking = book.worksheet_range("考核排名").unwrap();
    let names: Vec<String> = ranking.rows().filter_map(|r| r.get(2).map(|c| c.to_string())).collect();
    assert!(names.iter().any(|n| n.contains("甲书记")), "{names:?}");
    let items = book.worksheet_range("评分明细").unwrap();
    assert_eq!(
        items.rows().count(),
        1 + domain::evaluation::rules::RuleSet::jiaozhou().items.len(),
        "one line per item"
    );
}

#[tokio::test]
async fn a_district_on_the_yicheng_rules_is_scored_by_its_panel_and_the_attendance() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sys = app.login("sys", PASSWORD).await;
    let sec = app.login("sec.bing", PASSWORD).await;
    let year: i32 = sqlx::query_scalar("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (y, district, posting) = (year.to_string(), org.foreign.district.to_string(), org.foreign.posting.to_string());
    assert_eq!(
        status(&app, "/api/set_evaluation_rules", &[("district_id", &district), ("rules", "x")], Some(&sys)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    ok(&app, "/api/set_evaluation_rules", &[("district_id", &district), ("rules", "yicheng")], &sys).await;

    // A verified check-in today: one day in the village.
    let body = json!({ "device_now": Utc::now(), "records": [{
        "id": uuid::Uuid::new_v4().to_string(), "device_time": Utc::now(), "kind": "check_in",
        "body": { "village_id": org.foreign.village, "lat": 34.7, "lon": 117.5, "accuracy_m": 15.0, "offline": false } }] });
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sync/push")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &sec)
        .body(Body::from(body.to_string()))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::OK);

    let d = dossier(&app, org.foreign.posting, &y, &sys).await;
    assert_eq!(d.slots.len(), 20, "four blocks × five assessors");
    for (i, slot) in d.slots.iter().enumerate() {
        let points = if i % 5 == 0 { "10" } else { "20" };
        ok(
            &app,
            "/api/assess_item",
            &[("posting_id", &posting), ("year", &y), ("key", &slot.key), ("points", points), ("reason", "实地查看")],
            &sys,
        )
        .await;
    }
    sqlx::query("UPDATE villages SET eligible_voters = 3 WHERE id = $1")
        .bind(org.foreign.village)
        .execute(&app.pool)
        .await
        .unwrap();
    let sheet: BallotSheet =
        serde_json::from_str(&ok(&app, "/api/issue_ballots", &[("posting_id", &posting), ("year", &y)], &sys).await)
            .unwrap();
    for (b, answer) in sheet.ballots.iter().zip(["very_satisfied", "basically_satisfied", "satisfied"]) {
        assert_eq!(status(&app, "/api/cast_ballot", &[("code", &b.0), ("answer", answer)], None).await, StatusCode::OK);
    }
    let d = dossier(&app, org.foreign.posting, &y, &sys).await;
    let score = d.score.expect("every panel member has scored");
    let line = |code: &str| score.lines.iter().find(|l| l.code == code).unwrap().clone();
    // Each block: one assessor gave 10, four gave 20, equal weights 0.2: 18.
    assert!((line("Y1").points - 18.0).abs() < 1e-9, "{:?}", line("Y1"));
    let required = d.recorded["days_required"];
    assert_eq!(d.recorded["days_in_village"], 1.0);
    assert!((line("Y4").points - 20.0 / required).abs() < 1e-9, "20 × 1 of {required} days");
    assert_eq!(score.rule_set, "yicheng");

    ok(&app, "/api/compute_evaluation", &[("district_id", &district), ("year", &y)], &sys).await;
    let overview: Overview =
        serde_json::from_str(&ok(&app, "/api/evaluation_overview", &[("year", &y)], &sys).await).unwrap();
    let run = overview.runs.iter().find(|r| r.district_id == org.foreign.district).unwrap();
    assert_eq!(run.output.rule_set, "yicheng");
    let result = &run.output.results[0];
    assert_eq!(result.satisfaction, Some(2.0 / 3.0));
    assert!(result.grade.is_some(), "{result:?}");
    assert_eq!(ok(&app, "/api/verify_evaluation", &[("district_id", &district), ("year", &y)], &sys).await, "true");
}

#[tokio::test]
async fn the_township_assesses_its_part_time_secretaries_and_the_department_all() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let (sup, dept) = (app.login("sup1", PASSWORD).await, app.login("dept1", PASSWORD).await);
    let posting = org.own.posting.to_string();
    let score =
        [("posting_id", posting.as_str()), ("year", "2026"), ("key", "D1.1"), ("points", "-1"), ("reason", "日记不全")];
    assert_eq!(
        status(&app, "/api/assess_item", &score, Some(&sup)).await,
        StatusCode::FORBIDDEN,
        "脱产: the department's"
    );
    sqlx::query("UPDATE postings SET mode = 'part_time' WHERE id = $1")
        .bind(org.own.posting)
        .execute(&app.pool)
        .await
        .unwrap();
    ok(&app, "/api/assess_item", &score, &sup).await;
    ok(&app, "/api/assess_item", &score, &dept).await;
    let d = dossier(&app, org.own.posting, "2026", &sup).await;
    assert!(d.may.assess);
    let slot = d.slots.iter().find(|s| s.key == "D1.1").unwrap();
    assert_eq!(slot.current.as_ref().map(|a| (a.points, a.assessor.as_str())), Some((-1.0, "dept1")), "the last word");
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'assess'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 2, "each score audited with before and after");
}
