//! A project-local PostgreSQL cluster under `.data/`: its own port on 127.0.0.1, its own
//! socket directory, no system service. As root, the server runs as the `postgres` user
//! (PostgreSQL refuses to run as root).

use std::path::PathBuf;
use std::process::Command;

use crate::{root, sh, Result};

pub struct Cluster {
    /// `.data/<name>`: holds `data/` (the cluster) and `server.log`.
    home: PathBuf,
    port: u16,
    /// The test cluster trades durability for speed.
    fast: bool,
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// `.data/<name>` in the project; when the project sits where the `postgres` user cannot reach
/// (under /root, say), a directory named after the project's path under /var/tmp instead.
fn home(name: &str) -> PathBuf {
    let local = root().join(".data").join(name);
    let reachable = !is_root()
        || Command::new("runuser")
            .args(["-u", "postgres", "--", "test", "-x"])
            .arg(root())
            .status()
            .is_ok_and(|s| s.success());
    if reachable {
        return local;
    }
    let tag: String =
        root().to_string_lossy().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    PathBuf::from("/var/tmp").join(format!("zhucun{tag}")).join(name)
}

/// The directory of PostgreSQL's server binaries, newest version first.
fn bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

/// Installs Debian's PostgreSQL when its server binaries are absent.
pub fn ensure_installed() -> Result {
    if bin_dir().is_some() {
        return Ok(());
    }
    if !is_root() {
        return Err("PostgreSQL is not installed: run `apt-get install postgresql` as root, or set DATABASE_URL".into());
    }
    println!("xtask: installing PostgreSQL from Debian's packages");
    sh(Command::new("apt-get").arg("update").arg("-q"))?;
    sh(Command::new("apt-get").args(["install", "-y", "-q", "postgresql"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    bin_dir().map(|_| ()).ok_or_else(|| "PostgreSQL's binaries are still missing after the install".into())
}

impl Cluster {
    pub fn dev() -> Cluster {
        Cluster { home: home("pg"), port: 54320, fast: false }
    }

    pub fn test() -> Cluster {
        Cluster { home: home("pg-test"), port: 54321, fast: true }
    }

    /// The test cluster's streaming standby (the read replica's tests).
    pub fn standby() -> Cluster {
        Cluster { home: home("pg-standby"), port: 54322, fast: true }
    }

    fn data(&self) -> PathBuf {
        self.home.join("data")
    }

    /// A PostgreSQL tool, run as `postgres` when we are root.
    fn tool(&self, name: &str) -> Result<Command> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed")?.join(name);
        Ok(if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin);
            c
        } else {
            Command::new(bin)
        })
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn running(&self) -> Result<bool> {
        let out = self.tool("pg_ctl")?.arg("status").arg("-D").arg(self.data()).output().map_err(|e| e.to_string())?;
        Ok(out.status.success())
    }

    /// Creates the cluster if needed, starts it if stopped, ensures the `zhucun` database, and
    /// returns its URL (the dev cluster) or the maintenance database's (the test cluster).
    pub fn start(&self) -> Result<String> {
        if !self.data().join("PG_VERSION").exists() {
            std::fs::create_dir_all(&self.home).map_err(|e| e.to_string())?;
            if is_root() {
                sh(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&self.home))?;
            }
            println!("xtask: creating a PostgreSQL cluster in {}", self.data().display());
            sh(self.tool("initdb")?.arg("-D").arg(self.data()).args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]))?;
        }
        self.launch()?;
        if self.fast {
            return Ok(self.url("postgres"));
        }
        if !self.has_database("zhucun")? {
            self.psql(&["-c", "CREATE DATABASE zhucun"])?;
        }
        Ok(self.url("zhucun"))
    }

    /// Makes this cluster a streaming standby of `primary` (a base backup, taken once), starts
    /// it, and returns its maintenance database's URL.
    pub fn start_standby_of(&self, primary: &Cluster) -> Result<String> {
        // A standby of an earlier cluster (the primary's data was made anew) is made anew too.
        if self.data().join("PG_VERSION").exists() && self.system_id()? != primary.system_id()? {
            self.stop()?;
            std::fs::remove_dir_all(self.data()).map_err(|e| format!("{}: {e}", self.data().display()))?;
        }
        if !self.data().join("PG_VERSION").exists() {
            std::fs::create_dir_all(&self.home).map_err(|e| e.to_string())?;
            if is_root() {
                sh(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&self.home))?;
            }
            println!("xtask: making {} a standby of the cluster on port {}", self.data().display(), primary.port);
            sh(self
                .tool("pg_basebackup")?
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &primary.port.to_string(),
                    "-U",
                    "postgres",
                    "-X",
                    "stream",
                    "-R",
                    "-D",
                ])
                .arg(self.data()))?;
        }
        self.launch()?;
        Ok(self.url("postgres"))
    }

    /// The cluster's system identifier (a standby has its primary's).
    fn system_id(&self) -> Result<String> {
        let out = self.tool("pg_controldata")?.arg(self.data()).output().map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("Database system identifier:").map(|v| v.trim().to_string()))
            .ok_or_else(|| format!("pg_controldata {}: no system identifier", self.data().display()))
    }

    /// Starts the server unless it runs.
    fn launch(&self) -> Result {
        if !self.running()? {
            let mut opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.home.display());
            if self.fast {
                opts.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
                // WAL kept for a standby that was stopped while the tests ran on.
                opts.push_str(" -c wal_keep_size=1024");
            }
            sh(self
                .tool("pg_ctl")?
                .args(["start", "-w", "-t", "60", "-D"])
                .arg(self.data())
                .arg("-l")
                .arg(self.home.join("server.log"))
                .args(["-o", &opts]))?;
        }
        Ok(())
    }

    pub fn stop(&self) -> Result {
        if self.data().join("PG_VERSION").exists() && self.running()? {
            sh(self.tool("pg_ctl")?.args(["stop", "-m", "fast", "-D"]).arg(self.data()))?;
        }
        Ok(())
    }

    fn psql(&self, args: &[&str]) -> Result<String> {
        let out = self
            .tool("psql")?
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres", "-tA"])
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("psql {args:?}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn has_database(&self, name: &str) -> Result<bool> {
        Ok(self.psql(&["-c", &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'")])? == "1")
    }

    /// Drops the databases earlier test runs left behind.
    pub fn drop_databases_like(&self, prefix: &str) -> Result {
        let names = self.psql(&["-c", &format!("SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'")])?;
        for name in names.lines().filter(|l| !l.is_empty()) {
            self.psql(&["-c", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])?;
        }
        Ok(())
    }

    pub fn recreate_database(&self, name: &str) -> Result {
        self.psql(&["-c", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])?;
        self.psql(&["-c", &format!("CREATE DATABASE {name}")])?;
        Ok(())
    }
}
