//! The secretary's history from the server (`GET /sync/history`, `docs/sync.md`): a new or
//! wiped phone reads back what was synced before, newest first, a page at a time. After a sync
//! the pages of the last [`HISTORY_KEPT_DAYS`] come by themselves and stay for reading offline;
//! older pages come when the person asks. Records the phone holds already are left as they are.

use chrono::{Duration, SecondsFormat};
use domain::sync::{HistoryCursor, HistoryPage, HISTORY_KEPT_DAYS};
use leptos::prelude::{GetUntracked, Set};
use serde::{Deserialize, Serialize};

use crate::net::{self, NetError};
use crate::state::{now, Field};
use crate::store;

/// The meta key of how far back the phone has read.
pub const KEY: &str = "history";

/// How far back the phone has read: the next page starts at `next` (the newest when none);
/// `end` once the server has nothing older.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    pub next: Option<HistoryCursor>,
    pub end: bool,
}

async fn page(cursor: Option<&HistoryCursor>) -> Result<HistoryPage, NetError> {
    let url = match cursor {
        // RFC 3339 in UTC ("Z"): nothing in it needs escaping in a query.
        Some(c) => {
            format!("/sync/history?before={}&id={}", c.before.to_rfc3339_opts(SecondsFormat::AutoSi, true), c.id)
        }
        None => "/sync/history".to_string(),
    };
    net::get(&url).await
}

/// Keeps the page's records the phone does not hold; returns how many.
async fn keep(field: Field, page: HistoryPage) -> Result<usize, NetError> {
    let new: Vec<_> =
        page.records.into_iter().filter(|h| field.record(&h.envelope.id).is_none()).map(|h| h.into_local()).collect();
    let n = new.len();
    field.save(new).await.map_err(NetError::Storage)?;
    Ok(n)
}

/// Reads one page further back and remembers where the next one starts.
async fn step(field: Field, at: Reach) -> Result<(usize, Reach), NetError> {
    let p = page(at.next.as_ref()).await?;
    let reach = Reach { end: p.next.is_none(), next: p.next.clone().or(at.next) };
    let n = keep(field, p).await?;
    store::put_meta(KEY, &reach).await.map_err(|e| NetError::Storage(e.saving()))?;
    field.history.set(reach.clone());
    Ok((n, reach))
}

/// After a sync: reads back the last [`HISTORY_KEPT_DAYS`] where not done yet (resuming where
/// an interrupted read stopped). `fresh` (the sync button) also reads the newest page again,
/// for records that reached the server from another phone.
pub async fn catch_up(field: Field, fresh: bool) -> Result<(), NetError> {
    if fresh {
        keep(field, page(None).await?).await?;
    }
    let horizon = now() - Duration::days(HISTORY_KEPT_DAYS);
    let mut at = field.history.get_untracked();
    while !at.end && at.next.as_ref().is_none_or(|c| c.before > horizon) {
        at = step(field, at).await?.1;
    }
    Ok(())
}

/// One page older than the phone holds (the person asked): how many records it brought, and
/// whether the server holds any older still.
pub async fn older(field: Field) -> Result<(usize, bool), NetError> {
    let at = field.history.get_untracked();
    if at.end {
        return Ok((0, false));
    }
    let (n, reach) = step(field, at).await?;
    Ok((n, !reach.end))
}
