//! Forced functions (强制性功能, issue 13): what a district may require of its secretaries beyond
//! recording their work. 国办函〔2026〕12号 allows forced check-ins only for security and
//! emergencies; a district that turns one on names its basis and reason, and the settings page
//! lists each with who turned it on and when, so the department can answer an inspection.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::DayEvidence;
use crate::Msg;

coded_enum! {
    /// A function that is off unless the district turns it on.
    Mandate {
        /// 镇街点名: the township asks its secretaries to check in before a deadline.
        RollCall = ("roll_call", "镇街点名（限时签到应答）", "Roll calls (check in before a deadline)"),
        /// 会议签到表照片: a meeting record needs a photo (of the sign-in sheet). The 2024 rules
        /// say 拍照留痕 is no measure of work, so it is off unless the district decides it.
        MeetingPhoto = ("meeting_photo", "会议记录须附签到表照片", "Meeting records need a photo of the sign-in sheet"),
    }
}

coded_enum! {
    /// What allows a forced function.
    MandateBasis {
        Security = ("security", "安保需要", "Security"),
        Emergency = ("emergency", "应急需要", "Emergency"),
        DistrictDecision = ("district_decision", "本区决定", "The district's decision"),
    }
}

/// Longest reason, characters.
pub const MAX_REASON: usize = 500;

/// The reason given for turning a function on: the document, meeting or situation (required).
pub fn reason(s: &str) -> Result<String, Msg> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Msg::new("请写明依据（文件、会议或情形）", "give the reason: the document, meeting or situation"));
    }
    if s.chars().count() > MAX_REASON {
        return Err(Msg::new(format!("依据不能超过 {MAX_REASON} 字"), format!("at most {MAX_REASON} characters")));
    }
    Ok(s.to_string())
}

/// A forced function a district has on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct MandateOn {
    pub mandate: Mandate,
    pub basis: MandateBasis,
    pub reason: String,
    pub enabled_by: String,
    pub enabled_at: DateTime<Utc>,
}

/// One district's forced functions: those turned on here, and the day-rule settings that make
/// check-ins a duty, with the last change of those settings (from the audit log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForcedFunctions {
    pub district_id: i64,
    pub district: String,
    pub on: Vec<MandateOn>,
    pub day_evidence: DayEvidence,
    pub day_requires_check_out: bool,
    pub day_min_stay_minutes: i32,
    /// Who last changed the check-in duties of the day rule, and when.
    pub settings_changed: Option<(String, DateTime<Utc>)>,
}

impl ForcedFunctions {
    pub fn has(&self, mandate: Mandate) -> bool {
        self.on.iter().any(|m| m.mandate == mandate)
    }

    /// The day-rule settings in force that require check-ins, in words (none by default).
    pub fn check_in_duties(&self) -> Vec<Msg> {
        let mut out = Vec::new();
        if self.day_evidence == DayEvidence::CheckIn {
            out.push(Msg::new("在村天数仅认签到", "Only check-ins count as days in the village"));
        }
        if self.day_requires_check_out {
            out.push(Msg::new("在村日须当天签退", "A day in the village needs a check-out"));
        }
        if self.day_min_stay_minutes > 0 {
            let m = self.day_min_stay_minutes;
            out.push(Msg::new(format!("在村日须停留 {m} 分钟以上"), format!("a stay of {m} minutes or more")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forced_function_needs_a_reason_and_the_defaults_force_no_check_in() {
        assert!(reason("  ").is_err());
        assert!(reason(&"因".repeat(MAX_REASON + 1)).is_err());
        assert_eq!(reason(" 防汛应急，区防指〔2026〕3号 ").unwrap(), "防汛应急，区防指〔2026〕3号");
        let mut f = ForcedFunctions {
            district_id: 1,
            district: "峄城区".into(),
            on: Vec::new(),
            day_evidence: DayEvidence::default(),
            day_requires_check_out: false,
            day_min_stay_minutes: 0,
            settings_changed: None,
        };
        assert!(f.check_in_duties().is_empty() && !f.has(Mandate::RollCall));
        f.day_evidence = DayEvidence::CheckIn;
        f.day_min_stay_minutes = 240;
        assert_eq!(f.check_in_duties().len(), 2);
    }
}
