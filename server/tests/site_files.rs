//! Pages served beside the site's files, many at once, in a process of their own (the other
//! integration tests' runtimes beside it made this one wait forever now and then).

mod common;

use axum::http::{header, StatusCode};
use common::*;

/// Pages and the site's files served at once: leptos_axum's file handler took the headers of
/// pages rendered beside it (a third of them lost their nonce and never hydrated).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_served_beside_the_sites_files_keeps_its_nonce_policy() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..120 {
        let app = app.clone();
        tasks.spawn(async move {
            if i % 2 == 0 {
                let page = app.get("/login", None).await;
                let csp = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
                let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).map(str::to_string);
                Some(nonce.is_some_and(|n| page.body.contains(&format!("nonce=\"{n}\""))))
            } else {
                let file = app.get("/icon.svg", None).await;
                assert_eq!(file.status, StatusCode::OK);
                None
            }
        });
    }
    let pages: Vec<bool> = tasks.join_all().await.into_iter().flatten().collect();
    assert_eq!(pages.len(), 60);
    assert_eq!(pages.iter().filter(|ok| !**ok).count(), 0, "pages without their nonce policy");
    assert_eq!(app.get("/no-such-page", None).await.status, StatusCode::NOT_FOUND);
}
