use domain::mandate::ForcedFunctions;
use leptos::prelude::*;

use crate::error::AppError;

/// The forced functions of the districts in the caller's scope.
#[server(endpoint = "district_forced_functions")]
pub async fn district_forced_functions() -> Result<Vec<ForcedFunctions>, AppError> {
    use crate::server::*;
    Ok(db::mandates::forced_functions(&pool()?, &actor().await?).await?)
}

/// Turns a forced function on (`enable`, with its basis and reason) or off.
#[server(endpoint = "set_mandate")]
pub async fn set_mandate(
    district_id: i64,
    mandate: String,
    enable: bool,
    #[server(default)] basis: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::server::*;
    use domain::mandate::{Mandate, MandateBasis};
    use domain::Msg;
    let mandate =
        Mandate::parse(&mandate).ok_or_else(|| AppError::Invalid(Msg::new("未知的功能", "unknown function")))?;
    let on = if enable {
        let basis =
            MandateBasis::parse(&basis).ok_or_else(|| AppError::Invalid(Msg::new("请选择依据", "choose the basis")))?;
        Some((basis, reason.as_str()))
    } else {
        None
    };
    Ok(db::mandates::set(&pool()?, &actor().await?, district_id, mandate, on).await?)
}
