//! `cargo xtask run` and `cargo xtask test`: the project's two commands.
//!
//! Both install what a fresh Debian machine lacks (wasm target, the matching wasm-bindgen-cli,
//! wasm-opt and esbuild from npm, PostgreSQL, Chromium, the browser tests' npm packages), start a
//! project-local PostgreSQL cluster under `.data/` unless `DATABASE_URL` is set, and then
//! serve or test. Only the standard library is used so that this compiles in seconds.

mod budget;
mod field;
mod pg;
mod site;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [--dev]     install what is missing, start PostgreSQL, migrate, seed the demo district,
                  build (release unless --dev) and serve on http://127.0.0.1:3000
  test            check the formatting, then run every test: unit, integration (real
                  PostgreSQL) and browser (Chromium)
  fmt [--check]   format the Rust code and the `view!` macros (rustfmt, leptosfmt)
  bench           run the benchmarks (results belong in docs/benchmarks.md)
  budget          build the office bundle as release does and check it against its budget
  site [--release]   build the server and the site (office bundle, stylesheet, field app)
  pg-start [--test]  start the project-local PostgreSQL cluster (or the tests' one and its
                  streaming standby) and print its URL
  pg-stop         stop the project-local PostgreSQL clusters";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(args.iter().any(|a| a == "--dev")),
        Some("test") => test(),
        Some("fmt") => tools::ensure_formatters().and_then(|()| fmt(args.iter().any(|a| a == "--check"))),
        Some("bench") => bench(),
        Some("budget") => tools::ensure_build_tools(true).and_then(|()| budget::check()),
        Some("site") => {
            let release = args.iter().any(|a| a == "--release");
            tools::ensure_build_tools(release).and_then(|()| site::build(release))
        }
        Some("pg-start") if args.iter().any(|a| a == "--test") => test_clusters().map(|(url, standby)| {
            eprintln!("xtask: its standby: {standby}");
            println!("{url}")
        }),
        Some("pg-start") => pg::Cluster::dev().start().map(|url| println!("{url}")),
        Some("pg-stop") => pg::Cluster::dev().stop().and(pg::Cluster::standby().stop()).and(pg::Cluster::test().stop()),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs a command to completion in the workspace root, failing on a non-zero exit.
pub fn sh(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd.current_dir_if_unset().status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed: {status}"))
    }
}

trait CommandExt {
    fn current_dir_if_unset(&mut self) -> &mut Self;
}

impl CommandExt for Command {
    fn current_dir_if_unset(&mut self) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(root());
        }
        self
    }
}

fn database_url() -> Result<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Ok(url),
        _ => pg::Cluster::dev().start(),
    }
}

fn run(dev: bool) -> Result {
    tools::ensure_build_tools(!dev)?;
    pg::ensure_installed()?;
    let url = database_url()?;
    site::build(!dev)?;
    let bin = root().join("target").join(if dev { "debug" } else { "release" }).join("zhucun");
    let zhucun = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.args(args)
            .env("DATABASE_URL", &url)
            .env("ZHUCUN_SITE_ROOT", site::site_root())
            .env("ZHUCUN_SECRET_FILE", root().join(".data/secret"));
        c
    };
    sh(&mut zhucun(&["migrate"]))?;
    sh(&mut zhucun(&["seed", "--demo", "--history"]))?;
    println!("\n驻村通 is starting on http://127.0.0.1:3000  (Ctrl-C stops it; data stays in .data/)\n");
    sh(&mut zhucun(&["serve"]))
}

/// Formats (or with `check`, checks) the views with leptosfmt (`leptosfmt.toml`) and then the
/// Rust code with rustfmt, which leaves the macros as leptosfmt wrote them.
fn fmt(check: bool) -> Result {
    const HINT: &str = "the code is not formatted: run `cargo xtask fmt`";
    if check {
        leptosfmt(true).map_err(|e| format!("{e}\n{HINT}"))?;
        return sh(Command::new("cargo").args(["fmt", "--all", "--check"])).map_err(|e| format!("{e}\n{HINT}"));
    }
    // leptosfmt 0.1.33 settles some views only on a second pass.
    leptosfmt(false)?;
    leptosfmt(false)?;
    sh(Command::new("cargo").args(["fmt", "--all"]))
}

/// leptosfmt over the crates with views. It only reports a file it cannot parse (its exit
/// status stays 0), so its report is read for that too.
fn leptosfmt(check: bool) -> Result {
    let out = tools::with_path(Command::new("leptosfmt"))
        .args(["app", "field", "frontend", if check { "--check" } else { "--quiet" }])
        .current_dir(root())
        .output()
        .map_err(|e| format!("leptosfmt: {e}"))?;
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() && !report.lines().any(|l| l.starts_with('❌')) {
        return Ok(());
    }
    // The files it passed are left out: what is left is the diffs and the failures.
    report.lines().filter(|l| !l.starts_with('✅')).for_each(|l| eprintln!("{l}"));
    Err("leptosfmt found views it could not format or that are not formatted".into())
}

fn test() -> Result {
    let started = Instant::now();
    // The cheapest check first: a change that is not formatted fails in seconds.
    tools::ensure_formatters()?;
    fmt(true)?;
    // Release tools too: the office bundle's budget is checked on a release build.
    tools::ensure_build_tools(true)?;
    tools::ensure_test_runner()?;
    tools::ensure_s3_server()?;
    tools::ensure_browser_tools()?;
    pg::ensure_installed()?;
    let cluster = pg::Cluster::test();
    let (admin_url, standby_url) = test_clusters()?;
    cluster.drop_databases_like("zhucun_t_")?;
    let s3 = S3Server::start()?;

    // Unit and integration tests, each in a process of its own with a time limit
    // (`.config/nextest.toml`); each integration test makes its own database. The browser
    // crates are left out: building them with the server's features would mix SSR, hydration
    // and client rendering.
    sh(Command::new("cargo")
        .args(["nextest", "run", "--workspace", "--exclude", "frontend", "--exclude", "field", "--locked"])
        .env("ZHUCUN_TEST_DATABASE_URL", &admin_url)
        .env("ZHUCUN_TEST_REPLICA_URL", &standby_url)
        .envs(s3.env()))?;
    drop(s3);

    // Browser tests against a freshly seeded database and the real binary.
    site::build(false)?;
    let e2e_db = "zhucun_e2e";
    let addr = "127.0.0.1:3100";
    let server = serve_seeded(&cluster, e2e_db, "debug", addr)?;
    let e2e = sh(tools::npx(&["playwright", "test"])
        .current_dir(root().join("end2end"))
        .env("BASE_URL", format!("http://{addr}"))
        .env("ZHUCUN_E2E_DATABASE_URL", cluster.url(e2e_db)));
    drop(server);
    e2e?;
    budget::check()?;
    println!("xtask: all tests passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The tests' cluster and its streaming standby (the read replica's tests), started: their
/// maintenance databases' URLs.
fn test_clusters() -> Result<(String, String)> {
    let primary = pg::Cluster::test();
    let url = primary.start()?;
    Ok((url, pg::Cluster::standby().start_standby_of(&primary)?))
}

/// Benchmarks run on the durable cluster (fsync on), as production would, in throw-away
/// databases: the server's (`cargo bench`: ingest, board, evaluation, dashboard, reference,
/// and the province's evening peak against the release binary), then the field app in
/// Chromium against a release build (first-load size, 1,000 records under Slow 3G, the office
/// pages' first loads), and Lighthouse on the pages issue 12 budgets.
fn bench() -> Result {
    tools::ensure_build_tools(true)?;
    tools::ensure_browser_tools()?;
    tools::ensure_lighthouse()?;
    pg::ensure_installed()?;
    let cluster = pg::Cluster::dev();
    cluster.start()?;
    cluster.drop_databases_like("zhucun_t_")?;
    let result = sh(Command::new("cargo")
        .args(["bench", "-p", "server", "--locked"])
        .env("ZHUCUN_TEST_DATABASE_URL", cluster.url("postgres")));
    cluster.drop_databases_like("zhucun_t_")?;
    result?;

    site::build(true)?;
    let addr = "127.0.0.1:3200";
    let server = serve_seeded(&cluster, "zhucun_bench", "release", addr)?;
    let result = sh(tools::npx(&["playwright", "test", "-c", "playwright.bench.config.ts"])
        .current_dir(root().join("end2end"))
        .env("BASE_URL", format!("http://{addr}"))
        .env("ZHUCUN_E2E_DATABASE_URL", cluster.url("zhucun_bench")))
    .and_then(|()| {
        sh(tools::with_path(Command::new("node"))
            .arg("bench/lighthouse.mjs")
            .current_dir(root().join("end2end"))
            .env("BASE_URL", format!("http://{addr}")))
    });
    drop(server);
    result
}

/// A freshly migrated and seeded database served by the built binary (`debug` or `release`)
/// on `addr`, until the returned guard is dropped.
fn serve_seeded(cluster: &pg::Cluster, db: &str, profile: &str, addr: &str) -> Result<Server> {
    cluster.recreate_database(db)?;
    let url = cluster.url(db);
    let bin = root().join("target").join(profile).join("zhucun");
    sh(Command::new(&bin).arg("migrate").env("DATABASE_URL", &url))?;
    sh(Command::new(&bin).args(["seed", "--demo"]).env("DATABASE_URL", &url))?;
    let server = Server(
        Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("ZHUCUN_ADDR", addr)
            .env("ZHUCUN_SITE_ROOT", site::site_root())
            .env("ZHUCUN_SECRET_FILE", root().join(".data/secret"))
            .env("RUST_LOG", "warn")
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?,
    );
    wait_ready(addr)?;
    Ok(server)
}

/// The S3 server of the file store's tests (s3s-fs over `.data/s3`, emptied at each start,
/// with the bucket `zhucun`), until dropped.
struct S3Server {
    process: Server,
    root: PathBuf,
}

impl S3Server {
    const ADDR: (&str, &str) = ("127.0.0.1", "54330");
    const KEY: &str = "zhucun-test";
    const SECRET: &str = "zhucun-test-secret";

    fn start() -> Result<S3Server> {
        let addr = format!("{}:{}", Self::ADDR.0, Self::ADDR.1);
        if std::net::TcpStream::connect(&addr).is_ok() {
            return Err(format!("{addr} is taken (an S3 server left from an earlier run?): stop it first"));
        }
        let root = root().join(".data/s3");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("zhucun")).map_err(|e| format!("{}: {e}", root.display()))?;
        let process = tools::with_path(Command::new("s3s-fs"))
            .args([
                "--host",
                Self::ADDR.0,
                "--port",
                Self::ADDR.1,
                "--access-key",
                Self::KEY,
                "--secret-key",
                Self::SECRET,
            ])
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("starting s3s-fs: {e}"))?;
        let mut server = S3Server { process: Server(process), root };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(&addr).is_err() {
            if Instant::now() > deadline || server.process.0.try_wait().is_ok_and(|s| s.is_some()) {
                return Err(format!("s3s-fs did not listen on {addr}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    fn env(&self) -> [(&'static str, String); 4] {
        [
            ("ZHUCUN_TEST_S3_ENDPOINT", format!("http://{}:{}", Self::ADDR.0, Self::ADDR.1)),
            ("ZHUCUN_TEST_S3_ROOT", self.root.display().to_string()),
            ("ZHUCUN_TEST_S3_KEY", Self::KEY.to_string()),
            ("ZHUCUN_TEST_S3_SECRET", Self::SECRET.to_string()),
        ]
    }
}

/// Kills the server when the browser tests are done or have failed.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_ready(addr: &str) -> Result {
    use std::io::{Read, Write};
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(addr) {
            let _ = s.write_all(b"GET /readyz HTTP/1.0\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("the server on {addr} did not become ready within 60 s"))
}
