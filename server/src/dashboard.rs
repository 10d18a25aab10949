//! The dashboards' parts outside Leptos: the map (`GET /dashboard/map.svg`, drawn on the
//! server, fetched by the page once it is up) and the refresher that keeps the figures current.

use std::time::Duration;

use crate::caller::Caller;
use crate::{Reads, Reporting};
use app::error::AppError;
use app::server::lang_of;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use db::PgPool;
use domain::Scope;
use serde::Deserialize;

/// How often the refresher looks for postings to recompute: the dashboards' figures are this
/// much behind the records at most, plus the time to compute them.
const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// Postings recomputed per transaction.
const BATCH: i64 = 500;

/// Recomputes the dashboards' figures as records arrive and days pass, until the process ends.
pub fn spawn_refresher(pool: PgPool) {
    tokio::spawn(async move {
        loop {
            let started = std::time::Instant::now();
            match db::dashboard::refresh(&pool, BATCH).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::debug!(postings = n, ms = started.elapsed().as_millis(), "dashboard figures recomputed");
                    if n as i64 == BATCH {
                        continue; // more are waiting
                    }
                }
                Err(e) => tracing::error!(error = %e, "dashboard refresh"),
            }
            tokio::time::sleep(REFRESH_EVERY).await;
        }
    });
}

#[derive(Deserialize)]
struct MapParams {
    district_id: Option<i64>,
}

pub fn map_route<S: Clone + Send + Sync + 'static>(state: Reporting) -> MethodRouter<S> {
    get(map).with_state(state)
}

/// A district's villages (the department's own district, or the one asked for), or a city's
/// townships.
#[tracing::instrument(skip_all)]
async fn map(
    State(Reads(pool)): State<Reads>,
    Caller(actor): Caller,
    headers: HeaderMap,
    Query(p): Query<MapParams>,
) -> Result<Response, AppError> {
    let lang = lang_of(&headers);
    let district = p.district_id.or(match actor.scope {
        Scope::District(d) => Some(d),
        _ => None,
    });
    let svg = match district {
        Some(d) => app::charts::village_map(&db::dashboard::village_map(&pool, &actor, d).await?, lang),
        None => app::charts::township_map(&db::dashboard::township_map(&pool, &actor).await?, lang),
    };
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"), (header::CACHE_CONTROL, "private, no-cache")], svg)
        .into_response())
}
