//! Builds the field app (the `field` crate) into `target/site/field/`: its wasm through
//! wasm-bindgen (and wasm-opt in release), file names carrying a content hash, and the page
//! `index.html` naming them and the site's stylesheet. Part of the site's build (`site.rs`),
//! after the stylesheet.

use std::path::PathBuf;

use crate::{root, site, Result};

pub fn site_dir() -> PathBuf {
    site::site_root().join("field")
}

pub fn build(release: bool) -> Result {
    let wasm = site::wasm("field", release)?;
    let name = format!("field-{}", site::content_hash(&wasm)?);
    let pkg = site_dir().join("pkg");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let (js, wasm) = site::bindgen(&wasm, &pkg, &name, release)?;
    if release {
        site::precompress(&[js, wasm])?;
    }
    let template = std::fs::read_to_string(root().join("field/index.html")).map_err(|e| e.to_string())?;
    let page = template.replace("{{bundle}}", &format!("/field/pkg/{name}")).replace("{{stylesheet}}", &stylesheet()?);
    std::fs::write(site_dir().join("index.html"), page).map_err(|e| e.to_string())?;
    println!("xtask: field app built as {name}");
    Ok(())
}

/// The site's stylesheet by its hashed name (`/pkg/zhucun.<content hash>.css`).
fn stylesheet() -> Result<String> {
    let pkg = site::site_root().join("pkg");
    let entries = std::fs::read_dir(&pkg).map_err(|e| format!("{}: {e} (build the site first)", pkg.display()))?;
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("zhucun.") && n.ends_with(".css"))
        .map(|n| format!("/pkg/{n}"))
        .ok_or_else(|| format!("no stylesheet in {} (build the site first)", pkg.display()))
}
