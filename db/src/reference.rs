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
