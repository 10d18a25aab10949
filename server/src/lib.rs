#![recursion_limit = "256"]
//! The 驻村通 HTTP server: the Leptos application, its server functions, health checks and
//! the security layers (sessions, CSRF, tracing, compression) around them.

mod attendance;
mod caller;
pub mod config;
pub mod csrf;
mod dashboard;
mod events;
mod forms;
mod headers;
mod reports;
pub mod secret;
mod sync;

use std::sync::Arc;

use app::error::AppError;
use app::server::AppState;
use app::{shell, App};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use db::files::FileStore;
use db::PgPool;
use domain::evaluation::ballot::CodeKey;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub use config::Config;
pub use dashboard::spawn_refresher;

/// A route served outside Leptos (pages and server functions are listed by Leptos itself): one
/// table for the router and the authorization matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plain {
    Health,
    Ready,
    Lang,
    SyncPush,
    SyncPhoto,
    SyncReference,
    FieldApp,
    Leave,
    Events,
    Report,
    Photo,
    InspectionPhoto,
    DashboardMap,
    SyncHistory,
    SyncLive,
}

impl Plain {
    pub const ALL: [Plain; 15] = [
        Plain::Health,
        Plain::Ready,
        Plain::Lang,
        Plain::SyncPush,
        Plain::SyncPhoto,
        Plain::SyncReference,
        Plain::FieldApp,
        Plain::Leave,
        Plain::Events,
        Plain::Report,
        Plain::Photo,
        Plain::InspectionPhoto,
        Plain::DashboardMap,
        Plain::SyncHistory,
        Plain::SyncLive,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Plain::Health => "/healthz",
            Plain::Ready => "/readyz",
            Plain::Lang => "/lang/{code}",
            Plain::SyncPush => "/sync/push",
            Plain::SyncPhoto => "/sync/photos/{hash}",
            Plain::SyncReference => "/sync/reference",
            Plain::FieldApp => "/field",
            Plain::Leave => "/sync/leave",
            Plain::Events => "/events/attendance",
            Plain::Report => "/reports/{file}",
            Plain::Photo => "/photos/{hash}",
            Plain::InspectionPhoto => "/inspections/{id}/photo",
            Plain::DashboardMap => "/dashboard/map.svg",
            Plain::SyncHistory => "/sync/history",
            Plain::SyncLive => "/sync/live",
        }
    }

    /// What serves it.
    fn handler<S: Clone + Send + Sync + 'static>(
        self,
        stores: &Stores,
        config: &Config,
        sessions: &PostgresStore,
    ) -> axum::routing::MethodRouter<S> {
        let pool = &stores.pool;
        match self {
            Plain::Health => get(|| async { "ok" }),
            Plain::Ready => get(readyz).with_state(pool.clone()),
            Plain::Lang => get(set_lang),
            Plain::SyncPush => sync::push_route(pool.clone()),
            Plain::SyncPhoto => sync::photo_route(WithFiles::from(stores)),
            Plain::SyncReference => sync::reference_route(pool.clone()),
            Plain::FieldApp => sync::field_shell_route(pool.clone(), &config.site_root),
            Plain::Leave => attendance::leave_route(pool.clone()),
            Plain::Events => events::route(events::Hub::new(pool.clone(), sessions.clone())),
            Plain::Report => reports::route(Reporting::from(stores)),
            Plain::Photo => attendance::photo_route(WithFiles::from(stores)),
            Plain::InspectionPhoto => attendance::inspection_photo_route(WithFiles::from(stores)),
            Plain::DashboardMap => dashboard::map_route(Reporting::from(stores)),
            Plain::SyncHistory => sync::history_route(pool.clone()),
            Plain::SyncLive => sync::live_route(pool.clone()),
        }
    }
}

/// Where the server keeps things: the database (its primary, and the pool for reads that may
/// be a moment behind) and the file store of photos' bytes.
#[derive(Clone)]
pub struct Stores {
    pub pool: PgPool,
    /// Dashboards' and reports' reads: a streaming standby's pool (`DATABASE_REPLICA_URL`), or
    /// the primary's.
    pub reads: PgPool,
    pub files: FileStore,
}

impl Stores {
    /// Everything on one database.
    pub fn new(pool: PgPool, files: FileStore) -> Self {
        Stores { reads: pool.clone(), pool, files }
    }
}

/// The state of the routes that keep or read photos: the database and the file store.
#[derive(Clone, axum::extract::FromRef)]
struct WithFiles {
    pool: PgPool,
    files: FileStore,
}

impl From<&Stores> for WithFiles {
    fn from(s: &Stores) -> Self {
        WithFiles { pool: s.pool.clone(), files: s.files.clone() }
    }
}

/// Reads that may be a moment behind ([`Stores::reads`]).
#[derive(Clone)]
struct Reads(PgPool);

/// The state of the reports and the dashboard's map: the caller is found on the primary, the
/// figures are read where reads go.
#[derive(Clone, axum::extract::FromRef)]
struct Reporting {
    pool: PgPool,
    reads: Reads,
}

impl From<&Stores> for Reporting {
    fn from(s: &Stores) -> Self {
        Reporting { pool: s.pool.clone(), reads: Reads(s.reads.clone()) }
    }
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "zhucun.sid";

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(Arc::<str>::from("zhucun"))
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(app::hashed_bundle())
        .build()
}

/// The whole application as one router, for the binary and the tests alike.
pub fn router(stores: Stores, config: &Config, ballot_key: CodeKey) -> Router {
    let options = leptos_options(config);
    let pool = stores.pool.clone();
    let state =
        AppState { pool: pool.clone(), reads: stores.reads.clone(), public_url: config.public_url.clone(), ballot_key };
    let store = PostgresStore::new(pool.clone());
    let sessions = SessionManagerLayer::new(store.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(config.session_hours)));
    let origins = csrf::Origins { public: config.public_url.clone() };
    let routes = generate_route_list(App);
    let router = Plain::ALL
        .into_iter()
        .fold(Router::new(), |router, plain| router.route(plain.path(), plain.handler(&stores, config, &store)))
        .leptos_routes_with_context(&options, routes, move || provide_context(state.clone()), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", bundle(std::path::Path::new(&config.site_root).join("pkg"), app::hashed_bundle()))
        .nest_service("/field/pkg", bundle(std::path::Path::new(&config.site_root).join("field/pkg"), true))
        .fallback_service(site_files(&config.site_root, options.clone()))
        .with_state(options)
        .layer(axum::middleware::from_fn(error_status))
        .layer(axum::middleware::from_fn(forms::mark_outcome))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(origins, csrf::guard))
        .layer(CompressionLayer::new());
    headers::secure(router).layer(TraceLayer::new_for_http())
}

/// The site's other files (icons, the service worker, the manifest); any other path is the
/// app's "not found" page. Not leptos_axum's `file_and_error_handler` for the files: it applies
/// the response options of whichever page is being rendered at the same time, so a page
/// rendered beside a file lost its headers (its script nonce, and with it hydration).
fn site_files(site_root: &str, options: LeptosOptions) -> Router {
    use axum::handler::Handler;
    let files = tower_http::services::ServeDir::new(site_root)
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(leptos_axum::file_and_error_handler(shell).with_state(options));
    Router::new().fallback_service(files)
}

/// A bundle's files (the office pages' or the field app's), with the build's brotli and gzip
/// copies sent as they are. Names that carry a content hash are cached for good; a build that
/// did not hash them (the tests') has its files revalidated like any other.
fn bundle(dir: std::path::PathBuf, hashed: bool) -> Router {
    use axum::http::HeaderValue;
    use tower_http::services::ServeDir;
    use tower_http::set_header::SetResponseHeaderLayer;
    let cache = HeaderValue::from_static(if hashed { "public, max-age=31536000, immutable" } else { "no-cache" });
    let dir = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    // Only a file found is kept: a name missing during a deploy must not stay missing.
    let policy = move |res: &Response| res.status().is_success().then(|| cache.clone());
    Router::new().fallback_service(dir).layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, policy))
}

/// Server functions answer every error with 500; this gives a server function's error the
/// status it stands for ([`AppError::status`]: 401, 403, 404, 409, 422, 429 …).
async fn error_status(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The path (and query) of a URL, if it stays on this site: `//host/…` and `/\\host/…` would
/// send a browser elsewhere, so they become `/`.
fn local_path(url: &str) -> String {
    let path = url.find("://").map_or(url, |i| url[i + 3..].find('/').map_or("/", |j| &url[i + 3 + j..]));
    let off_site = path.starts_with("//") || path.starts_with("/\\") || !path.starts_with('/');
    if off_site || path.chars().any(char::is_control) {
        "/".to_string()
    } else {
        path.to_string()
    }
}

/// Ready when the database answers.
async fn readyz(State(pool): State<PgPool>) -> Response {
    if db::ping(&pool).await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// Switches the interface language (a cookie) and returns to the page the link was on, if that
/// page is one of ours.
async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = domain::Lang::from_code(&code);
    let back = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).map_or("/".to_string(), local_path);
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_language_switch_returns_only_to_our_own_pages() {
        use super::local_path;
        assert_eq!(local_path("http://zhucun.example/township?township=3"), "/township?township=3");
        assert_eq!(local_path("https://zhucun.example"), "/");
        for evil in
            ["http://host//evil.example", "http://host/\\evil.example", "//evil.example/x", "javascript:alert(1)"]
        {
            assert_eq!(local_path(evil), "/", "{evil}");
        }
    }
}
