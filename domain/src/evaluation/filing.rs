//! The secretary's filings for the year (三定一诺): term goals with their progress, the public
//! commitment, the year-end report and the self-check.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Msg;

coded_enum! {
    /// What a secretary files for the evaluation.
    FilingKind {
        /// 任期目标备案表: approved by the township and the dispatching unit.
        TermGoals = ("term_goals", "任期目标备案表", "Term goals"),
        /// 履职承诺书, with the date it was made public.
        Commitment = ("commitment", "履职承诺书", "Commitment"),
        /// 述职报告.
        YearReport = ("year_report", "述职报告", "Year-end report"),
        /// 履职情况自查报告表.
        SelfCheck = ("self_check", "自查报告表", "Self-check"),
    }
}

/// A term goal and how far it has come.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub goal: String,
    #[serde(default)]
    pub progress: String,
}

/// A filing as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Filing {
    pub id: i64,
    pub posting_id: i64,
    pub year: i32,
    pub kind: FilingKind,
    pub body: String,
    #[cfg_attr(feature = "sqlx", sqlx(json))]
    pub goals: Vec<Goal>,
    pub published_on: Option<NaiveDate>,
    pub filed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub township_approver: Option<String>,
    pub township_approved_at: Option<DateTime<Utc>>,
    pub unit_approver: Option<String>,
    pub unit_approved_at: Option<DateTime<Utc>>,
}

impl Filing {
    /// Term goals count as approved once both the township and the unit have approved.
    pub fn approved(&self) -> bool {
        self.kind != FilingKind::TermGoals || (self.township_approved_at.is_some() && self.unit_approved_at.is_some())
    }
}

/// A filing as submitted: checked before anything is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewFiling {
    pub kind: FilingKind,
    pub body: String,
    pub goals: Vec<Goal>,
    pub published_on: Option<NaiveDate>,
}

const MAX_TEXT: usize = 20_000;

impl NewFiling {
    /// `goals` is one goal per line (term goals only); `published_on` is required for the
    /// commitment.
    pub fn parse(kind: FilingKind, body: &str, goals: &str, published_on: Option<NaiveDate>) -> Result<NewFiling, Msg> {
        let body = body.trim().to_string();
        if body.is_empty() {
            return Err(Msg::new(format!("请填写{}的内容", kind.label(crate::Lang::Zh)), "the text is empty"));
        }
        if body.chars().count() > MAX_TEXT {
            return Err(Msg::new("内容过长（最多 20000 字）", "the text is too long (20,000 characters at most)"));
        }
        let goals: Vec<Goal> = if kind == FilingKind::TermGoals {
            goals
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|g| Goal { goal: g.into(), progress: String::new() })
                .collect()
        } else {
            Vec::new()
        };
        if kind == FilingKind::TermGoals && goals.is_empty() {
            return Err(Msg::new("请至少填写一项任期目标（每行一项）", "give at least one goal (one per line)"));
        }
        if kind == FilingKind::Commitment && published_on.is_none() {
            return Err(Msg::new("请填写承诺公开的日期", "give the date the commitment was made public"));
        }
        Ok(NewFiling {
            kind,
            body,
            goals,
            published_on: if kind == FilingKind::Commitment { published_on } else { None },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filings_are_checked_before_they_are_stored() {
        let goals = NewFiling::parse(FilingKind::TermGoals, " 目标 ", "修路\n\n建合作社 \n", None).unwrap();
        assert_eq!(goals.goals.iter().map(|g| g.goal.as_str()).collect::<Vec<_>>(), ["修路", "建合作社"]);
        assert!(NewFiling::parse(FilingKind::TermGoals, "目标", " \n", None).is_err());
        assert!(NewFiling::parse(FilingKind::Commitment, "承诺", "", None).is_err(), "the public date is required");
        let d = NaiveDate::from_ymd_opt(2026, 3, 1);
        let c = NewFiling::parse(FilingKind::Commitment, "承诺", "忽略", d).unwrap();
        assert_eq!((c.published_on, c.goals.len()), (d, 0));
        assert!(NewFiling::parse(FilingKind::YearReport, "  ", "", None).is_err());
        assert_eq!(NewFiling::parse(FilingKind::SelfCheck, "自查", "", d).unwrap().published_on, None);
    }
}
