//! Reports as Excel workbooks: `GET /reports/allowance.xlsx` (the 脱产 allowance list for the
//! dispatching units' finance offices) and `GET /reports/attendance.xlsx` (attendance per
//! secretary), `?month=YYYY-MM`, and `&township_id=` or `&district_id=` for roles above a
//! township; `GET /reports/ranking.xlsx?year=&district_id=` (the year-end ranking per category,
//! with every scored item); `GET /reports/dashboard.xlsx?period=&district_id=` (the dashboard's
//! table and trends); `GET /reports/records.xlsx?month=&kind=` (every record of the month, a
//! sheet per kind, columns in `docs/exports.md`); `GET /reports/projects.xlsx?township_id=&term=
//! &sector=&status=&overdue=` (the assistance projects listed). A browser that asked for a report
//! it cannot have gets a page saying why, in its language.

use crate::caller::Caller;
use crate::{Reads, Reporting};
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use db::PgPool;
use domain::allowance::MonthLine;
use domain::org::PostingMode;
use domain::{Lang, Scope};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

#[derive(Deserialize)]
struct Params {
    month: Option<String>,
    township_id: Option<i64>,
    year: Option<i32>,
    district_id: Option<i64>,
    period: Option<String>,
    kind: Option<String>,
    term: Option<String>,
    sector: Option<String>,
    status: Option<String>,
    overdue: Option<String>,
}

pub fn route<S: Clone + Send + Sync + 'static>(state: Reporting) -> MethodRouter<S> {
    get(report).with_state(state)
}

#[tracing::instrument(skip_all, fields(file = %file))]
async fn report(
    State(primary): State<PgPool>,
    State(Reads(reads)): State<Reads>,
    caller: Result<Caller, AppError>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    // The allowance list shows the township's approval, which its reader may have just given:
    // read where it was written. The other workbooks may be a moment behind.
    let pool = if file == "allowance.xlsx" { &primary } else { &reads };
    let built = match caller {
        Ok(Caller(actor)) => build(pool, &actor, &file, &p).await,
        Err(e) => Err(e),
    };
    match built {
        Ok(res) => res,
        // A link followed in a browser: a page with the reason, not the API's JSON.
        Err(e) if accepts_html(&headers) => error_page(&e, app::server::lang_of(&headers)),
        Err(e) => e.into_response(),
    }
}

async fn build(pool: &PgPool, actor: &domain::Actor, file: &str, p: &Params) -> Result<Response, AppError> {
    if file == "ranking.xlsx" {
        return ranking_report(pool, actor, p).await;
    }
    if file == "projects.xlsx" {
        let filter = db::projects::Filter::from_query(
            p.township_id,
            p.term.as_deref(),
            p.sector.as_deref(),
            p.status.as_deref(),
            p.overdue.as_deref(),
        );
        let list = db::projects::list(pool, actor, &filter).await?;
        return workbook(projects(&list), &format!("{}-projects.xlsx", list.today));
    }
    if file == "dashboard.xlsx" {
        let period = match p.period.as_deref().map(str::trim) {
            None | Some("") => domain::dashboard::Period::Month,
            Some(code) => domain::dashboard::Period::parse(code).ok_or_else(|| {
                AppError::Invalid(domain::Msg::new(format!("统计周期 {code} 无效"), format!("no period {code}")))
            })?,
        };
        let d = db::dashboard::dashboard(pool, actor, p.district_id, period).await?;
        return workbook(dashboard(&d), &format!("{}-{}-dashboard.xlsx", d.today, period.code()));
    }
    let month = p.month.clone().unwrap_or_default();
    let township_id = p.township_id.or(match actor.scope {
        Scope::Township(t) => Some(t),
        _ => None,
    });
    let first = db::reports::parse_month(&month)?;
    if file == "records.xlsx" {
        let kind = match p.kind.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(domain::field::RecordKind::parse(code).ok_or_else(|| {
                AppError::Invalid(domain::Msg::new(format!("记录类型 {code} 无效"), format!("no record kind {code}")))
            })?),
        };
        let (found, households) = db::records::export(pool, actor, township_id, p.district_id, first, kind).await?;
        return workbook(records(&found, &households, kind), &format!("{}-records.xlsx", month.trim()));
    }
    let lines = db::reports::month(pool, actor, township_id, p.district_id, first).await?;
    let book = match file {
        "allowance.xlsx" => {
            let approval = match township_id {
                Some(t) => db::reports::allowance_approval(pool, actor, t, first).await?,
                None => None,
            };
            allowance(&month, &lines, approval)
        }
        "attendance.xlsx" => attendance(&month, &lines),
        _ => return Err(AppError::NotFound),
    };
    workbook(book, &format!("{}-{file}", month.trim()))
}

/// The assistance projects listed, one a row, with their milestones and progress.
fn projects(list: &domain::project::ProjectList) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("帮扶项目库")?;
    let head = [
        "项目编号",
        "项目名称",
        "镇街",
        "村（社区）",
        "第一书记",
        "类型",
        "领域",
        "状态",
        "预算（元）",
        "资金来源",
        "已到位（元）",
        "结对受益户",
        "其他受益户数",
        "进度节点",
        "已完成节点",
        "节点逾期",
        "依据调研报告",
        "调研不实",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, p) in list.projects.iter().enumerate() {
        let row = 1 + i as u32;
        let done = p.milestones.iter().filter(|m| m.done_on.is_some()).count();
        let cells = [
            p.id.to_string(),
            p.title.clone(),
            p.township.clone(),
            p.village.clone(),
            p.secretary.clone(),
            p.term.label(Lang::Zh).to_string(),
            p.sector.label(Lang::Zh).to_string(),
            p.status.label(Lang::Zh).to_string(),
            p.budget_yuan.to_string(),
            p.funding.clone(),
            p.progress.yuan.to_string(),
            p.households.iter().map(|h| h.1.clone()).collect::<Vec<_>>().join("、"),
            p.other_households.to_string(),
            p.milestones.iter().map(|m| format!("{} {}", m.due, m.title)).collect::<Vec<_>>().join("；"),
            done.to_string(),
            if p.overdue(list.today) { "是" } else { "否" }.to_string(),
            p.research.1.clone(),
            p.research_untrue.clone().unwrap_or_default(),
        ];
        for (c, v) in cells.into_iter().enumerate() {
            sheet.write_string(row, c as u16, v)?;
        }
    }
    book.save_to_buffer()
}

/// A sheet per record kind (or only the one asked for), columns from `domain::export`.
fn records(
    found: &[db::records::Exported],
    households: &std::collections::HashMap<i64, String>,
    only: Option<domain::field::RecordKind>,
) -> Result<Vec<u8>, XlsxError> {
    use domain::field::{RecordKind, Verdict};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let kinds: Vec<RecordKind> = match only {
        Some(k) => vec![k],
        None => RecordKind::ALL.to_vec(),
    };
    let name = |id: i64| households.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    for kind in kinds {
        let sheet = book.add_worksheet().set_name(kind.label(Lang::Zh))?;
        let head = domain::export::COMMON.iter().chain(domain::export::columns(kind));
        for (c, h) in head.enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let rows = found.iter().filter(|r| r.body.kind() == kind);
        for (i, r) in rows.enumerate() {
            let row = 1 + i as u32;
            let verdict = match r.verdict {
                Some(Verdict::Verified) => "在村",
                Some(Verdict::Review) => "村外",
                None => "",
            };
            let common = [
                r.id.to_string(),
                r.township.clone(),
                r.village.clone(),
                r.secretary.clone(),
                r.device_time.clone(),
                r.received_at.clone(),
                verdict.to_string(),
            ];
            for (c, v) in common.into_iter().chain(domain::export::cells(&r.body, name)).enumerate() {
                sheet.write_string(row, c as u16, v)?;
            }
        }
    }
    book.save_to_buffer()
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Why a report cannot be had, as a small page with the error's status.
fn error_page(e: &AppError, lang: Lang) -> Response {
    let title = lang.pick("无法生成报表", "The report cannot be made");
    let back =
        lang.pick("返回上一页修改后重试，或回到首页。", "Go back, change the request and try again, or return home.");
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{}\"></head><body><main class=\"narrow\">\
         <h1>{title}</h1><div role=\"alert\" class=\"error\"><p>{}</p></div><p>{back} <a href=\"/\">{}</a></p></main></body></html>",
        if lang == Lang::En { "en" } else { "zh-CN" },
        app::stylesheet(),
        escape(&e.message(lang)),
        lang.pick("首页", "Home"),
    );
    (e.status(), [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn workbook(book: Result<Vec<u8>, XlsxError>, name: &str) -> Result<Response, AppError> {
    let bytes = book.map_err(|e| {
        tracing::error!("xlsx: {e}");
        AppError::Internal
    })?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

async fn ranking_report(pool: &PgPool, actor: &domain::Actor, p: &Params) -> Result<Response, AppError> {
    let (Some(year), Some(district_id)) = (p.year, p.district_id) else {
        return Err(AppError::Invalid(domain::Msg::new("请指定年份和区县", "give the year and the district")));
    };
    let run = db::evaluation::runs(pool, actor, year, domain::evaluation::EvaluationStage::Year, true)
        .await?
        .into_iter()
        .find(|r| r.district_id == district_id);
    let run = run.ok_or(AppError::NotFound)?;
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
        format!("第一书记驻村补贴 {month}（脱产驻村，在村核实天数 × 日补贴标准，请假日不计；补报的在村日经镇街核实，核减的不计）"),
        &bold,
    )?;
    let approved = match approval {
        Some((who, at, total)) => format!("镇街审批：{who} {}，合计 {total} 元", at.format("%Y-%m-%d %H:%M UTC")),
        None => "镇街尚未审批".to_string(),
    };
    sheet.write_string(1, 0, approved)?;
    let head = ["镇街", "村（社区）", "第一书记", "派出单位", "在村天数", "请假天数", "补贴（元）", "在村日期", "补报"];
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
        let late: Vec<String> =
            l.late_days.iter().map(|(d, r)| format!("{}（{}）", d.format("%d"), r.label(Lang::Zh))).collect();
        sheet.write_string(row, 8, late.join("、"))?;
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

/// The dashboard as a workbook: its rows (townships or districts) with every figure, then each
/// row's weekly trend.
fn dashboard(d: &domain::dashboard::Dashboard) -> Result<Vec<u8>, XlsxError> {
    use domain::board::AlertKind;
    use domain::dashboard::Totals;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet().set_name("看板")?;
    let level = if d.district_id.is_some() { "镇街" } else { "区县" };
    sheet.write_string_with_format(
        0,
        0,
        format!("{}驻村工作看板 · {} · 截至 {}", d.name, d.period.label(Lang::Zh), d.today),
        &bold,
    )?;
    if !d.provisional.is_empty() {
        let years: Vec<String> = d.provisional.iter().map(|y| y.to_string()).collect();
        sheet.write_string(1, 0, format!("暂定：{} 年节假日未录入，工作日按周一至周五计算", years.join("、")))?;
    }
    type Count = (&'static str, fn(&Totals) -> i64);
    type Rate = (&'static str, fn(&Totals) -> Option<f64>);
    let counts: [Count; 24] = [
        ("在岗书记", |t| t.secretaries),
        ("今日应在村（脱产）", |t| t.expected_today),
        ("今日在村（应在村者）", |t| t.present_expected),
        ("今日在村（全部）", |t| t.present_today),
        ("在村天数", |t| t.days),
        ("应在村（工作日/月）", |t| t.required),
        ("已在村（工作日/月）", |t| t.met),
        ("两委例会应开", |t| t.meetings_due),
        ("两委例会已开", |t| t.meetings_held),
        ("请假天数", |t| t.leave_days),
        ("近7日民情日记", |t| t.diaries_7d),
        ("近7日写日记人数", |t| t.diarists_7d),
        ("结对帮扶户", |t| t.households),
        ("超30天未走访户", |t| t.households_due),
        ("调研报告", |t| t.research_reports),
        ("提醒（人次）", |t| t.open_alerts()),
        ("本月点名", |t| t.roll_calls),
        ("点名应答", |t| t.roll_calls_answered),
        ("目标已备案", |t| t.goals_filed),
        ("目标已审核", |t| t.goals_approved),
        ("考核已评分项", |t| t.assessed),
        ("考核应评分项", |t| t.assessable),
        ("测评票数", |t| t.survey_votes),
        ("测评应参与人数", |t| t.survey_eligible),
    ];
    let rates: [Rate; 4] = [
        ("今日在村率", Totals::today_rate),
        ("出勤率", Totals::attendance_rate),
        ("例会召开率", Totals::meeting_rate),
        ("测评参与率", Totals::survey_turnout),
    ];
    let header = 3;
    sheet.write_string_with_format(header, 0, level, &bold)?;
    let mut col = 1u16;
    for (name, _) in counts.iter() {
        sheet.write_string_with_format(header, col, *name, &bold)?;
        col += 1;
    }
    for (name, _) in rates.iter() {
        sheet.write_string_with_format(header, col, *name, &bold)?;
        col += 1;
    }
    for kind in AlertKind::ALL {
        sheet.write_string_with_format(header, col, kind.label(Lang::Zh), &bold)?;
        col += 1;
    }
    let total = domain::dashboard::Row { id: 0, name: d.whole_label(Lang::Zh).to_string(), totals: d.total.clone() };
    for (i, r) in d.rows.iter().chain([&total]).enumerate() {
        let row = header + 1 + i as u32;
        sheet.write_string(row, 0, &r.name)?;
        let mut col = 1u16;
        for (_, value) in counts.iter() {
            sheet.write_number(row, col, value(&r.totals) as f64)?;
            col += 1;
        }
        for (_, rate) in rates.iter() {
            if let Some(v) = rate(&r.totals) {
                sheet.write_number_with_format(row, col, v, &percent)?;
            }
            col += 1;
        }
        for kind in AlertKind::ALL {
            sheet.write_number(row, col, r.totals.alert(*kind) as f64)?;
            col += 1;
        }
    }
    sheet.set_column_width(0, 16)?;

    let trends = book.add_worksheet().set_name("逐周趋势")?;
    for (c, h) in [level, "周（周一）", "应在村工作日", "已在村工作日", "出勤率", "应开例会", "已开例会", "例会召开率"]
        .iter()
        .enumerate()
    {
        trends.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1;
    for (i, series) in d.trends.iter().enumerate() {
        let name = if i == 0 { d.whole_label(Lang::Zh) } else { series.name.as_str() };
        for p in &series.points {
            trends.write_string(row, 0, name)?;
            trends.write_string(row, 1, p.week.to_string())?;
            trends.write_number(row, 2, p.required as f64)?;
            trends.write_number(row, 3, p.met as f64)?;
            if let Some(v) = p.attendance_rate() {
                trends.write_number_with_format(row, 4, v, &percent)?;
            }
            trends.write_number(row, 5, p.meetings_due as f64)?;
            trends.write_number(row, 6, p.meetings_held as f64)?;
            if let Some(v) = p.meeting_rate() {
                trends.write_number_with_format(row, 7, v, &percent)?;
            }
            row += 1;
        }
    }
    trends.set_column_width(1, 12)?;
    book.save_to_buffer()
}
