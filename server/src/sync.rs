//! The field app's sync routes (`docs/sync.md`): the batched, idempotent push, photo upload,
//! and the reference data the phone keeps offline. Plain routes rather than server functions:
//! phones send compressed JSON and raw photo bytes.

use app::error::AppError;
use app::server::actor_of_session;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::Json;
use db::files::FileStore;
use db::photos::MAX_PHOTO_BYTES;
use db::sync::{AckStatus, PushResult, Reference};
use db::PgPool;
use domain::Msg;
use tower_http::decompression::RequestDecompressionLayer;
use tower_sessions::Session;

use crate::caller::Caller;
use crate::WithFiles;

/// Largest push body after decompression.
const MAX_PUSH_BODY: usize = 16 * 1024 * 1024;

pub fn push_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    post(push)
        .with_state(pool)
        .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(MAX_PUSH_BODY))
        .layer(RequestDecompressionLayer::new())
}

pub fn photo_route<S: Clone + Send + Sync + 'static>(state: WithFiles) -> MethodRouter<S> {
    put(upload_photo).with_state(state).layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(MAX_PHOTO_BYTES))
}

pub fn history_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    get(history).with_state(pool)
}

pub fn reference_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    get(reference).with_state(pool)
}

/// The field app's page: a static shell (the app renders itself from the phone's data, see
/// `docs/sync.md`). Visitors are sent to log in, other roles are refused.
pub fn field_shell_route<S: Clone + Send + Sync + 'static>(pool: PgPool, site_root: &str) -> MethodRouter<S> {
    let page = std::path::Path::new(site_root).join("field/index.html");
    get(field_shell).with_state((pool, std::sync::Arc::new(page)))
}

async fn field_shell(
    State((pool, page)): State<(PgPool, std::sync::Arc<std::path::PathBuf>)>,
    session: Session,
) -> Response {
    match actor_of_session(&pool, &session).await {
        Ok(a) if a.role == domain::Role::Secretary => {}
        Ok(_) => return AppError::Forbidden.into_response(),
        Err(AppError::Unauthenticated) => return (StatusCode::FOUND, [(header::LOCATION, "/login")]).into_response(),
        Err(e) => return e.into_response(),
    }
    match tokio::fs::read_to_string(page.as_path()).await {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], html)
            .into_response(),
        Err(e) => {
            tracing::error!(page = %page.display(), "field app page missing: {e}");
            AppError::Internal.into_response()
        }
    }
}

/// Pushes being checked and stored at once; more wait their turn (each may hold up to
/// [`MAX_PUSH_BODY`] in memory).
static PUSHES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// The caller is known before the body is read: a visitor's push costs nothing.
#[tracing::instrument(skip_all)]
async fn push(State(pool): State<PgPool>, Caller(actor): Caller, body: Body) -> Result<Json<PushResult>, AppError> {
    let _turn = PUSHES.acquire().await.map_err(|_| AppError::Internal)?;
    let bytes = axum::body::to_bytes(body, MAX_PUSH_BODY).await.map_err(|_| {
        AppError::Invalid(Msg::new(
            "同步数据过大或不完整，请稍后重试",
            "the push is too large or incomplete; it will be sent again",
        ))
    })?;
    let push: db::sync::Incoming = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Invalid(Msg::new(format!("同步数据格式错误：{e}"), format!("malformed push: {e}"))))?;
    let records = push.records.len();
    let result = db::sync::push(&pool, &actor, push, chrono::Utc::now()).await?;
    let refused = result.acks.iter().filter(|a| !matches!(a.status, AckStatus::Stored | AckStatus::Duplicate)).count();
    tracing::info!(account = actor.account_id, records, refused, clock_skewed = result.clock_skewed, "sync push");
    Ok(Json(result))
}

#[tracing::instrument(skip_all, fields(hash = %hash))]
async fn upload_photo(
    State(pool): State<PgPool>,
    State(files): State<FileStore>,
    Caller(actor): Caller,
    Path(hash): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<StatusCode, AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let new = db::photos::store_photo(&pool, &files, &actor, &hash, content_type, &bytes).await?;
    Ok(if new { StatusCode::CREATED } else { StatusCode::OK })
}

/// The phone's reference data, tagged with its fingerprint: a phone that holds the same gets
/// 304 and nothing is computed (the year's projection is the costly part).
#[tracing::instrument(skip_all)]
async fn reference(
    State(pool): State<PgPool>,
    Caller(actor): Caller,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tag = format!("\"{}\"", db::reference::version(&pool, &actor).await?);
    let held = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if held == Some(tag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    let reference: Reference = db::reference::reference(&pool, &actor).await?;
    Ok(([(header::ETAG, tag), (header::CACHE_CONTROL, "private, no-cache".to_string())], Json(reference))
        .into_response())
}

pub fn live_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    get(live).with_state(pool)
}

/// What changes by the minute: roll calls waiting for a check-in, and leave.
async fn live(State(pool): State<PgPool>, Caller(actor): Caller) -> Result<Json<domain::sync::Live>, AppError> {
    Ok(Json(db::reference::live(&pool, &actor).await?))
}

/// Where a page of history starts (`?before=…&id=…`, both or neither): the first page is the
/// newest.
#[derive(serde::Deserialize)]
struct HistoryQuery {
    before: Option<chrono::DateTime<chrono::Utc>>,
    id: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn history(
    State(pool): State<PgPool>,
    Caller(actor): Caller,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Json<domain::sync::HistoryPage>, AppError> {
    let cursor = match query {
        Ok(Query(HistoryQuery { before: Some(before), id: Some(id) })) => {
            Some(domain::sync::HistoryCursor { before, id })
        }
        Ok(Query(HistoryQuery { before: None, id: None })) => None,
        _ => {
            return Err(AppError::Invalid(Msg::new(
                "翻页参数错误（需同时给出 before 时间与 id）",
                "bad page parameters (before, a time, and id go together)",
            )))
        }
    };
    Ok(Json(db::records::history(&pool, &actor, cursor.as_ref()).await?))
}
