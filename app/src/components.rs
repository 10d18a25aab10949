//! Building blocks shared by the pages: the logged-in account, the header, role guards,
//! form fields and error notes. Every control carries a visible label.

use domain::model::Me;
use domain::{Lang, Role};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use server_fn::ServerFn;

use crate::api::session::{current_account, Logout};
use crate::error::AppError;
pub use crate::i18n::use_lang;

pub type MeResource = Resource<Result<Option<Me>, AppError>>;

pub fn provide_me() {
    provide_context::<MeResource>(Resource::new(|| (), |_| current_account()));
}

pub fn use_me() -> MeResource {
    expect_context::<MeResource>()
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(code))
    {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// How old a live page must be before a change reloads it, milliseconds.
const MIN_PAGE_AGE_MS: f64 = 10_000.0;

/// Reloads the page when the server reports a change on the live channel (server-sent events,
/// `/events/attendance`: `attendance` when a township's board changed, `dashboard` when a
/// district's figures did; the browser reconnects by itself), at most once every 10 seconds.
/// While the reader is filling in a form it offers the reload instead, so that nothing typed
/// or chosen is lost.
#[island]
pub fn LiveRefresh(event: String) -> impl IntoView {
    let lang = use_lang();
    let stale = RwSignal::new(false);
    Effect::new(move |started: Option<()>| {
        use wasm_bindgen::prelude::*;
        use wasm_bindgen::JsCast;
        if started.is_some() {
            return;
        }
        let Ok(source) = web_sys::EventSource::new("/events/attendance") else { return };
        // Once the reader is going to another page, a reload would cancel that navigation: the
        // page offers it instead (a navigation that turned out a download leaves the page live
        // again after a while).
        let leaving = std::rc::Rc::new(std::cell::Cell::new(false));
        let back = leaving.clone();
        let on_back = Closure::<dyn Fn()>::new(move || back.set(false));
        let left = leaving.clone();
        let on_leave = Closure::<dyn Fn()>::new(move || {
            left.set(true);
            let _ = window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(on_back.as_ref().unchecked_ref(), 10_000);
        });
        // A page reloads at most once every few seconds however busy the district: a change
        // heard sooner waits for that (once), then the latest figures come with one reload.
        let loaded = js_sys::Date::now();
        let waiting = std::rc::Rc::new(std::cell::Cell::new(false));
        let refresh = std::rc::Rc::new(move || {
            if leaving.get() || busy() {
                stale.set(true);
            } else {
                reload();
            }
        });
        let later = refresh.clone();
        let at_last = Closure::<dyn Fn()>::new(move || later());
        let pending = waiting.clone();
        let on_change = Closure::<dyn Fn()>::new(move || {
            let age = js_sys::Date::now() - loaded;
            if age >= MIN_PAGE_AGE_MS {
                refresh();
            } else if !pending.replace(true) {
                let wait = (MIN_PAGE_AGE_MS - age) as i32;
                let _ = window()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(at_last.as_ref().unchecked_ref(), wait);
            }
        });
        let _ = source.add_event_listener_with_callback(&event, on_change.as_ref().unchecked_ref());
        let _ = window().add_event_listener_with_callback("beforeunload", on_leave.as_ref().unchecked_ref());
        on_change.forget();
        on_leave.forget();
    });
    view! {
        <p class="live" role="status" aria-live="polite">
            {move || {
                stale
                    .get()
                    .then(|| {
                        view! {
                            {lang.pick("有新数据。", "There is new data. ")}
                            <button type="button" class="secondary" on:click=move |_| reload()>
                                {lang.pick("刷新", "Refresh")}
                            </button>
                        }
                    })
            }}
        </p>
    }
}

/// Submits the form around it when one of its fields changes (a GET filter, a choice that opens
/// a page); without script the form's own button does the same.
#[island]
pub fn AutoSubmit(children: Children) -> impl IntoView {
    let submit = |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let Some(form) = form {
            let _ = form.request_submit();
        }
    };
    view! {
        <div class="auto-submit" on:change=submit>
            {children()}
        </div>
    }
}

/// A form sent by GET, so its choice is in the address: it survives a reload, the live refresh
/// and a shared link. It sends itself when any of its fields changes (its choices are usually
/// [`Select`]s with `none`); without script its button does the same.
#[component]
pub fn GetForm(
    /// The button's words.
    button: &'static str,
    /// Where the form goes; this page unless told.
    #[prop(optional)]
    action: Option<&'static str>,
    /// The form's accessible name, for a page with more than one form.
    #[prop(optional)]
    label: Option<&'static str>,
    /// `filter` for a field or two, `filters` for a row of them.
    #[prop(default = "filter")]
    class: &'static str,
    /// Hidden fields that keep the rest of the address.
    #[prop(optional)]
    kept: Vec<(&'static str, String)>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="get" action=action class=class aria-label=label>
            {hidden_fields(kept)}
            <AutoSubmit>{children()}</AutoSubmit>
            <button type="submit" class="secondary">
                {button}
            </button>
        </form>
    }
}

/// Hidden inputs for a form's `(name, value)` pairs.
pub fn hidden_fields(fields: Vec<(&'static str, String)>) -> impl IntoView {
    fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()
}

/// A list of named facts (`<dl>`): a month's counts, a project's particulars.
pub fn facts_list<const N: usize>(facts: [(&'static str, String); N]) -> impl IntoView {
    view! {
        <dl class="facts">
            {facts
                .into_iter()
                .map(|(k, v)| {
                    view! {
                        <dt>{k}</dt>
                        <dd>{v}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// Whether the reader is in the middle of a form: a field of it has the focus, or a part of it
/// is open.
#[cfg(feature = "hydrate")]
fn busy() -> bool {
    let doc = document();
    let in_form = doc.active_element().and_then(|e| e.closest("form").ok().flatten()).is_some();
    in_form || doc.query_selector("form details[open]").ok().flatten().is_some()
}

#[cfg(not(feature = "hydrate"))]
fn busy() -> bool {
    false
}

fn reload() {
    let _ = window().location().reload();
}

/// Whether the page's address says that a form of the server function at `path` just succeeded
/// (a form posted without script comes back so: the server's `forms` module).
pub fn just_done(path: &str) -> bool {
    #[cfg(feature = "ssr")]
    let query = use_context::<axum::http::request::Parts>().and_then(|p| p.uri.query().map(str::to_string));
    #[cfg(not(feature = "ssr"))]
    let query = window().location().search().ok();
    query.is_some_and(|q| q.trim_start_matches('?').split('&').any(|p| p.strip_prefix("__done=") == Some(path)))
}

pub const ADMINS: &[Role] = &[Role::DeptAdmin, Role::SysAdmin];

fn nav_links(role: Role, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut links = match role {
        Role::DeptAdmin | Role::SysAdmin => vec![
            ("/dashboard", l("工作看板", "Dashboard")),
            ("/admin", l("概览", "Overview")),
            ("/admin/townships", l("镇街", "Townships")),
            ("/admin/villages", l("村（社区）", "Villages")),
            ("/admin/units", l("派出单位", "Units")),
            ("/admin/accounts", l("账号", "Accounts")),
            ("/admin/postings", l("选派", "Postings")),
            ("/admin/import", l("导入", "Import")),
            ("/township", l("考勤看板", "Attendance board")),
            ("/admin/settings", l("考勤设置", "Attendance settings")),
            ("/evaluation", l("年度考核", "Evaluation")),
            ("/projects", l("帮扶项目库", "Projects")),
            ("/admin/audit", l("审计日志", "Audit log")),
        ],
        Role::TownshipSupervisor => vec![
            ("/township", l("考勤看板", "Attendance board")),
            ("/township/postings", l("书记与帮扶户", "Secretaries and households")),
            ("/evaluation", l("年度考核", "Evaluation")),
            ("/projects", l("帮扶项目", "Projects")),
            ("/admin/villages", l("村（社区）", "Villages")),
            ("/admin/accounts", l("账号", "Accounts")),
        ],
        Role::Secretary => {
            vec![
                ("/field", l("我的驻村", "My village")),
                ("/monthly", l("月度纪实", "Monthly record")),
                ("/projects", l("帮扶项目", "Projects")),
                ("/evaluation/mine", l("年度考核", "Evaluation")),
            ]
        }
        Role::Inspector => {
            vec![
                ("/inspect", l("全区书记", "All secretaries")),
                ("/township", l("考勤看板", "Attendance board")),
                ("/admin/villages", l("村（社区）", "Villages")),
                ("/evaluation", l("年度考核", "Evaluation")),
            ]
        }
        Role::UnitViewer => {
            vec![
                ("/unit", l("本单位书记", "Our secretaries")),
                ("/evaluation", l("年度考核", "Evaluation")),
                ("/projects", l("帮扶项目", "Projects")),
            ]
        }
    };
    links.push(("/feedback", l("投诉建议", "Complaints")));
    links.push(("/account", l("修改密码", "Password")));
    links
}

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="top">
            <a href="/" class="brand">
                {lang.pick("驻村通", "Zhucun")}
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(m)) => {
                            view! {
                                <nav class="main-nav" aria-label=lang.pick("主导航", "Main navigation")>
                                    {nav_links(m.role, lang)
                                        .into_iter()
                                        .map(|(href, text)| {
                                            // The field app is its own page, not a route of this router.
                                            view! {
                                                <a href=href rel=(href == "/field").then_some("external")>
                                                    {text}
                                                </a>
                                            }
                                        })
                                        .collect_view()}
                                </nav>
                                <span class="who">{m.display_name.clone()} " · " {m.role.label(lang)}</span>
                                // Secretaries log out in the field app, which first makes sure nothing is unsynced.
                                {(m.role != Role::Secretary)
                                    .then(|| {
                                        view! {
                                            <ActionForm action=logout attr:class="inline">
                                                <button type="submit" class="link">
                                                    {lang.pick("退出登录", "Log out")}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <nav class="lang" aria-label=lang.pick("语言", "Language")>
                <a href="/lang/zh" rel="external" hreflang="zh-CN" aria-current=(lang == Lang::Zh).then_some("true")>
                    "中文"
                </a>
                <a href="/lang/en" rel="external" hreflang="en" aria-current=(lang == Lang::En).then_some("true")>
                    "English"
                </a>
            </nav>
        </header>
    }
}

/// Shows `children` to the given roles; sends others to the login page or answers 403.
/// Create a page's resources before the guard, not in its children: a resource made inside
/// another's `Suspense` hydrates unreliably. (Their server functions refuse whom the guard
/// refuses, so nothing leaks.)
#[component]
pub fn Guard(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let me = use_me();
    let lang = use_lang();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || loading(
            lang,
        )>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(m)) if roles.contains(&m.role) => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => {
                        set_status(403);
                        view! { <ErrorNote error=AppError::Forbidden /> }.into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An error in the reader's language; a rejected spreadsheet lists every bad cell.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let rows = match &error {
        AppError::Rows(rows) => rows.clone(),
        _ => Vec::new(),
    };
    view! {
        <div role="alert" class="error">
            <p>{error.message(lang)}</p>
            {(!rows.is_empty())
                .then(|| {
                    view! {
                        <table class="errors">
                            <caption>{lang.pick("错误明细", "Errors")}</caption>
                            {table_head(lang, &[("行", "Row"), ("列", "Column"), ("原因", "Reason")])}
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td>{r.row}</td>
                                                <td>{r.column.clone()}</td>
                                                <td>{r.reason.get(lang).to_string()}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
        </div>
    }
}

/// The outcome of a form's last submission: its error, or a confirmation. A form posted
/// without script tells it in the page's address, one run in an island in its action.
#[component]
pub fn Outcome<S>(action: ServerAction<S>, done: &'static str) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let flashed = just_done(S::PATH);
    let shown = move || match action.value().get() {
        Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
        Some(Ok(_)) => view! {
            <p role="status" class="ok">
                {done}
            </p>
        }
        .into_any(),
        None if flashed => view! {
            <p role="status" class="ok">
                {done}
            </p>
        }
        .into_any(),
        None => ().into_any(),
    };
    // Where a form sent in place shows a refusal (the `enhance` module).
    view! {
        <div class="outcome" data-outcome=S::PATH>
            {shown}
        </div>
    }
}

/// The page's query parameters as hidden fields, but those named in `except`: a GET form that
/// changes one thing keeps the rest of the address.
#[component]
pub fn KeptQuery(except: &'static [&'static str]) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let pairs: Vec<(String, String)> = query.with_untracked(|q| {
        q.into_iter()
            .filter(|(k, _)| !except.contains(&k.as_ref()) && !k.starts_with("__"))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    });
    pairs.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()
}

/// A labelled input.
#[component]
pub fn Input(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = true)] required: bool,
    #[prop(optional)] step: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label>
            <span>{label}</span>
            <input type=kind name=name value=value required=required step=step autocomplete=autocomplete />
        </label>
    }
}

/// A labelled choice among `(value, text)` options. With `none`, a first option of value ""
/// stands for no choice (a filter's "全部", a "请选择"), and a real choice is asked for only if
/// `required`. Without `none` one of the options is always chosen, so `required` changes nothing.
#[component]
pub fn Select(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] none: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <label>
            <span>{label}</span>
            <select name=name required=required || none.is_none()>
                {none.map(|none| view! { <option value="">{none}</option> })}
                {options
                    .into_iter()
                    .map(|(v, t)| {
                        let sel = v == selected;
                        view! {
                            <option value=v selected=sel>
                                {t}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The options of a coded enum: its code and its label.
pub fn enum_options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|&v| (code(v).to_string(), label(v).to_string())).collect()
}

/// Loading text for `Suspense`.
pub fn loading(lang: Lang) -> impl IntoView {
    view! { <p class="muted">{lang.pick("加载中…", "Loading…")}</p> }
}

/// Shows `children` with a resource's value once loaded, or the error in the reader's
/// language. (A `Suspense`: a `Transition` here broke hydration now and then when nested.)
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let lang = use_lang();
    view! {
        <Suspense fallback=move || loading(
            lang,
        )>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(e) => {
                            set_status(e.http_status());
                            // A page that could not load its data answers with the error's status.
                            view! { <ErrorNote error=e /> }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// A table's header row from bilingual column names.
pub fn table_head(lang: Lang, columns: &[(&'static str, &'static str)]) -> impl IntoView {
    let cells = columns.iter().map(|&(zh, en)| view! { <th scope="col">{lang.pick(zh, en)}</th> }).collect_view();
    view! {
        <thead>
            <tr>{cells}</tr>
        </thead>
    }
}

/// Options for a `Select` from loaded rows; a list that failed to load offers nothing.
pub fn options<T>(rows: Result<Vec<T>, AppError>, option: impl Fn(T) -> (i64, String)) -> Vec<(String, String)> {
    rows.unwrap_or_default()
        .into_iter()
        .map(|r| {
            let (id, text) = option(r);
            (id.to_string(), text)
        })
        .collect()
}
