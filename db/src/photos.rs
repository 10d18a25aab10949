//! Photos and attached files, stored under the sha256 of their bytes (one file for the same
//! bytes whoever sent them), each with the secretaries it belongs to: checking an upload,
//! keeping it, and reading it back within the caller's part of the tree.

use domain::{Actor, Msg, Role};
use sqlx::PgPool;

use crate::scope::BindScope;
use crate::{Error, Result};

/// Largest photo or attached file.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;

/// Checks an uploaded file: not empty, not too large, and its bytes of the type it declares.
pub(crate) fn check_file(content_type: &str, bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() || bytes.len() > MAX_PHOTO_BYTES {
        return Err(Error::Invalid(Msg::new("文件为空或超过 8 MB", "the file is empty or larger than 8 MB")));
    }
    match domain::field::file_type(bytes) {
        Some(t) if t == content_type => Ok(()),
        _ => Err(Error::Invalid(Msg::new(
            format!("文件内容不是所声明的类型 {content_type}（只收 JPEG、PNG、WebP 照片和 PDF）"),
            format!("the file is not the {content_type} it claims (JPEG, PNG, WebP photos and PDF only)"),
        ))),
    }
}

/// Stores a file under the sha256 of its bytes, as one of `secretary`'s: the same bytes sent
/// by two secretaries are one file, and each one's supervisors may see it.
pub(crate) async fn keep_file(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    secretary: i64,
    hash: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO photos (hash, secretary_id, content_type, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
    )
    .bind(hash)
    .bind(secretary)
    .bind(content_type)
    .bind(bytes)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("INSERT INTO photo_owners (hash, secretary_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(hash)
        .bind(secretary)
        .execute(&mut **tx)
        .await?;
    Ok(inserted == 1)
}

/// Stores an uploaded photo or file under the sha256 of its bytes. Uploading the same one
/// again is harmless; an interrupted upload is simply sent again. Returns whether it was new.
pub async fn store_photo(pool: &PgPool, actor: &Actor, hash: &str, content_type: &str, bytes: &[u8]) -> Result<bool> {
    use sha2::{Digest, Sha256};
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    check_file(content_type, bytes)?;
    if format!("{:x}", Sha256::digest(bytes)) != hash {
        return Err(Error::Invalid(Msg::new(
            "文件内容与编号不符（上传不完整？）",
            "the bytes do not match the hash (an incomplete upload?)",
        )));
    }
    let mut tx = pool.begin().await?;
    let new = keep_file(&mut tx, actor.account_id, hash, content_type, bytes).await?;
    tx.commit().await?;
    Ok(new)
}

/// A stored photo, if one of the secretaries it belongs to is in the caller's scope: content
/// type and bytes.
pub async fn photo(pool: &PgPool, actor: &Actor, hash: &str) -> Result<(String, Vec<u8>)> {
    let sql = format!(
        "SELECT ph.content_type, ph.bytes FROM photos ph
          WHERE ph.hash = $6 AND EXISTS (SELECT 1 FROM photo_owners o JOIN postings p ON p.secretary_id = o.secretary_id
                                          WHERE o.hash = ph.hash AND {})",
        visible!("posting_places", "p.id")
    );
    sqlx::query_as(&sql).scoped(actor.scope.filter()).bind(hash).fetch_optional(pool).await?.ok_or(Error::NotFound)
}
