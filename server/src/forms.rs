//! Forms posted without script. Most office pages run no code in the browser: a form posts to
//! its server function, which (leptos_axum) answers with a redirect back to the page it came
//! from, an error in the address if it failed. This marks a success there too
//! (`__done=/api/<function>`), so that the page rendered afresh can say "saved", and drops the
//! marks of an earlier post so that they are not shown again.

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The query parameter that names the server function a form just ran successfully.
const DONE: &str = "__done";

pub async fn mark_outcome(req: Request, next: Next) -> Response {
    let accepts_html =
        req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let function = req.uri().path().to_string();
    if req.method() != Method::POST || !function.starts_with("/api/") || !accepts_html {
        return next.run(req).await;
    }
    let referer = req.headers().get(header::REFERER).cloned();
    let mut res = next.run(req).await;
    let Some(location) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return res;
    };
    // Back to the page it came from (leptos writes the address anew: compare without the
    // query), and no error: the function succeeded.
    let page = |url: &str| url.split(['?', '#']).next().unwrap_or_default().to_string();
    let back = referer.as_ref().and_then(|r| r.to_str().ok()).is_some_and(|r| page(r) == page(location));
    let succeeded = back && !location.contains("__err=");
    let marked = mark(location, succeeded.then_some(function.as_str()));
    if let Ok(value) = HeaderValue::from_str(&marked) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// `location` without earlier success marks, and with `function`'s if given.
fn mark(location: &str, function: Option<&str>) -> String {
    let (location, fragment) = location.split_once('#').map_or((location, None), |(l, f)| (l, Some(f)));
    let (base, query) = location.split_once('?').unwrap_or((location, ""));
    let mut pairs: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some(DONE)).map(str::to_string).collect();
    if let Some(f) = function {
        pairs.push(format!("{DONE}={f}"));
    }
    let mut out = base.to_string();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mark;

    #[test]
    fn a_success_is_marked_once_and_an_earlier_mark_is_dropped() {
        assert_eq!(
            mark("http://h/township?township=3", Some("/api/decide_leave")),
            "http://h/township?township=3&__done=/api/decide_leave"
        );
        assert_eq!(
            mark("http://h/township?__done=/api/decide_leave&township=3", Some("/api/start_roll_call")),
            "http://h/township?township=3&__done=/api/start_roll_call"
        );
        assert_eq!(mark("http://h/admin?__done=/api/x", None), "http://h/admin");
        assert_eq!(
            mark("http://h/a?__done=/api/x&__path=/api/y&__err=e30", None),
            "http://h/a?__path=/api/y&__err=e30"
        );
        assert_eq!(mark("/login", None), "/login");
        assert_eq!(mark("http://h/p#leave", Some("/api/f")), "http://h/p?__done=/api/f#leave");
    }
}
