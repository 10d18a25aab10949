//! The sync protocol's messages (`docs/sync.md`) and the phone's side of it: the states a
//! record goes through in the phone's queue, how an answer moves them, and the back-off. The
//! server's side lives in `db::sync`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::field::{Envelope, Verdict};
use crate::Msg;

/// Most records one push may carry.
pub const MAX_BATCH: usize = 1000;

/// A push from the phone. Records stay raw JSON so that one malformed record is refused alone.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Push {
    /// The phone's clock when it sent the push (gives the clock skew).
    pub device_now: DateTime<Utc>,
    pub records: Vec<serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Stored now: the phone may drop it from its queue.
    Stored,
    /// Stored before with the same content: the phone may drop it too.
    Duplicate,
    /// Stored before with other content; this version is kept for review. The phone keeps it
    /// and shows it as in conflict.
    Conflict,
    /// Refused (see `error`); nothing stored. The phone keeps it for the person to correct.
    Rejected,
}

/// The server's answer about one record, in the push's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    /// The record's id as sent (absent when the record had none).
    pub id: Option<String>,
    pub status: AckStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Msg>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Photos the record refers to that have not arrived yet: until they do, the record is
    /// incomplete.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub missing_photos: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub server_time: DateTime<Utc>,
    /// Whether the phone's clock differs from the server's by more than the tolerance.
    pub clock_skewed: bool,
    pub acks: Vec<Ack>,
}

/// What the phone keeps to work offline (`GET /sync/reference`): the current posting, its
/// village and geofence, the paired households, the duties of the posting's mode (with the
/// district's allowance rate), and what the server already holds of the secretary's work, for
/// the home screen's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub account_id: i64,
    pub server_time: DateTime<Utc>,
    /// Today in the district's time zone.
    pub today: NaiveDate,
    pub posting: crate::model::Posting,
    pub village: crate::model::Village,
    pub households: Vec<crate::model::Household>,
    pub duties: crate::org::Duties,
    pub activity: crate::duty::Activity,
    /// Roll calls (点名) waiting for this secretary's check-in.
    #[serde(default)]
    pub roll_calls: Vec<OpenRollCall>,
    /// The secretary's recent leave requests and their decisions.
    #[serde(default)]
    pub leave: Vec<crate::board::LeaveRequest>,
    /// What makes a day in the village in this district.
    #[serde(default)]
    pub day_rule: crate::calendar::DayRule,
    /// The year-end organisation score projected from the records so far (三定一诺双评).
    #[serde(default)]
    pub projection: Option<Projection>,
    /// The district's limit on a fix's reported accuracy, metres.
    #[serde(default = "default_max_accuracy")]
    pub max_accuracy_m: f64,
    /// The posting's approved assistance projects (id, title): a visit or a practical matter
    /// may name one.
    #[serde(default)]
    pub projects: Vec<(i64, String)>,
    /// The district requires a photo on meeting records (its decision, on the settings page).
    #[serde(default)]
    pub meeting_photo_required: bool,
}

fn default_max_accuracy() -> f64 {
    crate::field::DEFAULT_MAX_ACCURACY_M
}

/// What changes by the minute (`GET /sync/live`): the roll calls waiting for this secretary's
/// check-in and their leave. The rest of [`Reference`] changes when records arrive or settings
/// change, and is fetched only then (`If-None-Match`, 304).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Live {
    pub server_time: DateTime<Utc>,
    pub roll_calls: Vec<OpenRollCall>,
    pub leave: Vec<crate::board::LeaveRequest>,
}

/// Bumped when the reference's content changes meaning: phones holding one of another version
/// fetch it anew.
pub const REFERENCE_VERSION: u32 = 2;

/// A live projection of the organisation score: the records decide what they can, the
/// assessors' items are taken at full marks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub organisation_score: f64,
    pub base_parts: f64,
    /// What the base parts give at most (the scale of `base_parts`; the rest of the score is
    /// bonus points). Absent in reference data cached before it was sent.
    #[serde(default)]
    pub base_max: f64,
    /// Items the records have cost points so far: code, name, points lost.
    pub shortfalls: Vec<(String, String, f64)>,
}

/// A roll call the phone shows until its deadline: any check-in at the village answers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenRollCall {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

/// Records one page of the secretary's history carries (`GET /sync/history`).
pub const HISTORY_PAGE: usize = 50;
/// How far back a phone fetches the history by itself, days: enough to read the last months
/// offline on a new or wiped phone. Older pages come on request.
pub const HISTORY_KEPT_DAYS: i64 = 90;

/// Where a page of history starts: the records made before this one (newest first by the
/// phone's clock, then by id, so that records made in the same second are neither skipped
/// nor repeated).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryCursor {
    pub before: DateTime<Utc>,
    pub id: String,
}

/// A record the server holds, as the phone keeps it for reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldRecord {
    pub envelope: Envelope,
    pub received_at: DateTime<Utc>,
    #[serde(default)]
    pub verdict: Option<Verdict>,
}

impl HeldRecord {
    /// The record as the phone keeps it: synced, so read-only. Its photos are the server's.
    pub fn into_local(self) -> LocalRecord {
        LocalRecord {
            saved_at: self.received_at,
            synced_at: Some(self.received_at),
            verdict: self.verdict,
            envelope: self.envelope,
            state: SyncState::Synced,
            error: None,
            missing_photos: Vec::new(),
        }
    }
}

/// One page of history, newest first, and where the next one starts when older records follow
/// (after the last row read, even one left out as unreadable: a page of those must not stop
/// the reading).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub records: Vec<HeldRecord>,
    pub next: Option<HistoryCursor>,
}

/// Where a record made on the phone stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Saved unfinished; not sent until the person submits it.
    Draft,
    /// Waiting to be pushed.
    Queued,
    /// Acknowledged by the server (stored or a duplicate): out of the queue.
    Synced,
    /// The server holds another version; kept here and shown, not pushed again.
    Conflict,
    /// Refused with a reason; kept for the person to correct.
    Rejected,
}

/// A record as the phone keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub envelope: Envelope,
    pub state: SyncState,
    #[serde(default)]
    pub error: Option<Msg>,
    /// A check-in's verdict: the server's once synced, before that the phone's own estimate.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// Photos the server still lacks: until empty, a synced record is incomplete.
    #[serde(default)]
    pub missing_photos: Vec<String>,
    /// The server's clock when it acknowledged the record.
    #[serde(default)]
    pub synced_at: Option<DateTime<Utc>>,
    /// The phone's clock at the last save.
    pub saved_at: DateTime<Utc>,
}

impl LocalRecord {
    /// Not held by the server: it would be lost with the phone. (A version in conflict is
    /// held, kept for review beside the one stored first.)
    pub fn is_unsynced(&self) -> bool {
        matches!(self.state, SyncState::Draft | SyncState::Queued | SyncState::Rejected)
    }

    /// Synced and every photo arrived.
    pub fn is_complete(&self) -> bool {
        self.state == SyncState::Synced && self.missing_photos.is_empty()
    }

    /// Records the server never stored may still be changed; the same id then carries the new
    /// content.
    pub fn is_editable(&self) -> bool {
        matches!(self.state, SyncState::Draft | SyncState::Queued | SyncState::Rejected)
    }

    /// Applies the server's answer to the version that was pushed. An answer about an older
    /// version (the record was edited while the push was under way) leaves it queued: the
    /// next push brings the new version, which the server then reports as a conflict if the
    /// old one was stored.
    pub fn apply(&mut self, pushed_hash: &str, ack: &Ack, server_time: DateTime<Utc>) {
        if self.envelope.content_hash() != pushed_hash || self.state != SyncState::Queued {
            return;
        }
        match ack.status {
            AckStatus::Stored | AckStatus::Duplicate => {
                self.state = SyncState::Synced;
                self.error = None;
                self.verdict = ack.verdict.or(self.verdict);
                self.missing_photos = ack.missing_photos.clone();
                self.synced_at = Some(server_time);
            }
            AckStatus::Conflict => {
                self.state = SyncState::Conflict;
                self.error = ack.error.clone();
            }
            AckStatus::Rejected => {
                self.state = SyncState::Rejected;
                self.error = ack.error.clone();
            }
        }
    }

    /// A photo arrived on the server.
    pub fn photo_arrived(&mut self, hash: &str) -> bool {
        let before = self.missing_photos.len();
        self.missing_photos.retain(|h| h != hash);
        before != self.missing_photos.len()
    }
}

/// How many records are unsynced, and when the oldest of them was made (phone clock).
pub fn unsynced<'a>(records: impl IntoIterator<Item = &'a LocalRecord>) -> (usize, Option<DateTime<Utc>>) {
    records.into_iter().filter(|r| r.is_unsynced()).fold((0, None), |(n, oldest), r| {
        (n + 1, oldest.min(Some(r.envelope.device_time)).or(Some(r.envelope.device_time)))
    })
}

/// The next push: queued records, oldest first, at most `max`.
pub fn next_batch<'a>(records: impl IntoIterator<Item = &'a LocalRecord>, max: usize) -> Vec<&'a LocalRecord> {
    let mut queued: Vec<&LocalRecord> = records.into_iter().filter(|r| r.state == SyncState::Queued).collect();
    queued.sort_by_key(|r| r.envelope.device_time);
    queued.truncate(max);
    queued
}

/// How long to wait before the next attempt after `failures` failed ones in a row: 15 s,
/// doubling, at most 10 minutes. The caller adds jitter.
pub fn backoff(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::zero();
    }
    let secs = 15i64.saturating_mul(1 << (failures - 1).min(10));
    Duration::seconds(secs.min(600))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{RecordBody, Talk, TalkPartner};

    fn record(id: &str, notes: &str, minute: u32) -> LocalRecord {
        let t: DateTime<Utc> = format!("2026-11-25T08:{minute:02}:00Z").parse().unwrap();
        LocalRecord {
            envelope: Envelope {
                id: id.into(),
                device_time: t,
                body: RecordBody::Talk(Talk {
                    position: None,
                    with: TalkPartner::Villager,
                    requested_by_villager: false,
                    date: t.date_naive(),
                    notes: notes.into(),
                }),
                effort: None,
            },
            state: SyncState::Queued,
            error: None,
            verdict: None,
            missing_photos: vec![],
            synced_at: None,
            saved_at: t,
        }
    }

    fn ack(status: AckStatus) -> Ack {
        Ack { id: None, status, error: Some(Msg::new("错", "wrong")), verdict: None, missing_photos: vec!["p".into()] }
    }

    #[test]
    fn only_an_ack_for_the_version_pushed_takes_a_record_out_of_the_queue() {
        let now = Utc::now();
        let mut r = record("a", "原稿", 1);
        let pushed = r.envelope.content_hash();
        // Edited while the push was under way: the answer is about the old version.
        if let RecordBody::Talk(t) = &mut r.envelope.body {
            t.notes = "改稿".into();
        }
        r.apply(&pushed, &ack(AckStatus::Stored), now);
        assert_eq!(r.state, SyncState::Queued);
        let pushed = r.envelope.content_hash();
        r.apply(&pushed, &ack(AckStatus::Duplicate), now);
        assert_eq!((r.state, r.synced_at, r.error.clone()), (SyncState::Synced, Some(now), None));
        assert!(!r.is_complete(), "a photo is still missing");
        assert!(r.photo_arrived("p") && r.is_complete());
    }

    #[test]
    fn refused_records_stay_with_their_reason_and_only_rejected_ones_may_be_edited() {
        let now = Utc::now();
        let mut rejected = record("a", "x", 1);
        let h = rejected.envelope.content_hash();
        rejected.apply(&h, &ack(AckStatus::Rejected), now);
        assert_eq!(rejected.state, SyncState::Rejected);
        assert_eq!(rejected.error.as_ref().unwrap().zh, "错");
        assert!(rejected.is_editable() && rejected.is_unsynced());
        let mut conflict = record("b", "x", 2);
        let h = conflict.envelope.content_hash();
        conflict.apply(&h, &ack(AckStatus::Conflict), now);
        assert!(!conflict.is_editable() && !conflict.is_unsynced(), "the server keeps it for review");
        assert!(next_batch([&rejected, &conflict], 10).is_empty(), "neither is pushed again as it is");
    }

    #[test]
    fn batches_take_the_oldest_queued_first_and_the_count_covers_every_unsynced_record() {
        let mut synced = record("s", "x", 0);
        synced.state = SyncState::Synced;
        let mut draft = record("d", "x", 5);
        draft.state = SyncState::Draft;
        let records = [record("c", "x", 3), record("a", "x", 1), record("b", "x", 2), synced, draft];
        let batch: Vec<&str> = next_batch(&records, 2).iter().map(|r| r.envelope.id.as_str()).collect();
        assert_eq!(batch, ["a", "b"]);
        let (n, oldest) = unsynced(&records);
        assert_eq!(n, 4);
        assert_eq!(oldest, Some(records[1].envelope.device_time));
    }

    #[test]
    fn backoff_doubles_to_a_ceiling() {
        let secs: Vec<i64> = [0, 1, 2, 3, 6, 7, 30].iter().map(|f| backoff(*f).num_seconds()).collect();
        assert_eq!(secs, [0, 15, 30, 60, 480, 600, 600]);
    }
}
