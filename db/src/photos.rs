//! Photos and attached files, stored under the sha256 of their bytes (one file for the same
//! bytes whoever sent them), each with the secretaries it belongs to: checking an upload,
//! keeping it, and reading it back within the caller's part of the tree. The bytes are in the
//! file store ([`crate::files`]); a row here is the file's metadata (older rows hold their
//! bytes until [`move_out`]).

use domain::{Actor, Msg, Role};
use sqlx::PgPool;

use crate::files::{sha256, FileStore};
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

/// Records a file already in the store (under `hash`) as one of `secretary`'s: the same bytes
/// sent by two secretaries are one file, and each one's supervisors may see it.
pub(crate) async fn keep_file(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    secretary: i64,
    hash: &str,
    content_type: &str,
    size: usize,
) -> Result<bool> {
    let size = i32::try_from(size).map_err(|_| Error::Invalid(Msg::new("文件过大", "the file is too large")))?;
    let inserted = sqlx::query(
        "INSERT INTO photos (hash, secretary_id, content_type, size, district_id)
         SELECT $1, $2, $3, $4, district_id FROM accounts WHERE id = $2
         ON CONFLICT (hash) DO NOTHING",
    )
    .bind(hash)
    .bind(secretary)
    .bind(content_type)
    .bind(size)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO photo_owners (hash, secretary_id, district_id)
         SELECT $1, $2, district_id FROM accounts WHERE id = $2 ON CONFLICT DO NOTHING",
    )
    .bind(hash)
    .bind(secretary)
    .execute(&mut **tx)
    .await?;
    Ok(inserted == 1)
}

/// Stores an uploaded photo or file under the sha256 of its bytes: first the bytes in the
/// store, then the row (a row never names bytes that are not kept). Uploading the same one
/// again is harmless; an interrupted upload is simply sent again. Returns whether it was new.
pub async fn store_photo(
    pool: &PgPool,
    files: &FileStore,
    actor: &Actor,
    hash: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<bool> {
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    check_file(content_type, bytes)?;
    if sha256(bytes) != hash {
        return Err(Error::Invalid(Msg::new(
            "文件内容与编号不符（上传不完整？）",
            "the bytes do not match the hash (an incomplete upload?)",
        )));
    }
    files.put(hash, bytes).await?;
    let mut tx = pool.begin().await?;
    let new = keep_file(&mut tx, actor.account_id, hash, content_type, bytes.len()).await?;
    tx.commit().await?;
    Ok(new)
}

/// A stored photo, if one of the secretaries it belongs to is in the caller's scope: content
/// type and bytes.
pub async fn photo(pool: &PgPool, files: &FileStore, actor: &Actor, hash: &str) -> Result<(String, Vec<u8>)> {
    let sql = format!(
        "SELECT ph.content_type, ph.bytes FROM photos ph
          WHERE ph.hash = $6 AND EXISTS (SELECT 1 FROM photo_owners o JOIN postings p ON p.secretary_id = o.secretary_id
                                          WHERE o.hash = ph.hash AND {})",
        visible!("posting_places", "p.id")
    );
    let (content_type, held): (String, Option<Vec<u8>>) = sqlx::query_as(&sql)
        .scoped(actor.scope.filter())
        .bind(hash)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    match held {
        Some(bytes) => Ok((content_type, bytes)),
        None => match files.get(hash).await? {
            Some(bytes) => Ok((content_type, bytes)),
            None => {
                tracing::error!(hash, "a photo's row names bytes the file store does not hold");
                Err(Error::NotFound)
            }
        },
    }
}

/// How [`move_out`] went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Rows whose bytes are now only in the store.
    pub moved: u64,
    /// Rows whose bytes do not match their hash: left as they are, and named in the log.
    pub mismatched: Vec<String>,
}

/// Moves the bytes still held in `photos` rows to the file store, listed a batch at a time and
/// read one at a time: each file's bytes checked against its hash, written (on disk), read back
/// and checked again before its row lets them go. Nothing is lost if it stops halfway, and
/// running it again moves what is left.
pub async fn move_out(pool: &PgPool, files: &FileStore, batch: i64) -> Result<Moved> {
    let mut outcome = Moved::default();
    let mut after = String::new();
    loop {
        let hashes: Vec<String> =
            sqlx::query_scalar("SELECT hash FROM photos WHERE bytes IS NOT NULL AND hash > $1 ORDER BY hash LIMIT $2")
                .bind(&after)
                .bind(batch)
                .fetch_all(pool)
                .await?;
        let Some(last) = hashes.last() else { return Ok(outcome) };
        after = last.clone();
        for hash in hashes {
            let held: Option<Vec<u8>> =
                sqlx::query_scalar("SELECT bytes FROM photos WHERE hash = $1").bind(&hash).fetch_one(pool).await?;
            let Some(bytes) = held else { continue };
            if sha256(&bytes) != hash {
                tracing::error!(hash, "a photo's stored bytes do not match its hash: left in the database");
                outcome.mismatched.push(hash);
                continue;
            }
            files.put(&hash, &bytes).await?;
            if files.get(&hash).await?.is_none() {
                return Err(crate::files::FilesError::Corrupt(hash).into());
            }
            let done = sqlx::query("UPDATE photos SET bytes = NULL WHERE hash = $1 AND bytes IS NOT NULL")
                .bind(&hash)
                .execute(pool)
                .await?;
            outcome.moved += done.rows_affected();
        }
    }
}
