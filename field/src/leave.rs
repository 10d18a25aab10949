//! Asking the township for leave (请假). It needs a connection: the township decides, and the
//! phone shows the requests and decisions from the reference data.

use chrono::NaiveDate;
use domain::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::home::Notice;
use crate::state::{local_day, now, use_field};
use crate::{net, sync};

#[component]
pub fn Leave() -> impl IntoView {
    let field = use_field();
    let today = local_day(now()).to_string();
    let first = RwSignal::new(today.clone());
    let last = RwSignal::new(today);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let dates = (first.get_untracked().parse::<NaiveDate>(), last.get_untracked().parse::<NaiveDate>());
        let (Ok(first_day), Ok(last_day)) = dates else {
            field.say(false, Msg::new("请填写请假日期", "please enter the dates"));
            return;
        };
        let body =
            serde_json::json!({ "first_day": first_day, "last_day": last_day, "reason": reason.get_untracked() })
                .to_string();
        busy.set(true);
        spawn_local(async move {
            let sent: Result<i64, _> = net::post_json("/sync/leave", &body).await;
            busy.set(false);
            match sent {
                Ok(_) => {
                    reason.set(String::new());
                    field.say(
                        true,
                        Msg::new("请假申请已提交，等待镇街审批", "Leave requested; the township will decide"),
                    );
                    let _ = sync::refresh_reference(field).await;
                }
                Err(net::NetError::Unreachable) => field.say(
                    false,
                    Msg::new(
                        "没有网络：请在有信号时再提交请假（内容已保留）",
                        "No connection: submit the request when there is a signal (it is kept here)",
                    ),
                ),
                Err(e) => field.say(false, e.message()),
            }
        });
    };
    let status = move |s: &str| match s {
        "pending" => field.t("待审批", "pending"),
        "approved" => field.t("已批准", "approved"),
        _ => field.t("已驳回", "rejected"),
    };
    view! {
        <h1>{field.t("请假", "Leave")}</h1>
        <Notice />
        <form class="card record" on:submit=submit>
            <label>
                {field.t("开始日期", "First day")}
                <input
                    type="date"
                    prop:value=move || first.get()
                    on:input=move |ev| first.set(event_target_value(&ev))
                />
            </label>
            <label>
                {field.t("结束日期", "Last day")}
                <input type="date" prop:value=move || last.get() on:input=move |ev| last.set(event_target_value(&ev)) />
            </label>
            <label>
                {field.t("请假事由", "Reason")}
                <textarea
                    rows="3"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
            </label>
            <p class="muted">{field.t("提交请假需要网络连接。", "Asking for leave needs a connection.")}</p>
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>
                    {field.t("提交申请", "Ask for leave")}
                </button>
                <a href="#">{field.t("返回", "Back")}</a>
            </div>
        </form>
        <section class="card" aria-label=field.t("我的请假", "My leave")>
            <h2>{field.t("我的请假", "My leave")}</h2>
            <ul class="plain">
                {move || {
                    field
                        .reference
                        .with(|r| r.as_ref().map(|r| r.leave.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|l| {
                            view! {
                                <li>
                                    {format!(
                                        "{} – {} {} · {}",
                                        l.first_day,
                                        l.last_day,
                                        l.reason,
                                        status(&l.status),
                                    )}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
