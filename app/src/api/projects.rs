//! The assistance-project database (`db::projects`): proposals, reviews, milestones, lists.

use chrono::NaiveDate;
use domain::commitment::CommitmentItem;
use domain::project::{Project, ProjectList};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a secretary's forms offer: the posting's research reports (id, title, day), paired
/// households (id, name), and projects a commitment item may name (id, title).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalChoices {
    pub research: Vec<(String, String, NaiveDate)>,
    pub households: Vec<(i64, String)>,
    pub projects: Vec<(i64, String)>,
}

/// `?township_id=&term=&sector=&status=&overdue=` as the list page's filter form sends them.
#[server(endpoint = "projects")]
pub async fn projects(
    #[server(default)] township_id: Option<i64>,
    #[server(default)] term: Option<String>,
    #[server(default)] sector: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] overdue: Option<String>,
) -> Result<ProjectList, AppError> {
    use crate::server::*;
    let filter = db::projects::Filter::from_query(
        township_id,
        term.as_deref(),
        sector.as_deref(),
        status.as_deref(),
        overdue.as_deref(),
    );
    Ok(db::projects::list(&pool()?, &actor().await?, &filter).await?)
}

#[server(endpoint = "project_detail")]
pub async fn project_detail(id: i64) -> Result<Project, AppError> {
    use crate::server::*;
    Ok(db::projects::get(&pool()?, &actor().await?, id).await?)
}

#[server(endpoint = "proposal_options")]
pub async fn proposal_options() -> Result<ProposalChoices, AppError> {
    use crate::server::*;
    let (pool, actor) = (pool()?, actor().await?);
    let research = db::projects::research_reports(&pool, &actor).await?;
    let posting = db::postings::list(&pool, &actor, true).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let households =
        db::postings::households(&pool, &actor, posting.id).await?.into_iter().map(|h| (h.id, h.head_name)).collect();
    let projects = db::projects::of_posting(&pool, posting.id).await?;
    Ok(ProposalChoices { research, households, projects })
}

/// Proposes a project (`id` absent) or changes one under review or returned. `households[]`
/// are the paired households it helps (tick boxes); `milestones` one a line, date first.
#[server(endpoint = "save_project")]
#[allow(clippy::too_many_arguments)]
pub async fn save_project(
    #[server(default)] id: Option<i64>,
    research_id: String,
    title: String,
    term: String,
    sector: String,
    #[server(default)] budget_yuan: String,
    #[server(default)] funding: String,
    #[server(default)] households: Vec<i64>,
    #[server(default)] other_households: String,
    milestones: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    let form = domain::project::ProjectForm {
        research_id: &research_id,
        title: &title,
        term: &term,
        sector: &sector,
        budget_yuan: &budget_yuan,
        funding: &funding,
        households: &households,
        other_households: &other_households,
        milestones: &milestones,
    };
    let p = domain::project::NewProject::parse(&form).map_err(AppError::Invalid)?;
    let (pool, actor) = (pool()?, actor().await?);
    Ok(match id {
        Some(id) => {
            db::projects::update(&pool, &actor, id, &p).await?;
            id
        }
        None => db::projects::propose(&pool, &actor, &p).await?,
    })
}

#[server(endpoint = "review_project")]
pub async fn review_project(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    use crate::server::*;
    let decision = domain::project::ReviewDecision::parse(&decision)
        .ok_or_else(|| AppError::Invalid(domain::Msg::new("请选择审核结论", "choose the decision")))?;
    Ok(db::projects::review(&pool()?, &actor().await?, id, decision, &reason).await?)
}

/// `done` is a hidden field: `true` marks the milestone done, `false` undoes it.
#[server(endpoint = "project_milestone")]
pub async fn project_milestone(milestone: i64, done: bool) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::projects::milestone(&pool()?, &actor().await?, milestone, done).await?)
}

/// The calling secretary's commitment items, and those the village's earlier secretaries
/// handed over.
#[server(endpoint = "my_commitments")]
pub async fn my_commitments() -> Result<(Vec<CommitmentItem>, Vec<CommitmentItem>), AppError> {
    use crate::server::*;
    Ok(db::commitments::mine(&pool()?, &actor().await?).await?)
}

/// Adds an item of the year's development-goal commitment; `projects[]` are the projects it is
/// met through (tick boxes).
#[server(endpoint = "add_commitment")]
pub async fn add_commitment(
    text: String,
    due: NaiveDate,
    #[server(default)] projects: Vec<i64>,
) -> Result<i64, AppError> {
    use crate::server::*;
    Ok(db::commitments::add(&pool()?, &actor().await?, &text, due, &projects).await?)
}

#[server(endpoint = "commitment_done")]
pub async fn commitment_done(id: i64) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::commitments::done(&pool()?, &actor().await?, id).await?)
}
