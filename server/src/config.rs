//! Configuration from environment variables (documented in `.env.example`).

use std::net::SocketAddr;

use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// PostgreSQL connection URL.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: String,

    /// A streaming standby of the database (optional): the dashboards and reports read from
    /// it, so the primary keeps to writes and the phones; a page that must show the caller's
    /// own change reads from the primary.
    #[arg(long, env = "DATABASE_REPLICA_URL")]
    pub replica_url: Option<String>,

    /// Address to listen on.
    #[arg(long, env = "ZHUCUN_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory holding the built site (`pkg/`, CSS, icons), as `cargo xtask site` writes it.
    #[arg(long, env = "ZHUCUN_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// The address people reach the server at, e.g. https://zhucun.example.gov.cn. When it
    /// starts with https, cookies are marked Secure. Requests whose Origin differs are refused.
    #[arg(long, env = "ZHUCUN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Hours of inactivity after which a session expires.
    #[arg(long, env = "ZHUCUN_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: i64,

    /// The server's secret (64 hexadecimal characters), created on first start if missing.
    /// Keep it out of the database's backups and back it up apart: ballot codes issued with
    /// it can only be checked with it.
    #[arg(long, env = "ZHUCUN_SECRET_FILE", default_value = ".data/secret")]
    pub secret_file: std::path::PathBuf,

    /// Do not apply migrations at start (they are run by `zhucun migrate` as the database's
    /// owner, and the server's own login may not).
    #[arg(long, env = "ZHUCUN_SKIP_MIGRATIONS")]
    pub skip_migrations: bool,

    #[command(flatten)]
    pub files: FileStoreArgs,

    /// Database connections kept in the pool.
    #[arg(long, env = "ZHUCUN_DB_CONNECTIONS", default_value_t = 10)]
    pub db_connections: u32,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

/// Where photos' and attached files' bytes are kept, by their sha256 (the database keeps their
/// metadata): a directory, or a bucket of an S3-compatible store. Back it up with the
/// database: `zhucun backup` (docs/operations.md).
#[derive(Args, Clone, Debug, Default)]
pub struct FileStoreArgs {
    /// The file store's directory (unless a bucket is named).
    #[arg(long, env = "ZHUCUN_FILES_DIR", default_value = ".data/files")]
    pub files_dir: std::path::PathBuf,

    /// A bucket of an S3-compatible store instead: its endpoint, region and keys come from
    /// `AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`
    /// (`AWS_ALLOW_HTTP=true` for an endpoint without TLS).
    #[arg(long, env = "ZHUCUN_FILES_BUCKET")]
    pub files_bucket: Option<String>,
}

impl FileStoreArgs {
    pub fn store(&self) -> Result<db::files::FileStore, String> {
        let store = match &self.files_bucket {
            Some(bucket) => db::files::FileStore::s3(db::files::AmazonS3Builder::from_env().with_bucket_name(bucket)),
            None => db::files::FileStore::local(&self.files_dir),
        };
        store.map_err(|e| format!("the file store ({}): {e}", self.describe()))
    }

    /// Where the files go, for messages.
    pub fn describe(&self) -> String {
        match &self.files_bucket {
            Some(bucket) => format!("bucket {bucket}"),
            None => self.files_dir.display().to_string(),
        }
    }
}
