//! Pages for everyone: the entry redirect, login, password change, the villagers' anonymous
//! ballot, not found.

use domain::evaluation::ballot::Answer;
use domain::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use server_fn::ServerFn;

use crate::api::evaluation::CastBallot;
use crate::api::session::{ChangePassword, Login};
use crate::components::*;
use crate::error::AppError;

/// `/`: the role's home page, or the login page.
#[component]
pub fn Home() -> impl IntoView {
    let me = use_me();
    let lang = use_lang();
    view! {
        <Suspense fallback=move || loading(
            lang,
        )>
            {move || Suspend::new(async move {
                let path = match me.await {
                    Ok(Some(m)) => m.role.home_path(),
                    _ => "/login",
                };
                view! { <Redirect path=path /> }
            })}
        </Suspense>
    }
}

#[component]
pub fn Login() -> impl IntoView {
    let lang = use_lang();
    // A plain form (this page loads no bundle): the server answers with a redirect home, or
    // back here with the error in the address.
    let login = ServerAction::<Login>::new();
    view! {
        <section class="card narrow">
            <h1>{lang.pick("登录驻村通", "Log in to Zhucun")}</h1>
            <p class="muted">
                {lang
                    .pick(
                        "第一书记驻村管理与考核",
                        "Village first secretaries: field work, attendance and evaluation",
                    )}
            </p>
            <ActionForm action=login>
                <Input label=lang.pick("用户名", "Username") name="username" autocomplete="username" />
                <Input
                    label=lang.pick("密码", "Password")
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                />
                <button type="submit">{lang.pick("登录", "Log in")}</button>
            </ActionForm>
            {move || login.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=login_error(e) /> })}
        </section>
    }
}

/// The login's error as shown. Without JavaScript it comes back in the page's address, which
/// anyone can write: only what the login itself answers is shown as it is, never a text.
fn login_error(e: AppError) -> AppError {
    match e {
        AppError::BadCredentials | AppError::Internal | AppError::Request(_) => e,
        AppError::Locked(ref until) if chrono::DateTime::parse_from_rfc3339(until).is_ok() => e,
        _ => AppError::BadCredentials,
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <Guard roles=Role::ALL>
            <section class="card narrow">
                <h1>{lang.pick("修改密码", "Change password")}</h1>
                <ActionForm action=change>
                    <Input
                        label=lang.pick("当前密码", "Current password")
                        name="current"
                        kind="password"
                        autocomplete="current-password"
                    />
                    <Input
                        label=lang.pick("新密码（至少 10 位）", "New password (10 characters or more)")
                        name="new"
                        kind="password"
                        autocomplete="new-password"
                    />
                    <button type="submit">{lang.pick("保存", "Save")}</button>
                </ActionForm>
                <Outcome action=change done=lang.pick("密码已修改", "Password changed") />
            </section>
        </Guard>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    set_status(404);
    view! {
        <section class="card narrow">
            <h1>{lang.pick("页面不存在", "Page not found")}</h1>
            <a href="/">{lang.pick("返回首页", "Back to the start")}</a>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_page_shows_no_text_written_into_its_address() {
        let planted = AppError::Invalid(domain::Msg::new("中奖了，请拨打电话领取", "You won"));
        assert!(matches!(login_error(planted), AppError::BadCredentials));
        assert!(matches!(login_error(AppError::Locked("请拨打电话".into())), AppError::BadCredentials));
        let until = "2026-12-02T08:15:00+00:00";
        assert!(matches!(login_error(AppError::Locked(until.into())), AppError::Locked(u) if u == until));
        assert!(matches!(login_error(AppError::BadCredentials), AppError::BadCredentials));
    }
}

/// `/vote`: one anonymous ballot with a code from the printed sheet, no login. The slip's QR
/// code carries the code in the link's fragment (`/vote#c=…`), which the page reads: it never
/// reaches the server's logs.
#[component]
pub fn VotePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{lang.pick("第一书记群众满意度测评", "Satisfaction survey of the first secretary")}</h1>
        <p class="muted">
            {lang
                .pick(
                    "无记名投票：票码只能使用一次，系统不记录投票人。",
                    "Anonymous: each code works once and nobody is recorded.",
                )}
        </p>
        <VoteForm />
        <p>
            <a href="/feedback">
                {lang
                    .pick(
                        "有意见或建议？凭票码向区委组织部反映（投诉建议）",
                        "A complaint or suggestion? Send it to the organisation department with your code",
                    )}
            </a>
        </p>
    }
}

/// The ballot, with the code the slip's link carries filled in.
#[island]
fn VoteForm() -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(String::new());
    Effect::new(move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(c) = hash.strip_prefix("#c=") {
            code.set(c.to_string());
        }
    });
    let cast = ServerAction::<CastBallot>::new();
    let done = move || matches!(cast.value().get(), Some(Ok(()))) || just_done(CastBallot::PATH);
    view! {
        <Show
            when=done
            fallback=move || {
                view! {
                    <ActionForm action=cast attr:class="grid" attr:aria-label=lang.pick("投票", "Vote")>
                        <label>
                            <span>{lang.pick("票码", "Ballot code")}</span>
                            <input type="text" name="code" prop:value=move || code.get() autocomplete="off" required />
                        </label>
                        <fieldset>
                            <legend>
                                {lang
                                    .pick(
                                        "您对本村第一书记的工作评价",
                                        "How satisfied are you with the first secretary's work?",
                                    )}
                            </legend>
                            {Answer::ALL
                                .iter()
                                .map(|a| {
                                    view! {
                                        <label class="check">
                                            <input type="radio" name="answer" value=a.code() required />
                                            {a.label(lang)}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <button type="submit">{lang.pick("投票", "Vote")}</button>
                    </ActionForm>
                    {move || match cast.value().get() {
                        Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
                        _ => ().into_any(),
                    }}
                }
            }
        >
            <p role="status" class="ok">
                {lang.pick("投票成功，谢谢您的参与！", "Your vote is counted. Thank you!")}
            </p>
        </Show>
    }
}
