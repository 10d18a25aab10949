//! The satisfaction survey (群众满意度测评): one-time anonymous ballot codes and the count.
//! A vote only increments a counter and marks its code used; nothing records when, so a
//! ballot cannot be linked to its code or to the person it was handed to.

use domain::evaluation::ballot::{self, Answer, CodeKey};
use domain::evaluation::grade::Survey;
use domain::evaluation::view::SurveyStatus;
use domain::{Action, Actor, Msg};
use rand::Rng;
use sqlx::PgPool;

use super::ensure_open;
use crate::scope::BindScope;
use crate::{require, Error, Result};

/// A survey's count as stored.
#[derive(sqlx::FromRow)]
struct Counts {
    eligible: i32,
    very_satisfied: i32,
    satisfied: i32,
    basically_satisfied: i32,
    dissatisfied: i32,
}

impl Counts {
    fn survey(&self) -> Survey {
        let n = |v: i32| u32::try_from(v).unwrap_or(0);
        Survey {
            eligible: n(self.eligible),
            very_satisfied: n(self.very_satisfied),
            satisfied: n(self.satisfied),
            basically_satisfied: n(self.basically_satisfied),
            dissatisfied: n(self.dissatisfied),
        }
    }
}

#[derive(sqlx::FromRow)]
struct SurveyRow {
    #[sqlx(flatten)]
    counts: Counts,
    closed: bool,
    unused: i64,
}

#[derive(sqlx::FromRow)]
struct PostingCounts {
    posting_id: i64,
    #[sqlx(flatten)]
    counts: Counts,
}

async fn row(pool: &PgPool, posting_id: i64, year: i32) -> Result<Option<SurveyRow>> {
    Ok(sqlx::query_as(
        "SELECT s.eligible, s.very_satisfied, s.satisfied, s.basically_satisfied, s.dissatisfied,
                s.closed_at IS NOT NULL AS closed,
                (SELECT count(*) FROM ballot_codes c WHERE c.survey_id = s.id AND NOT c.used) AS unused
           FROM surveys s WHERE s.posting_id = $1 AND s.year = $2",
    )
    .bind(posting_id)
    .bind(year)
    .fetch_optional(pool)
    .await?)
}

/// The survey of a posting's year (the caller's scope was checked).
pub(crate) async fn status(pool: &PgPool, posting_id: i64, year: i32) -> Result<Option<SurveyStatus>> {
    Ok(row(pool, posting_id, year).await?.map(|r| {
        let survey = r.counts.survey();
        let shown = if r.closed { survey } else { Survey { eligible: survey.eligible, ..Survey::default() } };
        SurveyStatus { survey: shown, votes: survey.votes(), unused_codes: r.unused, closed: r.closed }
    }))
}

/// The surveys of many postings (for the computation).
pub(crate) async fn counts(pool: &PgPool, ids: &[i64], year: i32) -> Result<std::collections::HashMap<i64, Survey>> {
    let rows: Vec<PostingCounts> = sqlx::query_as(
        "SELECT posting_id, eligible, very_satisfied, satisfied, basically_satisfied, dissatisfied
           FROM surveys WHERE posting_id = ANY($1) AND year = $2",
    )
    .bind(ids)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.posting_id, r.counts.survey())).collect())
}

/// Issues codes for everyone who has not voted yet: codes issued before and not used are void.
/// Opens the survey first if needed, for the village's eligible voters. Returns the village's
/// name and the codes, which are not stored and cannot be shown again.
pub async fn issue_ballots(
    pool: &PgPool,
    actor: &Actor,
    key: &CodeKey,
    posting_id: i64,
    year: i32,
) -> Result<(String, Vec<String>)> {
    require(actor, Action::RunSurvey)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    ensure_open(&mut tx, posting_id, year).await?;
    let (village, eligible): (String, i32) = sqlx::query_as(
        "SELECT v.name, v.eligible_voters FROM postings p JOIN villages v ON v.id = p.village_id WHERE p.id = $1",
    )
    .bind(posting_id)
    .fetch_one(&mut *tx)
    .await?;
    if eligible <= 0 {
        return Err(Error::Invalid(Msg::new(
            "该村尚未填写应参加测评人数（村信息中的选民数）",
            "the village's number of eligible voters is not set",
        )));
    }
    sqlx::query(
        "INSERT INTO surveys (posting_id, year, eligible, opened_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (posting_id, year) DO NOTHING",
    )
    .bind(posting_id)
    .bind(year)
    .bind(eligible)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let (survey_id, remaining, closed): (i64, i32, bool) = sqlx::query_as(
        "SELECT id, eligible - very_satisfied - satisfied - basically_satisfied - dissatisfied, closed_at IS NOT NULL
           FROM surveys WHERE posting_id = $1 AND year = $2 FOR UPDATE",
    )
    .bind(posting_id)
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    if closed {
        return Err(Error::Conflict(Msg::new("测评已结束", "the survey is closed")));
    }
    let void = sqlx::query("DELETE FROM ballot_codes WHERE survey_id = $1 AND NOT used")
        .bind(survey_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let wanted = usize::try_from(remaining).unwrap_or(0);
    let mut codes: Vec<String> = Vec::with_capacity(wanted);
    let mut rng = rand::rngs::OsRng;
    // One insert for all; a code that collides with a stored one (2^-50 odds) is drawn again.
    while codes.len() < wanted {
        let batch: Vec<String> = (codes.len()..wanted).map(|_| ballot::code_from(rng.gen())).collect();
        let hashes: Vec<Vec<u8>> = batch.iter().map(|c| key.hash(c)).collect();
        let stored: Vec<Vec<u8>> = sqlx::query_scalar(
            "INSERT INTO ballot_codes (code_hash, survey_id, keyed) SELECT h, $2, true FROM unnest($1::bytea[]) h
             ON CONFLICT DO NOTHING RETURNING code_hash",
        )
        .bind(&hashes)
        .bind(survey_id)
        .fetch_all(&mut *tx)
        .await?;
        codes.extend(batch.into_iter().zip(hashes).filter(|(_, h)| stored.contains(h)).map(|(c, _)| c));
    }
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "issue_ballots",
        "survey",
        Some(survey_id),
        serde_json::json!({ "posting_id": posting_id, "year": year, "issued": codes.len(), "voided": void }),
    )
    .await?;
    tx.commit().await?;
    Ok((village, codes))
}

/// Ends the survey: unused codes are void, the count is final.
pub async fn close_survey(pool: &PgPool, actor: &Actor, posting_id: i64, year: i32) -> Result<()> {
    require(actor, Action::RunSurvey)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let id: i64 = sqlx::query_scalar(
        "UPDATE surveys SET closed_at = now() WHERE posting_id = $1 AND year = $2 AND closed_at IS NULL RETURNING id",
    )
    .bind(posting_id)
    .bind(year)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::Conflict(Msg::new("没有进行中的测评", "no survey is open")))?;
    sqlx::query("DELETE FROM ballot_codes WHERE survey_id = $1 AND NOT used").bind(id).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, Some(actor.account_id), "close_survey", "survey", Some(id), serde_json::json!({}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Casts one anonymous ballot. No account, no audit entry, no time: only the count moves.
pub async fn cast(pool: &PgPool, key: &CodeKey, typed_code: &str, answer: Answer) -> Result<()> {
    let code = ballot::normalise(typed_code).ok_or_else(|| {
        Error::Invalid(Msg::new(
            "票码格式不正确：应为 10 位字母和数字，如 ABCDE-FGHJK",
            "the code should be 10 letters and digits, like ABCDE-FGHJK",
        ))
    })?;
    let mut tx = pool.begin().await?;
    // A survey also ends when its district's results are frozen.
    let found: Option<(Vec<u8>, i64, bool, bool)> = sqlx::query_as(
        "SELECT c.code_hash, c.survey_id, c.used, s.closed_at IS NOT NULL OR evaluation_frozen(s.posting_id, s.year)
           FROM ballot_codes c JOIN surveys s ON s.id = c.survey_id
          WHERE (c.code_hash = $1 AND c.keyed) OR (c.code_hash = $2 AND NOT c.keyed) FOR UPDATE OF c",
    )
    .bind(key.hash(&code))
    .bind(ballot::legacy_hash(&code))
    .fetch_optional(&mut *tx)
    .await?;
    let (hash, survey_id) = match found {
        None => return Err(Error::Invalid(Msg::new("票码无效或已作废", "the code is not valid or was voided"))),
        Some((_, _, true, _)) => return Err(Error::Conflict(Msg::new("此票码已投过票", "this code has been used"))),
        Some((_, _, _, true)) => return Err(Error::Invalid(Msg::new("测评已结束", "the survey is closed"))),
        Some((hash, id, false, false)) => (hash, id),
    };
    sqlx::query("UPDATE ballot_codes SET used = true WHERE code_hash = $1").bind(hash).execute(&mut *tx).await?;
    // The column is one of four fixed names, chosen by the enum.
    let column = answer.code();
    sqlx::query(&format!("UPDATE surveys SET {column} = {column} + 1 WHERE id = $1"))
        .bind(survey_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
