use domain::dashboard::{Dashboard, Followed};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The dashboard with its charts, drawn on the server as SVG.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardPage {
    pub dashboard: Dashboard,
    pub attendance_trend: String,
    pub meeting_trend: String,
    pub comparison: String,
}

/// The dashboard of a district (the department's own, or one of a city's), or of every
/// district in scope; `period` is a [`domain::dashboard::Period`] code (this month by default).
#[server(endpoint = "department_dashboard")]
pub async fn department_dashboard(
    #[server(default)] district_id: Option<i64>,
    #[server(default)] period: Option<String>,
) -> Result<DashboardPage, AppError> {
    use crate::server::*;
    use domain::dashboard::Period;
    let period = match period.as_deref().map(str::trim) {
        None | Some("") => Period::Month,
        Some(p) => Period::parse(p).ok_or_else(|| {
            AppError::Invalid(domain::Msg::new(format!("统计周期 {p} 无效"), format!("no period {p}")))
        })?,
    };
    let d = db::dashboard::dashboard(&read_pool()?, &actor().await?, district_id, period).await?;
    Ok(crate::charts::dashboard_page(d, request_lang()))
}

/// The secretaries in the caller's part of the tree (a dispatching unit: those it sent), each
/// with today's row of the board.
#[server(endpoint = "followed_secretaries")]
pub async fn followed_secretaries() -> Result<Vec<Followed>, AppError> {
    use crate::server::*;
    Ok(db::dashboard::followed(&read_pool()?, &actor().await?).await?)
}

/// The reporting burden of the last four weeks: per township of a district, or per district.
#[server(endpoint = "reporting_burden")]
pub async fn reporting_burden(#[server(default)] district_id: Option<i64>) -> Result<domain::burden::Burden, AppError> {
    use crate::server::*;
    Ok(db::dashboard::burden(&read_pool()?, &actor().await?, district_id).await?)
}
