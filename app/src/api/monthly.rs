//! 月度工作纪实: the secretary's month drafted from the records and filed; the filed months of a
//! posting for the township and the unit (`db::monthly`).

use domain::monthly::{MonthlyDraft, MonthlyRecord};
use leptos::prelude::*;

use crate::error::AppError;

/// `month`: `2026-11`; none when absent (the district's current month).
#[cfg(feature = "ssr")]
fn month_of(month: Option<String>) -> Result<Option<chrono::NaiveDate>, AppError> {
    month
        .filter(|m| !m.trim().is_empty())
        .map(|m| {
            chrono::NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").map_err(|_| {
                AppError::Invalid(domain::Msg::new("月份格式应为 2026-11", "the month looks like 2026-11"))
            })
        })
        .transpose()
}

#[server(endpoint = "draft_month")]
pub async fn draft_month(#[server(default)] month: Option<String>) -> Result<MonthlyDraft, AppError> {
    use crate::server::*;
    let lang = crate::i18n::current_lang();
    Ok(db::monthly::draft(&pool()?, &actor().await?, month_of(month)?, lang).await?)
}

#[server(endpoint = "file_monthly_record")]
pub async fn file_monthly_record(month: String, body: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::monthly::file(&pool()?, &actor().await?, month_of(Some(month))?, &body).await?)
}

#[server(endpoint = "monthly_records")]
pub async fn monthly_records(posting_id: i64) -> Result<Vec<MonthlyRecord>, AppError> {
    use crate::server::*;
    Ok(db::monthly::filed(&pool()?, &actor().await?, posting_id).await?)
}
