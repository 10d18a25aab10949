use domain::model::Me;
use leptos::prelude::*;

use crate::error::AppError;

/// Logs in and returns the role's home page.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<String, AppError> {
    use crate::server::*;
    let pool = pool()?;
    let now = chrono::Utc::now();
    let id = db::auth::login(&pool, &username, &password, now).await?;
    let session = session().await?;
    // A new session id on login defeats session fixation.
    session.cycle_id().await.map_err(|_| AppError::Internal)?;
    session.insert(SESSION_ACCOUNT, id).await.map_err(|_| AppError::Internal)?;
    session.insert(SESSION_SINCE, now).await.map_err(|_| AppError::Internal)?;
    let actor = db::auth::actor(&pool, id, now).await?.ok_or(AppError::Unauthenticated)?;
    tracing::info!(account = id, role = actor.role.code(), "login");
    let home = actor.role.home_path();
    redirect_plain_form(home);
    Ok(home.to_string())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::*;
    let session = session().await?;
    session.flush().await.map_err(|_| AppError::Internal)?;
    redirect_plain_form("/login");
    Ok(())
}

/// The logged-in account, or `None`.
#[server(endpoint = "current_account")]
pub async fn current_account() -> Result<Option<Me>, AppError> {
    use crate::server::*;
    match actor().await {
        Ok(a) => Ok(Some(db::auth::me(&pool()?, a.account_id).await?)),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::server::*;
    let a = actor().await?;
    let now = chrono::Utc::now();
    db::auth::change_password(&pool()?, &a, &current, &new, now).await?;
    // Other sessions of the account have ended; this one goes on.
    session().await?.insert(SESSION_SINCE, now).await.map_err(|_| AppError::Internal)?;
    Ok(())
}
