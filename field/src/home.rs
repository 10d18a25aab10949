//! The secretary's home screen: sync state, one-tap check-in and check-out, the record kinds,
//! and this week's and month's duties at a glance.

use chrono::{DateTime, Local, Utc};
use domain::field::{Envelope, Presence, RecordBody, RecordKind};
use domain::sync::{self as protocol, LocalRecord, SyncState};
use domain::{Lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::net::{self, NetError};
use crate::state::{now, use_field, Field};
use crate::{go, media, store, sync};

/// "3 小时前" / "3 h ago".
pub fn age(t: DateTime<Utc>, lang: Lang) -> String {
    let mins = (now() - t).num_minutes().max(0);
    match (mins, lang) {
        (0..=59, Lang::Zh) => format!("{mins} 分钟前"),
        (0..=59, Lang::En) => format!("{mins} min ago"),
        (60..=2879, Lang::Zh) => format!("{} 小时前", mins / 60),
        (60..=2879, Lang::En) => format!("{} h ago", mins / 60),
        (_, Lang::Zh) => format!("{} 天前", mins / 1440),
        (_, Lang::En) => format!("{} days ago", mins / 1440),
    }
}

pub fn clock(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%m-%d %H:%M").to_string()
}

#[component]
pub fn Home() -> impl IntoView {
    let field = use_field();
    let village =
        move || field.reference.with(|r| r.as_ref().map(|r| format!("{} · {}", r.posting.township, r.posting.village)));
    view! {
        <h1>{field.t("我的驻村", "My village")}</h1>
        {move || match village() {
            Some(v) => view! { <h2>{v}</h2> }.into_any(),
            None => {
                view! {
                    <p class="card">
                        {field
                            .t(
                                "还没有驻村信息：请在有网络时登录并打开一次本页。",
                                "No posting data yet: log in and open this page once with a network.",
                            )}
                    </p>
                }
                    .into_any()
            }
        }}
        <SyncBar />
        <Notice />
        <RollCalls />
        <section class="card presence" aria-label=field.t("签到签退", "Check in and out")>
            <Today />
            <Presence kind=RecordKind::CheckIn />
            <Presence kind=RecordKind::CheckOut />
        </section>
        <nav class="kinds" aria-label=field.t("记录", "Record")>
            {RecordKind::ALL
                .iter()
                .filter(|k| !k.is_presence())
                .map(|k| {
                    view! {
                        <a class="tile" href=format!("#new/{}", k.code())>
                            {k.label(field.lang)}
                        </a>
                    }
                })
                .collect_view()}
            <a class="tile" href="#leave">
                {field.t("请假", "Leave")}
            </a>
        </nav>
        <Numbers />
        <Projection />
        <Logout />
    }
}

/// Roll calls (点名) from the township, until their deadline: a check-in answers them.
#[component]
fn RollCalls() -> impl IntoView {
    let field = use_field();
    move || {
        let open: Vec<_> = field.reference.with(|r| {
            r.as_ref()
                .map(|r| r.roll_calls.iter().filter(|c| c.deadline > now()).cloned().collect())
                .unwrap_or_default()
        });
        // A check-in made since the call answers it (the server confirms once it is synced).
        let answered = |c: &domain::sync::OpenRollCall| {
            field.records.with(|rs| {
                rs.iter().any(|r| {
                    r.envelope.body.kind() == RecordKind::CheckIn
                        && (c.started_at..=c.deadline).contains(&r.envelope.device_time)
                })
            })
        };
        let calls: Vec<_> = open.into_iter().filter(|c| !answered(c)).collect();
        let ask = crate::notify::can_ask().then(|| {
            view! {
                <button type="button" class="link" on:click=move |_| spawn_local(crate::notify::ask())>
                    {field.t("开启点名提醒（系统通知）", "Turn on roll-call notifications")}
                </button>
            }
        });
        let banners = calls
            .into_iter()
            .map(|c| {
                let until = c.deadline.with_timezone(&Local).format("%H:%M").to_string();
                view! {
                    <p class="error" role="alert">
                        {match field.lang {
                            Lang::Zh => format!("镇街点名：请在 {until} 前在村签到"),
                            Lang::En => format!("Roll call: check in at the village before {until}"),
                        }}
                    </p>
                }
            })
            .collect_view();
        view! {
            {banners}
            {ask}
        }
    }
}

/// Online or not, the unsynced count and the oldest's age, the last sync, and the button.
#[component]
pub fn SyncBar() -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    let counts = move || field.records.with(|rs| protocol::unsynced(rs));
    let incomplete =
        move || field.records.with(|rs| rs.iter().filter(|r| r.state == SyncState::Synced && !r.is_complete()).count());
    view! {
        <section class="card sync" aria-label=field.t("同步", "Sync") aria-live="polite">
            <p>
                <strong>
                    {move || {
                        if field.online.get() { field.t("在线", "Online") } else { field.t("离线", "Offline") }
                    }}
                </strong>
                " · "
                <span data-testid="unsynced">
                    {move || match counts() {
                        (0, _) => field.t("全部已同步", "Everything is synced").to_string(),
                        (n, oldest) => {
                            let age = oldest.map(|t| age(t, lang)).unwrap_or_default();
                            match lang {
                                Lang::Zh => format!("未同步 {n} 条，最早一条 {age}"),
                                Lang::En => format!("{n} unsynced, the oldest {age}"),
                            }
                        }
                    }}
                </span>
                {move || {
                    (incomplete() > 0)
                        .then(|| match lang {
                            Lang::Zh => format!(" · {} 条照片未传完", incomplete()),
                            Lang::En => format!(" · {} with photos still uploading", incomplete()),
                        })
                }}
            </p>
            <p class="muted">
                {move || {
                    field
                        .sync
                        .with(|s| match (s.running, s.last_ok) {
                            (true, _) => field.t("正在同步…", "Syncing…").to_string(),
                            (false, Some(t)) => format!("{}{}", field.t("上次同步：", "Last synced: "), clock(t)),
                            (false, None) => field.t("尚未同步", "Not synced yet").to_string(),
                        })
                }}
            </p>
            {move || {
                field
                    .sync
                    .with(|s| s.error.clone())
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e.get(lang).to_string()}
                            </p>
                        }
                    })
            }}
            {move || {
                field
                    .sync
                    .with(|s| s.clock_skewed)
                    .then(|| {
                        view! {
                            <p class="error">
                                {field
                                    .t(
                                        "手机时间与服务器相差超过 5 分钟，请校准手机时间",
                                        "The phone's clock is more than 5 minutes off the server's; please set it",
                                    )}
                            </p>
                        }
                    })
            }}
            {move || {
                field
                    .sync
                    .with(|s| s.logged_out)
                    .then(|| {
                        view! {
                            <p>
                                <a href="/login">{field.t("重新登录", "Log in again")}</a>
                            </p>
                        }
                    })
            }}
            <button
                type="button"
                disabled=move || field.sync.with(|s| s.running)
                on:click=move |_| {
                    field.sync.update(|s| s.next_at = None);
                    spawn_local(sync::run(field, true));
                }
            >
                {field.t("立即同步", "Sync now")}
            </button>
        </section>
    }
}

/// The outcome of the last action.
#[component]
pub fn Notice() -> impl IntoView {
    let field = use_field();
    move || {
        field.notice.get().filter(|(hash, ..)| *hash == field.hash.get()).map(|(_, ok, m)| {
            let class = if ok { "card ok" } else { "error" };
            view! {
                <p class=class role=if ok { "status" } else { "alert" }>
                    {m.get(field.lang).to_string()}
                </p>
            }
        })
    }
}

/// A one-tap check-in (or check-out): the position now, saved at once; a photo may follow.
#[component]
fn Presence(kind: RecordKind) -> impl IntoView {
    let field = use_field();
    let busy = RwSignal::new(false);
    let label = kind.label(field.lang);
    let tap = move |_| {
        busy.set(true);
        spawn_local(async move {
            let outcome = check_in(field, kind).await;
            busy.set(false);
            match outcome {
                // Outside the village is a warning, never shown as a success.
                Ok((id, msg, inside)) => {
                    go(&format!("edit/{id}"));
                    field.say(inside, msg);
                }
                Err(m) => field.say(false, m),
            }
        });
    };
    // Online, the posting's data is on its way: the check-in waits for it (the village to judge
    // the position by). Offline without it, a tap says why nothing can be recorded yet.
    let waiting = move || field.online.get() && field.reference.with(Option::is_none);
    view! {
        <button type="button" class="big" disabled=move || busy.get() || waiting() on:click=tap>
            {move || {
                if busy.get() {
                    field.t("正在定位…", "Locating…").to_string()
                } else if waiting() {
                    field.t("正在获取驻村信息…", "Getting the posting…").to_string()
                } else {
                    label.to_string()
                }
            }}
        </button>
    }
}

/// Today's first check-in on this phone: "今日已签到 08:12（在村）"; without one, a record made
/// in the village today where the district counts it ("今日在村：走访帮扶户 10:20"); else
/// "今日未签到".
#[component]
fn Today() -> impl IntoView {
    let field = use_field();
    move || {
        let today = Local::now().date_naive();
        let counts_work = field.reference.with(|r| r.as_ref().map(|r| r.day_rule.evidence))
            == Some(domain::calendar::DayEvidence::AnyLocated);
        let first = |check_in: bool| {
            field.records.with(|rs| {
                rs.iter()
                    .filter(|r| {
                        let body = &r.envelope.body;
                        let kind_fits = if check_in {
                            body.kind() == RecordKind::CheckIn
                        } else {
                            !body.kind().is_presence() && r.verdict == Some(domain::field::Verdict::Verified)
                        };
                        kind_fits && r.envelope.device_time.with_timezone(&Local).date_naive() == today
                    })
                    .min_by_key(|r| r.envelope.device_time)
                    .map(|r| {
                        let at = r.envelope.device_time.with_timezone(&Local).format("%H:%M").to_string();
                        (at, r.verdict, r.envelope.body.label(field.lang))
                    })
            })
        };
        let work = || first(false).filter(|_| counts_work);
        let (text, class) = match (first(true), work()) {
            (None, Some((at, _, kind))) => match field.lang {
                Lang::Zh => (format!("今日在村：{kind} {at}（无需另行签到）"), "ok"),
                Lang::En => (format!("In the village today: {kind} at {at} (no check-in needed)"), "ok"),
            },
            (None, None) => (field.t("今日未签到", "Not checked in today").to_string(), "muted"),
            (Some((at, Some(domain::field::Verdict::Verified), _)), _) => match field.lang {
                Lang::Zh => (format!("今日已签到 {at}（在村）"), "ok"),
                Lang::En => (format!("Checked in today at {at} (in the village)"), "ok"),
            },
            (Some((at, _, _)), _) => match field.lang {
                Lang::Zh => (format!("今日已签到 {at}（不在村范围，待镇街核实）"), "warning"),
                Lang::En => (format!("Checked in today at {at} (outside the village, to be reviewed)"), "warning"),
            },
        };
        view! {
            <p data-testid="today" class=class>
                {text}
            </p>
        }
    }
}

/// Records a check-in or check-out; returns its id, what to tell the person, and whether that
/// is good news (a check-in outside the village is not).
async fn check_in(field: Field, kind: RecordKind) -> Result<(String, Msg, bool), Msg> {
    let reference = field.reference.get_untracked().ok_or_else(|| {
        Msg::new("还没有驻村信息：请先在有网络时打开一次", "no posting data yet: open the app once with a network")
    })?;
    // A check-in costs the wait for a fix: that is its burden.
    let started = now();
    let fix = media::locate().await?;
    let presence = Presence {
        village_id: reference.village.id,
        lat: fix.lat,
        lon: fix.lon,
        accuracy_m: fix.accuracy_m,
        offline: !field.online.get_untracked(),
        photo: None,
        note: None,
    };
    let body = match kind {
        RecordKind::CheckIn => RecordBody::CheckIn(presence),
        RecordKind::CheckOut => RecordBody::CheckOut(presence),
        _ => return Err(Msg::new("只能签到或签退", "only a check-in or a check-out")),
    };
    let effort = Some(domain::burden::Effort::timed(started, now(), 0));
    let envelope = Envelope { id: uuid::Uuid::now_v7().to_string(), device_time: now(), body, effort };
    let verdict = field.check(&envelope)?;
    let far = match &envelope.body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => field.distance_m(p.lat, p.lon),
        _ => None,
    };
    let id = envelope.id.clone();
    let record = LocalRecord {
        envelope,
        state: SyncState::Queued,
        error: None,
        verdict,
        missing_photos: Vec::new(),
        synced_at: None,
        saved_at: now(),
    };
    field.save(vec![record]).await?;
    let inside = verdict == Some(domain::field::Verdict::Verified);
    let (zh, en) = match (kind, inside) {
        (RecordKind::CheckIn, true) => ("已签到，在村范围内", "Checked in, inside the village"),
        (RecordKind::CheckIn, false) => {
            ("已签到，但不在村范围内，将由镇街核实", "Checked in outside the village; the township will review it")
        }
        _ => ("已签退", "Checked out"),
    };
    let msg = match far {
        Some(m) => Msg::new(
            format!("{zh}（距村中心 {m:.0} 米，待同步）"),
            format!("{en} ({m:.0} m from the centre; to be synced)"),
        ),
        None => Msg::new(format!("{zh}（待同步）"), format!("{en} (to be synced)")),
    };
    // Not synced at once: the person may add a photo first. Submitting the form (or the next
    // periodic check) sends it.
    Ok((id, msg, inside || kind != RecordKind::CheckIn))
}

/// This week's and month's duties.
#[component]
fn Numbers() -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    let household = move |id: i64| {
        field.reference.with(|r| {
            r.as_ref()
                .and_then(|r| r.households.iter().find(|h| h.id == id).map(|h| h.head_name.clone()))
                .unwrap_or_default()
        })
    };
    move || {
        field.summary().map(|s| {
            let meeting = match (s.meeting_every_week, s.meeting_recorded) {
                (true, true) => field.t("本周两委例会：已记录", "This week's committee meeting: recorded"),
                (true, false) => field.t("本周两委例会：未记录", "This week's committee meeting: not recorded"),
                (false, true) => field.t("本月两委例会：已记录", "This month's committee meeting: recorded"),
                (false, false) => field.t("本月两委例会：未记录", "This month's committee meeting: not recorded"),
            };
            let diary = match (s.days_since_diary, lang) {
                (Some(d), Lang::Zh) => format!("{d} 天"),
                (Some(d), Lang::En) => format!("{d} days"),
                (None, _) => field.t("尚无日记", "none yet").to_string(),
            };
            let due: Vec<String> = s.households_due.iter().map(|h| household(*h)).collect();
            view! {
                <section class="card numbers" aria-label=field.t("本周本月", "This week and month")>
                    <h2>{field.t("本周本月", "This week and month")}</h2>
                    <dl class="facts">
                        <dt>{field.t("本周在村", "Days in the village this week")}</dt>
                        <dd data-testid="days-week">{s.days_in_village_week}</dd>
                        <dt>{field.t("本月在村", "Days in the village this month")}</dt>
                        <dd data-testid="days-month">{s.days_in_village_month}</dd>
                        <dt>{field.t("本月补贴", "Allowance this month")}</dt>
                        <dd>{format!("{} {}", s.allowance_month_yuan, field.t("元", "yuan"))}</dd>
                        <dt>{field.t("两委例会", "Committee meeting")}</dt>
                        <dd data-testid="meeting">{meeting}</dd>
                        <dt>{field.t("距上次民情日记", "Since the last diary")}</dt>
                        <dd data-testid="diary-age">{diary}</dd>
                        <dt>{field.t("30 天未走访的帮扶户", "Households not visited for 30 days")}</dt>
                        <dd data-testid="households-due">
                            {if due.is_empty() { field.t("无", "none").to_string() } else { due.join("、") }}
                        </dd>
                    </dl>
                </section>
            }
        })
    }
}

/// The year-end organisation score projected from the records synced so far.
#[component]
fn Projection() -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    move || {
        field.reference.with(|r| r.as_ref().and_then(|r| r.projection.clone())).map(|p| {
            view! {
                <section class="card" aria-label=field.t("年度考评预估", "Projected evaluation")>
                    <h2>{field.t("年度考评预估", "Projected evaluation")}</h2>
                    <p data-testid="projected-score">
                        {
                            let bonus = (p.organisation_score - p.base_parts).max(0.0);
                            match (lang, p.base_max > 0.0) {
                                (Lang::Zh, true) => {
                                    format!(
                                        "组织考评预计 {:.0} 分（基本分 {:.0}/{:.0} + 奖励分 {bonus:.0}）",
                                        p.organisation_score,
                                        p.base_parts,
                                        p.base_max,
                                    )
                                }
                                (Lang::En, true) => {
                                    format!(
                                        "Organisation score so far: {:.0} (base {:.0} of {:.0} + bonus {bonus:.0})",
                                        p.organisation_score,
                                        p.base_parts,
                                        p.base_max,
                                    )
                                }
                                (Lang::Zh, false) => {
                                    format!(
                                        "组织考评预计 {:.0} 分（基本工作目标与工作纪律 {:.0} 分）",
                                        p.organisation_score,
                                        p.base_parts,
                                    )
                                }
                                (Lang::En, false) => {
                                    format!(
                                        "Organisation score so far: {:.0} (base parts {:.0})",
                                        p.organisation_score,
                                        p.base_parts,
                                    )
                                }
                            }
                        }
                    </p>
                    <p class="muted">
                        {field
                            .t(
                                "按已同步的记录计算；考核组评议项按满分估计。",
                                "From the synced records; the assessors' items are taken at full marks.",
                            )}
                    </p>
                    <ul class="plain">
                        {p
                            .shortfalls
                            .into_iter()
                            .map(|(code, name, lost)| view! { <li>{format!("{code} {name}：−{lost}")}</li> })
                            .collect_view()}
                    </ul>
                    <p>
                        <a href="/evaluation/mine">
                            {field
                                .t(
                                    "年度考核材料与明细（需联网）",
                                    "Filings and the full evaluation (online)",
                                )}
                        </a>
                    </p>
                </section>
            }
        })
    }
}

/// Logging out is refused while anything is unsynced: the records would be stranded.
#[component]
fn Logout() -> impl IntoView {
    let field = use_field();
    let out = move |_| {
        let (unsynced, _) = field.records.with_untracked(|rs| protocol::unsynced(rs));
        if unsynced > 0 {
            field.say(
                false,
                Msg::new(
                    format!("还有 {unsynced} 条记录未同步，同步完成后才能退出登录"),
                    format!("{unsynced} records are not synced yet; log out once they are"),
                ),
            );
            return;
        }
        spawn_local(async move {
            match net::post_empty("/api/logout").await {
                Ok(()) | Err(NetError::LoggedOut) => {
                    let _ = store::clear().await;
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign("/login");
                    }
                }
                Err(e) => field.say(false, e.message()),
            }
        });
    };
    view! {
        <button type="button" class="link" on:click=out>
            {field.t("退出登录", "Log out")}
        </button>
    }
}
