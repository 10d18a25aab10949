use domain::model::AuditEntry;
use leptos::prelude::*;

use crate::error::AppError;

/// The newest 200 entries by accounts in the caller's scope.
#[server(endpoint = "audit_log")]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    use crate::server::*;
    Ok(db::audit::list(&pool()?, &actor().await?, 200).await?)
}
