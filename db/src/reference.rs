//! What the phone keeps to work offline (`GET /sync/reference`, `domain::sync::Reference`):
//! the current posting, its village and households, the duties, the work counted so far, the
//! projection of the year's score, open roll calls, leave, the district's rules that the phone
//! applies before the server does.

use chrono::{NaiveDate, Utc};
use domain::duty::Activity;
use domain::field::RecordBody;
use domain::mandate::Mandate;
use domain::sync::Reference;
use domain::Actor;
use sqlx::PgPool;

use crate::{Error, Result};

pub async fn reference(pool: &PgPool, actor: &Actor) -> Result<Reference> {
    let posting = crate::postings::current_own(pool, actor).await?;
    let village = crate::org::villages(pool, actor, None)
        .await?
        .into_iter()
        .find(|v| v.id == posting.village_id)
        .ok_or(Error::NotFound)?;
    let households = crate::postings::households(pool, actor, posting.id).await?;
    let (today, rate, max_accuracy_m, township): (NaiveDate, i32, i32, i64) = sqlx::query_as(
        "SELECT today, allowance_per_day, max_accuracy_m, township_id FROM posting_districts WHERE posting_id = $1",
    )
    .bind(posting.id)
    .fetch_one(pool)
    .await?;
    let duties = posting.mode.duties_at(rate);
    let day_rule = crate::attendance::day_rule(pool, posting.id).await?;
    let records = crate::records::counted(pool, &[posting.id]).await?.remove(&posting.id).unwrap_or_default();
    let activity = activity(pool, posting.id, today, day_rule, &records).await?;
    let projection = Some(crate::evaluation::projection(pool, &posting, today, &records).await?);
    let roll_calls = crate::attendance::open_roll_calls(pool, posting.id).await?;
    let leave = crate::attendance::my_leave(pool, actor).await?;
    let projects = crate::projects::approved(pool, posting.id).await?;
    let meeting_photo_required = crate::mandates::is_on(pool, township, Mandate::MeetingPhoto).await?;
    Ok(Reference {
        account_id: actor.account_id,
        server_time: Utc::now(),
        today,
        posting,
        village,
        households,
        duties,
        activity,
        roll_calls,
        leave,
        day_rule,
        projection,
        max_accuracy_m: f64::from(max_accuracy_m),
        projects,
        meeting_photo_required,
    })
}

/// A posting's work reduced to the dates its duties count: days in the village of the last
/// weeks by the district's rule (days are the district's, from the phone's clock corrected by
/// the push's skew), and every diary, meeting and visit.
async fn activity(
    pool: &PgPool,
    posting_id: i64,
    today: NaiveDate,
    rule: domain::calendar::DayRule,
    records: &[(String, RecordBody)],
) -> Result<Activity> {
    let mut activity = Activity::default();
    for (_, d) in crate::attendance::days(pool, &[posting_id], today - chrono::Duration::days(40), today).await? {
        if d.counts(&rule) {
            activity.days_in_village.insert(d.day);
        }
    }
    for (_, body) in records {
        activity.add(body);
    }
    Ok(activity)
}

/// A fingerprint of everything the reference holds but the minute's roll calls: the posting and
/// its district's settings and clock (today), the records and strikes, households, projects,
/// forced functions, the assessors' entries, leave, inspections and the working calendar. Cheap (one
/// query on indexed rows), so a phone asking every few minutes costs little until one of them
/// changes (`If-None-Match`).
pub async fn version(pool: &PgPool, actor: &Actor) -> Result<String> {
    let posting = crate::postings::current_own(pool, actor).await?;
    let fingerprint: String = sqlx::query_scalar(
        "SELECT md5(concat_ws('|', $2::int, $3::bigint, p.id, p.term_start, p.term_end, p.ended_on, p.mode,
                    pd.today, pd.allowance_per_day, pd.day_requires_check_out, pd.day_min_stay_minutes, pd.day_evidence,
                    pd.evaluation_rules, pd.max_accuracy_m, v.name, v.lat, v.lon, v.geofence_m,
                    (SELECT count(*) || ':' || coalesce(max(r.received_at)::text, '') FROM field_records r WHERE r.posting_id = p.id),
                    (SELECT count(*) FROM record_strikes s JOIN field_records r ON r.id = s.record_id WHERE r.posting_id = p.id),
                    (SELECT string_agg(h.id || ':' || h.head_name || ':' || h.paired_on, ',' ORDER BY h.id)
                       FROM households h WHERE h.posting_id = p.id),
                    (SELECT string_agg(j.id || ':' || j.status || ':' || j.title, ',' ORDER BY j.id) FROM projects j WHERE j.posting_id = p.id),
                    (SELECT string_agg(m.mandate, ',' ORDER BY m.mandate) FROM district_mandates m WHERE m.district_id = pd.district_id),
                    (SELECT count(*) || ':' || coalesce(max(e.at)::text, '') FROM evaluation_assessments e WHERE e.posting_id = p.id),
                    (SELECT count(*) || ':' || coalesce(max(f.at)::text, '') FROM evaluation_facts f WHERE f.posting_id = p.id),
                    (SELECT count(*) || ':' || coalesce(max(l.decided_at)::text, '') FROM late_day_reviews l WHERE l.posting_id = p.id),
                    (SELECT string_agg(q.id || ':' || q.status, ',' ORDER BY q.id) FROM leave_requests q WHERE q.posting_id = p.id),
                    (SELECT string_agg(i.id || ':' || i.present, ',' ORDER BY i.id) FROM inspections i WHERE i.posting_id = p.id),
                    (SELECT count(*) || ':' || coalesce(string_agg(c.day || c.working::text, ',' ORDER BY c.day), '') FROM calendar_days c)))
           FROM postings p JOIN posting_districts pd ON pd.posting_id = p.id JOIN villages v ON v.id = p.village_id
          WHERE p.id = $1",
    )
    .bind(posting.id)
    .bind(i32::try_from(domain::sync::REFERENCE_VERSION).unwrap_or(0))
    .bind(actor.account_id)
    .fetch_one(pool)
    .await?;
    Ok(fingerprint)
}

/// The minute's part: roll calls waiting for the secretary's check-in, and their leave.
pub async fn live(pool: &PgPool, actor: &Actor) -> Result<domain::sync::Live> {
    let posting = crate::postings::current_own(pool, actor).await?;
    Ok(domain::sync::Live {
        server_time: Utc::now(),
        roll_calls: crate::attendance::open_roll_calls(pool, posting.id).await?,
        leave: crate::attendance::my_leave(pool, actor).await?,
    })
}
