//! 月度工作纪实: a secretary's month, drafted from what the month's records already say (days in
//! the village, meetings and their topics, visits and the help given, talks, diary themes,
//! practical matters and their amounts, research), then edited and filed in one tap. Nothing
//! the records say is typed again: the same material is reported once
//! (《整治形式主义为基层减负若干规定》, `docs/burden.md`).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::field::RecordBody;
use crate::Lang;

/// What the month's records say, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthFacts {
    /// The month's first day.
    pub month: NaiveDate,
    /// Days in the village by the district's rule.
    pub days_in_village: usize,
    /// Date, the meeting's kind (its label), topics.
    pub meetings: Vec<(NaiveDate, String, String)>,
    /// Date, household, the help given (labels).
    pub visits: Vec<(NaiveDate, String, Vec<String>)>,
    pub talks: usize,
    /// Talks a villager asked for (约谈).
    pub talks_requested: usize,
    pub diaries: usize,
    /// Each diary tag and how many diaries carry it, most first.
    pub diary_tags: Vec<(String, usize)>,
    /// Date, kind (its label), title, yuan.
    pub practical: Vec<(NaiveDate, String, String, u64)>,
    pub research: Vec<String>,
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
        let mut f = MonthFacts { month: first_day(month), days_in_village, ..MonthFacts::default() };
        let mut tags: BTreeMap<String, usize> = BTreeMap::new();
        let mut records: Vec<(NaiveDate, &RecordBody)> =
            records.into_iter().filter(|(day, _)| first_day(*day) == f.month).collect();
        records.sort_by_key(|(day, _)| *day);
        for (day, body) in records {
            match body {
                RecordBody::Meeting(m) => f.meetings.push((day, m.kind.label(lang).into(), m.topics.clone())),
                RecordBody::Visit(v) => f.visits.push((
                    day,
                    household(v.household_id),
                    v.help.iter().map(|h| h.label(lang).to_string()).collect(),
                )),
                RecordBody::Talk(t) => {
                    f.talks += 1;
                    f.talks_requested += usize::from(t.requested_by_villager);
                }
                RecordBody::Diary(d) => {
                    f.diaries += 1;
                    for tag in &d.tags {
                        *tags.entry(tag.clone()).or_default() += 1;
                    }
                }
                RecordBody::Practical(p) => f.practical.push((day, p.kind.label(lang).into(), p.title.clone(), p.yuan)),
                RecordBody::Research(r) => f.research.push(r.title.clone()),
                RecordBody::CheckIn(_) | RecordBody::CheckOut(_) => {}
            }
        }
        f.diary_tags = tags.into_iter().collect();
        f.diary_tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        f
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
                    self.meetings.len(),
                    list(
                        self.meetings
                            .iter()
                            .map(|(d, k, t)| format!("{}月{}日{}，议题：{t}", d.month(), d.day(), k))
                            .collect()
                    )
                ));
                out.push(format!(
                    "三、结对帮扶：走访帮扶户 {} 户次。{}",
                    self.visits.len(),
                    list(
                        self.visits
                            .iter()
                            .map(|(d, h, help)| match help.is_empty() {
                                true => format!("{}月{}日走访{h}", d.month(), d.day()),
                                false => format!("{}月{}日走访{h}（{}）", d.month(), d.day(), help.join("、")),
                            })
                            .collect()
                    )
                ));
                let themes = self.diary_tags.iter().map(|(t, n)| format!("{t} {n} 篇")).collect::<Vec<_>>();
                out.push(format!(
                    "四、联系群众：谈心谈话 {} 次（其中群众约谈 {} 次）；民情日记 {} 篇{}。",
                    self.talks,
                    self.talks_requested,
                    self.diaries,
                    if themes.is_empty() { String::new() } else { format!("，主要涉及：{}", themes.join("、")) }
                ));
                let yuan: u64 = self.practical.iter().map(|p| p.3).sum();
                out.push(match self.practical.is_empty() {
                    true => "五、办理实事：本月无。".to_string(),
                    false => format!(
                        "五、办理实事：{} 件，涉及金额 {yuan} 元。{}",
                        self.practical.len(),
                        list(
                            self.practical
                                .iter()
                                .map(|(d, k, t, y)| format!("{}月{}日{k}：{t}（{y} 元）", d.month(), d.day()))
                                .collect()
                        )
                    ),
                });
                out.push(format!("六、调查研究：{}", list(self.research.clone())));
                out.push("七、存在问题和下月打算：".to_string());
            }
            Lang::En => {
                out.push(format!("Work record, {y}-{m:02}"));
                out.push(format!("1. In the village: {} days this month.", self.days_in_village));
                out.push(format!(
                    "2. Meetings: {}. {}",
                    self.meetings.len(),
                    list(self.meetings.iter().map(|(d, k, t)| format!("{d} {k}, topics: {t}")).collect())
                ));
                out.push(format!(
                    "3. Paired households: {} visits. {}",
                    self.visits.len(),
                    list(
                        self.visits
                            .iter()
                            .map(|(d, h, help)| match help.is_empty() {
                                true => format!("{d} {h}"),
                                false => format!("{d} {h} ({})", help.join(", ")),
                            })
                            .collect()
                    )
                ));
                let themes = self.diary_tags.iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>();
                out.push(format!(
                    "4. Villagers: {} talks ({} asked for by villagers); {} diaries{}.",
                    self.talks,
                    self.talks_requested,
                    self.diaries,
                    if themes.is_empty() { String::new() } else { format!(" ({})", themes.join(", ")) }
                ));
                let yuan: u64 = self.practical.iter().map(|p| p.3).sum();
                out.push(format!(
                    "5. Practical matters: {}, {yuan} yuan. {}",
                    self.practical.len(),
                    list(self.practical.iter().map(|(d, k, t, y)| format!("{d} {k}: {t} ({y} yuan)")).collect())
                ));
                out.push(format!("6. Research: {}", list(self.research.clone())));
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
        assert_eq!((f.talks, f.talks_requested, f.diaries), (1, 1, 3), "October's talk is not counted");
        assert_eq!(f.diary_tags, [("民生".to_string(), 3), ("产业".to_string(), 1)]);
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
