//! Attendance settings (考勤设置): each district's daily allowance and rule for a day in the
//! village, and the national working calendar's holidays and adjusted working days.

use domain::calendar::{CalendarException, CalendarYear, DayEvidence, DistrictAttendance};
use domain::{Lang, Role};
use leptos::prelude::*;

use crate::api::mandates::{district_forced_functions, SetMandate};
use crate::api::session::current_account;
use crate::api::settings::{
    calendar_days, calendar_years, district_settings, ConfirmCalendarYear, SetCalendarDay, UpdateDistrictSettings,
};
use crate::components::*;
use crate::pages::forced::ForcedFunctionsPanel;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let update = ServerAction::<UpdateDistrictSettings>::new();
    let set_day = ServerAction::<SetCalendarDay>::new();
    let confirm = ServerAction::<ConfirmCalendarYear>::new();
    let districts = Resource::new(|| (), |_| district_settings());
    let set_mandate = ServerAction::<SetMandate>::new();
    let forced = Resource::new(|| (), |_| district_forced_functions());
    // The year is the server's unless one is chosen (`?year=`).
    let query = leptos_router::hooks::use_query_map();
    let year = move || query.read().get("year").and_then(|y| y.parse::<i32>().ok());
    let calendar = Resource::new(year, calendar_days);
    let years = Resource::new(|| (), |_| calendar_years());
    let me = Resource::new(|| (), |_| current_account());
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("考勤设置", "Attendance settings")}</h1>
            <Loaded resource=districts let:ds>
                {ds.into_iter().map(|d| view! { <DistrictForm district=d update /> }).collect_view()}
            </Loaded>
            <Outcome action=update done=lang.pick("已保存", "Saved") />
            <Loaded resource=forced let:f>
                <ForcedFunctionsPanel districts=f set=set_mandate />
            </Loaded>
            <section class="card" aria-label=lang.pick("工作日历", "Working calendar")>
                <h2>{lang.pick("工作日历", "Working calendar")}</h2>
                <p class="muted">
                    {lang
                        .pick(
                            "周一至周五为工作日；下列日期例外（法定节假日放假、调休上班）。",
                            "Monday to Friday are working days, except the days below (public holidays, adjusted working days).",
                        )}
                </p>
                <Loaded resource=years let:y>
                    <CalendarYears years=y.0 due=y.1 year=year() />
                </Loaded>
                <Loaded resource=calendar let:c>
                    <h3>{c.0}</h3>
                    <CalendarList days=c.1 />
                </Loaded>
                <Loaded resource=me let:m>
                    {(m.is_some_and(|m| m.role == Role::SysAdmin))
                        .then(|| {
                            view! {
                                <ActionForm action=set_day attr:class="grid">
                                    <Input label=lang.pick("日期", "Date") name="day" kind="date" />
                                    <Select
                                        label=lang.pick("类型", "Kind")
                                        name="working"
                                        options=vec![
                                            ("false".into(), lang.pick("放假", "Holiday").into()),
                                            ("true".into(), lang.pick("调休上班", "Adjusted working day").into()),
                                        ]
                                    />
                                    <Input
                                        label=lang
                                            .pick("名称（留空则删除该日）", "Name (empty removes the day)")
                                        name="name"
                                        required=false
                                    />
                                    <button type="submit">{lang.pick("保存日期", "Save the day")}</button>
                                </ActionForm>
                                <Loaded resource=calendar let:c>
                                    <ActionForm action=confirm attr:class="grid">
                                        <input type="hidden" name="year" value=c.0 />
                                        <Input
                                            label=lang.pick("所依据的通知", "The notice the days come from")
                                            name="notice"
                                        />
                                        <button type="submit">
                                            {format!(
                                                "{} {} {}",
                                                lang.pick("确认", "Confirm"),
                                                c.0,
                                                lang.pick("年日历已全部录入", "calendar complete"),
                                            )}
                                        </button>
                                    </ActionForm>
                                </Loaded>
                            }
                        })}
                </Loaded>
                <Outcome action=set_day done=lang.pick("日历已更新", "Calendar updated") />
                <Outcome
                    action=confirm
                    done=lang
                        .pick(
                            "已确认，该年工作日不再是暂定",
                            "Confirmed: that year's working days are no longer provisional",
                        )
                />
            </section>
        </Guard>
    }
}

#[component]
fn DistrictForm(district: DistrictAttendance, update: ServerAction<UpdateDistrictSettings>) -> impl IntoView {
    let lang = use_lang();
    let d = district;
    view! {
        <section class="card" aria-label=d.name.clone()>
            <h2>{d.name.clone()}</h2>
            <ActionForm action=update attr:class="grid">
                <input type="hidden" name="id" value=d.id />
                <Input
                    label=lang.pick("日补贴标准（元/天，脱产）", "Daily allowance (yuan, full-time)")
                    name="allowance_per_day"
                    kind="number"
                    value=d.allowance_per_day.to_string()
                />
                <Input
                    label=lang
                        .pick("最短在村时长（分钟，0 为不限）", "Minimum stay (minutes, 0 for none)")
                    name="day_min_stay_minutes"
                    kind="number"
                    value=d.day_min_stay_minutes.to_string()
                />
                <Input
                    label=lang
                        .pick(
                            "定位精度上限（米，超出则签到待核实）",
                            "GPS accuracy limit (metres; vaguer check-ins are reviewed)",
                        )
                    name="max_accuracy_m"
                    kind="number"
                    value=d.max_accuracy_m.to_string()
                />
                <Input
                    label=lang
                        .pick(
                            "补报宽限（小时，签到晚于当天结束后此时长才同步即为补报）",
                            "Grace for late check-ins (hours after the day ends)",
                        )
                    name="late_grace_hours"
                    kind="number"
                    value=d.late_grace_hours.to_string()
                />
                <Input
                    label=lang
                        .pick(
                            "填报负担上限（分钟/周/人，看板据此提示）",
                            "Reporting budget (minutes a week per secretary, shown on the dashboard)",
                        )
                    name="burden_budget_minutes"
                    kind="number"
                    value=d.burden_budget_minutes.to_string()
                />
                <label>
                    {lang
                        .pick(
                            "在村天数的认定（本区的决定）",
                            "What counts as a day in the village (the district's choice)",
                        )}
                    <select name="day_evidence">
                        {DayEvidence::ALL
                            .iter()
                            .map(|e| {
                                view! {
                                    <option value=e.code() selected=*e == d.day_evidence>
                                        {e.label(lang)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="day_requires_check_out" checked=d.day_requires_check_out />
                    {lang.pick("在村日须当天签退", "A day in the village needs a check-out")}
                </label>
                <button type="submit">{lang.pick("保存设置", "Save the settings")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn CalendarList(days: Vec<CalendarException>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="plain" aria-label=lang.pick("例外日期", "Exceptions")>
            {days
                .into_iter()
                .map(|d| {
                    view! {
                        <li>
                            {format!(
                                "{} {} · {}",
                                d.day,
                                d.name,
                                if d.working { lang.pick("上班", "working") } else { lang.pick("放假", "holiday") },
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// Which years are loaded and from which notice, a warning when next year's is due, and a
/// choice of the year to show.
#[component]
fn CalendarYears(years: Vec<CalendarYear>, due: Option<i32>, year: Option<i32>) -> impl IntoView {
    let lang = use_lang();
    let mut choices: Vec<i32> = years.iter().map(|y| y.year).chain(due).collect();
    choices.sort();
    view! {
        {due
            .map(|y| {
                view! {
                    <div class="warning" role="note">
                        <p>
                            {match lang {
                                Lang::Zh => {
                                    format!(
                                        "{y} 年的法定节假日和调休安排尚未录入并确认：录入前，{y} 年的工作日按周一至周五计算，节假日会被算作缺勤。",
                                    )
                                }
                                Lang::En => {
                                    format!(
                                        "The {y} holidays and adjusted working days are not entered and confirmed: until they are, {y} counts Monday to Friday and holidays as absences.",
                                    )
                                }
                            }}
                        </p>
                    </div>
                }
            })}
        <ul class="plain" aria-label=lang.pick("已录入的年份", "Years loaded")>
            {years
                .into_iter()
                .map(|y| {
                    view! {
                        <li>
                            {format!(
                                "{} · {}{}",
                                y.year,
                                y.notice,
                                y.confirmed_by.map(|w| format!(" · {w}")).unwrap_or_default(),
                            )}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <GetForm button=lang.pick("查看", "Show")>
            <Select
                label=lang.pick("查看年份", "Show the year")
                name="year"
                options=choices.into_iter().map(|y| (y.to_string(), y.to_string())).collect()
                selected=year.map(|y| y.to_string()).unwrap_or_default()
                none=lang.pick("今年", "This year")
            />
        </GetForm>
    }
}
