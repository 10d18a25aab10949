//! 帮扶项目库 (`/projects`): the secretary's own projects and the proposal form; for the
//! township, the unit and the department, the database with its filters and sums. A project's
//! page (`/projects/view?id=`) shows it in full with the review or the milestones the caller may
//! act on.

use domain::commitment::{CommitmentItem, CommitmentState};
use domain::project::{Project, ProjectList, ProjectSector, ProjectStatus, ProjectTerm, ReviewDecision};
use domain::{Lang, Role};
use leptos::prelude::*;

use crate::api::projects::*;
use crate::components::*;
use crate::pages::board::local;

const EVERYONE: &[Role] =
    &[Role::Secretary, Role::TownshipSupervisor, Role::UnitViewer, Role::Inspector, Role::DeptAdmin, Role::SysAdmin];

fn yuan(v: i64) -> String {
    format!("{v}")
}

/// The address's value of `key`, if any.
fn query(key: &'static str) -> impl Fn() -> Option<String> + Copy {
    let q = leptos_router::hooks::use_query_map();
    move || q.read().get(key).filter(|v| !v.is_empty())
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let lang = use_lang();
    let (township, term, sector, status, overdue) =
        (query("township_id"), query("term"), query("sector"), query("status"), query("overdue"));
    let list = Resource::new(
        move || (township(), term(), sector(), status(), overdue()),
        |(t, term, sector, status, overdue)| projects(t.and_then(|t| t.parse().ok()), term, sector, status, overdue),
    );
    // A secretary gets the proposal form's choices and the commitment; everyone else the
    // filters' townships.
    let side = Resource::new(
        || (),
        |_| async {
            Ok::<_, crate::error::AppError>(match proposal_options().await {
                Ok(c) => Side::Secretary(c, my_commitments().await?),
                Err(_) => {
                    let ts = crate::api::org::townships().await.unwrap_or_default();
                    Side::Follower(ts.into_iter().map(|t| (t.id, t.name)).collect())
                }
            })
        },
    );
    let save = ServerAction::<SaveProject>::new();
    let commit = CommitmentActions { add: ServerAction::new(), done: ServerAction::new() };
    view! {
        <Guard roles=EVERYONE>
            <h1>{lang.pick("帮扶项目库", "Assistance projects")}</h1>
            <p class="muted">
                {lang
                    .pick(
                        "第一书记依据调研报告提出帮扶项目，经镇街、组织部审核通过后入库；进度来自走访和实事记录。",
                        "Secretaries propose projects from their research; approved by the township and then the department, they enter the database. Progress comes from the visits and practical matters that name them.",
                    )}
            </p>
            <Loaded resource=side let:s>
                {match s {
                    Side::Secretary(c, items) => {
                        view! {
                            <ProposalForm choices=c.clone() save project=None />
                            <Commitments items=items projects=c.projects.clone() actions=commit />
                        }
                            .into_any()
                    }
                    Side::Follower(townships) => view! { <Filters townships /> }.into_any(),
                }}
            </Loaded>
            <Loaded resource=list let:l>
                <ListView list=l />
            </Loaded>
        </Guard>
    }
}

/// What the page shows beside the list.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
enum Side {
    /// The proposal form's choices; the secretary's commitment items and those handed over.
    Secretary(ProposalChoices, (Vec<CommitmentItem>, Vec<CommitmentItem>)),
    /// The townships to filter by.
    Follower(Vec<(i64, String)>),
}

#[derive(Clone, Copy)]
struct CommitmentActions {
    add: ServerAction<AddCommitment>,
    done: ServerAction<CommitmentDone>,
}

/// 年度发展目标承诺: the secretary's items with their due dates, states and projects; the items an
/// earlier secretary of the village handed over; adding one.
#[component]
fn Commitments(
    items: (Vec<CommitmentItem>, Vec<CommitmentItem>),
    projects: Vec<(i64, String)>,
    actions: CommitmentActions,
) -> impl IntoView {
    let lang = use_lang();
    let (own, handed) = items;
    // Own items are finished while open; a predecessor's once handed over.
    let item = move |c: CommitmentItem, finishable: CommitmentState| {
        let linked = c.projects.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join("、");
        let open = c.state == finishable;
        view! {
            <li>
                {format!(
                    "{} {} · {}{}",
                    c.due,
                    c.text,
                    c.state.label(lang),
                    c.done_on.map(|d| format!(" {d}")).unwrap_or_default(),
                )} {(!linked.is_empty()).then(|| format!(" · {}{linked}", lang.pick("项目：", "projects: ")))}
                {open
                    .then(|| {
                        view! {
                            <ActionForm action=actions.done attr:class="inline">
                                <input type="hidden" name="id" value=c.id />
                                <button type="submit" class="secondary">
                                    {lang.pick("标记完成", "Mark done")}
                                </button>
                            </ActionForm>
                        }
                    })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="commitment-h">
            <h2 id="commitment-h">{lang.pick("年度发展目标承诺事项", "Development-goal commitments")}</h2>
            <p class="muted">
                {lang
                    .pick(
                        "承诺事项完成、帮扶目标实现后方可与帮包村解除捆绑；未完成的，由组织部决定延期、移交继任者或仍予解除。",
                        "You are released from the village once what you promised is done; otherwise the department decides to extend, hand over or release anyway.",
                    )}
            </p>
            <ul class="plain" aria-label=lang.pick("我的承诺事项", "My commitments")>
                {own.into_iter().map(|c| item(c, CommitmentState::Open)).collect_view()}
            </ul>
            {(!handed.is_empty())
                .then(|| {
                    view! {
                        <h3>{lang.pick("前任移交的承诺事项", "Handed over by the previous secretary")}</h3>
                        <ul class="plain" aria-label=lang.pick("前任移交的承诺事项", "Handed over")>
                            {handed
                                .into_iter()
                                .map(|c| {
                                    let by = c.secretary.clone();
                                    view! {
                                        {item(c, CommitmentState::HandedOver)}
                                        <li class="muted">
                                            {format!("{}{by}", lang.pick("承诺人：", "promised by "))}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <Outcome action=actions.done done=lang.pick("已标记完成", "Marked done") />
            <ActionForm
                action=actions.add
                attr:class="grid"
                attr:aria-label=lang.pick("新增承诺事项", "Add an item")
            >
                <Input label=lang.pick("承诺事项", "What is promised") name="text" />
                <Input label=lang.pick("完成期限", "Due") name="due" kind="date" />
                {(!projects.is_empty())
                    .then(|| {
                        view! {
                            <fieldset>
                                <legend>{lang.pick("关联的帮扶项目", "Through the projects")}</legend>
                                {projects
                                    .into_iter()
                                    .map(|(id, title)| {
                                        view! {
                                            <label class="check">
                                                <input type="checkbox" name="projects[]" value=id.to_string() />
                                                {title}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
                <button type="submit">{lang.pick("新增承诺事项", "Add the item")}</button>
            </ActionForm>
            <Outcome action=actions.add done=lang.pick("已新增", "Added") />
        </section>
    }
}

#[component]
fn Filters(townships: Vec<(i64, String)>) -> impl IntoView {
    let lang = use_lang();
    let q = leptos_router::hooks::use_query_map();
    let now = move |k: &str| q.with_untracked(|q| q.get(k));
    view! {
        <GetForm
            button=lang.pick("筛选", "Filter")
            label=lang.pick("筛选项目", "Filter the projects")
            class="filters"
        >
            <Select
                label=lang.pick("镇街", "Township")
                none=lang.pick("全部", "All")
                name="township_id"
                options=townships.into_iter().map(|(id, name)| (id.to_string(), name)).collect()
                selected=now("township_id").unwrap_or_default()
            />
            <Select
                label=lang.pick("类型", "Term")
                none=lang.pick("全部", "All")
                name="term"
                options=enum_options(ProjectTerm::ALL, ProjectTerm::code, |t| t.label(lang))
                selected=now("term").unwrap_or_default()
            />
            <Select
                label=lang.pick("领域", "Field")
                none=lang.pick("全部", "All")
                name="sector"
                options=enum_options(ProjectSector::ALL, ProjectSector::code, |s| s.label(lang))
                selected=now("sector").unwrap_or_default()
            />
            <Select
                label=lang.pick("状态", "Status")
                none=lang.pick("全部", "All")
                name="status"
                options=enum_options(ProjectStatus::ALL, ProjectStatus::code, |s| s.label(lang))
                selected=now("status").unwrap_or_default()
            />
            <label class="check">
                <input type="checkbox" name="overdue" value="1" checked=now("overdue").is_some_and(|o| !o.is_empty()) />
                {lang.pick("只看节点逾期", "Overdue milestones only")}
            </label>
        </GetForm>
    }
}

#[component]
fn ListView(list: ProjectList) -> impl IntoView {
    let lang = use_lang();
    let (budget, arrived, households) = list.totals();
    let today = list.today;
    let export = leptos_router::hooks::use_location().search.get_untracked();
    let summary = match lang {
        Lang::Zh => format!("已入库项目预算合计 {budget} 元，已到位 {arrived} 元，受益 {households} 户"),
        Lang::En => format!("Approved projects: budget {budget} yuan, {arrived} yuan arrived, {households} households"),
    };
    view! {
        <section class="card" aria-labelledby="projects-h">
            <h2 id="projects-h">{format!("{}（{}）", lang.pick("项目", "Projects"), list.projects.len())}</h2>
            <p data-testid="project-totals">{summary}</p>
            <p>
                <a href=format!("/reports/projects.xlsx{export}") rel="external" download>
                    {lang.pick("导出本表（Excel）", "Export (Excel)")}
                </a>
            </p>
            {if list.projects.is_empty() {
                view! { <p class="muted">{lang.pick("没有符合条件的项目。", "No projects.")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="cards" aria-label=lang.pick("项目列表", "Project list")>
                            {table_head(lang, &COLUMNS)}
                            <tbody>
                                {list
                                    .projects
                                    .into_iter()
                                    .map(|p| {
                                        let c = |i: usize| lang.pick(COLUMNS[i].0, COLUMNS[i].1);
                                        let overdue = p.overdue(today);
                                        let done = p.milestones.iter().filter(|m| m.done_on.is_some()).count();
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    <a href=format!("/projects/view?id={}", p.id)>{p.title.clone()}</a>
                                                </th>
                                                <td data-label=c(
                                                    1,
                                                )>{format!("{} · {} · {}", p.township, p.village, p.secretary)}</td>
                                                <td data-label=c(
                                                    2,
                                                )>{format!("{} · {}", p.term.label(lang), p.sector.label(lang))}</td>
                                                <td data-label=c(
                                                    3,
                                                )>
                                                    {p.status.label(lang)}
                                                    {p
                                                        .research_untrue
                                                        .is_some()
                                                        .then(|| lang.pick("（调研不实）", " (research untrue)"))}
                                                </td>
                                                <td data-label=c(
                                                    4,
                                                )>{format!("{} / {}", yuan(p.progress.yuan), yuan(p.budget_yuan))}</td>
                                                <td data-label=c(5)>{p.beneficiaries()}</td>
                                                <td data-label=c(6) class:over=overdue>
                                                    {format!(
                                                        "{done}/{}{}",
                                                        p.milestones.len(),
                                                        if overdue {
                                                            lang.pick("（逾期）", " (overdue)")
                                                        } else {
                                                            ""
                                                        },
                                                    )}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

const COLUMNS: [(&str, &str); 7] = [
    ("项目", "Project"),
    ("村 · 书记", "Village · secretary"),
    ("类型", "Kind"),
    ("状态", "Status"),
    ("到位/预算（元）", "Arrived/budget (yuan)"),
    ("受益户", "Households"),
    ("节点", "Milestones"),
];

/// The proposal form, or the change of a project under review or returned (`project`).
#[component]
fn ProposalForm(choices: ProposalChoices, save: ServerAction<SaveProject>, project: Option<Project>) -> impl IntoView {
    let lang = use_lang();
    let p = project.clone();
    let title = if p.is_some() {
        lang.pick("修改项目", "Change the project")
    } else {
        lang.pick("提出帮扶项目", "Propose a project")
    };
    let milestones = p
        .as_ref()
        .map(|p| p.milestones.iter().map(|m| format!("{} {}", m.due, m.title)).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    let chosen: Vec<i64> = p.as_ref().map(|p| p.households.iter().map(|h| h.0).collect()).unwrap_or_default();
    if choices.research.is_empty() {
        return view! {
            <section class="card">
                <h2>{title}</h2>
                <p class="muted">
                    {lang
                        .pick(
                            "项目须依据本村的调研报告提出：请先在手机上提交调研报告并同步。",
                            "A project comes from a research report of your village: record and sync one on the phone first.",
                        )}
                </p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="propose-h">
            <h2 id="propose-h">{title}</h2>
            <ActionForm action=save attr:class="grid" attr:aria-label=title>
                {p.as_ref().map(|p| view! { <input type="hidden" name="id" value=p.id /> })}
                <Select
                    label=lang.pick("依据的调研报告", "From the research report")
                    name="research_id"
                    selected=p.as_ref().map(|p| p.research.0.clone()).unwrap_or_default()
                    options=choices.research.iter().map(|(id, t, d)| (id.clone(), format!("{t}（{d}）"))).collect()
                />
                <Input
                    label=lang.pick("项目名称", "Title")
                    name="title"
                    value=p.as_ref().map(|p| p.title.clone()).unwrap_or_default()
                />
                <Select
                    label=lang.pick("类型", "Term")
                    name="term"
                    selected=p.as_ref().map(|p| p.term.code().to_string()).unwrap_or_default()
                    options=enum_options(ProjectTerm::ALL, ProjectTerm::code, |t| t.label(lang))
                />
                <Select
                    label=lang.pick("领域", "Field")
                    name="sector"
                    selected=p.as_ref().map(|p| p.sector.code().to_string()).unwrap_or_default()
                    options=enum_options(ProjectSector::ALL, ProjectSector::code, |s| s.label(lang))
                />
                <Input
                    label=lang.pick("预算（元）", "Budget (yuan)")
                    name="budget_yuan"
                    kind="number"
                    required=false
                    value=p.as_ref().map(|p| p.budget_yuan.to_string()).unwrap_or_default()
                />
                <Input
                    label=lang.pick("资金来源", "Funding")
                    name="funding"
                    required=false
                    value=p.as_ref().map(|p| p.funding.clone()).unwrap_or_default()
                />
                {(!choices.households.is_empty())
                    .then(|| {
                        view! {
                            <fieldset>
                                <legend>{lang.pick("受益的结对帮扶户", "Paired households it helps")}</legend>
                                {choices
                                    .households
                                    .iter()
                                    .map(|(id, name)| {
                                        view! {
                                            <label class="check">
                                                <input
                                                    type="checkbox"
                                                    name="households[]"
                                                    value=id.to_string()
                                                    checked=chosen.contains(id)
                                                />
                                                {name.clone()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })}
                <Input
                    label=lang.pick("其他受益户数", "Other households")
                    name="other_households"
                    kind="number"
                    required=false
                    value=p.as_ref().map(|p| p.other_households.to_string()).unwrap_or_default()
                />
                <label class="wide">
                    <span>
                        {lang
                            .pick(
                                "进度节点（每行一个，日期在前，如 2027-03-31 完成可行性论证）",
                                "Milestones (one a line, date first: 2027-03-31 feasibility study)",
                            )}
                    </span>
                    <textarea name="milestones" rows="4" required>
                        {milestones}
                    </textarea>
                </label>
                <button type="submit">
                    {if p.is_some() {
                        lang.pick("保存并重新提交审核", "Save and submit again")
                    } else {
                        lang.pick("提交镇街审核", "Submit to the township")
                    }}
                </button>
            </ActionForm>
            <Outcome
                action=save
                done=lang.pick("已提交，等待镇街审核", "Submitted: the township reviews it next")
            />
        </section>
    }
    .into_any()
}

/// `/projects/view?id=`: a project in full.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let lang = use_lang();
    let id = query("id");
    // The project, the caller's role and (a secretary's) the choices to change it.
    // Opened without a project (an old bookmark): the list is one link away.
    let page = Resource::new(id, |id| async move {
        let Some(id) = id else { return Ok::<_, crate::error::AppError>(None) };
        let id = id.parse::<i64>().map_err(|_| crate::error::AppError::NotFound)?;
        let project = project_detail(id).await?;
        let role = crate::api::session::current_account().await?.map(|m| m.role);
        Ok(Some((project, role, proposal_options().await.ok())))
    });
    let review = ServerAction::<ReviewProject>::new();
    let tick = ServerAction::<ProjectMilestone>::new();
    let save = ServerAction::<SaveProject>::new();
    view! {
        <Guard roles=EVERYONE>
            <p>
                <a href="/projects">{lang.pick("← 帮扶项目库", "← Assistance projects")}</a>
            </p>
            <Loaded resource=page let:p>
                {match p {
                    Some((project, role, choices)) => {
                        view! { <ProjectView project role review tick save choices /> }.into_any()
                    }
                    None => {
                        view! {
                            <p class="muted">
                                {lang.pick("请从项目库中打开一个项目。", "Open a project from the list.")}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </Loaded>
        </Guard>
    }
}

#[component]
fn ProjectView(
    project: Project,
    role: Option<Role>,
    review: ServerAction<ReviewProject>,
    tick: ServerAction<ProjectMilestone>,
    save: ServerAction<SaveProject>,
    choices: Option<ProposalChoices>,
) -> impl IntoView {
    let lang = use_lang();
    let p = project;
    let secretary = role == Some(Role::Secretary);
    let reviewer = role.is_some_and(|r| p.status.awaits(r));
    let households = p.households.iter().map(|h| h.1.clone()).collect::<Vec<_>>().join("、");
    let approved = p.status == ProjectStatus::Approved;
    let facts = [
        (lang.pick("村 · 书记", "Village · secretary"), format!("{} · {} · {}", p.township, p.village, p.secretary)),
        (lang.pick("类型 · 领域", "Term · field"), format!("{} · {}", p.term.label(lang), p.sector.label(lang))),
        (lang.pick("状态", "Status"), p.status.label(lang).to_string()),
        (lang.pick("依据的调研报告", "From the research"), p.research.1.clone()),
        (lang.pick("预算（元）", "Budget (yuan)"), p.budget_yuan.to_string()),
        (lang.pick("资金来源", "Funding"), p.funding.clone()),
        (
            lang.pick("受益户", "Households"),
            format!(
                "{}{}{} {}",
                households,
                if households.is_empty() { "" } else { lang.pick("；其他 ", "; others ") },
                p.other_households,
                lang.pick("户", "")
            ),
        ),
        (lang.pick("已到位资金（元，实事记录）", "Arrived (yuan, practical matters)"), p.progress.yuan.to_string()),
        (
            lang.pick("关联记录 · 走访到户", "Records naming it · households visited"),
            format!("{} · {}", p.progress.records, p.progress.households),
        ),
    ];
    view! {
        <article class="card" aria-labelledby="project-h">
            <h1 id="project-h">{p.title.clone()}</h1>
            {p
                .research_untrue
                .clone()
                .map(|r| {
                    view! {
                        <p class="warning" role="note">
                            {format!(
                                "{}{r}",
                                lang
                                    .pick(
                                        "所依据的调研报告经考核认定不实：",
                                        "Its research report was found untrue: ",
                                    ),
                            )}
                        </p>
                    }
                })}
            {facts_list(facts)}
            <h2>{lang.pick("进度节点", "Milestones")}</h2>
            <ul class="plain" aria-label=lang.pick("进度节点", "Milestones")>
                {p
                    .milestones
                    .clone()
                    .into_iter()
                    .map(|m| {
                        let state = match m.done_on {
                            Some(d) => format!("{}{d}", lang.pick("已完成 ", "done ")),
                            None => lang.pick("未完成", "not done").to_string(),
                        };
                        let can_tick = secretary && approved;
                        view! {
                            <li>
                                {format!("{} {} · {}", m.due, m.title, state)}
                                {can_tick
                                    .then(|| {
                                        view! {
                                            <ActionForm action=tick attr:class="inline">
                                                <input type="hidden" name="milestone" value=m.id />
                                                <input
                                                    type="hidden"
                                                    name="done"
                                                    value=m.done_on.is_none().to_string()
                                                />
                                                <button type="submit" class="secondary">
                                                    {if m.done_on.is_none() {
                                                        lang.pick("标记完成", "Mark done")
                                                    } else {
                                                        lang.pick("撤销完成", "Undo")
                                                    }}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Outcome action=tick done=lang.pick("进度已更新", "Progress saved") />
            <h2>{lang.pick("审核记录", "Reviews")}</h2>
            <ul class="plain" aria-label=lang.pick("审核记录", "Reviews")>
                {p
                    .reviews
                    .clone()
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                {format!(
                                    "{} · {} · {}：{} · {}",
                                    local(r.at),
                                    if r.department {
                                        lang.pick("组织部", "Department")
                                    } else {
                                        lang.pick("镇街", "Township")
                                    },
                                    r.reviewer,
                                    r.decision.label(lang),
                                    r.reason,
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {reviewer
                .then(|| {
                    view! {
                        <ActionForm action=review attr:class="grid" attr:aria-label=lang.pick("审核", "Review")>
                            <input type="hidden" name="id" value=p.id />
                            <Select
                                label=lang.pick("审核结论", "Decision")
                                name="decision"
                                options=enum_options(ReviewDecision::ALL, ReviewDecision::code, |d| d.label(lang))
                            />
                            <label class="wide">
                                <span>{lang.pick("审核意见", "Reason")}</span>
                                <textarea name="reason" rows="3" required></textarea>
                            </label>
                            <button type="submit">{lang.pick("提交审核", "Record the decision")}</button>
                        </ActionForm>
                    }
                })}
            <Outcome action=review done=lang.pick("审核已记录", "Decision recorded") />
        </article>
        {(secretary && p.status.editable())
            .then(|| choices.map(|c| view! { <ProposalForm choices=c save project=Some(p.clone()) /> }))}
    }
}
