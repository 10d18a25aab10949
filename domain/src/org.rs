//! The organisation tree's kinds and a posting's attributes (选派), as they appear in the
//! county documents. Each kind has a stable code (stored) and Chinese/English labels.

coded_enum! {
    /// 镇 or 街道.
    TownshipKind {
        Town = ("town", "镇", "Town"),
        Subdistrict = ("subdistrict", "街道", "Subdistrict"),
    }
}

coded_enum! {
    /// 村 or 社区.
    VillageKind {
        Village = ("village", "村", "Village"),
        Community = ("community", "社区", "Community"),
    }
}

coded_enum! {
    /// Kinds of dispatching unit (派出单位).
    UnitKind {
        CityDepartment = ("city_department", "市直部门", "City department"),
        DistrictOrgan = ("district_organ", "区直机关", "District organ"),
        Township = ("township", "镇街", "Township"),
    }
}

coded_enum! {
    /// How a secretary works in the village (第四条).
    PostingMode {
        /// 脱产驻村: lives in the village, one-year term, daily allowance.
        FullTime = ("full_time", "脱产驻村", "Full-time resident"),
        /// 非脱产联村: keeps the old job, two-year term, at least one stay a month.
        PartTime = ("part_time", "非脱产联村", "Part-time linked"),
    }
}

coded_enum! {
    /// Where a secretary comes from; one of the evaluation's ranking categories.
    PostingSource {
        CityDepartment = ("city_department", "市直部门", "City department"),
        DistrictOrgan = ("district_organ", "区直机关", "District organ"),
        Township = ("township", "镇街", "Township"),
        RetiredCadre = ("retired_cadre", "离退休干部", "Retired cadre"),
    }
}

coded_enum! {
    /// Rank class, the third ranking dimension.
    RankClass {
        PartyGovChief = ("party_gov_chief", "党政正职", "Party/government chief"),
        OtherLeader = ("other_leader", "非党政正职领导干部", "Other leading cadre"),
        SectionChief = ("section_chief", "正股级", "Section chief"),
        DeputySectionOrBelow = ("deputy_section_or_below", "副股级及以下", "Deputy section or below"),
    }
}

impl PostingMode {
    /// The usual term length in months (第四条: one year full-time, two years part-time).
    pub fn term_months(self) -> u32 {
        match self {
            PostingMode::FullTime => 12,
            PostingMode::PartTime => 24,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_codes_and_labels() {
        assert_eq!(PostingMode::parse("脱产驻村"), Some(PostingMode::FullTime));
        assert_eq!(PostingMode::parse("part_time"), Some(PostingMode::PartTime));
        assert_eq!(PostingSource::parse("retired cadre"), Some(PostingSource::RetiredCadre));
        assert_eq!(RankClass::parse("正股级"), Some(RankClass::SectionChief));
        assert_eq!(VillageKind::parse("社区"), Some(VillageKind::Community));
        assert_eq!(UnitKind::parse("乡镇"), None);
    }
}

/// What a posting's mode asks of the secretary (第四条, 第十条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Duties {
    /// 两委 work meetings to chair: one a week (脱产) or one a month (非脱产).
    pub meeting_every_week: bool,
    /// Lives in the village (脱产) rather than at least one stay a month (非脱产).
    pub resident: bool,
    /// Daily allowance for days in the village, yuan (脱产 only).
    pub allowance_per_day: u32,
    /// Research reports a year.
    pub research_reports_per_year: u32,
    /// Paired hardship households.
    pub paired_households: u32,
}

impl PostingMode {
    pub fn duties(self) -> Duties {
        let full = self == PostingMode::FullTime;
        Duties {
            meeting_every_week: full,
            resident: full,
            allowance_per_day: if full { 40 } else { 0 },
            research_reports_per_year: 1,
            paired_households: 2,
        }
    }

    /// The duties with the district's daily allowance (for the modes that are paid one).
    pub fn duties_at(self, allowance_per_day: i32) -> Duties {
        let mut duties = self.duties();
        if duties.allowance_per_day > 0 {
            duties.allowance_per_day = u32::try_from(allowance_per_day).unwrap_or(0);
        }
        duties
    }
}
