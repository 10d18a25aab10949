//! `POST /sync/push`: the field app's batched, idempotent upload (`docs/sync.md`). A plain JSON
//! route rather than a server function: phones send it gzip- or brotli-compressed.

use app::error::AppError;
use app::server::SESSION_ACCOUNT;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::Json;
use db::sync::{Push, PushResult};
use db::PgPool;
use domain::Msg;
use tower_http::decompression::RequestDecompressionLayer;
use tower_sessions::Session;

/// Largest push body after decompression.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub fn push_route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    post(push).with_state(pool).layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(MAX_BODY)).layer(RequestDecompressionLayer::new())
}

fn error(e: AppError) -> Response {
    (e.status(), Json(e)).into_response()
}

#[tracing::instrument(skip_all)]
async fn push(State(pool): State<PgPool>, session: Session, body: Result<Json<Push>, JsonRejection>) -> Response {
    let account: Option<i64> = match session.get(SESSION_ACCOUNT).await {
        Ok(a) => a,
        Err(_) => return error(AppError::Internal),
    };
    let actor = match account {
        Some(id) => match db::auth::actor(&pool, id).await {
            Ok(Some(actor)) => actor,
            Ok(None) => return error(AppError::Unauthenticated),
            Err(e) => return error(e.into()),
        },
        None => return error(AppError::Unauthenticated),
    };
    let Json(push) = match body {
        Ok(b) => b,
        Err(e) => return error(AppError::Invalid(Msg::new(format!("同步数据格式错误：{e}"), format!("malformed push: {e}")))),
    };
    let records = push.records.len();
    match db::sync::push(&pool, &actor, push, chrono::Utc::now()).await {
        Ok(result) => {
            log(actor.account_id, records, &result);
            Json(result).into_response()
        }
        Err(e) => error(e.into()),
    }
}

fn log(account: i64, records: usize, result: &PushResult) {
    let refused = result.acks.iter().filter(|a| a.status != db::sync::AckStatus::Stored && a.status != db::sync::AckStatus::Duplicate).count();
    tracing::info!(account, records, refused, clock_skewed = result.clock_skewed, "sync push");
}
