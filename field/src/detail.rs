//! A record in full, as it was recorded: every field, the households by name, the photos, and
//! for a check-in where it was made (the distance from the village centre) and both clocks.

use domain::field::{PhotoHash, RecordBody, Verdict};
use domain::sync::LocalRecord;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::home::clock;
use crate::records::state_label;
use crate::state::{use_field, Field};

/// The head of a paired household by id, or the id where the phone does not know it.
pub fn household_name(field: &Field, id: i64) -> String {
    field
        .reference
        .with_untracked(|r| {
            r.as_ref().and_then(|r| r.households.iter().find(|h| h.id == id)).map(|h| h.head_name.clone())
        })
        .unwrap_or_else(|| format!("#{id}"))
}

/// One labelled line of the record; nothing when the value is empty.
fn row(label: &'static str, value: String) -> AnyView {
    (!value.is_empty())
        .then(|| {
            view! {
                <dt>{label}</dt>
                <dd>{value}</dd>
            }
        })
        .into_any()
}

#[component]
pub fn RecordDetail(record: LocalRecord) -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    let t = move |zh, en| field.t(zh, en);
    let names = |ids: &[i64]| ids.iter().map(|id| household_name(&field, *id)).collect::<Vec<_>>().join("、");
    let (rows, photos): (Vec<AnyView>, Vec<PhotoHash>) = match &record.envelope.body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => {
            let distance = field.distance_m(p.lat, p.lon).map(|d| format!("{d:.0} m")).unwrap_or_default();
            // The server's verdict once synced, before that the phone's own estimate.
            let verdict = match record.verdict {
                Some(Verdict::Verified) => t("在村范围内", "Inside the village"),
                Some(Verdict::Review) => t("不在村范围，待镇街核实", "Outside the village, to be reviewed"),
                None => "",
            };
            (
                vec![
                    row(t("核验", "Verdict"), verdict.to_string()),
                    row(t("距村中心", "From the village centre"), distance),
                    row(t("定位精度", "Reported accuracy"), format!("±{:.0} m", p.accuracy_m)),
                    row(t("坐标", "Coordinates"), format!("{:.5}, {:.5}", p.lat, p.lon)),
                    row(t("网络", "Network"), if p.offline { t("离线时签到", "Made offline") } else { "" }.to_string()),
                    row(t("不在村原因", "Why outside"), p.note.clone().unwrap_or_default()),
                ],
                p.photo.iter().cloned().collect(),
            )
        }
        RecordBody::Diary(d) => (
            vec![
                row(t("日期", "Date"), d.date.to_string()),
                row(t("内容", "Text"), d.text.clone()),
                row(t("标签", "Tags"), d.tags.join("、")),
                row(t("涉及帮扶户", "Households"), names(&d.households)),
            ],
            d.photos.clone(),
        ),
        RecordBody::Meeting(m) => (
            vec![
                row(t("会议", "Meeting"), m.kind.label(lang).to_string()),
                row(t("日期", "Date"), m.date.to_string()),
                row(
                    t("主持", "Chaired"),
                    if m.chaired { t("本人主持", "Chaired by me") } else { t("参加", "Attended") }.to_string(),
                ),
                row(t("参会人数", "Attendees"), m.attendees.to_string()),
                row(t("议题", "Topics"), m.topics.clone()),
                row(t("决定事项", "Decisions"), m.decisions.clone()),
            ],
            m.photos.clone(),
        ),
        RecordBody::Visit(v) => (
            vec![
                row(t("帮扶户", "Household"), household_name(&field, v.household_id)),
                row(t("日期", "Date"), v.date.to_string()),
                row(t("走访情况", "Notes"), v.notes.clone()),
                row(t("帮扶措施", "Help given"), v.help.iter().map(|h| h.label(lang)).collect::<Vec<_>>().join("、")),
            ],
            v.photos.clone(),
        ),
        RecordBody::Talk(k) => (
            vec![
                row(t("谈话对象", "With"), k.with.label(lang).to_string()),
                row(t("日期", "Date"), k.date.to_string()),
                row(
                    t("群众约谈", "Asked for by a villager"),
                    if k.requested_by_villager { t("是", "Yes") } else { "" }.to_string(),
                ),
                row(t("谈话内容", "Notes"), k.notes.clone()),
            ],
            Vec::new(),
        ),
        RecordBody::Research(r) => (
            vec![
                row(t("题目", "Title"), r.title.clone()),
                row(t("正文", "Text"), r.text.clone()),
                row(
                    t("附件", "Attached file"),
                    if r.file.is_some() { t("已附文件", "Attached") } else { "" }.to_string(),
                ),
            ],
            Vec::new(),
        ),
        RecordBody::Practical(p) => (
            vec![
                row(t("类别", "Kind"), p.kind.label(lang).to_string()),
                row(t("日期", "Date"), p.date.to_string()),
                row(t("事项", "What"), p.title.clone()),
                row(t("金额（元）", "Amount (yuan)"), if p.yuan > 0 { p.yuan.to_string() } else { String::new() }),
                row(t("说明", "Notes"), p.notes.clone()),
            ],
            p.photos.clone(),
        ),
    };
    // A work record made with the phone's position: where, and whether in the village.
    let place = match (&record.envelope.body, record.envelope.body.position()) {
        (RecordBody::CheckIn(_) | RecordBody::CheckOut(_), _) | (_, None) => None,
        (_, Some(p)) => {
            let distance = field.distance_m(p.lat, p.lon).map(|d| format!("{d:.0} m")).unwrap_or_default();
            let inside = match record.verdict {
                Some(Verdict::Verified) => t("（在村范围内）", " (inside the village)"),
                Some(Verdict::Review) => t("（不在村范围）", " (outside the village)"),
                None => "",
            };
            Some(row(
                t("记录位置", "Recorded at"),
                format!("{}{distance} ±{:.0} m{inside}", t("距村中心 ", ""), p.accuracy_m),
            ))
        }
    };
    let received = record.synced_at.map(clock).unwrap_or_else(|| t("尚未收到", "Not yet").to_string());
    view! {
        <dl class="facts detail" aria-label=t("记录内容", "The record")>
            {row(t("状态", "State"), state_label(&record, lang).to_string())}
            {rows}
            {place}
            {row(t("手机时间", "Phone time"), clock(record.envelope.device_time))}
            {row(t("服务器收到", "Received"), received)}
        </dl>
        {(!photos.is_empty())
            .then(|| {
                view! {
                    <ul class="thumbs plain" aria-label=t("照片", "Photos")>
                        {photos
                            .into_iter()
                            .map(|hash| {
                                view! {
                                    <li>
                                        <Thumb hash />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}

/// A photo: the phone's copy while it has one (not uploaded yet), else the server's. A blob
/// address made for the phone's copy is given back when the view goes, also if it goes first.
#[component]
fn Thumb(hash: PhotoHash) -> impl IntoView {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let field = use_field();
    let src = RwSignal::new(None::<String>);
    let gone = Arc::new(AtomicBool::new(false));
    let revoke = |url: &str| {
        if url.starts_with("blob:") {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    };
    spawn_local({
        let gone = gone.clone();
        async move {
            let local = crate::store::photo(&hash)
                .await
                .ok()
                .flatten()
                .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok());
            let url = local.unwrap_or_else(|| format!("/photos/{hash}"));
            if gone.load(Ordering::Relaxed) {
                revoke(&url);
            } else {
                src.set(Some(url));
            }
        }
    });
    on_cleanup(move || {
        gone.store(true, Ordering::Relaxed);
        if let Some(url) = src.try_get_untracked().flatten() {
            revoke(&url);
        }
    });
    view! { <img src=move || src.get() alt=field.t("记录照片", "Photo of the record") loading="lazy" /> }
}
