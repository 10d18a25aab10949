//! 投诉建议: sending a complaint or suggestion, reading one's own and their answers, and the
//! department's inbox and answers (`db::feedback`).

use domain::feedback::{Feedback, FeedbackCounts};
use leptos::prelude::*;

use crate::error::AppError;

/// What a sender is shown: the message's id and its follow-up code (查询码), once.
pub type Sent = (i64, String);

#[cfg(feature = "ssr")]
fn kind_of(kind: &str) -> Result<domain::feedback::FeedbackKind, AppError> {
    domain::feedback::FeedbackKind::parse(kind)
        .ok_or(AppError::Invalid(domain::Msg::new("请选择投诉或建议", "choose complaint or suggestion")))
}

/// `anonymous` is a checkbox: present when ticked.
#[server(endpoint = "send_feedback")]
pub async fn send_feedback(
    kind: String,
    body: String,
    #[server(default)] anonymous: Option<String>,
) -> Result<Sent, AppError> {
    use crate::server::*;
    let sent =
        db::feedback::send(&pool()?, &ballot_key()?, &actor().await?, kind_of(&kind)?, &body, anonymous.is_some())
            .await?;
    Ok((sent.id, sent.code))
}

/// A villager's message from the ballot page, with a ballot code: no login. Wrong codes count
/// against the client like wrong votes.
#[server(endpoint = "send_villager_feedback")]
pub async fn send_villager_feedback(ballot_code: String, kind: String, body: String) -> Result<Sent, AppError> {
    use crate::server::*;
    let kind = kind_of(&kind)?;
    let sent = crate::throttle::attempt(
        db::feedback::send_as_villager(&pool()?, &ballot_key()?, &ballot_code, kind, &body),
        |e| matches!(e, db::Error::Invalid(_)),
    )
    .await?;
    Ok((sent.id, sent.code))
}

#[server(endpoint = "my_feedback")]
pub async fn my_feedback() -> Result<Vec<Feedback>, AppError> {
    use crate::server::*;
    Ok(db::feedback::mine(&pool()?, &actor().await?).await?)
}

/// A message and its answer by its follow-up code: no login (the code is the key). Wrong codes
/// count against the client.
#[server(endpoint = "feedback_by_code")]
pub async fn feedback_by_code(code: String) -> Result<Feedback, AppError> {
    use crate::server::*;
    crate::throttle::attempt(db::feedback::by_code(&pool()?, &ballot_key()?, &code), |e| {
        matches!(e, db::Error::Invalid(_) | db::Error::NotFound)
    })
    .await
}

#[server(endpoint = "feedback_inbox")]
pub async fn feedback_inbox() -> Result<(Vec<Feedback>, FeedbackCounts), AppError> {
    use crate::server::*;
    let (pool, actor) = (pool()?, actor().await?);
    Ok((db::feedback::inbox(&pool, &actor).await?, db::feedback::counts(&pool, &actor).await?))
}

/// The department's counts alone (its dashboard's line).
#[server(endpoint = "feedback_tally")]
pub async fn feedback_tally() -> Result<FeedbackCounts, AppError> {
    use crate::server::*;
    Ok(db::feedback::counts(&pool()?, &actor().await?).await?)
}

#[server(endpoint = "answer_feedback")]
pub async fn answer_feedback(id: i64, answer: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::feedback::answer(&pool()?, &actor().await?, id, &answer).await?)
}
