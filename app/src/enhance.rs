//! The office pages run almost no code in the browser. Their forms post to server functions
//! and work without script: the server answers with a redirect back to the page, marked with
//! the outcome (`__done=` or leptos's `__err=`), and the page rendered afresh tells it.
//!
//! With script, one island makes the same forms lighter: a form is sent by `fetch`; a refusal
//! is shown in place (the [`Outcome`](crate::components::Outcome) of the form's function) and
//! keeps everything typed; a success reloads the page with its mark, so every figure on it is
//! fresh. Forms inside islands are their islands' own business.

use leptos::prelude::*;

/// The parameters that mark a form's outcome in a page's address.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const MARKS: [&str; 3] = ["__done", "__err", "__path"];

/// Sends the page's plain forms in place (see the module's text); renders nothing.
#[island]
pub fn FormsInPlace() -> impl IntoView {
    Effect::new(|started: Option<()>| {
        if started.is_none() {
            install();
        }
    });
}

/// The page's address without the outcome marks, and with `done` marked if given.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn address(path: &str, search: &str, hash: &str, done: Option<&str>) -> String {
    let mut kept: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !MARKS.contains(&p.split('=').next().unwrap_or("")))
        .map(str::to_string)
        .collect();
    if let Some(d) = done {
        kept.push(format!("__done={d}"));
    }
    let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
    format!("{path}{query}{hash}")
}

/// Tells browser tests (and curious people) that the islands are live, once they all are
/// (they hydrate in tasks queued before this timer's), and takes a form's outcome marks out of
/// the address so that a reload or a shared link does not repeat them.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
            let location = window().location();
            let (Ok(path), Ok(search), Ok(hash)) = (location.pathname(), location.search(), location.hash()) else {
                return;
            };
            let clean = address(&path, &search, &hash, None);
            if clean != format!("{path}{search}{hash}") {
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(not(feature = "hydrate"))]
fn install() {}

#[cfg(feature = "hydrate")]
fn install() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlFormElement, SubmitEvent};

    let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(|ev: SubmitEvent| {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        let function = form.get_attribute("action").unwrap_or_default();
        let in_island = form.closest("leptos-island").ok().flatten().is_some();
        if ev.default_prevented() || in_island || !function.starts_with("/api/") || form.method() != "post" {
            return;
        }
        ev.prevent_default();
        leptos::task::spawn_local(send(form, function));
    });
    let _ = document().add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

/// Sends `form` to its server `function` as the browser would, but asks for JSON.
#[cfg(feature = "hydrate")]
async fn send(form: web_sys::HtmlFormElement, function: String) {
    use crate::error::AppError;
    let buttons = form.query_selector_all("button[type=submit], button:not([type])").ok();
    let set_disabled = |on: bool| {
        for i in 0..buttons.as_ref().map_or(0, |b| b.length()) {
            if let Some(b) = buttons.as_ref().and_then(|b| b.item(i)) {
                let _ = b.dyn_ref::<web_sys::Element>().map(|e| {
                    if on {
                        e.set_attribute("disabled", "")
                    } else {
                        e.remove_attribute("disabled")
                    }
                });
            }
        }
    };
    use wasm_bindgen::JsCast;
    let Some(body) = web_sys::FormData::new_with_form(&form)
        .ok()
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
    else {
        return;
    };
    set_disabled(true);
    match post(&function, &String::from(body.to_string())).await {
        Ok(()) => {
            let location = window().location();
            let here = (location.pathname(), location.search(), location.hash());
            if let (Ok(path), Ok(search), Ok(hash)) = here {
                let _ = location.replace(&address(&path, &search, &hash, Some(&function)));
            }
        }
        Err(error) => {
            set_disabled(false);
            show(&form, &function, error);
        }
    }

    async fn post(function: &str, body: &str) -> Result<(), AppError> {
        use wasm_bindgen_futures::JsFuture;
        let failed = |_| AppError::Request("fetch".into());
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&body.into());
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Content-Type", "application/x-www-form-urlencoded").map_err(failed)?;
        headers.set("Accept", "application/json").map_err(failed)?;
        init.set_headers(&headers);
        let answer = JsFuture::from(window().fetch_with_str_and_init(function, &init)).await.map_err(failed)?;
        let response: web_sys::Response = answer.dyn_into().map_err(failed)?;
        if response.ok() {
            return Ok(());
        }
        let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
        Err(serde_json::from_str(&text.as_string().unwrap_or_default()).unwrap_or(AppError::Internal))
    }
}

/// Shows a refusal in the [`Outcome`](crate::components::Outcome) of `function` nearest `form`.
#[cfg(feature = "hydrate")]
fn show(form: &web_sys::HtmlFormElement, function: &str, error: crate::error::AppError) {
    use wasm_bindgen::JsCast;
    let selector = format!("[data-outcome=\"{function}\"]");
    let mut scope: Option<web_sys::Element> = Some(form.clone().unchecked_into());
    while let Some(el) = scope {
        if let Ok(Some(target)) = el.query_selector(&selector) {
            if let Ok(target) = target.dyn_into::<web_sys::HtmlElement>() {
                target.set_inner_html("");
                let lang = crate::i18n::current_lang();
                leptos::mount::mount_to(target, move || {
                    provide_context(lang);
                    view! { <crate::components::ErrorNote error=error /> }
                })
                .forget();
            }
            return;
        }
        scope = el.parent_element();
    }
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn the_address_keeps_the_page_and_loses_old_marks() {
        assert_eq!(
            address("/township", "?township=3&__done=/api/a", "#leave", Some("/api/b")),
            "/township?township=3&__done=/api/b#leave"
        );
        assert_eq!(address("/admin", "?__path=/api/a&__err=e30", "", None), "/admin");
        assert_eq!(address("/", "", "", None), "/");
    }
}
