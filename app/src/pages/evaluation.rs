//! The year-end evaluation (三定一诺双评): the overview and the department's ranking, a
//! secretary's dossier (every point with its evidence, assessors' forms, the survey), the
//! secretary's own filings, and the anonymous ballot page.

use std::collections::BTreeMap;

use domain::evaluation::ballot::{Answer, BallotSheet};
use domain::evaluation::drafts::YearDrafts;
use domain::evaluation::filing::{Filing, FilingKind};
use domain::evaluation::view::{
    recorded_label, Dossier, EvidenceRecord, Overview, PreAssessment, Run, RunState, Standing,
};
use domain::evaluation::{EvaluationStage, Outcome as Result_};
use domain::Role;
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::api::evaluation::*;
use crate::components::*;

const VIEWERS: &[Role] =
    &[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor, Role::Inspector, Role::UnitViewer, Role::Secretary];
const OFFICE: &[Role] = &[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor, Role::Inspector, Role::UnitViewer];

fn year_param() -> impl Fn() -> Option<i32> + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("year").and_then(|y| y.parse().ok())
}

fn points(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

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
        {(!districts.is_empty()).then(|| view! {
            <nav class="tabs" aria-label=lang.pick("评估阶段", "Stage")>
                {EvaluationStage::ALL.iter().map(|s| view! {
                    <a href=format!("/evaluation?year={year}&stage={}", s.code()) aria-current=(*s == stage).then_some("page")>{s.label(lang)}</a>
                }).collect_view()}
            </nav>
            {(stage != EvaluationStage::Year).then(|| view! {
                <p class="muted">{match stage {
                    EvaluationStage::MidTerm => lang.pick(
                        "任中评估：按峄城“三评五考”五方考核（市、区、镇、村、原单位），评议意见在各书记的考核明细中录入；结果供书记改进工作。",
                        "Mid-term: Yicheng's five-party panel (city, district, township, village, unit), scored on each dossier; the result guides the secretary.",
                    ),
                    _ => lang.pick(
                        "任后评估：本年任期结束的书记，五方考核加承诺事项完成率和帮扶项目节点完成率；随选派历史保存。",
                        "End of term: secretaries whose term ended this year, the panel plus the commitment's items done and the projects' milestones reached; kept with the posting.",
                    ),
                }}</p>
            })}
        })}
        {districts.into_iter().map(|(id, name, rules)| {
            let run = runs.iter().find(|r| r.district_id == id).cloned();
            view! { <DistrictRun district_id=id name year stage rules run actions /> }
        }).collect_view()}
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
            <p role="status" class="run-state">{status}</p>
            <div class="row">
                {(!frozen).then(|| view! {
                    <ActionForm action=actions.compute>
                        {hidden()}
                        <button type="submit">{if computed { lang.pick("按最新数据重新计算", "Recompute from the latest data") } else { lang.pick("计算考核结果", "Compute the results") }}</button>
                    </ActionForm>
                })}
                {(state == Some(RunState::Computed)).then(|| view! {
                    <ActionForm action=actions.advance>
                        {hidden()}
                        <input type="hidden" name="to" value="reviewed" />
                        <button type="submit">{lang.pick("部长办公会审核通过（冻结）", "Reviewed by the department meeting (freeze)")}</button>
                    </ActionForm>
                })}
                {(state == Some(RunState::Reviewed)).then(|| view! {
                    <ActionForm action=actions.advance>
                        {hidden()}
                        <input type="hidden" name="to" value="approved" />
                        <button type="submit">{lang.pick("市委审批通过", "Approved by the city committee")}</button>
                    </ActionForm>
                })}
                {run.is_some().then(|| view! {
                    <Verify district_id year stage=stage.code().to_string() />
                    {(stage == EvaluationStage::Year).then(|| view! {
                        <a href=xlsx.clone() rel="external">{lang.pick("下载排名（Excel）", "Download the ranking (Excel)")}</a>
                    })}
                })}
            </div>
            <Outcome action=actions.compute done=lang.pick("已计算", "Computed") />
            <Outcome action=actions.advance done=lang.pick("已记录审批", "Approval recorded") />
            {frozen.then(|| view! {
                <details>
                    <summary>{lang.pick("重新打开（须说明理由）", "Reopen (with a reason)")}</summary>
                    <ActionForm action=actions.reopen attr:class="grid">
                        {hidden()}
                        <Input label=lang.pick("重新打开的理由", "Reason for reopening") name="reason" />
                        <button type="submit">{lang.pick("重新打开", "Reopen")}</button>
                    </ActionForm>
                </details>
            })}
            <Outcome action=actions.reopen done=lang.pick("已重新打开", "Reopened") />
            {(stage == EvaluationStage::Year).then(|| view! {
            <details class="no-print">
                <summary>{lang.pick("考核办法", "Rule set")}</summary>
                <ActionForm action=actions.rules attr:class="grid">
                    <input type="hidden" name="district_id" value=district_id />
                    <Select label=lang.pick("考核办法", "Rule set") name="rules" selected=rules
                        options=vec![
                            ("jiaozhou".into(), lang.pick("胶州“三定一诺双评”", "Jiaozhou 三定一诺双评").into()),
                            ("yicheng".into(), lang.pick("峄城“三评五考”", "Yicheng 三评五考").into()),
                        ] />
                    <button type="submit">{lang.pick("保存考核办法", "Save the rule set")}</button>
                </ActionForm>
                <Outcome action=actions.rules done=lang.pick("已保存", "Saved") />
            </details>
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
        {move || verify.value().get().map(|r| match r {
            Ok(true) => view! { <p role="status" class="ok">{lang.pick("重算结果与存档完全一致", "The recomputation matches the stored result exactly")}</p> }.into_any(),
            Ok(false) => view! { <p role="alert" class="error">{lang.pick("重算结果与存档不一致！", "The recomputation differs from the stored result!")}</p> }.into_any(),
            Err(e) => view! { <ErrorNote error=e /> }.into_any(),
        })}
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
        {categories.into_iter().map(|(category, mut rs)| {
            rs.sort_by_key(|r| r.rank);
            view! {
                <div class="table-wrap">
                    <table aria-label=category.clone()>
                        <caption>{format!("{category}（{}）", rs.len())}</caption>
                        {table_head(lang, &[("名次", "Rank"), ("书记（村）", "Secretary (village)"), ("组织评分", "Organisation score"), ("满意度", "Satisfaction"), ("总分", "Total"), ("等次", "Grade"), ("说明", "Notes")])}
                        <tbody>
                            {rs.into_iter().map(|r| {
                                let href = format!("/evaluation/dossier?posting={}&year={year}", r.id);
                                view! {
                                    <tr>
                                        <td>{r.rank}</td>
                                        <td><a href=href>{r.name.clone()}</a></td>
                                        <td>{r.score.as_ref().map(|s| points(s.organisation_score))}</td>
                                        <td>{r.satisfaction.map(|s| format!("{:.1}%", s * 100.0))}</td>
                                        <td>{r.total.map(points)}</td>
                                        <td>{r.grade.map(|g| g.label(lang))}</td>
                                        <td>{r.reasons.iter().map(|m| m.get(lang).to_string()).collect::<Vec<_>>().join("；")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        }).collect_view()}
        {(!ungraded.is_empty()).then(|| view! {
            <h3>{format!("{}（{}）", lang.pick("未评定", "Not graded"), ungraded.len())}</h3>
            <ul class="plain" aria-label=lang.pick("未评定", "Not graded")>
                {ungraded.into_iter().map(|r| {
                    let href = format!("/evaluation/dossier?posting={}&year={year}", r.id);
                    view! { <li><a href=href>{r.name.clone()}</a>{format!("：{}", r.error.as_ref().map(|e| e.get(lang).to_string()).unwrap_or_default())}</li> }
                }).collect_view()}
            </ul>
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
                    {table_head(lang, &[("书记", "Secretary"), ("镇街", "Township"), ("村（社区）", "Village"), ("派出单位", "Unit"), ("材料", "Filings"), ("目标审核", "Goals approved"), ("评分项", "Scores"), ("测评", "Survey"), ("明细", "Dossier")])}
                    <tbody>
                        {standings.into_iter().map(|s| {
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
                                    <td>{if s.goals_approved { lang.pick("已通过", "yes") } else { lang.pick("未通过", "no") }}</td>
                                    <td>{s.assessments}</td>
                                    <td>{survey}</td>
                                    <td><a href=href aria-label=format!("{} {}", lang.pick("查看考核明细", "Dossier of"), s.secretary)>{lang.pick("明细", "Dossier")}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The actions a dossier page offers; any of them refreshes it.
#[derive(Clone, Copy)]
struct DossierActions {
    approve: ServerAction<ApproveGoals>,
    assess: ServerAction<AssessItem>,
    enter: ServerAction<EnterFact>,
    close: ServerAction<CloseSurvey>,
    strike: ServerAction<StrikeRecord>,
    pre: ServerAction<RecordPreAssessment>,
}

impl DossierActions {
    fn new() -> Self {
        DossierActions {
            approve: ServerAction::new(),
            assess: ServerAction::new(),
            enter: ServerAction::new(),
            close: ServerAction::new(),
            strike: ServerAction::new(),
            pre: ServerAction::new(),
        }
    }
}

/// `/evaluation/dossier?posting=&year=`: a secretary's year, printable.
#[component]
pub fn DossierPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let posting = move || query.read().get("posting").and_then(|p| p.parse::<i64>().ok());
    let year = year_param();
    let actions = DossierActions::new();
    let dossier = Resource::new(
        move || (posting(), year()),
        |(p, y)| async move {
            match p {
                Some(p) => evaluation_dossier(p, y).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Guard roles=VIEWERS>
            <Loaded resource=dossier let:d>
                {d.map(|d| view! { <DossierView dossier=d actions /> })}
            </Loaded>
        </Guard>
    }
}

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
            <p><a href="/field" rel="external">{lang.pick("← 返回驻村首页", "← Back to the field app")}</a></p>
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

#[component]
fn DossierView(dossier: Dossier, actions: DossierActions) -> impl IntoView {
    let lang = use_lang();
    let d = dossier;
    let (posting_id, year) = (d.posting.id, d.year);
    let evidence: BTreeMap<String, EvidenceRecord> = d.evidence.iter().map(|e| (e.id.clone(), e.clone())).collect();
    view! {
        <article class="dossier" aria-label=lang.pick("考核明细", "Evaluation dossier")>
            <h1>{format!("{} · {} · {year} {}", d.posting.secretary, d.posting.village, lang.pick("年度考核", "evaluation"))}</h1>
            <p class="muted">{format!("{} · {} · {}", d.posting.township, d.posting.unit, d.category)}</p>
            <p class="muted">{format!("{}：{}", lang.pick("考核办法", "Rules"), d.rule_set)}</p>
            <PrintButton />
            <ResultBlock result=d.result.clone() />
            <Stages pre=d.pre_assessment.clone() stages=d.stages.clone() posting_id may_record=d.may.record_pre_assessment record=actions.pre />
            <section aria-label=lang.pick("组织评分明细", "Organisation score")>
                <h2>{lang.pick("组织评分明细", "Organisation score, item by item")}</h2>
                {match d.score.clone() {
                    Ok(s) => view! {
                        <p role="status" class="score">{format!("{} {} · {} {}{}", lang.pick("组织评分", "Organisation score"), points(s.organisation_score), lang.pick("基础分（B+D）", "base parts (B+D)"), points(s.base_parts), if d.frozen { lang.pick("（已冻结的结果）", " (the frozen result)") } else { lang.pick("（按目前的记录和评分）", " (from what is recorded and scored so far)") })}</p>
                        <div class="table-wrap">
                            <table aria-label=lang.pick("评分项", "Items")>
                                {table_head(lang, &[("编号", "Code"), ("项目", "Item"), ("得分", "Points"), ("计算", "How"), ("依据", "Evidence")])}
                                <tbody>
                                    {s.lines.into_iter().map(|l| view! {
                                        <tr>
                                            <td>{l.code}</td>
                                            <td>{l.name}</td>
                                            <td>{points(l.points)}</td>
                                            <td>{l.explanation.get(lang).to_string()}</td>
                                            <td><EvidenceList items=l.evidence known=evidence.clone() /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(m) => view! { <p role="status" class="warn">{format!("{}：{}", lang.pick("尚不能评分", "Cannot be scored yet"), m.get(lang))}</p> }.into_any(),
                }}
            </section>
            <section aria-label=lang.pick("记录自动统计", "Counted from the records")>
                <h2>{lang.pick("记录自动统计（截至今天）", "Counted from the records (as of today)")}</h2>
                <ul class="plain">
                    {d.recorded.iter().map(|(f, v)| view! { <li>{format!("{}：{}", recorded_label(f).get(lang), points(*v))}</li> }).collect_view()}
                </ul>
            </section>
            {(!d.struck.is_empty()).then(|| view! {
                <section aria-label=lang.pick("认定不实的记录", "Records found untrue")>
                    <h2>{lang.pick("认定不实的记录（不计分）", "Records found untrue (not counted)")}</h2>
                    <ul class="plain">
                        {d.struck.iter().map(|s| view! {
                            <li>{format!("{} {} {} · {}{} · {}{} · {} {}", s.record.date.map(|d| d.to_string()).unwrap_or_default(), s.record.kind, s.record.summary,
                                lang.pick("理由：", "reason: "), s.reason, lang.pick("依据：", "evidence: "), s.evidence, s.by, crate::pages::board::local(s.at))}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!d.commitments.is_empty() || !d.releases.is_empty()).then(|| view! {
                <section aria-label=lang.pick("承诺事项与解除捆绑", "Commitments and release")>
                    <h2>{lang.pick("承诺事项与解除捆绑", "Commitments and release")}</h2>
                    <ul class="plain">
                        {d.commitments.iter().map(|c| view! {
                            <li>{format!("{} {} · {}", c.due, c.text, c.state.label(lang))}</li>
                        }).collect_view()}
                        {d.releases.iter().map(|r| view! {
                            <li>{format!("{} {} · {}：{} · {}{}", crate::pages::board::local(r.at), r.decided_by, r.decision.label(lang), r.reason,
                                lang.pick("当时未完成：", "open then: "), r.open_items.join("；"))}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <FilingList filings=d.filings.clone() posting_id year may_township=d.may.approve_as_township may_unit=d.may.approve_as_unit approve=actions.approve />
            {d.may.assess.then(|| view! { <AssessorForms dossier=d.clone() actions /> })}
            <SurveyBlock dossier=d.clone() actions />
        </article>
    }
}

#[island]
fn PrintButton() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="button" class="no-print" on:click=|_| { let _ = window().print(); }>{lang.pick("打印 / 另存为 PDF", "Print / save as PDF")}</button>
    }
}

#[component]
fn ResultBlock(result: Option<(Result_, RunState)>) -> impl IntoView {
    let lang = use_lang();
    match result {
        None => view! { <p class="muted">{lang.pick("本年度考核结果尚未计算", "The year's results are not computed yet")}</p> }.into_any(),
        Some((r, state)) => {
            let text = match (&r.grade, &r.error) {
                (Some(g), _) => format!(
                    "{} · {} {} · {} {} · {}",
                    g.label(lang),
                    lang.pick("总分", "total"),
                    r.total.map(points).unwrap_or_default(),
                    lang.pick("名次", "rank"),
                    r.rank.unwrap_or(0),
                    state.label(lang)
                ),
                (None, Some(e)) => format!("{}：{} · {}", lang.pick("未评定", "Not graded"), e.get(lang), state.label(lang)),
                (None, None) => state.label(lang).to_string(),
            };
            view! {
                <section class="card" aria-label=lang.pick("考核结果", "Result")>
                    <h2>{lang.pick("考核结果", "Result")}</h2>
                    <p role="status" class="result">{text}</p>
                    {r.reasons.iter().map(|m| view! { <p class="muted">{m.get(lang).to_string()}</p> }).collect_view()}
                </section>
            }
            .into_any()
        }
    }
}

/// 三评: the 任前评估 recorded when the secretary was chosen (the department records it here),
/// and the results of the stages during and after the term, item by item (the mid-term's lines
/// are the secretary's guidance).
#[component]
fn Stages(
    pre: Option<PreAssessment>,
    stages: Vec<(EvaluationStage, Result_, RunState)>,
    posting_id: i64,
    may_record: bool,
    record: ServerAction<RecordPreAssessment>,
) -> impl IntoView {
    let lang = use_lang();
    const VIEWS: [(&str, &str, &str); 5] = [
        ("city", "市", "City"),
        ("district", "区", "District"),
        ("township", "镇街", "Township"),
        ("village", "村", "Village"),
        ("unit", "原单位", "Unit"),
    ];
    let current = pre.clone();
    view! {
        <section class="card" aria-label=lang.pick("三评", "The three evaluations")>
            <h2>{lang.pick("任前、任中、任后评估（三评）", "Before, during and after the term")}</h2>
            <h3>{lang.pick("任前评估", "Before the term")}</h3>
            {match pre {
                Some(p) => view! {
                    <p>{p.suitability.clone()}</p>
                    <p class="muted">{format!("{}{} · {} {}", if p.second_posting { lang.pick("二次选派 · ", "second posting · ") } else { "" },
                        p.recorded_by, lang.pick("记录于", "recorded"), crate::pages::board::local(p.recorded_at))}</p>
                    <ul class="plain">
                        {VIEWS.iter().filter_map(|(k, zh, en)| p.views.get(*k).map(|v| view! { <li>{format!("{}：{v}", lang.pick(zh, en))}</li> })).collect_view()}
                    </ul>
                }.into_any(),
                None => view! { <p class="muted">{lang.pick("尚未记录", "Not recorded")}</p> }.into_any(),
            }}
            {may_record.then(|| view! {
                <details class="no-print">
                    <summary>{lang.pick("记录任前评估", "Record the assessment before the term")}</summary>
                    <ActionForm action=record attr:class="grid" attr:aria-label=lang.pick("任前评估", "Before the term")>
                        <input type="hidden" name="posting_id" value=posting_id />
                        <label class="wide"><span>{lang.pick("适岗评估意见", "Suitability")}</span>
                            <textarea name="suitability" rows="3" required>{current.as_ref().map(|p| p.suitability.clone())}</textarea></label>
                        <label class="check"><input type="checkbox" name="second_posting" checked=current.as_ref().is_some_and(|p| p.second_posting) />{lang.pick("二次选派", "Second posting")}</label>
                        {VIEWS.iter().map(|(k, zh, en)| view! {
                            <label><span>{format!("{}{}", lang.pick(zh, en), lang.pick("意见（选填）", " view (optional)"))}</span>
                                <input type="text" name=format!("view_{k}") value=current.as_ref().and_then(|p| p.views.get(*k).cloned()) /></label>
                        }).collect_view()}
                        <button type="submit">{lang.pick("保存任前评估", "Save")}</button>
                    </ActionForm>
                    <Outcome action=record done=lang.pick("已保存", "Saved") />
                </details>
            })}
            {stages.into_iter().map(|(stage, r, state)| view! {
                <h3>{format!("{} · {}", stage.label(lang), state.label(lang))}</h3>
                <p role="status">{match (&r.score, &r.error) {
                    (Some(s), _) => format!("{} {} · {}", lang.pick("得分", "Score"), points(s.organisation_score), r.grade.map(|g| g.label(lang)).unwrap_or_default()),
                    (None, Some(e)) => e.get(lang).to_string(),
                    (None, None) => String::new(),
                }}</p>
                <ul class="plain">
                    {r.score.iter().flat_map(|s| s.lines.clone()).map(|l| view! {
                        <li>{format!("{} {}：{} · {}", l.code, l.name, points(l.points), l.explanation.get(lang))}</li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    }
}

/// Evidence: records by id (with date, kind and gist), or the text an assessor gave.
#[component]
fn EvidenceList(items: Vec<String>, known: BTreeMap<String, EvidenceRecord>) -> impl IntoView {
    view! {
        <ul class="evidence">
            {items.into_iter().map(|e| match known.get(&e) {
                Some(r) => view! { <li>{format!("{} {} {}", r.date.map(|d| d.to_string()).unwrap_or_default(), r.kind, r.summary)}</li> },
                None => view! { <li>{e}</li> },
            }).collect_view()}
        </ul>
    }
}

#[component]
fn FilingList(
    filings: Vec<Filing>,
    posting_id: i64,
    year: i32,
    may_township: bool,
    may_unit: bool,
    approve: ServerAction<ApproveGoals>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-label=lang.pick("三定一诺材料", "Filings")>
            <h2>{lang.pick("三定一诺材料", "Filings")}</h2>
            {FilingKind::ALL.iter().map(|&kind| {
                let f = filings.iter().find(|f| f.kind == kind).cloned();
                view! {
                    <div class="filing" aria-label=kind.label(lang)>
                        <h3>{kind.label(lang)}</h3>
                        {match f {
                            None => view! { <p class="muted">{lang.pick("未提交", "Not filed")}</p> }.into_any(),
                            Some(f) => {
                                let township = f.township_approved_at.map(|t| format!("{}（{}）", f.township_approver.clone().unwrap_or_default(), t.format("%Y-%m-%d")));
                                let unit = f.unit_approved_at.map(|t| format!("{}（{}）", f.unit_approver.clone().unwrap_or_default(), t.format("%Y-%m-%d")));
                                view! {
                                    <p class="muted">{format!("{} {}", lang.pick("提交于", "Filed"), f.updated_at.format("%Y-%m-%d %H:%M UTC"))}</p>
                                    {f.published_on.map(|d| view! { <p>{format!("{}：{d}", lang.pick("公开承诺日期", "Made public on"))}</p> })}
                                    <p class="prewrap">{f.body.clone()}</p>
                                    {(!f.goals.is_empty()).then(|| view! {
                                        <ol>
                                            {f.goals.iter().map(|g| view! {
                                                <li>{g.goal.clone()}{(!g.progress.is_empty()).then(|| format!(" — {}：{}", lang.pick("进展", "progress"), g.progress))}</li>
                                            }).collect_view()}
                                        </ol>
                                    })}
                                    {(kind == FilingKind::TermGoals).then(|| view! {
                                        <p>{format!("{}：{}", lang.pick("镇街审核", "Township"), township.clone().unwrap_or_else(|| lang.pick("待审核", "pending").into()))}</p>
                                        <p>{format!("{}：{}", lang.pick("派出单位审核", "Unit"), unit.clone().unwrap_or_else(|| lang.pick("待审核", "pending").into()))}</p>
                                        {((may_township && township.is_none()) || (may_unit && unit.is_none())).then(|| view! {
                                            <ActionForm action=approve>
                                                <input type="hidden" name="posting_id" value=posting_id />
                                                <input type="hidden" name="year" value=year />
                                                <button type="submit">{lang.pick("审核通过任期目标", "Approve the term goals")}</button>
                                            </ActionForm>
                                        })}
                                    })}
                                }.into_any()
                            }
                        }}
                    </div>
                }
            }).collect_view()}
            <Outcome action=approve done=lang.pick("已审核通过", "Approved") />
        </section>
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
            {FilingKind::ALL.iter().map(|&kind| {
                let current = filings.iter().find(|f| f.kind == kind).cloned();
                // The year-end report and the self-check start from the records' draft.
                let draft = drafts.as_ref().and_then(|d| match kind {
                    FilingKind::YearReport => Some(d.year_report.clone()),
                    FilingKind::SelfCheck => Some(d.self_check.clone()),
                    FilingKind::TermGoals | FilingKind::Commitment => None,
                });
                let body = current.as_ref().map(|f| f.body.clone()).or_else(|| draft.clone()).unwrap_or_default();
                let note = match (&current, &draft) {
                    (None, Some(_)) => Some(lang.pick(
                        "草稿已按本年记录和自动统计生成（截至今天），请核对、补充后提交。",
                        "Drafted from this year's records and what was counted (as of today): check it, complete it, then file it.",
                    )),
                    _ => None,
                };
                let redraft = current.is_some().then(|| draft.clone()).flatten();
                let goal_text = current.as_ref().map(|f| f.goals.iter().map(|g| g.goal.clone()).collect::<Vec<_>>().join("\n")).unwrap_or_default();
                let published = current.as_ref().and_then(|f| f.published_on).map(|d| d.to_string()).unwrap_or_default();
                view! {
                    <details>
                        <summary>{format!("{}{}", kind.label(lang), if current.is_some() { lang.pick("（已提交，可修改）", " (filed: edit)") } else { "" })}</summary>
                        <ActionForm action=file attr:class="grid" attr:aria-label=kind.label(lang)>
                            <input type="hidden" name="year" value=year />
                            <input type="hidden" name="kind" value=kind.code() />
                            {note.map(|n| view! { <p class="muted">{n}</p> })}
                            <label>
                                <span>{format!("{}{}", kind.label(lang), lang.pick("内容", " text"))}</span>
                                <textarea name="body" rows=if draft.is_some() { "16" } else { "6" } required>{body}</textarea>
                            </label>
                            {redraft.map(|text| view! {
                                <details>
                                    <summary>{lang.pick("按最新记录重新生成的草稿", "A fresh draft from the records as they stand")}</summary>
                                    <p class="message">{text}</p>
                                </details>
                            })}
                            {(kind == FilingKind::TermGoals).then(|| view! {
                                <label>
                                    <span>{lang.pick("任期目标（每行一项）", "Goals (one per line)")}</span>
                                    <textarea name="goals" rows="4" required>{goal_text.clone()}</textarea>
                                </label>
                            })}
                            {(kind == FilingKind::Commitment).then(|| view! {
                                <label>
                                    <span>{lang.pick("公开承诺日期", "Made public on")}</span>
                                    <input type="date" name="published_on" value=published.clone() required />
                                </label>
                            })}
                            <button type="submit">{format!("{}{}", lang.pick("提交", "File "), kind.label(lang))}</button>
                        </ActionForm>
                    </details>
                }
            }).collect_view()}
            <Outcome action=file done=lang.pick("已提交", "Filed") />
            {(!goals.is_empty()).then(|| view! {
                <h3>{lang.pick("目标进展", "Goal progress")}</h3>
                {goals.into_iter().enumerate().map(|(i, g)| view! {
                    <ActionForm action=progress attr:class="grid">
                        <input type="hidden" name="year" value=year />
                        <input type="hidden" name="index" value=i />
                        <label>
                            <span>{format!("{}：{}", lang.pick("进展", "Progress"), g.goal)}</span>
                            <input type="text" name="progress" value=g.progress required />
                        </label>
                        <button type="submit">{lang.pick("保存进展", "Save progress")}</button>
                    </ActionForm>
                }).collect_view()}
                <Outcome action=progress done=lang.pick("进展已保存", "Progress saved") />
            })}
        </section>
    }
}

/// The assessors' forms: items scored with a reason and evidence, facts entered with evidence.
#[component]
fn AssessorForms(dossier: Dossier, actions: DossierActions) -> impl IntoView {
    let lang = use_lang();
    let (posting_id, year) = (dossier.posting.id, dossier.year);
    view! {
        <section class="card no-print" aria-label=lang.pick("考核组评分", "Assessors' scores")>
            <h2>{lang.pick("考核组评分", "Assessors' scores")}</h2>
            <p class="muted">{lang.pick("扣分项填 0 或负数（扣分），加分项在范围内给分；须写明理由和依据。", "Deductions are 0 or negative; each score needs a reason and its evidence.")}</p>
            {dossier.slots.into_iter().chain(dossier.stage_slots).map(|s| {
                let current = s.current.clone();
                let label = format!("{} {}", s.key, s.name);
                let aria = label.clone();
                view! {
                    <ActionForm action=actions.assess attr:class="grid" attr:aria-label=aria>
                        <input type="hidden" name="posting_id" value=posting_id />
                        <input type="hidden" name="year" value=year />
                        <input type="hidden" name="key" value=s.key.clone() />
                        <h3>{label.clone()}</h3>
                        {current.as_ref().map(|a| view! { <p class="muted">{format!("{}：{}（{}，{}）", lang.pick("当前", "Now"), points(a.points), a.assessor, a.reason)}</p> })}
                        <label>
                            <span>{format!("{} {}（{} ~ {}）", s.key, lang.pick("得分", "points"), points(s.min), points(s.max))}</span>
                            <input type="number" name="points" step="0.5" min=s.min max=s.max value=current.as_ref().map(|a| points(a.points)) required />
                        </label>
                        <label>
                            <span>{format!("{} {}", s.key, lang.pick("评分理由", "reason"))}</span>
                            <input type="text" name="reason" value=current.as_ref().map(|a| a.reason.clone()) required />
                        </label>
                        <label>
                            <span>{format!("{} {}", s.key, lang.pick("依据（档案、材料，每行一项）", "evidence (one per line)"))}</span>
                            <textarea name="evidence" rows="2">{current.as_ref().map(|a| a.evidence.join("\n"))}</textarea>
                        </label>
                        <button type="submit">{format!("{} {}", lang.pick("保存评分", "Save score"), s.key)}</button>
                    </ActionForm>
                }
            }).collect_view()}
            <Outcome action=actions.assess done=lang.pick("评分已保存", "Score saved") />
            <h2>{lang.pick("录入事项（须附依据）", "Facts entered with evidence")}</h2>
            {dossier.entered.into_iter().map(|f| {
                let fact = f.fact.clone();
                let aria = f.label.clone();
                view! {
                    <ActionForm action=actions.enter attr:class="grid" attr:aria-label=aria>
                        <input type="hidden" name="posting_id" value=posting_id />
                        <input type="hidden" name="year" value=year />
                        <input type="hidden" name="fact" value=fact.clone() />
                        <label>
                            <span>{format!("{}（{}）", f.label, fact)}</span>
                            <input type="number" name="value" step="any" value=f.value.map(points) required />
                        </label>
                        <label>
                            <span>{format!("{} {}", fact, lang.pick("依据", "evidence"))}</span>
                            <input type="text" name="evidence" value=f.evidence.clone() required />
                        </label>
                        <button type="submit">{format!("{} {}", lang.pick("保存", "Save"), fact)}</button>
                    </ActionForm>
                }
            }).collect_view()}
            <Outcome action=actions.enter done=lang.pick("已保存", "Saved") />
            {(!dossier.strikable.is_empty()).then(|| view! {
                <h2>{lang.pick("认定记录不实", "Find a record untrue")}</h2>
                <p class="muted">{lang.pick(
                    "经核实不实的调研报告或实事记录不再计分；依据该调研报告的帮扶项目将被标注。",
                    "A research report or practical matter found untrue no longer counts; projects from that research are flagged.",
                )}</p>
                <ActionForm action=actions.strike attr:class="grid" attr:aria-label=lang.pick("认定不实", "Find untrue")>
                    <input type="hidden" name="posting_id" value=posting_id />
                    <Select label=lang.pick("记录", "Record") name="record"
                        options=dossier.strikable.iter().map(|r| (r.id.clone(), format!("{} {} {}", r.date.map(|d| d.to_string()).unwrap_or_default(), r.kind, r.summary))).collect() />
                    <Input label=lang.pick("认定不实的理由", "Why it is untrue") name="reason" />
                    <Input label=lang.pick("核查依据", "Evidence checked") name="evidence" required=false />
                    <button type="submit">{lang.pick("认定不实", "Find untrue")}</button>
                </ActionForm>
                <Outcome action=actions.strike done=lang.pick("已认定不实", "Found untrue") />
            })}
        </section>
    }
}

/// The survey: its count, and for those who run it, issuing ballot codes and closing it.
#[component]
fn SurveyBlock(dossier: Dossier, actions: DossierActions) -> impl IntoView {
    let lang = use_lang();
    let (posting_id, year) = (dossier.posting.id, dossier.year);
    let status = match &dossier.survey {
        None => lang.pick("尚未开始", "Not started").to_string(),
        // While the survey is open only the turnout shows: a live count would tell the last
        // voters' answers.
        Some(s) if !s.closed => format!(
            "{} {} · {} {} · {}",
            lang.pick("应参加", "eligible"),
            s.survey.eligible,
            lang.pick("已投票", "voted"),
            s.votes,
            lang.pick("测评结束后公布各项票数", "the count by answer shows once the survey is closed")
        ),
        Some(s) => {
            let v = s.survey;
            let rate = v.satisfaction().map(|r| format!("{:.1}%", r * 100.0));
            format!(
                "{} {} · {} {} · {} {} / {} {} / {} {} / {} {} · {}{}",
                lang.pick("应参加", "eligible"),
                v.eligible,
                lang.pick("已投票", "voted"),
                v.votes(),
                lang.pick("很满意", "very satisfied"),
                v.very_satisfied,
                lang.pick("满意", "satisfied"),
                v.satisfied,
                lang.pick("基本满意", "basically"),
                v.basically_satisfied,
                lang.pick("不满意", "dissatisfied"),
                v.dissatisfied,
                match rate {
                    Some(r) => format!("{} {r}", lang.pick("满意度", "satisfaction")),
                    None => lang.pick("投票不足三分之二，暂无效", "under two thirds voted: not valid yet").to_string(),
                },
                if s.closed { lang.pick(" · 已结束", " · closed") } else { "" }
            )
        }
    };
    let open = dossier.survey.as_ref().is_none_or(|s| !s.closed);
    let hidden = move || {
        view! {
            <input type="hidden" name="posting_id" value=posting_id />
            <input type="hidden" name="year" value=year />
        }
    };
    view! {
        <section aria-label=lang.pick("群众满意度测评", "Satisfaction survey")>
            <h2>{lang.pick("群众满意度测评", "Satisfaction survey")}</h2>
            <p role="status" class="survey-status">{status}</p>
            {(dossier.may.run_survey && open).then(|| view! {
                <div class="row no-print">
                    <IssueBallots posting_id year />
                    {dossier.survey.is_some().then(|| view! {
                        <ActionForm action=actions.close>
                            {hidden()}
                            <button type="submit">{lang.pick("结束测评", "Close the survey")}</button>
                        </ActionForm>
                    })}
                </div>
            })}
            <Outcome action=actions.close done=lang.pick("测评已结束", "Survey closed") />
        </section>
    }
}

/// Issues the ballot codes and shows their sheet in place: the codes are shown this once.
#[island]
fn IssueBallots(posting_id: i64, year: i32) -> impl IntoView {
    let lang = use_lang();
    let issue = ServerAction::<IssueBallots>::new();
    view! {
        <ActionForm action=issue>
            <input type="hidden" name="posting_id" value=posting_id />
            <input type="hidden" name="year" value=year />
            <button type="submit">{lang.pick("发放票码（未投票者，旧票码作废）", "Issue ballot codes (for those who have not voted; old codes void)")}</button>
        </ActionForm>
        {move || issue.value().get().map(|r| match r {
            Ok(sheet) => view! { <BallotSheetView sheet /> }.into_any(),
            Err(e) => view! { <ErrorNote error=e /> }.into_any(),
        })}
    }
}

/// The printable sheet of ballot slips: cut apart and hand out at random.
#[component]
fn BallotSheetView(sheet: BallotSheet) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="ballot-sheet" aria-label=lang.pick("票码单", "Ballot sheet")>
            <p role="status" class="warn no-print">{format!("{} {} {}", lang.pick("已生成", "Issued"), sheet.ballots.len(), lang.pick("张票码。票码只显示这一次，请立即打印后裁开、随机发放。", "codes. They are shown this once: print now, cut apart and hand out at random."))}</p>
            <ul class="slips">
                {sheet.ballots.into_iter().map(|(code, link, svg)| view! {
                    <li class="slip">
                        <span class="qr" inner_html=svg></span>
                        <span>{format!("{} {} {}", sheet.village, sheet.year, lang.pick("年度第一书记满意度测评", "first secretary survey"))}</span>
                        <strong class="code">{code}</strong>
                        <span class="link">{link}</span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// `/vote`: one anonymous ballot with a code from the printed sheet, no login. The slip's QR
/// code carries the code in the link's fragment (`/vote#c=…`), which the page reads: it never
/// reaches the server's logs.
#[component]
pub fn VotePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{lang.pick("第一书记群众满意度测评", "Satisfaction survey of the first secretary")}</h1>
        <p class="muted">{lang.pick("无记名投票：票码只能使用一次，系统不记录投票人。", "Anonymous: each code works once and nobody is recorded.")}</p>
        <VoteForm />
        <p><a href="/feedback">{lang.pick("有意见或建议？凭票码向区委组织部反映（投诉建议）", "A complaint or suggestion? Send it to the organisation department with your code")}</a></p>
    }
}

/// The ballot, with the code the slip's link carries filled in.
#[island]
fn VoteForm() -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(String::new());
    Effect::new(move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(c) = hash.strip_prefix("#c=") {
            code.set(c.to_string());
        }
    });
    let cast = ServerAction::<CastBallot>::new();
    let done = move || matches!(cast.value().get(), Some(Ok(()))) || just_done(CastBallot::PATH);
    view! {
        <Show when=done fallback=move || view! {
            <ActionForm action=cast attr:class="grid" attr:aria-label=lang.pick("投票", "Vote")>
                <label>
                    <span>{lang.pick("票码", "Ballot code")}</span>
                    <input type="text" name="code" prop:value=move || code.get() autocomplete="off" required />
                </label>
                <fieldset>
                    <legend>{lang.pick("您对本村第一书记的工作评价", "How satisfied are you with the first secretary's work?")}</legend>
                    {Answer::ALL.iter().map(|a| view! {
                        <label class="check">
                            <input type="radio" name="answer" value=a.code() required />
                            {a.label(lang)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit">{lang.pick("投票", "Vote")}</button>
            </ActionForm>
            {move || match cast.value().get() {
                Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
                _ => ().into_any(),
            }}
        }>
            <p role="status" class="ok">{lang.pick("投票成功，谢谢您的参与！", "Your vote is counted. Thank you!")}</p>
        </Show>
    }
}
