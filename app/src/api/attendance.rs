use domain::board::{Board, Timeline};
use leptos::prelude::*;

use crate::error::AppError;

/// The attendance board of a township: the supervisor's own, or (for district roles) the one
/// asked for.
#[server(endpoint = "attendance_board")]
pub async fn attendance_board(township_id: Option<i64>) -> Result<Board, AppError> {
    use crate::server::*;
    let actor = actor().await?;
    let township_id = match (township_id, actor.scope) {
        (Some(id), _) => id,
        (None, domain::Scope::Township(own)) => own,
        (None, _) => return Err(AppError::Invalid(domain::Msg::new("请选择镇街", "choose a township"))),
    };
    Ok(db::attendance::board(&pool()?, &actor, township_id).await?)
}

#[server(endpoint = "decide_leave")]
pub async fn decide_leave(id: i64, approve: bool) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::attendance::decide_leave(&pool()?, &actor().await?, id, approve).await?)
}

/// Starts a roll call of `posting_ids` (comma-separated; empty: every secretary of the township).
#[server(endpoint = "start_roll_call")]
pub async fn start_roll_call(
    township_id: i64,
    minutes: i64,
    #[server(default)] posting_ids: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    let targets = posting_ids
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::Invalid(domain::Msg::new("点名对象无效", "the secretaries to call are not valid")))?;
    Ok(db::attendance::start_roll_call(&pool()?, &actor().await?, township_id, minutes, &targets).await?)
}

#[server(endpoint = "record_inspection")]
pub async fn record_inspection(posting_id: i64, present: bool, note: String) -> Result<i64, AppError> {
    use crate::server::*;
    Ok(db::attendance::record_inspection(&pool()?, &actor().await?, posting_id, present, &note).await?)
}

/// The township approves a month's allowance list; returns the total in yuan.
#[server(endpoint = "approve_allowance")]
pub async fn approve_allowance(township_id: i64, month: String) -> Result<i64, AppError> {
    use crate::server::*;
    let pool = pool()?;
    let first = db::reports::parse_month(&month)?;
    Ok(db::reports::approve_allowance(&pool, &actor().await?, township_id, first).await?)
}

/// A secretary's newest records (200), for the board's click-through: of one kind and within
/// days, if asked.
#[server(endpoint = "secretary_timeline")]
pub async fn secretary_timeline(
    posting_id: i64,
    kind: Option<domain::field::RecordKind>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<Timeline, AppError> {
    use crate::server::*;
    let filter = domain::board::TimelineFilter { kind, from, to };
    Ok(db::attendance::timeline(&pool()?, &actor().await?, posting_id, filter, 200).await?)
}

/// The township confirms (`confirm`) or strikes a day reported late (补报), saying why.
#[server(endpoint = "review_late_day")]
pub async fn review_late_day(
    posting_id: i64,
    day: chrono::NaiveDate,
    confirm: bool,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::reports::review_late_day(&pool()?, &actor().await?, posting_id, day, confirm, &reason).await?)
}
