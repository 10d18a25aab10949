//! `/evaluation/dossier`: a secretary's year in full, printable — every point with its
//! evidence, the three evaluations, the filings, the assessors' forms and the survey.

use std::collections::BTreeMap;

use domain::evaluation::ballot::BallotSheet;
use domain::evaluation::filing::{Filing, FilingKind};
use domain::evaluation::view::{recorded_label, Dossier, EvidenceRecord, PreAssessment, RunState};
use domain::evaluation::{EvaluationStage, Outcome as Result_};
use leptos::prelude::*;

use super::*;
use crate::api::evaluation::*;
use crate::components::*;

/// The actions a dossier page offers; any of them refreshes it.
#[derive(Clone, Copy)]
pub(super) struct DossierActions {
    approve: ServerAction<ApproveGoals>,
    assess: ServerAction<AssessItem>,
    enter: ServerAction<EnterFact>,
    close: ServerAction<CloseSurvey>,
    strike: ServerAction<StrikeRecord>,
    pre: ServerAction<RecordPreAssessment>,
}

impl DossierActions {
    pub(super) fn new() -> Self {
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

#[component]
pub(super) fn DossierView(dossier: Dossier, actions: DossierActions) -> impl IntoView {
    let lang = use_lang();
    let items = lang.pick("评分项", "Items");
    let d = dossier;
    let (posting_id, year) = (d.posting.id, d.year);
    let evidence: BTreeMap<String, EvidenceRecord> = d.evidence.iter().map(|e| (e.id.clone(), e.clone())).collect();
    view! {
        <article class="dossier" aria-label=lang.pick("考核明细", "Evaluation dossier")>
            <h1>
                {format!(
                    "{} · {} · {year} {}",
                    d.posting.secretary,
                    d.posting.village,
                    lang.pick("年度考核", "evaluation"),
                )}
            </h1>
            <p class="muted">{format!("{} · {} · {}", d.posting.township, d.posting.unit, d.category)}</p>
            <p class="muted">{format!("{}：{}", lang.pick("考核办法", "Rules"), d.rule_set)}</p>
            <PrintButton />
            <ResultBlock result=d.result.clone() />
            <Stages
                pre=d.pre_assessment.clone()
                stages=d.stages.clone()
                posting_id
                may_record=d.may.record_pre_assessment
                record=actions.pre
            />
            <section aria-label=lang.pick("组织评分明细", "Organisation score")>
                <h2>{lang.pick("组织评分明细", "Organisation score, item by item")}</h2>
                {match d.score.clone() {
                    Ok(s) => {
                        view! {
                            <p role="status" class="score">
                                {format!(
                                    "{} {} · {} {}{}",
                                    lang.pick("组织评分", "Organisation score"),
                                    points(s.organisation_score),
                                    lang.pick("基础分（B+D）", "base parts (B+D)"),
                                    points(s.base_parts),
                                    if d.frozen {
                                        lang.pick("（已冻结的结果）", " (the frozen result)")
                                    } else {
                                        lang.pick(
                                            "（按目前的记录和评分）",
                                            " (from what is recorded and scored so far)",
                                        )
                                    },
                                )}
                            </p>
                            <div class="table-wrap">
                                <table aria-label=items>
                                    {table_head(
                                        lang,
                                        &[
                                            ("编号", "Code"),
                                            ("项目", "Item"),
                                            ("得分", "Points"),
                                            ("计算", "How"),
                                            ("依据", "Evidence"),
                                        ],
                                    )}
                                    <tbody>
                                        {s
                                            .lines
                                            .into_iter()
                                            .map(|l| {
                                                view! {
                                                    <tr>
                                                        <td>{l.code}</td>
                                                        <td>{l.name}</td>
                                                        <td>{points(l.points)}</td>
                                                        <td>{l.explanation.get(lang).to_string()}</td>
                                                        <td>
                                                            <EvidenceList items=l.evidence known=evidence.clone() />
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
                    }
                    Err(m) => {
                        view! {
                            <p role="status" class="warn">
                                {format!("{}：{}", lang.pick("尚不能评分", "Cannot be scored yet"), m.get(lang))}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </section>
            <section aria-label=lang.pick("记录自动统计", "Counted from the records")>
                <h2>{lang.pick("记录自动统计（截至今天）", "Counted from the records (as of today)")}</h2>
                <ul class="plain">
                    {d
                        .recorded
                        .iter()
                        .map(|(f, v)| view! { <li>{format!("{}：{}", recorded_label(f).get(lang), points(*v))}</li> })
                        .collect_view()}
                </ul>
            </section>
            {(!d.struck.is_empty())
                .then(|| {
                    view! {
                        <section aria-label=lang.pick("认定不实的记录", "Records found untrue")>
                            <h2>
                                {lang
                                    .pick("认定不实的记录（不计分）", "Records found untrue (not counted)")}
                            </h2>
                            <ul class="plain">
                                {d
                                    .struck
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <li>
                                                {format!(
                                                    "{} {} {} · {}{} · {}{} · {} {}",
                                                    s.record.date.map(|d| d.to_string()).unwrap_or_default(),
                                                    s.record.kind,
                                                    s.record.summary,
                                                    lang.pick("理由：", "reason: "),
                                                    s.reason,
                                                    lang.pick("依据：", "evidence: "),
                                                    s.evidence,
                                                    s.by,
                                                    crate::pages::board::local(s.at),
                                                )}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
            {(!d.commitments.is_empty() || !d.releases.is_empty())
                .then(|| {
                    view! {
                        <section aria-label=lang.pick("承诺事项与解除捆绑", "Commitments and release")>
                            <h2>{lang.pick("承诺事项与解除捆绑", "Commitments and release")}</h2>
                            <ul class="plain">
                                {d
                                    .commitments
                                    .iter()
                                    .map(|c| {
                                        view! { <li>{format!("{} {} · {}", c.due, c.text, c.state.label(lang))}</li> }
                                    })
                                    .collect_view()}
                                {d
                                    .releases
                                    .iter()
                                    .map(|r| {
                                        view! {
                                            <li>
                                                {format!(
                                                    "{} {} · {}：{} · {}{}",
                                                    crate::pages::board::local(r.at),
                                                    r.decided_by,
                                                    r.decision.label(lang),
                                                    r.reason,
                                                    lang.pick("当时未完成：", "open then: "),
                                                    r.open_items.join("；"),
                                                )}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
            <FilingList
                filings=d.filings.clone()
                posting_id
                year
                may_township=d.may.approve_as_township
                may_unit=d.may.approve_as_unit
                approve=actions.approve
            />
            {d.may.assess.then(|| view! { <AssessorForms dossier=d.clone() actions /> })}
            <SurveyBlock dossier=d.clone() actions />
        </article>
    }
}

#[island]
fn PrintButton() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            type="button"
            class="no-print"
            on:click=|_| {
                let _ = window().print();
            }
        >
            {lang.pick("打印 / 另存为 PDF", "Print / save as PDF")}
        </button>
    }
}

#[component]
fn ResultBlock(result: Option<(Result_, RunState)>) -> impl IntoView {
    let lang = use_lang();
    match result {
        None => view! {
            <p class="muted">
                {lang.pick("本年度考核结果尚未计算", "The year's results are not computed yet")}
            </p>
        }
        .into_any(),
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
                (None, Some(e)) => {
                    format!("{}：{} · {}", lang.pick("未评定", "Not graded"), e.get(lang), state.label(lang))
                }
                (None, None) => state.label(lang).to_string(),
            };
            view! {
                <section class="card" aria-label=lang.pick("考核结果", "Result")>
                    <h2>{lang.pick("考核结果", "Result")}</h2>
                    <p role="status" class="result">
                        {text}
                    </p>
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
                Some(p) => {
                    view! {
                        <p>{p.suitability.clone()}</p>
                        <p class="muted">
                            {format!(
                                "{}{} · {} {}",
                                if p.second_posting { lang.pick("二次选派 · ", "second posting · ") } else { "" },
                                p.recorded_by,
                                lang.pick("记录于", "recorded"),
                                crate::pages::board::local(p.recorded_at),
                            )}
                        </p>
                        <ul class="plain">
                            {VIEWS
                                .iter()
                                .filter_map(|(k, zh, en)| {
                                    p.views.get(*k).map(|v| view! { <li>{format!("{}：{v}", lang.pick(zh, en))}</li> })
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
                None => view! { <p class="muted">{lang.pick("尚未记录", "Not recorded")}</p> }.into_any(),
            }}
            {may_record
                .then(|| {
                    view! {
                        <details class="no-print">
                            <summary>
                                {lang.pick("记录任前评估", "Record the assessment before the term")}
                            </summary>
                            <ActionForm
                                action=record
                                attr:class="grid"
                                attr:aria-label=lang.pick("任前评估", "Before the term")
                            >
                                <input type="hidden" name="posting_id" value=posting_id />
                                <label class="wide">
                                    <span>{lang.pick("适岗评估意见", "Suitability")}</span>
                                    <textarea name="suitability" rows="3" required>
                                        {current.as_ref().map(|p| p.suitability.clone())}
                                    </textarea>
                                </label>
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        name="second_posting"
                                        checked=current.as_ref().is_some_and(|p| p.second_posting)
                                    />
                                    {lang.pick("二次选派", "Second posting")}
                                </label>
                                {VIEWS
                                    .iter()
                                    .map(|(k, zh, en)| {
                                        view! {
                                            <label>
                                                <span>
                                                    {format!(
                                                        "{}{}",
                                                        lang.pick(zh, en),
                                                        lang.pick("意见（选填）", " view (optional)"),
                                                    )}
                                                </span>
                                                <input
                                                    type="text"
                                                    name=format!("view_{k}")
                                                    value=current.as_ref().and_then(|p| p.views.get(*k).cloned())
                                                />
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                                <button type="submit">{lang.pick("保存任前评估", "Save")}</button>
                            </ActionForm>
                            <Outcome action=record done=lang.pick("已保存", "Saved") />
                        </details>
                    }
                })}
            {stages
                .into_iter()
                .map(|(stage, r, state)| {
                    view! {
                        <h3>{format!("{} · {}", stage.label(lang), state.label(lang))}</h3>
                        <p role="status">
                            {match (&r.score, &r.error) {
                                (Some(s), _) => {
                                    format!(
                                        "{} {} · {}",
                                        lang.pick("得分", "Score"),
                                        points(s.organisation_score),
                                        r.grade.map(|g| g.label(lang)).unwrap_or_default(),
                                    )
                                }
                                (None, Some(e)) => e.get(lang).to_string(),
                                (None, None) => String::new(),
                            }}
                        </p>
                        <ul class="plain">
                            {r
                                .score
                                .iter()
                                .flat_map(|s| s.lines.clone())
                                .map(|l| {
                                    view! {
                                        <li>
                                            {format!(
                                                "{} {}：{} · {}",
                                                l.code,
                                                l.name,
                                                points(l.points),
                                                l.explanation.get(lang),
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// Evidence: records by id (with date, kind and gist), or the text an assessor gave.
#[component]
fn EvidenceList(items: Vec<String>, known: BTreeMap<String, EvidenceRecord>) -> impl IntoView {
    view! {
        <ul class="evidence">
            {items
                .into_iter()
                .map(|e| match known.get(&e) {
                    Some(r) => {
                        view! {
                            <li>
                                {format!(
                                    "{} {} {}",
                                    r.date.map(|d| d.to_string()).unwrap_or_default(),
                                    r.kind,
                                    r.summary,
                                )}
                            </li>
                        }
                    }
                    None => view! { <li>{e}</li> },
                })
                .collect_view()}
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
            {FilingKind::ALL
                .iter()
                .map(|&kind| {
                    let f = filings.iter().find(|f| f.kind == kind).cloned();
                    view! {
                        <div class="filing" aria-label=kind.label(lang)>
                            <h3>{kind.label(lang)}</h3>
                            {match f {
                                None => view! { <p class="muted">{lang.pick("未提交", "Not filed")}</p> }.into_any(),
                                Some(f) => {
                                    let township = f
                                        .township_approved_at
                                        .map(|t| {
                                            format!(
                                                "{}（{}）",
                                                f.township_approver.clone().unwrap_or_default(),
                                                t.format("%Y-%m-%d"),
                                            )
                                        });
                                    let unit = f
                                        .unit_approved_at
                                        .map(|t| {
                                            format!(
                                                "{}（{}）",
                                                f.unit_approver.clone().unwrap_or_default(),
                                                t.format("%Y-%m-%d"),
                                            )
                                        });
                                    view! {
                                        <p class="muted">
                                            {format!(
                                                "{} {}",
                                                lang.pick("提交于", "Filed"),
                                                f.updated_at.format("%Y-%m-%d %H:%M UTC"),
                                            )}
                                        </p>
                                        {f
                                            .published_on
                                            .map(|d| {
                                                view! {
                                                    <p>
                                                        {format!(
                                                            "{}：{d}",
                                                            lang.pick("公开承诺日期", "Made public on"),
                                                        )}
                                                    </p>
                                                }
                                            })}
                                        <p class="prewrap">{f.body.clone()}</p>
                                        {(!f.goals.is_empty())
                                            .then(|| {
                                                view! {
                                                    <ol>
                                                        {f
                                                            .goals
                                                            .iter()
                                                            .map(|g| {
                                                                view! {
                                                                    <li>
                                                                        {g.goal.clone()}
                                                                        {(!g.progress.is_empty())
                                                                            .then(|| {
                                                                                format!(
                                                                                    " — {}：{}",
                                                                                    lang.pick("进展", "progress"),
                                                                                    g.progress,
                                                                                )
                                                                            })}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ol>
                                                }
                                            })}
                                        {(kind == FilingKind::TermGoals)
                                            .then(|| {
                                                view! {
                                                    <p>
                                                        {format!(
                                                            "{}：{}",
                                                            lang.pick("镇街审核", "Township"),
                                                            township
                                                                .clone()
                                                                .unwrap_or_else(|| lang.pick("待审核", "pending").into()),
                                                        )}
                                                    </p>
                                                    <p>
                                                        {format!(
                                                            "{}：{}",
                                                            lang.pick("派出单位审核", "Unit"),
                                                            unit
                                                                .clone()
                                                                .unwrap_or_else(|| lang.pick("待审核", "pending").into()),
                                                        )}
                                                    </p>
                                                    {((may_township && township.is_none())
                                                        || (may_unit && unit.is_none()))
                                                        .then(|| {
                                                            view! {
                                                                <ActionForm action=approve>
                                                                    <input type="hidden" name="posting_id" value=posting_id />
                                                                    <input type="hidden" name="year" value=year />
                                                                    <button type="submit">
                                                                        {lang
                                                                            .pick("审核通过任期目标", "Approve the term goals")}
                                                                    </button>
                                                                </ActionForm>
                                                            }
                                                        })}
                                                }
                                            })}
                                    }
                                        .into_any()
                                }
                            }}
                        </div>
                    }
                })
                .collect_view()}
            <Outcome action=approve done=lang.pick("已审核通过", "Approved") />
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
            <p class="muted">
                {lang
                    .pick(
                        "扣分项填 0 或负数（扣分），加分项在范围内给分；须写明理由和依据。",
                        "Deductions are 0 or negative; each score needs a reason and its evidence.",
                    )}
            </p>
            {dossier
                .slots
                .into_iter()
                .chain(dossier.stage_slots)
                .map(|s| {
                    let current = s.current.clone();
                    let label = format!("{} {}", s.key, s.name);
                    let aria = label.clone();
                    view! {
                        <ActionForm action=actions.assess attr:class="grid" attr:aria-label=aria>
                            <input type="hidden" name="posting_id" value=posting_id />
                            <input type="hidden" name="year" value=year />
                            <input type="hidden" name="key" value=s.key.clone() />
                            <h3>{label.clone()}</h3>
                            {current
                                .as_ref()
                                .map(|a| {
                                    view! {
                                        <p class="muted">
                                            {format!(
                                                "{}：{}（{}，{}）",
                                                lang.pick("当前", "Now"),
                                                points(a.points),
                                                a.assessor,
                                                a.reason,
                                            )}
                                        </p>
                                    }
                                })}
                            <label>
                                <span>
                                    {format!(
                                        "{} {}（{} ~ {}）",
                                        s.key,
                                        lang.pick("得分", "points"),
                                        points(s.min),
                                        points(s.max),
                                    )}
                                </span>
                                <input
                                    type="number"
                                    name="points"
                                    step="0.5"
                                    min=s.min
                                    max=s.max
                                    value=current.as_ref().map(|a| points(a.points))
                                    required
                                />
                            </label>
                            <label>
                                <span>{format!("{} {}", s.key, lang.pick("评分理由", "reason"))}</span>
                                <input
                                    type="text"
                                    name="reason"
                                    value=current.as_ref().map(|a| a.reason.clone())
                                    required
                                />
                            </label>
                            <label>
                                <span>
                                    {format!(
                                        "{} {}",
                                        s.key,
                                        lang
                                            .pick(
                                                "依据（档案、材料，每行一项）",
                                                "evidence (one per line)",
                                            ),
                                    )}
                                </span>
                                <textarea name="evidence" rows="2">
                                    {current.as_ref().map(|a| a.evidence.join("\n"))}
                                </textarea>
                            </label>
                            <button type="submit">
                                {format!("{} {}", lang.pick("保存评分", "Save score"), s.key)}
                            </button>
                        </ActionForm>
                    }
                })
                .collect_view()}
            <Outcome action=actions.assess done=lang.pick("评分已保存", "Score saved") />
            <h2>{lang.pick("录入事项（须附依据）", "Facts entered with evidence")}</h2>
            {dossier
                .entered
                .into_iter()
                .map(|f| {
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
                })
                .collect_view()}
            <Outcome action=actions.enter done=lang.pick("已保存", "Saved") />
            {(!dossier.strikable.is_empty())
                .then(|| {
                    view! {
                        <h2>{lang.pick("认定记录不实", "Find a record untrue")}</h2>
                        <p class="muted">
                            {lang
                                .pick(
                                    "经核实不实的调研报告或实事记录不再计分；依据该调研报告的帮扶项目将被标注。",
                                    "A research report or practical matter found untrue no longer counts; projects from that research are flagged.",
                                )}
                        </p>
                        <ActionForm
                            action=actions.strike
                            attr:class="grid"
                            attr:aria-label=lang.pick("认定不实", "Find untrue")
                        >
                            <input type="hidden" name="posting_id" value=posting_id />
                            <Select
                                label=lang.pick("记录", "Record")
                                name="record"
                                options=dossier
                                    .strikable
                                    .iter()
                                    .map(|r| (
                                        r.id.clone(),
                                        format!(
                                            "{} {} {}",
                                            r.date.map(|d| d.to_string()).unwrap_or_default(),
                                            r.kind,
                                            r.summary,
                                        ),
                                    ))
                                    .collect()
                            />
                            <Input label=lang.pick("认定不实的理由", "Why it is untrue") name="reason" />
                            <Input label=lang.pick("核查依据", "Evidence checked") name="evidence" required=false />
                            <button type="submit">{lang.pick("认定不实", "Find untrue")}</button>
                        </ActionForm>
                        <Outcome action=actions.strike done=lang.pick("已认定不实", "Found untrue") />
                    }
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
    view! {
        <section aria-label=lang.pick("群众满意度测评", "Satisfaction survey")>
            <h2>{lang.pick("群众满意度测评", "Satisfaction survey")}</h2>
            <p role="status" class="survey-status">
                {status}
            </p>
            {(dossier.may.run_survey && open)
                .then(|| {
                    view! {
                        <div class="row no-print">
                            <IssueBallots posting_id year />
                            {dossier
                                .survey
                                .is_some()
                                .then(|| {
                                    view! {
                                        <ActionForm action=actions.close>
                                            <input type="hidden" name="posting_id" value=posting_id />
                                            <input type="hidden" name="year" value=year />
                                            <button type="submit">
                                                {lang.pick("结束测评", "Close the survey")}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </div>
                    }
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
            <button type="submit">
                {lang
                    .pick(
                        "发放票码（未投票者，旧票码作废）",
                        "Issue ballot codes (for those who have not voted; old codes void)",
                    )}
            </button>
        </ActionForm>
        {move || {
            issue
                .value()
                .get()
                .map(|r| match r {
                    Ok(sheet) => view! { <BallotSheetView sheet /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })
        }}
    }
}

/// The printable sheet of ballot slips: cut apart and hand out at random.
#[component]
fn BallotSheetView(sheet: BallotSheet) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="ballot-sheet" aria-label=lang.pick("票码单", "Ballot sheet")>
            <p role="status" class="warn no-print">
                {format!(
                    "{} {} {}",
                    lang.pick("已生成", "Issued"),
                    sheet.ballots.len(),
                    lang
                        .pick(
                            "张票码。票码只显示这一次，请立即打印后裁开、随机发放。",
                            "codes. They are shown this once: print now, cut apart and hand out at random.",
                        ),
                )}
            </p>
            <ul class="slips">
                {sheet
                    .ballots
                    .into_iter()
                    .map(|(code, link, svg)| {
                        view! {
                            <li class="slip">
                                <span class="qr" inner_html=svg></span>
                                <span>
                                    {format!(
                                        "{} {} {}",
                                        sheet.village,
                                        sheet.year,
                                        lang.pick("年度第一书记满意度测评", "first secretary survey"),
                                    )}
                                </span>
                                <strong class="code">{code}</strong>
                                <span class="link">{link}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
