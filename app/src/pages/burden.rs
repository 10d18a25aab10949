//! 填报负担 on the department's dashboard: what recording costs the secretaries, measured by
//! their phones (`domain::burden`), per township or district and per record kind, against the
//! district's budget and the product's own goals.

use domain::burden::{Burden, WEEKS};
use domain::Lang;
use leptos::prelude::*;

use crate::components::*;

const AREA_COLUMNS: [(&str, &str); 5] = [
    ("地区", "Area"),
    ("书记", "Secretaries"),
    ("每人每周记录", "Records a week each"),
    ("每周用时中位数（分钟）", "Median minutes a week"),
    ("超过上限（人）", "Over the budget"),
];

const KIND_COLUMNS: [(&str, &str); 6] = [
    ("记录类型", "Kind"),
    ("每人每周", "A week each"),
    ("平均每条用时（秒）", "Seconds each"),
    ("目标（秒）", "Goal (s)"),
    ("平均填写字段", "Fields each"),
    ("已计时/全部", "Timed/all"),
];

fn one(v: f64) -> String {
    format!("{v:.1}")
}

#[component]
pub fn BurdenPanel(burden: Burden) -> impl IntoView {
    let lang = use_lang();
    let budget = burden.budget_minutes_week;
    let intro = match (lang, budget) {
        (Lang::Zh, Some(b)) => format!("近 {WEEKS} 周，手机自动记录的填报用时（从打开表单到保存）。本区上限：每人每周 {b} 分钟。"),
        (Lang::Zh, None) => format!("近 {WEEKS} 周，手机自动记录的填报用时（从打开表单到保存），各区按本区上限计。"),
        (Lang::En, Some(b)) => format!("The last {WEEKS} weeks, timed by the phones (from opening a form to saving it). Budget: {b} minutes a week per secretary."),
        (Lang::En, None) => format!("The last {WEEKS} weeks, timed by the phones (from opening a form to saving it); each district's own budget applies."),
    };
    view! {
        <section class="card" aria-labelledby="burden-h">
            <h2 id="burden-h">{lang.pick("填报负担", "Reporting burden")}</h2>
            <p class="muted">{intro}</p>
            <div class="table-wrap">
                <table class="cards" aria-label=lang.pick("各地填报负担", "Burden by area")>
                    {table_head(lang, &AREA_COLUMNS)}
                    <tbody>
                        {burden
                            .areas
                            .into_iter()
                            .map(|a| {
                                let c = |i: usize| lang.pick(AREA_COLUMNS[i].0, AREA_COLUMNS[i].1);
                                let over = a.over_budget > 0;
                                view! {
                                    <tr>
                                        <th scope="row">{a.area}</th>
                                        <td data-label=c(1)>{a.secretaries}</td>
                                        <td data-label=c(2)>{one(a.records_week)}</td>
                                        <td data-label=c(3)>{one(a.median_minutes_week)}</td>
                                        <td data-label=c(4) class:over=over>
                                            {a.over_budget}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-wrap">
                <table class="cards" aria-label=lang.pick("各类记录用时", "Time per record kind")>
                    {table_head(lang, &KIND_COLUMNS)}
                    <tbody>
                        {burden
                            .kinds
                            .into_iter()
                            .map(|k| {
                                let c = |i: usize| lang.pick(KIND_COLUMNS[i].0, KIND_COLUMNS[i].1);
                                let over = matches!(
                                    (k.seconds_each, k.goal_seconds),
                                    (Some(s), Some(g))
                                    if s > f64::from(g)
                                );
                                let each = match (k.seconds_each, over) {
                                    (None, _) => "–".to_string(),
                                    (Some(s), false) => format!("{s:.0}"),
                                    (Some(s), true) => {
                                        format!("{s:.0}{}", lang.pick("（超过目标）", " (over the goal)"))
                                    }
                                };
                                view! {
                                    <tr>
                                        <th scope="row">{k.kind.label(lang)}</th>
                                        <td data-label=c(1)>{one(k.records_week)}</td>
                                        <td data-label=c(2) class:over=over>
                                            {each}
                                        </td>
                                        <td data-label=c(
                                            3,
                                        )>{k.goal_seconds.map(|g| g.to_string()).unwrap_or_else(|| "–".into())}</td>
                                        <td data-label=c(
                                            4,
                                        )>{k.fields_each.map(one).unwrap_or_else(|| "–".into())}</td>
                                        <td data-label=c(5)>{format!("{}/{}", k.measured, k.records)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="muted">
                {lang
                    .pick(
                        "用时只用于减负，不用于评价或排名任何人；书记手机上不显示。",
                        "Timings serve only to lighten the load, never to judge or rank anyone; the phones do not show them.",
                    )}
            </p>
        </section>
    }
}
