//! 投诉建议: complaints and suggestions sent to a district's organisation department. The
//! operator of a government app must offer such a channel (国办函〔2026〕12号, see
//! `docs/burden.md`). A message is sent once and never changed; the department answers it once.
//! A sender may stay anonymous: then no account is kept with it, and only the follow-up code
//! (查询码) shown once at sending finds it and its answer again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Msg;

/// Longest message or answer, in characters.
pub const MAX_CHARS: usize = 2000;

coded_enum! {
    /// 投诉 or 建议.
    FeedbackKind {
        Complaint = ("complaint", "投诉", "Complaint"),
        Suggestion = ("suggestion", "建议", "Suggestion"),
    }
}

/// A message's or an answer's text, trimmed: not empty, at most [`MAX_CHARS`].
pub fn text(s: &str) -> Result<String, Msg> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Msg::new("内容不能为空", "the text must not be empty"));
    }
    if t.chars().count() > MAX_CHARS {
        return Err(Msg::new(
            format!("内容超过 {MAX_CHARS} 字"),
            format!("the text is longer than {MAX_CHARS} characters"),
        ));
    }
    Ok(t.to_string())
}

/// A message as its sender or the department reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Feedback {
    pub id: i64,
    pub kind: FeedbackKind,
    pub body: String,
    pub district: String,
    pub sent_at: DateTime<Utc>,
    /// The sender's name and role; none when anonymous or from a villager.
    pub sender: Option<String>,
    pub sender_role: Option<crate::Role>,
    /// Sent from the ballot page by a villager holding a ballot code.
    pub villager: bool,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<String>,
}

/// A department's counts: waiting for an answer, answered, and the median time to answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct FeedbackCounts {
    pub waiting: i64,
    pub answered: i64,
    pub median_hours_to_answer: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_trimmed_and_bounded() {
        assert_eq!(text("  路灯坏了 \n").unwrap(), "路灯坏了");
        assert_eq!(text(" \n ").unwrap_err().zh, "内容不能为空");
        assert!(text(&"字".repeat(MAX_CHARS)).is_ok());
        assert!(text(&"字".repeat(MAX_CHARS + 1)).unwrap_err().zh.contains("超过"));
        assert_eq!(FeedbackKind::parse("投诉"), Some(FeedbackKind::Complaint));
    }
}
