//! The department's dashboard and the dispatching unit's view: the stored figures add up to
//! what the raw records say (computed here again, in SQL, from `field_records`), they follow a
//! push once the refresher has run, each department sees its own part of the tree, and a report
//! asked for by a browser explains its refusal in a page.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::Utc;
use common::*;
use domain::dashboard::{Dashboard, Followed, Period, Totals};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn dashboard(app: &TestApp, cookie: &str, district: Option<i64>, period: Period) -> Dashboard {
    let mut pairs = vec![("period", period.code().to_string())];
    if let Some(d) = district {
        pairs.push(("district_id", d.to_string()));
    }
    let body = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let res = app.post("/api/department_dashboard", &body, Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page: Value = serde_json::from_str(&res.body).unwrap();
    assert!(page["attendance_trend"].as_str().unwrap().starts_with("<svg"), "charts drawn on the server");
    serde_json::from_value(page["dashboard"].clone()).unwrap()
}

/// One township's figures for `period`, computed straight from the raw records and the
/// calendar: days with a verified check-in (district time), working days not on leave, weeks
/// (脱产) or months (非脱产) with a chaired 两委 meeting.
#[derive(Debug, Default, PartialEq)]
struct Raw {
    days: i64,
    required: i64,
    met: i64,
    meetings_due: i64,
    meetings_held: i64,
}

async fn raw(pool: &db::PgPool, district: i64, first_of_period: &str) -> BTreeMap<i64, Raw> {
    let sql = format!(
        "WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d),
         p AS (
             SELECT p.id, p.mode, v.township_id, p.term_start, coalesce(p.ended_on, p.term_end) AS term_last,
                    greatest(p.term_start, {first_of_period}) AS first, least(coalesce(p.ended_on, p.term_end), today.d) AS last
               FROM postings p JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id, today
              WHERE t.district_id = $1
                AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))),
         day AS (SELECT p.id, p.mode, p.township_id, p.term_start, p.term_last, p.first, d::date AS day
                   FROM p, generate_series(p.first, p.last, '1 day') d),
         present AS (SELECT DISTINCT r.posting_id AS id,
                            ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE 'Asia/Shanghai')::date AS day
                       FROM field_records r WHERE r.kind = 'check_in' AND r.verdict = 'verified'),
         leave AS (SELECT l.posting_id AS id, d::date AS day FROM leave_requests l,
                          generate_series(l.first_day, l.last_day, '1 day') d WHERE l.status = 'approved'),
         meeting AS (SELECT DISTINCT posting_id AS id, (body->'body'->>'date')::date AS day FROM field_records
                      WHERE kind = 'meeting' AND body->'body'->>'kind' = 'liang_wei_weekly'
                        AND (body->'body'->>'chaired')::boolean),
         marked AS (
             SELECT day.*, EXISTS (SELECT 1 FROM present x WHERE x.id = day.id AND x.day = day.day) AS here,
                    EXISTS (SELECT 1 FROM leave x WHERE x.id = day.id AND x.day = day.day) AS away,
                    coalesce((SELECT c.working FROM calendar_days c WHERE c.day = day.day), extract(isodow FROM day.day) < 6) AS working,
                    CASE WHEN day.mode = 'full_time' THEN date_trunc('week', day.day) ELSE date_trunc('month', day.day) END::date AS duty,
                    day.day < (SELECT d FROM today) AS past
               FROM day),
         -- Each week (脱产) or month (非脱产), owed by the period holding its first day served:
         -- owed once over or done; a week the term began after its Monday owes no meeting.
         duties AS (
             SELECT id, mode, township_id, duty, bool_or(here) AS stayed,
                    EXISTS (SELECT 1 FROM meeting m WHERE m.id = marked.id AND m.day >= duty
                              AND m.day < duty + CASE WHEN mode = 'full_time' THEN interval '1 week' ELSE interval '1 month' END) AS held,
                    least(CASE WHEN mode = 'full_time' THEN duty + 6 ELSE (duty + interval '1 month')::date - 1 END, min(term_last))
                        < (SELECT d FROM today) AS over,
                    duty >= min(term_start) AS whole
               FROM marked
              GROUP BY id, mode, township_id, duty
             HAVING greatest(duty, min(term_start)) >= min(first)),
         owed AS (SELECT * FROM marked WHERE mode = 'full_time' AND working AND NOT away AND (past OR here))
         SELECT t.township_id,
                (SELECT count(*) FROM marked m WHERE m.township_id = t.township_id AND m.here),
                (SELECT count(*) FROM owed m WHERE m.township_id = t.township_id)
                  + (SELECT count(*) FROM duties d WHERE d.township_id = t.township_id AND d.mode = 'part_time' AND (d.over OR d.stayed)),
                (SELECT count(*) FROM owed m WHERE m.township_id = t.township_id AND m.here)
                  + (SELECT count(*) FROM duties d WHERE d.township_id = t.township_id AND d.mode = 'part_time' AND d.stayed),
                (SELECT count(*) FROM duties d WHERE d.township_id = t.township_id
                    AND (d.held OR (d.over AND (d.whole OR d.mode = 'part_time')))),
                (SELECT count(*) FROM duties d WHERE d.township_id = t.township_id AND d.held)
           FROM (SELECT DISTINCT township_id FROM p) t"
    );
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(&sql).bind(district).fetch_all(pool).await.unwrap();
    rows.into_iter()
        .map(|(t, days, required, met, meetings_due, meetings_held)| {
            (t, Raw { days, required, met, meetings_due, meetings_held })
        })
        .collect()
}

fn of(t: &Totals) -> Raw {
    Raw { days: t.days, required: t.required, met: t.met, meetings_due: t.meetings_due, meetings_held: t.meetings_held }
}

#[tokio::test]
async fn the_dashboard_adds_up_to_what_the_records_say() {
    let app = TestApp::new().await;
    let pool = &app.pool;
    db::seed::demo(pool).await.unwrap();
    // A lived-in year up to now: this morning's check-ins too, when the test runs after them.
    db::seed::history(pool, Utc::now()).await.unwrap();
    let district: i64 =
        sqlx::query_scalar("SELECT id FROM districts WHERE name = '峄城区'").fetch_one(pool).await.unwrap();
    // Approved leave over the last week, for a few full-time secretaries: not owed.
    sqlx::query(
        "INSERT INTO leave_requests (posting_id, first_day, last_day, reason, status, decided_by, decided_at)
         SELECT p.id, current_date - 7, current_date - 1, '培训', 'approved', (SELECT id FROM accounts WHERE username = 'zzb'), now()
           FROM postings p WHERE p.mode = 'full_time' AND p.id % 9 = 0",
    )
    .execute(pool)
    .await
    .unwrap();
    assert!(db::dashboard::refresh_all(pool).await.unwrap() > 250, "both districts' postings");
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM dashboard_queue").fetch_one(pool).await.unwrap();
    assert_eq!(queued, 0);

    let zzb = app.login("zzb", db::seed::DEMO_PASSWORD).await;
    for (period, first) in [
        (Period::Term, "p.term_start"),
        (Period::Month, "date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date"),
    ] {
        let d = dashboard(&app, &zzb, None, period).await;
        assert_eq!(d.district_id, Some(district));
        assert_eq!(d.rows.len(), 7, "峄城区's townships");
        let expected = raw(pool, district, first).await;
        for row in &d.rows {
            assert_eq!(of(&row.totals), *expected.get(&row.id).unwrap(), "{} in {period:?}", row.name);
        }
        let total = of(&d.total);
        assert_eq!(total.days, expected.values().map(|r| r.days).sum::<i64>());
        assert_eq!(d.total.secretaries, 171);
        if period == Period::Term {
            assert!(
                total.days > 10_000 && total.met < total.required && total.meetings_held < total.meetings_due,
                "{total:?}"
            );
            assert!(d.trends[0].points.len() > 30, "a line a week since March");
        }
    }

    // The counts of the moment, against the raw records too.
    let d = dashboard(&app, &zzb, None, Period::Today).await;
    let research: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM field_records r JOIN postings p ON p.id = r.posting_id JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id WHERE t.district_id = $1 AND r.kind = 'research'",
    )
    .bind(district)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(d.total.research_reports, research);
    let households: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM households h JOIN postings p ON p.id = h.posting_id JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id WHERE t.district_id = $1",
    )
    .bind(district)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(d.total.households, households);
    assert!(d.total.goals_filed > 140 && d.total.assessed > 0 && d.total.survey_votes > 0, "{:?}", d.total);

    // The unit's view: its own secretaries, each with this month's days as the records say.
    let unit = app.login("dw.jiaoti", db::seed::DEMO_PASSWORD).await;
    let res = app.post("/api/followed_secretaries", "", Some(&unit)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let followed: Vec<Followed> = serde_json::from_str(&res.body).unwrap();
    let theirs: BTreeSet<i64> = sqlx::query_scalar(
        "SELECT p.id FROM postings p JOIN units u ON u.id = p.unit_id WHERE u.name = '区教育和体育局' AND u.district_id = $1
            AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))",
    )
    .bind(district)
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(followed.iter().map(|f| f.posting_id).collect::<BTreeSet<_>>(), theirs);
    for f in &followed {
        let days: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT ((device_time + clock_skew_s * interval '1 second') AT TIME ZONE 'Asia/Shanghai')::date)
               FROM field_records WHERE posting_id = $1 AND kind = 'check_in' AND verdict = 'verified'
                AND device_time >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'",
        )
        .bind(f.posting_id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(i64::from(f.assessment.as_ref().unwrap().days_in_village_month), days, "{}", f.secretary);
    }
    // The city compares its two districts.
    let szzb = app.login("szzb", db::seed::DEMO_PASSWORD).await;
    let city = dashboard(&app, &szzb, None, Period::Term).await;
    assert_eq!(city.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["峄城区", "薛城区"]);
    assert_eq!(city.rows[0].totals, dashboard(&app, &zzb, None, Period::Term).await.total);
    assert_eq!(city.total.secretaries, 291);
}

#[tokio::test]
async fn a_push_reaches_the_dashboard_when_the_refresher_has_run() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let pool = &app.pool;
    db::dashboard::refresh_all(pool).await.unwrap();
    let dept = app.login("dept1", PASSWORD).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let before = dashboard(&app, &dept, None, Period::Today).await;
    let own = |d: &Dashboard| d.rows.iter().find(|r| r.id == org.own.township).unwrap().totals.clone();
    assert_eq!(own(&before).present_today, 0);
    assert_eq!(before.rows.len(), 2, "the district's two townships");

    // The dashboard hears of it when the figures are stored, not before.
    let req = Request::builder().uri("/events/attendance").header(header::COOKIE, &dept).body(Body::empty()).unwrap();
    let mut events = app.router.clone().oneshot(req).await.unwrap().into_body();
    let check_in = json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": Utc::now(), "kind": "check_in",
        "body": { "village_id": org.own.village, "lat": 34.7, "lon": 117.5, "accuracy_m": 12.0, "offline": false } });
    push(&app, &sec, vec![check_in]).await;
    let queued: Vec<i64> = sqlx::query_scalar("SELECT posting_id FROM dashboard_queue").fetch_all(pool).await.unwrap();
    assert_eq!(queued, [org.own.posting], "the push queued its posting");
    assert_eq!(own(&dashboard(&app, &dept, None, Period::Today).await).present_today, 0, "not yet recomputed");
    assert_eq!(db::dashboard::refresh(pool, 100).await.unwrap(), 1);
    let after = dashboard(&app, &dept, None, Period::Today).await;
    assert_eq!(own(&after).present_today, 1);
    assert_eq!(after.total.present_today, 1);
    assert_eq!(after.pending, 0);
    let mut seen = String::new();
    while !seen.contains("event: dashboard") {
        let frame = tokio::time::timeout(Duration::from_secs(10), events.frame()).await.expect("an event within 10 s");
        if let Ok(data) = frame.expect("the stream is open").unwrap().into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(seen.contains(&format!("event: dashboard\ndata: {}\n", org.own.district)), "{seen}");

    // Leave decided, and a new day, queue the posting again.
    let sup = app.login("sup1", PASSWORD).await;
    let res = app
        .post("/api/decide_leave", &form(&[("id", &org.own.leave.to_string()), ("approve", "true")]), Some(&sup))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(db::dashboard::refresh(pool, 100).await.unwrap(), 1);
    sqlx::query("UPDATE posting_stats SET day = day - 1").execute(pool).await.unwrap();
    assert_eq!(db::dashboard::refresh_all(pool).await.unwrap(), 3, "every posting of a past day");
    let day: chrono::NaiveDate =
        sqlx::query_scalar("SELECT min(day) FROM posting_stats").fetch_one(pool).await.unwrap();
    assert_eq!(day, after.today);
    // A change to the national calendar queues every running posting.
    let admin = app.login("sys", PASSWORD).await;
    let res = app
        .post(
            "/api/set_calendar_day",
            &form(&[("day", "2026-12-31"), ("working", "false"), ("name", "测试")]),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let queued: i64 = sqlx::query_scalar("SELECT count(*) FROM dashboard_queue").fetch_one(pool).await.unwrap();
    assert_eq!(queued, 3);
}

#[tokio::test]
async fn each_department_sees_its_own_part_of_the_tree() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    // Another city, whose district the test city's department must not see.
    let other: i64 = sqlx::query_scalar(
        "WITH c AS (INSERT INTO cities (name) VALUES ('别市') RETURNING id)
         INSERT INTO districts (city_id, name) SELECT id, '别区' FROM c RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    db::dashboard::refresh_all(&app.pool).await.unwrap();
    let dept = app.login("dept1", PASSWORD).await;
    let city = app.login("city1", PASSWORD).await;
    let sup = app.login("sup1", PASSWORD).await;

    let d = dashboard(&app, &dept, None, Period::Month).await;
    assert_eq!(d.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["甲镇", "乙镇"]);
    assert_eq!(d.name, "一区");
    let c = dashboard(&app, &city, None, Period::Month).await;
    assert_eq!(c.name, "测试市");
    assert_eq!(c.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["一区", "二区"]);
    assert_eq!(c.total.secretaries, 3);
    // The city drills down into a district of its own, not another city's.
    let down = dashboard(&app, &city, Some(org.foreign.district), Period::Month).await;
    assert_eq!(down.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["丙镇"]);
    for (cookie, district, want) in [
        (&city, other, StatusCode::NOT_FOUND),
        (&dept, org.foreign.district, StatusCode::NOT_FOUND),
        (&sup, org.own.district, StatusCode::FORBIDDEN),
    ] {
        let res =
            app.post("/api/department_dashboard", &form(&[("district_id", &district.to_string())]), Some(cookie)).await;
        assert_eq!(res.status, want, "{}", res.body);
    }
    let res = app.post("/api/department_dashboard", &form(&[("period", "year")]), Some(&dept)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("统计周期 year 无效"), "{}", res.body);
    // The unit follows only the secretary it sent.
    let unit = app.login("unit1", PASSWORD).await;
    let followed: Vec<Followed> =
        serde_json::from_str(&app.post("/api/followed_secretaries", "", Some(&unit)).await.body).unwrap();
    assert_eq!(followed.iter().map(|f| f.secretary.as_str()).collect::<Vec<_>>(), ["甲书记"]);
    let timeline = |posting: i64| form(&[("posting_id", &posting.to_string())]);
    assert_eq!(
        app.post("/api/secretary_timeline", &timeline(org.own.posting), Some(&unit)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/secretary_timeline", &timeline(org.sibling.posting), Some(&unit)).await.status,
        StatusCode::NOT_FOUND,
        "another unit's secretary"
    );
}

#[tokio::test]
async fn a_report_a_browser_cannot_have_is_a_page_saying_why() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let dept = app.login("dept1", PASSWORD).await;
    for path in
        ["/reports/attendance.xlsx", "/reports/attendance.xlsx?month=2026-13", "/reports/dashboard.xlsx?period=year"]
    {
        let res = app.get(path, Some(&dept)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(res.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{path}");
        assert!(res.body.contains("无法生成报表") && !res.body.contains("{\""), "{path}: {}", res.body);
    }
    let res = app.get("/reports/attendance.xlsx?month=%3Cb%3E", Some(&dept)).await;
    assert!(res.body.contains("月份 &lt;b&gt; 无效") && !res.body.contains("<b>"), "escaped: {}", res.body);
    // Scripts still get the API's JSON.
    let req =
        Request::builder().uri("/reports/attendance.xlsx").header(header::COOKIE, &dept).body(Body::empty()).unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.starts_with("{\"Invalid\""), "{}", res.body);
    // The district's workbook for a month, and the dashboard's.
    for path in ["/reports/attendance.xlsx?month=2026-11", "/reports/dashboard.xlsx?period=term"] {
        let res = app.get(path, Some(&dept)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        assert!(res.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    }
}

#[tokio::test]
async fn next_years_calendar_is_confirmed_by_the_system_administrator() {
    let app = TestApp::new().await;
    let _org = seed_org(&app.pool).await;
    let admin = app.login("sys", PASSWORD).await;
    let dept = app.login("dept1", PASSWORD).await;
    let confirm = form(&[("year", "2027"), ("notice", "国务院办公厅关于2027年部分节假日安排的通知")]);
    let res = app.post("/api/confirm_calendar_year", &confirm, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing entered for 2027 yet");
    assert_eq!(app.post("/api/confirm_calendar_year", &confirm, Some(&dept)).await.status, StatusCode::FORBIDDEN);
    let day = form(&[("day", "2027-01-01"), ("working", "false"), ("name", "元旦")]);
    assert_eq!(app.post("/api/set_calendar_day", &day, Some(&admin)).await.status, StatusCode::OK);
    let res = app.post("/api/confirm_calendar_year", &confirm, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (years, due): (Vec<domain::calendar::CalendarYear>, Option<i32>) =
        serde_json::from_str(&app.post("/api/calendar_years", "", Some(&dept)).await.body).unwrap();
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), [2026, 2027]);
    assert_eq!(years[1].confirmed_by.as_deref(), Some("sys"));
    assert_eq!(due, None, "nothing due with next year loaded (or before November)");
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'confirm_calendar_year'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

/// Issue 13: the month a secretary files is drafted from the counts the dashboard shows (one
/// rule for a day in the village: a check-in, or a visit made there), and what recording cost
/// on the phone reaches the department's burden table.
#[tokio::test]
async fn the_monthly_draft_counts_what_the_dashboard_counts_and_the_burden_is_measured() {
    use chrono::Datelike;
    use domain::burden::Burden;
    use domain::monthly::MonthlyDraft;
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let dept = app.login("dept1", PASSWORD).await;
    let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1 LIMIT 1")
        .bind(org.own.posting)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let now = Utc::now();
    let today = (now + chrono::Duration::hours(8)).date_naive();
    let mut records = Vec::new();
    let mut seconds = 0;
    // Up to four days of this month (China time): check-ins on some, a visit made in the
    // village (with the phone's position) on the others.
    for back in (0..4).filter(|k| i64::from(today.day0()) >= *k) {
        let made = now - chrono::Duration::days(back) - chrono::Duration::minutes(5);
        let day = today - chrono::Duration::days(back);
        let (kind, body, effort) = if back % 2 == 1 {
            let body = json!({ "village_id": org.own.village, "lat": 34.7, "lon": 117.5, "accuracy_m": 12.0, "offline": false });
            ("check_in", body, 8)
        } else {
            let body = json!({ "household_id": household, "date": day, "notes": "看望", "help": [],
                               "position": { "lat": 34.7, "lon": 117.5, "accuracy_m": 12.0 } });
            ("visit", body, 40)
        };
        seconds += effort;
        records.push(json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": made, "kind": kind, "body": body,
                             "effort": { "seconds": effort, "fields": if kind == "visit" { 3 } else { 0 } } }));
    }
    seconds += 70;
    records.push(json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": now - chrono::Duration::minutes(1),
        "kind": "meeting", "body": { "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 7, "topics": "冬季防火" },
        "effort": { "seconds": 70, "fields": 5 } }));
    let res = push(&app, &sec, records).await;
    assert!(!res.body.contains("rejected"), "{}", res.body);
    db::dashboard::refresh_all(&app.pool).await.unwrap();

    let month = dashboard(&app, &dept, None, Period::Month).await;
    let own = month.rows.iter().find(|r| r.id == org.own.township).unwrap().totals.clone();
    let draft: MonthlyDraft = serde_json::from_str(&app.post("/api/draft_month", "", Some(&sec)).await.body).unwrap();
    assert!(draft.facts.days_in_village >= 1);
    // The figure both show. (The dashboard counts 两委 meetings by the week that owes them, a
    // week belonging to the month of its first day; the draft lists the month's meetings.)
    assert_eq!(own.days, draft.facts.days_in_village as i64, "days in the village: the dashboard's and the draft's");
    assert!(draft.text.contains(&format!("本月在村 {} 天", own.days)), "{}", draft.text);

    let res = app.post("/api/reporting_burden", "", Some(&dept)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let burden: Burden = serde_json::from_str(&res.body).unwrap();
    assert_eq!(burden.budget_minutes_week, Some(domain::burden::DEFAULT_BUDGET_MINUTES));
    let area = burden.areas.iter().find(|a| a.area == "甲镇").unwrap();
    assert_eq!(area.secretaries, 1);
    let expected = f64::from(seconds) / 60.0 / f64::from(domain::burden::WEEKS);
    assert!((area.median_minutes_week - expected).abs() < 1e-6, "{} against {expected}", area.median_minutes_week);
    let meeting = burden.kinds.iter().find(|k| k.kind == domain::field::RecordKind::Meeting).unwrap();
    assert_eq!((meeting.seconds_each, meeting.fields_each, meeting.measured), (Some(70.0), Some(5.0), 1));
    let stored: Option<i32> = sqlx::query_scalar("SELECT effort_seconds FROM field_records WHERE kind = 'meeting'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, Some(70), "kept beside the record, outside its content");
}
