#![recursion_limit = "256"]
//! `zhucun`: the 驻村通 server and its operator commands.

use clap::{Parser, Subcommand};
use tower_sessions::ExpiredDeletion;
use tracing_subscriber::EnvFilter;

use server::config::FileStoreArgs;
use server::Config;

#[derive(Parser)]
#[command(name = "zhucun", version, about = "驻村通: first-secretary field reporting, attendance and evaluation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (migrates the database first).
    Serve(Config),
    /// Apply the database migrations.
    Migrate(DbArgs),
    /// Seed data; `--demo` adds the demo city (枣庄市: 峄城区 and 薛城区) unless it is there;
    /// `--history` also gives it a lived-in year up to now (records, attendance, the evaluation
    /// under way).
    Seed {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        demo: bool,
        #[arg(long, requires = "demo")]
        history: bool,
    },
    /// Compute year-end evaluations from a JSON description of the year (schema and example in
    /// docs/evaluation.md) and print the itemized results as JSON: the server's own engine, so
    /// a result can be recomputed by hand. FILE `-` reads standard input.
    Evaluate { file: std::path::PathBuf },
    /// The audit log's integrity.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Add a snapshot of the database and its files to DIR: the database of one moment
    /// (pg_dump) with a manifest of its rows, files and audit chain, and the file store's files
    /// not yet in DIR. `DATABASE_URL` names the database's owner. See docs/operations.md.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        files: FileStoreArgs,
        dir: std::path::PathBuf,
    },
    /// Restore the newest snapshot in DIR (or `--snapshot NAME`) into the new, empty database
    /// `DATABASE_URL` names and its files into the file store, and check both against the
    /// manifest (rows, each file's bytes against its hash, the audit chain recomputed).
    Restore {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        files: FileStoreArgs,
        dir: std::path::PathBuf,
        #[arg(long)]
        snapshot: Option<String>,
    },
    /// The file store of photos' and attached files' bytes.
    #[command(subcommand)]
    Files(FilesCommand),
    /// Create a system administrator (the first account of a new installation).
    CreateAdmin {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
        /// The password; read from the environment so it stays out of shell history.
        #[arg(long, env = "ZHUCUN_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the audit log's hash chain: prints its length and head hash (note it
    /// somewhere else: later checks then prove nothing up to it was rewritten), or the first
    /// broken entry (exit status 1).
    Verify(DbArgs),
}

#[derive(Subcommand)]
enum FilesCommand {
    /// Move the bytes of photos still kept in the database into the file store, each checked
    /// against its hash after writing; safe to stop and to run again.
    MoveOut {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        files: FileStoreArgs,
    },
}

#[derive(clap::Args)]
struct DbArgs {
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if std::env::var("ZHUCUN_LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    match Cli::parse().command {
        Command::Serve(config) => serve(config).await,
        Command::Migrate(a) => {
            db::migrate(&a.database_url).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Audit(AuditCommand::Verify(a)) => {
            use db::audit::Verified;
            let pool = db::connect(&a.database_url, 2).await?;
            match db::audit::verify(&pool).await? {
                Verified::Intact(chain) => {
                    println!("audit log intact: {} entries, head {}", chain.len, domain::audit::hex(&chain.head));
                    Ok(())
                }
                Verified::Broken { seq, id, problem, good } => {
                    println!(
                        "audit log BROKEN at entry {seq} (id {id}): {problem}; entries 1–{} are intact, head {}",
                        good.len,
                        domain::audit::hex(&good.head)
                    );
                    std::process::exit(1)
                }
            }
        }
        Command::Backup { db: a, files, dir } => {
            let started = std::time::Instant::now();
            let taken = db::backup::backup(&a.database_url, &files.store()?, &dir).await?;
            let m = &taken.manifest;
            println!(
                "backed up {} rows of {} tables, {} files ({} new), {} audit entries (head {}), as {} in {:.1} s",
                m.rows.values().sum::<i64>(),
                m.rows.len(),
                m.files,
                taken.new_files,
                m.audit_entries,
                m.audit_head,
                taken.snapshot.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { db: a, files, dir, snapshot } => {
            let started = std::time::Instant::now();
            let m = db::backup::restore(&a.database_url, &files.store()?, &dir, snapshot.as_deref()).await?;
            println!(
                "restored and checked {} rows, {} files and {} audit entries (head {}) in {:.1} s",
                m.rows.values().sum::<i64>(),
                m.files,
                m.audit_entries,
                m.audit_head,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Files(FilesCommand::MoveOut { db: a, files }) => {
            let pool = db::connect(&a.database_url, 2).await?;
            let moved = db::photos::move_out(&pool, &files.store()?, 100).await?;
            println!("moved {} files into {}", moved.moved, files.describe());
            if !moved.mismatched.is_empty() {
                println!("left in the database, their bytes not matching their hash: {}", moved.mismatched.join(", "));
                std::process::exit(1)
            }
            Ok(())
        }
        Command::Seed { db: a, demo, history } => {
            let pool = db::connect(&a.database_url, 2).await?;
            if !demo {
                return Err("nothing to seed: pass --demo".into());
            }
            if db::seed::demo(&pool).await? {
                println!("Seeded the demo city 枣庄市 ({}).", db::seed::DEMO_DISTRICTS.join("、"));
            } else {
                println!("The demo city is already there.");
            }
            if history {
                let now = chrono::Utc::now();
                if db::seed::history(&pool, now).await? {
                    println!("Added the demo districts' records up to {now} (this morning's check-ins included).");
                }
            }
            // The dashboards' figures, ready before the server starts.
            let n = db::dashboard::refresh_all(&pool).await?;
            println!("Computed the dashboards' figures of {n} postings.");
            println!("Demo logins (password {}):", db::seed::DEMO_PASSWORD);
            for (user, role) in db::seed::DEMO_LOGINS {
                println!("  {user:<12} {}", role.label(domain::Lang::Zh));
            }
            Ok(())
        }
        Command::Evaluate { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)?
            };
            let input: domain::evaluation::Input = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not a valid evaluation input: {e}", file.display()))?;
            println!("{}", serde_json::to_string_pretty(&domain::evaluation::evaluate(&input))?);
            Ok(())
        }
        Command::CreateAdmin { db: a, username, name, password } => {
            let pool = db::connect(&a.database_url, 2).await?;
            let id = db::accounts::create_first_admin(&pool, &username, &name, &password).await?;
            println!("created system administrator {username} (#{id})");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(e) = app::bundle_error(&config.site_root) {
        return Err(e.into());
    }
    if !config.skip_migrations {
        db::migrate(&config.database_url).await?;
    }
    let ballot_key = server::secret::load_or_create(&config.secret_file)?;
    let pool = db::connect(&config.database_url, config.db_connections).await?;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    tokio::spawn(store.continuously_delete_expired(tokio::time::Duration::from_secs(3600)));
    server::spawn_refresher(pool.clone());
    let files = config.files.store()?;
    let mut stores = server::Stores::new(pool, files);
    if let Some(url) = &config.replica_url {
        stores.reads = db::connect_lazy(url, config.db_connections)?;
    }
    let app = server::router(stores, &config, ballot_key);
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!(addr = %config.addr, "serving 驻村通");
    // Clients' addresses reach the handlers (the ballot's attempts are counted per address).
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}
