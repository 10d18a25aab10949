use chrono::NaiveDate;
use domain::model::{Household, Posting};
use domain::org::{PostingMode, PostingSource, RankClass};
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "postings")]
pub async fn postings(current_only: bool) -> Result<Vec<Posting>, AppError> {
    use crate::server::*;
    Ok(db::postings::list(&pool()?, &actor().await?, current_only).await?)
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "create_posting")]
pub async fn create_posting(
    secretary_id: i64,
    village_id: i64,
    unit_id: i64,
    term_start: NaiveDate,
    term_end: NaiveDate,
    mode: PostingMode,
    source: PostingSource,
    rank_class: RankClass,
    round: i32,
    assistant_name: String,
    assistant_phone: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    let p = db::postings::NewPosting {
        secretary_id,
        village_id,
        unit_id,
        term_start,
        term_end,
        mode,
        source,
        rank_class,
        round,
        assistant_name: Some(assistant_name),
        assistant_phone: Some(assistant_phone),
    };
    Ok(db::postings::create(&pool()?, &actor().await?, &p).await?)
}

#[server(endpoint = "end_posting")]
pub async fn end_posting(id: i64, ended_on: NaiveDate, reason: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::postings::end(&pool()?, &actor().await?, id, ended_on, &reason).await?)
}

#[server(endpoint = "households")]
pub async fn households(posting_id: i64) -> Result<Vec<Household>, AppError> {
    use crate::server::*;
    Ok(db::postings::households(&pool()?, &actor().await?, posting_id).await?)
}

#[server(endpoint = "add_household")]
pub async fn add_household(
    posting_id: i64,
    head_name: String,
    members: i32,
    address: String,
    hardship: String,
    paired_on: NaiveDate,
) -> Result<i64, AppError> {
    use crate::server::*;
    let h = db::postings::NewHousehold { head_name, members, address, hardship, paired_on };
    Ok(db::postings::add_household(&pool()?, &actor().await?, posting_id, &h).await?)
}
