//! The HTML document around the application (rendered on the server only: the browser
//! hydrates [`App`] inside it), and the names of the site's bundle files.

use std::sync::OnceLock;

use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::{i18n, App};

/// Pages that are plain HTML forms and load no office bundle. The login page is the first a
/// supervisor on township 4G opens and needs none: its form posts to the server function, which
/// answers with a redirect home, or back to the page with the error in the address.
const WITHOUT_BUNDLE: &[&str] = &["/login"];

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::current_lang();
    crate::server::content_security_policy();
    let path = use_context::<axum::http::request::Parts>().map(|p| p.uri.path().to_string()).unwrap_or_default();
    let scripts = (!WITHOUT_BUNDLE.contains(&path.as_str())).then(|| view! { <HydrationScripts options /> });
    view! {
        <!DOCTYPE html>
        <html lang=i18n::html_lang(lang)>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b91c1c" />
                <link rel="icon" href="/icon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="stylesheet" href=stylesheet() />
                // The service worker (public/sw.js) lets the app open without a network.
                <script src="/register-sw.js" defer></script>
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The content hashes cargo-leptos gave the bundle's files (`hash.txt` beside the server
/// binary, lines like `css: Zr8…`), read once; `None` for a binary it did not build (tests).
fn hashes() -> Option<&'static str> {
    static HASHES: OnceLock<Option<String>> = OnceLock::new();
    HASHES
        .get_or_init(|| {
            let exe = std::env::current_exe().ok()?;
            std::fs::read_to_string(exe.with_file_name("hash.txt")).ok()
        })
        .as_deref()
}

/// Whether the bundle's file names carry their content hash (then they are cached for good).
pub fn hashed_bundle() -> bool {
    hashes().is_some()
}

/// The address of the site's stylesheet.
pub fn stylesheet() -> String {
    let hash = hashes().and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("css:")));
    match hash {
        Some(hash) => format!("/pkg/zhucun.{}.css", hash.trim()),
        None => "/pkg/zhucun.css".to_string(),
    }
}
