//! 投诉建议: every user (and a villager with a ballot code) can send a complaint or suggestion to
//! the district's organisation department, anonymously if they wish, and read the answer; the
//! department reads and answers what its districts received.

use domain::feedback::{Feedback, FeedbackCounts, FeedbackKind};
use domain::{Lang, Role};
use leptos::prelude::*;

use crate::api::feedback::{
    feedback_inbox, my_feedback, AnswerFeedback, FeedbackByCode, SendFeedback, SendVillagerFeedback, Sent,
};
use crate::components::*;
use crate::error::AppError;
use crate::pages::board::local;

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    let answer = ServerAction::<AnswerFeedback>::new();
    let inbox = Resource::new(|| (), |_| feedback_inbox());
    view! {
        <h1>{lang.pick("投诉建议", "Complaints and suggestions")}</h1>
        <p class="muted">
            {lang
                .pick(
                    "发给区委组织部。可以匿名；发送后不能修改；组织部答复后，凭查询码或在本页查看答复。",
                    "Sent to the district's organisation department. You may stay anonymous; a message cannot be changed once sent; read the answer here or with the follow-up code.",
                )}
        </p>
        <Suspense fallback=move || loading(
            lang,
        )>
            {move || Suspend::new(async move {
                match me.await.ok().flatten().map(|m| m.role) {
                    Some(Role::DeptAdmin | Role::SysAdmin) => {
                        view! {
                            <Loaded resource=inbox let:i>
                                <Inbox messages=i.0 counts=i.1 answer />
                            </Loaded>
                        }
                            .into_any()
                    }
                    Some(_) => view! { <SendForm /> }.into_any(),
                    None => view! { <VillagerForm /> }.into_any(),
                }
            })}
        </Suspense>
        <Lookup />
    }
}

fn kind_select(lang: Lang) -> impl IntoView {
    view! {
        <Select
            label=lang.pick("类型", "Kind")
            name="kind"
            options=enum_options(FeedbackKind::ALL, FeedbackKind::code, |k| k.label(lang))
            selected="suggestion"
        />
    }
}

fn text_area(label: &'static str, name: &'static str) -> impl IntoView {
    view! {
        <label class="wide">
            <span>{label}</span>
            <textarea name=name rows="5" required maxlength=domain::feedback::MAX_CHARS></textarea>
        </label>
    }
}

/// Empties a form once what it sent was accepted (so the same message is not sent twice).
fn reset_when_sent<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> NodeRef<leptos::html::Form> {
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            if let Some(f) = form.get_untracked() {
                f.reset();
            }
        }
    });
    form
}

/// The follow-up code of a message just sent, or why it was not sent.
fn sent_note(value: Option<Result<Sent, AppError>>, lang: Lang) -> impl IntoView {
    value.map(|r| match r {
        Ok((_, code)) => view! {
            <p role="status" class="ok">
                {lang.pick("已发送。查询码：", "Sent. Follow-up code: ")}
                <strong>{code}</strong>
                {lang
                    .pick(
                        "（请记下：匿名或未登录时，只能凭它查看答复）",
                        " (keep it: anonymous or without an account, it is the only way to the answer)",
                    )}
            </p>
        }
        .into_any(),
        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
    })
}

/// An account's message, answered in place with its follow-up code, and what it sent before.
#[island]
fn SendForm() -> impl IntoView {
    let lang = use_lang();
    let send = ServerAction::<SendFeedback>::new();
    let mine = Resource::new(move || send.version().get(), |_| my_feedback());
    let form = reset_when_sent(send.value().into());
    view! {
        <section class="card" aria-label=lang.pick("发送投诉建议", "Send a complaint or suggestion")>
            <h2>{lang.pick("发送投诉建议", "Send a complaint or suggestion")}</h2>
            <ActionForm action=send node_ref=form attr:class="grid">
                {kind_select(lang)}
                {text_area(lang.pick("内容", "Message"), "body")}
                <label class="check">
                    <input type="checkbox" name="anonymous" value="on" />
                    {lang.pick("匿名发送（不记录我的账号）", "Send anonymously (my account is not kept)")}
                </label>
                <button type="submit">{lang.pick("发送", "Send")}</button>
            </ActionForm>
            {move || sent_note(send.value().get(), lang)}
        </section>
        <Loaded resource=mine let:m>
            <Messages label=lang.pick("我发送的", "What I sent") messages=m />
        </Loaded>
    }
}

/// For a villager, without an account: the ballot code handed out at the survey shows where
/// they live; it is not kept with the message.
#[island]
fn VillagerForm() -> impl IntoView {
    let lang = use_lang();
    let villager = ServerAction::<SendVillagerFeedback>::new();
    let form = reset_when_sent(villager.value().into());
    view! {
        <section class="card" aria-label=lang.pick("群众投诉建议", "A villager's complaint or suggestion")>
            <h2>{lang.pick("群众投诉建议", "A villager's complaint or suggestion")}</h2>
            <p class="muted">
                {lang
                    .pick(
                        "凭满意度测评时发放的票码发送（已投票的票码也可以），不记录姓名。",
                        "Send it with the ballot code handed out for the satisfaction survey (a used one works too); no name is kept.",
                    )}
            </p>
            <ActionForm action=villager node_ref=form attr:class="grid">
                <Input label=lang.pick("票码", "Ballot code") name="ballot_code" autocomplete="off" />
                {kind_select(lang)}
                {text_area(lang.pick("内容", "Message"), "body")}
                <button type="submit">{lang.pick("发送", "Send")}</button>
            </ActionForm>
            {move || sent_note(villager.value().get(), lang)}
        </section>
    }
}

/// The answer to a follow-up code, in place (the code is posted: it stays out of addresses and
/// the logs that keep them).
#[island]
fn Lookup() -> impl IntoView {
    let lang = use_lang();
    let lookup = ServerAction::<FeedbackByCode>::new();
    view! {
        <section class="card" aria-label=lang.pick("凭查询码查看答复", "Find an answer by its code")>
            <h2>{lang.pick("凭查询码查看答复", "Find an answer by its code")}</h2>
            <ActionForm action=lookup attr:class="grid">
                <Input label=lang.pick("查询码", "Follow-up code") name="code" autocomplete="off" />
                <button type="submit">{lang.pick("查询", "Look up")}</button>
            </ActionForm>
            {move || {
                lookup
                    .value()
                    .get()
                    .map(|r| match r {
                        Ok(f) => {
                            view! { <Messages label=lang.pick("查询结果", "Found") messages=vec![f] /> }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </section>
    }
}

/// Who sent a message, as the reader may know it.
fn sender(f: &Feedback, lang: Lang) -> String {
    match (&f.sender, f.sender_role, f.villager) {
        (Some(name), Some(role), _) => format!("{name}（{}）", role.label(lang)),
        (Some(name), None, _) => name.clone(),
        (None, _, true) => lang.pick("村民", "A villager").to_string(),
        (None, _, false) => lang.pick("匿名", "Anonymous").to_string(),
    }
}

#[component]
fn Messages(label: &'static str, messages: Vec<Feedback>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-label=label>
            <h2>{label}</h2>
            {messages.is_empty().then(|| view! { <p class="muted">{lang.pick("还没有", "None yet")}</p> })}
            <ul class="records plain">
                {messages
                    .into_iter()
                    .map(|f| {
                        view! {
                            <li class="card">
                                <Message f />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Message(f: Feedback) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p>
            <strong>{f.kind.label(lang)}</strong>
            {format!(" · {} · {} · {}", f.district, local(f.sent_at), sender(&f, lang))}
        </p>
        <p class="message">{f.body.clone()}</p>
        {match (f.answer.clone(), f.answered_at) {
            (Some(a), Some(at)) => {
                view! {
                    <p class="answer">
                        <strong>{lang.pick("组织部答复", "The department's answer")}</strong>
                        {format!("（{} {}）：{a}", f.answered_by.clone().unwrap_or_default(), local(at))}
                    </p>
                }
                    .into_any()
            }
            _ => view! { <p class="muted">{lang.pick("待答复", "Waiting for an answer")}</p> }.into_any(),
        }}
    }
}

/// "待答复 2 件 · 已答复 5 件 · 答复用时中位数 20.5 小时".
pub fn counts_line(counts: &FeedbackCounts, lang: Lang) -> String {
    let median = counts.median_hours_to_answer.map(|h| format!("{h:.1}")).unwrap_or_else(|| "—".into());
    match lang {
        Lang::Zh => {
            format!("待答复 {} 件 · 已答复 {} 件 · 答复用时中位数 {median} 小时", counts.waiting, counts.answered)
        }
        Lang::En => {
            format!("{} waiting · {} answered · median time to answer {median} h", counts.waiting, counts.answered)
        }
    }
}

#[component]
fn Inbox(messages: Vec<Feedback>, counts: FeedbackCounts, answer: ServerAction<AnswerFeedback>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p data-testid="feedback-counts">{counts_line(&counts, lang)}</p>
        <Outcome action=answer done=lang.pick("已答复", "Answered") />
        {messages
            .is_empty()
            .then(|| view! { <p class="muted">{lang.pick("还没有收到投诉建议", "Nothing received yet")}</p> })}
        <ul class="records plain" aria-label=lang.pick("收到的投诉建议", "Received")>
            {messages
                .into_iter()
                .map(|f| {
                    let waiting = f.answer.is_none().then_some(f.id);
                    view! {
                        <li class="card">
                            <Message f />
                            {waiting
                                .map(|id| {
                                    view! {
                                        <ActionForm action=answer attr:class="grid">
                                            <input type="hidden" name="id" value=id />
                                            {text_area(lang.pick("答复", "Answer"), "answer")}
                                            <button type="submit">
                                                {lang.pick("发送答复", "Send the answer")}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
