//! Attendance routes outside Leptos: the phone's leave request (`POST /sync/leave`), photos for
//! the pages that show records (`GET /photos/{hash}`) and the photo of an inspection
//! (`PUT /inspections/{id}/photo`).

use std::convert::Infallible;

use app::error::AppError;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Json;
use chrono::NaiveDate;
use db::files::FileStore;
use db::PgPool;
use serde::Deserialize;

use crate::caller::Caller;
use crate::WithFiles;

pub fn photo_route<S: Clone + Send + Sync + 'static>(state: WithFiles) -> MethodRouter<S> {
    get(photo).with_state(state)
}

/// A photo for a page that shows records: only if its secretary is in the caller's scope. Its
/// address is its content hash, so it never changes: cached for good, by the browser only (the
/// answer depends on who asks).
#[tracing::instrument(skip_all, fields(hash = %hash))]
async fn photo(
    State(pool): State<PgPool>,
    State(files): State<FileStore>,
    Caller(actor): Caller,
    axum::extract::Path(hash): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    let (content_type, bytes) = db::photos::photo(&pool, &files, &actor, &hash).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CACHE_CONTROL, "private, max-age=31536000, immutable".to_string()),
        ],
        bytes,
    )
        .into_response())
}

pub fn inspection_photo_route<S: Clone + Send + Sync + 'static>(state: WithFiles) -> MethodRouter<S> {
    axum::routing::put(inspection_photo)
        .with_state(state)
        .layer::<_, Infallible>(axum::extract::DefaultBodyLimit::max(db::photos::MAX_PHOTO_BYTES))
}

/// The photo taken at an inspection: the body is the image, `Content-Type` its type.
#[tracing::instrument(skip_all, fields(inspection = id))]
async fn inspection_photo(
    State(pool): State<PgPool>,
    State(files): State<FileStore>,
    Caller(actor): Caller,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
    bytes: axum::body::Bytes,
) -> Result<Json<String>, AppError> {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Ok(Json(db::attendance::attach_inspection_photo(&pool, &files, &actor, id, content_type, &bytes).await?))
}

#[derive(Deserialize)]
struct LeaveForm {
    first_day: NaiveDate,
    last_day: NaiveDate,
    reason: String,
}

pub fn leave_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    post(request_leave).with_state(pool)
}

#[tracing::instrument(skip_all)]
async fn request_leave(
    State(pool): State<PgPool>,
    Caller(actor): Caller,
    form: Result<Json<LeaveForm>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, AppError> {
    let Json(form) = form.map_err(|e| {
        AppError::Invalid(domain::Msg::new(format!("请假申请格式错误：{e}"), format!("malformed leave request: {e}")))
    })?;
    let id = db::attendance::request_leave(&pool, &actor, form.first_day, form.last_day, &form.reason).await?;
    Ok((axum::http::StatusCode::CREATED, Json(id)))
}
