use domain::model::Account;
use domain::Role;
use leptos::prelude::*;

use crate::error::AppError;

#[server(endpoint = "accounts")]
pub async fn accounts(role: Option<Role>) -> Result<Vec<Account>, AppError> {
    use crate::server::*;
    Ok(db::accounts::list(&pool()?, &actor().await?, role).await?)
}

/// `scope_id` is the district, township or unit the role is bound to (ignored for system
/// administrators). City-wide department accounts are made with `zhucun create-account`.
#[server(endpoint = "create_account")]
pub async fn create_account(
    username: String,
    display_name: String,
    phone: String,
    role: Role,
    scope_id: i64,
    password: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    let mut a =
        db::accounts::NewAccount { username, display_name, phone, role: Some(role), password, ..Default::default() };
    let id = Some(scope_id);
    match role {
        Role::SysAdmin => {}
        Role::DeptAdmin | Role::Inspector | Role::Secretary => a.district_id = id,
        Role::TownshipSupervisor => a.township_id = id,
        Role::UnitViewer => a.unit_id = id,
    }
    Ok(db::accounts::create(&pool()?, &actor().await?, &a).await?)
}

#[server(endpoint = "set_account_active")]
pub async fn set_account_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::accounts::set_active(&pool()?, &actor().await?, id, active).await?)
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::accounts::reset_password(&pool()?, &actor().await?, id, &password).await?)
}

#[server(endpoint = "update_account")]
pub async fn update_account(id: i64, display_name: String, phone: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::accounts::update(&pool()?, &actor().await?, id, &display_name, &phone).await?)
}
