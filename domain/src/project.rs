//! The assistance-project database (帮扶项目库, Yicheng's first "binding"): a secretary proposes a
//! project from a research report of theirs ("深入实践吃透村情，尽快形成调研报告并制定出帮扶举措"),
//! the township and then the department review it, and only approved projects enter the
//! database. Progress is what the records already say: practical matters and visits that name
//! the project, milestones ticked off.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Lang, Msg, Role};

coded_enum! {
    /// How soon a project pays off.
    ProjectTerm {
        /// 短平快: quick benefit, within the year.
        Quick = ("quick", "短平快", "Quick benefit"),
        /// 长远: long-term.
        LongTerm = ("long_term", "长远", "Long-term"),
    }
}

coded_enum! {
    /// What a project is about.
    ProjectSector {
        Industry = ("industry", "产业发展", "Industry"),
        Infrastructure = ("infrastructure", "基础设施", "Infrastructure"),
        CollectiveIncome = ("collective_income", "村集体增收", "Collective income"),
        Services = ("services", "公共服务", "Public services"),
        Other = ("other", "其他", "Other"),
    }
}

coded_enum! {
    /// Where a project stands in its review.
    ProjectStatus {
        /// 待镇街审核.
        Proposed = ("proposed", "待镇街审核", "Waiting for the township"),
        /// 待组织部审核: the township approved it.
        TownshipApproved = ("township_approved", "待组织部审核", "Waiting for the department"),
        /// 已入库: in the database.
        Approved = ("approved", "已入库", "In the database"),
        /// 退回修改: the secretary changes it and it is reviewed again from the township.
        Returned = ("returned", "退回修改", "Returned for changes"),
        Rejected = ("rejected", "不予入库", "Rejected"),
    }
}

coded_enum! {
    /// A reviewer's decision.
    ReviewDecision {
        Approve = ("approve", "同意", "Approve"),
        Return = ("return", "退回修改", "Return for changes"),
        Reject = ("reject", "不予入库", "Reject"),
    }
}

/// The review a role gives: the township's (`Some(false)`) or the department's (`Some(true)`);
/// other roles review nothing.
pub fn review_stage(role: Role) -> Option<bool> {
    match role {
        Role::TownshipSupervisor => Some(false),
        Role::DeptAdmin | Role::SysAdmin => Some(true),
        _ => None,
    }
}

impl ProjectStatus {
    /// Whether it waits for the review `role` gives.
    pub fn awaits(self, role: Role) -> bool {
        match review_stage(role) {
            Some(department) => {
                self == if department { ProjectStatus::TownshipApproved } else { ProjectStatus::Proposed }
            }
            None => false,
        }
    }

    /// Whether the secretary may still change it.
    pub fn editable(self) -> bool {
        matches!(self, ProjectStatus::Proposed | ProjectStatus::Returned)
    }

    /// The state after `decision` by the township (`department` false) or the department, or
    /// why that reviewer cannot decide now.
    pub fn review(self, department: bool, decision: ReviewDecision) -> Result<ProjectStatus, Msg> {
        let waiting = if department { ProjectStatus::TownshipApproved } else { ProjectStatus::Proposed };
        if self != waiting {
            return Err(Msg::new(
                format!("该项目{}，现在不能由{}审核", self.label(Lang::Zh), if department { "组织部" } else { "镇街" }),
                format!("the project is {}: not for this reviewer now", self.label(Lang::En).to_lowercase()),
            ));
        }
        Ok(match (decision, department) {
            (ReviewDecision::Approve, false) => ProjectStatus::TownshipApproved,
            (ReviewDecision::Approve, true) => ProjectStatus::Approved,
            (ReviewDecision::Return, _) => ProjectStatus::Returned,
            (ReviewDecision::Reject, _) => ProjectStatus::Rejected,
        })
    }
}

/// A milestone: what is to be done by when, and when it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Milestone {
    pub id: i64,
    pub title: String,
    pub due: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

impl Milestone {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.due < today
    }
}

/// A reviewer's decision with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Review {
    pub department: bool,
    pub decision: ReviewDecision,
    pub reason: String,
    pub reviewer: String,
    pub at: DateTime<Utc>,
}

/// What the records say of a project: money arrived (practical matters naming it) and the
/// households its visits reached.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub yuan: i64,
    pub records: i64,
    pub households: i64,
}

/// A project as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub posting_id: i64,
    pub secretary: String,
    pub village: String,
    pub township_id: i64,
    pub township: String,
    pub title: String,
    pub term: ProjectTerm,
    pub sector: ProjectSector,
    pub budget_yuan: i64,
    pub funding: String,
    /// The paired households it helps, by name.
    pub households: Vec<(i64, String)>,
    /// Other households that benefit (not paired).
    pub other_households: i32,
    pub status: ProjectStatus,
    /// The research report it comes from: its id and title.
    pub research: (String, String),
    /// The research report was found untrue (不实): the project is flagged.
    pub research_untrue: Option<String>,
    pub milestones: Vec<Milestone>,
    pub reviews: Vec<Review>,
    pub progress: Progress,
    pub updated_at: DateTime<Utc>,
}

impl Project {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == ProjectStatus::Approved && self.milestones.iter().any(|m| m.overdue(today))
    }

    /// Households it helps: the paired ones named and the others counted.
    pub fn beneficiaries(&self) -> i64 {
        self.households.len() as i64 + i64::from(self.other_households)
    }
}

/// A project as proposed (or changed): checked before anything is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewProject {
    pub research_id: uuid::Uuid,
    pub title: String,
    pub term: ProjectTerm,
    pub sector: ProjectSector,
    pub budget_yuan: i64,
    pub funding: String,
    pub households: Vec<i64>,
    pub other_households: i32,
    /// Due date and title.
    pub milestones: Vec<(NaiveDate, String)>,
}

const MAX_TITLE: usize = 100;
const MAX_TEXT: usize = 2000;
const MAX_MILESTONES: usize = 20;

/// The form's fields as typed.
#[derive(Clone, Debug, Default)]
pub struct ProjectForm<'a> {
    pub research_id: &'a str,
    pub title: &'a str,
    pub term: &'a str,
    pub sector: &'a str,
    pub budget_yuan: &'a str,
    pub funding: &'a str,
    pub households: &'a [i64],
    pub other_households: &'a str,
    /// One milestone a line: `2027-03-31 完成厂房改造`.
    pub milestones: &'a str,
}

fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg::new(zh, en)
}

impl NewProject {
    pub fn parse(f: &ProjectForm) -> Result<NewProject, Msg> {
        let research_id = uuid::Uuid::parse_str(f.research_id.trim())
            .map_err(|_| invalid("请选择项目所依据的调研报告", "choose the research report it comes from"))?;
        let title = f.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(invalid(
                format!("项目名称须为 1–{MAX_TITLE} 字"),
                format!("the title must have 1 to {MAX_TITLE} characters"),
            ));
        }
        let term = ProjectTerm::parse(f.term)
            .ok_or_else(|| invalid("请选择项目类型（短平快或长远）", "choose quick or long-term"))?;
        let sector = ProjectSector::parse(f.sector).ok_or_else(|| invalid("请选择项目领域", "choose the field"))?;
        let number = |s: &str, zh: &str, en: &str| -> Result<i64, Msg> {
            match s.trim() {
                "" => Ok(0),
                n => n.parse::<i64>().ok().filter(|v| (0..=10_000_000_000).contains(v)).ok_or_else(|| {
                    invalid(format!("{zh}应为不小于 0 的整数"), format!("{en} must be a whole number, 0 or more"))
                }),
            }
        };
        let budget_yuan = number(f.budget_yuan, "预算（元）", "the budget")?;
        let other_households = i32::try_from(number(f.other_households, "其他受益户数", "other households")?)
            .map_err(|_| invalid("其他受益户数过大", "too many other households"))?;
        let funding = f.funding.trim();
        if funding.chars().count() > MAX_TEXT {
            return Err(invalid(format!("资金来源不能超过 {MAX_TEXT} 字"), format!("at most {MAX_TEXT} characters")));
        }
        let mut milestones = Vec::new();
        for (n, line) in f.milestones.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let (date, what) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let due = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                invalid(
                    format!("第 {} 个节点应以日期开头，如“2027-03-31 完成厂房改造”", n + 1),
                    format!("milestone {} must start with its date, as in \"2027-03-31 finish the building\"", n + 1),
                )
            })?;
            let what = what.trim();
            if what.is_empty() || what.chars().count() > MAX_TITLE {
                return Err(invalid(
                    format!("第 {} 个节点缺少内容", n + 1),
                    format!("milestone {} says nothing", n + 1),
                ));
            }
            milestones.push((due, what.to_string()));
        }
        if milestones.is_empty() || milestones.len() > MAX_MILESTONES {
            return Err(invalid(
                format!("请写 1–{MAX_MILESTONES} 个进度节点，每行一个"),
                format!("give 1 to {MAX_MILESTONES} milestones, one a line"),
            ));
        }
        let mut households = f.households.to_vec();
        households.sort_unstable();
        households.dedup();
        Ok(NewProject {
            research_id,
            title: title.to_string(),
            term,
            sector,
            budget_yuan,
            funding: funding.to_string(),
            households,
            other_households,
            milestones,
        })
    }
}

/// Checks a reviewer's reason: required, as the decision is audited and shown to the secretary.
pub fn reason(s: &str) -> Result<String, Msg> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_TEXT {
        return Err(invalid("请写明审核意见", "give the reason for the decision"));
    }
    Ok(s.to_string())
}

/// The department's view of the database: the projects with their sums.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectList {
    pub today: NaiveDate,
    pub projects: Vec<Project>,
}

impl ProjectList {
    /// Budget, money arrived and households helped, of the approved projects listed.
    pub fn totals(&self) -> (i64, i64, i64) {
        self.projects
            .iter()
            .filter(|p| p.status == ProjectStatus::Approved)
            .fold((0, 0, 0), |(b, y, h), p| (b + p.budget_yuan, y + p.progress.yuan, h + p.beneficiaries()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(milestones: &'a str, budget: &'a str) -> ProjectForm<'a> {
        ProjectForm {
            research_id: "0199b5a2-6a3e-7cc1-9d0e-3f1c2b7a9e01",
            title: " 秸秆煤秸秆压块 ",
            term: "long_term",
            sector: "产业发展",
            budget_yuan: budget,
            funding: "区财政衔接资金 30 万，村集体自筹 5 万",
            households: &[3, 1, 3],
            other_households: "12",
            milestones,
        }
    }

    #[test]
    fn a_proposal_is_read_whole_or_refused_with_the_reason() {
        let p = NewProject::parse(&form("2027-03-31 完成可行性论证\n\n2027-06-30 建成压块车间", "350000")).unwrap();
        assert_eq!(p.title, "秸秆煤秸秆压块");
        assert_eq!((p.term, p.sector, p.budget_yuan), (ProjectTerm::LongTerm, ProjectSector::Industry, 350_000));
        assert_eq!(p.households, [1, 3]);
        assert_eq!(p.milestones.len(), 2);
        assert_eq!(p.milestones[1].1, "建成压块车间");
        assert!(NewProject::parse(&form("", "1")).unwrap_err().zh.contains("进度节点"));
        assert!(NewProject::parse(&form("明年 开工", "1")).unwrap_err().zh.contains("第 1 个节点"));
        assert!(NewProject::parse(&form("2027-03-31 论证", "-5")).unwrap_err().zh.contains("预算"));
        assert!(NewProject::parse(&ProjectForm { research_id: "", ..form("2027-03-31 论证", "") }).is_err());
    }

    #[test]
    fn the_township_then_the_department_decide_and_a_returned_project_starts_again() {
        use ProjectStatus::*;
        use ReviewDecision::*;
        assert_eq!(Proposed.review(false, Approve), Ok(TownshipApproved));
        assert_eq!(TownshipApproved.review(true, Approve), Ok(Approved));
        assert_eq!(Proposed.review(false, Return), Ok(Returned));
        assert_eq!(TownshipApproved.review(true, Reject), Ok(Rejected));
        assert!(Proposed.review(true, Approve).is_err(), "the department after the township");
        assert!(Approved.review(false, Return).is_err());
        assert!(Returned.editable() && Proposed.editable() && !Approved.editable() && !TownshipApproved.editable());
        assert!(Proposed.awaits(Role::TownshipSupervisor) && TownshipApproved.awaits(Role::DeptAdmin));
        assert!(!Proposed.awaits(Role::DeptAdmin) && !Proposed.awaits(Role::UnitViewer));
        let m = Milestone { id: 1, title: "开工".into(), due: "2026-11-30".parse().unwrap(), done_on: None };
        assert!(m.overdue("2026-12-01".parse().unwrap()) && !m.overdue("2026-11-30".parse().unwrap()));
    }
}
