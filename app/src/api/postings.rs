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

/// Ends a posting; with commitment items open, `decision` (`extend`, `hand_over`, `release`)
/// and its reason are required, and `extend_to` for an extension.
#[server(endpoint = "end_posting")]
pub async fn end_posting(
    id: i64,
    ended_on: NaiveDate,
    reason: String,
    #[server(default)] decision: String,
    #[server(default)] decision_reason: String,
    #[server(default)] extend_to: String,
) -> Result<(), AppError> {
    use crate::server::*;
    use domain::commitment::ReleaseDecision;
    let decision = match decision.trim() {
        "" => None,
        d => Some(ReleaseDecision::parse(d).ok_or_else(|| {
            AppError::Invalid(domain::Msg::new("请选择未完成承诺的处理方式", "choose what happens to the open items"))
        })?),
    };
    let extend_to = match extend_to.trim() {
        "" => None,
        d => Some(d.parse::<NaiveDate>().map_err(|_| {
            AppError::Invalid(domain::Msg::new("延期日期格式应为 2027-06-30", "the date looks like 2027-06-30"))
        })?),
    };
    let ending =
        db::commitments::Ending { ended_on, reason: &reason, decision, decision_reason: &decision_reason, extend_to };
    Ok(db::commitments::end_posting(&pool()?, &actor().await?, id, &ending).await?)
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
