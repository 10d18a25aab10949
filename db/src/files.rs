//! The bytes of photos and attached files, outside PostgreSQL (issue 16): an object store keyed
//! by the sha256 of the bytes (`ab/cd/<hash>`; the same bytes are one object whoever sent
//! them, and an object never changes). The local filesystem by default (`ZHUCUN_FILES_DIR`,
//! nothing to install), or a bucket of an S3-compatible store (`ZHUCUN_FILES_BUCKET`), both
//! through the `object_store` crate. PostgreSQL keeps the metadata (`photos`: hash, owner,
//! type, size, time).

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::{ObjectStore, PutPayload};
use sha2::{Digest, Sha256};

/// Why a file could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("not a file's sha256: {0:?}")]
    BadHash(String),
    #[error("the stored bytes of {0} do not match their hash")]
    Corrupt(String),
    #[error("the file store does not hold {0}")]
    Missing(String),
    #[error("the file store: {0}")]
    Store(#[from] object_store::Error),
    #[error("the file store's disk: {0}")]
    Disk(#[from] std::io::Error),
}

/// The store of files by content hash.
#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// The directory of a local store: its files are flushed to disk before `put` returns.
    dir: Option<PathBuf>,
}

/// The object's key: a 64-digit lowercase hex sha256, spread over two directory levels.
fn key(hash: &str) -> Result<object_store::path::Path, FilesError> {
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(FilesError::BadHash(hash.to_string()));
    }
    Ok(object_store::path::Path::from(format!("{}/{}/{hash}", &hash[..2], &hash[2..4])))
}

/// The sha256 of `bytes` as 64 lowercase hex digits.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

impl FileStore {
    /// The store in a directory of the local filesystem (created if missing).
    pub fn local(dir: &Path) -> Result<Self, FilesError> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(FileStore { store: Arc::new(store), dir: Some(dir.to_path_buf()) })
    }

    /// The store in a bucket of an S3-compatible store, as `builder` describes it (endpoint,
    /// region, keys; `AmazonS3Builder::from_env` reads the usual `AWS_*` variables).
    pub fn s3(builder: AmazonS3Builder) -> Result<Self, FilesError> {
        Ok(FileStore { store: Arc::new(builder.build()?), dir: None })
    }

    /// Keeps `bytes` under their hash: written whole or not at all, and on disk when this
    /// returns (a row may then name them, and a phone let its copy go). Keeping the same bytes
    /// again changes nothing. The caller has checked that `hash` is theirs.
    pub async fn put(&self, hash: &str, bytes: &[u8]) -> Result<(), FilesError> {
        self.store.put(&key(hash)?, PutPayload::from(bytes.to_vec())).await?;
        if let Some(dir) = &self.dir {
            // object_store writes a temporary file and renames it, without syncing either:
            // the file, then the directory that holds its name.
            let file = dir.join(&hash[..2]).join(&hash[2..4]).join(hash);
            tokio::fs::File::open(&file).await?.sync_all().await?;
            if let Some(parent) = file.parent() {
                tokio::fs::File::open(parent).await?.sync_all().await?;
            }
        }
        Ok(())
    }

    /// The bytes kept under `hash`, checked against it; `None` if there are none.
    pub async fn get(&self, hash: &str) -> Result<Option<Vec<u8>>, FilesError> {
        match self.store.get(&key(hash)?).await {
            Ok(found) => {
                let bytes = found.bytes().await?.to_vec();
                if sha256(&bytes) != hash {
                    return Err(FilesError::Corrupt(hash.to_string()));
                }
                Ok(Some(bytes))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
