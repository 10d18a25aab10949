#![recursion_limit = "256"]
//! 驻村通 field app: what a village first secretary uses on the phone, made to work without a
//! network. Client-rendered (a static shell the service worker keeps, see `docs/sync.md`): the
//! records live in IndexedDB and reach the server through the sync protocol.

mod detail;
mod form;
mod history;
mod home;
mod leave;
mod media;
mod net;
mod notify;
mod records;
mod state;
mod store;
mod sync;

use domain::field::RecordKind;
use domain::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use state::Field;

/// The screens, kept in the URL's fragment so that a reload stays where it was.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Screen {
    Home,
    Records,
    Leave,
    New(RecordKind),
    Edit(String),
}

impl Screen {
    fn from_hash(hash: &str) -> Screen {
        let h = hash.trim_start_matches('#');
        match h.split_once('/') {
            // A work record's form; a check-in is made on the home screen.
            Some(("new", kind)) => RecordKind::ALL
                .iter()
                .find(|k| k.code() == kind && !k.is_presence())
                .map_or(Screen::Home, |k| Screen::New(*k)),
            Some(("edit", id)) => Screen::Edit(id.to_string()),
            _ if h == "records" => Screen::Records,
            _ if h == "leave" => Screen::Leave,
            _ => Screen::Home,
        }
    }
}

pub(crate) fn go(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

pub(crate) fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The interface language: the `lang` cookie the rest of the site sets.
fn lang() -> Lang {
    let cookies = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default();
    cookies.split(';').filter_map(|c| c.trim().strip_prefix("lang=")).map(Lang::from_code).next().unwrap_or_default()
}

#[component]
fn App() -> impl IntoView {
    let field = Field::new(lang());
    provide_context(field);
    spawn_local(async move {
        field.load().await;
        // Tests wait for this before they act, as for the office pages.
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let _ = body.set_attribute("data-hydrated", "");
        }
        sync::start(field);
    });
    let screen = Memo::new(move |_| Screen::from_hash(&field.hash.get()));
    let on_hash = Closure::<dyn Fn()>::new(move || field.hash.set(current_hash()));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    }
    on_hash.forget();
    view! {
        <header class="top">
            <a class="brand" href="#">
                {field.t("驻村通", "Zhucun")}
            </a>
            <nav class="main-nav" aria-label=field.t("主导航", "Main navigation")>
                <a href="#">{field.t("我的驻村", "My village")}</a>
                <a href="#records">{field.t("全部记录", "All records")}</a>
                <a href="/monthly">{field.t("月度纪实", "Monthly record")}</a>
                <a href="/projects">{field.t("帮扶项目", "Projects")}</a>
                <a href="/feedback">{field.t("投诉建议", "Complaints")}</a>
                <a href="/account">{field.t("修改密码", "Password")}</a>
            </nav>
            <nav class="lang" aria-label=field.t("语言", "Language")>
                <a href="/lang/zh" hreflang="zh-CN" aria-current=(field.lang == Lang::Zh).then_some("true")>
                    "中文"
                </a>
                <a href="/lang/en" hreflang="en" aria-current=(field.lang == Lang::En).then_some("true")>
                    "English"
                </a>
            </nav>
        </header>
        <main class="field">
            <Show
                when=move || field.loaded.get()
                fallback=move || view! { <p>{field.t("正在加载…", "Loading…")}</p> }
            >
                {move || match screen.get() {
                    Screen::Home => home::Home().into_any(),
                    Screen::Records => records::Records().into_any(),
                    Screen::Leave => leave::Leave().into_any(),
                    Screen::New(kind) => view! { <form::RecordForm kind existing=None /> }.into_any(),
                    Screen::Edit(id) => {
                        match field.record(&id) {
                            Some(r) => {
                                view! { <form::RecordForm kind=r.envelope.body.kind() existing=Some(r) /> }.into_any()
                            }
                            None => {
                                view! { <p role="alert">{field.t("找不到该记录", "No such record")}</p> }
                                    .into_any()
                            }
                        }
                    }
                }}
            </Show>
        </main>
    }
}

#[wasm_bindgen(start)]
pub fn main() {
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("field"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        root.set_inner_html("");
        leptos::mount::mount_to(root, App).forget();
    }
}
