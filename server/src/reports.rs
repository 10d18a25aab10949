//! Reports as Excel workbooks: `GET /reports/allowance.xlsx` (the 脱产 allowance list for the
//! dispatching units' finance offices) and `GET /reports/attendance.xlsx` (attendance per
//! secretary), `?month=YYYY-MM`, and `&township_id=` for roles above a township;
//! `GET /reports/ranking.xlsx?year=&district_id=` (the year-end ranking per category, with every
//! scored item).

use app::error::AppError;
use app::server::actor_of_session;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use db::PgPool;
use domain::allowance::MonthLine;
use domain::org::PostingMode;
use domain::{Lang, Scope};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
struct Params {
    month: Option<String>,
    township_id: Option<i64>,
    year: Option<i32>,
    district_id: Option<i64>,
}

pub fn route<S: Clone + Send + Sync + 'static>(pool: PgPool) -> MethodRouter<S> {
    get(report).with_state(pool)
}

#[tracing::instrument(skip_all, fields(file = %file))]
async fn report(
    State(pool): State<PgPool>,
    session: Session,
    Path(file): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let actor = match actor_of_session(&pool, &session).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    if file == "ranking.xlsx" {
        return ranking_report(&pool, &actor, &p).await;
    }
    let month = p.month.clone().unwrap_or_default();
    let township_id = p.township_id.or(match actor.scope {
        Scope::Township(t) => Some(t),
        _ => None,
    });
    let first = match db::reports::parse_month(&month) {
        Ok(m) => m,
        Err(e) => return AppError::from(e).into_response(),
    };
    let lines = match db::reports::month(&pool, &actor, township_id, first).await {
        Ok(l) => l,
        Err(e) => return AppError::from(e).into_response(),
    };
    let book = match file.as_str() {
        "allowance.xlsx" => {
            let approval = match township_id {
                Some(t) => db::reports::allowance_approval(&pool, t, first).await.ok().flatten(),
                None => None,
            };
            allowance(&month, &lines, approval)
        }
        "attendance.xlsx" => attendance(&month, &lines),
        _ => return AppError::NotFound.into_response(),
    };
    workbook(book, &format!("{}-{file}", month.trim()))
}

fn workbook(book: Result<Vec<u8>, XlsxError>, name: &str) -> Response {
    match book {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("xlsx: {e}");
            AppError::Internal.into_response()
        }
    }
}

async fn ranking_report(pool: &PgPool, actor: &domain::Actor, p: &Params) -> Response {
    let (Some(year), Some(district_id)) = (p.year, p.district_id) else {
        return AppError::Invalid(domain::Msg::new("请指定年份和区县", "give the year and the district"))
            .into_response();
    };
    let run = match db::evaluation::runs(pool, actor, year, true).await {
        Ok(runs) => runs.into_iter().find(|r| r.district_id == district_id),
        Err(e) => return AppError::from(e).into_response(),
    };
    let Some(run) = run else { return AppError::NotFound.into_response() };
    workbook(ranking(&run), &format!("{year}-ranking.xlsx"))
}

/// The ranking per category, then every scored item of every secretary.
fn ranking(run: &domain::evaluation::view::Run) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut results: Vec<&domain::evaluation::Outcome> = run.output.results.iter().collect();
    results.sort_by(|a, b| (a.grade.is_none(), &a.category, a.rank).cmp(&(b.grade.is_none(), &b.category, b.rank)));
    let sheet = book.add_worksheet().set_name("考核排名")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{} {} 年度第一书记考核结果（{}，{}）",
            run.district,
            run.year,
            run.state.label(Lang::Zh),
            run.output.rule_set
        ),
        &bold,
    )?;
    let head = ["类别", "名次", "书记（村）", "组织评分", "基础分", "满意度", "总分", "等次", "说明"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, r) in results.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &r.category)?;
        if let Some(rank) = r.rank {
            sheet.write_number(row, 1, rank as f64)?;
        }
        sheet.write_string(row, 2, &r.name)?;
        if let Some(s) = &r.score {
            sheet.write_number(row, 3, s.organisation_score)?;
            sheet.write_number(row, 4, s.base_parts)?;
        }
        if let Some(s) = r.satisfaction {
            sheet.write_number(row, 5, s)?;
        }
        if let Some(t) = r.total {
            sheet.write_number(row, 6, t)?;
        }
        sheet.write_string(row, 7, r.grade.map(|g| g.label(Lang::Zh)).unwrap_or("未评定"))?;
        let notes: Vec<&str> = r.reasons.iter().chain(r.error.iter()).map(|m| m.zh.as_str()).collect();
        sheet.write_string(row, 8, notes.join("；"))?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(2, 24)?;
    sheet.set_column_width(8, 50)?;
    let lines = book.add_worksheet().set_name("评分明细")?;
    for (c, h) in ["书记（村）", "编号", "项目", "得分", "计算", "依据"].iter().enumerate() {
        lines.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1;
    for r in &results {
        for l in r.score.iter().flat_map(|s| &s.lines) {
            lines.write_string(row, 0, &r.name)?;
            lines.write_string(row, 1, &l.code)?;
            lines.write_string(row, 2, &l.name)?;
            lines.write_number(row, 3, l.points)?;
            lines.write_string(row, 4, &l.explanation.zh)?;
            lines.write_string(row, 5, l.evidence.join("；"))?;
            row += 1;
        }
    }
    lines.set_column_width(2, 40)?;
    lines.set_column_width(5, 60)?;
    book.save_to_buffer()
}

fn allowance(
    month: &str,
    lines: &[MonthLine],
    approval: Option<(String, chrono::DateTime<chrono::Utc>, i32)>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("驻村补贴")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("第一书记驻村补贴 {month}（脱产驻村，在村核实天数 × 日补贴标准，请假日不计）"),
        &bold,
    )?;
    let approved = match approval {
        Some((who, at, total)) => format!("镇街审批：{who} {}，合计 {total} 元", at.format("%Y-%m-%d %H:%M UTC")),
        None => "镇街尚未审批".to_string(),
    };
    sheet.write_string(1, 0, approved)?;
    let head = ["镇街", "村（社区）", "第一书记", "派出单位", "在村天数", "请假天数", "补贴（元）", "在村日期"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    let mut row = 4;
    let mut total = 0;
    for l in lines.iter().filter(|l| l.mode == PostingMode::FullTime) {
        let days: Vec<String> = l.month.paid_days.iter().map(|d| d.format("%d").to_string()).collect();
        sheet.write_string(row, 0, &l.township)?;
        sheet.write_string(row, 1, &l.village)?;
        sheet.write_string(row, 2, &l.secretary)?;
        sheet.write_string(row, 3, &l.unit)?;
        sheet.write_number(row, 4, l.month.paid_days.len() as f64)?;
        sheet.write_number(row, 5, f64::from(l.month.leave_days))?;
        sheet.write_number(row, 6, f64::from(l.month.allowance_yuan))?;
        sheet.write_string(row, 7, days.join("、"))?;
        total += l.month.allowance_yuan;
        row += 1;
    }
    sheet.write_string_with_format(row, 5, "合计", &bold)?;
    sheet.write_number_with_format(row, 6, f64::from(total), &bold)?;
    sheet.set_column_width(3, 24)?;
    sheet.set_column_width(7, 60)?;
    book.save_to_buffer()
}

fn attendance(month: &str, lines: &[MonthLine]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("考勤汇总")?;
    sheet.write_string_with_format(0, 0, format!("第一书记考勤汇总 {month}"), &bold)?;
    let head = [
        "镇街",
        "村（社区）",
        "第一书记",
        "派出单位",
        "驻村方式",
        "工作日",
        "在村天数",
        "请假天数",
        "缺勤工作日",
        "点名",
        "点名应答",
        "督查不在岗",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &l.township)?;
        sheet.write_string(row, 1, &l.village)?;
        sheet.write_string(row, 2, &l.secretary)?;
        sheet.write_string(row, 3, &l.unit)?;
        sheet.write_string(row, 4, l.mode.label(Lang::Zh))?;
        for (c, v) in [
            l.month.working_days,
            l.month.paid_days.len() as u32,
            l.month.leave_days,
            l.month.absent_working_days,
            l.roll_calls,
            l.roll_calls_answered,
            l.inspection_absences,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(row, 5 + c as u16, f64::from(v))?;
        }
    }
    sheet.set_column_width(3, 24)?;
    book.save_to_buffer()
}
