//! `/evaluation/mine`: the secretary's own year and filings (the year-end report and the
//! self-check start drafted from the records).

use domain::evaluation::drafts::YearDrafts;
use domain::evaluation::filing::{Filing, FilingKind};
use domain::Role;
use leptos::prelude::*;

use super::dossier::{DossierActions, DossierView};
use super::*;
use crate::api::evaluation::*;
use crate::components::*;

/// `/evaluation/mine`: the secretary's own year and filings.
#[component]
pub fn MyEvaluation() -> impl IntoView {
    let lang = use_lang();
    let year = year_param();
    let file = ServerAction::<FileEvaluation>::new();
    let progress = ServerAction::<GoalProgress>::new();
    let actions = DossierActions::new();
    // The year and the drafts of its report and self-check, read together.
    let dossier = Resource::new(year, |y| async move {
        // The drafts are a help: the year shows without them (a term not begun yet).
        Ok::<_, crate::error::AppError>((my_evaluation(y).await?, draft_year_end(y).await.ok()))
    });
    view! {
        <Guard roles=&[Role::Secretary]>
            <p>
                <a href="/field" rel="external">
                    {lang.pick("← 返回驻村首页", "← Back to the field app")}
                </a>
            </p>
            <Loaded resource=dossier let:pair>
                {
                    let (d, drafts) = pair;
                    view! {
                        <Filings year=d.year filings=d.filings.clone() drafts file progress />
                        <DossierView dossier=d actions />
                    }
                }
            </Loaded>
        </Guard>
    }
}

/// The secretary's forms: each filing, and the progress of each goal.
#[component]
fn Filings(
    year: i32,
    filings: Vec<Filing>,
    drafts: Option<YearDrafts>,
    file: ServerAction<FileEvaluation>,
    progress: ServerAction<GoalProgress>,
) -> impl IntoView {
    let lang = use_lang();
    let goals = filings.iter().find(|f| f.kind == FilingKind::TermGoals).map(|f| f.goals.clone()).unwrap_or_default();
    view! {
        <section class="card no-print" aria-label=lang.pick("提交材料", "File")>
            <h2>{lang.pick("提交材料", "File")}</h2>
            {FilingKind::ALL
                .iter()
                .map(|&kind| {
                    let current = filings.iter().find(|f| f.kind == kind).cloned();
                    let draft = drafts
                        .as_ref()
                        .and_then(|d| match kind {
                            FilingKind::YearReport => Some(d.year_report.clone()),
                            FilingKind::SelfCheck => Some(d.self_check.clone()),
                            FilingKind::TermGoals | FilingKind::Commitment => None,
                        });
                    let body = current.as_ref().map(|f| f.body.clone()).or_else(|| draft.clone()).unwrap_or_default();
                    let note = match (&current, &draft) {
                        (None, Some(_)) => {
                            Some(
                                lang
                                    .pick(
                                        "草稿已按本年记录和自动统计生成（截至今天），请核对、补充后提交。",
                                        "Drafted from this year's records and what was counted (as of today): check it, complete it, then file it.",
                                    ),
                            )
                        }
                        _ => None,
                    };
                    let redraft = current.is_some().then(|| draft.clone()).flatten();
                    let goal_text = current
                        .as_ref()
                        .map(|f| f.goals.iter().map(|g| g.goal.clone()).collect::<Vec<_>>().join("\n"))
                        .unwrap_or_default();
                    let published = current
                        .as_ref()
                        .and_then(|f| f.published_on)
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    // The year-end report and the self-check start from the records' draft.
                    view! {
                        <details>
                            <summary>
                                {format!(
                                    "{}{}",
                                    kind.label(lang),
                                    if current.is_some() {
                                        lang.pick("（已提交，可修改）", " (filed: edit)")
                                    } else {
                                        ""
                                    },
                                )}
                            </summary>
                            <ActionForm action=file attr:class="grid" attr:aria-label=kind.label(lang)>
                                <input type="hidden" name="year" value=year />
                                <input type="hidden" name="kind" value=kind.code() />
                                {note.map(|n| view! { <p class="muted">{n}</p> })}
                                <label>
                                    <span>{format!("{}{}", kind.label(lang), lang.pick("内容", " text"))}</span>
                                    <textarea name="body" rows=if draft.is_some() { "16" } else { "6" } required>
                                        {body}
                                    </textarea>
                                </label>
                                {redraft
                                    .map(|text| {
                                        view! {
                                            <details>
                                                <summary>
                                                    {lang
                                                        .pick(
                                                            "按最新记录重新生成的草稿",
                                                            "A fresh draft from the records as they stand",
                                                        )}
                                                </summary>
                                                <p class="message">{text}</p>
                                            </details>
                                        }
                                    })}
                                {(kind == FilingKind::TermGoals)
                                    .then(|| {
                                        view! {
                                            <label>
                                                <span>
                                                    {lang
                                                        .pick("任期目标（每行一项）", "Goals (one per line)")}
                                                </span>
                                                <textarea name="goals" rows="4" required>
                                                    {goal_text.clone()}
                                                </textarea>
                                            </label>
                                        }
                                    })}
                                {(kind == FilingKind::Commitment)
                                    .then(|| {
                                        view! {
                                            <label>
                                                <span>{lang.pick("公开承诺日期", "Made public on")}</span>
                                                <input
                                                    type="date"
                                                    name="published_on"
                                                    value=published.clone()
                                                    required
                                                />
                                            </label>
                                        }
                                    })}
                                <button type="submit">
                                    {format!("{}{}", lang.pick("提交", "File "), kind.label(lang))}
                                </button>
                            </ActionForm>
                        </details>
                    }
                })
                .collect_view()}
            <Outcome action=file done=lang.pick("已提交", "Filed") />
            {(!goals.is_empty())
                .then(|| {
                    view! {
                        <h3>{lang.pick("目标进展", "Goal progress")}</h3>
                        {goals
                            .into_iter()
                            .enumerate()
                            .map(|(i, g)| {
                                view! {
                                    <ActionForm action=progress attr:class="grid">
                                        <input type="hidden" name="year" value=year />
                                        <input type="hidden" name="index" value=i />
                                        <label>
                                            <span>{format!("{}：{}", lang.pick("进展", "Progress"), g.goal)}</span>
                                            <input type="text" name="progress" value=g.progress required />
                                        </label>
                                        <button type="submit">{lang.pick("保存进展", "Save progress")}</button>
                                    </ActionForm>
                                }
                            })
                            .collect_view()}
                        <Outcome action=progress done=lang.pick("进展已保存", "Progress saved") />
                    }
                })}
        </section>
    }
}
