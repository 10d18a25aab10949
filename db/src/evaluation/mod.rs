//! The year-end evaluation's data: each secretary's year assembled from the records, the
//! filings, the assessors' scores and the survey; the district's computed runs, frozen when
//! approved and recomputable from their stored input.

mod assessments;
mod drafts;
pub mod filings;
mod runs;
mod strikes;
pub mod survey;

pub use assessments::{assess, enter_fact, record_pre_assessment, Judgement};
pub use drafts::year_drafts;
pub use runs::{advance, compute, reopen, runs, verify};
pub use strikes::strike;

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use domain::evaluation::facts::Binding;
use domain::evaluation::rules::{Assessment, Projected, RuleSet, Year};
use domain::evaluation::view::{Dossier, DossierRights, EnteredFact, EvidenceRecord, RunState, Standing, SERIOUS_CASE};
use domain::evaluation::{self, facts, EvaluationStage, Secretary};
use domain::field::RecordBody;
use domain::model::Posting;
use domain::org::PostingMode;
use domain::{Action, Actor, Msg, Role};
use sqlx::{PgPool, Postgres, Transaction};

use crate::postings::posting_select;
use crate::scope::BindScope;
use crate::{require, Error, Result};
use assessments::{pre_assessment, stage_slots};

/// Refuses changes to a year whose district results are frozen (reviewed or approved).
pub(crate) async fn ensure_open(tx: &mut Transaction<'_, Postgres>, posting_id: i64, year: i32) -> Result<()> {
    let frozen: bool =
        sqlx::query_scalar("SELECT evaluation_frozen($1, $2)").bind(posting_id).bind(year).fetch_one(&mut **tx).await?;
    if frozen {
        return Err(Error::Conflict(Msg::new(
            format!("{year} 年度考核结果已审核冻结，须由组织部说明理由重新打开后才能修改"),
            format!("the {year} results are frozen; the department must reopen them, with a reason, first"),
        )));
    }
    Ok(())
}

/// Where a posting stands for the evaluation: its district's rule set and today.
#[derive(sqlx::FromRow)]
struct Setting {
    id: i64,
    district_id: i64,
    evaluation_rules: String,
    today: NaiveDate,
    day_requires_check_out: bool,
    day_min_stay_minutes: i32,
    day_evidence: domain::calendar::DayEvidence,
}

async fn settings(pool: &PgPool, ids: &[i64]) -> Result<HashMap<i64, Setting>> {
    let rows: Vec<Setting> = sqlx::query_as(
        "SELECT posting_id AS id, district_id, evaluation_rules, today, day_requires_check_out, day_min_stay_minutes,
                day_evidence
           FROM posting_districts WHERE posting_id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

pub(crate) fn rules_of(code: &str) -> RuleSet {
    RuleSet::by_code(code).unwrap_or_else(RuleSet::jiaozhou)
}

/// The part of `year` a posting served, up to today.
fn period(p: &Posting, year: i32, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first = p.term_start.max(NaiveDate::from_ymd_opt(year, 1, 1)?);
    let last = p.ended_on.unwrap_or(p.term_end).min(NaiveDate::from_ymd_opt(year, 12, 31)?).min(today);
    (first <= last).then_some((first, last))
}

/// Each posting's year as the engine reads it: facts counted from the records and the
/// attendance, facts entered with evidence, the assessors' scores and the survey's count.
/// `settings` are the postings' (see [`settings`]).
async fn secretaries(
    pool: &PgPool,
    postings: &[Posting],
    year: i32,
    settings: &HashMap<i64, Setting>,
) -> Result<Vec<Secretary>> {
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let records = crate::records::counted(pool, &ids).await?;
    secretaries_with(pool, postings, year, settings, records).await
}

/// [`secretaries`] with the postings' records already loaded.
async fn secretaries_with(
    pool: &PgPool,
    postings: &[Posting],
    year: i32,
    settings: &HashMap<i64, Setting>,
    mut records: HashMap<i64, Vec<(String, RecordBody)>>,
) -> Result<Vec<Secretary>> {
    let ids: Vec<i64> = postings.iter().map(|p| p.id).collect();
    let (y_first, y_last) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(Error::Invalid(Msg::new("年份无效", "the year is not valid"))),
    };
    let households: HashMap<i64, i64> =
        sqlx::query_as("SELECT posting_id, count(*) FROM households WHERE posting_id = ANY($1) GROUP BY 1")
            .bind(&ids)
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let calendar = crate::attendance::calendar(pool, y_first, y_last).await?;
    let mut verified: HashMap<i64, BTreeSet<NaiveDate>> = HashMap::new();
    for (id, d) in crate::attendance::days(pool, &ids, y_first, y_last).await? {
        let counts = settings.get(&id).is_some_and(|s| {
            d.counts(&domain::calendar::DayRule::from_settings(
                s.day_requires_check_out,
                s.day_min_stay_minutes,
                s.day_evidence,
            ))
        });
        if counts {
            verified.entry(id).or_default().insert(d.day);
        }
    }
    let leave = crate::attendance::approved_leave(pool, &ids, y_first, y_last).await?;
    let absences = crate::attendance::inspection_absences(pool, &ids, y_first, y_last).await?;
    let mut entered: HashMap<i64, Vec<(String, f64, String)>> = HashMap::new();
    let rows: Vec<(i64, String, f64, String)> = sqlx::query_as(
        "SELECT posting_id, fact, value, evidence FROM evaluation_facts WHERE posting_id = ANY($1) AND year = $2",
    )
    .bind(&ids)
    .bind(year)
    .fetch_all(pool)
    .await?;
    for (id, fact, value, evidence) in rows {
        entered.entry(id).or_default().push((fact, value, evidence));
    }
    let mut assessed: HashMap<i64, Vec<(String, Assessment)>> = HashMap::new();
    let rows: Vec<(i64, String, f64, String, String, String)> = sqlx::query_as(
        "SELECT e.posting_id, e.item, e.points, e.reason, e.evidence, a.display_name
           FROM evaluation_assessments e JOIN accounts a ON a.id = e.assessor_id
          WHERE e.posting_id = ANY($1) AND e.year = $2",
    )
    .bind(&ids)
    .bind(year)
    .fetch_all(pool)
    .await?;
    for (id, item, points, reason, evidence, assessor) in rows {
        let evidence = evidence.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        assessed.entry(id).or_default().push((item, Assessment { points, reason, evidence, assessor }));
    }
    let mut surveys = survey::counts(pool, &ids, year).await?;
    // The binding (任后评估): the commitment's items the posting itself finished (not those a
    // successor did after a hand-over), the approved projects' milestones reached.
    let bound: HashMap<i64, Binding> = sqlx::query_as::<_, (i64, i32, i32, i32, i32)>(
        "SELECT p.id,
                (SELECT count(*)::int FROM commitment_items c WHERE c.posting_id = p.id AND c.state = 'done'
                   AND c.done_by_posting = p.id),
                (SELECT count(*)::int FROM commitment_items c WHERE c.posting_id = p.id),
                (SELECT count(*)::int FROM project_milestones m JOIN projects j ON j.id = m.project_id
                  WHERE j.posting_id = p.id AND j.status = 'approved' AND m.done_on IS NOT NULL),
                (SELECT count(*)::int FROM project_milestones m JOIN projects j ON j.id = m.project_id
                  WHERE j.posting_id = p.id AND j.status = 'approved')
           FROM unnest($1::bigint[]) p(id)",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, done, all, reached, milestones)| {
        let n = |v: i32| u32::try_from(v).unwrap_or_default();
        (
            id,
            Binding {
                commitments_done: n(done),
                commitments: n(all),
                milestones_done: n(reached),
                milestones: n(milestones),
            },
        )
    })
    .collect();

    let mut out = Vec::new();
    for p in postings {
        let Some(s) = settings.get(&p.id) else { continue };
        let Some((first, last)) = period(p, year, s.today) else { continue };
        let records = records.remove(&p.id).unwrap_or_default();
        let paired = households.get(&p.id).copied().unwrap_or(0) as usize;
        let mut y: Year = facts::from_records(first, last, p.mode, paired, &records);
        let days = facts::attendance(
            first,
            last,
            p.mode,
            &calendar,
            &verified.remove(&p.id).unwrap_or_default(),
            leave.get(&p.id).map(Vec::as_slice).unwrap_or_default(),
        );
        y.put_attendance(days, absences.get(&p.id).copied().unwrap_or(0));
        y.put_binding(bound.get(&p.id).copied().unwrap_or_default());
        for (fact, value, evidence) in entered.remove(&p.id).unwrap_or_default() {
            y.facts.insert(fact.clone(), value);
            y.evidence.insert(fact, vec![evidence]);
        }
        for (item, a) in assessed.remove(&p.id).unwrap_or_default() {
            y.assessments.insert(item, a);
        }
        let (graded_down, serious_case) = (y.get("village_grade_change") < 0.0, y.get(SERIOUS_CASE) > 0.0);
        out.push(Secretary {
            id: p.id,
            name: format!("{}（{}）", p.secretary, p.village),
            category: evaluation::category(p.source, p.mode, p.rank_class),
            year: y,
            survey: surveys.remove(&p.id).unwrap_or_default(),
            graded_down,
            serious_case,
        });
    }
    Ok(out)
}

/// The score a secretary is heading for this year, from what is recorded and entered so far,
/// by the district's rule set (`RuleSet::projected`). `records` are the posting's (the sync
/// reference has them loaded).
pub(crate) async fn projection(
    pool: &PgPool,
    posting: &Posting,
    today: NaiveDate,
    records: &[(String, RecordBody)],
) -> Result<domain::sync::Projection> {
    let settings = settings(pool, &[posting.id]).await?;
    let rules = rules_of(&settings.get(&posting.id).ok_or(Error::NotFound)?.evaluation_rules);
    let loaded = HashMap::from([(posting.id, records.to_vec())]);
    let year = secretaries_with(pool, std::slice::from_ref(posting), today.year(), &settings, loaded)
        .await?
        .pop()
        .map(|s| s.year)
        .unwrap_or_default();
    let Projected { score, base_max, shortfalls } = rules.projected(&year);
    Ok(domain::sync::Projection {
        organisation_score: score.organisation_score,
        base_parts: score.base_parts,
        base_max,
        shortfalls,
    })
}

/// Postings (unscoped: callers check) by a `WHERE` on `p`, `v`, `t`.
async fn postings_where(pool: &PgPool, filter: &str, id: i64, year: i32) -> Result<Vec<Posting>> {
    Ok(sqlx::query_as(&format!(
        "{} WHERE {filter} AND extract(year FROM p.term_start) <= $2
            AND extract(year FROM coalesce(p.ended_on, p.term_end)) >= $2 ORDER BY t.id, v.name, p.id",
        posting_select!()
    ))
    .bind(id)
    .bind(year)
    .fetch_all(pool)
    .await?)
}

/// A secretary's year in full: what the records say, the filings, the assessors' scores, the
/// survey, the score so far and the district's computed result, with every record behind a
/// point.
pub async fn dossier(pool: &PgPool, actor: &Actor, posting_id: i64, year: i32) -> Result<Dossier> {
    require(actor, Action::ViewEvaluation)?;
    ensure_visible!(pool, actor, "posting_places", posting_id)?;
    let posting = postings_where(pool, "p.id = $1", posting_id, year).await?.into_iter().next().ok_or_else(|| {
        Error::Invalid(Msg::new(format!("该选派在 {year} 年不在任"), format!("the posting does not cover {year}")))
    })?;
    let settings = settings(pool, &[posting_id]).await?;
    let setting = settings.get(&posting_id).ok_or(Error::NotFound)?;
    let rules = rules_of(&setting.evaluation_rules);
    let me = secretaries(pool, std::slice::from_ref(&posting), year, &settings).await?.into_iter().next();
    let year_facts = me.as_ref().map(|s| s.year.clone()).unwrap_or_default();
    let entered = rules
        .entered_facts()
        .into_iter()
        .map(|(fact, label)| EnteredFact {
            value: year_facts.facts.get(&fact).copied().filter(|_| year_facts.evidence.contains_key(&fact)),
            evidence: year_facts.evidence.get(&fact).and_then(|e| e.first().cloned()).unwrap_or_default(),
            fact,
            label,
        })
        .collect();
    let shown = |(_, state): &(evaluation::Outcome, RunState)| {
        *state == RunState::Approved || actor.may(Action::ManageEvaluation)
    };
    let result =
        runs::current_outcome(pool, setting.district_id, year, EvaluationStage::Year, posting_id).await?.filter(shown);
    let mut stages = Vec::new();
    for stage in [EvaluationStage::MidTerm, EvaluationStage::EndOfTerm] {
        if let Some((outcome, state)) =
            runs::current_outcome(pool, setting.district_id, year, stage, posting_id).await?.filter(shown)
        {
            stages.push((stage, outcome, state));
        }
    }
    // Frozen: the points as they were decided, not as the records stand today.
    let frozen_score = result.as_ref().filter(|(_, s)| s.frozen()).and_then(|(o, _)| o.score.clone());
    let frozen = frozen_score.is_some();
    let score = match frozen_score {
        Some(s) => Ok(s),
        None => rules.score(&year_facts),
    };
    let ids: Vec<uuid::Uuid> = match &score {
        Ok(s) => s.lines.iter().flat_map(|l| &l.evidence).filter_map(|e| uuid::Uuid::parse_str(e).ok()).collect(),
        Err(_) => Vec::new(),
    };
    let evidence = evidence_records(pool, posting_id, &ids).await?;
    let assess =
        actor.may(Action::Assess) && (actor.role != Role::TownshipSupervisor || posting.mode == PostingMode::PartTime);
    let (struck, strikable) = strikes::of(pool, posting_id, year).await?;
    Ok(Dossier {
        pre_assessment: pre_assessment(pool, posting_id).await?,
        stages,
        commitments: crate::commitments::of_posting(pool, posting_id).await?,
        releases: crate::commitments::releases(pool, posting_id).await?,
        struck,
        strikable: if assess { strikable } else { Vec::new() },
        category: evaluation::category(posting.source, posting.mode, posting.rank_class),
        rule_set: rules.name.clone(),
        filings: filings::of(pool, posting_id, year).await?,
        recorded: year_facts.recorded(),
        slots: rules.slots(&year_facts.assessments),
        stage_slots: stage_slots(&rules, &year_facts.assessments),
        entered,
        survey: survey::status(pool, posting_id, year).await?,
        score,
        frozen,
        result,
        evidence,
        may: DossierRights {
            assess,
            approve_as_township: actor.role == Role::TownshipSupervisor,
            approve_as_unit: actor.role == Role::UnitViewer,
            run_survey: actor.may(Action::RunSurvey),
            record_pre_assessment: actor.may(Action::ManagePostings),
        },
        posting,
        year,
    })
}

/// The calling secretary's own year.
pub async fn my_dossier(pool: &PgPool, actor: &Actor, year: i32) -> Result<Dossier> {
    let posting_id = filings::own_posting(pool, actor, year).await?;
    dossier(pool, actor, posting_id, year).await
}

/// The records named as evidence, as a list shows them.
async fn evidence_records(pool: &PgPool, posting_id: i64, ids: &[uuid::Uuid]) -> Result<Vec<EvidenceRecord>> {
    let rows: Vec<(uuid::Uuid, serde_json::Value, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
        "SELECT id, body, device_time FROM field_records WHERE posting_id = $1 AND id = ANY($2) ORDER BY device_time",
    )
    .bind(posting_id)
    .bind(ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, body, at)| {
            let body: RecordBody = serde_json::from_value(body).ok()?;
            Some(EvidenceRecord {
                id: id.to_string(),
                kind: body.label(domain::Lang::Zh).to_string(),
                date: body.date().or(Some(at.date_naive())),
                summary: body.gist(),
            })
        })
        .collect())
}

/// The secretaries of the caller's scope in a year, with how far their evaluation has come.
pub async fn standings(pool: &PgPool, actor: &Actor, year: i32) -> Result<Vec<Standing>> {
    require(actor, Action::ViewEvaluation)?;
    Ok(sqlx::query_as(concat!(
        "SELECT p.id AS posting_id, a.display_name AS secretary, t.name AS township, v.name AS village, u.name AS unit,
                (SELECT count(*) FROM filings f WHERE f.posting_id = p.id AND f.year = $6) AS filings,
                EXISTS (SELECT 1 FROM filings f WHERE f.posting_id = p.id AND f.year = $6 AND f.kind = 'term_goals'
                           AND f.township_approved_at IS NOT NULL AND f.unit_approved_at IS NOT NULL) AS goals_approved,
                (SELECT count(*) FROM evaluation_assessments e WHERE e.posting_id = p.id AND e.year = $6) AS assessments,
                s.very_satisfied + s.satisfied + s.basically_satisfied + s.dissatisfied AS votes, s.eligible
           FROM postings p
           JOIN accounts a ON a.id = p.secretary_id
           JOIN villages v ON v.id = p.village_id
           JOIN townships t ON t.id = v.township_id
           JOIN units u ON u.id = p.unit_id
           LEFT JOIN surveys s ON s.posting_id = p.id AND s.year = $6
          WHERE ",
        visible!("posting_places", "p.id"),
        " AND extract(year FROM p.term_start) <= $6 AND extract(year FROM coalesce(p.ended_on, p.term_end)) >= $6
          ORDER BY t.id, v.name, p.id"
    ))
    .scoped(actor.scope.filter())
    .bind(year)
    .fetch_all(pool)
    .await?)
}

/// A stored result that no longer parses: logged, and said plainly.
pub(super) fn unreadable(e: serde_json::Error) -> Error {
    tracing::error!(error = %e, "a stored evaluation result does not parse");
    Error::Invalid(Msg::new("存储的考核结果无法读取", "a stored result cannot be read"))
}

/// Managing the results is the department's.
pub(super) fn manage(actor: &Actor) -> Result<()> {
    require(actor, Action::ManageEvaluation)
}

/// The districts whose results the caller manages, with their rule set's code.
pub async fn districts(pool: &PgPool, actor: &Actor) -> Result<Vec<(i64, String, String)>> {
    manage(actor)?;
    Ok(sqlx::query_as(concat!(
        "SELECT d.id, d.name, d.evaluation_rules FROM districts d WHERE ",
        visible!("district_places", "d.id"),
        " ORDER BY d.id"
    ))
    .scoped(actor.scope.filter())
    .fetch_all(pool)
    .await?)
}

/// Chooses the rule set a district evaluates by (runs already computed keep theirs: their
/// input holds the whole rule set).
pub async fn set_rules(pool: &PgPool, actor: &Actor, district_id: i64, code: &str) -> Result<()> {
    manage(actor)?;
    if RuleSet::by_code(code).is_none() {
        return Err(Error::Invalid(Msg::new(format!("没有考核办法 {code}"), format!("no rule set {code}"))));
    }
    let mut tx = pool.begin().await?;
    ensure_visible!(&mut *tx, actor, "district_places", district_id)?;
    let before: String = sqlx::query_scalar("SELECT evaluation_rules FROM districts WHERE id = $1 FOR UPDATE")
        .bind(district_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("UPDATE districts SET evaluation_rules = $2 WHERE id = $1")
        .bind(district_id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        Some(actor.account_id),
        "set_evaluation_rules",
        "district",
        Some(district_id),
        serde_json::json!({ "before": before, "after": code }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The year a district is in today (for pages opened without a year).
pub async fn this_year(pool: &PgPool) -> Result<i32> {
    let today: NaiveDate =
        sqlx::query_scalar("SELECT (now() AT TIME ZONE $1)::date").bind(domain::time::ZONE).fetch_one(pool).await?;
    Ok(today.year())
}
