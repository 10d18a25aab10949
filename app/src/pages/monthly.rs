//! 月度工作纪实: the secretary's month, drafted from the records, edited and filed; the filed
//! months on the secretary's timeline for the township and the unit.

use domain::monthly::{MonthlyDraft, MonthlyRecord};
use domain::Role;
use leptos::prelude::*;

use crate::api::monthly::{draft_month, FileMonthlyRecord};
use crate::components::*;
use crate::pages::board::local;

#[component]
pub fn MonthlyPage() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let month = move || query.read().get("month");
    let file = ServerAction::<FileMonthlyRecord>::new();
    let draft = Resource::new(month, draft_month);
    view! {
        <Guard roles=&[Role::Secretary]>
            <h1>{lang.pick("月度工作纪实", "Monthly work record")}</h1>
            <p class="muted">
                {lang
                    .pick(
                        "由本月已有的记录自动生成，不必重复填写；可修改后存档，镇街和派出单位可查看。",
                        "Drafted from this month's records, so nothing is typed twice; edit it and file it, and the township and your unit can read it.",
                    )}
            </p>
            <Loaded resource=draft let:d>
                <MonthView draft=d file />
            </Loaded>
        </Guard>
    }
}

#[component]
fn MonthView(draft: MonthlyDraft, file: ServerAction<FileMonthlyRecord>) -> impl IntoView {
    let lang = use_lang();
    let month = draft.facts.month.format("%Y-%m").to_string();
    let days = draft.facts.days_in_village;
    let f = &draft.facts.work;
    let yuan = f.yuan();
    let facts = [
        (lang.pick("在村天数", "Days in the village"), days.to_string()),
        (lang.pick("会议", "Meetings"), f.meetings.len().to_string()),
        (lang.pick("走访帮扶户（户次）", "Household visits"), f.visits.len().to_string()),
        (lang.pick("谈心谈话", "Talks"), f.talks.to_string()),
        (lang.pick("民情日记", "Diaries"), f.diaries.to_string()),
        (
            lang.pick("办理实事", "Practical matters"),
            format!("{} · {yuan} {}", f.practical.len(), lang.pick("元", "yuan")),
        ),
        (lang.pick("调研报告", "Research reports"), f.research.len().to_string()),
    ];
    let state = match draft.filed {
        Some((at, updated)) if updated > at => format!(
            "{}{}{}{}",
            lang.pick("已存档 ", "Filed "),
            local(at),
            lang.pick("，最近修改 ", ", last changed "),
            local(updated)
        ),
        Some((at, _)) => format!("{}{}", lang.pick("已存档 ", "Filed "), local(at)),
        None => lang.pick("尚未存档（以下为自动生成的草稿）", "Not filed yet (below is the draft)").to_string(),
    };
    view! {
        // A plain GET form: the month is in the address.
        <form method="get" class="filters" aria-label=lang.pick("选择月份", "Choose the month")>
            <label>{lang.pick("月份", "Month")}<input type="month" name="month" value=month.clone() /></label>
            <button type="submit">{lang.pick("查看", "Show")}</button>
        </form>
        <section class="card" aria-label=lang.pick("本月记录", "This month's records")>
            <h2>{lang.pick("本月记录", "This month's records")}</h2>
            {facts_list(facts)}
        </section>
        <section class="card" aria-label=lang.pick("纪实", "The record")>
            <p data-testid="monthly-state">{state}</p>
            <ActionForm action=file attr:class="grid">
                <input type="hidden" name="month" value=month />
                <label class="wide">
                    <span>{lang.pick("纪实内容", "The record")}</span>
                    <textarea name="body" rows="18" required>
                        {draft.text}
                    </textarea>
                </label>
                <button type="submit">{lang.pick("存档", "File it")}</button>
            </ActionForm>
            <Outcome
                action=file
                done=lang
                    .pick("已存档，镇街和派出单位可查看", "Filed: the township and your unit can read it")
            />
        </section>
    }
}

/// A posting's filed months, each opened on a tap.
#[component]
pub(crate) fn MonthlyList(records: Vec<MonthlyRecord>) -> impl IntoView {
    let lang = use_lang();
    (!records.is_empty()).then(|| {
        view! {
            <section class="card" aria-label=lang.pick("月度工作纪实", "Monthly work records")>
                <h2>{lang.pick("月度工作纪实", "Monthly work records")}</h2>
                {records
                    .into_iter()
                    .map(|r| {
                        view! {
                            <details>
                                <summary>
                                    {format!(
                                        "{} · {}{}",
                                        r.month.format("%Y-%m"),
                                        lang.pick("存档于 ", "filed "),
                                        local(r.updated_at),
                                    )}
                                </summary>
                                <p class="message">{r.body}</p>
                            </details>
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}
