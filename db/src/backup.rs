//! Backups that restore (issue 16). `zhucun backup DIR` adds a snapshot to DIR:
//!
//! - `DIR/<time>/zhucun.dump`: the database as of one moment (`pg_dump`, custom format), and
//!   `DIR/<time>/manifest.json`: what that same moment held — every table's row count, the
//!   audit chain's length and head, a digest of the stored files' hashes;
//! - `DIR/files/ab/cd/<sha256>`: the file store's files the database names, copied only if not
//!   there yet (a file never changes), so every snapshot after the first copies only new ones.
//!
//! `zhucun restore DIR` loads the newest snapshot (or a named one) into an empty database and
//! its files into the file store, and checks the result against the manifest: rows, files
//! (each one's bytes against its hash) and the audit chain recomputed entry by entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use sqlx::{Connection, PgConnection};

use crate::files::{sha256, FileStore, FilesError};

/// What a backup holds, counted at the dump's own moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The last migration applied.
    pub migration: i64,
    /// Rows of every table of the schemas the application uses.
    pub rows: BTreeMap<String, i64>,
    /// The audit log's hash chain: its length and head (hex).
    pub audit_entries: i64,
    pub audit_head: String,
    /// sha256 over the stored files' hashes in order (each file is named by its own sha256).
    pub files_digest: String,
    /// Files the store holds for the database (their bytes no longer in a row).
    #[serde(default)]
    pub files: i64,
    /// Files the store could not give whole when the backup was taken (missing, or bytes not
    /// matching their hash): named, not copied; the rest of the snapshot is good.
    #[serde(default)]
    pub unreadable: Vec<String>,
    /// The moment of the snapshot (the transaction's own clock).
    pub taken_at: chrono::DateTime<chrono::Utc>,
}

/// Why a backup or a restore did not happen or does not match.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Tool(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Files(#[from] FilesError),
    #[error("the manifest: {0}")]
    Manifest(#[from] serde_json::Error),
    #[error("no snapshot in {0}")]
    NoSnapshot(PathBuf),
    #[error("the snapshot {0} was written, but these files could not be read from the store: {1}")]
    Unreadable(PathBuf, String),
    #[error("the target database is not empty ({0} tables): restore only into a new database")]
    NotEmpty(i64),
    #[error("the restored database differs from the backup: {0}")]
    Differs(String),
}

const DUMP: &str = "zhucun.dump";
const MANIFEST: &str = "manifest.json";
const FILES: &str = "files";

/// Counts what the database holds, in the transaction's snapshot.
async fn manifest(conn: &mut PgConnection) -> Result<Manifest, BackupError> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'tower_sessions') ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = BTreeMap::new();
    for (schema, table) in tables {
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM \"{schema}\".\"{table}\"")).fetch_one(&mut *conn).await?;
        rows.insert(format!("{schema}.{table}"), n);
    }
    let migration: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations").fetch_one(&mut *conn).await?;
    let (audit_entries, audit_head): (i64, Option<Vec<u8>>) =
        sqlx::query_as("SELECT count(*), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) FROM audit_log")
            .fetch_one(&mut *conn)
            .await?;
    let (files_digest, files, taken_at): (String, i64, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "SELECT encode(sha256(convert_to(coalesce(string_agg(hash, ',' ORDER BY hash), ''), 'UTF8')), 'hex'),
                count(*) FILTER (WHERE bytes IS NULL), now()
           FROM photos",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Manifest {
        migration,
        rows,
        audit_entries,
        audit_head: domain::audit::hex(&audit_head.unwrap_or_default()),
        files_digest,
        files,
        unreadable: Vec::new(),
        taken_at,
    })
}

/// The files the store holds for the database (hash and size), as of the transaction's
/// snapshot.
async fn stored_files(conn: &mut PgConnection) -> Result<Vec<(String, i32)>, BackupError> {
    Ok(sqlx::query_as("SELECT hash, size FROM photos WHERE bytes IS NULL ORDER BY hash").fetch_all(&mut *conn).await?)
}

/// Runs `pg_dump` or `pg_restore`. Errors name the program, not its arguments: the database's
/// URL may carry a password (better kept in `PGPASSWORD` or `~/.pgpass`, which they read).
fn run(cmd: &mut Command) -> Result<(), BackupError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().map_err(|e| BackupError::Tool(format!("{program}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool(format!("{program}: {}", String::from_utf8_lossy(&out.stderr).trim())))
    }
}

/// Writes `bytes` to `to` whole: a temporary file, flushed, then renamed.
fn write_whole(to: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    use std::io::Write;
    let part = to.with_extension("part");
    let mut file = std::fs::File::create(&part)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&part, to)?;
    Ok(())
}

/// A file's place in the backup's `files/` (the store's own layout).
fn backed_up(dir: &Path, hash: &str) -> PathBuf {
    dir.join(FILES).join(&hash[..2]).join(&hash[2..4]).join(hash)
}

/// How a backup went.
#[derive(Debug)]
pub struct Taken {
    pub manifest: Manifest,
    /// The snapshot's directory.
    pub snapshot: PathBuf,
    /// Files copied this time (the others were there from an earlier snapshot).
    pub new_files: usize,
}

/// Adds a snapshot of the database `url` names (its owner) and of the files `files` holds for
/// it to `dir`: the dump, the manifest and the file list all of one moment (a transaction whose
/// snapshot the dump reads).
pub async fn backup(url: &str, files: &FileStore, dir: &Path) -> Result<Taken, BackupError> {
    let mut conn = PgConnection::connect(url).await?;
    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut conn).await?;
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut conn).await?;
    let mut manifest = manifest(&mut conn).await?;
    let stored = stored_files(&mut conn).await?;
    std::fs::create_dir_all(dir)?;
    let at = dir.join(manifest.taken_at.format("%Y%m%dT%H%M%S%.6fZ").to_string());
    // A directory of its own: never another snapshot's.
    std::fs::create_dir(&at)?;
    let mut pg_dump = Command::new("pg_dump");
    pg_dump.args(["--format=custom", "--snapshot", &snapshot, "--file"]).arg(at.join(DUMP)).arg(url);
    let dumped = tokio::task::spawn_blocking(move || run(&mut pg_dump))
        .await
        .map_err(|e| BackupError::Tool(format!("pg_dump: {e}")))?;
    sqlx::query("COMMIT").execute(&mut conn).await?;
    dumped?;
    let mut new_files = 0;
    for (hash, size) in &stored {
        let to = backed_up(dir, hash);
        // A file an earlier snapshot copied whole is kept (a torn copy has the wrong length).
        if std::fs::metadata(&to).is_ok_and(|m| i64::try_from(m.len()).is_ok_and(|n| n == i64::from(*size))) {
            continue;
        }
        match files.get(hash).await {
            Ok(Some(bytes)) => {
                let parent = to.parent().ok_or_else(|| BackupError::Tool(format!("{}: no parent", to.display())))?;
                std::fs::create_dir_all(parent)?;
                write_whole(&to, &bytes)?;
                new_files += 1;
            }
            Ok(None) | Err(FilesError::Corrupt(_)) => manifest.unreadable.push(hash.clone()),
            Err(e) => return Err(e.into()),
        }
    }
    // Written last: a snapshot without its manifest is one that did not finish.
    write_whole(&at.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
    if !manifest.unreadable.is_empty() {
        return Err(BackupError::Unreadable(at, manifest.unreadable.join(", ")));
    }
    Ok(Taken { manifest, snapshot: at, new_files })
}

/// The newest finished snapshot in `dir` (names sort by time).
fn newest(dir: &Path) -> Result<PathBuf, BackupError> {
    let mut snapshots: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| Some(e.ok()?.path())).filter(|p| p.join(MANIFEST).is_file()).collect();
    snapshots.sort();
    snapshots.pop().ok_or_else(|| BackupError::NoSnapshot(dir.to_path_buf()))
}

/// Loads a snapshot of the backup in `dir` (the newest unless `snapshot` names one) into the
/// empty database `url` names and its files into `files`, then checks them: the same rows and
/// audit chain as the manifest says (the chain recomputed entry by entry), every file there
/// with the bytes its hash names.
pub async fn restore(
    url: &str,
    files: &FileStore,
    dir: &Path,
    snapshot: Option<&str>,
) -> Result<Manifest, BackupError> {
    let at = match snapshot {
        Some(name) => dir.join(name),
        None => newest(dir)?,
    };
    let expected: Manifest = serde_json::from_slice(&std::fs::read(at.join(MANIFEST))?)?;
    let mut conn = PgConnection::connect(url).await?;
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'tower_sessions')")
            .fetch_one(&mut conn)
            .await?;
    if tables > 0 {
        return Err(BackupError::NotEmpty(tables));
    }
    // The application's role belongs to the cluster: a new one may not have it yet (creating
    // it needs CREATEROLE, which an owner without it is not asked for when the role exists).
    let has_role: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhucun_app')")
        .fetch_one(&mut conn)
        .await?;
    if !has_role {
        sqlx::query("CREATE ROLE zhucun_app NOLOGIN").execute(&mut conn).await?;
    }
    let dump = at.join(DUMP);
    let target = url.to_string();
    tokio::task::spawn_blocking(move || {
        run(Command::new("pg_restore")
            .args(["--exit-on-error", "--single-transaction", "--dbname"])
            .arg(&target)
            .arg(&dump))
    })
    .await
    .map_err(|e| BackupError::Tool(format!("pg_restore: {e}")))??;
    let found = manifest(&mut conn).await?;
    let mut differences = Vec::new();
    for (hash, _) in stored_files(&mut conn).await? {
        match std::fs::read(backed_up(dir, &hash)) {
            Ok(bytes) if sha256(&bytes) == hash => files.put(&hash, &bytes).await?,
            // Known to be lost when the backup was taken (and reported then).
            _ if expected.unreadable.contains(&hash) => tracing::warn!(hash, "a file the backup could not read"),
            Ok(_) => differences.push(format!("file {hash}: its bytes do not match its hash")),
            Err(e) => differences.push(format!("file {hash}: {e}")),
        }
    }
    if found.migration != expected.migration {
        differences.push(format!("migration {} ≠ {}", found.migration, expected.migration));
    }
    for (table, n) in &expected.rows {
        let got = found.rows.get(table).copied().unwrap_or(-1);
        if got != *n {
            differences.push(format!("{table}: {got} rows ≠ {n}"));
        }
    }
    if (found.audit_entries, &found.audit_head) != (expected.audit_entries, &expected.audit_head) {
        differences.push("the audit chain's length or head".into());
    }
    if (&found.files_digest, found.files) != (&expected.files_digest, expected.files) {
        differences.push("the stored files".into());
    }
    conn.close().await?;
    let pool = crate::connect(url, 2).await?;
    match crate::audit::verify(&pool).await.map_err(|e| BackupError::Tool(e.to_string()))? {
        crate::audit::Verified::Intact(chain) if chain.len == expected.audit_entries => {}
        _ => differences.push("the audit chain does not verify".into()),
    }
    if differences.is_empty() {
        Ok(found)
    } else {
        Err(BackupError::Differs(differences.join("; ")))
    }
}
