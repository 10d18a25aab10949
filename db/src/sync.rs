//! The server side of the field app's sync protocol (`docs/sync.md`): a batch of records
//! pushed by a secretary's phone is checked record by record and stored idempotently. The same
//! id with the same content is acknowledged again; with other content it is a conflict, kept
//! for review and never written over the original. A bad record is refused alone. The rules
//! are `domain::intake`'s; this is the reading and writing around them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::field::{Context, Envelope, Verdict, SKEW_TOLERANCE};
use domain::intake::{self, Checked, Held};
use domain::mandate::Mandate;
pub use domain::sync::{Ack, AckStatus, PushResult, Reference, MAX_BATCH};
use domain::{Actor, Coordinates, Geofence, Msg, Role};
use sqlx::PgPool;

use crate::postings::is_current;
use crate::{Error, Result};

/// A push as it arrives (`domain::sync::Push` as the phone sends it), each record left as its
/// JSON text until it is checked: a malformed or oversized record costs only its own bytes,
/// never a parse tree of the whole push.
#[derive(serde::Deserialize)]
pub struct Incoming<'a> {
    pub device_now: DateTime<Utc>,
    #[serde(borrow)]
    pub records: Vec<&'a serde_json::value::RawValue>,
}

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    village_id: i64,
    term_start: NaiveDate,
    term_end: NaiveDate,
    lat: f64,
    lon: f64,
    geofence_m: i32,
    township_id: i64,
    max_accuracy_m: i32,
}

/// Checks and stores a push in one transaction: if the database fails, nothing is stored and
/// the phone keeps every record to push again.
pub async fn push(pool: &PgPool, actor: &Actor, push: Incoming<'_>, now: DateTime<Utc>) -> Result<PushResult> {
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    if push.records.len() > MAX_BATCH {
        return Err(Error::Invalid(Msg::new(
            format!("一次最多同步 {MAX_BATCH} 条记录"),
            format!("at most {MAX_BATCH} records per push"),
        )));
    }
    let posting: PostingRow = sqlx::query_as(concat!(
        "SELECT p.id, p.village_id, p.term_start, coalesce(p.ended_on, p.term_end) AS term_end, v.lat, v.lon, v.geofence_m,
                v.township_id, d.max_accuracy_m
           FROM postings p JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE p.secretary_id = $1
          ORDER BY ",
        is_current!(),
        " DESC, p.term_start DESC LIMIT 1"
    ))
    .bind(actor.account_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::Invalid(Msg::new("您没有选派任务，无法同步", "you have no posting to record under")))?;
    let households: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1").bind(posting.id).fetch_all(pool).await?;
    let skew = domain::field::clock_skew(now, push.device_now)?;
    let ctx = Context {
        now,
        skew,
        posting_start: posting.term_start,
        posting_end: posting.term_end,
        village_id: posting.village_id,
        fence: Geofence::parse(Coordinates::parse(posting.lat, posting.lon)?, posting.geofence_m)?,
        max_accuracy_m: f64::from(posting.max_accuracy_m),
        households,
        projects: crate::projects::approved(pool, posting.id).await?.into_iter().map(|p| p.0).collect(),
        meeting_photo_required: crate::mandates::is_on(pool, posting.township_id, Mandate::MeetingPhoto).await?,
    };

    let texts: Vec<&str> = push.records.iter().map(|r| r.get()).collect();
    let (mut acks, valid) = intake::check(&texts, &ctx);

    let mut tx = pool.begin().await?;
    if !valid.is_empty() {
        let ids: Vec<uuid::Uuid> = valid.iter().map(|v| v.uuid).collect();
        let kinds: Vec<&str> = valid.iter().map(|v| v.envelope.body.kind().code()).collect();
        let bodies: Vec<serde_json::Value> = valid.iter().map(|v| body_json(&v.envelope)).collect();
        let hashes: Vec<&str> = valid.iter().map(|v| v.content_hash.as_str()).collect();
        let device_times: Vec<DateTime<Utc>> = valid.iter().map(|v| v.envelope.device_time).collect();
        let verdicts: Vec<Option<&str>> = valid.iter().map(|v| acks[v.ack].verdict.map(Verdict::code)).collect();
        let offline: Vec<bool> = valid.iter().map(Checked::offline).collect();
        let effort: Vec<Option<domain::burden::Effort>> =
            valid.iter().map(|v| v.envelope.effort.map(|e| e.bounded())).collect();
        let effort_seconds: Vec<Option<i32>> =
            effort.iter().map(|e| e.map(|e| i32::try_from(e.seconds).unwrap_or(i32::MAX))).collect();
        let effort_fields: Vec<Option<i16>> =
            effort.iter().map(|e| e.map(|e| i16::try_from(e.fields).unwrap_or(i16::MAX))).collect();
        let inserted: Vec<uuid::Uuid> = sqlx::query_scalar(
            "INSERT INTO field_records
                    (id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at, clock_skew_s, verdict, offline,
                     effort_seconds, effort_fields, district_id)
             SELECT r.id, $1, $2, r.kind, r.body, r.hash, r.device_time, $3, $4, r.verdict, r.offline, r.effort_seconds, r.effort_fields,
                    (SELECT district_id FROM posting_districts WHERE posting_id = $2)
               FROM UNNEST($5::uuid[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[], $10::text[], $11::bool[],
                           $12::int[], $13::smallint[])
                    AS r(id, kind, body, hash, device_time, verdict, offline, effort_seconds, effort_fields)
             ON CONFLICT (id) DO NOTHING
             RETURNING id",
        )
        .bind(actor.account_id)
        .bind(posting.id)
        .bind(now)
        // Within a day (`clock_skew`): fits, with its sign.
        .bind(i32::try_from(skew.num_seconds()).unwrap_or_default())
        .bind(&ids)
        .bind(&kinds)
        .bind(&bodies)
        .bind(&hashes)
        .bind(&device_times)
        .bind(&verdicts)
        .bind(&offline)
        .bind(&effort_seconds)
        .bind(&effort_fields)
        .fetch_all(&mut *tx)
        .await?;
        let inserted: HashSet<uuid::Uuid> = inserted.into_iter().collect();

        // Attendance only changes with the records stored now that have a position (check-ins,
        // check-outs, and work records made with the phone's fix).
        let presence: Vec<uuid::Uuid> = valid
            .iter()
            .filter(|v| acks[v.ack].verdict.is_some() && inserted.contains(&v.uuid))
            .map(|v| v.uuid)
            .collect();
        if !presence.is_empty() {
            crate::attendance::record_presence(&mut tx, posting.id, posting.township_id, &presence).await?;
        }
        // Ids already there (or twice in this push): a retry, or a conflict.
        let known: Vec<uuid::Uuid> = ids.iter().filter(|id| !inserted.contains(id)).copied().collect();
        let held: HashMap<uuid::Uuid, Held> = if known.is_empty() {
            HashMap::new()
        } else {
            sqlx::query_as::<_, (uuid::Uuid, i64, String)>(
                "SELECT id, secretary_id, content_hash FROM field_records WHERE id = ANY($1)",
            )
            .bind(&known)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(id, secretary_id, content_hash)| (id, Held { secretary_id, content_hash }))
            .collect()
        };
        for conflict in intake::settle(&mut acks, &valid, inserted, &held, actor.account_id) {
            sqlx::query(
                "INSERT INTO sync_conflicts (record_id, secretary_id, body, content_hash) VALUES ($1, $2, $3, $4)
                 ON CONFLICT ON CONSTRAINT sync_conflicts_once DO NOTHING",
            )
            .bind(conflict.uuid)
            .bind(actor.account_id)
            .bind(body_json(&conflict.envelope))
            .bind(&conflict.content_hash)
            .execute(&mut *tx)
            .await?;
        }
    }

    // Photos not yet uploaded.
    let wanted: Vec<String> = valid.iter().flat_map(|v| v.envelope.body.photos()).cloned().collect();
    if !wanted.is_empty() {
        let present: HashSet<String> = sqlx::query_scalar("SELECT hash FROM photos WHERE hash = ANY($1)")
            .bind(&wanted)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
        intake::missing_photos(&mut acks, &valid, &present);
    }
    tx.commit().await?;
    Ok(PushResult { server_time: now, clock_skewed: skew.abs() > SKEW_TOLERANCE, acks })
}

/// What is stored as the record's body: the kind-tagged content as the phone sent it.
fn body_json(e: &Envelope) -> serde_json::Value {
    serde_json::to_value(&e.body).expect("records serialise")
}
