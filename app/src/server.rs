//! Server-side plumbing of the server functions: shared state and the session's actor.

use db::PgPool;
use domain::Actor;
use leptos::prelude::*;
use tower_sessions::Session;

use crate::error::AppError;

/// What every request can reach; provided as context by the server.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// For reads that may be a moment behind (dashboards): the standby when one is configured
    /// (`DATABASE_REPLICA_URL`), else the same pool.
    pub reads: PgPool,
    /// `ZHUCUN_PUBLIC_URL`, for links printed on paper (ballot QR codes).
    pub public_url: Option<String>,
    /// Keys the stored form of ballot codes (from the server's secret file).
    pub ballot_key: domain::evaluation::ballot::CodeKey,
}

/// The session key holding the logged-in account's id.
pub const SESSION_ACCOUNT: &str = "account_id";
/// The session key holding when it logged in (its absolute lifetime, and sessions ended by a
/// password change, count from it).
pub const SESSION_SINCE: &str = "logged_in_at";

pub fn pool() -> Result<PgPool, AppError> {
    use_context::<AppState>().map(|s| s.pool).ok_or(AppError::Internal)
}

/// The pool for dashboards' reads, which may be a moment behind the writes (never for a page
/// that must show the caller's own change).
pub fn read_pool() -> Result<PgPool, AppError> {
    use_context::<AppState>().map(|s| s.reads).ok_or(AppError::Internal)
}

pub fn ballot_key() -> Result<domain::evaluation::ballot::CodeKey, AppError> {
    use_context::<AppState>().map(|s| s.ballot_key).ok_or(AppError::Internal)
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::Internal
    })
}

/// The account the request runs as, or `Unauthenticated`.
pub async fn actor() -> Result<Actor, AppError> {
    actor_of_session(&pool()?, &session().await?).await
}

/// The account a session is logged in as (also for routes outside Leptos).
pub async fn actor_of_session(pool: &PgPool, session: &Session) -> Result<Actor, AppError> {
    let id: Option<i64> = session.get(SESSION_ACCOUNT).await.map_err(|_| AppError::Internal)?;
    let since: Option<chrono::DateTime<chrono::Utc>> =
        session.get(SESSION_SINCE).await.map_err(|_| AppError::Internal)?;
    let (id, since) = id.zip(since).ok_or(AppError::Unauthenticated)?;
    db::auth::actor(pool, id, since).await?.ok_or(AppError::Unauthenticated)
}

/// The address people reach the server at: the configured public URL, else this request's host.
pub fn public_origin() -> String {
    if let Some(url) = use_context::<AppState>().and_then(|s| s.public_url) {
        return url.trim_end_matches('/').to_string();
    }
    let host = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.headers.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    format!("http://{host}")
}

/// Redirects a form posted without JavaScript (the page was not interactive yet) to `path`.
/// Script calls get their answer instead, and the page decides where to go.
pub fn redirect_plain_form(path: &str) {
    let accepts_html = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|a| a.contains("text/html"))
        })
        .unwrap_or(false);
    if accepts_html {
        leptos_axum::redirect(path);
    }
}

/// The interface language from the request's `lang` cookie.
pub fn request_lang() -> domain::Lang {
    use_context::<axum::http::request::Parts>().map(|p| lang_of(&p.headers)).unwrap_or_default()
}

/// The interface language a request's `lang` cookie asks for (also for routes outside Leptos).
pub fn lang_of(headers: &axum::http::HeaderMap) -> domain::Lang {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|c| c.trim().strip_prefix("lang="))
        .map(domain::Lang::from_code)
        .next()
        .unwrap_or_default()
}

/// The policy of a page: scripts only from this site or with this response's nonce (Leptos puts
/// it on its inline scripts), WebAssembly allowed, no framing, no plugins, forms and links to
/// this site only. Routes outside Leptos get the same without the nonce (`server::headers`).
pub fn content_security_policy() {
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}
