//! Home pages that list the postings in scope with their paired households (the township's
//! secretaries, the inspector's district); the other roles' homes have their own modules.

use domain::commitment::ReleaseDecision;
use domain::model::{Household, Posting};
use domain::{Lang, Role};
use leptos::prelude::*;

use crate::api::attendance::RecordInspection;
use crate::api::postings::{households, postings, AddHousehold};
use crate::components::*;

fn term(p: &Posting) -> String {
    let end = p.ended_on.unwrap_or(p.term_end);
    format!("{} – {}", p.term_start, end)
}

#[component]
fn HouseholdList(households: Vec<Household>) -> impl IntoView {
    let lang = use_lang();
    if households.is_empty() {
        return view! { <p class="muted">{lang.pick("尚未结对", "None paired yet")}</p> }.into_any();
    }
    view! {
        <ul class="plain">
            {households
                .into_iter()
                .map(|h| {
                    view! {
                        <li>
                            {format!(
                                "{}（{}人）{} · {} · {}",
                                h.head_name,
                                h.members,
                                h.address,
                                h.hardship,
                                h.paired_on,
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The paired hardship households (结对帮扶户) of a posting, with a form to add one.
#[component]
pub fn HouseholdsPanel(posting_id: i64, can_add: bool) -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddHousehold>::new();
    let list = Resource::new(|| (), move |_| households(posting_id));
    view! {
        <section class="households" aria-label=lang.pick("结对帮扶户", "Paired households")>
            <h3>{lang.pick("结对帮扶户", "Paired households")}</h3>
            <Loaded resource=list let:hs>
                <HouseholdList households=hs />
            </Loaded>
            {can_add
                .then(|| {
                    view! {
                        <details>
                            <summary>{lang.pick("添加帮扶户", "Add a household")}</summary>
                            <ActionForm action=add attr:class="grid">
                                <input type="hidden" name="posting_id" value=posting_id />
                                <Input label=lang.pick("户主姓名", "Head of household") name="head_name" />
                                <Input
                                    label=lang.pick("家庭人口", "Members")
                                    name="members"
                                    kind="number"
                                    value="1"
                                />
                                <Input label=lang.pick("住址", "Address") name="address" required=false />
                                <Input label=lang.pick("困难类型", "Hardship") name="hardship" required=false />
                                <Input label=lang.pick("结对日期", "Paired on") name="paired_on" kind="date" />
                                <button type="submit">{lang.pick("添加", "Add")}</button>
                            </ActionForm>
                            <Outcome action=add done=lang.pick("已添加", "Added") />
                        </details>
                    }
                })}
        </section>
    }
}

/// A table of postings; each row can show its households (the one `?households=` names). A
/// posting not ended (current, or past its term with nothing recorded) can be ended, with the
/// decision on open commitment items.
#[component]
pub fn PostingsTable(
    postings: Vec<Posting>,
    can_add_households: bool,
    #[prop(optional)] end_action: Option<ServerAction<crate::api::postings::EndPosting>>,
) -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let open = query.read_untracked().get("households").and_then(|h| h.parse::<i64>().ok());
    if postings.is_empty() {
        return view! { <p class="muted">{lang.pick("没有选派记录", "No postings")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                {table_head(
                    lang,
                    &[
                        ("书记", "Secretary"),
                        ("村（社区）", "Village"),
                        ("镇街", "Township"),
                        ("派出单位", "Unit"),
                        ("方式", "Mode"),
                        ("来源", "Source"),
                        ("职级", "Rank"),
                        ("任期", "Term"),
                        ("操作", "Actions"),
                    ],
                )}
                <tbody>
                    {postings
                        .into_iter()
                        .map(|p| {
                            let id = p.id;
                            let label = format!("{} {}", lang.pick("帮扶户", "Households"), p.secretary);
                            view! {
                                <tr class:ended=!p.current>
                                    <td>{p.secretary.clone()}</td>
                                    <td>{p.village.clone()}</td>
                                    <td>{p.township.clone()}</td>
                                    <td>{p.unit.clone()}</td>
                                    <td>{p.mode.label(lang)}</td>
                                    <td>{p.source.label(lang)}</td>
                                    <td>{p.rank_class.label(lang)}</td>
                                    <td>{term(&p)}{(!p.current).then(|| lang.pick("（已结束）", " (ended)"))}</td>
                                    <td>
                                        <form method="get" class="inline" action="#households">
                                            <KeptQuery except=&["households"] />
                                            <button
                                                type="submit"
                                                name="households"
                                                value=if open == Some(id) { String::new() } else { id.to_string() }
                                                class="link"
                                                aria-label=label
                                                aria-expanded=(open == Some(id)).to_string()
                                            >
                                                {lang.pick("帮扶户", "Households")}
                                            </button>
                                        </form>
                                        {end_action
                                            .filter(|_| p.ended_on.is_none())
                                            .map(|a| {
                                                view! {
                                                    <EndPostingForm action=a id=id name=p.secretary.clone() lang=lang />
                                                }
                                            })}
                                    </td>
                                </tr>
                                {(open == Some(id))
                                    .then(|| {
                                        view! {
                                            <tr id="households">
                                                <td colspan="9">
                                                    <HouseholdsPanel posting_id=id can_add=can_add_households />
                                                </td>
                                            </tr>
                                        }
                                    })}
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn EndPostingForm(
    action: ServerAction<crate::api::postings::EndPosting>,
    id: i64,
    name: String,
    lang: Lang,
) -> impl IntoView {
    view! {
        <details>
            <summary>{lang.pick("结束选派", "End posting")}</summary>
            <ActionForm action=action attr:aria-label=format!("{} {}", lang.pick("结束选派", "End posting"), name)>
                <input type="hidden" name="id" value=id />
                <Input label=lang.pick("结束日期", "Ends on") name="ended_on" kind="date" />
                <Input label=lang.pick("原因", "Reason") name="reason" />
                <p class="muted">
                    {lang
                        .pick(
                            "尚有未完成的承诺事项时，须决定如何处理（延期、移交继任者或仍予解除）并写明理由。",
                            "With commitment items open, decide what happens to them (extend, hand over or release anyway) and why.",
                        )}
                </p>
                <label>
                    <span>{lang.pick("未完成承诺的处理", "The open items")}</span>
                    <select name="decision">
                        <option value="">{lang.pick("无未完成事项", "None are open")}</option>
                        {ReleaseDecision::ALL
                            .iter()
                            .map(|d| view! { <option value=d.code()>{d.label(lang)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <Input
                    label=lang.pick("延期至（选择延期时）", "Extend to (when extending)")
                    name="extend_to"
                    kind="date"
                    required=false
                />
                <Input label=lang.pick("处理理由", "Why") name="decision_reason" required=false />
                <button type="submit">{lang.pick("确认结束", "End it")}</button>
            </ActionForm>
        </details>
    }
}

/// The postings in the caller's scope, under a title.
#[component]
fn ScopedPostings(
    title: (&'static str, &'static str),
    roles: &'static [Role],
    can_add_households: bool,
) -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| postings(true));
    view! {
        <Guard roles=roles>
            <h1>{lang.pick(title.0, title.1)}</h1>
            <Loaded resource=list let:ps>
                <p class="muted">{format!("{} {}", ps.len(), lang.pick("名书记在岗", "secretaries in post"))}</p>
                <PostingsTable postings=ps can_add_households=can_add_households />
            </Loaded>
        </Guard>
    }
}

/// 镇街: the secretaries posted in the supervisor's township and their paired households.
#[component]
pub fn TownshipPostings() -> impl IntoView {
    view! {
        <ScopedPostings
            title=("本镇街第一书记", "Secretaries in our township")
            roles=&[Role::TownshipSupervisor]
            can_add_households=true
        />
    }
}

/// 督察: every secretary of the district, and the record of an unannounced visit.
#[component]
pub fn InspectHome() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| postings(true));
    view! {
        <Guard roles=&[Role::Inspector]>
            <h1>{lang.pick("全区第一书记", "Secretaries in the district")}</h1>
            <section class="card" aria-label=lang.pick("记录督查", "Record an inspection")>
                <h2>{lang.pick("记录督查", "Record an inspection")}</h2>
                <Loaded resource=list let:ps>
                    <InspectionForm secretaries=ps
                        .iter()
                        .map(|p| (p.id.to_string(), format!("{} · {} {}", p.secretary, p.township, p.village)))
                        .collect() />
                </Loaded>
            </section>
            <Loaded resource=list let:ps>
                <PostingsTable postings=ps can_add_households=false />
            </Loaded>
        </Guard>
    }
}

/// An unannounced visit's finding, then (once recorded) its photo.
#[island]
fn InspectionForm(secretaries: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    let record = ServerAction::<RecordInspection>::new();
    view! {
        <ActionForm action=record attr:class="grid">
            <Select label=lang.pick("第一书记", "Secretary") name="posting_id" options=secretaries />
            <Select
                label=lang.pick("督查结果", "Finding")
                name="present"
                options=vec![
                    ("true".into(), lang.pick("在岗", "Present").into()),
                    ("false".into(), lang.pick("不在岗", "Absent").into()),
                ]
            />
            <Input label=lang.pick("说明", "Note") name="note" required=false />
            <button type="submit">{lang.pick("保存督查记录", "Save the inspection")}</button>
        </ActionForm>
        <Outcome action=record done=lang.pick("已记录", "Recorded") />
        {move || match record.value().get() {
            Some(Ok(id)) => Some(view! { <InspectionPhoto id /> }),
            _ => None,
        }}
    }
}

/// The photo taken at an inspection just recorded, sent as it is (`PUT /inspections/{id}/photo`).
#[component]
fn InspectionPhoto(id: i64) -> impl IntoView {
    use wasm_bindgen::JsCast;
    let lang = use_lang();
    let sent = RwSignal::new(None::<bool>);
    let upload = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        leptos::task::spawn_local(async move {
            let init = web_sys::RequestInit::new();
            init.set_method("PUT");
            init.set_credentials(web_sys::RequestCredentials::SameOrigin);
            init.set_body(&file);
            let headers = web_sys::Headers::new().ok();
            if let Some(h) = &headers {
                let _ = h.set("content-type", &file.type_());
                init.set_headers(h);
            }
            let Some(window) = web_sys::window() else { return };
            let answer = wasm_bindgen_futures::JsFuture::from(
                window.fetch_with_str_and_init(&format!("/inspections/{id}/photo"), &init),
            )
            .await;
            let ok = answer.ok().and_then(|r| r.dyn_into::<web_sys::Response>().ok()).is_some_and(|r| r.ok());
            sent.set(Some(ok));
        });
    };
    view! {
        <label>
            {lang.pick("现场照片（可选）", "Photo on site (optional)")}
            <input type="file" accept="image/*" capture="environment" on:change=upload />
        </label>
        {move || {
            sent.get()
                .map(|ok| {
                    let (role, class, text) = if ok {
                        ("status", "ok", lang.pick("照片已保存", "Photo saved"))
                    } else {
                        (
                            "alert",
                            "error",
                            lang
                                .pick(
                                    "照片未能保存，请重试（JPEG/PNG/WebP，最大 8 MB）",
                                    "The photo was not saved; try again (JPEG/PNG/WebP, up to 8 MB)",
                                ),
                        )
                    };
                    view! {
                        <p role=role class=class>
                            {text}
                        </p>
                    }
                })
        }}
    }
}
