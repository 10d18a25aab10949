//! The interface language. The server reads it from the `lang` cookie and writes it into
//! `<html lang>`; the browser reads it back from there, so both render the same text.

use domain::Lang;
use leptos::prelude::*;

/// The language in context; an island (hydrated without the server's context) reads the page's.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(current_lang)
}

/// The language of this request (server) or page (browser).
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    let lang = crate::server::request_lang();
    #[cfg(not(feature = "ssr"))]
    let lang = document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .map(|l| Lang::from_code(&l))
        .unwrap_or_default();
    lang
}

/// The page's `lang` attribute (the document is rendered on the server only).
#[cfg(feature = "ssr")]
pub fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}
