//! Login, sessions, throttling, CSRF and account administration against a real database.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;

#[tokio::test]
async fn session_cookie_is_http_only_and_lax_and_rotated_on_login() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let res = app.post("/api/login", &form(&[("username", "dept1"), ("password", PASSWORD)]), None).await;
    assert_eq!(res.status, StatusCode::OK);
    let set_cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain-HTTP development must not mark cookies Secure: {set_cookie}");
    let first = res.cookie().unwrap();
    let second = app.login("dept1", PASSWORD).await;
    assert_ne!(first, second, "each login gets a new session id");

    let mut tls = config();
    tls.public_url = Some("https://zhucun.example.gov.cn".into());
    let app = TestApp::with_config(tls).await;
    seed_org(&app.pool).await;
    let res = app.post("/api/login", &form(&[("username", "dept1"), ("password", PASSWORD)]), None).await;
    let set_cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let cookie = app.login("dept1", PASSWORD).await;
    assert_eq!(app.post("/api/townships", "", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.post("/api/logout", "", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.post("/api/townships", "", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failures_lock_the_login_name_even_with_the_right_password() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let try_login = |user: &'static str, pw: &'static str| {
        let app = &app;
        async move { app.post("/api/login", &form(&[("username", user), ("password", pw)]), None).await }
    };
    for _ in 0..(db::auth::MAX_FAILURES - 1) {
        let res = try_login("dept1", "wrong-password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(res.body.contains("BadCredentials"), "{}", res.body);
    }
    let res = try_login("dept1", "wrong-password").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    let res = try_login("dept1", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "the lock holds against the right password");
    // Other names are not affected; unknown names are throttled alike.
    assert_eq!(try_login("sys", PASSWORD).await.status, StatusCode::OK);
    for _ in 0..db::auth::MAX_FAILURES {
        try_login("nobody", "whatever-password").await;
    }
    assert_eq!(try_login("nobody", "whatever-password").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_success_clears_earlier_failures() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    for _ in 0..(db::auth::MAX_FAILURES - 1) {
        app.post("/api/login", &form(&[("username", "dept1"), ("password", "nope-nope-nope")]), None).await;
    }
    app.login("dept1", PASSWORD).await;
    let res = app.post("/api/login", &form(&[("username", "dept1"), ("password", "nope-nope-nope")]), None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "the count started afresh");
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let cookie = app.login("dept1", PASSWORD).await;
    let post = |extra: Vec<(&'static str, &'static str)>| {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/create_township")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in extra {
            req = req.header(k, v);
        }
        req.body(Body::from("district_id=1&name=%E6%96%B0%E9%95%87&kind=town")).unwrap()
    };
    let res = app.send(post(vec![("sec-fetch-site", "cross-site")])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.send(post(vec![("origin", "http://evil.example")])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM townships WHERE name = '新镇'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(n, 0, "nothing was created");
    let res = app.send(post(vec![("sec-fetch-site", "same-origin"), ("origin", "http://127.0.0.1:3000")])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_logins() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    assert_eq!(app.post("/api/postings", "current_only=true", Some(&sec)).await.status, StatusCode::OK);
    let res = app
        .post(
            "/api/set_account_active",
            &form(&[("id", &org.own.secretary.to_string()), ("active", "false")]),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.post("/api/postings", "current_only=true", Some(&sec)).await.status, StatusCode::UNAUTHORIZED);
    let res = app.post("/api/login", &form(&[("username", "sec.jia"), ("password", PASSWORD)]), None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_in_both_languages() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let res = app
        .post(
            "/api/create_village",
            &form(&[
                ("township_id", &org.own.township.to_string()),
                ("name", "新村"),
                ("kind", "village"),
                ("lat", "134.7"),
                ("lon", "117.5"),
                ("geofence_m", "500"),
                ("eligible_voters", "10"),
            ]),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("纬度 134.7 不在 -90 到 90 之间"), "{}", res.body);
    assert!(res.body.contains("latitude 134.7 is not between -90 and 90"), "{}", res.body);
    // A letter where a number belongs.
    let res = app.post("/api/create_township", "district_id=abc&name=x&kind=town", Some(&admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    // A name already taken.
    let body = form(&[("district_id", &org.own.district.to_string()), ("name", "甲镇"), ("kind", "town")]);
    let res = app.post("/api/create_township", &body, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("本区已有同名镇街"), "{}", res.body);
}

#[tokio::test]
async fn accounts_are_created_only_inside_the_admins_scope() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let admin = app.login("dept1", PASSWORD).await;
    let create = |role: &str, scope: i64, user: &str| {
        form(&[
            ("username", user),
            ("display_name", "测试"),
            ("phone", ""),
            ("role", role),
            ("scope_id", &scope.to_string()),
            ("password", PASSWORD),
        ])
    };
    let res = app
        .post("/api/create_account", &create("township_supervisor", org.own.township, "sup.new"), Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    app.login("sup.new", PASSWORD).await;
    let res = app
        .post("/api/create_account", &create("township_supervisor", org.foreign.township, "sup.far"), Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let res = app.post("/api/create_account", &create("sys_admin", 0, "root2"), Some(&admin)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "only system administrators make system administrators");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE username IN ('sup.far', 'root2')")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

/// A form posted without script comes back to its page, marked with its outcome: a success as
/// `__done=<function>` (an earlier mark dropped), a refusal as leptos's error, and the page then
/// says so.
#[tokio::test]
async fn a_plain_form_comes_back_to_its_page_with_its_outcome() {
    let app = TestApp::new().await;
    seed_org(&app.pool).await;
    let cookie = app.login("dept1", PASSWORD).await;
    let plain_post = |body: String, referer: &str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/change_password")
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, referer)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let same = form(&[("current", PASSWORD), ("new", PASSWORD)]);
    let res = app.send(plain_post(same, "http://localhost/account?__done=/api/logout")).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let back = res.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert_eq!(back, "http://localhost/account?__done=/api/change_password");
    let page = app.get("/account?__done=/api/change_password", Some(&cookie)).await;
    assert!(page.body.contains("密码已修改"), "{}", page.body);

    let wrong = form(&[("current", "not-the-password"), ("new", PASSWORD)]);
    let res = app.send(plain_post(wrong, "http://localhost/account")).await;
    let back = res.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert!(back.contains("__err=") && !back.contains("__done"), "{back}");
    let path = back.trim_start_matches("http://localhost");
    let page = app.get(path, Some(&cookie)).await;
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
    assert!(!page.body.contains("密码已修改"));
}
