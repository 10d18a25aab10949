//! Headers on every answer: no sniffing of content types, no framing, the referrer kept to this
//! site, revalidation before a kept copy is used, and a content security policy (pages rendered
//! by Leptos set their own, with the response's nonce: `app::server::content_security_policy`).

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of answers that carry no page script of their own (the field app's shell, photos,
/// reports, the map).
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
                      img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `router` with the headers on every answer it gives.
pub fn secure(router: Router) -> Router {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::CONTENT_SECURITY_POLICY, POLICY))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        // Pages and files are revalidated on each use; the bundles' hashed files say otherwise.
        .layer(set(header::CACHE_CONTROL, "no-cache"))
}
