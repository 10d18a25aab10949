//! The HTML document around the application (rendered on the server only: the browser
//! hydrates only its islands, the few parts that run code), and the names of the bundle files.

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
    let scripts =
        (!WITHOUT_BUNDLE.contains(&path.as_str())).then(|| view! { <HydrationScripts options islands=true /> });
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

/// The content hashes the site's build gave the bundle's files (`hash.txt` beside the server
/// binary, lines like `css: 9f3a…`), read once; `None` for a binary it did not build (tests).
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

/// Why the pages would not find their bundle under `site_root`, if they would not: a build that
/// hashed the names must have its `hash.txt` beside the server binary (copied with it), or every
/// page would ask for names that do not exist.
pub fn bundle_error(site_root: &str) -> Option<String> {
    let pkg = std::path::Path::new(site_root).join("pkg");
    let mut names =
        std::fs::read_dir(&pkg).into_iter().flatten().filter_map(|e| e.ok()?.file_name().into_string().ok());
    let named_by_hash = names.any(|n| n.starts_with("zhucun.") && n.ends_with(".js") && n != "zhucun.js");
    (!hashed_bundle() && named_by_hash).then(|| {
        format!("{}: the bundle's file names carry hashes but hash.txt is not beside the server binary", pkg.display())
    })
}

/// The address of the site's stylesheet (worked out once).
pub fn stylesheet() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| match hashes().and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("css:"))) {
        Some(hash) => format!("/pkg/zhucun.{}.css", hash.trim()),
        None => "/pkg/zhucun.css".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_bundle_without_its_hash_list_is_refused() {
        let root = std::env::temp_dir().join(format!("zhucun-bundle-{}", std::process::id()));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        let root_str = root.to_string_lossy().into_owned();
        assert_eq!(bundle_error(&root_str), None, "an empty pkg directory names nothing");
        std::fs::write(root.join("pkg/zhucun.JBF3WFCSm0KRfOB2vcFFzQ.js"), "").unwrap();
        assert!(bundle_error(&root_str).is_some_and(|e| e.contains("hash.txt")));
        std::fs::remove_file(root.join("pkg/zhucun.JBF3WFCSm0KRfOB2vcFFzQ.js")).unwrap();
        std::fs::write(root.join("pkg/zhucun.js"), "").unwrap();
        assert_eq!(bundle_error(&root_str), None, "an unhashed build");
        std::fs::remove_dir_all(root).unwrap();
    }
}
