//! A property test of the sync push (proptest): whatever JSON a phone sends — records of every
//! kind with arbitrary fields, times and dates, garbage in place of records, a clock off by up
//! to three days — the server answers without failing, answers every record of a push it
//! accepts in order, and never stores a record outside the posting's term, dated in the
//! future or with a clock skew beyond a day. Runs against the real router and PostgreSQL.

mod common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use db::sync::{AckStatus, PushResult};
use domain::field::{RecordBody, MAX_SKEW, SKEW_TOLERANCE};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};

/// What the generated records may refer to.
#[derive(Clone, Copy, Debug)]
struct Known {
    village: i64,
    household: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
}

/// Any JSON value, nested a little.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Mostly a plausible value, sometimes anything at all.
fn field(plausible: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![29 => plausible, 1 => any_json()].boxed()
}

fn date(k: Known) -> BoxedStrategy<Value> {
    field(prop_oneof![8 => -25i64..1, 1 => -400i64..400].prop_map(move |d| json!(k.today + Duration::days(d))))
}

fn text() -> BoxedStrategy<Value> {
    // Now and then too long for a record.
    field(prop_oneof![30 => "\\PC{1,40}", 3 => ".{0,40}", 1 => Just("长".repeat(30_000))].prop_map(Value::from))
}

fn one_of(codes: &'static [&'static str]) -> BoxedStrategy<Value> {
    field(prop::sample::select(codes).prop_map(Value::from))
}

fn photos() -> BoxedStrategy<Value> {
    let hash = prop_oneof!["[0-9a-f]{64}", ".{0,10}"];
    field(prop::collection::vec(hash, 0..11).prop_map(Value::from))
}

fn body(kind: &'static str, k: Known) -> BoxedStrategy<Value> {
    let obj = |pairs: Vec<(&'static str, BoxedStrategy<Value>)>| {
        let (names, values): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
        values.prop_map(move |vs| Value::Object(names.iter().map(|n| n.to_string()).zip(vs).collect())).boxed()
    };
    match kind {
        "check_in" | "check_out" => obj(vec![
            ("village_id", field(prop_oneof![4 => Just(k.village), 1 => any::<i64>()].prop_map(Value::from))),
            ("lat", field(prop_oneof![34.7..34.72f64, -100.0..100.0f64].prop_map(Value::from))),
            ("lon", field(prop_oneof![117.5..117.52f64, -200.0..200.0f64].prop_map(Value::from))),
            ("accuracy_m", field(prop_oneof![0.0..200.0f64, any::<f64>()].prop_map(Value::from))),
            ("offline", field(any::<bool>().prop_map(Value::from))),
        ]),
        "diary" => obj(vec![("date", date(k)), ("text", text()), ("photos", photos())]),
        "meeting" => obj(vec![
            ("kind", one_of(&["liang_wei_weekly", "party_assembly", "major_decision", "bogus"])),
            ("chaired", field(any::<bool>().prop_map(Value::from))),
            ("date", date(k)),
            ("attendees", field(any::<i64>().prop_map(Value::from))),
            ("topics", text()),
            ("photos", photos()),
        ]),
        "visit" => obj(vec![
            ("household_id", field(prop_oneof![4 => Just(k.household), 1 => any::<i64>()].prop_map(Value::from))),
            ("date", date(k)),
            ("notes", text()),
            (
                "help",
                field(prop::collection::vec(one_of(&["job", "education_aid", "nothing"]), 0..3).prop_map(Value::from)),
            ),
        ]),
        "talk" => obj(vec![
            ("with", one_of(&["villager", "party_member", "stranger"])),
            ("requested_by_villager", field(any::<bool>().prop_map(Value::from))),
            ("date", date(k)),
            ("notes", text()),
        ]),
        "research" => obj(vec![("title", text()), ("text", text())]),
        _ => obj(vec![
            ("kind", one_of(&["funds", "project", "other", "bogus"])),
            ("date", date(k)),
            ("title", text()),
            ("yuan", field(any::<i64>().prop_map(Value::from))),
        ]),
    }
}

/// A record as a phone (or an attacker) might send it: ids from a small pool now and then, so
/// that retries and conflicts within and across pushes occur.
fn record(k: Known) -> BoxedStrategy<Value> {
    let kinds = ["check_in", "check_out", "diary", "meeting", "visit", "talk", "research", "practical"];
    let shaped = (
        prop_oneof![
            3 => any::<u128>().prop_map(|n| Value::from(uuid::Uuid::from_u128(n).to_string())),
            2 => (0u128..40).prop_map(|n| Value::from(uuid::Uuid::from_u128(n).to_string())),
            1 => any_json(),
        ],
        field(
            prop_oneof![
                16 => (-20 * 86_400i64..60).prop_map(move |s| json!(k.now + Duration::seconds(s))),
                2 => (-400 * 86_400i64..86_400).prop_map(move |s| json!(k.now + Duration::seconds(s))),
                1 => any::<i32>().prop_map(|s| json!(DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(i64::from(s) * 100))),
            ]
        ),
        prop::sample::select(kinds.to_vec()).prop_flat_map(move |kind| (Just(kind), body(kind, k))),
    )
        .prop_map(|(id, device_time, (kind, body))| json!({ "id": id, "device_time": device_time, "kind": kind, "body": body }));
    prop_oneof![9 => shaped, 1 => any_json()].boxed()
}

/// A push: the phone's clock off by up to three days either way (or not a time at all), and
/// up to 40 records.
fn push(k: Known) -> impl Strategy<Value = (Value, Vec<Value>)> {
    let skew = prop_oneof![6 => -86_000i64..86_000, 1 => -3 * 86_400i64..3 * 86_400];
    let device_now = field(skew.prop_map(move |s| json!(k.now - Duration::seconds(s))));
    (device_now, prop::collection::vec(record(k), 0..40))
}

async fn check(app: &TestApp, cookie: &str, device_now: Value, records: Vec<Value>) -> Result<(), TestCaseError> {
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&app.pool).await.unwrap();
    let sent = chrono::Utc::now();
    let res = push_body(app, cookie, json!({ "device_now": device_now, "records": records }).to_string()).await;
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM field_records").fetch_one(&app.pool).await.unwrap();

    let skew_ok = serde_json::from_value::<DateTime<Utc>>(device_now)
        .is_ok_and(|d| (sent - d).abs() <= MAX_SKEW - Duration::seconds(5));
    if res.status != StatusCode::OK {
        // Refused whole: a clock off by more than a day, or no time at all; nothing stored,
        // and a message to show.
        prop_assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        prop_assert!(!skew_ok, "a push with a good clock was refused: {}", res.body);
        prop_assert_eq!(after, before);
        let error: app::error::AppError = serde_json::from_str(&res.body).unwrap();
        prop_assert!(matches!(error, app::error::AppError::Invalid(_)), "{}", res.body);
        prop_assert!(!error.message(domain::Lang::Zh).is_empty());
        return Ok(());
    }
    let result: PushResult = serde_json::from_str(&res.body).unwrap();
    prop_assert_eq!(result.acks.len(), records.len(), "one answer per record");
    for (ack, record) in result.acks.iter().zip(&records) {
        prop_assert_eq!(ack.id.as_deref(), record.get("id").and_then(Value::as_str), "answers in order");
        prop_assert_eq!(ack.error.is_some(), !matches!(ack.status, AckStatus::Stored | AckStatus::Duplicate));
    }
    let stored = result.acks.iter().filter(|a| a.status == AckStatus::Stored).count();
    prop_assert_eq!(after - before, i64::try_from(stored).unwrap(), "stored exactly the records answered stored");
    Ok(())
}

/// Every record on the server: within the term (a day's slack each side), not after the day
/// it reached the server, not made after it arrived, and with a bounded skew.
async fn everything_stored_is_in_bounds(app: &TestApp) -> usize {
    let rows = sqlx::query_as::<_, (Value, DateTime<Utc>, DateTime<Utc>, i32, NaiveDate, NaiveDate)>(
        "SELECT r.body, r.device_time, r.received_at, r.clock_skew_s, p.term_start, p.term_end
           FROM field_records r JOIN postings p ON p.id = r.posting_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (body, device_time, received_at, clock_skew, term_start, term_end) in &rows {
        let record: RecordBody = serde_json::from_value(body.clone()).expect("a stored body reads back");
        assert!(i64::from(*clock_skew).abs() <= MAX_SKEW.num_seconds(), "unbounded skew {clock_skew}");
        let made = *device_time + Duration::seconds(i64::from(*clock_skew));
        assert!(made <= *received_at + SKEW_TOLERANCE, "made after it arrived: {made} > {received_at}");
        let day = record.date().unwrap_or(made.date_naive());
        assert!(
            day >= *term_start - Duration::days(1) && day <= *term_end + Duration::days(1),
            "{day} outside the term {term_start}–{term_end}"
        );
        assert!(day <= received_at.date_naive() + Duration::days(1), "{day} after the day it arrived");
    }
    rows.len()
}

#[test]
fn arbitrary_pushes_never_fail_the_server_and_store_only_records_in_bounds() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, cookie, known) = rt.block_on(async {
        let app = TestApp::new().await;
        let org = seed_org(&app.pool).await;
        let household: i64 = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
            .bind(org.own.posting)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let cookie = app.login("sec.jia", PASSWORD).await;
        let now = Utc::now();
        (app, cookie, Known { village: org.own.village, household, today: now.date_naive(), now })
    });
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    runner.run(&push(known), |(device_now, records)| rt.block_on(check(&app, &cookie, device_now, records))).unwrap();
    let stored = rt.block_on(everything_stored_is_in_bounds(&app));
    assert!(stored > 50, "the generated pushes stored too little to tell: {stored}");
    println!("256 arbitrary pushes: {stored} records stored, all in bounds");
}
