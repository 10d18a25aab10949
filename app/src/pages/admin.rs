//! The organisation department's pages: overview, accounts, postings, import, audit log.

use domain::model::Account;
use domain::org::{PostingMode, PostingSource, RankClass};
use domain::{Lang, Role};
use leptos::prelude::*;

use super::homes::PostingsTable;
use crate::api::accounts::*;
use crate::api::audit::audit_log;
use crate::api::org::{districts, townships, units, villages};
use crate::api::postings::{postings, CreatePosting, EndPosting};
use crate::components::*;
use crate::error::AppError;

/// Three lists of (value, text) options.
type Choices = (Vec<(String, String)>, Vec<(String, String)>, Vec<(String, String)>);

#[component]
pub fn AdminHome() -> impl IntoView {
    let lang = use_lang();
    let counts = Resource::new(
        || (),
        |_| async move {
            Ok::<_, AppError>([
                townships().await?.len(),
                villages(None).await?.len(),
                units().await?.len(),
                accounts(None).await?.len(),
                postings(true).await?.len(),
            ])
        },
    );
    let links = [
        ("/admin/townships", ("镇街", "Townships")),
        ("/admin/villages", ("村（社区）", "Villages")),
        ("/admin/units", ("派出单位", "Dispatching units")),
        ("/admin/accounts", ("账号", "Accounts")),
        ("/admin/postings", ("在岗选派", "Current postings")),
    ];
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("组织部概览", "Organisation overview")}</h1>
            <Loaded resource=counts let:n>
                <ul class="tiles">
                    {links
                        .into_iter()
                        .zip(n)
                        .map(|((href, (zh, en)), count)| {
                            view! {
                                <li>
                                    <a href=href>
                                        <strong>{count}</strong>
                                        <span>{lang.pick(zh, en)}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Loaded>
        </Guard>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let account_choices = account_choices();
    let lang = use_lang();
    let me = use_me();
    let create = ServerAction::<CreateAccount>::new();
    let toggle = ServerAction::<SetAccountActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let edit = ServerAction::<UpdateAccount>::new();
    let query = leptos_router::hooks::use_query_map();
    let role_filter = move || query.read().get("role").and_then(|r| Role::parse(&r));
    let list = Resource::new(role_filter, accounts);
    let is_admin = move || matches!(me.get(), Some(Ok(Some(m))) if ADMINS.contains(&m.role));
    view! {
        <Guard roles=&[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor]>
            <h1>{lang.pick("账号", "Accounts")}</h1>
            <GetForm button=lang.pick("筛选", "Filter")>
                <Select
                    label=lang.pick("按角色筛选", "Filter by role")
                    none=lang.pick("全部", "All")
                    name="role"
                    options=enum_options(Role::ALL, Role::code, |r| r.label(lang))
                    selected=role_filter().map_or("", Role::code)
                />
            </GetForm>
            <Loaded resource=list let:accs>
                <AccountsTable accounts=accs toggle reset edit admin=is_admin() lang />
            </Loaded>
            <Outcome action=toggle done=lang.pick("已更新", "Updated") />
            <Outcome action=reset done=lang.pick("密码已重置", "Password reset") />
            <Outcome action=edit done=lang.pick("已保存", "Saved") />
            <Show when=is_admin>
                <NewAccountForm action=create choices=account_choices />
            </Show>
        </Guard>
    }
}

#[component]
fn AccountsTable(
    accounts: Vec<Account>,
    toggle: ServerAction<SetAccountActive>,
    reset: ServerAction<ResetPassword>,
    edit: ServerAction<UpdateAccount>,
    admin: bool,
    lang: Lang,
) -> impl IntoView {
    view! {
        <p class="muted">{format!("{} {}", accounts.len(), lang.pick("个账号", "accounts"))}</p>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{lang.pick("用户名", "Username")}</th>
                        <th scope="col">{lang.pick("姓名", "Name")}</th>
                        <th scope="col">{lang.pick("角色", "Role")}</th>
                        <th scope="col">{lang.pick("所属", "Scope")}</th>
                        <th scope="col">{lang.pick("状态", "Status")}</th>
                        {admin.then(|| view! { <th scope="col">{lang.pick("操作", "Actions")}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {accounts
                        .into_iter()
                        .map(|a| {
                            view! {
                                <tr class:ended=!a.active>
                                    <td>{a.username.clone()}</td>
                                    <td>{a.display_name.clone()}</td>
                                    <td>{a.role.label(lang)}</td>
                                    <td>{a.scope_name.clone()}</td>
                                    <td>
                                        {if a.active {
                                            lang.pick("启用", "active")
                                        } else {
                                            lang.pick("停用", "disabled")
                                        }}
                                    </td>
                                    {admin
                                        .then(|| {
                                            view! {
                                                <td>
                                                    <ActionForm action=toggle attr:class="inline">
                                                        <input type="hidden" name="id" value=a.id />
                                                        <input
                                                            type="hidden"
                                                            name="active"
                                                            value=(!a.active).to_string()
                                                        />
                                                        <button
                                                            type="submit"
                                                            class="link"
                                                            aria-label=format!(
                                                                "{} {}",
                                                                if a.active {
                                                                    lang.pick("停用", "Disable")
                                                                } else {
                                                                    lang.pick("启用", "Enable")
                                                                },
                                                                a.username,
                                                            )
                                                        >
                                                            {if a.active {
                                                                lang.pick("停用", "Disable")
                                                            } else {
                                                                lang.pick("启用", "Enable")
                                                            }}
                                                        </button>
                                                    </ActionForm>
                                                    <details>
                                                        <summary>{lang.pick("编辑", "Edit")}</summary>
                                                        <ActionForm action=edit>
                                                            <input type="hidden" name="id" value=a.id />
                                                            <Input
                                                                label=lang.pick("姓名", "Name")
                                                                name="display_name"
                                                                value=a.display_name.clone()
                                                            />
                                                            <Input
                                                                label=lang.pick("手机", "Phone")
                                                                name="phone"
                                                                kind="tel"
                                                                required=false
                                                                value=a.phone.clone().unwrap_or_default()
                                                            />
                                                            <button type="submit">{lang.pick("保存", "Save")}</button>
                                                        </ActionForm>
                                                    </details>
                                                    <details>
                                                        <summary>{lang.pick("重置密码", "Reset password")}</summary>
                                                        <ActionForm action=reset>
                                                            <input type="hidden" name="id" value=a.id />
                                                            <Input
                                                                label=lang.pick("新密码", "New password")
                                                                name="password"
                                                                kind="password"
                                                            />
                                                            <button type="submit">
                                                                {lang.pick("重置", "Reset")}
                                                            </button>
                                                        </ActionForm>
                                                    </details>
                                                </td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The choices the form offers, loaded with the page (not inside its Suspense).
fn account_choices() -> Resource<Choices> {
    Resource::new(
        || (),
        |_| async move {
            let d = options(districts().await, |c| (c.id, c.name));
            let t = options(townships().await, |c| (c.id, c.name));
            let u = options(units().await, |c| (c.id, c.name));
            (d, t, u)
        },
    )
}

#[component]
fn NewAccountForm(action: ServerAction<CreateAccount>, choices: Resource<Choices>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card">
            <h2>{lang.pick("新增账号", "Add an account")}</h2>
            <Suspense fallback=move || loading(
                lang,
            )>
                {move || Suspend::new(async move {
                    let (districts, townships, units) = choices.await;
                    view! {
                        <ActionForm action=action attr:class="grid">
                            <Input label=lang.pick("用户名", "Username") name="username" />
                            <Input label=lang.pick("姓名", "Name") name="display_name" />
                            <Input label=lang.pick("手机", "Phone") name="phone" kind="tel" required=false />
                            <RoleAndScope districts townships units />
                            <Input
                                label=lang.pick("初始密码（至少 10 位）", "Initial password (10+ characters)")
                                name="password"
                                kind="password"
                            />
                            <button type="submit">{lang.pick("新增", "Add")}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <Outcome action=action done=lang.pick("已新增", "Added") />
        </section>
    }
}

/// A new account's role and the part of the tree it covers, whose choices follow the role.
#[island]
fn RoleAndScope(
    districts: Vec<(String, String)>,
    townships: Vec<(String, String)>,
    units: Vec<(String, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let role = RwSignal::new(Role::Secretary);
    view! {
        <label>
            <span>{lang.pick("角色", "Role")}</span>
            <select
                name="role"
                on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Secretary))
            >
                {Role::ALL
                    .iter()
                    .map(|r| {
                        view! {
                            <option value=r.code() selected=*r == Role::Secretary>
                                {r.label(lang)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        {move || {
            let (label, options) = match role.get() {
                Role::TownshipSupervisor => (lang.pick("所属镇街", "Township"), townships.clone()),
                Role::UnitViewer => (lang.pick("所属单位", "Unit"), units.clone()),
                Role::SysAdmin => return view! { <input type="hidden" name="scope_id" value="0" /> }.into_any(),
                _ => (lang.pick("所属区", "District"), districts.clone()),
            };
            view! { <Select label=label name="scope_id" options=options /> }.into_any()
        }}
    }
}

#[component]
pub fn PostingsPage() -> impl IntoView {
    let posting_choices = posting_choices();
    let lang = use_lang();
    let create = ServerAction::<CreatePosting>::new();
    let end = ServerAction::<EndPosting>::new();
    // Current postings unless the filter's box was cleared (`?shown=1` without `current`).
    let query = leptos_router::hooks::use_query_map();
    let current_only = move || {
        let q = query.read();
        q.get("current").is_some() || q.get("shown").is_none()
    };
    let list = Resource::new(current_only, postings);
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("选派", "Postings")}</h1>
            <GetForm button=lang.pick("筛选", "Filter") kept=vec![("shown", "1".into())]>
                <label class="check">
                    <input type="checkbox" name="current" value="1" checked=current_only() />
                    <span>{lang.pick("只看在岗", "Current only")}</span>
                </label>
            </GetForm>
            <Loaded resource=list let:ps>
                <PostingsTable postings=ps can_add_households=true end_action=end />
            </Loaded>
            <Outcome action=end done=lang.pick("选派已结束", "Posting ended") />
            <NewPostingForm action=create choices=posting_choices />
        </Guard>
    }
}

/// The choices the form offers, loaded with the page (not inside its Suspense).
fn posting_choices() -> Resource<Choices> {
    Resource::new(
        || (),
        |_| async move {
            let s = options(accounts(Some(Role::Secretary)).await, |a| {
                (a.id, format!("{}（{}）", a.display_name, a.username))
            });
            let v = options(villages(None).await, |v| (v.id, format!("{} · {}", v.township, v.name)));
            let u = options(units().await, |u| (u.id, u.name));
            (s, v, u)
        },
    )
}

#[component]
fn NewPostingForm(action: ServerAction<CreatePosting>, choices: Resource<Choices>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card">
            <h2>{lang.pick("新增选派", "Add a posting")}</h2>
            <Suspense fallback=move || loading(
                lang,
            )>
                {move || Suspend::new(async move {
                    let (s, v, u) = choices.await;
                    view! {
                        <ActionForm action=action attr:class="grid">
                            <Select label=lang.pick("第一书记", "Secretary") name="secretary_id" options=s />
                            <Select label=lang.pick("村（社区）", "Village") name="village_id" options=v />
                            <Select label=lang.pick("派出单位", "Dispatching unit") name="unit_id" options=u />
                            <Input label=lang.pick("任期开始", "Term starts") name="term_start" kind="date" />
                            <Input label=lang.pick("任期结束", "Term ends") name="term_end" kind="date" />
                            <Select
                                label=lang.pick("驻村方式", "Mode")
                                name="mode"
                                options=enum_options(PostingMode::ALL, PostingMode::code, |m| m.label(lang))
                            />
                            <Select
                                label=lang.pick("来源", "Source")
                                name="source"
                                options=enum_options(PostingSource::ALL, PostingSource::code, |m| m.label(lang))
                            />
                            <Select
                                label=lang.pick("职级", "Rank class")
                                name="rank_class"
                                options=enum_options(RankClass::ALL, RankClass::code, |m| m.label(lang))
                            />
                            <Input label=lang.pick("轮次", "Round") name="round" kind="number" value="1" />
                            <Input label=lang.pick("助理姓名", "Assistant") name="assistant_name" required=false />
                            <Input
                                label=lang.pick("助理手机", "Assistant's phone")
                                name="assistant_phone"
                                kind="tel"
                                required=false
                            />
                            <button type="submit">{lang.pick("新增", "Add")}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <Outcome action=action done=lang.pick("已新增", "Added") />
        </section>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("导入", "Import")}</h1>
            <p>
                {lang
                    .pick(
                        "支持 Excel（.xlsx .xls）、.ods 与 CSV（UTF-8）。第一行为表头；任何一行有错则整份文件不导入，并列出每处错误。",
                        "Excel (.xlsx .xls), .ods and CSV (UTF-8). The first row is the header; if any row is wrong nothing is imported and every error is listed.",
                    )}
            </p>
            <p>
                {lang.pick("模板：", "Templates: ")} <a href="/templates/villages.csv" download rel="external">
                    {lang.pick("村（社区）", "villages")}
                </a> " · " <a href="/templates/secretaries.csv" download rel="external">
                    {lang.pick("第一书记", "secretaries")}
                </a>
            </p>
            <ImportForm />
        </Guard>
    }
}

/// The upload (multipart), answered in place: the rows imported, or every bad cell.
#[island]
fn ImportForm() -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{FormData, HtmlFormElement, SubmitEvent};

    let lang = use_lang();
    let upload = Action::new_local(|data: &FormData| crate::api::import::import(data.clone().into()));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok());
        if let Some(data) = form.and_then(|f| FormData::new_with_form(&f).ok()) {
            upload.dispatch_local(data);
        }
    };
    view! {
        <form class="card grid" on:submit=on_submit>
            <fieldset>
                <legend>{lang.pick("导入内容", "What to import")}</legend>
                <label class="check">
                    <input type="radio" name="kind" value="villages" checked=true />
                    <span>{lang.pick("村（社区）", "Villages")}</span>
                </label>
                <label class="check">
                    <input type="radio" name="kind" value="secretaries" />
                    <span>{lang.pick("第一书记及选派", "Secretaries and postings")}</span>
                </label>
            </fieldset>
            <Input
                label=lang
                    .pick(
                        "书记初始密码（导入书记时必填）",
                        "Secretaries' initial password (for secretaries)",
                    )
                name="password"
                kind="password"
                required=false
            />
            <label>
                <span>{lang.pick("文件", "File")}</span>
                <input type="file" name="file" required accept=".xlsx,.xls,.ods,.csv" />
            </label>
            <button type="submit" disabled=move || upload.pending().get()>
                {lang.pick("导入", "Import")}
            </button>
        </form>
        {move || match upload.value().get() {
            Some(Ok(n)) => {
                view! {
                    <p role="status" class="ok">
                        {format!("{} {n} {}", lang.pick("已导入", "Imported"), lang.pick("行", "rows"))}
                    </p>
                }
                    .into_any()
            }
            Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| audit_log());
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("审计日志", "Audit log")}</h1>
            <Loaded resource=list let:es>
                <div class="table-wrap">
                    <table>
                        {table_head(
                            lang,
                            &[
                                ("时间（北京时间）", "Time (UTC+8)"),
                                ("操作人", "Who"),
                                ("操作", "Action"),
                                ("对象", "Record"),
                                ("详情", "Detail"),
                            ],
                        )}
                        <tbody>
                            {es
                                .into_iter()
                                .map(|e| {
                                    let at = domain::time::china(e.at);
                                    view! {
                                        <tr>
                                            <td>{at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                            <td>{e.actor.unwrap_or_default()}</td>
                                            <td>{e.action}</td>
                                            <td>
                                                {format!(
                                                    "{} #{}",
                                                    e.entity,
                                                    e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                                                )}
                                            </td>
                                            <td>
                                                <code>{e.detail}</code>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </Loaded>
        </Guard>
    }
}
