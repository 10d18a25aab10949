//! Attendance settings (考勤设置): each district's daily allowance and rule for a day in the
//! village, and the national working calendar's holidays and adjusted working days.

use domain::calendar::{CalendarException, DistrictAttendance};
use domain::Role;
use leptos::prelude::*;

use crate::api::session::current_account;
use crate::api::settings::{calendar_days, district_settings, SetCalendarDay, UpdateDistrictSettings};
use crate::components::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let update = ServerAction::<UpdateDistrictSettings>::new();
    let set_day = ServerAction::<SetCalendarDay>::new();
    let districts = Resource::new(move || update.version().get(), |_| district_settings());
    // The year is the server's: the browser build has no clock of its own here.
    let calendar = Resource::new(move || set_day.version().get(), move |_| calendar_days(None));
    let me = Resource::new(|| (), |_| current_account());
    view! {
        <Guard roles=ADMINS>
            <h1>{lang.pick("考勤设置", "Attendance settings")}</h1>
            <Loaded resource=districts let:ds>
                {ds.into_iter().map(|d| view! { <DistrictForm district=d update /> }).collect_view()}
            </Loaded>
            <Outcome value=update.value() done=lang.pick("已保存", "Saved") />
            <section class="card" aria-label=lang.pick("工作日历", "Working calendar")>
                <h2>{lang.pick("工作日历", "Working calendar")}</h2>
                <p class="muted">{lang.pick("周一至周五为工作日；下列日期例外（法定节假日放假、调休上班）。", "Monday to Friday are working days, except the days below (public holidays, adjusted working days).")}</p>
                <Loaded resource=calendar let:c>
                    <h3>{c.0}</h3>
                    <CalendarList days=c.1 />
                </Loaded>
                <Loaded resource=me let:m>
                    {(m.is_some_and(|m| m.role == Role::SysAdmin)).then(|| view! {
                        <ActionForm action=set_day attr:class="grid">
                            <Input label=lang.pick("日期", "Date") name="day" kind="date" />
                            <Select label=lang.pick("类型", "Kind") name="working"
                                options=vec![("false".into(), lang.pick("放假", "Holiday").into()), ("true".into(), lang.pick("调休上班", "Adjusted working day").into())] />
                            <Input label=lang.pick("名称（留空则删除该日）", "Name (empty removes the day)") name="name" required=false />
                            <button type="submit">{lang.pick("保存日期", "Save the day")}</button>
                        </ActionForm>
                    })}
                </Loaded>
                <Outcome value=set_day.value() done=lang.pick("日历已更新", "Calendar updated") />
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
                <Input label=lang.pick("日补贴标准（元/天，脱产）", "Daily allowance (yuan, full-time)") name="allowance_per_day" kind="number" value=d.allowance_per_day.to_string() />
                <Input label=lang.pick("最短在村时长（分钟，0 为不限）", "Minimum stay (minutes, 0 for none)") name="day_min_stay_minutes" kind="number" value=d.day_min_stay_minutes.to_string() />
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
            {days.into_iter().map(|d| view! {
                <li>{format!("{} {} · {}", d.day, d.name, if d.working { lang.pick("上班", "working") } else { lang.pick("放假", "holiday") })}</li>
            }).collect_view()}
        </ul>
    }
}
