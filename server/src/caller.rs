//! Who calls a plain route: the session's account as an [`Actor`], extracted before anything
//! else of the request is read (a visitor's push or upload costs nothing), or the error
//! (401 when not logged in) as the answer.

use app::error::AppError;
use app::server::actor_of_session;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use db::PgPool;
use domain::Actor;
use tower_sessions::Session;

/// The logged-in caller.
pub struct Caller(pub Actor);

impl<S> FromRequestParts<S> for Caller
where
    PgPool: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, e)| {
            tracing::error!("no session layer: {e}");
            AppError::Internal
        })?;
        Ok(Caller(actor_of_session(&PgPool::from_ref(state), &session).await?))
    }
}
