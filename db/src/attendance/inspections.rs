//! Inspections (督查): an inspector's unannounced visit and its photo.

use chrono::NaiveDate;
use domain::{Action, Actor, Msg};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{require, Error, Result};

use super::notify;

/// An inspector records an unannounced visit.
pub async fn record_inspection(
    pool: &PgPool,
    actor: &Actor,
    posting_id: i64,
    present: bool,
    note: &str,
) -> Result<i64> {
    require(actor, Action::Inspect)?;
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    let (township_id, today): (i64, NaiveDate) =
        sqlx::query_as("SELECT township_id, today FROM posting_districts WHERE posting_id = $1")
            .bind(posting_id)
            .fetch_one(&mut *tx)
            .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspections (posting_id, inspector_id, visited_on, present, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(posting_id)
    .bind(actor.account_id)
    .bind(today)
    .bind(present)
    .bind(note.trim())
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "record_inspection",
        "inspection",
        Some(id),
        serde_json::json!({ "posting_id": posting_id, "present": present, "note": note.trim() }),
    )
    .await?;
    notify(&mut tx, township_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Attaches a photo to an inspection (replacing an earlier one). The photo is stored under its
/// sha256 with the inspected secretary's photos, so the same people may see it.
pub async fn attach_inspection_photo(
    pool: &PgPool,
    files: &crate::files::FileStore,
    actor: &Actor,
    inspection_id: i64,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    require(actor, Action::Inspect)?;
    if content_type == "application/pdf" {
        return Err(Error::Invalid(Msg::new("只能上传 JPEG、PNG 或 WebP 照片", "only JPEG, PNG or WebP photos")));
    }
    crate::photos::check_file(content_type, bytes)?;
    // Stored first (by content; harmless if refused below), so no connection waits on it.
    let hash = crate::files::sha256(bytes);
    files.put(&hash, bytes).await?;
    let mut tx = pool.begin().await?;
    let (posting_id, secretary_id): (i64, i64) = sqlx::query_as(
        "SELECT i.posting_id, p.secretary_id FROM inspections i JOIN postings p ON p.id = i.posting_id WHERE i.id = $1",
    )
    .bind(inspection_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting_id)?;
    crate::photos::keep_file(&mut tx, secretary_id, &hash, content_type, bytes.len()).await?;
    sqlx::query("UPDATE inspections SET photo = $2 WHERE id = $1")
        .bind(inspection_id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "attach_inspection_photo",
        "inspection",
        Some(inspection_id),
        serde_json::json!({ "photo": hash }),
    )
    .await?;
    tx.commit().await?;
    Ok(hash)
}
