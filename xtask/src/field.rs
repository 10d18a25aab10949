//! Builds the field app (the `field` crate) into `target/site/field/`: its wasm through
//! wasm-bindgen (and wasm-opt in release), file names carrying a content hash, and the page
//! `index.html` naming them and the site's stylesheet. cargo-leptos builds the rest of the site;
//! this runs after it.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::PathBuf;
use std::process::Command;

use crate::{root, sh, tools, Result};

pub fn site_dir() -> PathBuf {
    root().join("target/site/field")
}

pub fn build(release: bool) -> Result {
    let profile = if release { "wasm-release" } else { "dev" };
    sh(Command::new("cargo").args([
        "build",
        "-p",
        "field",
        "--lib",
        "--locked",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        profile,
    ]))?;
    let dir = if release { "wasm-release" } else { "debug" };
    let wasm = root().join("target/wasm32-unknown-unknown").join(dir).join("field.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let mut hasher = DefaultHasher::new();
    hasher.write(&bytes);
    let name = format!("field-{:016x}", hasher.finish());

    let pkg = site_dir().join("pkg");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    sh(tools::with_path(Command::new("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--out-name", &name, "--out-dir"])
        .arg(&pkg)
        .arg(&wasm))?;
    if release {
        let out = pkg.join(format!("{name}_bg.wasm"));
        sh(tools::with_path(Command::new("wasm-opt"))
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "-o"])
            .arg(&out)
            .arg(&out))?;
        precompress(&pkg, &name)?;
    }
    let template = std::fs::read_to_string(root().join("field/index.html")).map_err(|e| e.to_string())?;
    let page = template.replace("{{bundle}}", &format!("/field/pkg/{name}")).replace("{{stylesheet}}", &stylesheet()?);
    std::fs::write(site_dir().join("index.html"), page).map_err(|e| e.to_string())?;
    println!("xtask: field app built as {name}");
    Ok(())
}

/// The site's stylesheet as cargo-leptos named it (`/pkg/zhucun.<content hash>.css`).
fn stylesheet() -> Result<String> {
    let pkg = root().join("target/site/pkg");
    let entries = std::fs::read_dir(&pkg).map_err(|e| format!("{}: {e} (build the site first)", pkg.display()))?;
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("zhucun.") && n.ends_with(".css"))
        .map(|n| format!("/pkg/{n}"))
        .ok_or_else(|| format!("no stylesheet in {} (build the site first)", pkg.display()))
}

/// Writes brotli (best) and gzip copies of the bundle beside it: the server sends those instead
/// of compressing on every request (and its on-the-fly brotli is much weaker).
fn precompress(pkg: &std::path::Path, name: &str) -> Result {
    const SCRIPT: &str = "const fs = require('fs'), z = require('zlib');
for (const f of process.argv.slice(1)) {
  const b = fs.readFileSync(f);
  fs.writeFileSync(f + '.br', z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }));
  fs.writeFileSync(f + '.gz', z.gzipSync(b, { level: 9 }));
}";
    sh(Command::new("node")
        .args(["-e", SCRIPT])
        .arg(pkg.join(format!("{name}.js")))
        .arg(pkg.join(format!("{name}_bg.wasm"))))
}
