//! Records as rows for other systems (issue 13, report once): a workbook sheet per kind, its
//! columns documented in `docs/exports.md`, so no one copies records into another platform by
//! hand.

use crate::field::{RecordBody, RecordKind};
use crate::Lang;

/// The columns every kind's sheet starts with.
pub const COMMON: [&str; 7] = ["记录编号", "镇街", "村（社区）", "第一书记", "手机时间", "服务器收到", "在村核验"];

/// The columns that follow [`COMMON`] on a kind's sheet.
pub fn columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::CheckIn | RecordKind::CheckOut => &["纬度", "经度", "定位精度（米）", "离线记录", "不在村原因"],
        RecordKind::Diary => &["日期", "内容", "标签", "涉及帮扶户", "照片数"],
        RecordKind::Meeting => &["会议类型", "日期", "本人主持", "参会人数", "议题", "决定事项", "照片数"],
        RecordKind::Visit => &["帮扶户", "日期", "走访情况", "帮扶措施", "照片数"],
        RecordKind::Talk => &["谈话对象", "群众约谈", "日期", "谈话内容"],
        RecordKind::Research => &["题目", "正文", "附件"],
        RecordKind::Practical => &["类别", "日期", "事项", "金额（元）", "说明", "照片数"],
    }
}

/// A record's cells under [`columns`] of its kind; `household` names a household by id.
pub fn cells(body: &RecordBody, household: impl Fn(i64) -> String) -> Vec<String> {
    let yes = |b: bool| if b { "是" } else { "否" }.to_string();
    let zh = Lang::Zh;
    match body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => vec![
            format!("{:.6}", p.lat),
            format!("{:.6}", p.lon),
            format!("{:.0}", p.accuracy_m),
            yes(p.offline),
            p.note.clone().unwrap_or_default(),
        ],
        RecordBody::Diary(d) => vec![
            d.date.to_string(),
            d.text.clone(),
            d.tags.join("、"),
            d.households.iter().map(|h| household(*h)).collect::<Vec<_>>().join("、"),
            d.photos.len().to_string(),
        ],
        RecordBody::Meeting(m) => vec![
            m.kind.label(zh).to_string(),
            m.date.to_string(),
            yes(m.chaired),
            m.attendees.to_string(),
            m.topics.clone(),
            m.decisions.clone(),
            m.photos.len().to_string(),
        ],
        RecordBody::Visit(v) => vec![
            household(v.household_id),
            v.date.to_string(),
            v.notes.clone(),
            v.help.iter().map(|h| h.label(zh)).collect::<Vec<_>>().join("、"),
            v.photos.len().to_string(),
        ],
        RecordBody::Talk(t) => {
            vec![t.with.label(zh).to_string(), yes(t.requested_by_villager), t.date.to_string(), t.notes.clone()]
        }
        RecordBody::Research(r) => {
            vec![r.title.clone(), r.text.clone(), if r.file.is_some() { "已附文件" } else { "" }.to_string()]
        }
        RecordBody::Practical(p) => vec![
            p.kind.label(zh).to_string(),
            p.date.to_string(),
            p.title.clone(),
            p.yuan.to_string(),
            p.notes.clone(),
            p.photos.len().to_string(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{HelpKind, Visit};

    #[test]
    fn every_kind_fills_exactly_its_columns() {
        let visit = RecordBody::Visit(Visit {
            project_id: None,
            household_id: 7,
            date: "2026-11-24".parse().unwrap(),
            notes: "了解就业意愿".into(),
            help: vec![HelpKind::Job],
            photos: vec![],
            position: None,
        });
        let row = cells(&visit, |id| format!("户{id}"));
        assert_eq!(row.len(), columns(RecordKind::Visit).len());
        assert_eq!(row[0], "户7");
        assert_eq!(row[3], HelpKind::Job.label(Lang::Zh));
        let samples = [
            r#"{"kind":"check_in","body":{"village_id":1,"lat":34.7,"lon":117.5,"accuracy_m":10,"offline":true}}"#,
            r#"{"kind":"check_out","body":{"village_id":1,"lat":34.7,"lon":117.5,"accuracy_m":10,"offline":false}}"#,
            r#"{"kind":"diary","body":{"date":"2026-11-24","text":"x","households":[7]}}"#,
            r#"{"kind":"meeting","body":{"kind":"liang_wei_weekly","chaired":true,"date":"2026-11-24","attendees":9,"topics":"x"}}"#,
            r#"{"kind":"talk","body":{"with":"villager","requested_by_villager":true,"date":"2026-11-24","notes":"x"}}"#,
            r#"{"kind":"research","body":{"title":"x"}}"#,
            r#"{"kind":"practical","body":{"kind":"funds","date":"2026-11-24","title":"x","yuan":5000}}"#,
        ];
        for json in samples {
            let body: RecordBody = serde_json::from_str(json).unwrap();
            // The kind's code is the tag the phone sends and the column the server stores.
            assert_eq!(serde_json::to_value(&body).unwrap()["kind"], body.kind().code(), "{json}");
            assert_eq!(cells(&body, |_| String::new()).len(), columns(body.kind()).len(), "{json}");
        }
    }
}
