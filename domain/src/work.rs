//! What a period's work records say, counted once for every report drafted from them (the
//! month's 月度工作纪实, the year's 述职报告): the same material is reported once
//! (《整治形式主义为基层减负若干规定》, `docs/burden.md`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field::RecordBody;
use crate::Lang;

/// The work records of a period, counted. Labels are in the language the report is drafted in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkFacts {
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
    /// Date, title.
    pub research: Vec<(NaiveDate, String)>,
}

impl WorkFacts {
    /// Counts the records about days from `first` to `last` (each with the day it is about);
    /// `household` names a household. Check-ins and check-outs are attendance, not work.
    pub fn gather<'a>(
        first: NaiveDate,
        last: NaiveDate,
        records: impl IntoIterator<Item = (NaiveDate, &'a RecordBody)>,
        household: impl Fn(i64) -> String,
        lang: Lang,
    ) -> WorkFacts {
        let mut f = WorkFacts::default();
        let mut tags: BTreeMap<String, usize> = BTreeMap::new();
        let mut records: Vec<(NaiveDate, &RecordBody)> =
            records.into_iter().filter(|(day, _)| (first..=last).contains(day)).collect();
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
                RecordBody::Research(r) => f.research.push((day, r.title.clone())),
                RecordBody::CheckIn(_) | RecordBody::CheckOut(_) => {}
            }
        }
        f.diary_tags = tags.into_iter().collect();
        f.diary_tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        f
    }

    /// The practical matters' money, yuan.
    pub fn yuan(&self) -> u64 {
        self.practical.iter().map(|p| p.3).sum()
    }

    /// How many meetings of each kind, most first.
    pub fn meetings_by_kind(&self) -> Vec<(String, usize)> {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, kind, _) in &self.meetings {
            *by.entry(kind).or_default() += 1;
        }
        let mut out: Vec<(String, usize)> = by.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The households visited, each with how many visits, in the order first visited.
    pub fn households_visited(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for (_, h, _) in &self.visits {
            match out.iter_mut().find(|(name, _)| name == h) {
                Some((_, n)) => *n += 1,
                None => out.push((h.clone(), 1)),
            }
        }
        out
    }

    /// Each kind of help given on visits, with how often, most first.
    pub fn help_given(&self) -> Vec<(String, usize)> {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for help in self.visits.iter().flat_map(|v| &v.2) {
            *by.entry(help).or_default() += 1;
        }
        let mut out: Vec<(String, usize)> = by.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}
