//! Yicheng's second "binding": the secretary is bound to the village until what was promised is
//! done ("一年内完成承诺事项，实现帮扶目标的选派书记才可以与帮包村解除捆绑"). The annual
//! development-goal commitment is made of items, each with a due date and a state, linked to
//! projects; a posting with open items ends only with the department's recorded decision.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Msg;

coded_enum! {
    /// Where a commitment item stands.
    CommitmentState {
        Open = ("open", "未完成", "Open"),
        Done = ("done", "已完成", "Done"),
        /// Left open when the posting ended and handed to the village's next secretary.
        HandedOver = ("handed_over", "已移交继任者", "Handed over"),
    }
}

coded_enum! {
    /// The department's decision on a posting that ends with open items.
    ReleaseDecision {
        /// 延期: the term runs on to a later day.
        Extend = ("extend", "延期", "Extend the term"),
        /// 移交继任者: the open items pass to the village's next secretary.
        HandOver = ("hand_over", "移交继任者", "Hand over to the successor"),
        /// 仍予解除: released with the items left open.
        Release = ("release", "仍予解除捆绑", "Release anyway"),
    }
}

/// A commitment item as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentItem {
    pub id: i64,
    pub posting_id: i64,
    /// Who promised it (a predecessor's item shows their name).
    pub secretary: String,
    pub year: i32,
    pub text: String,
    pub due: NaiveDate,
    pub state: CommitmentState,
    pub done_on: Option<NaiveDate>,
    /// The projects it is met through (id, title).
    pub projects: Vec<(i64, String)>,
}

impl CommitmentItem {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state == CommitmentState::Open && self.due < today
    }
}

/// An item as the secretary adds it: checked before it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCommitment {
    pub text: String,
    pub due: NaiveDate,
    pub projects: Vec<i64>,
}

impl NewCommitment {
    /// `due` must fall within the posting's term (`first`..=`last`).
    pub fn parse(text: &str, due: NaiveDate, projects: &[i64], first: NaiveDate, last: NaiveDate) -> Result<Self, Msg> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 500 {
            return Err(Msg::new("承诺事项须为 1–500 字", "an item has 1 to 500 characters"));
        }
        if due < first || due > last {
            return Err(Msg::new(
                format!("完成期限须在任期之内（{first} 至 {last}）"),
                format!("the due date must fall within the term ({first} to {last})"),
            ));
        }
        let mut projects = projects.to_vec();
        projects.sort_unstable();
        projects.dedup();
        Ok(NewCommitment { text: text.to_string(), due, projects })
    }
}

/// What the department decided when the posting ended (or was extended) with items open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    pub decision: ReleaseDecision,
    pub reason: String,
    pub extend_to: Option<NaiveDate>,
    /// The items open at the time, as they read then.
    pub open_items: Vec<String>,
    pub decided_by: String,
    pub at: DateTime<Utc>,
}

/// Checks an end of a posting against its open items: with none, nothing to decide; with some,
/// a decision and its reason are required, and an extension must reach past the term's end.
pub fn check_release(
    open: usize,
    decision: Option<ReleaseDecision>,
    reason: &str,
    extend_to: Option<NaiveDate>,
    term_end: NaiveDate,
) -> Result<Option<(ReleaseDecision, String, Option<NaiveDate>)>, Msg> {
    let Some(decision) = decision else {
        return if open == 0 {
            Ok(None)
        } else {
            Err(Msg::new(
                format!("尚有 {open} 项承诺未完成，不能直接解除捆绑：请选择延期、移交继任者或仍予解除，并写明理由"),
                format!(
                    "{open} committed items are open: choose to extend, hand over or release anyway, with a reason"
                ),
            ))
        };
    };
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(Msg::new(
            "请写明处理未完成承诺的理由（不超过 2000 字）",
            "give the reason for the decision (2,000 characters at most)",
        ));
    }
    let extend_to = match decision {
        ReleaseDecision::Extend => match extend_to {
            Some(d) if d > term_end => Some(d),
            _ => {
                return Err(Msg::new(
                    format!("延期须晚于现任期结束日 {term_end}"),
                    format!("an extension must reach past the term's end, {term_end}"),
                ))
            }
        },
        _ => None,
    };
    Ok(Some((decision, reason.to_string(), extend_to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_posting_with_open_items_ends_only_by_a_decision_with_its_reason() {
        let end = d("2027-02-28");
        assert_eq!(check_release(0, None, "", None, end), Ok(None));
        assert!(check_release(2, None, "", None, end).unwrap_err().zh.contains("尚有 2 项承诺未完成"));
        assert!(check_release(2, Some(ReleaseDecision::HandOver), " ", None, end).is_err());
        let handed = check_release(2, Some(ReleaseDecision::HandOver), "继任者已到岗", None, end).unwrap();
        assert_eq!(handed, Some((ReleaseDecision::HandOver, "继任者已到岗".into(), None)));
        assert!(check_release(1, Some(ReleaseDecision::Extend), "项目未竣工", Some(end), end).is_err());
        let extended =
            check_release(1, Some(ReleaseDecision::Extend), "项目未竣工", Some(d("2027-06-30")), end).unwrap();
        assert_eq!(extended.and_then(|e| e.2), Some(d("2027-06-30")));
    }

    #[test]
    fn an_item_is_due_within_the_term() {
        let (first, last) = (d("2026-03-01"), d("2027-02-28"));
        assert!(NewCommitment::parse("村集体增收 5 万元", d("2026-12-31"), &[3, 3], first, last).is_ok());
        assert!(NewCommitment::parse("  ", d("2026-12-31"), &[], first, last).is_err());
        assert!(NewCommitment::parse("修路", d("2027-12-31"), &[], first, last).unwrap_err().zh.contains("任期之内"));
    }
}
