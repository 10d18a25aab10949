//! The secretary's year-end 述职报告 and 自查报告表 drafted from the year's records and what
//! the engine counted (`domain::evaluation::drafts`).

use std::collections::HashMap;

use domain::evaluation::drafts::{YearDrafts, YearFacts};
use domain::evaluation::filing::FilingKind;
use domain::{Actor, Lang, Msg};
use sqlx::PgPool;

use domain::evaluation::rules::Projected;

use super::{evidence_records, filings, period, postings_where, rules_of, secretaries, settings};
use crate::{Error, Result};

/// The calling secretary's drafts for `year`, in `lang`, from the records as they stand.
#[tracing::instrument(skip(pool, actor), fields(account = actor.account_id))]
pub async fn year_drafts(pool: &PgPool, actor: &Actor, year: i32, lang: Lang) -> Result<YearDrafts> {
    let posting_id = filings::own_posting(pool, actor, year).await?;
    let posting = postings_where(pool, "p.id = $1", posting_id, year).await?.pop().ok_or(Error::NotFound)?;
    let settings = settings(pool, &[posting_id]).await?;
    let setting = settings.get(&posting_id).ok_or(Error::NotFound)?;
    let (first, last) = period(&posting, year, setting.today).ok_or_else(|| {
        Error::Invalid(Msg::new(format!("{year} 年尚无任职记录"), format!("nothing served in {year} yet")))
    })?;
    let rules = rules_of(&setting.evaluation_rules);
    let me = secretaries(pool, std::slice::from_ref(&posting), year, &settings).await?.pop().ok_or(Error::NotFound)?;
    let Projected { score: projected, base_max, shortfalls } = rules.projected(&me.year);
    let ids: Vec<uuid::Uuid> =
        projected.lines.iter().flat_map(|l| &l.evidence).filter_map(|e| uuid::Uuid::parse_str(e).ok()).collect();
    let evidence = evidence_records(pool, posting_id, &ids).await?;
    let households: HashMap<i64, String> =
        crate::postings::households(pool, actor, posting_id).await?.into_iter().map(|h| (h.id, h.head_name)).collect();
    let records = crate::records::work_between(pool, posting_id, first, last).await?;
    let work = domain::work::WorkFacts::gather(
        first,
        last,
        records.iter().map(|(d, b)| (*d, b)),
        |id| households.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
        lang,
    );
    let goals = filings::of(pool, posting_id, year)
        .await?
        .into_iter()
        .find(|f| f.kind == FilingKind::TermGoals)
        .map(|f| f.goals)
        .unwrap_or_default();
    let months_filed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM monthly_records WHERE posting_id = $1 AND extract(year FROM month) = $2",
    )
    .bind(posting_id)
    .bind(year)
    .fetch_one(pool)
    .await?;
    let facts = YearFacts {
        year,
        recorded: me.year.recorded(),
        posting,
        work,
        projected,
        base_max,
        shortfalls,
        evidence,
        goals,
        months_filed: usize::try_from(months_filed).unwrap_or_default(),
    };
    Ok(facts.drafts(lang))
}
