//! Builds the site the server serves from `target/site/` with cargo, wasm-bindgen and wasm-opt,
//! the same tools the field app's build uses: no cargo-leptos to compile first (it took 14 of a
//! fresh machine's 31 minutes to serve). The result is the layout Leptos reads:
//!
//! - the server binary `target/<debug|release>/zhucun` and `hash.txt` beside it (`js: …`,
//!   `wasm: …`, `css: …`), which `HydrationScripts` and `app::document` read;
//! - the islands bundle `pkg/zhucun.<hash>.js` and `pkg/zhucun.<hash>.wasm` (wasm-opt -Oz and a
//!   minified glue in release), the stylesheet `pkg/zhucun.<hash>.css` (minified in release);
//! - the files of `public/` at the site's root;
//! - in release, brotli (best) and gzip copies beside the bundle files, sent as they are.
//!
//! `cargo leptos watch` still works for the office pages for those who have cargo-leptos
//! (`Cargo.toml` keeps its settings); the field app is built by this file only.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{field, root, sh, tools, Result};

pub fn site_root() -> PathBuf {
    root().join("target/site")
}

/// The server binary, the office bundle, the stylesheet and the public files; then the field app.
pub fn build(release: bool) -> Result {
    let started = std::time::Instant::now();
    sh(Command::new("cargo")
        .args(["build", "-p", "server", "--bin", "zhucun", "--locked", "--profile"])
        .arg(if release { "release" } else { "dev" }))?;
    let profile_dir = root().join("target").join(if release { "release" } else { "debug" });
    // Gone until the new bundle is in place: a failed build must not leave names of files
    // that no longer exist.
    let _ = std::fs::remove_file(profile_dir.join("hash.txt"));
    let wasm = wasm("frontend", release)?;
    let pkg = site_root().join("pkg");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let (js, wasm) = bindgen(&wasm, &pkg, "zhucun", release)?;
    let css = pkg.join("zhucun.css");
    if release {
        minify(&root().join("style/main.css"), &css)?;
    } else {
        std::fs::copy(root().join("style/main.css"), &css).map_err(|e| format!("style/main.css: {e}"))?;
    }
    let mut hashes = String::new();
    let mut named = Vec::new();
    for (kind, file) in [("js", js), ("wasm", wasm), ("css", css)] {
        let hash = content_hash(&file)?;
        let to = pkg.join(format!("zhucun.{hash}.{kind}"));
        std::fs::rename(&file, &to).map_err(|e| format!("{}: {e}", file.display()))?;
        hashes.push_str(&format!("{kind}: {hash}\n"));
        named.push(to);
    }
    if release {
        precompress(&named)?;
    }
    copy_dir(&root().join("public"), &site_root())?;
    std::fs::write(profile_dir.join("hash.txt"), hashes).map_err(|e| format!("hash.txt: {e}"))?;
    field::build(release)?;
    println!("xtask: site built in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Builds a browser crate's library for wasm32 (the `wasm-release` profile in release) and
/// returns the path of its `.wasm`.
pub fn wasm(package: &str, release: bool) -> Result<PathBuf> {
    let profile = if release { "wasm-release" } else { "dev" };
    sh(Command::new("cargo")
        .args(["build", "-p", package, "--lib", "--locked", "--target", "wasm32-unknown-unknown", "--profile"])
        .arg(profile))?;
    let dir = if release { "wasm-release" } else { "debug" };
    Ok(root().join("target/wasm32-unknown-unknown").join(dir).join(format!("{package}.wasm")))
}

/// wasm-bindgen's web glue for `wasm` in `out` as `<name>.js` and `<name>_bg.wasm`, and in
/// release the wasm shrunk by wasm-opt and the glue minified. Returns both paths.
pub fn bindgen(wasm: &Path, out: &Path, name: &str, release: bool) -> Result<(PathBuf, PathBuf)> {
    sh(tools::with_path(Command::new("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out)
        .arg(wasm))?;
    let (js, wasm) = (out.join(format!("{name}.js")), out.join(format!("{name}_bg.wasm")));
    if release {
        sh(tools::with_path(Command::new("wasm-opt"))
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "-o"])
            .arg(&wasm)
            .arg(&wasm))?;
        minify(&js, &js)?;
    }
    Ok((js, wasm))
}

/// Minifies a script or stylesheet with esbuild (by the file's extension; in place if `to` is
/// `from`). The glue is an ES module: its imports and exports keep their names.
fn minify(from: &Path, to: &Path) -> Result {
    let code = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let loader = if from.extension().is_some_and(|e| e == "css") { "--loader=css" } else { "--format=esm" };
    let out = tools::with_path(Command::new("esbuild"))
        .args(["--minify", "--log-level=warning", loader])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().map(|mut stdin| stdin.write_all(&code)).transpose()?;
            child.wait_with_output()
        })
        .map_err(|e| format!("esbuild: {e}"))?;
    if !out.status.success() {
        return Err(format!("esbuild could not minify {}", from.display()));
    }
    std::fs::write(to, out.stdout).map_err(|e| format!("{}: {e}", to.display()))
}

/// A file's content hash as it goes into its name (16 hex digits).
pub fn content_hash(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut hasher = DefaultHasher::new();
    hasher.write(&bytes);
    Ok(format!("{:016x}", hasher.finish()))
}

/// Writes brotli (best) and gzip copies of each file beside it: the server sends those instead
/// of compressing on every request (and its on-the-fly brotli is much weaker).
pub fn precompress(files: &[PathBuf]) -> Result {
    const SCRIPT: &str = "const fs = require('fs'), z = require('zlib');
for (const f of process.argv.slice(1)) {
  const b = fs.readFileSync(f);
  fs.writeFileSync(f + '.br', z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }));
  fs.writeFileSync(f + '.gz', z.gzipSync(b, { level: 9 }));
}";
    sh(Command::new("node").args(["-e", SCRIPT]).args(files))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
