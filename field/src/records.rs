//! Everything recorded on this phone, newest first, with its sync state.

use domain::field::RecordBody;
use domain::sync::{LocalRecord, SyncState};
use domain::{Lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::detail::household_name;
use crate::home::{clock, Notice, SyncBar};
use crate::state::{use_field, Field};

/// Records listed at a time (newest first): a cheap phone renders a long list slowly.
const PAGE: usize = 50;

/// A record's state in words.
pub fn state_label(r: &LocalRecord, lang: Lang) -> &'static str {
    match r.state {
        SyncState::Draft => lang.pick("草稿", "Draft"),
        SyncState::Queued => lang.pick("待同步", "Waiting to sync"),
        SyncState::Synced if !r.missing_photos.is_empty() => lang.pick("照片未传完", "Photos still uploading"),
        SyncState::Synced => lang.pick("已同步", "Synced"),
        SyncState::Conflict => lang.pick("冲突，待核对", "In conflict, kept for review"),
        SyncState::Rejected => lang.pick("被退回", "Refused"),
    }
}

/// One line saying what the record is about: where a check-in was made, whom a visit was to.
pub fn gist(field: &Field, body: &RecordBody) -> String {
    let lang = field.lang;
    let short = |s: &str| s.chars().take(40).collect::<String>();
    match body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => match field.distance_m(p.lat, p.lon) {
            Some(d) => format!("{}{d:.0} m ±{:.0} m", field.t("距村中心 ", "from the village centre "), p.accuracy_m),
            None => format!("{:.5}, {:.5} ±{:.0} m", p.lat, p.lon, p.accuracy_m),
        },
        RecordBody::Diary(d) => format!("{} {}", d.date, short(&d.text)),
        RecordBody::Meeting(m) => format!("{} {} · {}", m.date, m.kind.label(lang), short(&m.topics)),
        RecordBody::Visit(v) => format!("{} {} · {}", v.date, household_name(field, v.household_id), short(&v.notes)),
        RecordBody::Talk(t) => format!("{} {} · {}", t.date, t.with.label(lang), short(&t.notes)),
        RecordBody::Research(r) => short(&r.title),
        RecordBody::Practical(p) => format!("{} {} · {}", p.date, p.kind.label(lang), short(&p.title)),
    }
}

#[component]
pub fn Records() -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    let shown = RwSignal::new(PAGE);
    let fetching = RwSignal::new(false);
    let fetch_older = move |_| {
        fetching.set(true);
        spawn_local(async move {
            let before = field.records.with_untracked(Vec::len);
            match crate::history::older(field).await {
                Ok((n, more)) => {
                    shown.set(before + PAGE);
                    let said = match (n, more) {
                        (0, false) => Msg::new("服务器上没有更早的记录了", "the server holds no older records"),
                        (0, true) => Msg::new(
                            "本机已有这些记录，可继续取回更早的",
                            "this phone held those already; fetch again for older ones",
                        ),
                        (n, _) => Msg::new(
                            format!("已从服务器取回 {n} 条较早的记录"),
                            format!("{n} older records fetched from the server"),
                        ),
                    };
                    field.say(true, said);
                }
                Err(e) => field.say(false, e.message()),
            }
            fetching.set(false);
        });
    };
    view! {
        <h1>{field.t("全部记录", "All records")}</h1>
        <SyncBar />
        <Notice />
        <ul class="records plain" aria-label=field.t("记录列表", "Records")>
            {move || {
                field
                    .records
                    .get()
                    .into_iter()
                    .take(shown.get())
                    .map(|r| {
                        let id = r.envelope.id.clone();
                        let editable = r.is_editable();
                        let removable = matches!(r.state, SyncState::Draft | SyncState::Rejected);
                        let remove = {
                            let id = id.clone();
                            move |_| {
                                let id = id.clone();
                                spawn_local(async move {
                                    if let Err(m) = field.delete(&id).await {
                                        field.say(false, m);
                                    } else {
                                        field.say(true, Msg::new("已删除", "Deleted"));
                                    }
                                });
                            }
                        };
                        let times = match r.synced_at {
                            Some(s) => {
                                format!(
                                    "{}{} · {}{}",
                                    field.t("手机时间 ", "phone "),
                                    clock(r.envelope.device_time),
                                    field.t("服务器收到 ", "received "),
                                    clock(s),
                                )
                            }
                            None => format!("{}{}", field.t("手机时间 ", "phone "), clock(r.envelope.device_time)),
                        };
                        view! {
                            <li class="card" data-state=format!("{:?}", r.state).to_lowercase()>
                                <p>
                                    <strong>{r.envelope.body.label(lang)}</strong>
                                    " · "
                                    <span class="state">{state_label(&r, lang)}</span>
                                </p>
                                <p>{gist(&field, &r.envelope.body)}</p>
                                <p class="muted">{times}</p>
                                {r.error.clone().map(|m| view! { <p class="error">{m.get(lang).to_string()}</p> })}
                                <p class="actions">
                                    <a href=format!(
                                        "#edit/{id}",
                                    )>{if editable { field.t("修改", "Edit") } else { field.t("查看", "View") }}</a>
                                    {removable
                                        .then(|| {
                                            view! {
                                                <button type="button" class="link" on:click=remove>
                                                    {field.t("删除", "Delete")}
                                                </button>
                                            }
                                        })}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        {move || {
            let more = field.records.with(|rs| rs.len().saturating_sub(shown.get()));
            if more > 0 {
                let label = match lang {
                    Lang::Zh => format!("显示更早的记录（本机另有 {more} 条）"),
                    Lang::En => format!("Show older records ({more} more on this phone)"),
                };
                view! {
                    <button type="button" on:click=move |_| shown.update(|s| *s += PAGE)>
                        {label}
                    </button>
                }
                    .into_any()
            } else if !field.history.with(|h| h.end) {
                view! {
                    <button type="button" on:click=fetch_older disabled=move || fetching.get()>
                        {move || {
                            if fetching.get() {
                                field.t("正在从服务器取回…", "Fetching from the server…")
                            } else {
                                field.t("从服务器取回更早的记录", "Fetch older records from the server")
                            }
                        }}
                    </button>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{field.t("已列出全部记录", "All records are listed")}</p> }.into_any()
            }
        }}
    }
}
