//! The server's reading of a push (`docs/sync.md`): each record checked on its own, then the
//! records the database did not take sorted into retries, conflicts and stolen ids. Pure rules;
//! `db::sync::push` does the reading and writing around them.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::field::{Context, Envelope, RecordBody};
use crate::sync::{Ack, AckStatus};
use crate::Msg;

/// Largest record, as JSON bytes (photos travel apart).
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// A record that passed its checks.
#[derive(Clone, Debug)]
pub struct Checked {
    /// Where its answer is in the push's answers.
    pub ack: usize,
    pub envelope: Envelope,
    pub uuid: Uuid,
    pub content_hash: String,
}

impl Checked {
    /// Whether the phone made it without signal (a check-in or check-out says so).
    pub fn offline(&self) -> bool {
        match &self.envelope.body {
            RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => p.offline,
            _ => false,
        }
    }
}

/// What the server already holds under a record's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub secretary_id: i64,
    pub content_hash: String,
}

/// A record's id, read alone (for the answer to a record that is not well formed).
#[derive(serde::Deserialize)]
struct RecordId {
    id: Option<String>,
}

fn rejected(id: Option<String>, error: Msg) -> Ack {
    Ack { id, status: AckStatus::Rejected, error: Some(error), verdict: None, missing_photos: Vec::new() }
}

/// Checks each record (its JSON text as pushed) on its own: an answer for every record, in the
/// push's order (`Stored` for those that passed, until [`settle`] says otherwise), and the
/// records that passed. A malformed, oversized or invalid record is refused alone.
pub fn check(records: &[&str], ctx: &Context) -> (Vec<Ack>, Vec<Checked>) {
    let mut acks = Vec::with_capacity(records.len());
    let mut checked = Vec::new();
    for text in records {
        // Only an object has an id (serde would read a struct from an array too).
        let id =
            text.starts_with('{').then(|| serde_json::from_str::<RecordId>(text).ok().and_then(|r| r.id)).flatten();
        if text.len() > MAX_RECORD_BYTES {
            acks.push(rejected(
                id,
                Msg::new("记录过大（照片请单独上传）", "the record is too large (photos go separately)"),
            ));
            continue;
        }
        let envelope: Envelope = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(e) => {
                acks.push(rejected(id, Msg::new(format!("记录格式错误：{e}"), format!("malformed record: {e}"))));
                continue;
            }
        };
        match envelope.check(ctx).and_then(|v| envelope.uuid().map(|u| (v, u))) {
            Ok((verdict, uuid)) => {
                let content_hash = envelope.content_hash();
                acks.push(Ack { id, status: AckStatus::Stored, error: None, verdict, missing_photos: Vec::new() });
                checked.push(Checked { ack: acks.len() - 1, envelope, uuid, content_hash });
            }
            Err(m) => acks.push(rejected(id, m)),
        }
    }
    (acks, checked)
}

/// Answers the records the database did not store now: `inserted` are the ids stored by this
/// push (each stands for its first occurrence), `held` what the server holds under the others.
/// The same content from the same secretary is a retry (`Duplicate`); other content is a
/// `Conflict`, returned to be kept for review (never written over the original); an id held
/// by someone else is refused.
pub fn settle<'a>(
    acks: &mut [Ack],
    checked: &'a [Checked],
    mut inserted: HashSet<Uuid>,
    held: &HashMap<Uuid, Held>,
    secretary_id: i64,
) -> Vec<&'a Checked> {
    let mut conflicts = Vec::new();
    for c in checked {
        if inserted.remove(&c.uuid) {
            continue;
        }
        let ack = &mut acks[c.ack];
        match held.get(&c.uuid) {
            Some(h) if h.secretary_id == secretary_id && h.content_hash == c.content_hash => {
                ack.status = AckStatus::Duplicate
            }
            Some(h) if h.secretary_id == secretary_id => {
                ack.status = AckStatus::Conflict;
                ack.error = Some(Msg::new(
                    "服务器已有该记录的另一版本，已留待核对",
                    "the server holds another version of this record; this one is kept for review",
                ));
                conflicts.push(c);
            }
            _ => *ack = rejected(ack.id.clone(), Msg::new("记录编号已被占用", "that record id is taken")),
        }
    }
    conflicts
}

/// Marks on each kept record (stored or a retry) the photos it names that the server lacks.
pub fn missing_photos(acks: &mut [Ack], checked: &[Checked], present: &HashSet<String>) {
    for c in checked {
        let ack = &mut acks[c.ack];
        if matches!(ack.status, AckStatus::Stored | AckStatus::Duplicate) {
            ack.missing_photos =
                c.envelope.body.photos().into_iter().filter(|h| !present.contains(*h)).cloned().collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::{Coordinates, Geofence};

    fn ctx() -> Context {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap();
        Context {
            now,
            skew: chrono::Duration::zero(),
            posting_start: now.date_naive() - chrono::Duration::days(100),
            posting_end: now.date_naive() + chrono::Duration::days(100),
            village_id: 7,
            fence: Geofence::parse(Coordinates::parse(34.7, 117.5).unwrap(), 500).unwrap(),
            max_accuracy_m: 100.0,
            households: vec![],
            projects: vec![],
            meeting_photo_required: false,
        }
    }

    fn talk(id: &str, notes: &str) -> String {
        serde_json::json!({ "id": id, "device_time": "2026-12-06T09:00:00Z", "kind": "talk",
            "body": { "with": "villager", "requested_by_villager": true, "date": "2026-12-06", "notes": notes } })
        .to_string()
    }

    const A: &str = "6f1c1a9e-6a53-4d38-9d1e-3f0f7f1f2a01";
    const B: &str = "6f1c1a9e-6a53-4d38-9d1e-3f0f7f1f2a02";

    #[test]
    fn a_bad_record_is_refused_alone_and_keeps_its_id() {
        let big = talk(B, &"长".repeat(MAX_RECORD_BYTES));
        let records = [talk(A, "问低保政策"), "[1, 2]".to_string(), big, r#"{"id": "x", "kind": "talk"}"#.to_string()];
        let texts: Vec<&str> = records.iter().map(String::as_str).collect();
        let (acks, checked) = check(&texts, &ctx());
        let statuses: Vec<AckStatus> = acks.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [AckStatus::Stored, AckStatus::Rejected, AckStatus::Rejected, AckStatus::Rejected]);
        assert_eq!(checked.len(), 1);
        assert_eq!(checked[0].ack, 0);
        assert_eq!(acks[1].id, None, "an array has no id");
        assert_eq!(acks[2].id.as_deref(), Some(B));
        assert!(acks[2].error.as_ref().unwrap().zh.contains("过大"));
        assert_eq!(acks[3].id.as_deref(), Some("x"));
    }

    #[test]
    fn what_was_not_stored_is_a_retry_a_conflict_or_a_taken_id() {
        let records = [talk(A, "问低保政策"), talk(A, "问低保政策"), talk(B, "改过的内容")];
        let texts: Vec<&str> = records.iter().map(String::as_str).collect();
        let (mut acks, checked) = check(&texts, &ctx());
        let a = checked[0].uuid;
        let b = checked[2].uuid;
        // A stored now (its second copy is a retry); B held with other content.
        let held = HashMap::from([
            (a, Held { secretary_id: 1, content_hash: checked[0].content_hash.clone() }),
            (b, Held { secretary_id: 1, content_hash: "other".into() }),
        ]);
        let conflicts = settle(&mut acks, &checked, HashSet::from([a]), &held, 1);
        let statuses: Vec<AckStatus> = acks.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [AckStatus::Stored, AckStatus::Duplicate, AckStatus::Conflict]);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].uuid, b);

        // The same records from another secretary: both ids are taken.
        let (mut acks, checked) = check(&texts, &ctx());
        assert!(settle(&mut acks, &checked, HashSet::new(), &held, 2).is_empty());
        assert!(acks.iter().all(|a| a.status == AckStatus::Rejected && a.id.is_some()));
    }

    #[test]
    fn only_kept_records_are_told_which_photos_are_missing() {
        let with_photos = |id: &str| {
            serde_json::json!({ "id": id, "device_time": "2026-12-06T09:00:00Z", "kind": "diary",
                "body": { "date": "2026-12-06", "text": "走访", "tags": [], "households": [],
                          "photos": ["a".repeat(64), "b".repeat(64)] } })
            .to_string()
        };
        let records = [with_photos(A), with_photos(B)];
        let texts: Vec<&str> = records.iter().map(String::as_str).collect();
        let (mut acks, checked) = check(&texts, &ctx());
        assert_eq!(checked.len(), 2, "{acks:?}");
        acks[1].status = AckStatus::Conflict;
        missing_photos(&mut acks, &checked, &HashSet::from(["a".repeat(64)]));
        assert_eq!(acks[0].missing_photos, ["b".repeat(64)]);
        assert!(acks[1].missing_photos.is_empty());
    }
}
