//! §17 and §19 of the Jiaozhou rules: the satisfaction survey, the total, the ranking within
//! each category and the grades, with the overrides.

use serde::{Deserialize, Serialize};

use crate::Msg;

coded_enum! {
    /// 考核等次.
    Grade {
        Excellent = ("excellent", "优秀", "Excellent"),
        Good = ("good", "良好", "Good"),
        Competent = ("competent", "称职", "Competent"),
        BasicallyCompetent = ("basically_competent", "基本称职", "Basically competent"),
        Incompetent = ("incompetent", "不称职", "Incompetent"),
    }
}

/// An anonymous satisfaction survey's count (群众满意度测评).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// Those entitled to vote: 两委 members, party members, villager representatives, retired
    /// cadres and party applicants of the village.
    pub eligible: u32,
    pub very_satisfied: u32,
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
}

impl Survey {
    pub fn votes(&self) -> u32 {
        self.very_satisfied + self.satisfied + self.basically_satisfied + self.dissatisfied
    }

    /// Valid only when at least two thirds of those eligible voted.
    pub fn is_valid(&self) -> bool {
        self.eligible > 0 && self.votes() * 3 >= self.eligible * 2
    }

    /// (很满意 + 满意) ÷ votes, when the survey is valid.
    pub fn satisfaction(&self) -> Option<f64> {
        self.is_valid().then(|| f64::from(self.very_satisfied + self.satisfied) / f64::from(self.votes()))
    }
}

/// The grading settings of a rule set: which satisfaction rates make the survey's result
/// 基本称职 or 不称职 (the seed leaves them open), and the base parts an excellent grade needs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionThresholds {
    pub basically_competent_below: f64,
    pub incompetent_below: f64,
    /// §19: base parts under this (80) are never excellent.
    #[serde(default = "eighty")]
    pub excellent_min_base: f64,
}

fn eighty() -> f64 {
    80.0
}

/// One secretary as the ranking sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    /// Source × mode × rank class: ranked only against the same category.
    pub category: String,
    pub organisation_score: f64,
    /// The base parts (B + D in Jiaozhou): under the rule set's minimum (80), not excellent.
    pub base_parts: f64,
    pub satisfaction: f64,
    /// The village party organisation was graded down this year: not excellent.
    pub graded_down: bool,
    /// One of the listed serious cases (六严禁 with serious effect, a petition or mass incident
    /// caused): 不称职 directly.
    pub serious_case: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub id: i64,
    pub category: String,
    pub total: f64,
    /// 1 for the highest total in the category; ties share a rank.
    pub rank: usize,
    pub grade: Grade,
    /// Why the grade is not the one the rank alone would give.
    pub reasons: Vec<Msg>,
}

/// The share of a category graded excellent, and the share graded good after them.
pub const EXCELLENT_SHARE: f64 = 0.3;
pub const GOOD_SHARE: f64 = 0.3;

/// Totals are compared to the hundredth: closer than that is a tie.
fn key(total: f64) -> i64 {
    (total * 100.0).round() as i64
}

/// Ranks every category and grades it: 30 % excellent, the next 30 % good (each a ceiling,
/// `floor` of the share), the rest competent. Those graded directly (a serious case, or a
/// satisfaction result of 基本称职/不称职) and those barred from excellent (base parts under 80,
/// a grade-down) leave their place to the next (顺延). Candidates tied on the total get the same
/// grade: a tie that does not fit in the places left goes down together, and those places are
/// not given to anyone ranked below the tie.
pub fn rank(candidates: &[Candidate], thresholds: SatisfactionThresholds) -> Vec<Ranked> {
    let mut categories: Vec<&str> = candidates.iter().map(|c| c.category.as_str()).collect();
    categories.sort();
    categories.dedup();
    let mut out = Vec::new();
    for category in categories {
        let mut group: Vec<&Candidate> = candidates.iter().filter(|c| c.category == category).collect();
        let total = |c: &Candidate| c.organisation_score * c.satisfaction;
        group.sort_by(|a, b| key(total(b)).cmp(&key(total(a))).then(a.id.cmp(&b.id)));
        let n = group.len() as f64;
        let mut excellent_left = (n * EXCELLENT_SHARE + 1e-9).floor() as usize;
        let mut good_left = (n * GOOD_SHARE + 1e-9).floor() as usize;
        let mut i = 0;
        while i < group.len() {
            let tie_key = key(total(group[i]));
            let tied: Vec<&Candidate> = group[i..].iter().take_while(|c| key(total(c)) == tie_key).copied().collect();
            let rank = i + 1;
            i += tied.len();
            let mut graded: Vec<(&Candidate, Option<Grade>, Vec<Msg>)> = tied
                .iter()
                .map(|c| {
                    let mut reasons = Vec::new();
                    let direct = if c.serious_case {
                        reasons.push(Msg::new(
                            "出现第十九条所列严重情形，直接定为不称职",
                            "a serious case of §19: incompetent directly",
                        ));
                        Some(Grade::Incompetent)
                    } else if c.satisfaction < thresholds.incompetent_below {
                        reasons.push(Msg::new(
                            "群众满意度测评结果为不称职",
                            "the satisfaction survey's result is incompetent",
                        ));
                        Some(Grade::Incompetent)
                    } else if c.satisfaction < thresholds.basically_competent_below {
                        reasons.push(Msg::new(
                            "群众满意度测评结果为基本称职",
                            "the satisfaction survey's result is basically competent",
                        ));
                        Some(Grade::BasicallyCompetent)
                    } else {
                        None
                    };
                    (*c, direct, reasons)
                })
                .collect();
            // Excellent: those allowed, if they all fit.
            let may_excel = |c: &Candidate| c.base_parts >= thresholds.excellent_min_base && !c.graded_down;
            let hopefuls = graded.iter().filter(|(c, g, _)| g.is_none() && may_excel(c)).count();
            if hopefuls > 0 && hopefuls <= excellent_left {
                excellent_left -= hopefuls;
                for (c, g, _) in graded.iter_mut() {
                    if g.is_none() && may_excel(c) {
                        *g = Some(Grade::Excellent);
                    }
                }
            } else if hopefuls > excellent_left && excellent_left > 0 {
                for (c, g, reasons) in graded.iter_mut() {
                    if g.is_none() && may_excel(c) {
                        reasons.push(Msg::new(
                            "并列者超出优秀名额，一并顺次定档",
                            "tied beyond the excellent places: graded down together",
                        ));
                    }
                }
                excellent_left = 0;
            }
            for (c, g, reasons) in graded.iter_mut() {
                if g.is_none() && !may_excel(c) && excellent_left > 0 {
                    reasons.push(if c.graded_down {
                        Msg::new(
                            "村党组织年度考评降位，不得定为优秀",
                            "the village organisation was graded down: not excellent",
                        )
                    } else {
                        Msg::new(
                            "基本工作目标和工作纪律得分低于80分，不得定为优秀",
                            "base parts under 80: not excellent",
                        )
                    });
                }
            }
            let rest = graded.iter().filter(|(_, g, _)| g.is_none()).count();
            let next = if rest > 0 && rest <= good_left {
                good_left -= rest;
                Grade::Good
            } else {
                if rest > good_left {
                    good_left = 0;
                }
                Grade::Competent
            };
            for (c, g, reasons) in graded {
                out.push(Ranked {
                    id: c.id,
                    category: category.to_string(),
                    total: key(total(c)) as f64 / 100.0,
                    rank,
                    grade: g.unwrap_or(next),
                    reasons,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: SatisfactionThresholds =
        SatisfactionThresholds { basically_competent_below: 0.7, incompetent_below: 0.5, excellent_min_base: 80.0 };

    fn c(id: i64, score: f64) -> Candidate {
        Candidate {
            id,
            category: "township·full_time·section_chief".into(),
            organisation_score: score,
            base_parts: 90.0,
            satisfaction: 0.9,
            graded_down: false,
            serious_case: false,
        }
    }

    fn grades(r: &[Ranked]) -> Vec<(i64, Grade)> {
        let mut v: Vec<(i64, Grade)> = r.iter().map(|r| (r.id, r.grade)).collect();
        v.sort_by_key(|x| x.0);
        v
    }

    #[test]
    fn a_survey_counts_only_with_two_thirds_voting() {
        let s = |votes: u32| Survey {
            eligible: 30,
            very_satisfied: votes / 2,
            satisfied: votes - votes / 2 - 1,
            basically_satisfied: 1,
            dissatisfied: 0,
        };
        assert!(!s(19).is_valid(), "19 of 30 is under two thirds");
        assert!(s(20).is_valid());
        assert_eq!(s(20).satisfaction(), Some(19.0 / 20.0));
        assert_eq!(Survey::default().satisfaction(), None);
    }

    #[test]
    fn seven_in_a_category_give_two_excellent_two_good_three_competent() {
        let cs: Vec<Candidate> = (1..=7).map(|i| c(i, 100.0 - i as f64)).collect();
        let r = rank(&cs, T);
        use Grade::*;
        assert_eq!(
            grades(&r),
            [(1, Excellent), (2, Excellent), (3, Good), (4, Good), (5, Competent), (6, Competent), (7, Competent)]
        );
        assert_eq!(r.iter().find(|x| x.id == 1).unwrap().total, 89.1, "99 × 0.9, to the hundredth");
    }

    #[test]
    fn categories_are_ranked_apart() {
        let mut cs: Vec<Candidate> = (1..=4).map(|i| c(i, 100.0 - i as f64)).collect();
        cs[3].category = "city_department·part_time·principal".into();
        let r = rank(&cs, T);
        // Three in one category: floor(0.9) = no excellent, no good place; one alone: none either.
        assert!(r.iter().all(|x| x.grade == Grade::Competent));
        assert_eq!(r.iter().find(|x| x.id == 4).unwrap().rank, 1);
    }

    #[test]
    fn under_80_in_the_base_parts_or_a_grade_down_is_not_excellent_and_the_next_moves_up() {
        let mut cs: Vec<Candidate> = (1..=10).map(|i| c(i, 100.0 - i as f64)).collect();
        cs[0].base_parts = 79.5;
        cs[1].graded_down = true;
        let r = rank(&cs, T);
        use Grade::*;
        let g = grades(&r);
        assert_eq!(&g[..6], [(1, Good), (2, Good), (3, Excellent), (4, Excellent), (5, Excellent), (6, Good)]);
        assert!(r.iter().find(|x| x.id == 1).unwrap().reasons[0].zh.contains("低于80分"));
    }

    #[test]
    fn ties_share_a_grade_and_a_tie_too_big_for_the_places_goes_down_together() {
        // Ten: three excellent places. 1 alone, then 2–4 tied: three for two places.
        let mut cs: Vec<Candidate> = (1..=10).map(|i| c(i, 100.0 - i as f64)).collect();
        for c in &mut cs[1..4] {
            c.organisation_score = 96.5;
        }
        let r = rank(&cs, T);
        use Grade::*;
        let g = grades(&r);
        assert_eq!(&g[..5], [(1, Excellent), (2, Good), (3, Good), (4, Good), (5, Competent)]);
        assert!(r.iter().filter(|x| (2..=4).contains(&x.id)).all(|x| x.rank == 2));
        // Four tied for two excellent and three good places: all four are competent, and the
        // places do not skip over them to those ranked lower.
        for c in &mut cs[1..5] {
            c.organisation_score = 95.0;
        }
        let g = grades(&rank(&cs, T));
        assert_eq!(
            &g[..6],
            [(1, Excellent), (2, Competent), (3, Competent), (4, Competent), (5, Competent), (6, Competent)]
        );
    }

    #[test]
    fn serious_cases_and_poor_satisfaction_are_graded_directly() {
        let mut cs: Vec<Candidate> = (1..=10).map(|i| c(i, 100.0 - i as f64)).collect();
        cs[0].serious_case = true;
        cs[1].satisfaction = 0.6;
        cs[2].satisfaction = 0.4;
        let r = rank(&cs, T);
        use Grade::*;
        let g = grades(&r);
        assert_eq!(
            &g[..6],
            [
                (1, Incompetent),
                (2, BasicallyCompetent),
                (3, Incompetent),
                (4, Excellent),
                (5, Excellent),
                (6, Excellent)
            ]
        );
    }
}
