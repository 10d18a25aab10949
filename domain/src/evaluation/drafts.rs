//! The year-end 述职报告 (§14) and 履职情况自查报告表 (§19(一)) drafted from what the year's
//! records and the evaluation engine already say: the secretary checks and edits them, nothing
//! the records hold is typed again (`docs/burden.md`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::filing::Goal;
use super::rules::Score;
use super::view::{recorded_label, EvidenceRecord};
use crate::model::Posting;
use crate::work::WorkFacts;
use crate::Lang;

/// What a secretary's year says, for the drafts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearFacts {
    pub year: i32,
    pub posting: Posting,
    pub work: WorkFacts,
    /// The facts the engine counted from the records and the attendance (`facts::Fact`).
    pub recorded: BTreeMap<String, f64>,
    /// The score the records lead to so far, assessors' items taken as not deducted
    /// (`RuleSet::projection`).
    pub projected: Score,
    /// What the rule set's base parts give at most (the scale of `projected.base_parts`).
    pub base_max: f64,
    /// Base items the records have cost points so far: code, name, points lost.
    pub shortfalls: Vec<(String, String, f64)>,
    /// The records behind the projected points.
    pub evidence: Vec<EvidenceRecord>,
    /// The filed term goals with their progress.
    pub goals: Vec<Goal>,
    /// Months with a filed 月度工作纪实.
    pub months_filed: usize,
}

/// Both drafts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearDrafts {
    pub year_report: String,
    pub self_check: String,
}

/// Records named as one item's evidence in the self-check; the rest are counted.
const EVIDENCE_SHOWN: usize = 5;

fn points(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

impl YearFacts {
    fn fact(&self, name: &str) -> f64 {
        self.recorded.get(name).copied().unwrap_or(0.0)
    }

    pub fn drafts(&self, lang: Lang) -> YearDrafts {
        YearDrafts { year_report: self.year_report(lang), self_check: self.self_check(lang) }
    }

    /// The 述职报告 in §14's sections; the last two are the secretary's own to complete.
    pub fn year_report(&self, lang: Lang) -> String {
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let sep = l("；", "; ");
        let w = &self.work;
        let p = &self.posting;
        let mut out = vec![
            format!("{} {}", self.year, l("年度第一书记述职报告", "year-end report of the first secretary")),
            match lang {
                Lang::Zh => format!(
                    "{}，{}选派，任{}{}第一书记（{}）。",
                    p.secretary,
                    p.unit,
                    p.township,
                    p.village,
                    p.mode.label(lang)
                ),
                Lang::En => format!(
                    "{}, sent by {}, first secretary of {}, {} ({}).",
                    p.secretary,
                    p.unit,
                    p.village,
                    p.township,
                    p.mode.label(lang)
                ),
            },
        ];

        out.push(l("一、完成基本工作目标情况", "1. Basic work goals").to_string());
        if !self.goals.is_empty() {
            let goals: Vec<String> = self
                .goals
                .iter()
                .enumerate()
                .map(|(i, g)| match g.progress.trim() {
                    "" => format!("{}. {}", i + 1, g.goal),
                    done => format!("{}. {}（{}{}）", i + 1, g.goal, l("进展：", "progress: "), done),
                })
                .collect();
            out.push(format!("{}{}", l("任期目标：", "Term goals: "), goals.join(sep)));
        }
        let visited: Vec<String> = w.households_visited().into_iter().map(|(h, n)| format!("{h} {n}")).collect();
        let help: Vec<String> = w.help_given().into_iter().map(|(h, n)| format!("{h} {n}")).collect();
        out.push(match lang {
            Lang::Zh => format!(
                "结对帮扶：结对帮扶户 {} 户，入户走访 {} 户次{}{}。",
                self.fact("paired_households"),
                w.visits.len(),
                if visited.is_empty() { String::new() } else { format!("（{}）", visited.join("、")) },
                if help.is_empty() { String::new() } else { format!("，帮扶措施：{}", help.join("、")) },
            ),
            Lang::En => format!(
                "Paired households: {}; {} home visits{}{}.",
                self.fact("paired_households"),
                w.visits.len(),
                if visited.is_empty() { String::new() } else { format!(" ({})", visited.join(", ")) },
                if help.is_empty() { String::new() } else { format!("; help given: {}", help.join(", ")) },
            ),
        });
        let research: Vec<String> = w.research.iter().map(|(d, t)| format!("《{t}》（{d}）")).collect();
        out.push(format!(
            "{}{} {}{}",
            l("调查研究：调研报告 ", "Research: "),
            w.research.len(),
            l("篇。", "reports. "),
            research.join(sep)
        ));

        out.push(l("二、办理实事情况", "2. Practical matters").to_string());
        out.push(if w.practical.is_empty() {
            l("本年度尚无实事记录。", "None recorded this year.").to_string()
        } else {
            let items: Vec<String> = w
                .practical
                .iter()
                .map(|(d, k, t, y)| match y {
                    0 => format!("{d} {k}：{t}"),
                    y => format!("{d} {k}：{t}（{y} {}）", l("元", "yuan")),
                })
                .collect();
            match lang {
                Lang::Zh if w.yuan() > 0 => {
                    format!("办理实事 {} 件，涉及金额 {} 元：{}", w.practical.len(), w.yuan(), items.join(sep))
                }
                Lang::Zh => format!("办理实事 {} 件：{}", w.practical.len(), items.join(sep)),
                Lang::En => format!("{} practical matters, {} yuan: {}", w.practical.len(), w.yuan(), items.join(sep)),
            }
        });

        out.push(l("三、落实工作制度情况", "3. Working rules").to_string());
        let meetings: Vec<String> = w.meetings_by_kind().into_iter().map(|(k, n)| format!("{k} {n}")).collect();
        let themes: Vec<String> = w.diary_tags.iter().take(5).map(|(t, n)| format!("{t} {n}")).collect();
        out.push(match lang {
            Lang::Zh => format!(
                "驻村：在村 {} 天（应在村 {} 天）。会议 {} 次{}。谈心谈话 {} 次（其中群众约谈 {} 次）。民情日记 {} 篇{}。{}",
                points(self.fact("days_in_village")),
                points(self.fact("days_required")),
                w.meetings.len(),
                if meetings.is_empty() { String::new() } else { format!("：{}", meetings.join("、")) },
                w.talks,
                w.talks_requested,
                w.diaries,
                if themes.is_empty() { String::new() } else { format!("，主要涉及：{}", themes.join("、")) },
                match self.months_filed {
                    0 => String::new(),
                    n => format!("月度工作纪实存档 {n} 个月。"),
                },
            ),
            Lang::En => format!(
                "In the village {} days (of {} required). {} meetings{}. {} talks ({} asked for by villagers). {} diaries{}.{}",
                points(self.fact("days_in_village")),
                points(self.fact("days_required")),
                w.meetings.len(),
                if meetings.is_empty() { String::new() } else { format!(": {}", meetings.join(", ")) },
                w.talks,
                w.talks_requested,
                w.diaries,
                if themes.is_empty() { String::new() } else { format!(" ({})", themes.join(", ")) },
                match self.months_filed {
                    0 => String::new(),
                    n => format!(" Monthly records filed for {n} months."),
                },
            ),
        });

        out.push(l("四、执行工作纪律情况", "4. Discipline").to_string());
        let absences = self.fact("inspection_absences");
        out.push(match (lang, absences > 0.0) {
            (Lang::Zh, false) => "督查未发现不在岗情况。".to_string(),
            (Lang::Zh, true) => format!("督查发现不在岗 {} 次。", points(absences)),
            (Lang::En, false) => "No absence found by inspections.".to_string(),
            (Lang::En, true) => format!("{} absences found by inspections.", points(absences)),
        });

        out.push(l("五、存在问题和不足", "5. Problems and shortcomings").to_string());
        if !self.shortfalls.is_empty() {
            let items: Vec<String> = self
                .shortfalls
                .iter()
                .map(|(code, name, lost)| {
                    format!(
                        "{code} {name}（{}{}{}）",
                        l("按记录扣 ", "records cost "),
                        points(*lost),
                        l(" 分", " points")
                    )
                })
                .collect();
            out.push(format!("{}{}", l("按记录统计：", "From the records: "), items.join(sep)));
        }
        out.push(l("六、下步工作打算及意见建议", "6. Next steps, opinions and suggestions").to_string());
        out.join("\n\n")
    }

    /// The 自查报告表: each item the engine scores, the points the records give so far, how,
    /// and the records behind them; then what the engine counted.
    pub fn self_check(&self, lang: Lang) -> String {
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let p = &self.posting;
        let known: BTreeMap<&str, &EvidenceRecord> = self.evidence.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut out = vec![
            format!("{} {}", self.year, l("年度履职情况自查报告表", "self-check report")),
            format!(
                "{}{} · {}{} · {}{}{} · {}{}",
                l("姓名：", "Name: "),
                p.secretary,
                l("派出单位：", "unit: "),
                p.unit,
                l("任职村：", "village: "),
                p.township,
                p.village,
                l("类别：", "mode: "),
                p.mode.label(lang),
            ),
            format!(
                "{}{} {}（{}{}/{} + {}{}）",
                l("自评组织评分：", "Organisation score by the records: "),
                points(self.projected.organisation_score),
                l("分", "points"),
                l("基本分 ", "base "),
                points(self.projected.base_parts),
                points(self.base_max),
                l("奖励分 ", "bonus "),
                points(self.projected.organisation_score - self.projected.base_parts),
            ),
        ];
        for line in &self.projected.lines {
            let mut evidence: Vec<String> = line
                .evidence
                .iter()
                .take(EVIDENCE_SHOWN)
                .map(|e| match known.get(e.as_str()) {
                    Some(r) => match r.date {
                        Some(d) => format!("{d} {}：{}", r.kind, r.summary),
                        None => format!("{}：{}", r.kind, r.summary),
                    },
                    None => e.clone(),
                })
                .collect();
            if line.evidence.len() > EVIDENCE_SHOWN {
                evidence.push(match lang {
                    Lang::Zh => format!("等共 {} 条记录", line.evidence.len()),
                    Lang::En => format!("and more: {} records in all", line.evidence.len()),
                });
            }
            out.push(format!(
                "{} {}：{} {}。{}{}{}",
                line.code,
                line.name,
                points(line.points),
                l("分", "points"),
                line.explanation.get(lang),
                l("。依据：", ". Evidence: "),
                if evidence.is_empty() {
                    l("待考核组核定", "for the assessors").to_string()
                } else {
                    evidence.join(l("；", "; "))
                },
            ));
        }
        let counted: Vec<String> = self
            .recorded
            .iter()
            .map(|(fact, v)| format!("{} {}", recorded_label(fact).get(lang), points(*v)))
            .collect();
        out.push(format!("{}{}", l("记录自动统计：", "Counted from the records: "), counted.join(l("；", "; "))));
        out.push(l("本人承诺以上情况属实。", "I confirm that the above is true.").to_string());
        out.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::evaluation::rules::Line;
    use crate::org::{PostingMode, PostingSource, RankClass};
    use crate::Msg;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn year() -> YearFacts {
        let posting = Posting {
            id: 1,
            secretary_id: 2,
            secretary: "王书记".into(),
            village_id: 3,
            village: "各大布村".into(),
            township: "峨山镇".into(),
            unit_id: 4,
            unit: "区交通运输局".into(),
            term_start: d("2026-03-01"),
            term_end: d("2027-02-28"),
            ended_on: None,
            mode: PostingMode::FullTime,
            source: PostingSource::DistrictOrgan,
            rank_class: RankClass::SectionChief,
            round: 1,
            assistant_name: None,
            current: true,
        };
        let work = WorkFacts {
            meetings: vec![(d("2026-11-03"), "两委工作例会".into(), "冬季防火".into())],
            visits: vec![
                (d("2026-11-05"), "张三".into(), vec!["安排就业".into()]),
                (d("2026-11-12"), "张三".into(), vec![]),
            ],
            practical: vec![(d("2026-09-01"), "争取物资资金".into(), "硬化道路".into(), 120_000)],
            research: vec![(d("2026-04-02"), "秸秆压块调研".into())],
            ..WorkFacts::default()
        };
        let line = |code: &str, points, evidence: Vec<String>| Line {
            code: code.into(),
            part: "D".into(),
            name: "调研报告".into(),
            points,
            explanation: Msg::new("已报送 1 篇", "1 filed"),
            evidence,
        };
        YearFacts {
            year: 2026,
            posting,
            work,
            recorded: [("days_in_village".to_string(), 180.0), ("days_required".to_string(), 200.0)].into(),
            projected: Score {
                rule_set: "jiaozhou".into(),
                version: 1,
                lines: vec![
                    line("D1.2", 4.0, vec!["r1".into()]),
                    line("D2", 5.0, vec![]),
                    line("D3", 8.0, (1..=7).map(|i| format!("会议{i}")).collect()),
                ],
                organisation_score: 92.0,
                base_parts: 88.0,
            },
            base_max: 100.0,
            shortfalls: vec![("D2".into(), "两委例会".into(), 3.0)],
            evidence: vec![EvidenceRecord {
                id: "r1".into(),
                kind: "调研报告".into(),
                date: Some(d("2026-04-02")),
                summary: "秸秆压块调研".into(),
            }],
            goals: vec![Goal { goal: "引进加工项目".into(), progress: "已签约".into() }],
            months_filed: 8,
        }
    }

    #[test]
    fn the_report_has_the_seeds_sections_filled_from_the_records_and_the_self_check_each_item_with_evidence() {
        let report = year().year_report(Lang::Zh);
        for line in [
            "王书记，区交通运输局选派，任峨山镇各大布村第一书记（脱产驻村）。",
            "任期目标：1. 引进加工项目（进展：已签约）",
            "入户走访 2 户次（张三 2），帮扶措施：安排就业 1。",
            "调研报告 1 篇。《秸秆压块调研》（2026-04-02）",
            "办理实事 1 件，涉及金额 120000 元：2026-09-01 争取物资资金：硬化道路（120000 元）",
            "驻村：在村 180 天（应在村 200 天）。会议 1 次：两委工作例会 1。",
            "月度工作纪实存档 8 个月。",
            "2026-09-01 争取物资资金：硬化道路（120000 元）",
            "督查未发现不在岗情况。",
            "按记录统计：D2 两委例会（按记录扣 3 分）",
        ] {
            assert!(report.contains(line), "{line} not in\n{report}");
        }
        let sections: Vec<&str> = ["一、", "二、", "三、", "四、", "五、", "六、"]
            .into_iter()
            .filter(|s| report.lines().any(|l| l.starts_with(s)))
            .collect();
        assert_eq!(sections.len(), 6, "§14's six sections");
        let check = year().self_check(Lang::Zh);
        assert!(check.contains("自评组织评分：92 分（基本分 88/100 + 奖励分 4）"), "{check}");
        assert!(check.contains("D1.2 调研报告：4 分。已报送 1 篇。依据：2026-04-02 调研报告：秸秆压块调研"), "{check}");
        assert!(check.contains("D2 调研报告：5 分。已报送 1 篇。依据：待考核组核定"), "{check}");
        assert!(check.contains("依据：会议1；会议2；会议3；会议4；会议5；等共 7 条记录"), "{check}");
        assert!(check.contains("在村天数"), "what the engine counted: {check}");
        assert!(year().year_report(Lang::En).contains("Practical matters"));
    }
}
