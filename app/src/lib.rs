#![recursion_limit = "256"]
//! 驻村通 web application: the pages (server-rendered, then hydrated) and the server
//! functions they call. Server-only code lives in modules gated by the `ssr` feature.

pub mod api;
#[cfg(feature = "ssr")]
pub mod charts;
mod components;
pub mod error;
mod i18n;
mod pages;
mod palette;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod sheet;
#[cfg(feature = "ssr")]
mod throttle;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::*;

/// The HTML document around the application.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::current_lang();
    #[cfg(feature = "ssr")]
    server::content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=i18n::html_lang(lang)>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b91c1c" />
                <link rel="icon" href="/icon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                // The service worker (public/sw.js) lets the app open without a network.
                <script src="/register-sw.js" defer></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = i18n::current_lang();
    provide_context(lang);
    components::provide_me();
    view! {
        <Stylesheet id="leptos" href="/pkg/zhucun.css" />
        <Title text=lang.pick("驻村通", "Zhucun") />
        // Pages wait for their data before the first byte (SsrMode::Async) so that a refused
        // request answers with its real status (redirect to login, 403, 404).
        <Router>
            <components::Header />
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home ssr=SsrMode::Async />
                    <Route path=path!("/login") view=Login ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/township") view=TownshipHome ssr=SsrMode::Async />
                    <Route path=path!("/township/postings") view=TownshipPostings ssr=SsrMode::Async />
                    <Route path=path!("/township/secretary") view=SecretaryTimeline ssr=SsrMode::Async />
                    <Route path=path!("/inspect") view=InspectHome ssr=SsrMode::Async />
                    <Route path=path!("/unit") view=UnitHome ssr=SsrMode::Async />
                    <Route path=path!("/unit/secretary") view=UnitSecretary ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=DashboardHome ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminHome ssr=SsrMode::Async />
                    <Route path=path!("/admin/townships") view=TownshipsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/villages") view=VillagesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/units") view=UnitsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/postings") view=PostingsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/evaluation") view=EvaluationHome ssr=SsrMode::Async />
                    <Route path=path!("/evaluation/dossier") view=DossierPage ssr=SsrMode::Async />
                    <Route path=path!("/evaluation/mine") view=MyEvaluation ssr=SsrMode::Async />
                    <Route path=path!("/vote") view=VotePage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
