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

    /// Directory of the file store: photos' and attached files' bytes, by their sha256 (the
    /// database keeps their metadata). Back it up with the database: `zhucun backup`.
    #[arg(long, env = "ZHUCUN_FILES_DIR", default_value = ".data/files")]
    pub files_dir: std::path::PathBuf,

    /// Database connections kept in the pool.
    #[arg(long, env = "ZHUCUN_DB_CONNECTIONS", default_value_t = 10)]
    pub db_connections: u32,
}

impl Config {
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}
