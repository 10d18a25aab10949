use chrono::NaiveDate;
use domain::calendar::{CalendarException, CalendarYear, DistrictAttendance};
use leptos::prelude::*;

use crate::error::AppError;

/// The attendance settings of the districts in the caller's scope.
#[server(endpoint = "district_settings")]
pub async fn district_settings() -> Result<Vec<DistrictAttendance>, AppError> {
    use crate::server::*;
    Ok(db::settings::districts(&pool()?, &actor().await?).await?)
}

/// `day_requires_check_out` is a checkbox: present when ticked.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "update_district_settings")]
pub async fn update_district_settings(
    id: i64,
    allowance_per_day: i32,
    #[server(default)] day_requires_check_out: Option<String>,
    day_min_stay_minutes: i32,
    day_evidence: String,
    max_accuracy_m: i32,
    late_grace_hours: i32,
    burden_budget_minutes: i32,
) -> Result<(), AppError> {
    use crate::server::*;
    let day_evidence = domain::calendar::DayEvidence::parse(&day_evidence).ok_or_else(|| {
        AppError::Invalid(domain::Msg::new("请选择在村天数的认定方式", "choose what counts as a day in the village"))
    })?;
    let s = DistrictAttendance {
        id,
        name: String::new(),
        allowance_per_day,
        day_requires_check_out: day_requires_check_out.is_some(),
        day_min_stay_minutes,
        day_evidence,
        max_accuracy_m,
        late_grace_hours,
        burden_budget_minutes,
    };
    Ok(db::settings::update_district(&pool()?, &actor().await?, &s).await?)
}

/// A year's calendar exceptions (this year, by the server's clock, when none is named).
#[server(endpoint = "calendar_days")]
pub async fn calendar_days(#[server(default)] year: Option<i32>) -> Result<(i32, Vec<CalendarException>), AppError> {
    use crate::server::*;
    use chrono::Datelike;
    let year = year.unwrap_or_else(|| chrono::Utc::now().year());
    Ok((year, db::settings::calendar(&pool()?, &actor().await?, year).await?))
}

/// Sets a calendar exception; an empty name removes it.
#[server(endpoint = "set_calendar_day")]
pub async fn set_calendar_day(day: NaiveDate, working: bool, #[server(default)] name: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::settings::set_calendar_day(&pool()?, &actor().await?, day, working, &name).await?)
}

/// The years whose calendar is loaded, and next year's if it is due and missing.
#[server(endpoint = "calendar_years")]
pub async fn calendar_years() -> Result<(Vec<CalendarYear>, Option<i32>), AppError> {
    use crate::server::*;
    Ok(db::settings::calendar_years(&pool()?, &actor().await?).await?)
}

/// The system administrator confirms a year's calendar complete, naming the notice.
#[server(endpoint = "confirm_calendar_year")]
pub async fn confirm_calendar_year(year: i32, notice: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::settings::confirm_calendar_year(&pool()?, &actor().await?, year, &notice).await?)
}
