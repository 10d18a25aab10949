#![recursion_limit = "256"]
//! 驻村通 web application: the pages (server-rendered, then hydrated) and the server
//! functions they call. Server-only code lives in modules gated by the `ssr` feature.

pub mod api;
#[cfg(feature = "ssr")]
pub mod charts;
mod components;
#[cfg(feature = "ssr")]
mod document;
mod enhance;
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
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::*;
#[cfg(feature = "ssr")]
pub use document::{bundle_error, hashed_bundle, shell, stylesheet};
#[cfg(feature = "hydrate")]
pub use enhance::mark_hydrated;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = i18n::current_lang();
    provide_context(lang);
    components::provide_me();
    view! {
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
                    <Route path=path!("/monthly") view=MonthlyPage ssr=SsrMode::Async />
                    <Route path=path!("/projects") view=ProjectsPage ssr=SsrMode::Async />
                    <Route path=path!("/projects/view") view=ProjectPage ssr=SsrMode::Async />
                    <Route path=path!("/vote") view=VotePage ssr=SsrMode::Async />
                    <Route path=path!("/feedback") view=FeedbackPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <enhance::FormsInPlace />
        </Router>
    }
}
