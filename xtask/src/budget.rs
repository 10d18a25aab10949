//! The office pages' budget, checked by `cargo xtask test` (issue 12): the islands bundle built
//! as a release build makes it (the `wasm-release` profile, wasm-bindgen, wasm-opt -Oz) and
//! compressed as the server sends it (brotli-11), with the stylesheet, must leave the first load
//! of /township and /dashboard under 300 KB with their page. The browser benchmark measures the
//! same on the wire (`end2end/bench/office.bench.ts`); this catches growth in every CI run,
//! whose browser tests use a debug build. (/login loads no bundle: `end2end/tests/budget.spec.ts`.)

use std::process::Command;

use crate::{root, site, Result};

/// The first load of /township and /dashboard, bytes on the wire.
const BUDGET: u64 = 300 * 1000;
/// What the page's own HTML may take of it (measured: 5.7 KB for /township, 6.6 KB for
/// /dashboard, `docs/benchmarks.md`).
const PAGE: u64 = 16 * 1024;

pub fn check() -> Result {
    let wasm = site::wasm("frontend", true)?;
    let out = root().join("target/budget");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let (js, wasm) = site::bindgen(&wasm, &out, "zhucun", true)?;
    const SCRIPT: &str = "const fs = require('fs'), z = require('zlib');
console.log(process.argv.slice(1).map((f) => z.brotliCompressSync(fs.readFileSync(f),
  { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length).join(' '));";
    let sizes = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(&wasm)
        .arg(&js)
        .arg(root().join("style/main.css"))
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let sizes: Vec<u64> =
        String::from_utf8_lossy(&sizes.stdout).split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let [wasm, js, css] = sizes[..] else { return Err("could not measure the bundle".into()) };
    let total = wasm + js + css + PAGE;
    println!(
        "xtask: office bundle (brotli-11): wasm {wasm} B, js {js} B, css {css} B; with a page of {PAGE} B the first load of /township is at most {total} B of {BUDGET} B"
    );
    if total > BUDGET {
        return Err(format!(
            "the office bundle has grown past its budget: /township's first load would be {total} B, over {BUDGET} B (issue 12)"
        ));
    }
    Ok(())
}
