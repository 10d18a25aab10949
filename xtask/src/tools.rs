//! Installs the build and test tools a fresh machine lacks, each at the version this project
//! needs: wasm-bindgen-cli at the version in Cargo.lock, wasm-opt from npm's `binaryen` (Debian's
//! is too old for release wasm), esbuild from npm (minifies the release glue and stylesheet),
//! cargo-nextest, leptosfmt, s3s-fs (an S3 server for the file store's tests), Debian's Chromium, the
//! browser tests' npm packages, and Lighthouse for the benchmarks. (No cargo-leptos: compiling it took 14 minutes; `site.rs` builds the site.)

use std::path::PathBuf;
use std::process::Command;

use crate::pg::is_root;
use crate::{root, sh, Result};

const BINARYEN: &str = "132.0.0";
const ESBUILD: &str = "0.28.2";
const NEXTEST: &str = "0.9.143";
const LIGHTHOUSE: &str = "12.2.3";
/// Formats the `view!` macros, which rustfmt leaves alone.
const LEPTOSFMT: &str = "0.1.33";
/// The newest s3s-fs that builds on rustc 1.95.
const S3S_FS: &str = "0.14.1";

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).env("PATH", path()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin")
}

fn npm_tools() -> PathBuf {
    root().join(".data/tools")
}

/// PATH with cargo's bin directory and the project's npm tools in front.
fn path() -> std::ffi::OsString {
    let mut dirs = vec![cargo_bin(), npm_tools().join("node_modules/.bin")];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn apt_install(packages: &[&str]) -> Result {
    if !is_root() {
        return Err(format!("missing Debian packages {packages:?}: install them as root"));
    }
    sh(Command::new("apt-get").args(["update", "-q"]))?;
    sh(Command::new("apt-get").args(["install", "-y", "-q"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive"))
}

pub fn ensure_build_tools(release: bool) -> Result {
    if !output("rustup", &["target", "list", "--installed"]).is_some_and(|s| s.contains("wasm32-unknown-unknown")) {
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let wb = locked_wasm_bindgen()?;
    if output("wasm-bindgen", &["--version"]).is_none_or(|s| s.split_whitespace().nth(1) != Some(wb.as_str())) {
        println!("xtask: installing wasm-bindgen-cli {wb} (about 2 minutes on 2 cores)");
        sh(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]))?;
    }
    if output("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    if release {
        npm_tool("wasm-opt", "binaryen", BINARYEN)?;
        npm_tool("esbuild", "esbuild", ESBUILD)?;
    }
    Ok(())
}

/// Lighthouse for the benchmarks: 12.2.3 is the newest that runs on Node 20.
pub fn ensure_lighthouse() -> Result {
    npm_tool("lighthouse", "lighthouse", LIGHTHOUSE)
}

/// Installs an npm package into the project's tools directory unless its command is there.
fn npm_tool(command: &str, package: &str, version: &str) -> Result {
    if npm_tools().join("node_modules/.bin").join(command).exists() {
        return Ok(());
    }
    println!("xtask: installing {command} ({package} {version} from npm)");
    std::fs::create_dir_all(npm_tools()).map_err(|e| e.to_string())?;
    sh(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(npm_tools())
        .arg(format!("{package}@{version}")))
}

/// cargo-nextest, which these machines come with; installed where one does not.
pub fn ensure_test_runner() -> Result {
    if output("cargo", &["nextest", "--version"]).is_none() {
        println!("xtask: installing cargo-nextest {NEXTEST}");
        sh(Command::new("cargo").args(["install", "cargo-nextest", "--version", NEXTEST, "--locked"]))?;
    }
    Ok(())
}

/// rustfmt and leptosfmt, for `cargo xtask fmt` and the format check that opens the tests.
pub fn ensure_formatters() -> Result {
    if output("cargo", &["fmt", "--version"]).is_none() {
        sh(Command::new("rustup").args(["component", "add", "rustfmt"]))?;
    }
    if output("leptosfmt", &["--version"]).is_none_or(|s| !s.contains(LEPTOSFMT)) {
        println!("xtask: installing leptosfmt {LEPTOSFMT} (about 2 minutes on 2 cores)");
        sh(Command::new("cargo").args(["install", "leptosfmt", "--version", LEPTOSFMT, "--locked"]))?;
    }
    Ok(())
}

/// s3s-fs, an S3 server over a directory, for the file store's S3 tests.
pub fn ensure_s3_server() -> Result {
    if output("s3s-fs", &["--version"]).is_none_or(|s| !s.contains(S3S_FS)) {
        println!("xtask: installing s3s-fs {S3S_FS} (an S3 server for the tests)");
        sh(Command::new("cargo").args(["install", "s3s-fs", "--version", S3S_FS, "--features", "binary", "--locked"]))?;
    }
    Ok(())
}

pub fn ensure_browser_tools() -> Result {
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium", "fonts-noto-cjk"])?;
    }
    let e2e = root().join("end2end");
    if ["playwright-core", "@axe-core/playwright"].iter().any(|m| !e2e.join("node_modules").join(m).exists()) {
        sh(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(e2e))?;
    }
    Ok(())
}

/// A command that finds the installed tools (wasm-bindgen, wasm-opt) on its PATH.
pub fn with_path(mut c: Command) -> Command {
    c.env("PATH", path());
    c
}

pub fn npx(args: &[&str]) -> Command {
    let mut c = Command::new("npx");
    c.args(args).env("PATH", path());
    c
}
