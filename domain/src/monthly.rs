//! 月度工作纪实: a secretary's month, drafted from what the month's records already say (days in
//! the village, meetings and their topics, visits and the help given, talks, diary themes,
//! practical matters and their amounts, research), then edited and filed in one tap. Nothing
//! the records say is typed again: the same material is reported once
//! (《整治形式主义为基层减负若干规定》, `docs/burden.md`).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::field::RecordBody;
use crate::work::WorkFacts;
use crate::Lang;

/// What the month's records say, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthFacts {
    /// The month's first day.
    pub month: NaiveDate,
    /// Days in the village by the district's rule.
    pub days_in_village: usize,
    pub work: WorkFacts,
}

impl MonthFacts {
    /// Counts the records about days of `month` (each with the day it is about); `household`
    /// names a household. Labels are in `lang`, as the filed text will be.
    pub fn gather<'a>(
        month: NaiveDate,
        days_in_village: usize,
        records: impl IntoIterator<Item = (NaiveDate, &'a RecordBody)>,
        household: impl Fn(i64) -> String,
        lang: Lang,
    ) -> MonthFacts {
        let first = first_day(month);
        let last = last_day(first);
        MonthFacts { month: first, days_in_village, work: WorkFacts::gather(first, last, records, household, lang) }
    }

    /// The draft, in the sections the filed record keeps; the last one is the secretary's own.
    pub fn draft(&self, lang: Lang) -> String {
        let (y, m) = (self.month.year(), self.month.month());
        let mut out = Vec::new();
        let none = lang.pick("本月无", "none this month");
        let list =
            |items: Vec<String>| if items.is_empty() { none.to_string() } else { items.join(lang.pick("；", "; ")) };
        match lang {
            Lang::Zh => {
                out.push(format!("{y}年{m}月工作纪实"));
                out.push(format!("一、驻村情况：本月在村 {} 天。", self.days_in_village));
                out.push(format!(
                    "二、会议：{} 次。{}",
                    self.work.meetings.len(),
                    list(
                        self.work
                            .meetings
                            .iter()
                            .map(|(d, k, t)| format!("{}月{}日{}，议题：{t}", d.month(), d.day(), k))
                            .collect()
                    )
                ));
                out.push(format!(
                    "三、结对帮扶：走访帮扶户 {} 户次。{}",
                    self.work.visits.len(),
                    list(
                        self.work
                            .visits
                            .iter()
                            .map(|(d, h, help)| match help.is_empty() {
                                true => format!("{}月{}日走访{h}", d.month(), d.day()),
                                false => format!("{}月{}日走访{h}（{}）", d.month(), d.day(), help.join("、")),
                            })
                            .collect()
                    )
                ));
                let themes = self.work.diary_tags.iter().map(|(t, n)| format!("{t} {n} 篇")).collect::<Vec<_>>();
                out.push(format!(
                    "四、联系群众：谈心谈话 {} 次（其中群众约谈 {} 次）；民情日记 {} 篇{}。",
                    self.work.talks,
                    self.work.talks_requested,
                    self.work.diaries,
                    if themes.is_empty() { String::new() } else { format!("，主要涉及：{}", themes.join("、")) }
                ));
                let yuan = self.work.yuan();
                out.push(match self.work.practical.is_empty() {
                    true => "五、办理实事：本月无。".to_string(),
                    false => format!(
                        "五、办理实事：{} 件，涉及金额 {yuan} 元。{}",
                        self.work.practical.len(),
                        list(
                            self.work
                                .practical
                                .iter()
                                .map(|(d, k, t, y)| format!("{}月{}日{k}：{t}（{y} 元）", d.month(), d.day()))
                                .collect()
                        )
                    ),
                });
                out.push(format!("六、调查研究：{}", list(self.work.research.iter().map(|r| r.1.clone()).collect())));
                out.push("七、存在问题和下月打算：".to_string());
            }
            Lang::En => {
                out.push(format!("Work record, {y}-{m:02}"));
                out.push(format!("1. In the village: {} days this month.", self.days_in_village));
                out.push(format!(
                    "2. Meetings: {}. {}",
                    self.work.meetings.len(),
                    list(self.work.meetings.iter().map(|(d, k, t)| format!("{d} {k}, topics: {t}")).collect())
                ));
                out.push(format!(
                    "3. Paired households: {} visits. {}",
                    self.work.visits.len(),
                    list(
                        self.work
                            .visits
                            .iter()
                            .map(|(d, h, help)| match help.is_empty() {
                                true => format!("{d} {h}"),
                                false => format!("{d} {h} ({})", help.join(", ")),
                            })
                            .collect()
                    )
                ));
                let themes = self.work.diary_tags.iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>();
                out.push(format!(
                    "4. Villagers: {} talks ({} asked for by villagers); {} diaries{}.",
                    self.work.talks,
                    self.work.talks_requested,
                    self.work.diaries,
                    if themes.is_empty() { String::new() } else { format!(" ({})", themes.join(", ")) }
                ));
                let yuan = self.work.yuan();
                out.push(format!(
                    "5. Practical matters: {}, {yuan} yuan. {}",
                    self.work.practical.len(),
                    list(self.work.practical.iter().map(|(d, k, t, y)| format!("{d} {k}: {t} ({y} yuan)")).collect())
                ));
                out.push(format!("6. Research: {}", list(self.work.research.iter().map(|r| r.1.clone()).collect())));
                out.push("7. Problems and next month's plans:".to_string());
            }
        }
        out.join("\n\n")
    }
}

/// A month of the secretary's: what the records say, and the text (the filed one, else the draft).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyDraft {
    pub facts: MonthFacts,
    pub text: String,
    /// When it was filed and last filed again; none while only drafted.
    pub filed: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// A filed month, as the township and the unit read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct MonthlyRecord {
    pub month: NaiveDate,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The first day of a day's month.
pub fn first_day(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of a day's month.
pub fn last_day(day: NaiveDate) -> NaiveDate {
    first_day(day).checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Diary, HelpKind, Meeting, MeetingKind, Practical, PracticalKind, Talk, TalkPartner, Visit};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_draft_says_what_the_months_records_say_and_nothing_of_other_months() {
        let meeting = RecordBody::Meeting(Meeting {
            position: None,
            kind: MeetingKind::LiangWeiWeekly,
            chaired: true,
            date: d("2026-11-03"),
            attendees: 9,
            topics: "冬季防火".into(),
            decisions: String::new(),
            photos: vec![],
        });
        let visit = RecordBody::Visit(Visit {
            project_id: None,
            position: None,
            household_id: 7,
            date: d("2026-11-05"),
            notes: "看望".into(),
            help: vec![HelpKind::Job],
            photos: vec![],
        });
        let diary = |tags: &[&str]| {
            RecordBody::Diary(Diary {
                position: None,
                date: d("2026-11-06"),
                text: "走访".into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                households: vec![],
                photos: vec![],
            })
        };
        let talk = RecordBody::Talk(Talk {
            position: None,
            with: TalkPartner::Villager,
            requested_by_villager: true,
            date: d("2026-11-07"),
            notes: "低保".into(),
        });
        let practical = RecordBody::Practical(Practical {
            project_id: None,
            position: None,
            kind: PracticalKind::Funds,
            date: d("2026-11-20"),
            title: "修路".into(),
            yuan: 50_000,
            notes: String::new(),
            photos: vec![],
        });
        let (a, b, c) = (diary(&["民生", "产业"]), diary(&["民生"]), diary(&["民生"]));
        let october = RecordBody::Talk(Talk {
            position: None,
            with: TalkPartner::Villager,
            requested_by_villager: false,
            date: d("2026-10-31"),
            notes: "上月".into(),
        });
        let records = [
            (d("2026-11-20"), &practical),
            (d("2026-11-03"), &meeting),
            (d("2026-11-05"), &visit),
            (d("2026-11-06"), &a),
            (d("2026-11-06"), &b),
            (d("2026-11-06"), &c),
            (d("2026-11-07"), &talk),
            (d("2026-10-31"), &october),
        ];
        let f = MonthFacts::gather(d("2026-11-17"), 18, records, |id| format!("户{id}"), Lang::Zh);
        assert_eq!(f.month, d("2026-11-01"));
        assert_eq!((f.work.talks, f.work.talks_requested, f.work.diaries), (1, 1, 3), "October's talk is not counted");
        assert_eq!(f.work.diary_tags, [("民生".to_string(), 3), ("产业".to_string(), 1)]);
        let text = f.draft(Lang::Zh);
        for line in [
            "2026年11月工作纪实",
            "本月在村 18 天",
            "会议：1 次。11月3日两委工作例会，议题：冬季防火",
            "走访帮扶户 1 户次。11月5日走访户7（安排就业）",
            "谈心谈话 1 次（其中群众约谈 1 次）；民情日记 3 篇，主要涉及：民生 3 篇、产业 1 篇",
            "办理实事：1 件，涉及金额 50000 元",
            "六、调查研究：本月无",
        ] {
            assert!(text.contains(line), "{line} not in\n{text}");
        }
    }
}
