//! The township's live attendance board (考勤看板): who is in the village today, the alerts,
//! leave to decide and roll calls. It refreshes itself when the server reports a change.

use chrono::{DateTime, Utc};
use domain::board::{
    AlertKind, Board, BoardRow, LateDay, LateReview, LeaveRequest, RollCall, Timeline, TimelineFilter,
};
use domain::field::{RecordBody, RecordKind};
use domain::org::PostingMode;
use domain::{Lang, Role};
use leptos::prelude::*;

use crate::api::attendance::{
    attendance_board, secretary_timeline, ApproveAllowance, DecideLeave, ReviewLateDay, StartRollCall,
};
use crate::components::*;

/// " · 距村中心 120 米": how far from the village's centre.
fn distance(m: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(" · 距村中心 {m:.0} 米"),
        Lang::En => format!(" · {m:.0} m from the centre"),
    }
}

/// District clocks: China keeps one time zone (UTC+8) all year.
pub(crate) fn local(t: DateTime<Utc>) -> String {
    domain::time::china(t).format("%m-%d %H:%M").to_string()
}

/// Who sees boards: the township's own supervisor, and district roles for any township in
/// their part of the tree (`?township=`).
const BOARD_VIEWERS: &[Role] = &[Role::TownshipSupervisor, Role::Inspector, Role::DeptAdmin, Role::SysAdmin];

/// 考勤看板: the supervisor's township, or the one chosen.
#[component]
pub fn TownshipHome() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let chosen = move || query.read().get("township").and_then(|t| t.parse::<i64>().ok());
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        BoardFilter { village: get("village"), mode: get("mode"), alert: get("alert") }
    };
    let decide = ServerAction::<DecideLeave>::new();
    let roll = ServerAction::<StartRollCall>::new();
    let review = ServerAction::<ReviewLateDay>::new();
    let me = use_me();
    let board = Resource::new(chosen, move |t| async move {
        let supervisor = matches!(me.await, Ok(Some(m)) if m.role == Role::TownshipSupervisor);
        if t.is_none() && !supervisor {
            return Ok(None); // district roles choose a township first
        }
        attendance_board(t).await.map(Some)
    });
    let townships = Resource::new(|| (), |_| crate::api::org::townships());
    view! {
        <Guard roles=BOARD_VIEWERS>
            <h1>{lang.pick("考勤看板", "Attendance board")}</h1>
            <LiveRefresh event="attendance".to_string() />
            <Loaded resource=townships let:ts>
                {(ts.len() > 1)
                    .then(|| {
                        view! {
                            <GetForm button=lang.pick("打开", "Open")>
                                <Select
                                    label=lang.pick("镇街", "Township")
                                    name="township"
                                    options=ts.into_iter().map(|t| (t.id.to_string(), t.name)).collect()
                                    selected=chosen().map(|id| id.to_string()).unwrap_or_default()
                                    none=lang.pick("请选择", "Choose")
                                />
                            </GetForm>
                        }
                    })}
            </Loaded>
            <Loaded resource=board let:b>
                {b.map(|b| view! { <BoardView board=b filter=filter() decide roll review /> })}
            </Loaded>
        </Guard>
    }
}

/// Which rows of a board to show (from the address: `?village=&mode=&alert=`).
#[derive(Clone, Default)]
struct BoardFilter {
    village: Option<String>,
    mode: Option<String>,
    alert: Option<String>,
}

impl BoardFilter {
    fn shows(&self, r: &BoardRow) -> bool {
        self.village.as_ref().is_none_or(|v| *v == r.village)
            && self.mode.as_ref().is_none_or(|m| m == r.mode.code())
            && self.alert.as_ref().is_none_or(|a| r.assessment.alerts.iter().any(|x| x.kind.code() == a))
    }
}

#[component]
fn BoardView(
    board: Board,
    filter: BoardFilter,
    decide: ServerAction<DecideLeave>,
    roll: ServerAction<StartRollCall>,
    review: ServerAction<ReviewLateDay>,
) -> impl IntoView {
    let lang = use_lang();
    let mut villages: Vec<String> = board.rows.iter().map(|r| r.village.clone()).collect();
    villages.sort();
    villages.dedup();
    let present = board.rows.iter().filter(|r| r.assessment.status.is_present()).count();
    let alerted = board.rows.iter().filter(|r| !r.assessment.alerts.is_empty()).count();
    let leave = board.leave_requests.iter().filter(|l| l.status == "pending").count();
    let late = board.late_days.iter().filter(|d| d.review == LateReview::Pending).count();
    // What waits for the supervisor, reachable from the top of a long page on a phone.
    let jumps = [
        ("#board", format!("{} {alerted} {}", lang.pick("有提醒", "Alerts:"), lang.pick("人", "people"))),
        ("#leave", format!("{} {leave}", lang.pick("待批请假", "Leave to decide"))),
        ("#late-days", format!("{} {late}", lang.pick("补报待核实", "Late days to review"))),
        ("#roll-calls", format!("{} {}", lang.pick("点名", "Roll calls"), board.roll_calls.len())),
        ("#reports", lang.pick("月度报表", "Monthly reports").to_string()),
    ];
    let total = board.rows.len();
    let secretaries = board.rows.iter().map(|r| (r.posting_id, r.secretary.clone(), r.village.clone())).collect();
    let rows: Vec<BoardRow> = board.rows.into_iter().filter(|r| filter.shows(r)).collect();
    view! {
        <p class="muted">
            {format!(
                "{} · {} · {} {}/{}",
                board.township,
                board.today,
                lang.pick("今日在村", "in the village today"),
                present,
                total,
            )}
        </p>
        <nav class="jumps" aria-label=lang.pick("看板导航", "On this board")>
            {jumps.into_iter().map(|(href, text)| view! { <a href=href>{text}</a> }).collect_view()}
        </nav>
        // A plain GET form: the filter is in the address, so it survives the live refresh.
        <GetForm
            button=lang.pick("筛选", "Filter")
            label=lang.pick("筛选看板", "Filter the board")
            class="filters"
            kept=vec![("township", board.township_id.to_string())]
        >
            <Select
                label=lang.pick("村（社区）", "Village")
                none=lang.pick("全部", "All")
                name="village"
                options=villages.into_iter().map(|v| (v.clone(), v)).collect()
                selected=filter.village.clone().unwrap_or_default()
            />
            <Select
                label=lang.pick("驻村方式", "Mode")
                none=lang.pick("全部", "All")
                name="mode"
                options=enum_options(PostingMode::ALL, PostingMode::code, |m| m.label(lang))
                selected=filter.mode.clone().unwrap_or_default()
            />
            <Select
                label=lang.pick("提醒", "Alert")
                none=lang.pick("全部", "All")
                name="alert"
                options=enum_options(AlertKind::ALL, AlertKind::code, |a| a.label(lang))
                selected=filter.alert.clone().unwrap_or_default()
            />
        </GetForm>
        <div class="table-wrap" id="board">
            <table class="cards" aria-label=lang.pick("考勤看板", "Attendance board")>
                {table_head(lang, BOARD_COLUMNS)}
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let href = format!("/township/secretary?posting={}", r.posting_id);
                            view! { <Row row=r href /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <LeavePanel requests=board.leave_requests decide />
        <LateDaysPanel days=board.late_days review />
        <RollCallPanel township_id=board.township_id secretaries calls=board.roll_calls on=board.roll_calls_on roll />
        <Reports township_id=board.township_id this_month=board.today.format("%Y-%m").to_string() />
    }
}

/// The month's allowance list (to approve, then export) and attendance summary.
#[component]
fn Reports(township_id: i64, this_month: String) -> impl IntoView {
    let lang = use_lang();
    let approve = ServerAction::<ApproveAllowance>::new();
    view! {
        <section class="card" id="reports" aria-label=lang.pick("月度报表", "Monthly reports")>
            <h2>{lang.pick("月度报表", "Monthly reports")}</h2>
            // Either workbook of the month chosen, by a plain GET of its address.
            <form method="get" action="/reports/allowance.xlsx" class="grid">
                <input type="hidden" name="township_id" value=township_id />
                <label>
                    {lang.pick("月份", "Month")}<input type="month" name="month" value=this_month.clone() required />
                </label>
                <p class="actions">
                    <button type="submit">
                        {lang.pick("下载补贴表（Excel）", "Download the allowance list (Excel)")}
                    </button>
                    <button type="submit" class="secondary" formaction="/reports/attendance.xlsx">
                        {lang.pick("下载考勤汇总（Excel）", "Download the attendance summary (Excel)")}
                    </button>
                    <button type="submit" class="secondary" formaction="/reports/records.xlsx">
                        {lang
                            .pick(
                                "导出该月全部记录（Excel，按类型分表）",
                                "Export the month's records (Excel, a sheet per kind)",
                            )}
                    </button>
                </p>
            </form>
            <ActionForm action=approve attr:class="grid">
                <input type="hidden" name="township_id" value=township_id />
                <label>
                    {lang.pick("审批月份", "Month to approve")}
                    <input type="month" name="month" value=this_month required />
                </label>
                <button type="submit">
                    {lang.pick("审批该月补贴表", "Approve that month's allowance list")}
                </button>
            </ActionForm>
            <Outcome action=approve done=lang.pick("补贴表已审批", "Allowance list approved") />
        </section>
    }
}

/// The columns of a board's table (and of a dispatching unit's list of its secretaries).
pub(crate) const BOARD_COLUMNS: &[(&str, &str)] = &[
    ("书记", "Secretary"),
    ("村（社区）", "Village"),
    ("今日", "Today"),
    ("最近签到", "Last check-in"),
    ("本月在村", "Days this month"),
    ("两委例会", "Meeting"),
    ("民情日记", "Diary"),
    ("未走访户", "Not visited"),
    ("提醒", "Alerts"),
];

/// One secretary's line of a board; `township` is shown under the village where the list
/// crosses townships (a dispatching unit's).
#[component]
pub(crate) fn Row(row: BoardRow, href: String, #[prop(optional)] township: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let a = row.assessment;
    let last = row.last_check_in.map(|c| {
        let place = if c.verified { lang.pick("在村", "inside") } else { lang.pick("村外", "outside") };
        let far = c.distance_m.map(|m| distance(m, lang)).unwrap_or_default();
        match lang {
            Lang::Zh => format!("手机 {} · 收到 {} · {place}{far}", local(c.device_time), local(c.received_at)),
            Lang::En => format!("phone {} · received {} · {place}{far}", local(c.device_time), local(c.received_at)),
        }
    });
    let meeting = if a.summary.meeting_recorded { lang.pick("已开", "held") } else { lang.pick("未开", "not yet") };
    let label = |i: usize| BOARD_COLUMNS.get(i).map(|c| lang.pick(c.0, c.1)).unwrap_or_default();
    let diary = a
        .summary
        .days_since_diary
        .map(|d| format!("{d} {}", lang.pick("天前", "days ago")))
        .unwrap_or_else(|| lang.pick("无", "none").into());
    view! {
        <tr data-status=a.status.code()>
            <td data-label=label(0)>
                <a href=href>{row.secretary}</a>
            </td>
            <td data-label=label(
                1,
            )>
                {row.village}<br />
                <span class="muted">
                    {township.map(|t| format!("{t} · ")).unwrap_or_default()}{row.mode.label(lang)}
                </span>
            </td>
            <td data-label=label(2) class="status">
                {a.status.label(lang)}
            </td>
            <td data-label=label(3)>{last.unwrap_or_else(|| "—".into())}</td>
            <td data-label=label(
                4,
            )>
                {format!("{} / {}", a.days_in_village_month, a.days_required_month)}
                {(a.leave_days_month > 0)
                    .then(|| {
                        view! {
                            <br />
                            <span class="muted">
                                {format!("{} {}", lang.pick("请假", "leave"), a.leave_days_month)}
                            </span>
                        }
                    })}
            </td>
            <td data-label=label(5)>{meeting}</td>
            <td data-label=label(6)>{diary}</td>
            <td data-label=label(7)>{a.summary.households_due.len()}</td>
            <td data-label=label(8)>
                <ul class="alerts">
                    {a
                        .alerts
                        .into_iter()
                        .map(|x| view! { <li data-alert=x.kind.code()>{x.detail.get(lang).to_string()}</li> })
                        .collect_view()}
                </ul>
            </td>
        </tr>
    }
}

#[component]
fn LeavePanel(requests: Vec<LeaveRequest>, decide: ServerAction<DecideLeave>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" id="leave" aria-label=lang.pick("请假审批", "Leave requests")>
            <h2>{lang.pick("请假审批", "Leave requests")}</h2>
            {requests
                .is_empty()
                .then(|| view! { <p class="muted">{lang.pick("没有请假申请", "No requests")}</p> })}
            <ul class="plain">
                {requests
                    .into_iter()
                    .map(|l| {
                        let status = match l.status.as_str() {
                            "pending" => lang.pick("待审批", "pending"),
                            "approved" => lang.pick("已批准", "approved"),
                            _ => lang.pick("已驳回", "rejected"),
                        };
                        let pending = l.status == "pending";
                        let approve = format!("{} {}", lang.pick("批准", "Approve"), l.secretary);
                        let reject = format!("{} {}", lang.pick("驳回", "Reject"), l.secretary);
                        view! {
                            <li>
                                {format!(
                                    "{} {} – {} {} · {}",
                                    l.secretary,
                                    l.first_day,
                                    l.last_day,
                                    l.reason,
                                    status,
                                )}
                                {pending
                                    .then(|| {
                                        view! {
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=l.id />
                                                <input type="hidden" name="approve" value="true" />
                                                <button type="submit" aria-label=approve>
                                                    {lang.pick("批准", "Approve")}
                                                </button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=l.id />
                                                <input type="hidden" name="approve" value="false" />
                                                <button type="submit" class="secondary" aria-label=reject>
                                                    {lang.pick("驳回", "Reject")}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Outcome action=decide done=lang.pick("已处理", "Done") />
        </section>
    }
}

/// 补报核实: days whose check-in reached the server after the district's grace. Each counts
/// until struck; the month's allowance list waits until each is confirmed or struck.
#[component]
fn LateDaysPanel(days: Vec<LateDay>, review: ServerAction<ReviewLateDay>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" id="late-days" aria-label=lang.pick("补报核实", "Days reported late")>
            <h2>{lang.pick("补报核实", "Days reported late")}</h2>
            <p class="muted">
                {lang
                    .pick(
                        "签到在当天结束后超过宽限时间才到达服务器的在村日：核实后确认，或核减（不计入在村天数和补贴）。",
                        "Days whose check-in reached the server after the grace: confirm them, or strike them (then neither counted nor paid).",
                    )}
            </p>
            {days.is_empty().then(|| view! { <p class="muted">{lang.pick("没有补报", "None")}</p> })}
            <ul class="plain">
                {days
                    .into_iter()
                    .map(|d| {
                        let pending = d.review == LateReview::Pending;
                        let text = format!(
                            "{} {} · {} {} · {}",
                            d.secretary,
                            d.day,
                            lang.pick("收到", "received"),
                            local(d.received_at),
                            d.review.label(lang),
                        );
                        let confirm = format!("{} {} {}", lang.pick("确认", "Confirm"), d.secretary, d.day);
                        let strike = format!("{} {} {}", lang.pick("核减", "Strike"), d.secretary, d.day);
                        view! {
                            <li>
                                {text}
                                {pending
                                    .then(|| {
                                        view! {
                                            <ActionForm action=review attr:class="inline">
                                                <input type="hidden" name="posting_id" value=d.posting_id />
                                                <input type="hidden" name="day" value=d.day.to_string() />
                                                <input type="hidden" name="confirm" value="true" />
                                                <input
                                                    type="hidden"
                                                    name="reason"
                                                    value=lang.pick("经核实在村", "checked: in the village")
                                                />
                                                <button type="submit" aria-label=confirm>
                                                    {lang.pick("确认", "Confirm")}
                                                </button>
                                            </ActionForm>
                                            <ActionForm action=review attr:class="inline">
                                                <input type="hidden" name="posting_id" value=d.posting_id />
                                                <input type="hidden" name="day" value=d.day.to_string() />
                                                <input type="hidden" name="confirm" value="false" />
                                                <input
                                                    type="hidden"
                                                    name="reason"
                                                    value=lang.pick("经核实不在村", "checked: not in the village")
                                                />
                                                <button type="submit" class="secondary" aria-label=strike>
                                                    {lang.pick("核减", "Strike")}
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Outcome action=review done=lang.pick("已核实", "Reviewed") />
        </section>
    }
}

#[component]
fn RollCallPanel(
    township_id: i64,
    secretaries: Vec<(i64, String, String)>,
    calls: Vec<RollCall>,
    on: bool,
    roll: ServerAction<StartRollCall>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" id="roll-calls" aria-label=lang.pick("点名", "Roll calls")>
            <h2>{lang.pick("点名", "Roll calls")}</h2>
            {if on {
                view! {
                    <ActionForm action=roll attr:class="grid">
                        <input type="hidden" name="township_id" value=township_id />
                        <RollCallPicker secretaries />
                        <Input
                            label=lang.pick("应答时限（分钟）", "Time to answer (minutes)")
                            name="minutes"
                            kind="number"
                            value="30"
                        />
                        <button type="submit">{lang.pick("发起点名", "Start a roll call")}</button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <p class="muted">
                        {lang
                            .pick(
                                "本区未启用点名。点名属强制签到，须以安保、应急或本区决定为依据，由组织部在考勤设置中启用。",
                                "Roll calls are off in this district. They force check-ins, so the department turns them on in the attendance settings, with the basis (security, emergency or its decision).",
                            )}
                    </p>
                }
                    .into_any()
            }}
            <Outcome action=roll done=lang.pick("已发起点名", "Roll call started") />
            {calls
                .into_iter()
                .map(|mut c| {
                    c.answers.sort_by_key(|a| (a.answered_at.is_some(), a.answered_at.or(a.late_at)));
                    let answered = c.answers.iter().filter(|a| a.answered_at.is_some()).count();
                    // Who has not answered first, then by when.
                    view! {
                        <section aria-label=format!("{} {}", lang.pick("点名", "Roll call"), local(c.started_at))>
                            <h3>
                                {format!(
                                    "{} {} · {} {} · {} {}/{}",
                                    lang.pick("发起", "started"),
                                    local(c.started_at),
                                    lang.pick("截止", "until"),
                                    local(c.deadline),
                                    lang.pick("应答", "answered"),
                                    answered,
                                    c.answers.len(),
                                )}
                            </h3>
                            <ul class="plain">
                                {c
                                    .answers
                                    .into_iter()
                                    .map(|a| {
                                        let text = match (a.answered_at, a.verified, a.late_at) {
                                            (Some(t), Some(true), _) => {
                                                format!(
                                                    "{} · {} {}",
                                                    a.secretary,
                                                    local(t),
                                                    lang.pick("在村应答", "answered in the village"),
                                                )
                                            }
                                            (Some(t), _, _) => {
                                                format!(
                                                    "{} · {} {}",
                                                    a.secretary,
                                                    local(t),
                                                    lang.pick("村外应答", "answered outside the village"),
                                                )
                                            }
                                            (None, _, Some(late)) => {
                                                format!(
                                                    "{} · {} {} {}",
                                                    a.secretary,
                                                    lang.pick("逾期应答，", "late: received"),
                                                    local(late),
                                                    lang.pick("收到", ""),
                                                )
                                            }
                                            (None, _, None) => {
                                                format!("{} · {}", a.secretary, lang.pick("未应答", "no answer"))
                                            }
                                        };
                                        view! { <li>{text}</li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </section>
    }
}

/// Whom a roll call calls (`posting_ids`, none: everyone): each secretary with the village, a
/// filter by village name, and "select those listed" to call a village (or several) at once.
#[island]
fn RollCallPicker(secretaries: Vec<(i64, String, String)>) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let village_filter = RwSignal::new(String::new());
    let secretaries = StoredValue::new(secretaries);
    let listed = move || {
        let f = village_filter.get();
        secretaries
            .with_value(|s| s.iter().filter(|(_, _, v)| v.contains(f.trim())).map(|(id, ..)| *id).collect::<Vec<i64>>())
    };
    view! {
        <input
            type="hidden"
            name="posting_ids"
            prop:value=move || chosen.with(|c| c.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","))
        />
        <details>
            <summary>
                {move || match chosen.with(Vec::len) {
                    0 => {
                        lang.pick("点名对象（不选则全部）", "Whom to call (none chosen: everyone)")
                            .to_string()
                    }
                    n => {
                        match lang {
                            Lang::Zh => format!("点名对象：已选 {n} 人"),
                            Lang::En => format!("Whom to call: {n} chosen"),
                        }
                    }
                }}
            </summary>
            <label>
                {lang.pick("按村名筛选", "Filter by village")}
                <input
                    type="search"
                    prop:value=move || village_filter.get()
                    on:input=move |ev| village_filter.set(event_target_value(&ev))
                    // Enter filters; it must not submit the roll call.
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default()
                        }
                    }
                />
            </label>
            <p class="actions">
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        let ids = listed();
                        chosen
                            .update(|c| {
                                c.retain(|x| !ids.contains(x));
                                c.extend(ids)
                            })
                    }
                >
                    {move || match lang {
                        Lang::Zh => format!("选中所列 {} 人", listed().len()),
                        Lang::En => format!("Choose the {} listed", listed().len()),
                    }}
                </button>
                <button type="button" class="secondary" on:click=move |_| chosen.set(Vec::new())>
                    {lang.pick("清除选择", "Clear the choice")}
                </button>
            </p>
            {move || {
                let shown = listed();
                secretaries
                    .with_value(|s| s.iter().filter(|(id, ..)| shown.contains(id)).cloned().collect::<Vec<_>>())
                    .into_iter()
                    .map(|(id, name, village)| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen
                                            .update(|c| {
                                                c.retain(|x| *x != id);
                                                if on {
                                                    c.push(id)
                                                }
                                            });
                                    }
                                />
                                {format!("{name} · {village}")}
                            </label>
                        }
                    })
                    .collect_view()
            }}
        </details>
    }
}

/// What a record says, in a line, naming the households it concerns.
fn gist(body: &RecordBody, lang: Lang, households: &[(i64, String)]) -> String {
    let name =
        |id: &i64| households.iter().find(|(h, _)| h == id).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{id}"));
    match body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => match &p.note {
            Some(why) => {
                format!("{:.5}, {:.5} ±{:.0} m · {}{why}", p.lat, p.lon, p.accuracy_m, lang.pick("原因：", "reason: "))
            }
            None => format!("{:.5}, {:.5} ±{:.0} m", p.lat, p.lon, p.accuracy_m),
        },
        RecordBody::Diary(d) if !d.households.is_empty() => {
            let named: Vec<String> = d.households.iter().map(name).collect();
            format!("{} {}（{}{}）", d.date, d.text, lang.pick("涉及：", "about: "), named.join("、"))
        }
        RecordBody::Diary(d) => format!("{} {}", d.date, d.text),
        RecordBody::Meeting(m) => format!("{} {} · {} · {}", m.date, m.kind.label(lang), m.topics, m.decisions),
        RecordBody::Visit(v) => format!("{} {} · {}", v.date, name(&v.household_id), v.notes),
        RecordBody::Talk(t) => format!("{} {} · {}", t.date, t.with.label(lang), t.notes),
        RecordBody::Research(r) => format!("{} {}", r.title, r.text),
        RecordBody::Practical(p) => {
            format!("{} {} · {} {} 元 {}", p.date, p.kind.label(lang), p.title, p.yuan, p.notes)
        }
    }
}

/// 镇街: one secretary's records, newest first, with their photos (the board's click-through).
#[component]
pub fn SecretaryTimeline() -> impl IntoView {
    view! {
        <TimelinePage
            roles=BOARD_VIEWERS
            back=("/township", "← 考勤看板", "← Attendance board")
            prompt=("请从考勤看板选择一位书记。", "Choose a secretary on the board.")
        />
    }
}

/// The records of the secretary `?posting=` names, for `roles`, with a link `back` (path, and
/// its text in both languages) and what to say when none is named.
#[component]
pub(crate) fn TimelinePage(
    roles: &'static [Role],
    back: (&'static str, &'static str, &'static str),
    prompt: (&'static str, &'static str),
) -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let posting = move || query.read().get("posting").and_then(|p| p.parse::<i64>().ok());
    let filter = move || {
        let q = query.read();
        TimelineFilter {
            kind: q.get("kind").and_then(|k| RecordKind::parse(&k)),
            from: q.get("from").and_then(|d| d.parse().ok()),
            to: q.get("to").and_then(|d| d.parse().ok()),
        }
    };
    let timeline = Resource::new(
        move || (posting(), filter()),
        |(p, f)| async move {
            match p {
                Some(id) => secretary_timeline(id, f.kind, f.from, f.to).await.map(|t| Some((id, f, t))),
                None => Ok(None),
            }
        },
    );
    // The filed months; a refusal is the timeline's to tell (it is checked the same way).
    let monthly = Resource::new(posting, |p| async move {
        match p {
            Some(id) => Ok(crate::api::monthly::monthly_records(id).await.unwrap_or_default()),
            None => Ok(Vec::new()),
        }
    });
    view! {
        <Guard roles=roles>
            <p class="back">
                <a href=back.0>{lang.pick(back.1, back.2)}</a>
            </p>
            <Loaded resource=timeline let:t>
                {match t {
                    Some((posting_id, filter, t)) => view! { <TimelineView timeline=t posting_id filter /> }.into_any(),
                    None => view! { <p>{lang.pick(prompt.0, prompt.1)}</p> }.into_any(),
                }}
            </Loaded>
            <Loaded resource=monthly let:m>
                <crate::pages::monthly::MonthlyList records=m />
            </Loaded>
        </Guard>
    }
}

#[component]
fn TimelineView(timeline: Timeline, posting_id: i64, filter: TimelineFilter) -> impl IntoView {
    let lang = use_lang();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let households = timeline.households;
    view! {
        <h1>{format!("{} · {}", timeline.secretary, timeline.village)}</h1>
        // A plain GET form: the filter is in the address, so it survives a reload and a link.
        <form method="get" class="filters" aria-label=lang.pick("筛选记录", "Filter the records")>
            <input type="hidden" name="posting" value=posting_id />
            <Select
                label=lang.pick("类型", "Kind")
                none=lang.pick("全部", "All")
                name="kind"
                options=enum_options(RecordKind::ALL, RecordKind::code, |k| k.label(lang))
                selected=filter.kind.map_or("", RecordKind::code)
            />
            <label>{lang.pick("从", "From")}<input type="date" name="from" value=day(filter.from) /></label>
            <label>{lang.pick("到", "To")}<input type="date" name="to" value=day(filter.to) /></label>
            <button type="submit">{lang.pick("筛选", "Filter")}</button>
        </form>
        {(!timeline.inspections.is_empty())
            .then(|| {
                view! {
                    <section class="card" aria-label=lang.pick("督查", "Inspections")>
                        <h2>{lang.pick("督查", "Inspections")}</h2>
                        <ul class="plain">
                            {timeline
                                .inspections
                                .into_iter()
                                .map(|i| {
                                    view! {
                                        <li>
                                            {format!(
                                                "{} {} · {} {}",
                                                i.visited_on,
                                                if i.present {
                                                    lang.pick("在岗", "present")
                                                } else {
                                                    lang.pick("不在岗", "absent")
                                                },
                                                i.inspector,
                                                i.note,
                                            )}
                                            {i
                                                .photo
                                                .map(|h| {
                                                    view! {
                                                        <p class="photos">
                                                            <img
                                                                src=format!("/photos/{h}")
                                                                alt=lang.pick("督查照片", "Inspection photo")
                                                                loading="lazy"
                                                                width="160"
                                                            />
                                                        </p>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        {timeline
            .entries
            .is_empty()
            .then(|| view! { <p class="muted">{lang.pick("还没有记录", "No records yet")}</p> })}
        <ul class="records plain" aria-label=lang.pick("记录", "Records")>
            {timeline
                .entries
                .into_iter()
                .map(|e| {
                    let far = e.distance_m.map(|m| distance(m, lang)).unwrap_or_default();
                    let place = match (e.verdict.as_deref(), e.offline) {
                        (Some("verified"), false) => lang.pick(" · 在村", " · inside"),
                        (Some("verified"), true) => lang.pick(" · 在村（离线签到）", " · inside (offline)"),
                        (Some(_), false) => lang.pick(" · 村外", " · outside"),
                        (Some(_), true) => lang.pick(" · 村外（离线签到）", " · outside (offline)"),
                        (None, _) => "",
                    };
                    let photos: Vec<String> = e.body.photos().into_iter().cloned().collect();
                    view! {
                        <li class="card">
                            <p>
                                <strong>{e.body.label(lang)}</strong>
                                {place}
                                {far}
                            </p>
                            <p>{gist(&e.body, lang, &households)}</p>
                            <p class="muted">
                                {format!(
                                    "{} {} · {} {} · {} {:+} {}",
                                    lang.pick("手机", "phone"),
                                    local(e.device_time),
                                    lang.pick("收到", "received"),
                                    local(e.received_at),
                                    lang.pick("手机时间差", "clock off by"),
                                    e.clock_skew_s,
                                    lang.pick("秒", "s"),
                                )}
                            </p>
                            <p class="photos">
                                {photos
                                    .into_iter()
                                    .map(|h| {
                                        view! {
                                            <a href=format!("/photos/{h}") rel="external">
                                                <img
                                                    src=format!("/photos/{h}")
                                                    alt=lang.pick("记录照片", "Photo of the record")
                                                    loading="lazy"
                                                    width="160"
                                                />
                                            </a>
                                        }
                                    })
                                    .collect_view()}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
