//! The year-end evaluation: overview, dossiers, filings, assessors' scores, the anonymous
//! survey and the department's computing, freezing and reopening.

use domain::evaluation::ballot::BallotSheet;
use domain::evaluation::drafts::YearDrafts;
use domain::evaluation::view::{Dossier, Overview};
use leptos::prelude::*;

use crate::error::AppError;

/// The year asked for, or the one it is now.
#[cfg(feature = "ssr")]
async fn year_or_this(pool: &db::PgPool, year: Option<i32>) -> Result<i32, AppError> {
    Ok(match year {
        Some(y) => y,
        None => db::evaluation::this_year(pool).await?,
    })
}

/// A stage's code (`year`, `mid_term`, `end_of_term`); the year-end evaluation when empty.
#[cfg(feature = "ssr")]
fn stage_of(stage: &str) -> Result<domain::evaluation::EvaluationStage, AppError> {
    use domain::evaluation::EvaluationStage;
    match stage.trim() {
        "" => Ok(EvaluationStage::Year),
        s => EvaluationStage::parse(s)
            .ok_or_else(|| AppError::Invalid(domain::Msg::new(format!("没有评估阶段 {s}"), format!("no stage {s}")))),
    }
}

/// The secretaries in scope and (for the department) the computed results of `year` (the
/// server's current year when absent) for a stage (the year-end evaluation by default).
#[server(endpoint = "evaluation_overview")]
pub async fn evaluation_overview(
    #[server(default)] year: Option<i32>,
    #[server(default)] stage: String,
) -> Result<Overview, AppError> {
    use crate::server::*;
    let (pool, actor) = (pool()?, actor().await?);
    let year = year_or_this(&pool, year).await?;
    let stage = stage_of(&stage)?;
    let standings = db::evaluation::standings(&pool, &actor, year).await?;
    let (districts, runs) = if actor.may(domain::Action::ManageEvaluation) {
        (
            db::evaluation::districts(&pool, &actor).await?,
            db::evaluation::runs(&pool, &actor, year, stage, false).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Overview { year, stage, standings, districts, runs })
}

/// A secretary's year in full.
#[server(endpoint = "evaluation_dossier")]
pub async fn evaluation_dossier(posting_id: i64, #[server(default)] year: Option<i32>) -> Result<Dossier, AppError> {
    use crate::server::*;
    let pool = pool()?;
    let year = year_or_this(&pool, year).await?;
    Ok(db::evaluation::dossier(&pool, &actor().await?, posting_id, year).await?)
}

/// The calling secretary's own year (their newest posting of it).
#[server(endpoint = "my_evaluation")]
pub async fn my_evaluation(#[server(default)] year: Option<i32>) -> Result<Dossier, AppError> {
    use crate::server::*;
    let (pool, actor) = (pool()?, actor().await?);
    let year = year_or_this(&pool, year).await?;
    Ok(db::evaluation::my_dossier(&pool, &actor, year).await?)
}

/// The calling secretary's 述职报告 and 自查报告表 for `year`, drafted from the records.
#[server(endpoint = "draft_year_end")]
pub async fn draft_year_end(#[server(default)] year: Option<i32>) -> Result<YearDrafts, AppError> {
    use crate::server::*;
    let (pool, actor) = (pool()?, actor().await?);
    let year = year_or_this(&pool, year).await?;
    Ok(db::evaluation::year_drafts(&pool, &actor, year, crate::i18n::current_lang()).await?)
}

#[server(endpoint = "file_evaluation")]
pub async fn file_evaluation(
    year: i32,
    kind: String,
    body: String,
    #[server(default)] goals: String,
    #[server(default)] published_on: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    use domain::evaluation::filing::{FilingKind, NewFiling};
    let kind = FilingKind::parse(&kind).ok_or(AppError::Invalid(domain::Msg::new("材料类型无效", "unknown filing")))?;
    let published_on = match published_on.trim() {
        "" => None,
        d => Some(d.parse().map_err(|_| AppError::Invalid(domain::Msg::new("日期无效", "the date is not valid")))?),
    };
    let filing = NewFiling::parse(kind, &body, &goals, published_on)?;
    Ok(db::evaluation::filings::file(&pool()?, &actor().await?, year, &filing).await?)
}

#[server(endpoint = "goal_progress")]
pub async fn goal_progress(year: i32, index: usize, progress: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::filings::goal_progress(&pool()?, &actor().await?, year, index, &progress).await?)
}

#[server(endpoint = "approve_goals")]
pub async fn approve_goals(posting_id: i64, year: i32) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::filings::approve_goals(&pool()?, &actor().await?, posting_id, year).await?)
}

/// An assessor's points for an item (`key`: its code, or `CODE@assessor` for a panel).
#[server(endpoint = "assess_item")]
pub async fn assess_item(
    posting_id: i64,
    year: i32,
    key: String,
    points: f64,
    reason: String,
    #[server(default)] evidence: String,
) -> Result<(), AppError> {
    use crate::server::*;
    let judgement = db::evaluation::Judgement { points, reason: &reason, evidence: &evidence };
    Ok(db::evaluation::assess(&pool()?, &actor().await?, posting_id, year, &key, judgement).await?)
}

#[server(endpoint = "enter_fact")]
pub async fn enter_fact(
    posting_id: i64,
    year: i32,
    fact: String,
    value: f64,
    evidence: String,
) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::enter_fact(&pool()?, &actor().await?, posting_id, year, &fact, value, &evidence).await?)
}

/// An assessor finds a research report or a practical matter untrue (不实): it stops counting.
#[server(endpoint = "strike_record")]
pub async fn strike_record(
    posting_id: i64,
    record: String,
    reason: String,
    #[server(default)] evidence: String,
) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::strike(&pool()?, &actor().await?, posting_id, &record, &reason, &evidence).await?)
}

/// Issues ballot codes for everyone who has not voted (opening the survey if needed): the
/// sheet to print, shown this once.
#[server(endpoint = "issue_ballots")]
pub async fn issue_ballots(posting_id: i64, year: i32) -> Result<BallotSheet, AppError> {
    use crate::server::*;
    use domain::evaluation::ballot;
    let (village, codes) =
        db::evaluation::survey::issue_ballots(&pool()?, &actor().await?, &ballot_key()?, posting_id, year).await?;
    let origin = public_origin();
    let ballots = codes
        .into_iter()
        .map(|code| {
            // In the fragment: never sent to the server, so in no log or proxy's record.
            let link = format!("{origin}/vote#c={code}");
            let svg = qr_svg(&link);
            (ballot::display(&code), link, svg)
        })
        .collect();
    Ok(BallotSheet { village, year, ballots })
}

/// A QR code as a compact SVG: one path of horizontal runs in module units (about 4 KB, under
/// half of the crate's own renderer's output: a sheet for a village holds hundreds).
#[cfg(feature = "ssr")]
fn qr_svg(text: &str) -> String {
    use std::fmt::Write;
    let Ok(q) = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) else {
        return String::new();
    };
    let (w, dark) = (q.width(), q.to_colors());
    let is_dark = |x: usize, y: usize| dark[y * w + x] == qrcode::Color::Dark;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if is_dark(x, y) {
                let start = x;
                while x < w && is_dark(x, y) {
                    x += 1;
                }
                let _ = write!(d, "M{} {}h{}v1h-{}z", start + 4, y + 4, x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    let n = w + 8;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" shape-rendering="crispEdges" role="img"><rect width="{n}" height="{n}" fill="#fff"/><path d="{d}"/></svg>"##
    )
}

#[server(endpoint = "close_survey")]
pub async fn close_survey(posting_id: i64, year: i32) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::survey::close_survey(&pool()?, &actor().await?, posting_id, year).await?)
}

/// One anonymous vote with a ballot code: no login.
#[server(endpoint = "cast_ballot")]
pub async fn cast_ballot(code: String, answer: String) -> Result<(), AppError> {
    use crate::server::*;
    let answer = domain::evaluation::ballot::Answer::parse(&answer)
        .ok_or(AppError::Invalid(domain::Msg::new("请选择一项评价", "choose an answer")))?;
    crate::throttle::attempt(db::evaluation::survey::cast(&pool()?, &ballot_key()?, &code, answer), |e| {
        matches!(e, db::Error::Invalid(_))
    })
    .await
}

/// `rules`: `jiaozhou` or `yicheng`.
#[server(endpoint = "set_evaluation_rules")]
pub async fn set_evaluation_rules(district_id: i64, rules: String) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::set_rules(&pool()?, &actor().await?, district_id, &rules).await?)
}

#[server(endpoint = "compute_evaluation")]
pub async fn compute_evaluation(
    district_id: i64,
    year: i32,
    #[server(default)] stage: String,
) -> Result<i64, AppError> {
    use crate::server::*;
    Ok(db::evaluation::compute(&pool()?, &actor().await?, district_id, year, stage_of(&stage)?).await?)
}

/// `to`: `reviewed` (部长办公会) or `approved` (市委).
#[server(endpoint = "advance_evaluation")]
pub async fn advance_evaluation(
    district_id: i64,
    year: i32,
    to: String,
    #[server(default)] stage: String,
) -> Result<(), AppError> {
    use crate::server::*;
    let to = domain::evaluation::view::RunState::parse(&to)
        .ok_or(AppError::Invalid(domain::Msg::new("无效的审批步骤", "not an approval step")))?;
    Ok(db::evaluation::advance(&pool()?, &actor().await?, district_id, year, stage_of(&stage)?, to).await?)
}

#[server(endpoint = "reopen_evaluation")]
pub async fn reopen_evaluation(
    district_id: i64,
    year: i32,
    reason: String,
    #[server(default)] stage: String,
) -> Result<(), AppError> {
    use crate::server::*;
    Ok(db::evaluation::reopen(&pool()?, &actor().await?, district_id, year, stage_of(&stage)?, &reason).await?)
}

/// Recomputes the stored input: whether the result matches the stored one exactly.
#[server(endpoint = "verify_evaluation")]
pub async fn verify_evaluation(
    district_id: i64,
    year: i32,
    #[server(default)] stage: String,
) -> Result<bool, AppError> {
    use crate::server::*;
    Ok(db::evaluation::verify(&pool()?, &actor().await?, district_id, year, stage_of(&stage)?).await?)
}

/// 任前评估: `view_city` … `view_unit` are the five assessors' views (any may be empty);
/// `second_posting` is a checkbox.
#[server(endpoint = "record_pre_assessment")]
#[allow(clippy::too_many_arguments)]
pub async fn record_pre_assessment(
    posting_id: i64,
    suitability: String,
    #[server(default)] second_posting: Option<String>,
    #[server(default)] view_city: String,
    #[server(default)] view_district: String,
    #[server(default)] view_township: String,
    #[server(default)] view_village: String,
    #[server(default)] view_unit: String,
) -> Result<(), AppError> {
    use crate::server::*;
    let views = [
        ("city", view_city),
        ("district", view_district),
        ("township", view_township),
        ("village", view_village),
        ("unit", view_unit),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(db::evaluation::record_pre_assessment(
        &pool()?,
        &actor().await?,
        posting_id,
        &suitability,
        second_posting.is_some(),
        &views,
    )
    .await?)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    /// Rasterises the runs of [`super::qr_svg`] (4 px a module) and reads the code back the
    /// way a phone camera would.
    #[test]
    fn a_ballot_qr_code_reads_back_as_its_link() {
        let link = "https://zhucun.example.gov.cn/vote#c=ABCDEFGHJK";
        let svg = super::qr_svg(link);
        assert!(svg.len() < 5_000, "{} bytes", svg.len());
        let n: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let mut dark = vec![false; n * n];
        let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for run in path.split('M').filter(|r| !r.is_empty()) {
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let len: usize = rest.split('v').next().unwrap().parse().unwrap();
            for i in x..x + len {
                dark[y * n + i] = true;
            }
        }
        let scale = 4;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(n * scale, n * scale, |x, y| {
            if dark[(y / scale) * n + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, link);
    }
}
