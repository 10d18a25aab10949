//! The assistance-project database (`domain::project`): proposals from a posting's research,
//! the township's and the department's reviews, milestones, and progress from the records that
//! name a project.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::project::{
    Milestone, NewProject, Progress, Project, ProjectList, ProjectSector, ProjectStatus, ProjectTerm, Review,
    ReviewDecision,
};
use domain::{Action, Actor, Msg, Role};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use crate::scope::BindScope;
use crate::{audit, require, Error, Result};

/// The approved projects of a posting: those its records may name (id, title).
pub(crate) async fn approved(pool: &PgPool, posting_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, title FROM projects WHERE posting_id = $1 AND status = 'approved' ORDER BY id")
        .bind(posting_id)
        .fetch_all(pool)
        .await?)
}

/// A posting's projects not rejected (id, title): what its commitment items may name.
pub async fn of_posting(pool: &PgPool, posting_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, title FROM projects WHERE posting_id = $1 AND status <> 'rejected' ORDER BY id")
        .bind(posting_id)
        .fetch_all(pool)
        .await?)
}

/// Which projects to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub township: Option<i64>,
    pub term: Option<ProjectTerm>,
    pub sector: Option<ProjectSector>,
    pub status: Option<ProjectStatus>,
    /// Only approved projects with a milestone past its date.
    pub overdue: bool,
}

impl Filter {
    /// The list page's GET form (and the xlsx link made from it): codes or labels; empty
    /// fields do not filter, nor do values that name nothing.
    pub fn from_query(
        township: Option<i64>,
        term: Option<&str>,
        sector: Option<&str>,
        status: Option<&str>,
        overdue: Option<&str>,
    ) -> Filter {
        fn pick<T>(v: Option<&str>, parse: fn(&str) -> Option<T>) -> Option<T> {
            v.map(str::trim).filter(|s| !s.is_empty()).and_then(parse)
        }
        Filter {
            township,
            term: pick(term, ProjectTerm::parse),
            sector: pick(sector, ProjectSector::parse),
            status: pick(status, ProjectStatus::parse),
            overdue: overdue.is_some_and(|o| !o.trim().is_empty()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    posting_id: i64,
    secretary: String,
    village: String,
    township_id: i64,
    township: String,
    title: String,
    term: ProjectTerm,
    sector: ProjectSector,
    budget_yuan: i64,
    funding: String,
    households: Vec<i64>,
    other_households: i32,
    status: ProjectStatus,
    research_id: uuid::Uuid,
    research_title: String,
    research_untrue: Option<String>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

const SELECT: &str = "SELECT j.id, j.posting_id, a.display_name AS secretary, v.name AS village, t.id AS township_id,
        t.name AS township, j.title, j.term, j.sector, j.budget_yuan, j.funding, j.households, j.other_households,
        j.status, j.research_id, coalesce(r.body->'body'->>'title', '') AS research_title,
        s.reason AS research_untrue, j.updated_at
   FROM projects j
   JOIN postings p ON p.id = j.posting_id
   JOIN accounts a ON a.id = p.secretary_id
   JOIN villages v ON v.id = p.village_id
   JOIN townships t ON t.id = v.township_id
   JOIN field_records r ON r.id = j.research_id
   LEFT JOIN record_strikes s ON s.record_id = j.research_id";

/// The projects in the caller's part of the tree, by township, village and id; the department
/// sees its districts', a township its own, a unit its secretaries', a secretary their own.
pub async fn list(pool: &PgPool, actor: &Actor, f: &Filter) -> Result<ProjectList> {
    require(actor, Action::ViewOrg)?;
    let sql = format!(
        "{SELECT} WHERE {} AND ($6::bigint IS NULL OR t.id = $6) AND ($7::text IS NULL OR j.term = $7)
            AND ($8::text IS NULL OR j.sector = $8) AND ($9::text IS NULL OR j.status = $9)
          ORDER BY t.id, v.name, j.id",
        visible!("posting_places", "j.posting_id")
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .scoped(actor.scope.filter())
        .bind(f.township)
        .bind(f.term)
        .bind(f.sector)
        .bind(f.status)
        .fetch_all(pool)
        .await?;
    let today = today(pool, actor).await?;
    let projects: Vec<Project> =
        complete(pool, rows).await?.into_iter().filter(|p| !f.overdue || p.overdue(today)).collect();
    Ok(ProjectList { today, projects })
}

/// One project, in the caller's scope.
pub async fn get(pool: &PgPool, actor: &Actor, id: i64) -> Result<Project> {
    require(actor, Action::ViewOrg)?;
    let sql = format!("{SELECT} WHERE j.id = $6 AND {}", visible!("posting_places", "j.posting_id"));
    let row: Row = sqlx::query_as(&sql)
        .scoped(actor.scope.filter())
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    complete(pool, vec![row]).await?.pop().ok_or(Error::NotFound)
}

/// Today by the clock of the districts of the postings in the caller's scope (the earliest,
/// for overdue milestones; the server's date when the caller reaches none).
async fn today(pool: &PgPool, actor: &Actor) -> Result<NaiveDate> {
    let sql = format!(
        "SELECT coalesce(min((now() AT TIME ZONE d.time_zone)::date), current_date)
           FROM {} mine JOIN posting_places pp ON pp.id = mine.id JOIN districts d ON d.id = pp.district_id",
        in_scope!("posting_places")
    );
    Ok(sqlx::query_scalar(&sql).scoped(actor.scope.filter()).fetch_one(pool).await?)
}

/// The rows with their milestones, reviews, households by name and progress.
async fn complete(pool: &PgPool, rows: Vec<Row>) -> Result<Vec<Project>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
    let found: Vec<(i64, i64, String, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
        "SELECT project_id, id, title, due, done_on FROM project_milestones WHERE project_id = ANY($1) ORDER BY due, id",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    for (project, id, title, due, done_on) in found {
        milestones.entry(project).or_default().push(Milestone { id, title, due, done_on });
    }
    let mut reviews: HashMap<i64, Vec<Review>> = HashMap::new();
    let found: Vec<(i64, bool, ReviewDecision, String, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "SELECT r.project_id, r.department, r.decision, r.reason, a.display_name, r.at
           FROM project_reviews r JOIN accounts a ON a.id = r.reviewer_id WHERE r.project_id = ANY($1) ORDER BY r.id",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    for (project, department, decision, reason, reviewer, at) in found {
        reviews.entry(project).or_default().push(Review { department, decision, reason, reviewer, at });
    }
    let households: HashMap<i64, String> = {
        let all: Vec<i64> = rows.iter().flat_map(|r| r.households.iter().copied()).collect();
        sqlx::query_as("SELECT id, head_name FROM households WHERE id = ANY($1)")
            .bind(&all)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect()
    };
    let postings: Vec<i64> = rows.iter().map(|r| r.posting_id).collect();
    // What the records naming a project say (struck ones do not count).
    let progress: HashMap<i64, Progress> = sqlx::query_as::<_, (i64, i64, i64, i64)>(
        "SELECT (r.body->'body'->>'project_id')::bigint,
                coalesce(sum((r.body->'body'->>'yuan')::bigint) FILTER (WHERE r.kind = 'practical'), 0)::bigint,
                count(*), count(DISTINCT r.body->'body'->>'household_id') FILTER (WHERE r.kind = 'visit')
           FROM field_records r
          WHERE r.posting_id = ANY($1) AND r.kind IN ('practical', 'visit') AND r.body->'body' ? 'project_id'
            AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id)
          GROUP BY 1",
    )
    .bind(&postings)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, yuan, records, households)| (id, Progress { yuan, records, households }))
    .collect();
    Ok(rows
        .into_iter()
        .map(|r| Project {
            milestones: milestones.remove(&r.id).unwrap_or_default(),
            reviews: reviews.remove(&r.id).unwrap_or_default(),
            progress: progress.get(&r.id).cloned().unwrap_or_default(),
            households: r
                .households
                .iter()
                .map(|h| (*h, households.get(h).cloned().unwrap_or_else(|| format!("#{h}"))))
                .collect(),
            id: r.id,
            posting_id: r.posting_id,
            secretary: r.secretary,
            village: r.village,
            township_id: r.township_id,
            township: r.township,
            title: r.title,
            term: r.term,
            sector: r.sector,
            budget_yuan: r.budget_yuan,
            funding: r.funding,
            other_households: r.other_households,
            status: r.status,
            research: (r.research_id.to_string(), r.research_title),
            research_untrue: r.research_untrue,
            updated_at: r.updated_at,
        })
        .collect())
}

/// The calling secretary's research reports of the current posting, newest first: what a
/// project may come from (id, title, the day it was made).
pub async fn research_reports(pool: &PgPool, actor: &Actor) -> Result<Vec<(String, String, NaiveDate)>> {
    let posting = crate::postings::current_own(pool, actor).await?;
    let rows: Vec<(uuid::Uuid, String, NaiveDate)> = sqlx::query_as(
        "SELECT r.id, coalesce(r.body->'body'->>'title', ''), (r.device_time AT TIME ZONE pd.time_zone)::date
           FROM field_records r JOIN posting_districts pd ON pd.posting_id = r.posting_id
          WHERE r.posting_id = $1 AND r.kind = 'research'
            AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id)
          ORDER BY r.device_time DESC",
    )
    .bind(posting.id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, title, day)| (id.to_string(), title, day)).collect())
}

/// Checks what a proposal names against the secretary's current posting: its research report
/// (of the posting, not found untrue) and its households (paired with the posting).
async fn own_posting_for(
    tx: &mut Transaction<'_, Postgres>,
    pool: &PgPool,
    actor: &Actor,
    p: &NewProject,
) -> Result<i64> {
    if actor.role != Role::Secretary {
        return Err(Error::Forbidden);
    }
    let posting = crate::postings::current_own(pool, actor).await?;
    let research: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM field_records r WHERE r.id = $1 AND r.posting_id = $2 AND r.kind = 'research'
                          AND NOT EXISTS (SELECT 1 FROM record_strikes s WHERE s.record_id = r.id))",
    )
    .bind(p.research_id)
    .bind(posting.id)
    .fetch_one(&mut **tx)
    .await?;
    if !research {
        return Err(Error::Invalid(Msg::new(
            "项目须依据您本村的调研报告：请先提交并同步调研报告",
            "a project comes from a research report of your village: record and sync one first",
        )));
    }
    let paired: Vec<i64> = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1")
        .bind(posting.id)
        .fetch_all(&mut **tx)
        .await?;
    if let Some(h) = p.households.iter().find(|h| !paired.contains(h)) {
        return Err(Error::Invalid(Msg::new(
            format!("帮扶户 {h} 不是您的结对户"),
            format!("household {h} is not paired with you"),
        )));
    }
    Ok(posting.id)
}

async fn write_milestones(tx: &mut Transaction<'_, Postgres>, project: i64, p: &NewProject) -> Result<()> {
    sqlx::query("DELETE FROM project_milestones WHERE project_id = $1").bind(project).execute(&mut **tx).await?;
    let (due, titles): (Vec<NaiveDate>, Vec<String>) = p.milestones.iter().cloned().unzip();
    sqlx::query(
        "INSERT INTO project_milestones (project_id, due, title) SELECT $1, d, t FROM unnest($2::date[], $3::text[]) AS m(d, t)",
    )
    .bind(project)
    .bind(&due)
    .bind(&titles)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn detail(p: &NewProject) -> serde_json::Value {
    json!({
        "research_id": p.research_id, "title": p.title, "term": p.term, "sector": p.sector, "budget_yuan": p.budget_yuan,
        "funding": p.funding, "households": p.households, "other_households": p.other_households,
        "milestones": p.milestones,
    })
}

/// A secretary proposes a project for the township to review; audited.
#[tracing::instrument(skip(pool, actor, p), fields(account = actor.account_id))]
pub async fn propose(pool: &PgPool, actor: &Actor, p: &NewProject) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let posting = own_posting_for(&mut tx, pool, actor, p).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO projects (posting_id, research_id, title, term, sector, budget_yuan, funding, households, other_households)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(posting)
    .bind(p.research_id)
    .bind(&p.title)
    .bind(p.term)
    .bind(p.sector)
    .bind(p.budget_yuan)
    .bind(&p.funding)
    .bind(&p.households)
    .bind(p.other_households)
    .fetch_one(&mut *tx)
    .await?;
    write_milestones(&mut tx, id, p).await?;
    audit::record(&mut tx, Some(actor.account_id), "propose_project", "project", Some(id), detail(p)).await?;
    tx.commit().await?;
    Ok(id)
}

/// The secretary changes a project still under review or returned; it goes to the township
/// again. Audited with before and after.
#[tracing::instrument(skip(pool, actor, p), fields(account = actor.account_id))]
pub async fn update(pool: &PgPool, actor: &Actor, id: i64, p: &NewProject) -> Result<()> {
    let mut tx = pool.begin().await?;
    let posting = own_posting_for(&mut tx, pool, actor, p).await?;
    let before: (i64, ProjectStatus, serde_json::Value) = sqlx::query_as(
        "SELECT posting_id, status, to_jsonb(j) - 'updated_at' - 'created_at' FROM projects j WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if before.0 != posting {
        return Err(Error::NotFound);
    }
    if !before.1.editable() {
        return Err(Error::Conflict(Msg::new(
            format!("该项目{}，不能再修改", before.1.label(domain::Lang::Zh)),
            "the project can no longer be changed",
        )));
    }
    sqlx::query(
        "UPDATE projects SET research_id = $2, title = $3, term = $4, sector = $5, budget_yuan = $6, funding = $7,
                households = $8, other_households = $9, status = 'proposed', updated_at = now() WHERE id = $1",
    )
    .bind(id)
    .bind(p.research_id)
    .bind(&p.title)
    .bind(p.term)
    .bind(p.sector)
    .bind(p.budget_yuan)
    .bind(&p.funding)
    .bind(&p.households)
    .bind(p.other_households)
    .execute(&mut *tx)
    .await?;
    write_milestones(&mut tx, id, p).await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "update_project",
        "project",
        Some(id),
        json!({ "before": before.2, "after": detail(p) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The township (first) or the department (then) approves, returns or rejects a project in
/// its scope, with a reason; audited.
#[tracing::instrument(skip(pool, actor, reason), fields(account = actor.account_id))]
pub async fn review(pool: &PgPool, actor: &Actor, id: i64, decision: ReviewDecision, reason: &str) -> Result<()> {
    require(actor, Action::ReviewProjects)?;
    let reason = domain::project::reason(reason)?;
    let department = domain::project::review_stage(actor.role).ok_or(Error::Forbidden)?;
    let mut tx = pool.begin().await?;
    let posting: i64 = sqlx::query_scalar("SELECT posting_id FROM projects WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    ensure_visible!(&mut *tx, actor, "posting_places", posting)?;
    let status: ProjectStatus =
        sqlx::query_scalar("SELECT status FROM projects WHERE id = $1 FOR UPDATE").bind(id).fetch_one(&mut *tx).await?;
    let after = status.review(department, decision).map_err(Error::Conflict)?;
    sqlx::query("UPDATE projects SET status = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(after)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO project_reviews (project_id, department, decision, reason, reviewer_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(department)
    .bind(decision)
    .bind(&reason)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "review_project",
        "project",
        Some(id),
        json!({ "decision": decision, "reason": reason, "before": status, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The secretary marks a milestone of an approved project of their current posting done (or
/// not done again), on the district's today; audited.
#[tracing::instrument(skip(pool, actor), fields(account = actor.account_id))]
pub async fn milestone(pool: &PgPool, actor: &Actor, milestone: i64, done: bool) -> Result<()> {
    // The current posting's projects only: an ended posting's progress is what it was.
    let posting = crate::postings::current_own(pool, actor).await?;
    let mut tx = pool.begin().await?;
    let (project, owner, status): (i64, i64, ProjectStatus) = sqlx::query_as(
        "SELECT j.id, j.posting_id, j.status FROM project_milestones m JOIN projects j ON j.id = m.project_id
          WHERE m.id = $1 FOR UPDATE OF m",
    )
    .bind(milestone)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if owner != posting.id {
        return Err(Error::NotFound);
    }
    if status != ProjectStatus::Approved {
        return Err(Error::Conflict(Msg::new(
            "项目入库后才能记录进度",
            "progress is kept once the project is approved",
        )));
    }
    sqlx::query(
        "UPDATE project_milestones m SET done_on = CASE WHEN $2 THEN pd.today END
           FROM projects j JOIN posting_districts pd ON pd.posting_id = j.posting_id
          WHERE m.id = $1 AND j.id = m.project_id",
    )
    .bind(milestone)
    .bind(done)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE projects SET updated_at = now() WHERE id = $1").bind(project).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        Some(actor.account_id),
        "project_milestone",
        "project",
        Some(project),
        json!({ "milestone": milestone, "done": done }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
