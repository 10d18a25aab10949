//! Recording one thing: a form per kind, saved as a draft or submitted to the queue. A
//! record keeps its id through edits until the server has it.

use chrono::NaiveDate;
use domain::burden::Effort;
use domain::calendar::DayEvidence;
use domain::field::{
    Diary, Envelope, HelpKind, Meeting, MeetingKind, Position, Practical, PracticalKind, RecordBody, RecordKind,
    Research, Talk, TalkPartner, Verdict, Visit,
};
use domain::sync::{LocalRecord, SyncState};
use domain::{Lang, Msg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::detail::RecordDetail;
use crate::home::Notice;
use crate::state::{local_day, now, use_field, Field};
use crate::{go, media, store, sync};

/// 民情日记 tags offered on the form.
const TAGS: [(&str, &str); 7] = [
    ("民生", "Livelihood"),
    ("产业发展", "Industry"),
    ("矛盾隐患", "Disputes and risks"),
    ("党建", "Party building"),
    ("基础设施", "Infrastructure"),
    ("乡村治理", "Village governance"),
    ("其他", "Other"),
];

/// Every field any kind has, as typed on the form.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    date: String,
    text: String,
    title: String,
    tags: Vec<String>,
    households: Vec<i64>,
    household: String,
    /// The assistance project a visit or a practical matter served (an id, or empty).
    project: String,
    meeting_kind: String,
    chaired: bool,
    attendees: String,
    topics: String,
    decisions: String,
    help: Vec<HelpKind>,
    with: String,
    requested: bool,
    photos: Vec<String>,
    file: Option<String>,
    practical_kind: String,
    yuan: String,
    /// A work record's position, when one is attached.
    position: Option<Position>,
}

impl Form {
    fn new(today: NaiveDate) -> Form {
        Form {
            date: today.to_string(),
            meeting_kind: MeetingKind::LiangWeiWeekly.code().into(),
            chaired: true,
            with: TalkPartner::Villager.code().into(),
            practical_kind: PracticalKind::Funds.code().into(),
            ..Form::default()
        }
    }

    fn from_body(body: &RecordBody) -> Form {
        let mut f = Form::new(local_day(now()));
        if !matches!(body, RecordBody::CheckIn(_) | RecordBody::CheckOut(_)) {
            f.position = body.position();
        }
        match body {
            RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => {
                f.photos = p.photo.iter().cloned().collect();
                f.text = p.note.clone().unwrap_or_default();
            }
            RecordBody::Diary(d) => {
                f.date = d.date.to_string();
                f.text = d.text.clone();
                f.tags = d.tags.clone();
                f.households = d.households.clone();
                f.photos = d.photos.clone();
            }
            RecordBody::Meeting(m) => {
                f.date = m.date.to_string();
                f.meeting_kind = m.kind.code().into();
                f.chaired = m.chaired;
                // A draft saved without a number keeps 0: show it empty again.
                f.attendees = if m.attendees == 0 { String::new() } else { m.attendees.to_string() };
                f.topics = m.topics.clone();
                f.decisions = m.decisions.clone();
                f.photos = m.photos.clone();
            }
            RecordBody::Visit(v) => {
                f.date = v.date.to_string();
                f.household = if v.household_id == 0 { String::new() } else { v.household_id.to_string() };
                f.project = v.project_id.map(|p| p.to_string()).unwrap_or_default();
                f.text = v.notes.clone();
                f.help = v.help.clone();
                f.photos = v.photos.clone();
            }
            RecordBody::Talk(t) => {
                f.date = t.date.to_string();
                f.with = t.with.code().into();
                f.requested = t.requested_by_villager;
                f.text = t.notes.clone();
            }
            RecordBody::Research(r) => {
                f.title = r.title.clone();
                f.text = r.text.clone();
                f.file = r.file.clone();
            }
            RecordBody::Practical(p) => {
                f.practical_kind = p.kind.code().into();
                f.project = p.project_id.map(|p| p.to_string()).unwrap_or_default();
                f.date = p.date.to_string();
                f.title = p.title.clone();
                f.yuan = if p.yuan == 0 { String::new() } else { p.yuan.to_string() };
                f.text = p.notes.clone();
                f.photos = p.photos.clone();
            }
        }
        f
    }

    /// The typed record. `previous` keeps what the form does not show (a check-in's position).
    fn to_body(&self, kind: RecordKind, previous: Option<&RecordBody>) -> Result<RecordBody, Msg> {
        let date = || self.date.parse::<NaiveDate>().map_err(|_| Msg::new("请填写日期", "please enter the date"));
        Ok(match kind {
            RecordKind::CheckIn | RecordKind::CheckOut => {
                let mut body =
                    previous.cloned().ok_or_else(|| Msg::new("请从首页签到", "check in from the home screen"))?;
                if let RecordBody::CheckIn(p) | RecordBody::CheckOut(p) = &mut body {
                    p.photo = self.photos.first().cloned();
                    p.note = Some(self.text.trim().to_string()).filter(|t| !t.is_empty());
                }
                body
            }
            RecordKind::Diary => RecordBody::Diary(Diary {
                position: self.position,
                date: date()?,
                text: self.text.clone(),
                tags: self.tags.clone(),
                households: self.households.clone(),
                photos: self.photos.clone(),
            }),
            RecordKind::Meeting => RecordBody::Meeting(Meeting {
                position: self.position,
                kind: MeetingKind::parse(&self.meeting_kind).unwrap_or(MeetingKind::LiangWeiWeekly),
                chaired: self.chaired,
                date: date()?,
                attendees: self
                    .attendees
                    .trim()
                    .parse()
                    .map_err(|_| Msg::new("请填写参会人数", "please enter the number of attendees"))?,
                topics: self.topics.clone(),
                decisions: self.decisions.clone(),
                photos: self.photos.clone(),
            }),
            RecordKind::Visit => RecordBody::Visit(Visit {
                project_id: self.project.parse().ok(),
                position: self.position,
                household_id: self
                    .household
                    .parse()
                    .map_err(|_| Msg::new("请选择帮扶户", "please choose the household"))?,
                date: date()?,
                notes: self.text.clone(),
                help: self.help.clone(),
                photos: self.photos.clone(),
            }),
            RecordKind::Talk => RecordBody::Talk(Talk {
                position: self.position,
                with: TalkPartner::parse(&self.with).unwrap_or(TalkPartner::Villager),
                requested_by_villager: self.requested,
                date: date()?,
                notes: self.text.clone(),
            }),
            RecordKind::Practical => RecordBody::Practical(Practical {
                project_id: self.project.parse().ok(),
                position: self.position,
                kind: PracticalKind::parse(&self.practical_kind).unwrap_or(PracticalKind::Other),
                date: date()?,
                title: self.title.clone(),
                yuan: match self.yuan.trim() {
                    "" => 0,
                    y => y.parse().map_err(|_| Msg::new("金额应为整数（元）", "the amount is whole yuan"))?,
                },
                notes: self.text.clone(),
                photos: self.photos.clone(),
            }),
            RecordKind::Research => RecordBody::Research(Research {
                title: self.title.clone(),
                text: self.text.clone(),
                file: self.file.clone(),
            }),
        })
    }
}

fn value(ev: &leptos::ev::Event) -> String {
    event_target_value(ev)
}

fn checked(ev: &leptos::ev::Event) -> bool {
    event_target_checked(ev)
}

/// A labelled single-line or multi-line text box bound to one field of the form.
macro_rules! text_box {
    ($form:ident, $label:expr, $field:ident, textarea) => {
        view! {
            <label>{$label}
                <textarea rows="5" prop:value=move || $form.with(|f| f.$field.clone())
                    on:input=move |ev| $form.update(|f| f.$field = value(&ev))></textarea>
            </label>
        }
    };
    ($form:ident, $label:expr, $field:ident, $type:literal) => {
        view! {
            <label>{$label}
                <input type=$type prop:value=move || $form.with(|f| f.$field.clone())
                    on:input=move |ev| $form.update(|f| f.$field = value(&ev)) />
            </label>
        }
    };
}

#[component]
pub fn RecordForm(kind: RecordKind, existing: Option<LocalRecord>) -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    if existing.as_ref().is_some_and(|r| !r.is_editable()) {
        return view! { <ReadOnly record=existing.unwrap_or_else(|| unreachable!()) /> }.into_any();
    }
    let form = RwSignal::new(
        existing.as_ref().map(|r| Form::from_body(&r.envelope.body)).unwrap_or_else(|| Form::new(local_day(now()))),
    );
    let open = existing.as_ref().map(|r| r.envelope.id.clone());
    field.editing.set(open.clone());
    on_cleanup(move || {
        field.editing.update(|e| {
            if *e == open {
                *e = None
            }
        })
    });
    let existing = StoredValue::new(existing);
    let busy = RwSignal::new(false);
    // What this form costs the secretary: the time it is open and the fields filled in (a
    // group of tick boxes is one field), sent with the record (`domain::burden`).
    let opened = now();
    let touched = StoredValue::new_local(Vec::<web_sys::Element>::new());
    let touch = move |ev: leptos::ev::Event| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let field = el.closest("fieldset").ok().flatten().unwrap_or(el);
        touched.update_value(|t| {
            if !t.contains(&field) {
                t.push(field)
            }
        });
    };
    let submit = move |queue: bool| {
        busy.set(true);
        let fields = touched.with_value(|t| u16::try_from(t.len()).unwrap_or(u16::MAX));
        let effort = Effort::timed(opened, now(), fields);
        spawn_local(async move {
            let outcome = save(field, kind, existing.get_value(), form.get_untracked(), queue, effort).await;
            busy.set(false);
            match outcome {
                Ok(msg) => {
                    go("");
                    field.say(true, msg);
                }
                Err(m) => field.say(false, m),
            }
        });
    };
    let title = kind.label(lang);
    let households = move || field.reference.with(|r| r.as_ref().map(|r| r.households.clone()).unwrap_or_default());
    let fields = match kind {
        RecordKind::CheckIn | RecordKind::CheckOut => {
            let outside = existing.with_value(|e| e.as_ref().is_some_and(|r| r.verdict == Some(Verdict::Review)));
            view! {
                <p>{existing.with_value(|e| e.as_ref().map(|r| position(&r.envelope.body, lang)))}</p>
                // Told by the notice above; the township reads the reason when it reviews.
                {outside
                    .then(|| {
                        text_box!(
                            form, field.t("不在村范围的原因（选填）", "Why outside the village (optional)"), text, textarea
                        )
                    })}
                <Photos form single=true />
            }
            .into_any()
        }
        RecordKind::Diary => view! {
            {text_box!(form, field.t("日期", "Date"), date, "date")}
            {text_box!(form, field.t("日记内容", "Diary text"), text, textarea)}
            <fieldset>
                <legend>{field.t("标签", "Tags")}</legend>
                {TAGS
                    .iter()
                    .map(|(zh, en)| {
                        let tag = zh.to_string();
                        let t2 = tag.clone();
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || form.with(|f| f.tags.contains(&tag))
                                    on:change=move |ev| {
                                        let on = checked(&ev);
                                        let t = t2.clone();
                                        form.update(|f| {
                                            f.tags.retain(|x| *x != t);
                                            if on {
                                                f.tags.push(t)
                                            }
                                        })
                                    }
                                />
                                {lang.pick(zh, en)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset>
                <legend>{field.t("涉及帮扶户", "Households concerned")}</legend>
                {move || {
                    households()
                        .into_iter()
                        .map(|h| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || form.with(|f| f.households.contains(&h.id))
                                        on:change=move |ev| {
                                            let on = checked(&ev);
                                            form.update(|f| {
                                                f.households.retain(|x| *x != h.id);
                                                if on {
                                                    f.households.push(h.id)
                                                }
                                            })
                                        }
                                    />
                                    {h.head_name.clone()}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </fieldset>
            <Photos form single=false />
        }
        .into_any(),
        RecordKind::Meeting => view! {
            <label>
                {field.t("会议类型", "Kind of meeting")}
                <select
                    prop:value=move || form.with(|f| f.meeting_kind.clone())
                    on:change=move |ev| form.update(|f| f.meeting_kind = value(&ev))
                >
                    {MeetingKind::ALL
                        .iter()
                        .map(|m| view! { <option value=m.code()>{m.label(lang)}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || form.with(|f| f.chaired)
                    on:change=move |ev| form.update(|f| f.chaired = checked(&ev))
                />
                {field.t("由我主持", "Chaired by me")}
            </label>
            {text_box!(form, field.t("日期", "Date"), date, "date")}
            {text_box!(form, field.t("参会人数", "Attendees"), attendees, "number")}
            {text_box!(form, field.t("议题", "Topics"), topics, textarea)}
            {text_box!(form, field.t("决定事项", "Decisions"), decisions, textarea)}
            {field
                .reference
                .with_untracked(|r| r.as_ref().is_some_and(|r| r.meeting_photo_required))
                .then(|| {
                    view! {
                        <p class="hint">
                            {field
                                .t(
                                    "本区要求会议记录附签到表照片（区组织部的决定）",
                                    "Your district requires a photo of the sign-in sheet",
                                )}
                        </p>
                    }
                })}
            <Photos form single=false />
        }
        .into_any(),
        RecordKind::Visit => view! {
            <label>
                {field.t("帮扶户", "Household")}
                <select
                    prop:value=move || form.with(|f| f.household.clone())
                    on:change=move |ev| form.update(|f| f.household = value(&ev))
                >
                    <option value="">{field.t("请选择", "Choose")}</option>
                    {move || {
                        households()
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <option value=h
                                        .id
                                        .to_string()>{format!("{}（{}）", h.head_name, h.address)}</option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {text_box!(form, field.t("日期", "Date"), date, "date")}
            {text_box!(form, field.t("走访记录", "Visit notes"), text, textarea)}
            <fieldset>
                <legend>{field.t("帮扶措施", "Help given")}</legend>
                {HelpKind::ALL
                    .iter()
                    .map(|h| {
                        let h = *h;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || form.with(|f| f.help.contains(&h))
                                    on:change=move |ev| {
                                        let on = checked(&ev);
                                        form.update(|f| {
                                            f.help.retain(|x| *x != h);
                                            if on {
                                                f.help.push(h)
                                            }
                                        })
                                    }
                                />
                                {h.label(lang)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <ProjectChoice form />
            <Photos form single=false />
        }
        .into_any(),
        RecordKind::Talk => view! {
            <label>
                {field.t("谈话对象", "Talked with")}
                <select
                    prop:value=move || form.with(|f| f.with.clone())
                    on:change=move |ev| form.update(|f| f.with = value(&ev))
                >
                    {TalkPartner::ALL
                        .iter()
                        .map(|t| view! { <option value=t.code()>{t.label(lang)}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || form.with(|f| f.requested)
                    on:change=move |ev| form.update(|f| f.requested = checked(&ev))
                />
                {field.t("群众主动约谈", "Requested by the villager")}
            </label>
            {text_box!(form, field.t("日期", "Date"), date, "date")}
            {text_box!(form, field.t("谈话记录", "Talk notes"), text, textarea)}
        }
        .into_any(),
        RecordKind::Practical => view! {
            <label>
                {field.t("实事类别", "Kind")}
                <select
                    prop:value=move || form.with(|f| f.practical_kind.clone())
                    on:change=move |ev| form.update(|f| f.practical_kind = value(&ev))
                >
                    {PracticalKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.code()>{k.label(lang)}</option> })
                        .collect_view()}
                </select>
            </label>
            {text_box!(form, field.t("日期", "Date"), date, "date")}
            {text_box!(form, field.t("实事名称", "What was done"), title, "text")}
            {text_box!(form, field.t("金额（元）", "Amount (yuan)"), yuan, "number")}
            {text_box!(form, field.t("说明", "Notes"), text, textarea)}
            <ProjectChoice form />
            <Photos form single=false />
        }
        .into_any(),
        RecordKind::Research => view! {
            {text_box!(form, field.t("报告标题", "Title"), title, "text")}
            {text_box!(form, field.t("报告内容", "Report text"), text, textarea)}
            <Attachment form />
        }
        .into_any(),
    };
    view! {
        <h1>{title}</h1>
        <Notice />
        {existing
            .with_value(|e| e.as_ref().and_then(|r| r.error.clone()))
            .map(|m| {
                view! {
                    <p class="error" role="alert">
                        {field.t("服务器退回：", "Refused by the server: ")}
                        {m.get(lang).to_string()}
                    </p>
                }
            })}
        <form
            class="card record"
            on:submit=move |ev| {
                ev.prevent_default();
                submit(true)
            }
            on:input=touch
            on:change=touch
        >
            {fields}
            {(!kind.is_presence() && kind != RecordKind::Research)
                .then(|| view! { <PositionField form fresh=existing.with_value(Option::is_none) /> })}
            <div class="actions">
                <button type="submit" disabled=move || busy.get()>
                    {field.t("提交", "Submit")}
                </button>
                {(!kind.is_presence())
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                disabled=move || busy.get()
                                on:click=move |_| submit(false)
                            >
                                {field.t("存草稿", "Save draft")}
                            </button>
                        }
                    })}
                // A check-in is stored the moment it is made: leaving its photo page keeps it.
                <a href="#">
                    {if kind.is_presence() {
                        field.t("不加照片，返回首页", "Back, without a photo")
                    } else {
                        field.t("取消", "Cancel")
                    }}
                </a>
            </div>
        </form>
    }
    .into_any()
}

/// A work record's position: taken when a new form opens (nothing waits for it) and attached
/// unless the secretary unticks it. Offered only where the district counts a record made in the
/// village as a day there; a record without one is as valid.
#[component]
fn PositionField(form: RwSignal<Form>, fresh: bool) -> impl IntoView {
    let field = use_field();
    let counts =
        field.reference.with_untracked(|r| r.as_ref().map(|r| r.day_rule.evidence)) == Some(DayEvidence::AnyLocated);
    let attach = RwSignal::new(fresh || form.with_untracked(|f| f.position.is_some()));
    let failed = RwSignal::new(false);
    let ask = move || {
        failed.set(false);
        spawn_local(async move {
            // The form may have been left meanwhile: its signals are gone, and so is the fix.
            match media::locate().await {
                Ok(fix) if attach.try_get_untracked() == Some(true) => {
                    let at = Position { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
                    form.try_update(|f| f.position = Some(at));
                }
                Ok(_) => {}
                Err(_) => {
                    failed.try_set(true);
                }
            }
        });
    };
    if counts && fresh {
        ask();
    }
    let status = move || match (form.with(|f| f.position), attach.get(), failed.get()) {
        (Some(p), _, _) => match field.distance_m(p.lat, p.lon) {
            Some(d) => {
                format!("{}{d:.0} m（±{:.0} m）", field.t("已附位置：距村中心 ", "Position attached: "), p.accuracy_m)
            }
            None => field.t("已附位置", "Position attached").to_string(),
        },
        (None, false, _) => String::new(),
        (None, true, true) => field.t("未能定位，不影响保存", "No position: the record saves without one").to_string(),
        (None, true, false) => field.t("正在定位…", "Finding the position…").to_string(),
    };
    counts.then(|| {
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || attach.get()
                    on:change=move |ev| {
                        let on = checked(&ev);
                        attach.set(on);
                        if on { ask() } else { form.update(|f| f.position = None) }
                    }
                />
                {field
                    .t(
                        "附上当前位置（计入在村天数，选填）",
                        "Attach my position (counts as a day in the village; optional)",
                    )}
            </label>
            <p class="hint" data-testid="position" aria-live="polite">
                {status}
            </p>
        }
    })
}

/// The assistance project a visit or a practical matter served: offered when the posting has
/// approved projects; its progress is then counted from the record (no second form).
#[component]
fn ProjectChoice(form: RwSignal<Form>) -> impl IntoView {
    let field = use_field();
    let projects = field.reference.with_untracked(|r| r.as_ref().map(|r| r.projects.clone()).unwrap_or_default());
    (!projects.is_empty()).then(|| {
        view! {
            <label>
                {field.t("关联帮扶项目（选填）", "Assistance project (optional)")}
                <select
                    prop:value=move || form.with(|f| f.project.clone())
                    on:change=move |ev| form.update(|f| f.project = value(&ev))
                >
                    <option value="">{field.t("不关联", "None")}</option>
                    {projects
                        .into_iter()
                        .map(|(id, title)| view! { <option value=id.to_string()>{title}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    })
}

fn position(body: &RecordBody, lang: Lang) -> String {
    match body {
        RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => {
            format!("{} {:.5}, {:.5} (±{:.0} m)", lang.pick("位置", "Position"), p.lat, p.lon, p.accuracy_m)
        }
        _ => String::new(),
    }
}

/// Saves the form: as a draft (no checks), or to the queue after the server's checks. `effort`
/// is this opening's, added to what earlier drafts of the record cost.
async fn save(
    field: Field,
    kind: RecordKind,
    existing: Option<LocalRecord>,
    form: Form,
    queue: bool,
    effort: Effort,
) -> Result<Msg, Msg> {
    // Synced while the form was open: the server's copy is what counts now. Unchanged, that
    // is simply done; a change can no longer be made.
    if let Some(current) = existing.as_ref().and_then(|r| field.record(&r.envelope.id)).filter(|r| !r.is_editable()) {
        return if form.to_body(kind, Some(&current.envelope.body)).ok().as_ref() == Some(&current.envelope.body) {
            Ok(Msg::new("已同步", "Synced"))
        } else {
            Err(Msg::new(
                "该记录已同步，不能再修改",
                "this record has been synced meanwhile and can no longer be changed",
            ))
        };
    }
    let previous = existing.as_ref().map(|r| &r.envelope.body);
    let body = match form.to_body(kind, previous) {
        Ok(b) => b,
        Err(m) if queue => return Err(m),
        // A draft may be unfinished: keep what can be kept.
        Err(_) => {
            Form { attendees: "0".into(), household: "0".into(), date: local_day(now()).to_string(), ..form.clone() }
                .to_body(kind, previous)?
        }
    };
    let envelope = Envelope {
        id: existing.as_ref().map(|r| r.envelope.id.clone()).unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        // A check-in keeps the moment it was made; other records the moment they are saved.
        device_time: match (&existing, kind.is_presence()) {
            (Some(r), true) => r.envelope.device_time,
            _ => now(),
        },
        body,
        effort: Some(existing.as_ref().and_then(|r| r.envelope.effort).map_or(effort, |e| e.plus(effort))),
    };
    let verdict = if queue { field.check(&envelope)? } else { None };
    let record = LocalRecord {
        envelope,
        state: if queue { SyncState::Queued } else { SyncState::Draft },
        error: None,
        verdict: verdict.or(existing.as_ref().and_then(|r| r.verdict)),
        missing_photos: Vec::new(),
        synced_at: None,
        saved_at: now(),
    };
    field.save(vec![record]).await?;
    // Submitted: no longer held back as the open form's record.
    field.editing.set(None);
    if queue && field.online.get_untracked() {
        spawn_local(sync::run(field, false));
    }
    Ok(if queue {
        Msg::new("已保存，等待同步", "Saved; it will be synced")
    } else {
        Msg::new("草稿已保存", "Draft saved")
    })
}

fn files(ev: &leptos::ev::Event) -> Vec<File> {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return Vec::new() };
    let list = input.files();
    let files = list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// Photos taken with the camera (or chosen), shrunk and kept on the phone by their hash.
#[component]
fn Photos(form: RwSignal<Form>, single: bool) -> impl IntoView {
    let field = use_field();
    let busy = RwSignal::new(false);
    let add = move |ev: leptos::ev::Event| {
        let chosen = files(&ev);
        busy.set(true);
        spawn_local(async move {
            for file in chosen {
                match media::shrink_photo(&file).await {
                    Ok(s) => match store::put_photo(&s.hash, &s.blob).await {
                        Ok(()) => form.update(|f| {
                            if single {
                                f.photos.clear();
                            }
                            if !f.photos.contains(&s.hash) {
                                f.photos.push(s.hash)
                            }
                        }),
                        Err(e) => field.say(
                            false,
                            Msg::new(format!("照片保存失败：{}", e.0), format!("could not keep the photo: {}", e.0)),
                        ),
                    },
                    Err(m) => field.say(false, m),
                }
            }
            busy.set(false);
        });
    };
    view! {
        <label>
            {field.t("照片（可选）", if single { "Photo (optional)" } else { "Photos (optional)" })}
            <input type="file" accept="image/*" capture="environment" multiple=!single on:change=add />
        </label>
        <p class="muted" data-testid="photo-count">
            {move || {
                if busy.get() {
                    field.t("正在处理照片…", "Processing photos…").to_string()
                } else {
                    let n = form.with(|f| f.photos.len());
                    match field.lang {
                        Lang::Zh => format!("已添加 {n} 张照片"),
                        Lang::En => format!("{n} photos added"),
                    }
                }
            }}
        </p>
    }
}

/// A research report's attached file (PDF kept as it is, images shrunk).
#[component]
fn Attachment(form: RwSignal<Form>) -> impl IntoView {
    let field = use_field();
    let add = move |ev: leptos::ev::Event| {
        let Some(file) = files(&ev).into_iter().next() else { return };
        spawn_local(async move {
            let kept = match file.type_().as_str() {
                t if t.starts_with("image/") => media::shrink_photo(&file).await,
                "application/pdf" => media::keep_file(&file).await,
                _ => Err(Msg::new("只能附 PDF 文件或照片", "only a PDF file or a photo can be attached")),
            };
            match kept {
                Ok(s) => match store::put_photo(&s.hash, &s.blob).await {
                    Ok(()) => form.update(|f| f.file = Some(s.hash)),
                    Err(e) => field.say(
                        false,
                        Msg::new(format!("附件保存失败：{}", e.0), format!("could not keep the file: {}", e.0)),
                    ),
                },
                Err(m) => field.say(false, m),
            }
        });
    };
    view! {
        <label>
            {field
                .t("附件（PDF 或照片，可代替正文）", "Attached file (PDF or photo, instead of the text)")}
            <input type="file" accept="application/pdf,image/*" on:change=add />
        </label>
        <p class="muted">
            {move || if form.with(|f| f.file.is_some()) { field.t("已附文件", "File attached") } else { "" }}
        </p>
    }
}

/// A record the server holds (or holds another version of): shown, not changed.
#[component]
fn ReadOnly(record: LocalRecord) -> impl IntoView {
    let field = use_field();
    let lang = field.lang;
    view! {
        <h1>{record.envelope.body.label(lang)}</h1>
        {record
            .error
            .clone()
            .map(|m| {
                view! {
                    <p class="error" role="alert">
                        {m.get(lang).to_string()}
                    </p>
                }
            })}
        <section class="card">
            <RecordDetail record=record.clone() />
            <p class="muted">
                {field.t("已交服务器的记录不能再修改。", "Records the server holds cannot be changed.")}
            </p>
        </section>
        <p class="back">
            <a href="#records">{field.t("返回记录列表", "Back to the records")}</a>
        </p>
    }
}
