//! The year-end evaluation (三定一诺双评) by audience: the overview with the department's runs
//! and ranking (`overview`), a secretary's dossier with the assessors' forms and the survey
//! (`dossier`), and the secretary's own filings (`mine`). The villagers' ballot is with the
//! public pages.

mod dossier;
mod mine;
mod overview;

pub use dossier::DossierPage;
pub use mine::MyEvaluation;
pub use overview::EvaluationHome;

use domain::Role;
use leptos::prelude::*;

pub(super) const VIEWERS: &[Role] =
    &[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor, Role::Inspector, Role::UnitViewer, Role::Secretary];
pub(super) const OFFICE: &[Role] =
    &[Role::DeptAdmin, Role::SysAdmin, Role::TownshipSupervisor, Role::Inspector, Role::UnitViewer];

pub(super) fn year_param() -> impl Fn() -> Option<i32> + Copy {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("year").and_then(|y| y.parse().ok())
}

pub(super) fn points(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
