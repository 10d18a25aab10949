//! The authorization matrix: every route × every role × own / sibling-township /
//! other-district target. A refused case must be refused (401, 403 or 404), an allowed one must
//! get past authorization, and lists and pages must not show records outside the caller's
//! part of the tree. A route missing from the matrix fails the test.

mod common;

use std::collections::BTreeSet;

use axum::http::{header, Method, Request, StatusCode};
use common::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Secretary,
    Supervisor,
    Inspector,
    UnitViewer,
    DeptAdmin,
    /// The city's organisation department: every district of the city.
    CityAdmin,
    SysAdmin,
}
use Who::*;

const EVERYONE: &[Who] = &[Anonymous, Secretary, Supervisor, Inspector, UnitViewer, DeptAdmin, CityAdmin, SysAdmin];
const LOGGED_IN: &[Who] = &[Secretary, Supervisor, Inspector, UnitViewer, DeptAdmin, CityAdmin, SysAdmin];
const ADMINS: &[Who] = &[DeptAdmin, CityAdmin, SysAdmin];
const ADMINS_AND_SUPERVISOR: &[Who] = &[DeptAdmin, CityAdmin, SysAdmin, Supervisor];
const ATTENDANCE_VIEWERS: &[Who] = &[DeptAdmin, CityAdmin, SysAdmin, Supervisor, Inspector];
/// Who follows secretaries one by one (timelines): the attendance viewers and the unit.
const FOLLOWERS: &[Who] = &[DeptAdmin, CityAdmin, SysAdmin, Supervisor, Inspector, UnitViewer];

fn username(who: Who) -> Option<&'static str> {
    Some(match who {
        Anonymous => return None,
        Secretary => "sec.jia",
        Supervisor => "sup1",
        Inspector => "insp1",
        UnitViewer => "unit1",
        DeptAdmin => "dept1",
        CityAdmin => "city1",
        SysAdmin => "sys",
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Own,
    Sibling,
    Foreign,
}
use Target::*;

/// Whose records each role reaches: the sibling township only from district level up, the
/// other district only from the city up.
fn reaches(who: Who, t: Target) -> bool {
    match t {
        Own => who != Anonymous,
        Sibling => matches!(who, Inspector | DeptAdmin | CityAdmin | SysAdmin),
        Foreign => matches!(who, CityAdmin | SysAdmin),
    }
}

fn branch(org: &Org, t: Target) -> &Branch {
    match t {
        Own => &org.own,
        Sibling => &org.sibling,
        Foreign => &org.foreign,
    }
}

/// Names of a branch's records as pages and lists show them.
fn markers(b: &Branch) -> [String; 5] {
    let m = b.marker;
    [format!("{m}镇"), format!("{m}村"), format!("{m}单位"), format!("{m}书记"), format!("{m}户")]
}

type BodyFn = fn(&Branch, u32) -> String;

/// The id of the message a branch's villager sent (see the set-up).
fn feedback_id(b: &Branch) -> i64 {
    1_000_000 + b.township
}

/// A server function: its path, who may call it, and its request body (per target when the
/// call names a record, else `targeted` is false and the target is ignored).
struct Call {
    path: &'static str,
    allowed: &'static [Who],
    targeted: bool,
    body: BodyFn,
    /// For lists: the own branch's record the answer must show (suffix after the marker).
    shows: Option<&'static str>,
}

fn calls() -> Vec<Call> {
    let c = |path, allowed, targeted, body: BodyFn, shows| Call { path, allowed, targeted, body, shows };
    vec![
        c("/api/login", EVERYONE, false, |_, _| form(&[("username", "sec.jia"), ("password", PASSWORD)]), None),
        c("/api/logout", EVERYONE, false, |_, _| String::new(), None),
        c("/api/current_account", EVERYONE, false, |_, _| String::new(), None),
        c("/api/change_password", LOGGED_IN, false, |_, _| form(&[("current", PASSWORD), ("new", PASSWORD)]), None),
        c("/api/districts", LOGGED_IN, false, |_, _| String::new(), None),
        c("/api/townships", LOGGED_IN, false, |_, _| String::new(), Some("镇")),
        c(
            "/api/create_township",
            ADMINS,
            true,
            |b, n| form(&[("district_id", &b.district.to_string()), ("name", &format!("新{n}镇")), ("kind", "town")]),
            None,
        ),
        c(
            "/api/update_township",
            ADMINS,
            true,
            |b, _| form(&[("id", &b.township.to_string()), ("name", &format!("{}镇", b.marker)), ("kind", "town")]),
            None,
        ),
        c("/api/villages", LOGGED_IN, false, |_, _| String::new(), Some("村")),
        c(
            "/api/create_village",
            ADMINS,
            true,
            |b, n| village_form(("township_id", b.township), &format!("新{n}村")),
            None,
        ),
        c(
            "/api/update_village",
            ADMINS,
            true,
            |b, _| village_form(("id", b.village), &format!("{}村", b.marker)),
            None,
        ),
        c("/api/units", LOGGED_IN, false, |_, _| String::new(), Some("单位")),
        c(
            "/api/create_unit",
            ADMINS,
            true,
            |b, n| {
                form(&[
                    ("district_id", &b.district.to_string()),
                    ("name", &format!("新{n}单位")),
                    ("kind", "district_organ"),
                    ("township_id", "0"),
                ])
            },
            None,
        ),
        c(
            "/api/rename_unit",
            ADMINS,
            true,
            |b, _| form(&[("id", &b.unit.to_string()), ("name", &format!("{}单位", b.marker))]),
            None,
        ),
        c("/api/accounts", ADMINS_AND_SUPERVISOR, false, |_, _| String::new(), Some("书记")),
        c(
            "/api/create_account",
            ADMINS,
            true,
            |b, n| {
                form(&[
                    ("username", &format!("new.{n}")),
                    ("display_name", "新人"),
                    ("phone", ""),
                    ("role", "township_supervisor"),
                    ("scope_id", &b.township.to_string()),
                    ("password", PASSWORD),
                ])
            },
            None,
        ),
        c(
            "/api/set_account_active",
            ADMINS,
            true,
            |b, _| form(&[("id", &b.secretary.to_string()), ("active", "true")]),
            None,
        ),
        c(
            "/api/update_account",
            ADMINS,
            true,
            |b, _| {
                form(&[
                    ("id", &b.secretary.to_string()),
                    ("display_name", &format!("{}书记", b.marker)),
                    ("phone", "13900000000"),
                ])
            },
            None,
        ),
        c(
            "/api/reset_password",
            ADMINS,
            true,
            |b, _| form(&[("id", &b.secretary.to_string()), ("password", PASSWORD)]),
            None,
        ),
        c("/api/postings", LOGGED_IN, false, |_, _| form(&[("current_only", "false")]), Some("书记")),
        // Overlaps the branch's posting: an allowed caller gets 409, past authorization.
        c(
            "/api/create_posting",
            ADMINS,
            true,
            |b, _| {
                form(&[
                    ("secretary_id", &b.secretary.to_string()),
                    ("village_id", &b.village.to_string()),
                    ("unit_id", &b.unit.to_string()),
                    ("term_start", "2026-01-01"),
                    ("term_end", "2030-12-31"),
                    ("mode", "full_time"),
                    ("source", "district_organ"),
                    ("rank_class", "section_chief"),
                    ("round", "1"),
                    ("assistant_name", ""),
                    ("assistant_phone", ""),
                ])
            },
            None,
        ),
        // An end date after the term: an allowed caller gets 422, past authorization.
        c(
            "/api/end_posting",
            ADMINS,
            true,
            |b, _| form(&[("id", &b.posting.to_string()), ("ended_on", "2099-01-01"), ("reason", "调动")]),
            None,
        ),
        c("/api/households", LOGGED_IN, true, |b, _| form(&[("posting_id", &b.posting.to_string())]), None),
        c(
            "/api/add_household",
            ADMINS_AND_SUPERVISOR,
            true,
            |b, n| {
                form(&[
                    ("posting_id", &b.posting.to_string()),
                    ("head_name", &format!("新{n}户主")),
                    ("members", "2"),
                    ("address", ""),
                    ("hardship", "因病致困"),
                    ("paired_on", "2026-05-01"),
                ])
            },
            None,
        ),
        c("/api/audit_log", ADMINS, false, |_, _| String::new(), None),
        c(
            "/api/attendance_board",
            ATTENDANCE_VIEWERS,
            true,
            |b, _| form(&[("township_id", &b.township.to_string())]),
            None,
        ),
        // Decided once; deciding again answers 409, past authorization.
        c(
            "/api/decide_leave",
            ADMINS_AND_SUPERVISOR,
            true,
            |b, _| form(&[("id", &b.leave.to_string()), ("approve", "true")]),
            None,
        ),
        c(
            "/api/start_roll_call",
            ADMINS_AND_SUPERVISOR,
            true,
            |b, _| form(&[("township_id", &b.township.to_string()), ("minutes", "30")]),
            None,
        ),
        // Approved once; again answers 409, past authorization.
        c(
            "/api/approve_allowance",
            ADMINS_AND_SUPERVISOR,
            true,
            |b, _| form(&[("township_id", &b.township.to_string()), ("month", "2026-11")]),
            None,
        ),
        // No day of the fixture was reported late: an allowed caller gets 422, past authorization.
        c(
            "/api/review_late_day",
            ADMINS_AND_SUPERVISOR,
            true,
            |b, _| {
                form(&[
                    ("posting_id", &b.posting.to_string()),
                    ("day", "2026-11-02"),
                    ("confirm", "true"),
                    ("reason", "核实"),
                ])
            },
            None,
        ),
        c("/api/secretary_timeline", FOLLOWERS, true, |b, _| form(&[("posting_id", &b.posting.to_string())]), None),
        c("/api/department_dashboard", ADMINS, true, |b, _| form(&[("district_id", &b.district.to_string())]), None),
        c("/api/reporting_burden", ADMINS, true, |b, _| form(&[("district_id", &b.district.to_string())]), None),
        c("/api/followed_secretaries", FOLLOWERS, false, |_, _| String::new(), Some("书记")),
        c("/api/district_settings", LOGGED_IN, false, |_, _| String::new(), None),
        c(
            "/api/update_district_settings",
            ADMINS,
            true,
            |b, _| {
                form(&[
                    ("id", &b.district.to_string()),
                    ("allowance_per_day", "40"),
                    ("day_requires_check_out", "on"),
                    ("day_min_stay_minutes", "0"),
                    ("day_evidence", "any_located"),
                    ("max_accuracy_m", "100"),
                    ("late_grace_hours", "48"),
                    ("burden_budget_minutes", "30"),
                ])
            },
            None,
        ),
        c("/api/district_forced_functions", ADMINS, false, |_, _| String::new(), None),
        c(
            "/api/set_mandate",
            ADMINS,
            true,
            |b, _| {
                form(&[
                    ("district_id", &b.district.to_string()),
                    ("mandate", "roll_call"),
                    ("enable", "true"),
                    ("basis", "emergency"),
                    ("reason", "防汛"),
                ])
            },
            None,
        ),
        c("/api/calendar_days", LOGGED_IN, false, |_, _| form(&[("year", "2026")]), None),
        c("/api/calendar_years", LOGGED_IN, false, |_, _| String::new(), None),
        c(
            "/api/confirm_calendar_year",
            &[SysAdmin],
            false,
            |_, _| form(&[("year", "2026"), ("notice", "国务院办公厅关于2026年部分节假日安排的通知")]),
            None,
        ),
        c(
            "/api/set_calendar_day",
            &[SysAdmin],
            false,
            |_, _| form(&[("day", "2026-12-31"), ("working", "false"), ("name", "测试假日")]),
            None,
        ),
        c(
            "/api/record_inspection",
            ATTENDANCE_VIEWERS,
            true,
            |b, _| form(&[("posting_id", &b.posting.to_string()), ("present", "true"), ("note", "在岗")]),
            None,
        ),
        // The evaluation, in the order of a year: later calls find the district frozen (409).
        c("/api/evaluation_overview", LOGGED_IN, false, |_, _| form(&[("year", "2026")]), None),
        c("/api/evaluation_dossier", LOGGED_IN, true, |b, _| evaluation_form(b, &[]), None),
        c("/api/my_evaluation", &[Secretary], false, |_, _| form(&[("year", "2026")]), Some("书记")),
        c("/api/draft_year_end", &[Secretary], false, |_, _| form(&[("year", "2026")]), Some("书记")),
        c(
            "/api/file_evaluation",
            &[Secretary],
            false,
            |_, _| form(&[("year", "2026"), ("kind", "year_report"), ("body", "述职")]),
            None,
        ),
        c(
            "/api/goal_progress",
            &[Secretary],
            false,
            |_, _| form(&[("year", "2026"), ("index", "0"), ("progress", "进行中")]),
            None,
        ),
        // Approved once per stage; again answers 409, past authorization.
        c("/api/approve_goals", &[Supervisor, UnitViewer], true, |b, _| evaluation_form(b, &[]), None),
        c(
            "/api/assess_item",
            ADMINS,
            true,
            |b, _| evaluation_form(b, &[("key", "D1.1"), ("points", "0"), ("reason", "台账齐全"), ("evidence", "")]),
            None,
        ),
        c(
            "/api/enter_fact",
            ADMINS,
            true,
            |b, _| evaluation_form(b, &[("fact", "demonstration_bases"), ("value", "1"), ("evidence", "验收文件")]),
            None,
        ),
        c("/api/issue_ballots", ADMINS_AND_SUPERVISOR, true, |b, _| evaluation_form(b, &[]), None),
        c("/api/close_survey", ADMINS_AND_SUPERVISOR, true, |b, _| evaluation_form(b, &[]), None),
        // An unknown code answers 422: anyone may try, nobody is identified.
        c("/api/cast_ballot", EVERYONE, false, |_, _| form(&[("code", "ABCDE-FGHJK"), ("answer", "satisfied")]), None),
        c(
            "/api/send_feedback",
            &[Secretary, Supervisor, Inspector, UnitViewer],
            false,
            |_, n| form(&[("kind", "suggestion"), ("body", &format!("第{n}条建议"))]),
            None,
        ),
        // A code of no survey: refused as invalid (422) whoever asks, never a server error.
        c(
            "/api/send_villager_feedback",
            EVERYONE,
            false,
            |_, _| form(&[("ballot_code", "ABCDE-FGHJK"), ("kind", "complaint"), ("body", "路灯坏了")]),
            None,
        ),
        c("/api/my_feedback", LOGGED_IN, false, |_, _| String::new(), None),
        c("/api/feedback_by_code", EVERYONE, false, |_, _| form(&[("code", "not a code")]), None),
        c("/api/feedback_inbox", ADMINS, false, |_, _| String::new(), Some("户")),
        c("/api/feedback_tally", ADMINS, false, |_, _| String::new(), None),
        c("/api/draft_month", &[Secretary], false, |_, _| String::new(), None),
        // The assistance projects: a secretary proposes and changes their own, the township then
        // the department review, everyone reads what their part of the tree holds.
        c("/api/projects", LOGGED_IN, false, |_, _| String::new(), Some("项目")),
        c("/api/project_detail", LOGGED_IN, true, |b, _| form(&[("id", &b.project.to_string())]), None),
        c("/api/proposal_options", &[Secretary], false, |_, _| String::new(), Some("村产业调研")),
        c(
            "/api/save_project",
            &[Secretary],
            false,
            |b, n| {
                form(&[
                    ("research_id", &b.research),
                    ("title", &format!("新{n}项目")),
                    ("term", "quick"),
                    ("sector", "industry"),
                    ("milestones", "2027-03-31 完成"),
                ])
            },
            None,
        ),
        // Approved by the township, then the department; after that a decision is a 409.
        c(
            "/api/review_project",
            &[Supervisor, DeptAdmin, CityAdmin, SysAdmin],
            true,
            |b, _| form(&[("id", &b.project.to_string()), ("decision", "approve"), ("reason", "可行")]),
            None,
        ),
        c(
            "/api/project_milestone",
            &[Secretary],
            true,
            |b, _| form(&[("milestone", &b.milestone.to_string()), ("done", "true")]),
            None,
        ),
        c("/api/my_commitments", &[Secretary], false, |_, _| String::new(), None),
        c(
            "/api/record_pre_assessment",
            ADMINS,
            true,
            |b, _| form(&[("posting_id", &b.posting.to_string()), ("suitability", "熟悉农村工作")]),
            None,
        ),
        c(
            "/api/add_commitment",
            &[Secretary],
            false,
            |b, _| {
                form(&[
                    ("text", "村集体增收"),
                    ("due", &(chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string()),
                    ("projects[]", &b.project.to_string()),
                ])
            },
            None,
        ),
        c("/api/commitment_done", &[Secretary], true, |b, _| form(&[("id", &b.commitment.to_string())]), None),
        // Found untrue by the department's assessors (full-time secretaries); again is a 409.
        c(
            "/api/strike_record",
            ADMINS,
            true,
            |b, _| form(&[("posting_id", &b.posting.to_string()), ("record", &b.research), ("reason", "与实际不符")]),
            None,
        ),
        c(
            "/api/file_monthly_record",
            &[Secretary],
            false,
            |_, n| form(&[("month", "2026-11"), ("body", &format!("第{n}版纪实"))]),
            None,
        ),
        c("/api/monthly_records", FOLLOWERS, true, |b, _| form(&[("posting_id", &b.posting.to_string())]), None),
        c(
            "/api/answer_feedback",
            ADMINS,
            true,
            |b, _| form(&[("id", &feedback_id(b).to_string()), ("answer", "已转交镇街处理")]),
            None,
        ),
        c(
            "/api/set_evaluation_rules",
            ADMINS,
            true,
            |b, _| form(&[("district_id", &b.district.to_string()), ("rules", "jiaozhou")]),
            None,
        ),
        c("/api/compute_evaluation", ADMINS, true, |b, _| district_form(b, &[]), None),
        // Nothing frozen yet: 409.
        c("/api/reopen_evaluation", ADMINS, true, |b, _| district_form(b, &[("reason", "复核")]), None),
        c("/api/advance_evaluation", ADMINS, true, |b, _| district_form(b, &[("to", "reviewed")]), None),
        c("/api/verify_evaluation", ADMINS, true, |b, _| district_form(b, &[]), None),
    ]
}

fn evaluation_form(b: &Branch, more: &[(&str, &str)]) -> String {
    let posting = b.posting.to_string();
    form(&[[("posting_id", posting.as_str()), ("year", "2026")].as_slice(), more].concat())
}

fn district_form(b: &Branch, more: &[(&str, &str)]) -> String {
    let district = b.district.to_string();
    form(&[[("district_id", district.as_str()), ("year", "2026")].as_slice(), more].concat())
}

fn village_form(key: (&str, i64), name: &str) -> String {
    form(&[
        (key.0, &key.1.to_string()),
        ("name", name),
        ("kind", "village"),
        ("lat", "34.71"),
        ("lon", "117.51"),
        ("geofence_m", "600"),
        ("eligible_voters", "950"),
    ])
}

/// Pages and who may open them (others get 403, visitors are sent to the login page).
const PAGES: &[(&str, &[Who])] = &[
    ("/login", EVERYONE),
    ("/account", LOGGED_IN),
    ("/field", &[Secretary]),
    ("/township", ATTENDANCE_VIEWERS),
    ("/township/postings", &[Supervisor]),
    ("/township/secretary", ATTENDANCE_VIEWERS),
    ("/inspect", &[Inspector]),
    ("/unit", &[UnitViewer]),
    ("/unit/secretary", &[UnitViewer]),
    ("/dashboard", ADMINS),
    ("/admin", ADMINS),
    ("/admin/townships", ADMINS),
    ("/admin/villages", &[DeptAdmin, CityAdmin, SysAdmin, Supervisor, Inspector]),
    ("/admin/units", ADMINS),
    ("/admin/accounts", ADMINS_AND_SUPERVISOR),
    ("/admin/postings", ADMINS),
    ("/admin/import", ADMINS),
    ("/admin/audit", ADMINS),
    ("/admin/settings", ADMINS),
    ("/evaluation", &[DeptAdmin, CityAdmin, SysAdmin, Supervisor, Inspector, UnitViewer]),
    ("/evaluation/dossier", LOGGED_IN),
    ("/evaluation/mine", &[Secretary]),
    ("/monthly", &[Secretary]),
    ("/projects", LOGGED_IN),
    ("/projects/view", LOGGED_IN),
    ("/vote", EVERYONE),
    ("/feedback", EVERYONE),
];

fn refused(s: StatusCode) -> bool {
    matches!(s, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
}

struct Run {
    app: TestApp,
    org: Org,
    cookies: Vec<(Who, Option<String>)>,
    failures: Vec<String>,
    counter: u32,
}

impl Run {
    fn cookie(&self, who: Who) -> Option<&str> {
        self.cookies.iter().find(|(w, _)| *w == who).and_then(|(_, c)| c.as_deref())
    }

    /// Fails when a record outside the caller's reach appears in an answer.
    fn check_no_leak(&mut self, who: Who, what: &str, body: &str) {
        for t in [Own, Sibling, Foreign] {
            if reaches(who, t) {
                continue;
            }
            for m in markers(branch(&self.org, t)) {
                if body.contains(&m) {
                    self.failures.push(format!("{what} as {who:?} shows {m}, outside its scope"));
                }
            }
        }
    }
}

#[tokio::test]
async fn every_route_every_role_every_scope() {
    let app = TestApp::new().await;
    let mut org = seed_org(&app.pool).await;
    seed_projects(&app.pool, &mut org).await;
    let mut cookies = Vec::new();
    for &who in EVERYONE {
        let cookie = match username(who) {
            Some(u) => Some(app.login(u, PASSWORD).await),
            None => None,
        };
        cookies.push((who, cookie));
    }
    // Each secretary has filed term goals (for their progress and approval).
    for b in [&org.own, &org.sibling, &org.foreign] {
        sqlx::query("INSERT INTO filings (posting_id, year, kind, body, goals) VALUES ($1, 2026, 'term_goals', '目标', '[{\"goal\": \"修路\"}]')")
            .bind(b.posting)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    // Each township approved its October allowance list (a different total each).
    for b in [&org.own, &org.sibling, &org.foreign] {
        sqlx::query(
            "INSERT INTO allowance_approvals (township_id, month, approved_by, total_yuan)
             SELECT $1, '2026-10-01', id, $2 FROM accounts WHERE username = 'sys'",
        )
        .bind(b.township)
        .bind(approval_total(b))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    // A villager of each township sent a suggestion naming a household.
    for b in [&org.own, &org.sibling, &org.foreign] {
        sqlx::query(
            "INSERT INTO feedback (id, district_id, kind, body, villager, lookup_hash)
             VALUES ($1, $2, 'suggestion', $3, true, sha256($3::bytea))",
        )
        .bind(feedback_id(b))
        .bind(b.district)
        .bind(format!("{}户反映路灯坏了", b.marker))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let mut run = Run { app, org, cookies, failures: Vec::new(), counter: 0 };

    // Every route must be in the matrix.
    let fn_paths: BTreeSet<String> = server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    let matrix_fns: BTreeSet<String> =
        calls().iter().map(|c| c.path.to_string()).chain(["/api/import".to_string()]).collect();
    assert_eq!(fn_paths, matrix_fns, "server functions and the matrix differ");
    let page_paths: BTreeSet<String> =
        leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_string()).collect();
    // The field app's page is a plain route (a static shell) checked with the pages.
    let matrix_pages: BTreeSet<String> =
        PAGES.iter().map(|p| p.0.to_string()).filter(|p| p != "/field").chain(["/".to_string()]).collect();
    assert_eq!(page_paths, matrix_pages, "pages and the matrix differ");
    assert_eq!(
        server::Plain::ALL.map(server::Plain::path),
        [
            "/healthz",
            "/readyz",
            "/lang/{code}",
            "/sync/push",
            "/sync/photos/{hash}",
            "/sync/reference",
            "/field",
            "/sync/leave",
            "/events/attendance",
            "/reports/{file}",
            "/photos/{hash}",
            "/inspections/{id}/photo",
            "/dashboard/map.svg",
            "/sync/history",
            "/sync/live",
        ],
        "plain routes changed: extend the matrix"
    );

    for call in calls() {
        for &who in EVERYONE {
            let targets: &[Target] = if call.targeted { &[Own, Sibling, Foreign] } else { &[Own] };
            for &t in targets {
                run.counter += 1;
                let body = (call.body)(branch(&run.org, t), run.counter);
                // Logging in and out change the session: use none, or a fresh one.
                let fresh;
                let cookie = match call.path {
                    "/api/login" => None,
                    "/api/logout" => match username(who) {
                        Some(u) => {
                            fresh = run.app.login(u, PASSWORD).await;
                            Some(fresh.as_str())
                        }
                        None => None,
                    },
                    _ => run.cookie(who),
                };
                let res = run.app.post(call.path, &body, cookie).await;
                let expect_ok = call.allowed.contains(&who) && (!call.targeted || reaches(who, t));
                let what = format!("{} as {who:?} on {t:?}", call.path);
                if res.status.is_server_error() {
                    run.failures.push(format!("{what}: server error {} {}", res.status, res.body));
                } else if expect_ok && refused(res.status) {
                    run.failures.push(format!("{what}: refused {} {}", res.status, res.body));
                } else if !expect_ok && !refused(res.status) {
                    run.failures.push(format!("{what}: UNEXPECTED SUCCESS {} {}", res.status, res.body));
                } else if who == Anonymous && !expect_ok && res.status != StatusCode::UNAUTHORIZED {
                    run.failures.push(format!("{what}: visitors must get 401, got {}", res.status));
                }
                if expect_ok && !call.targeted {
                    run.check_no_leak(who, &what, &res.body);
                    if let Some(suffix) = call.shows {
                        let own = format!("{}{suffix}", run.org.own.marker);
                        if !res.body.contains(&own) {
                            run.failures.push(format!("{what}: does not show {own}"));
                        }
                    }
                }
            }
        }
        // A reset password ends the secretary's sessions (to the same password here): log in again.
        if call.path == "/api/reset_password" {
            let fresh = run.app.login("sec.jia", PASSWORD).await;
            run.cookies.retain(|(w, _)| *w != Secretary);
            run.cookies.push((Secretary, Some(fresh)));
        }
    }

    // The spreadsheet import (multipart).
    for &who in EVERYONE {
        run.counter += 1;
        let csv =
            format!("镇街,村名,类型,纬度,经度,围栏半径米,选民数\n甲镇,导入{}村,村,34.7,117.5,500,800\n", run.counter);
        let res = run.app.send(multipart_import(&csv, run.cookie(who))).await;
        let expect_ok = ADMINS.contains(&who);
        if expect_ok != (res.status == StatusCode::OK) || (!expect_ok && !refused(res.status)) {
            run.failures.push(format!("/api/import as {who:?}: {} {}", res.status, res.body));
        }
    }

    // The field app's sync push: secretaries only, and only into their own posting.
    for &who in EVERYONE {
        let talk = serde_json::json!({
            "id": uuid::Uuid::new_v4().to_string(), "device_time": chrono::Utc::now(), "kind": "talk",
            "body": { "with": "villager", "requested_by_villager": false, "date": chrono::Utc::now().date_naive(), "notes": "谈心" }
        });
        let body = serde_json::json!({ "device_now": chrono::Utc::now(), "records": [talk] }).to_string();
        let mut req =
            Request::builder().method(Method::POST).uri("/sync/push").header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = run.cookie(who) {
            req = req.header(header::COOKIE, c);
        }
        let res = run.app.send(req.body(axum::body::Body::from(body)).unwrap()).await;
        let want = match who {
            Secretary => StatusCode::OK,
            Anonymous => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        if res.status != want {
            run.failures.push(format!("/sync/push as {who:?}: {} {}", res.status, res.body));
        }

        let mut req =
            Request::builder().method(Method::POST).uri("/sync/leave").header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = run.cookie(who) {
            req = req.header(header::COOKIE, c);
        }
        let leave = r#"{"first_day":"2026-12-01","last_day":"2026-12-02","reason":"家中有事"}"#;
        let res = run.app.send(req.body(axum::body::Body::from(leave)).unwrap()).await;
        let created = if who == Secretary { StatusCode::CREATED } else { want };
        if res.status != created {
            run.failures.push(format!("/sync/leave as {who:?}: {} {}", res.status, res.body));
        }

        // The live board's event stream: only its status (the stream never ends).
        let mut req = Request::builder().uri("/events/attendance");
        if let Some(c) = run.cookie(who) {
            req = req.header(header::COOKIE, c);
        }
        let status = run.app.status(req.body(axum::body::Body::empty()).unwrap()).await;
        let want_events = match who {
            Anonymous => StatusCode::UNAUTHORIZED,
            w if ATTENDANCE_VIEWERS.contains(&w) => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        if status != want_events {
            run.failures.push(format!("/events/attendance as {who:?}: {status}"));
        }

        // Monthly reports: scoped like the board; each lists only what the caller reaches, and
        // shows a township's approval of its allowance list only to those who reach it.
        for t in [Own, Sibling, Foreign] {
            let b = branch(&run.org, t);
            let path = format!("/reports/allowance.xlsx?month=2026-10&township_id={}", b.township);
            let res = run.app.get(&path, run.cookie(who)).await;
            let ok = ATTENDANCE_VIEWERS.contains(&who);
            let text = if res.status == StatusCode::OK { xlsx_text(&res.body_bytes) } else { String::new() };
            let approval = format!("合计 {} 元", approval_total(b));
            if ok != (res.status == StatusCode::OK) || text.contains(&approval) != (ok && reaches(who, t)) {
                run.failures.push(format!(
                    "{path} as {who:?}: {} approval shown: {}",
                    res.status,
                    text.contains(&approval)
                ));
            }
            let path = format!("/reports/attendance.xlsx?month=2026-11&township_id={}", b.township);
            let res = run.app.get(&path, run.cookie(who)).await;
            let ok = ATTENDANCE_VIEWERS.contains(&who);
            let expect_rows = ok && reaches(who, t);
            let status_ok = if ok { res.status == StatusCode::OK } else { refused(res.status) };
            // The workbook is zipped: look for the secretary's name through the xlsx reader.
            let names = if res.status == StatusCode::OK { xlsx_text(&res.body_bytes) } else { String::new() };
            if !status_ok || names.contains(&format!("{}书记", b.marker)) != expect_rows {
                run.failures.push(format!("{path} as {who:?}: {} rows shown: {}", res.status, !expect_rows));
            }
        }

        // The project database as a workbook: everyone logged in, each project they reach.
        let res = run.app.get("/reports/projects.xlsx", run.cookie(who)).await;
        let text = if res.status == StatusCode::OK { xlsx_text(&res.body_bytes) } else { String::new() };
        let ok = if who == Anonymous { res.status == StatusCode::UNAUTHORIZED } else { res.status == StatusCode::OK };
        let own_shown = text.contains(&format!("{}项目", run.org.own.marker));
        if !ok || own_shown != (who != Anonymous) {
            run.failures.push(format!("/reports/projects.xlsx as {who:?}: {} own shown: {own_shown}", res.status));
        }
        run.check_no_leak(who, "/reports/projects.xlsx", &text);

        // Every record of a month: for those who follow secretaries, of the townships they reach.
        for t in [Own, Sibling, Foreign] {
            let b = branch(&run.org, t);
            let path = format!("/reports/records.xlsx?month=2026-11&township_id={}", b.township);
            let res = run.app.get(&path, run.cookie(who)).await;
            let text = if res.status == StatusCode::OK { xlsx_text(&res.body_bytes) } else { String::new() };
            let ok = if FOLLOWERS.contains(&who) { res.status == StatusCode::OK } else { refused(res.status) };
            if !ok {
                run.failures.push(format!("{path} as {who:?}: {}", res.status));
            }
            run.check_no_leak(who, &path, &text);
        }

        // The year-end ranking: the department's, of the districts it reaches (district 1 was
        // computed and reviewed by the calls above; district 2 by the system administrator).
        for t in [Own, Foreign] {
            let b = branch(&run.org, t);
            let path = format!("/reports/ranking.xlsx?year=2026&district_id={}", b.district);
            let res = run.app.get(&path, run.cookie(who)).await;
            let expect_ok = ADMINS.contains(&who) && reaches(who, t);
            let names = if res.status == StatusCode::OK { xlsx_text(&res.body_bytes) } else { String::new() };
            let ok = if expect_ok {
                res.status == StatusCode::OK && names.contains(&format!("{}书记", b.marker))
            } else {
                refused(res.status)
            };
            if !ok {
                run.failures.push(format!("{path} as {who:?}: {}", res.status));
            }
        }

        // The dashboard's export and map: the department's, of the districts it reaches.
        for t in [Own, Foreign] {
            let b = branch(&run.org, t);
            let expect_ok = ADMINS.contains(&who) && reaches(who, t);
            let xlsx = format!("/reports/dashboard.xlsx?district_id={}", b.district);
            let res = run.app.get(&xlsx, run.cookie(who)).await;
            let shown = res.status == StatusCode::OK && xlsx_text(&res.body_bytes).contains(&format!("{}镇", b.marker));
            if (expect_ok && !shown) || (!expect_ok && !refused(res.status)) {
                run.failures.push(format!("{xlsx} as {who:?}: {}", res.status));
            }
            let map = format!("/dashboard/map.svg?district_id={}", b.district);
            let res = run.app.get(&map, run.cookie(who)).await;
            let shown = res.status == StatusCode::OK && res.body.contains(&format!("{}村", b.marker));
            if (expect_ok && !shown) || (!expect_ok && !refused(res.status)) {
                run.failures.push(format!("{map} as {who:?}: {}", res.status));
            }
        }
        let res = run.app.get("/dashboard/map.svg", run.cookie(who)).await;
        if ADMINS.contains(&who) != (res.status == StatusCode::OK) || (!ADMINS.contains(&who) && !refused(res.status)) {
            run.failures.push(format!("/dashboard/map.svg as {who:?}: {}", res.status));
        }
        run.check_no_leak(who, "/dashboard/map.svg", &res.body);

        let res = run.app.get("/sync/reference", run.cookie(who)).await;
        if res.status != want {
            run.failures.push(format!("/sync/reference as {who:?}: {} {}", res.status, res.body));
        }
        run.check_no_leak(who, "/sync/reference", &res.body);

        let res = run.app.get("/sync/live", run.cookie(who)).await;
        if res.status != want {
            run.failures.push(format!("/sync/live as {who:?}: {} {}", res.status, res.body));
        }
        run.check_no_leak(who, "/sync/live", &res.body);

        let res = run.app.get("/sync/history", run.cookie(who)).await;
        if res.status != want {
            run.failures.push(format!("/sync/history as {who:?}: {} {}", res.status, res.body));
        }
        run.check_no_leak(who, "/sync/history", &res.body);

        let photo = jpeg(&format!("photo of {who:?}"));
        let hash = {
            use sha2::Digest;
            format!("{:x}", sha2::Sha256::digest(&photo))
        };
        let mut req = Request::builder()
            .method(Method::PUT)
            .uri(format!("/sync/photos/{hash}"))
            .header(header::CONTENT_TYPE, "image/jpeg");
        if let Some(c) = run.cookie(who) {
            req = req.header(header::COOKIE, c);
        }
        let res = run.app.send(req.body(axum::body::Body::from(photo)).unwrap()).await;
        let want = if who == Secretary { StatusCode::CREATED } else { want };
        if res.status != want {
            run.failures.push(format!("/sync/photos as {who:?}: {} {}", res.status, res.body));
        }
    }

    // Photos are shown to whoever reaches their secretary.
    let digest = |bytes: &[u8]| {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(bytes))
    };
    let own_photo = digest(&jpeg("photo of Secretary"));
    let foreign_photo = digest(b"a photo from the other district");
    sqlx::query(
        "WITH a AS (SELECT district_id FROM accounts WHERE id = $2),
              p AS (INSERT INTO photos (hash, secretary_id, content_type, bytes, size, district_id)
                    SELECT $1, $2, 'image/jpeg', $3, octet_length($3), district_id FROM a)
         INSERT INTO photo_owners (hash, secretary_id, district_id) SELECT $1, $2, district_id FROM a",
    )
    .bind(&foreign_photo)
    .bind(run.org.foreign.secretary)
    .bind(b"a photo from the other district".to_vec())
    .execute(&run.app.pool)
    .await
    .unwrap();
    for &who in EVERYONE {
        for (hash, target) in [(&own_photo, Own), (&foreign_photo, Foreign)] {
            let res = run.app.get(&format!("/photos/{hash}"), run.cookie(who)).await;
            let want = match who {
                Anonymous => StatusCode::UNAUTHORIZED,
                w if reaches(w, target) => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            if res.status != want {
                run.failures.push(format!("/photos of {target:?} as {who:?}: {}", res.status));
            }
        }
    }

    // A photo for an inspection: inspectors, supervisors and admins, in their part of the tree.
    for &who in EVERYONE {
        for t in [Own, Sibling, Foreign] {
            let mut req = Request::builder()
                .method(Method::PUT)
                .uri(format!("/inspections/{}/photo", branch(&run.org, t).inspection))
                .header(header::CONTENT_TYPE, "image/jpeg");
            if let Some(c) = run.cookie(who) {
                req = req.header(header::COOKIE, c);
            }
            let res = run.app.send(req.body(axum::body::Body::from(jpeg(&format!("photo by {who:?}")))).unwrap()).await;
            let allowed = ATTENDANCE_VIEWERS.contains(&who) && reaches(who, t);
            let ok = if allowed { res.status == StatusCode::OK } else { refused(res.status) };
            if !ok || (who == Anonymous && res.status != StatusCode::UNAUTHORIZED) {
                run.failures.push(format!("/inspections/photo of {t:?} as {who:?}: {} {}", res.status, res.body));
            }
        }
    }

    // Pages.
    for &(path, allowed) in PAGES {
        for &who in EVERYONE {
            let res = run.app.get(path, run.cookie(who)).await;
            let what = format!("page {path} as {who:?}");
            let location = res.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
            let ok = if allowed.contains(&who) {
                res.status == StatusCode::OK
            } else if who == Anonymous {
                res.status == StatusCode::FOUND && location == "/login"
            } else {
                res.status == StatusCode::FORBIDDEN
            };
            if !ok {
                run.failures.push(format!("{what}: {} location={location:?}", res.status));
            }
            run.check_no_leak(who, &what, &res.body);
        }
    }
    for &who in EVERYONE {
        let res = run.app.get("/", run.cookie(who)).await;
        let location = res.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let want = match who {
            Anonymous => "/login",
            Secretary => "/field",
            Supervisor => "/township",
            Inspector => "/inspect",
            UnitViewer => "/unit",
            DeptAdmin | CityAdmin => "/dashboard",
            SysAdmin => "/admin",
        };
        if res.status != StatusCode::FOUND || location != want {
            run.failures.push(format!("/ as {who:?}: {} → {location}", res.status));
        }
        for (path, want) in
            [("/healthz", StatusCode::OK), ("/readyz", StatusCode::OK), ("/lang/en", StatusCode::SEE_OTHER)]
        {
            let res = run.app.get(path, run.cookie(who)).await;
            if res.status != want {
                run.failures.push(format!("{path} as {who:?}: {}", res.status));
            }
        }
    }

    assert!(
        run.failures.is_empty(),
        "{} of the matrix's cases failed:\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
    assert!(run.counter > 200, "the matrix ran only {} calls", run.counter);
}

/// A branch's approved allowance total, told apart by the branch.
fn approval_total(b: &Branch) -> i32 {
    4000 + i32::try_from(b.township).unwrap_or(0)
}

fn multipart_import(csv: &str, cookie: Option<&str>) -> Request<axum::body::Body> {
    let boundary = "zhucunboundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nvillages\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"villages.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{boundary}--\r\n"
    );
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/import")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(axum::body::Body::from(body)).unwrap()
}

/// The text of every cell of a workbook's first sheet.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect::<Vec<_>>().join(" ")
}
