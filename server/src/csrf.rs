//! Cross-site request forgery defence on top of SameSite=Lax cookies: a state-changing request
//! (anything but GET, HEAD, OPTIONS) from a browser must come from our own origin. Browsers say
//! where a request comes from in `Sec-Fetch-Site` (or, older ones, in `Origin`); requests with
//! neither do not come from a browser page and carry no ambient credentials worth forging.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origins we accept (`scheme://host[:port]`).
#[derive(Clone, Debug)]
pub struct Origins {
    /// From `ZHUCUN_PUBLIC_URL`; when unset, the request's own Host is trusted.
    pub public: Option<String>,
}

pub fn allowed(method: &Method, headers: &HeaderMap, origins: &Origins) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = get(header::ORIGIN.as_str()) else { return true };
    match &origins.public {
        Some(public) => origin.trim_end_matches('/') == public.trim_end_matches('/'),
        None => {
            let host = get(header::HOST.as_str()).unwrap_or_default();
            origin.split_once("://").is_some_and(|(_, rest)| rest == host)
        }
    }
}

pub async fn guard(origins: axum::extract::State<Origins>, req: Request, next: Next) -> Response {
    if allowed(req.method(), req.headers(), &origins) {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), uri = %req.uri(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "跨站请求已拒绝 / cross-site request refused").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn browsers_must_be_same_origin() {
        let o = Origins { public: None };
        assert!(allowed(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")]), &o));
        assert!(!allowed(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")]), &o));
        assert!(!allowed(&Method::POST, &headers(&[("sec-fetch-site", "same-site")]), &o));
        assert!(allowed(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")]), &o));
    }

    #[test]
    fn origin_is_checked_when_fetch_metadata_is_missing() {
        let o = Origins { public: None };
        assert!(allowed(
            &Method::POST,
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            &o
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[("origin", "http://evil.example"), ("host", "127.0.0.1:3000")]),
            &o
        ));
        let p = Origins { public: Some("https://zhucun.example.gov.cn".into()) };
        assert!(allowed(&Method::POST, &headers(&[("origin", "https://zhucun.example.gov.cn")]), &p));
        assert!(!allowed(&Method::POST, &headers(&[("origin", "http://zhucun.example.gov.cn")]), &p));
        // Not a browser: no ambient credentials to abuse.
        assert!(allowed(&Method::POST, &HeaderMap::new(), &o));
    }
}
