//! The phone's side of the sync protocol (`docs/sync.md`): pushes queued records in batches,
//! applies each record's acknowledgement, uploads the photos the server lacks, keeps the
//! reference data fresh, then reads back the secretary's history (`history`). Runs when the app
//! opens, when the network returns, every 20 seconds while something waits or the reference
//! data is over 2 minutes old (it carries roll calls), with back-off after failures, and on the
//! button. Recording never waits for it.

use std::collections::BTreeSet;

use chrono::Duration;
use domain::sync::{self as protocol, Live, Push, PushResult, Reference, MAX_BATCH};
use domain::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::net::{self, NetError};
use crate::state::{now, Field};
use crate::store;

/// Reference data older than this is fetched again (it carries the township's roll calls, so
/// an open app checks every few minutes).
const REFERENCE_MAX_AGE_MIN: i64 = 2;
const TICK_MS: i32 = 20_000;

/// Starts the triggers: now, on `online`, and a periodic check.
pub fn start(field: Field) {
    spawn_local(run(field, false));
    let Some(window) = web_sys::window() else { return };
    let on_online = Closure::<dyn Fn()>::new(move || {
        field.online.set(true);
        field.sync.update(|s| s.next_at = None);
        spawn_local(run(field, false));
    });
    let on_offline = Closure::<dyn Fn()>::new(move || field.online.set(false));
    let tick = Closure::<dyn Fn()>::new(move || {
        if due(field) {
            spawn_local(run(field, false));
        }
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("offline", on_offline.as_ref().unchecked_ref());
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), TICK_MS);
    // The app lives as long as the page: the handlers do too.
    on_online.forget();
    on_offline.forget();
    tick.forget();
}

/// No reference data yet, or older than [`REFERENCE_MAX_AGE_MIN`].
fn reference_stale(field: Field) -> bool {
    field
        .reference
        .with_untracked(|r| r.as_ref().is_none_or(|r| now() - r.server_time > Duration::minutes(REFERENCE_MAX_AGE_MIN)))
}

/// Whether an automatic attempt should run now.
fn due(field: Field) -> bool {
    let s = field.sync.get_untracked();
    let waiting = field.records.with_untracked(|rs| {
        rs.iter().any(|r| {
            r.state == protocol::SyncState::Queued
                || (r.state == protocol::SyncState::Synced && !r.missing_photos.is_empty())
        })
    });
    let stale = reference_stale(field);
    field.online.get_untracked()
        && !s.running
        && !s.logged_out
        && (waiting || stale)
        && s.next_at.is_none_or(|t| now() >= t)
}

/// The meta key of the last successful sync's time.
pub const LAST_SYNC: &str = "last_sync";

/// One sync attempt; the outcome goes to the status bar. `fresh` fetches the reference data
/// whatever its age (the button: the person wants to see the latest).
pub async fn run(field: Field, fresh: bool) {
    if field.sync.get_untracked().running {
        return;
    }
    field.sync.update(|s| s.running = true);
    let outcome = attempt(field, fresh).await;
    if outcome.is_ok() {
        // Kept, so that a reload without signal still says when the phone last synced.
        let _ = store::put_meta(LAST_SYNC, &now()).await;
    }
    field.sync.update(|s| {
        s.running = false;
        match outcome {
            Ok(()) => {
                s.failures = 0;
                s.next_at = None;
                s.last_ok = Some(now());
                s.error = None;
                s.logged_out = false;
            }
            Err(e) => {
                s.failures += 1;
                let jitter = Duration::milliseconds((js_sys::Math::random() * 5000.0) as i64);
                s.next_at = Some(now() + protocol::backoff(s.failures) + jitter);
                s.logged_out = matches!(e, NetError::LoggedOut);
                s.error = Some(e.message());
            }
        }
    });
}

async fn attempt(field: Field, fresh: bool) -> Result<(), NetError> {
    if fresh || reference_stale(field) {
        refresh_reference(field).await?;
    }
    let mut stored = false;
    loop {
        let open = field.editing.get_untracked();
        let batch: Vec<_> = field.records.with_untracked(|rs| {
            let ready = rs.iter().filter(|r| Some(&r.envelope.id) != open.as_ref());
            protocol::next_batch(ready, MAX_BATCH).into_iter().cloned().collect()
        });
        if batch.is_empty() {
            break;
        }
        let hashes: Vec<String> = batch.iter().map(|r| r.envelope.content_hash()).collect();
        let push = Push {
            device_now: now(),
            records: batch.iter().filter_map(|r| serde_json::to_value(&r.envelope).ok()).collect(),
        };
        let body = serde_json::to_string(&push).unwrap_or_default();
        let result: PushResult = net::post_gzip("/sync/push", &body).await?;
        field.sync.update(|s| s.clock_skewed = result.clock_skewed);
        // Apply each answer to the record as it is now (it may have been edited meanwhile).
        let mut changed = Vec::new();
        for ((sent, hash), ack) in batch.iter().zip(&hashes).zip(&result.acks) {
            if ack.id.as_deref() != Some(sent.envelope.id.as_str()) {
                continue;
            }
            if let Some(mut current) = field.record(&sent.envelope.id) {
                let before = current.clone();
                current.apply(hash, ack, result.server_time);
                if current != before {
                    stored |= current.state == protocol::SyncState::Synced;
                    changed.push(current);
                }
            }
        }
        if changed.is_empty() {
            break;
        }
        field.save(changed).await.map_err(NetError::Storage)?;
    }
    upload_photos(field).await?;
    if stored {
        refresh_reference(field).await?;
    }
    // After the reference: it settles whose phone this is before anything is read back.
    crate::history::catch_up(field, fresh).await
}

/// Uploads every photo a synced record still lacks on the server, one by one: an interrupted
/// upload costs one photo, not the rest. Uploaded photos leave the phone.
async fn upload_photos(field: Field) -> Result<(), NetError> {
    let missing: BTreeSet<String> = field.records.with_untracked(|rs| {
        rs.iter()
            .filter(|r| r.state == protocol::SyncState::Synced)
            .flat_map(|r| r.missing_photos.iter().cloned())
            .collect()
    });
    for hash in missing {
        let Ok(Some(blob)) = store::photo(&hash).await else { continue };
        net::put_blob(&format!("/sync/photos/{hash}"), &blob).await?;
        let changed: Vec<_> = field.records.with_untracked(|rs| {
            rs.iter()
                .filter(|r| r.missing_photos.contains(&hash))
                .cloned()
                .map(|mut r| {
                    r.photo_arrived(&hash);
                    r
                })
                .collect()
        });
        field.save(changed).await.map_err(NetError::Storage)?;
        let still_used = field.records.with_untracked(|rs| {
            rs.iter().any(|r| r.is_unsynced() && r.envelope.body.photos().iter().any(|h| **h == hash))
        });
        if !still_used {
            let _ = store::delete_photo(&hash).await;
        }
    }
    Ok(())
}

/// How long the phone trusts its reference data's tag before fetching it whole anyway.
const REFERENCE_FULL_HOURS: i64 = 6;

/// Brings the reference data up to date: asked with the tag of what the phone holds, the
/// server answers 304 when nothing but the minute's roll calls and leave changed (`/sync/live`,
/// merged in); otherwise the whole of it. A phone holding another account's unsynced records
/// refuses to switch; with nothing unsynced it forgets them.
pub async fn refresh_reference(field: Field) -> Result<(), NetError> {
    let full_at: Option<chrono::DateTime<chrono::Utc>> = store::meta("reference_full_at").await.ok().flatten();
    let trusted = full_at.is_some_and(|t| now() - t < Duration::hours(REFERENCE_FULL_HOURS));
    let held: Option<String> = if trusted && field.reference.with_untracked(Option::is_some) {
        store::meta("reference_tag").await.ok().flatten()
    } else {
        None
    };
    let Some((r, tag)) = net::get_if_changed::<Reference>("/sync/reference", held.as_deref()).await? else {
        let live: Live = net::get("/sync/live").await?;
        notify_new(field, &live.roll_calls).await;
        let mut current = field.reference.get_untracked();
        if let Some(r) = current.as_mut() {
            r.server_time = live.server_time;
            r.roll_calls = live.roll_calls;
            r.leave = live.leave;
            let _ = store::put_meta("reference", &*r).await;
        }
        field.reference.set(current);
        return Ok(());
    };
    let _ = store::put_meta("reference_tag", &tag).await;
    let _ = store::put_meta("reference_full_at", &now()).await;
    let owner: Option<i64> = store::meta("owner").await.ok().flatten();
    if owner.is_some_and(|o| o != r.account_id) {
        let (unsynced, _) = field.records.with_untracked(|rs| protocol::unsynced(rs));
        if unsynced > 0 {
            return Err(NetError::Refused(
                409,
                Msg::new(
                    format!("本机还有另一账号的 {unsynced} 条未同步记录，请用该账号登录同步"),
                    format!("this phone holds {unsynced} unsynced records of another account; log in as that account to sync"),
                ),
            ));
        }
        let _ = store::clear().await;
        field.records.set(Vec::new());
        field.history.set(Default::default());
    }
    notify_new(field, &r.roll_calls).await;
    // A new posting has a history of its own: read it back from the start.
    let moved = field.reference.with_untracked(|old| old.as_ref().is_some_and(|o| o.posting.id != r.posting.id));
    if moved {
        let _ = store::put_meta(crate::history::KEY, &crate::history::Reach::default()).await;
        field.history.set(Default::default());
    }
    let _ = store::put_meta("owner", &r.account_id).await;
    let _ = store::put_meta("reference", &r).await;
    field.reference.set(Some(r));
    Ok(())
}

/// Tells the secretary of each roll call the phone did not know of.
async fn notify_new(field: Field, calls: &[domain::sync::OpenRollCall]) {
    let known: Vec<i64> = field
        .reference
        .with_untracked(|old| old.as_ref().map(|o| o.roll_calls.iter().map(|c| c.id).collect()).unwrap_or_default());
    for call in calls.iter().filter(|c| !known.contains(&c.id)) {
        crate::notify::roll_call(call, field.lang).await;
    }
}
