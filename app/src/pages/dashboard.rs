//! 驻村工作看板: the organisation department's dashboard. A district's townships (or a city's
//! districts) for a chosen period — headline, a sortable table, weekly trends, a comparison
//! and a map — drilling down to a township's board and from there to a secretary. Live: the
//! server says when a district's figures changed.

use domain::board::AlertKind;
use domain::dashboard::{Dashboard, Period, Series, Totals, TrendPoint};
use domain::Lang;
use leptos::prelude::*;

use crate::api::dashboard::{department_dashboard, reporting_burden, DashboardPage};
use crate::components::*;
use crate::pages::burden::BurdenPanel;

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A column of the table: its heading, what it sorts by, and its cell.
struct Column {
    zh: &'static str,
    en: &'static str,
    value: fn(&Totals) -> Option<f64>,
    cell: fn(&Totals, Lang) -> String,
}

const COLUMNS: &[Column] = &[
    Column {
        zh: "在岗书记",
        en: "Secretaries",
        value: |t| Some(t.secretaries as f64),
        cell: |t, _| t.secretaries.to_string(),
    },
    Column {
        zh: "今日在村",
        en: "In the village today",
        value: |t| t.today_rate(),
        cell: |t, _| format!("{}/{} · {}", t.present_expected, t.expected_today, pct(t.today_rate())),
    },
    Column {
        zh: "出勤率",
        en: "Attendance",
        value: |t| t.attendance_rate(),
        cell: |t, _| format!("{} · {}/{}", pct(t.attendance_rate()), t.met, t.required),
    },
    Column {
        zh: "在村天数",
        en: "Days in the village",
        value: |t| Some(t.days as f64),
        cell: |t, _| t.days.to_string(),
    },
    Column {
        zh: "两委例会",
        en: "Committee meetings",
        value: |t| t.meeting_rate(),
        cell: |t, _| format!("{}/{} · {}", t.meetings_held, t.meetings_due, pct(t.meeting_rate())),
    },
    Column {
        zh: "近7日日记",
        en: "Diaries, 7 days",
        value: |t| share(t.diarists_7d, t.secretaries),
        cell: |t, lang| match lang {
            Lang::Zh => format!("{} 篇 · {}/{} 人", t.diaries_7d, t.diarists_7d, t.secretaries),
            Lang::En => format!("{} · {}/{} people", t.diaries_7d, t.diarists_7d, t.secretaries),
        },
    },
    Column {
        zh: "超30天未走访户",
        en: "Households not visited 30 days",
        value: |t| Some(t.households_due as f64),
        cell: |t, _| format!("{}/{}", t.households_due, t.households),
    },
    Column {
        zh: "调研报告",
        en: "Research reports",
        value: |t| Some(t.research_reports as f64),
        cell: |t, _| t.research_reports.to_string(),
    },
    Column {
        zh: "提醒",
        en: "Alerts",
        value: |t| Some(t.open_alerts() as f64),
        cell: |t, _| t.open_alerts().to_string(),
    },
    Column {
        zh: "点名应答",
        en: "Roll calls answered",
        value: |t| t.roll_call_rate(),
        cell: |t, _| format!("{}/{}", t.roll_calls_answered, t.roll_calls),
    },
    Column {
        zh: "请假天数",
        en: "Leave days",
        value: |t| Some(t.leave_days as f64),
        cell: |t, _| t.leave_days.to_string(),
    },
    Column {
        zh: "目标备案/审核",
        en: "Goals filed/approved",
        value: |t| share(t.goals_approved, t.secretaries),
        cell: |t, lang| match lang {
            Lang::Zh => format!("备案 {} · 审核 {}", t.goals_filed, t.goals_approved),
            Lang::En => format!("{} filed · {} approved", t.goals_filed, t.goals_approved),
        },
    },
    Column {
        zh: "考核评分",
        en: "Items scored",
        value: |t| share(t.assessed, t.assessable),
        cell: |t, _| format!("{}/{}", t.assessed, t.assessable),
    },
    Column {
        zh: "测评参与率",
        en: "Survey turnout",
        value: |t| t.survey_turnout(),
        cell: |t, _| pct(t.survey_turnout()),
    },
];

#[component]
pub fn DashboardHome() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let district = move || query.read().get("district_id").and_then(|d| d.parse::<i64>().ok());
    let period = move || query.read().get("period").and_then(|p| Period::parse(&p)).unwrap_or(Period::Month);
    let page =
        Resource::new(move || (district(), period()), |(d, p)| department_dashboard(d, Some(p.code().to_string())));
    // Which column the table is sorted by, and which way (`?sort=3` high to low, `3.asc`): in
    // the address, so it is kept across live refreshes.
    let sort = move || query.read().get("sort").and_then(|s| Sort::parse(&s));
    let map = move || match district() {
        Some(id) => format!("/dashboard/map.svg?district_id={id}"),
        None => "/dashboard/map.svg".to_string(),
    };
    let feedback = Resource::new(|| (), |_| crate::api::feedback::feedback_tally());
    let burden = Resource::new(district, reporting_burden);
    let lang = use_lang();
    view! {
        <Guard roles=ADMINS>
            <LiveRefresh event="dashboard".to_string() />
            <Loaded resource=page let:p>
                <DashboardView page=p sort=sort() />
            </Loaded>
            <MapPanel href=map() />
            <Loaded resource=feedback let:c>
                <section class="card" aria-label=lang.pick("投诉建议", "Complaints and suggestions")>
                    <h2>{lang.pick("投诉建议", "Complaints and suggestions")}</h2>
                    <p data-testid="dashboard-feedback">{crate::pages::feedback::counts_line(&c, lang)}</p>
                    <p>
                        <a href="/feedback">{lang.pick("查看并答复", "Read and answer")}</a>
                    </p>
                </section>
            </Loaded>
            <Loaded resource=burden let:b>
                <BurdenPanel burden=b />
            </Loaded>
        </Guard>
    }
}

#[component]
fn DashboardView(page: DashboardPage, sort: Option<Sort>) -> impl IntoView {
    let lang = use_lang();
    let d = page.dashboard;
    let title = match (lang, d.name.is_empty()) {
        (Lang::Zh, _) => format!("{}驻村工作看板", d.name),
        (Lang::En, true) => "First secretaries' dashboard".to_string(),
        (Lang::En, false) => format!("{} · first secretaries' dashboard", d.name),
    };
    let district_q = d.district_id.map(|id| format!("&district_id={id}")).unwrap_or_default();
    let export = format!("/reports/dashboard.xlsx?period={}{district_q}", d.period.code());
    let provisional = (!d.provisional.is_empty()).then(|| {
        let years: Vec<String> = d.provisional.iter().map(|y| y.to_string()).collect();
        match lang {
            Lang::Zh => format!("（暂定：{} 年节假日未录入，按周一至周五计）", years.join("、")),
            Lang::En => {
                format!(" (provisional: no holiday calendar for {}, Monday to Friday counted)", years.join(", "))
            }
        }
    });
    view! {
        <h1>{title}</h1>
        {d.calendar_due.map(|year| view! { <CalendarDue year /> })}
        <PeriodNav period=d.period district_q=district_q.clone() />
        <Freshness dashboard=d.clone() />
        <Headline totals=d.total.clone() whole=d.whole_label(lang) provisional=provisional.clone() />
        <RowsTable dashboard=d.clone() sort export />
        <Pickers dashboard=d.clone() />
        <TrendPanel
            id="attendance"
            title=lang.pick("出勤率趋势", "Attendance over the term")
            svg=page.attendance_trend
            series=d.trends.clone()
            whole=d.whole_label(lang)
            rate=TrendPoint::attendance_rate
        />
        <TrendPanel
            id="meetings"
            title=lang.pick("两委例会召开趋势", "Committee meetings over the term")
            svg=page.meeting_trend
            series=d.trends.clone()
            whole=d.whole_label(lang)
            rate=TrendPoint::meeting_rate
        />
        <section class="card" aria-labelledby="comparison-h">
            <h2 id="comparison-h">
                {format!(
                    "{} · {}{}",
                    lang.pick("出勤率对比", "Attendance compared"),
                    d.period.label(lang),
                    provisional.unwrap_or_default(),
                )}
            </h2>
            <div class="chart-box" inner_html=page.comparison></div>
            <p class="muted">
                {lang.pick("数值同上表“出勤率”一列。", "The values are the table's attendance column.")}
            </p>
        </section>
        <Reports district_id=d.district_id this_month=d.today.format("%Y-%m").to_string() />
    }
}

/// The department and the system administrator are told before a year without holidays begins.
#[component]
fn CalendarDue(year: i32) -> impl IntoView {
    let lang = use_lang();
    let text = match lang {
        Lang::Zh => format!("{year} 年的法定节假日和调休安排尚未录入：录入前，{year} 年的工作日按周一至周五计算，节假日会被算作缺勤。请系统管理员在“考勤设置”中按国务院办公厅通知录入并确认。"),
        Lang::En => format!("The {year} public holidays and adjusted working days are not loaded: until they are, {year} counts Monday to Friday as working days and holidays as absences. The system administrator enters and confirms them under Attendance settings."),
    };
    view! {
        <div class="warning" role="note">
            <p>{text}</p>
            <p>
                <a href="/admin/settings">{lang.pick("前往考勤设置", "Open the attendance settings")}</a>
            </p>
        </div>
    }
}

#[component]
fn PeriodNav(period: Period, district_q: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="tabs" aria-label=lang.pick("统计周期", "Period")>
            {Period::ALL
                .iter()
                .map(|p| {
                    let href = format!("/dashboard?period={}{district_q}", p.code());
                    view! {
                        <a href=href aria-current=(*p == period).then_some("page")>
                            {p.label(lang)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn Freshness(dashboard: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let at = dashboard.computed_at.map(super::board::local).unwrap_or_else(|| "—".into());
    let pending = dashboard.pending;
    view! {
        <p class="muted" data-testid="freshness">
            {format!(
                "{} {} · {} {}",
                lang.pick("今天", "Today"),
                dashboard.today,
                lang.pick("数据更新于", "figures as of"),
                at,
            )}
            {(pending > 0)
                .then(|| match lang {
                    Lang::Zh => format!(" · 另有 {pending} 名书记的数据正在更新"),
                    Lang::En => format!(" · {pending} secretaries being updated"),
                })}
            {dashboard
                .replica_as_of
                .map(|t| {
                    format!(" · {} {}", lang.pick("数据同步至", "synced up to"), super::board::local(t))
                })}
        </p>
    }
}

#[component]
fn Headline(totals: Totals, whole: &'static str, provisional: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let t = totals;
    let part_time_present = t.present_today - t.present_expected;
    let tile = |label: String, value: String, note: String| {
        view! {
            <li>
                <span class="label">{label}</span>
                <strong>{value}</strong>
                <span class="note">{note}</span>
            </li>
        }
    };
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    view! {
        <section aria-label=lang.pick("总体情况", "Headline")>
            <h2 class="visually-hidden">{whole}</h2>
            <ul class="tiles headline">
                <li data-testid="present-today">
                    <span class="label">
                        {lang.pick("今日在村（已核实）", "In the village today (verified)")}
                    </span>
                    <strong>{format!("{} / {}", t.present_expected, t.expected_today)}</strong>
                    <span class="note">
                        {match lang {
                            Lang::Zh => {
                                format!(
                                    "应在村的脱产书记 · {}；另有非脱产 {} 人今日驻村",
                                    pct(t.today_rate()),
                                    part_time_present.max(0),
                                )
                            }
                            Lang::En => {
                                format!(
                                    "full-time due today · {}; {} part-time also in",
                                    pct(t.today_rate()),
                                    part_time_present.max(0),
                                )
                            }
                        }}
                    </span>
                </li>
                {tile(
                    l("出勤率", "Attendance"),
                    pct(t.attendance_rate()),
                    format!(
                        "{} {}/{}{}",
                        lang.pick("在村工作日", "working days in"),
                        t.met,
                        t.required,
                        provisional.unwrap_or_default(),
                    ),
                )}
                {tile(
                    l("在村天数", "Days in the village"),
                    t.days.to_string(),
                    format!("{} {}", lang.pick("请假", "leave"), t.leave_days),
                )}
                {tile(
                    l("两委例会", "Committee meetings"),
                    format!("{}/{}", t.meetings_held, t.meetings_due),
                    format!("{} {}", lang.pick("已开/应开", "held/due"), pct(t.meeting_rate())),
                )}
                {tile(
                    l("近7日民情日记", "Diaries, last 7 days"),
                    t.diaries_7d.to_string(),
                    format!(
                        "{}/{} {}",
                        t.diarists_7d,
                        t.secretaries,
                        lang.pick("人写了日记", "secretaries wrote one"),
                    ),
                )}
                {tile(
                    l("超30天未走访帮扶户", "Households not visited 30 days"),
                    t.households_due.to_string(),
                    format!("{} {}", lang.pick("结对户共", "of"), t.households),
                )}
                {tile(
                    l("调研报告", "Research reports"),
                    t.research_reports.to_string(),
                    format!("{} {}", t.secretaries, lang.pick("名在岗书记", "secretaries in post")),
                )}
                {tile(
                    l("本月点名", "Roll calls this month"),
                    t.roll_calls.to_string(),
                    format!("{} {}", lang.pick("应答率", "answered"), pct(t.roll_call_rate())),
                )}
                <li>
                    <span class="label">{lang.pick("年度考核进度", "Year-end evaluation")}</span>
                    <strong>{format!("{}/{}", t.goals_approved, t.secretaries)}</strong>
                    <span class="note">
                        {match lang {
                            Lang::Zh => {
                                format!(
                                    "目标审核通过（已备案 {}）· 评分 {}/{} · 测评参与率 {}",
                                    t.goals_filed,
                                    t.assessed,
                                    t.assessable,
                                    pct(t.survey_turnout()),
                                )
                            }
                            Lang::En => {
                                format!(
                                    "goals approved ({} filed) · items scored {}/{} · survey turnout {}",
                                    t.goals_filed,
                                    t.assessed,
                                    t.assessable,
                                    pct(t.survey_turnout()),
                                )
                            }
                        }}
                    </span>
                </li>
            </ul>
            <h3>{lang.pick("待处理提醒（按人数）", "Open alerts (secretaries)")}</h3>
            <ul class="alert-counts">
                {AlertKind::ALL
                    .iter()
                    .map(|k| view! { <li data-alert=k.code()>{k.label(lang)}<strong>{t.alert(*k)}</strong></li> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A table's order: a column, high to low unless `ascending`.
#[derive(Clone, Copy, PartialEq)]
struct Sort {
    column: usize,
    ascending: bool,
}

impl Sort {
    fn parse(s: &str) -> Option<Sort> {
        let (column, ascending) = s.strip_suffix(".asc").map_or((s, false), |c| (c, true));
        let column = column.parse().ok().filter(|c| *c < COLUMNS.len())?;
        Some(Sort { column, ascending })
    }

    fn code(self) -> String {
        if self.ascending {
            format!("{}.asc", self.column)
        } else {
            self.column.to_string()
        }
    }
}

#[component]
fn RowsTable(dashboard: Dashboard, sort: Option<Sort>, export: String) -> impl IntoView {
    let lang = use_lang();
    let townships = dashboard.district_id.is_some();
    let heading = if townships { lang.pick("各镇街", "Townships") } else { lang.pick("各区县", "Districts") };
    let period = dashboard.period;
    let mut rows = dashboard.rows;
    if let Some(Sort { column, ascending }) = sort {
        let key = |t: &Totals| (COLUMNS[column].value)(t).unwrap_or(f64::NEG_INFINITY);
        rows.sort_by(|a, b| key(&a.totals).partial_cmp(&key(&b.totals)).unwrap_or(std::cmp::Ordering::Equal));
        if !ascending {
            rows.reverse();
        }
    }
    let link = move |id: i64| {
        if townships {
            format!("/township?township={id}")
        } else {
            format!("/dashboard?period={}&district_id={id}", period.code())
        }
    };
    // The sorting forms keep the page's period and district.
    let kept: Vec<(&str, String)> = std::iter::once(("period", period.code().to_string()))
        .chain(dashboard.district_id.map(|id| ("district_id", id.to_string())))
        .collect();
    view! {
        <section class="card" aria-labelledby="rows-h">
            <h2 id="rows-h">{format!("{heading} · {}", period.label(lang))}</h2>
            <p class="actions">
                <a href=export rel="external">
                    {lang.pick("导出本表（Excel）", "Export this table (Excel)")}
                </a>
            </p>
            // Phones show the rows as cards, without the headings to sort by.
            <GetForm button=lang.pick("排序", "Sort") class="filter phone-only" kept=kept.clone()>
                <Select
                    label=lang.pick("排序", "Sort by")
                    name="sort"
                    options=COLUMNS
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (
                            i.to_string(),
                            format!("{}{}", lang.pick(c.zh, c.en), lang.pick("（从高到低）", " (high to low)")),
                        ))
                        .collect()
                    selected=sort.map(Sort::code).unwrap_or_default()
                    none=lang.pick("默认顺序", "As listed")
                />
            </GetForm>
            <form method="get" id="sort-by-heading">
                {hidden_fields(kept)}
            </form>
            <div class="table-wrap">
                <table class="cards dense" aria-label=heading>
                    <thead>
                        <tr>
                            <th scope="col">{heading}</th>
                            {COLUMNS
                                .iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    let (state, next) = match sort {
                                        Some(Sort { column, ascending: false }) if column == i => {
                                            ("descending", Sort { column: i, ascending: true })
                                        }
                                        Some(Sort { column, ascending: true }) if column == i => {
                                            (
                                                "ascending",
                                                Sort {
                                                    column: i,
                                                    ascending: false,
                                                },
                                            )
                                        }
                                        _ => {
                                            (
                                                "none",
                                                Sort {
                                                    column: i,
                                                    ascending: false,
                                                },
                                            )
                                        }
                                    };
                                    view! {
                                        <th scope="col" aria-sort=state>
                                            <button
                                                type="submit"
                                                form="sort-by-heading"
                                                name="sort"
                                                value=next.code()
                                                class="sort"
                                            >
                                                {lang.pick(c.zh, c.en)}
                                            </button>
                                        </th>
                                    }
                                })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=link(r.id)>{r.name.clone()}</a>
                                        </th>
                                        {COLUMNS
                                            .iter()
                                            .map(|c| {
                                                let label = lang.pick(c.zh, c.en);
                                                view! { <td data-label=label>{(c.cell)(&r.totals, lang)}</td> }
                                            })
                                            .collect_view()}
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
                        "点击表头排序；点击名称进入下一级。",
                        "Sort by a column's heading; a name opens the next level.",
                    )}
            </p>
        </section>
    }
}

/// The township boards (or the districts' dashboards) one choice away.
#[component]
fn Pickers(dashboard: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let (label, action, name) = if dashboard.district_id.is_some() {
        (lang.pick("打开镇街考勤看板", "Open a township's board"), "/township", "township")
    } else {
        (lang.pick("打开区县看板", "Open a district's dashboard"), "/dashboard", "district_id")
    };
    view! {
        <GetForm button=lang.pick("打开", "Open") action=action>
            <Select
                label=label
                name=name
                options=dashboard.rows.iter().map(|r| (r.id.to_string(), r.name.clone())).collect()
                none=lang.pick("请选择", "Choose")
                required=true
            />
        </GetForm>
    }
}

/// A trend chart with its legend and, for screen readers and printing, the same as a table.
#[component]
fn TrendPanel(
    id: &'static str,
    title: &'static str,
    svg: String,
    series: Vec<Series>,
    whole: &'static str,
    rate: fn(&TrendPoint) -> Option<f64>,
) -> impl IntoView {
    let lang = use_lang();
    let names: Vec<String> =
        series.iter().enumerate().map(|(i, s)| if i == 0 { whole.to_string() } else { s.name.clone() }).collect();
    let weeks: Vec<chrono::NaiveDate> =
        series.first().map(|s| s.points.iter().map(|p| p.week).collect()).unwrap_or_default();
    let heading = format!("{id}-h");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <div class="chart-box" inner_html=svg></div>
            <ul class="legend" aria-hidden="true">
                {names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        view! {
                            <li>
                                <span class="swatch" style=format!("background:{}", crate::palette::line(i))></span>
                                {n.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <details>
                <summary>{lang.pick("以表格查看", "Show as a table")}</summary>
                <div class="table-wrap">
                    <table>
                        <caption>{title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{lang.pick("周（周一）", "Week (Monday)")}</th>
                                {names.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {weeks
                                .into_iter()
                                .map(|w| {
                                    view! {
                                        <tr>
                                            <th scope="row">{w.format("%m-%d").to_string()}</th>
                                            {series
                                                .iter()
                                                .map(|s| {
                                                    view! {
                                                        <td>
                                                            {pct(s.points.iter().find(|p| p.week == w).and_then(rate))}
                                                        </td>
                                                    }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// The map, fetched after the page is up (`/dashboard/map.svg`): it is the heaviest part and
/// not needed to read the figures.
#[island]
fn MapPanel(href: String) -> impl IntoView {
    let lang = use_lang();
    let svg = RwSignal::new(String::new());
    let url = href.clone();
    Effect::new(move |started: Option<()>| {
        if started.is_some() {
            return;
        }
        let url = url.clone();
        leptos::task::spawn_local(async move {
            if let Some(text) = fetch_text(&url).await {
                svg.set(text);
            }
        });
    });
    view! {
        <section class="card" aria-labelledby="map-h">
            <h2 id="map-h">{lang.pick("分布图", "Map")}</h2>
            <div class="map" inner_html=move || svg.get()></div>
            <p>
                <a href=href rel="external">
                    {lang.pick("单独打开地图", "Open the map on its own")}
                </a>
            </p>
        </section>
    }
}

/// A page's text by `GET` with the session's cookie, `None` when it fails.
#[cfg(feature = "hydrate")]
async fn fetch_text(url: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let answer = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.ok()?;
    let response: web_sys::Response = answer.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    wasm_bindgen_futures::JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

#[cfg(not(feature = "hydrate"))]
async fn fetch_text(_url: &str) -> Option<String> {
    None
}

/// The district's monthly attendance workbook for a chosen month.
#[component]
fn Reports(district_id: Option<i64>, this_month: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-label=lang.pick("月度考勤汇总", "Monthly attendance")>
            <h2>{lang.pick("月度考勤汇总", "Monthly attendance")}</h2>
            // The workbook of the month chosen, by a plain GET of its address.
            <form method="get" action="/reports/attendance.xlsx" class="filter">
                {district_id.map(|id| view! { <input type="hidden" name="district_id" value=id /> })}
                <label>
                    {lang.pick("月份", "Month")}<input type="month" name="month" value=this_month required />
                </label>
                <button type="submit">
                    {lang.pick("下载考勤汇总（Excel）", "Download the attendance summary (Excel)")}
                </button>
                <button type="submit" class="secondary" formaction="/reports/records.xlsx">
                    {lang.pick("导出该月全部记录（Excel）", "Export the month's records (Excel)")}
                </button>
            </form>
        </section>
    }
}
