//! Failed ballot attempts per client address, in memory: a guesser of codes is slowed down and
//! nothing about a voter is stored (not even an address in the database).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Failed attempts within [`WINDOW`] after which a client waits for the window to pass.
pub const MAX_FAILURES: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

static FAILURES: LazyLock<Mutex<HashMap<IpAddr, (u32, Instant)>>> = LazyLock::new(Default::default);

/// The address a request came from (none behind an in-process test client).
fn client() -> Option<IpAddr> {
    use leptos::prelude::use_context;
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()))
}

/// Whether `client` may try another code.
fn allowed(client: Option<IpAddr>, now: Instant) -> bool {
    let Some(ip) = client else { return true };
    let map = FAILURES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    map.get(&ip).is_none_or(|(n, since)| *n < MAX_FAILURES || now.duration_since(*since) > WINDOW)
}

/// Counts a failed attempt of `client`.
fn failed(client: Option<IpAddr>, now: Instant) {
    let Some(ip) = client else { return };
    let mut map = FAILURES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Forget clients whose window has passed, so the map stays small.
    if map.len() > 10_000 {
        map.retain(|_, (_, since)| now.duration_since(*since) <= WINDOW);
    }
    let entry = map.entry(ip).or_insert((0, now));
    if now.duration_since(entry.1) > WINDOW {
        *entry = (0, now);
    }
    entry.0 = entry.0.saturating_add(1);
}

/// Runs one attempt of the calling client (a ballot, a code typed), unless the client is held
/// up; an outcome `failed_if` picks counts as a failed attempt.
pub async fn attempt<T>(
    run: impl std::future::Future<Output = Result<T, db::Error>>,
    failed_if: impl Fn(&db::Error) -> bool,
) -> Result<T, crate::error::AppError> {
    let (client, now) = (client(), Instant::now());
    if !allowed(client, now) {
        let until = chrono::Utc::now() + chrono::Duration::minutes(15);
        return Err(crate::error::AppError::Locked(until.to_rfc3339()));
    }
    let outcome = run.await;
    if outcome.as_ref().is_err_and(failed_if) {
        failed(client, now);
    }
    Ok(outcome?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_waits_after_twenty_failures_until_the_window_passes() {
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert!(allowed(Some(ip), t0));
            failed(Some(ip), t0);
        }
        assert!(!allowed(Some(ip), t0 + Duration::from_secs(60)));
        assert!(allowed(Some("203.0.113.8".parse().unwrap()), t0), "others are not held up");
        assert!(allowed(Some(ip), t0 + WINDOW + Duration::from_secs(1)));
    }
}
