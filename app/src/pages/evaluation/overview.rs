//! `/evaluation`: the secretaries in scope and, for the department, each district's runs of a
//! stage with their approvals and ranking.

use std::collections::BTreeMap;

use domain::evaluation::view::{Overview, Run, RunState, Standing};
use domain::evaluation::{EvaluationStage, Outcome as Result_};
use leptos::prelude::*;

use super::*;
use crate::api::evaluation::*;
use crate::components::*;

/// `/evaluation`: the secretaries in scope and, for the department, each district's results.
#[component]
pub fn EvaluationHome() -> impl IntoView {
    let year = year_param();
    let compute = ServerAction::<ComputeEvaluation>::new();
    let advance = ServerAction::<AdvanceEvaluation>::new();
    let reopen = ServerAction::<ReopenEvaluation>::new();
    let rules = ServerAction::<SetEvaluationRules>::new();
    let query = leptos_router::hooks::use_query_map();
    let stage = move || query.read().get("stage").unwrap_or_default();
    let overview = Resource::new(move || (year(), stage()), |(y, s)| evaluation_overview(y, s));
    let actions = RunActions { compute, advance, reopen, rules };
    view! {
        <Guard roles=OFFICE>
            <Loaded resource=overview let:o>
                <OverviewView overview=o actions />
            </Loaded>
        </Guard>
    }
}

#[derive(Clone, Copy)]
struct RunActions {
    compute: ServerAction<ComputeEvaluation>,
    advance: ServerAction<AdvanceEvaluation>,
    reopen: ServerAction<ReopenEvaluation>,
    rules: ServerAction<SetEvaluationRules>,
}

#[component]
fn OverviewView(overview: Overview, actions: RunActions) -> impl IntoView {
    let lang = use_lang();
    let Overview { year, stage, standings, districts, runs } = overview;
    let title = match stage {
        EvaluationStage::Year => lang.pick("年度考核（三定一诺双评）", "year-end evaluation").to_string(),
        s => s.label(lang).to_string(),
    };
    view! {
        <h1>{format!("{year} {title}")}</h1>
        <nav class="row" aria-label=lang.pick("年份", "Year")>
            <a href=format!("/evaluation?year={}&stage={}", year - 1, stage.code())>{format!("← {}", year - 1)}</a>
            <a href=format!("/evaluation?year={}&stage={}", year + 1, stage.code())>{format!("{} →", year + 1)}</a>
        </nav>
        {(!districts.is_empty())
            .then(|| {
                view! {
                    <nav class="tabs" aria-label=lang.pick("评估阶段", "Stage")>
                        {EvaluationStage::ALL
                            .iter()
                            .map(|s| {
                                view! {
                                    <a
                                        href=format!("/evaluation?year={year}&stage={}", s.code())
                                        aria-current=(*s == stage).then_some("page")
                                    >
                                        {s.label(lang)}
                                    </a>
                                }
                            })
                            .collect_view()}
                    </nav>
                    {(stage != EvaluationStage::Year)
                        .then(|| {
                            view! {
                                <p class="muted">
                                    {match stage {
                                        EvaluationStage::MidTerm => {
                                            lang.pick(
                                                "任中评估：按峄城“三评五考”五方考核（市、区、镇、村、原单位），评议意见在各书记的考核明细中录入；结果供书记改进工作。",
                                                "Mid-term: Yicheng's five-party panel (city, district, township, village, unit), scored on each dossier; the result guides the secretary.",
                                            )
                                        }
                                        _ => {
                                            lang.pick(
                                                "任后评估：本年任期结束的书记，五方考核加承诺事项完成率和帮扶项目节点完成率；随选派历史保存。",
                                                "End of term: secretaries whose term ended this year, the panel plus the commitment's items done and the projects' milestones reached; kept with the posting.",
                                            )
                                        }
                                    }}
                                </p>
                            }
                        })}
                }
            })}
        {districts
            .into_iter()
            .map(|(id, name, rules)| {
                let run = runs.iter().find(|r| r.district_id == id).cloned();
                view! { <DistrictRun district_id=id name year stage rules run actions /> }
            })
            .collect_view()}
        <StandingsTable standings year />
    }
}

/// A district's computed year: the approval steps and the ranking per category.
#[component]
fn DistrictRun(
    district_id: i64,
    name: String,
    year: i32,
    stage: EvaluationStage,
    rules: String,
    run: Option<Run>,
    actions: RunActions,
) -> impl IntoView {
    let lang = use_lang();
    let RunActions { compute, advance, reopen, rules: set_rules } = actions;
    let state = run.as_ref().map(|r| r.state);
    let frozen = state.is_some_and(RunState::frozen);
    let hidden = move || {
        view! {
            <input type="hidden" name="district_id" value=district_id />
            <input type="hidden" name="year" value=year />
            <input type="hidden" name="stage" value=stage.code() />
        }
    };
    let status = match &run {
        None => lang.pick("尚未计算", "Not computed yet").to_string(),
        Some(r) => format!(
            "{} · {} {} {}",
            r.state.label(lang),
            lang.pick("计算人", "computed by"),
            r.computed_by,
            r.computed_at.format("%Y-%m-%d %H:%M UTC")
        ),
    };
    let xlsx = format!("/reports/ranking.xlsx?year={year}&district_id={district_id}");
    let computed = run.is_some();
    view! {
        <section class="card" aria-label=format!("{name} {year}")>
            <h2>{format!("{name} · {year}")}</h2>
            <p role="status" class="run-state">
                {status}
            </p>
            <div class="row">
                {(!frozen)
                    .then(|| {
                        view! {
                            <ActionForm action=compute>
                                {hidden()}
                                <button type="submit">
                                    {if computed {
                                        lang.pick("按最新数据重新计算", "Recompute from the latest data")
                                    } else {
                                        lang.pick("计算考核结果", "Compute the results")
                                    }}
                                </button>
                            </ActionForm>
                        }
                    })}
                {(state == Some(RunState::Computed))
                    .then(|| {
                        view! {
                            <ActionForm action=advance>
                                {hidden()} <input type="hidden" name="to" value="reviewed" />
                                <button type="submit">
                                    {lang
                                        .pick(
                                            "部长办公会审核通过（冻结）",
                                            "Reviewed by the department meeting (freeze)",
                                        )}
                                </button>
                            </ActionForm>
                        }
                    })}
                {(state == Some(RunState::Reviewed))
                    .then(|| {
                        view! {
                            <ActionForm action=advance>
                                {hidden()} <input type="hidden" name="to" value="approved" />
                                <button type="submit">
                                    {lang.pick("市委审批通过", "Approved by the city committee")}
                                </button>
                            </ActionForm>
                        }
                    })}
                {computed
                    .then(|| {
                        view! {
                            <Verify district_id year stage=stage.code().to_string() />
                            {(stage == EvaluationStage::Year)
                                .then(|| {
                                    view! {
                                        <a href=xlsx.clone() rel="external">
                                            {lang.pick("下载排名（Excel）", "Download the ranking (Excel)")}
                                        </a>
                                    }
                                })}
                        }
                    })}
            </div>
            <Outcome action=compute done=lang.pick("已计算", "Computed") />
            <Outcome action=advance done=lang.pick("已记录审批", "Approval recorded") />
            {frozen
                .then(|| {
                    view! {
                        <details>
                            <summary>
                                {lang.pick("重新打开（须说明理由）", "Reopen (with a reason)")}
                            </summary>
                            <ActionForm action=reopen attr:class="grid">
                                {hidden()}
                                <Input label=lang.pick("重新打开的理由", "Reason for reopening") name="reason" />
                                <button type="submit">{lang.pick("重新打开", "Reopen")}</button>
                            </ActionForm>
                        </details>
                    }
                })}
            <Outcome action=reopen done=lang.pick("已重新打开", "Reopened") />
            {(stage == EvaluationStage::Year)
                .then(|| {
                    view! {
                        <details class="no-print">
                            <summary>{lang.pick("考核办法", "Rule set")}</summary>
                            <ActionForm action=set_rules attr:class="grid">
                                <input type="hidden" name="district_id" value=district_id />
                                <Select
                                    label=lang.pick("考核办法", "Rule set")
                                    name="rules"
                                    selected=rules
                                    options=vec![
                                        (
                                            "jiaozhou".into(),
                                            lang
                                                .pick("胶州“三定一诺双评”", "Jiaozhou 三定一诺双评")
                                                .into(),
                                        ),
                                        (
                                            "yicheng".into(),
                                            lang.pick("峄城“三评五考”", "Yicheng 三评五考").into(),
                                        ),
                                    ]
                                />
                                <button type="submit">{lang.pick("保存考核办法", "Save the rule set")}</button>
                            </ActionForm>
                            <Outcome action=set_rules done=lang.pick("已保存", "Saved") />
                        </details>
                    }
                })}
            {run.map(|r| view! { <Ranking results=r.output.results year /> })}
        </section>
    }
}

/// Recomputes a district's stored year and says whether it matches, in place (each district's
/// own: a check of one says nothing of another's).
#[island]
fn Verify(district_id: i64, year: i32, stage: String) -> impl IntoView {
    let lang = use_lang();
    let verify = ServerAction::<VerifyEvaluation>::new();
    view! {
        <ActionForm action=verify>
            <input type="hidden" name="district_id" value=district_id />
            <input type="hidden" name="year" value=year />
            <input type="hidden" name="stage" value=stage />
            <button type="submit">{lang.pick("按存档数据重算核验", "Recompute from the stored input")}</button>
        </ActionForm>
        {move || {
            verify
                .value()
                .get()
                .map(|r| match r {
                    Ok(true) => {
                        view! {
                            <p role="status" class="ok">
                                {lang
                                    .pick(
                                        "重算结果与存档完全一致",
                                        "The recomputation matches the stored result exactly",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Ok(false) => {
                        view! {
                            <p role="alert" class="error">
                                {lang
                                    .pick(
                                        "重算结果与存档不一致！",
                                        "The recomputation differs from the stored result!",
                                    )}
                            </p>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })
        }}
    }
}

/// Results grouped by category, ranked, with those not graded and why.
#[component]
fn Ranking(results: Vec<Result_>, year: i32) -> impl IntoView {
    let lang = use_lang();
    let mut categories: BTreeMap<String, Vec<Result_>> = BTreeMap::new();
    let mut ungraded = Vec::new();
    for r in results {
        if r.grade.is_some() {
            categories.entry(r.category.clone()).or_default().push(r);
        } else {
            ungraded.push(r);
        }
    }
    view! {
        {categories
            .into_iter()
            .map(|(category, mut rs)| {
                rs.sort_by_key(|r| r.rank);
                view! {
                    <div class="table-wrap">
                        <table aria-label=category.clone()>
                            <caption>{format!("{category}（{}）", rs.len())}</caption>
                            {table_head(
                                lang,
                                &[
                                    ("名次", "Rank"),
                                    ("书记（村）", "Secretary (village)"),
                                    ("组织评分", "Organisation score"),
                                    ("满意度", "Satisfaction"),
                                    ("总分", "Total"),
                                    ("等次", "Grade"),
                                    ("说明", "Notes"),
                                ],
                            )}
                            <tbody>
                                {rs
                                    .into_iter()
                                    .map(|r| {
                                        let href = format!("/evaluation/dossier?posting={}&year={year}", r.id);
                                        view! {
                                            <tr>
                                                <td>{r.rank}</td>
                                                <td>
                                                    <a href=href>{r.name.clone()}</a>
                                                </td>
                                                <td>{r.score.as_ref().map(|s| points(s.organisation_score))}</td>
                                                <td>{r.satisfaction.map(|s| format!("{:.1}%", s * 100.0))}</td>
                                                <td>{r.total.map(points)}</td>
                                                <td>{r.grade.map(|g| g.label(lang))}</td>
                                                <td>
                                                    {r
                                                        .reasons
                                                        .iter()
                                                        .map(|m| m.get(lang).to_string())
                                                        .collect::<Vec<_>>()
                                                        .join("；")}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })
            .collect_view()}
        {(!ungraded.is_empty())
            .then(|| {
                view! {
                    <h3>{format!("{}（{}）", lang.pick("未评定", "Not graded"), ungraded.len())}</h3>
                    <ul class="plain" aria-label=lang.pick("未评定", "Not graded")>
                        {ungraded
                            .into_iter()
                            .map(|r| {
                                let href = format!("/evaluation/dossier?posting={}&year={year}", r.id);
                                view! {
                                    <li>
                                        <a href=href>{r.name.clone()}</a>
                                        {format!(
                                            "：{}",
                                            r.error.as_ref().map(|e| e.get(lang).to_string()).unwrap_or_default(),
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}

#[component]
fn StandingsTable(standings: Vec<Standing>, year: i32) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-label=lang.pick("书记考核进度", "Secretaries' progress")>
            <h2>{lang.pick("书记考核进度", "Secretaries' progress")}</h2>
            <div class="table-wrap">
                <table>
                    {table_head(
                        lang,
                        &[
                            ("书记", "Secretary"),
                            ("镇街", "Township"),
                            ("村（社区）", "Village"),
                            ("派出单位", "Unit"),
                            ("材料", "Filings"),
                            ("目标审核", "Goals approved"),
                            ("评分项", "Scores"),
                            ("测评", "Survey"),
                            ("明细", "Dossier"),
                        ],
                    )}
                    <tbody>
                        {standings
                            .into_iter()
                            .map(|s| {
                                let href = format!("/evaluation/dossier?posting={}&year={year}", s.posting_id);
                                let survey = match (s.votes, s.eligible) {
                                    (Some(v), Some(e)) => format!("{v}/{e}"),
                                    _ => lang.pick("未开始", "not started").to_string(),
                                };
                                view! {
                                    <tr>
                                        <td>{s.secretary.clone()}</td>
                                        <td>{s.township}</td>
                                        <td>{s.village}</td>
                                        <td>{s.unit}</td>
                                        <td>{format!("{}/4", s.filings)}</td>
                                        <td>
                                            {if s.goals_approved {
                                                lang.pick("已通过", "yes")
                                            } else {
                                                lang.pick("未通过", "no")
                                            }}
                                        </td>
                                        <td>{s.assessments}</td>
                                        <td>{survey}</td>
                                        <td>
                                            <a
                                                href=href
                                                aria-label=format!(
                                                    "{} {}",
                                                    lang.pick("查看考核明细", "Dossier of"),
                                                    s.secretary,
                                                )
                                            >
                                                {lang.pick("明细", "Dossier")}
                                            </a>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
