//! What a secretary records in the field, as it travels from the phone to the server: an
//! [`Envelope`] with the phone-made id, the device time and one typed [`RecordBody`]. The
//! checks here are the server's (the phone runs the same code); the sync protocol is in
//! `docs/sync.md`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::geo::{Coordinates, Geofence};
use crate::Msg;

coded_enum! {
    /// 会议类型 (§10 of the Jiaozhou rules).
    MeetingKind {
        /// 两委工作例会: weekly (脱产) or monthly (非脱产), chaired by the secretary.
        LiangWeiWeekly = ("liang_wei_weekly", "两委工作例会", "Village committees' work meeting"),
        PartyAssembly = ("party_assembly", "党员大会", "Party members' assembly"),
        DemocraticLife = ("democratic_life", "民主生活会", "Democratic life meeting"),
        RepresentativeAssembly = ("representative_assembly", "村民代表大会", "Villager representatives' assembly"),
        DemocracyDay = ("democracy_day", "民主活动日", "Democracy day"),
        MajorDecision = ("major_decision", "重大事项决策会议", "Major-decision meeting"),
    }
}

coded_enum! {
    /// With whom a talk (谈心谈话) was held.
    TalkPartner {
        VillageCadre = ("village_cadre", "村干部", "Village cadre"),
        PartyMember = ("party_member", "党员", "Party member"),
        RetiredCadre = ("retired_cadre", "老干部", "Retired cadre"),
        PartyApplicant = ("party_applicant", "入党积极分子", "Party applicant"),
        Villager = ("villager", "村民", "Villager"),
    }
}

coded_enum! {
    /// Help given to a paired household (D5.2–D5.5).
    HelpKind {
        EducationAid = ("education_aid", "助学", "Education aid"),
        Job = ("job", "安排就业", "A job"),
        Project = ("project", "脱贫项目", "A project"),
        ReliefApplication = ("relief_application", "申请救助", "Relief application"),
    }
}

coded_enum! {
    /// What a 实事 done for the village was (§16 (三) of the Jiaozhou rules).
    PracticalKind {
        Funds = ("funds", "争取物资资金", "Funds and materials raised"),
        PolicyFunds = ("policy_funds", "争取政策扶持资金", "Policy support funds"),
        Project = ("project", "引进发展项目", "A project brought in"),
        DemonstrationBase = ("demonstration_base", "建立示范基地", "A demonstration base"),
        Other = ("other", "其他实事", "Other"),
    }
}

/// A sha256 of a photo's bytes, lower-case hex: photos travel separately, keyed by it.
pub type PhotoHash = String;

/// The files a record may carry, by the type their first bytes show: JPEG, PNG, WebP photos and
/// PDF documents. An upload is stored only if its bytes are what its declared type says, so no
/// page can be made to serve, say, HTML as a "photo".
pub fn file_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        [b'%', b'P', b'D', b'F', b'-', ..] => Some("application/pdf"),
        _ => None,
    }
}

/// Being at the village: a check-in or check-out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    /// The village the phone believed it was posted to (from its offline reference data).
    pub village_id: i64,
    pub lat: f64,
    pub lon: f64,
    /// The reported GPS accuracy, metres.
    pub accuracy_m: f64,
    /// Recorded while the phone had no connection.
    pub offline: bool,
    #[serde(default)]
    pub photo: Option<PhotoHash>,
    /// The secretary's reason for a check-in outside the village (optional; the township reads
    /// it when it reviews). Absent from records made without one, so their content is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a work record was made, from the phone's fix. Made inside the village, the record is
/// evidence of the day there (`calendar::DayEvidence`); a record without one is as valid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
    /// The reported GPS accuracy, metres.
    pub accuracy_m: f64,
}

/// 民情日记.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diary {
    pub date: NaiveDate,
    pub text: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Paired households concerned.
    #[serde(default)]
    pub households: Vec<i64>,
    #[serde(default)]
    pub photos: Vec<PhotoHash>,
    /// Where the phone was when the record was made, if it had a fix (never required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub kind: MeetingKind,
    pub chaired: bool,
    pub date: NaiveDate,
    pub attendees: u32,
    pub topics: String,
    #[serde(default)]
    pub decisions: String,
    /// The sign-in sheet and the like.
    #[serde(default)]
    pub photos: Vec<PhotoHash>,
    /// Where the phone was when the record was made, if it had a fix (never required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// A home visit to a paired household (结对帮扶).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub household_id: i64,
    pub date: NaiveDate,
    pub notes: String,
    #[serde(default)]
    pub help: Vec<HelpKind>,
    #[serde(default)]
    pub photos: Vec<PhotoHash>,
    /// Where the phone was when the record was made, if it had a fix (never required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The assistance project it served (`project`), if any: approved and of the posting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<i64>,
}

/// 谈心谈话 / 约谈.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Talk {
    pub with: TalkPartner,
    pub requested_by_villager: bool,
    pub date: NaiveDate,
    pub notes: String,
    /// Where the phone was when the record was made, if it had a fix (never required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// 调研报告: text, or an attached file (by hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Research {
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub file: Option<PhotoHash>,
}

/// 为村办实事: something done for the village, with the money it brought (yuan).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Practical {
    pub kind: PracticalKind,
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub yuan: u64,
    #[serde(default)]
    pub notes: String,
    /// Certificates, the site.
    #[serde(default)]
    pub photos: Vec<PhotoHash>,
    /// Where the phone was when the record was made, if it had a fix (never required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The assistance project it served (`project`), if any: approved and of the posting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<i64>,
}

/// One record's content, tagged by kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum RecordBody {
    CheckIn(Presence),
    CheckOut(Presence),
    Diary(Diary),
    Meeting(Meeting),
    Visit(Visit),
    Talk(Talk),
    Research(Research),
    Practical(Practical),
}

/// A record as the phone sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Made on the phone when the record is first saved (a UUID).
    pub id: String,
    /// The phone's clock when the record was made.
    pub device_time: DateTime<Utc>,
    #[serde(flatten)]
    pub body: RecordBody,
    /// What making it cost on the phone (metadata: not part of the content, never checked
    /// against it, absent from older phones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<crate::burden::Effort>,
}

/// What the server knows when it checks a record.
#[derive(Clone, Debug)]
pub struct Context {
    /// The server's clock now.
    pub now: DateTime<Utc>,
    /// Server time minus the phone's clock, from the push's `device_now`.
    pub skew: Duration,
    pub posting_start: NaiveDate,
    pub posting_end: NaiveDate,
    pub village_id: i64,
    pub fence: Geofence,
    /// The district's limit on a fix's reported accuracy ([`DEFAULT_MAX_ACCURACY_M`]).
    pub max_accuracy_m: f64,
    pub households: Vec<i64>,
    /// The posting's approved assistance projects: those a visit or a practical matter may name.
    pub projects: Vec<i64>,
    /// The district requires a photo on meeting records (`mandate::Mandate::MeetingPhoto`).
    pub meeting_photo_required: bool,
}

/// The reported accuracy a fix may have and still be verified, unless the district sets
/// another, metres. A fix is credited its accuracy up to this (so it may lie that much beyond
/// the geofence); a less accurate one is reviewed, however near it claims to be.
pub const DEFAULT_MAX_ACCURACY_M: f64 = 100.0;

/// The server's verdict on a record's position (a check-in's, or a work record's when it has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Inside the village geofence (radius plus reported accuracy, the accuracy within the
    /// district's limit).
    Verified,
    /// Outside: kept; a check-in is marked for a supervisor to review, another record is simply
    /// not evidence of the day.
    Review,
}

impl Verdict {
    /// As stored (`field_records.verdict`).
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Review => "review",
        }
    }

    pub fn from_code(code: &str) -> Option<Verdict> {
        [Verdict::Verified, Verdict::Review].into_iter().find(|v| v.code() == code)
    }
}

/// Largest clock difference between phone and server before a record is flagged.
pub const SKEW_TOLERANCE: Duration = Duration::minutes(5);
/// Largest clock difference a push may have: a phone further off is refused as a clock error,
/// and its records stay on the phone until its clock is right.
pub const MAX_SKEW: Duration = Duration::days(1);

/// Server time minus the phone's at a push, if within [`MAX_SKEW`].
pub fn clock_skew(now: DateTime<Utc>, device_now: DateTime<Utc>) -> Result<Duration, Msg> {
    let skew = now.signed_duration_since(device_now);
    if skew.abs() > MAX_SKEW {
        return Err(err(
            "手机时间与服务器时间相差超过 1 天：请在手机设置中打开“自动设置时间”后再同步。记录仍保存在手机上，不会丢失。",
            "the phone's clock is more than a day off the server's: turn on automatic time in the phone's settings, then sync again. The records stay on the phone.",
        ));
    }
    Ok(skew)
}
/// Longest text a record may carry, in characters.
pub const MAX_TEXT: usize = 20_000;
const MAX_PHOTOS: usize = 9;

fn err(zh: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg::new(zh, en)
}

coded_enum! {
    /// What a record is, as [`RecordBody::kind`] names it.
    RecordKind {
        CheckIn = ("check_in", "签到", "Check-in"),
        CheckOut = ("check_out", "签退", "Check-out"),
        Diary = ("diary", "民情日记", "Diary"),
        Meeting = ("meeting", "会议记录", "Meeting"),
        Visit = ("visit", "走访帮扶户", "Household visit"),
        Talk = ("talk", "谈心谈话", "Talk"),
        Research = ("research", "调研报告", "Research report"),
        Practical = ("practical", "为村办实事", "Practical matter"),
    }
}

impl RecordKind {
    /// A check-in or check-out: the fix is the record, taken with one tap.
    pub fn is_presence(self) -> bool {
        matches!(self, RecordKind::CheckIn | RecordKind::CheckOut)
    }
}

impl RecordBody {
    /// The record's kind, named.
    pub fn label(&self, lang: crate::Lang) -> &'static str {
        self.kind().label(lang)
    }

    /// A line of what the record says (the first 60 characters of its text), for lists of
    /// evidence.
    pub fn gist(&self) -> String {
        let text = match self {
            RecordBody::Diary(d) => d.text.clone(),
            RecordBody::Meeting(m) => format!("{}：{}", m.kind.label(crate::Lang::Zh), m.topics),
            RecordBody::Visit(v) => v.notes.clone(),
            RecordBody::Talk(t) => t.notes.clone(),
            RecordBody::Research(r) => r.title.clone(),
            RecordBody::Practical(p) => format!("{}：{}", p.kind.label(crate::Lang::Zh), p.title),
            RecordBody::CheckIn(_) | RecordBody::CheckOut(_) => String::new(),
        };
        text.chars().take(60).collect()
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::CheckIn(_) => RecordKind::CheckIn,
            RecordBody::CheckOut(_) => RecordKind::CheckOut,
            RecordBody::Diary(_) => RecordKind::Diary,
            RecordBody::Meeting(_) => RecordKind::Meeting,
            RecordBody::Visit(_) => RecordKind::Visit,
            RecordBody::Talk(_) => RecordKind::Talk,
            RecordBody::Research(_) => RecordKind::Research,
            RecordBody::Practical(_) => RecordKind::Practical,
        }
    }

    /// Where the record was made: a check-in's fix, or a work record's position if it has one.
    pub fn position(&self) -> Option<Position> {
        match self {
            RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => {
                Some(Position { lat: p.lat, lon: p.lon, accuracy_m: p.accuracy_m })
            }
            RecordBody::Diary(Diary { position, .. })
            | RecordBody::Meeting(Meeting { position, .. })
            | RecordBody::Visit(Visit { position, .. })
            | RecordBody::Talk(Talk { position, .. })
            | RecordBody::Practical(Practical { position, .. }) => *position,
            RecordBody::Research(_) => None,
        }
    }

    /// The day the record is about (for date checks), if it names one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            RecordBody::Diary(d) => Some(d.date),
            RecordBody::Meeting(m) => Some(m.date),
            RecordBody::Visit(v) => Some(v.date),
            RecordBody::Talk(t) => Some(t.date),
            RecordBody::Practical(p) => Some(p.date),
            RecordBody::CheckIn(_) | RecordBody::CheckOut(_) | RecordBody::Research(_) => None,
        }
    }

    /// Every photo or file the record refers to.
    pub fn photos(&self) -> Vec<&PhotoHash> {
        match self {
            RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => p.photo.iter().collect(),
            RecordBody::Diary(d) => d.photos.iter().collect(),
            RecordBody::Meeting(m) => m.photos.iter().collect(),
            RecordBody::Visit(v) => v.photos.iter().collect(),
            RecordBody::Talk(_) => Vec::new(),
            RecordBody::Research(r) => r.file.iter().collect(),
            RecordBody::Practical(p) => p.photos.iter().collect(),
        }
    }
}

/// A record may name an assistance project of the posting's database (approved), or none.
fn project(ctx: &Context, id: Option<i64>) -> Result<(), Msg> {
    match id {
        Some(id) if !ctx.projects.contains(&id) => Err(err(
            format!("项目 {id} 不在本村已入库的帮扶项目中"),
            format!("project {id} is not an approved project of your village"),
        )),
        _ => Ok(()),
    }
}

fn text(field_zh: &str, field_en: &str, s: &str, required: bool) -> Result<(), Msg> {
    if required && s.trim().is_empty() {
        return Err(err(format!("{field_zh}不能为空"), format!("{field_en} must not be empty")));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(err(
            format!("{field_zh}超过 {MAX_TEXT} 字"),
            format!("{field_en} is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(())
}

/// Whether any text in a record holds a NUL character (PostgreSQL stores none).
fn carries_nul(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a.iter().any(carries_nul),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || carries_nul(v)),
        _ => false,
    }
}

fn is_hash(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Envelope {
    /// The phone's id as a UUID.
    pub fn uuid(&self) -> Result<uuid::Uuid, Msg> {
        uuid::Uuid::parse_str(&self.id)
            .map_err(|_| err(format!("记录编号 {} 无效", self.id), format!("record id {} is not a UUID", self.id)))
    }

    /// Checks a record against the posting it is pushed under. The phone's clock is corrected
    /// by the push's skew before dates are compared.
    pub fn check(&self, ctx: &Context) -> Result<Option<Verdict>, Msg> {
        self.uuid()?;
        if carries_nul(&serde_json::to_value(&self.body).map_err(|_| err("记录无效", "the record is not valid"))?) {
            return Err(err(
                "记录含有无法保存的字符（空字符），请删除后重试",
                "the record holds a NUL character, which cannot be stored",
            ));
        }
        let made = self
            .device_time
            .checked_add_signed(ctx.skew)
            .ok_or_else(|| err("记录时间无效", "the record's time is not valid"))?;
        if made > ctx.now + SKEW_TOLERANCE {
            return Err(err("记录时间晚于当前时间", "the record is dated in the future"));
        }
        // A record is made during the term, whatever day it is about.
        if made.date_naive() < ctx.posting_start - Duration::days(1) {
            return Err(err(
                format!("记录时间 {} 早于任期开始，请检查手机时间", made.date_naive()),
                format!("the record was made on {}, before the term began: check the phone's clock", made.date_naive()),
            ));
        }
        let today = ctx.now.date_naive() + Duration::days(1); // a day's slack for time zones
        let record_day = self.body.date().unwrap_or(made.date_naive());
        if record_day > today {
            return Err(err(format!("日期 {record_day} 晚于今天"), format!("the date {record_day} is after today")));
        }
        if record_day < ctx.posting_start - Duration::days(1) || record_day > ctx.posting_end + Duration::days(1) {
            return Err(err(
                format!("日期 {record_day} 不在任期之内"),
                format!("the date {record_day} is outside the term"),
            ));
        }
        let photos = self.body.photos();
        if photos.len() > MAX_PHOTOS {
            return Err(err(format!("照片不能超过 {MAX_PHOTOS} 张"), format!("at most {MAX_PHOTOS} photos")));
        }
        if photos.iter().any(|h| !is_hash(h)) {
            return Err(err("照片编号无效", "a photo reference is not a sha256 hash"));
        }
        self.check_content(ctx)?;
        // Inside the geofence (radius plus reported accuracy, the accuracy within the district's
        // limit) is verified; a check-in outside is reviewed, another record simply not credited.
        self.body
            .position()
            .map(|p| {
                let at = Coordinates::parse(p.lat, p.lon)?;
                if !p.accuracy_m.is_finite() || !(0.0..=10_000.0).contains(&p.accuracy_m) {
                    return Err(err("定位精度无效", "the reported GPS accuracy is not plausible"));
                }
                let credited = p.accuracy_m <= ctx.max_accuracy_m && ctx.fence.contains(at, p.accuracy_m);
                Ok(if credited { Verdict::Verified } else { Verdict::Review })
            })
            .transpose()
    }

    /// The checks of each kind's own fields.
    fn check_content(&self, ctx: &Context) -> Result<(), Msg> {
        match &self.body {
            RecordBody::CheckIn(p) | RecordBody::CheckOut(p) => {
                if p.village_id != ctx.village_id {
                    return Err(err("该村不是您当前的驻村", "that village is not your current posting"));
                }
                if let Some(note) = &p.note {
                    text("原因说明", "reason", note, false)?;
                }
                Ok(())
            }
            RecordBody::Diary(d) => {
                text("日记内容", "diary text", &d.text, true)?;
                if let Some(h) = d.households.iter().find(|h| !ctx.households.contains(h)) {
                    return Err(err(
                        format!("帮扶户 {h} 不是您的结对户"),
                        format!("household {h} is not paired with you"),
                    ));
                }
                Ok(())
            }
            RecordBody::Meeting(m) => {
                text("会议议题", "topics", &m.topics, true)?;
                text("会议决定", "decisions", &m.decisions, false)?;
                if m.attendees == 0 || m.attendees > 5_000 {
                    return Err(err("参会人数无效", "the number of attendees is not plausible"));
                }
                if ctx.meeting_photo_required && m.photos.is_empty() {
                    return Err(err(
                        "本区要求会议记录附签到表照片（区组织部的决定，见考勤设置）",
                        "your district requires a photo of the sign-in sheet with a meeting record",
                    ));
                }
                Ok(())
            }
            RecordBody::Visit(v) => {
                if !ctx.households.contains(&v.household_id) {
                    return Err(err(
                        format!("帮扶户 {} 不是您的结对户", v.household_id),
                        format!("household {} is not paired with you", v.household_id),
                    ));
                }
                text("走访记录", "visit notes", &v.notes, true)?;
                project(ctx, v.project_id)
            }
            RecordBody::Talk(t) => text("谈话记录", "talk notes", &t.notes, true),
            RecordBody::Research(r) => {
                text("报告标题", "title", &r.title, true)?;
                text("报告内容", "report text", &r.text, r.file.is_none())?;
                Ok(())
            }
            RecordBody::Practical(p) => {
                text("实事名称", "title", &p.title, true)?;
                text("说明", "notes", &p.notes, false)?;
                let money = matches!(p.kind, PracticalKind::Funds | PracticalKind::PolicyFunds);
                if money && p.yuan == 0 {
                    return Err(err("请填写金额（元）", "enter the amount in yuan"));
                }
                if p.yuan > 1_000_000_000 {
                    return Err(err("金额过大，请核对", "the amount is implausibly large"));
                }
                project(ctx, p.project_id)
            }
        }
    }

    /// A digest of the content (kind, device time, body), the same for the same record however
    /// its JSON was spelled: an id pushed again with the same digest is a retry, with another
    /// digest a conflict.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let canonical = serde_json::to_vec(&(&self.device_time, &self.body)).expect("records serialise");
        format!("{:x}", Sha256::digest(canonical))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let now = "2026-11-25T06:00:00Z".parse().unwrap();
        Context {
            now,
            skew: Duration::zero(),
            posting_start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            posting_end: NaiveDate::from_ymd_opt(2027, 2, 28).unwrap(),
            village_id: 7,
            fence: Geofence::parse(Coordinates::parse(34.70, 117.52).unwrap(), 500).unwrap(),
            max_accuracy_m: DEFAULT_MAX_ACCURACY_M,
            households: vec![11, 12],
            projects: vec![5],
            meeting_photo_required: false,
        }
    }

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(file_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some("image/jpeg"));
        assert_eq!(file_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(file_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(file_type(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(file_type(b"<html><script>alert(1)</script>"), None);
        assert_eq!(file_type(b""), None);
    }

    #[test]
    fn extreme_clocks_are_clock_errors_not_panics() {
        let now: DateTime<Utc> = "2026-11-25T06:00:00Z".parse().unwrap();
        assert!(clock_skew(now, "+262142-06-01T00:00:00Z".parse().unwrap()).is_err());
        assert!(clock_skew(now, DateTime::<Utc>::MIN_UTC).is_err());
        assert!(clock_skew(now, now - Duration::hours(25)).is_err());
        assert_eq!(clock_skew(now, now - Duration::hours(23)), Ok(Duration::hours(23)));
        assert_eq!(clock_skew(now, now + Duration::hours(2)), Ok(Duration::hours(-2)), "the sign is kept");
        // A record dated at the end of time, under the largest skew allowed: refused, not a panic.
        let mut e = check_in(34.70, 10.0);
        e.device_time = DateTime::<Utc>::MAX_UTC;
        let ctx = Context { skew: MAX_SKEW, ..ctx() };
        assert_eq!(e.check(&ctx).unwrap_err().en, "the record's time is not valid");
        e.device_time = DateTime::<Utc>::MIN_UTC;
        let ctx = Context { skew: -MAX_SKEW, ..ctx };
        assert!(e.check(&ctx).is_err());
    }

    fn check_in(lat: f64, accuracy_m: f64) -> Envelope {
        Envelope {
            id: "0199b5a2-6a3e-7cc1-9d0e-3f1c2b7a9e01".into(),
            device_time: "2026-11-25T00:12:00Z".parse().unwrap(),
            body: RecordBody::CheckIn(Presence {
                village_id: 7,
                lat,
                lon: 117.52,
                accuracy_m,
                offline: true,
                photo: None,
                note: None,
            }),
            effort: None,
        }
    }

    #[test]
    fn a_reason_for_a_check_in_outside_is_optional_and_changes_nothing_without_one() {
        let plain = check_in(34.71, 20.0);
        let hash = plain.content_hash();
        assert!(!serde_json::to_string(&plain).unwrap().contains("note"), "records made before keep their hash");
        let mut with = plain.clone();
        if let RecordBody::CheckIn(p) = &mut with.body {
            p.note = Some("到镇里开会".into());
        }
        assert_ne!(with.content_hash(), hash);
        assert_eq!(with.check(&ctx()), Ok(Some(Verdict::Review)), "a reason does not make it inside");
        if let RecordBody::CheckIn(p) = &mut with.body {
            p.note = Some("长".repeat(MAX_TEXT + 1));
        }
        assert!(with.check(&ctx()).unwrap_err().zh.contains("原因说明超过"));
    }

    #[test]
    fn check_ins_are_judged_by_the_geofence_and_accuracy() {
        assert_eq!(check_in(34.7001, 10.0).check(&ctx()), Ok(Some(Verdict::Verified)));
        // About 1.1 km north: outside 500 m unless the fix is that poor.
        assert_eq!(check_in(34.71, 20.0).check(&ctx()), Ok(Some(Verdict::Review)));
        // A reported accuracy is credited up to the district's limit, never beyond: a fix 8 km
        // away claiming 9 km of accuracy was "verified".
        assert_eq!(
            check_in(34.7052, 90.0).check(&ctx()),
            Ok(Some(Verdict::Verified)),
            "578 m: 500 m and 90 m credited"
        );
        assert_eq!(check_in(34.7052, 20.0).check(&ctx()), Ok(Some(Verdict::Review)));
        assert_eq!(check_in(34.71, 700.0).check(&ctx()), Ok(Some(Verdict::Review)));
        assert_eq!(check_in(34.772, 9000.0).check(&ctx()), Ok(Some(Verdict::Review)));
        assert_eq!(check_in(34.7001, 150.0).check(&ctx()), Ok(Some(Verdict::Review)), "at the centre, but too vague");
        let lenient = Context { max_accuracy_m: 800.0, ..ctx() };
        assert_eq!(check_in(34.71, 700.0).check(&lenient), Ok(Some(Verdict::Verified)), "a district may allow more");
        assert!(check_in(95.0, 10.0).check(&ctx()).is_err());
        assert!(check_in(34.70, f64::NAN).check(&ctx()).is_err());
    }

    #[test]
    fn wrong_village_future_and_out_of_term_records_are_refused() {
        let mut r = check_in(34.70, 10.0);
        if let RecordBody::CheckIn(p) = &mut r.body {
            p.village_id = 8;
        }
        assert!(r.check(&ctx()).unwrap_err().en.contains("not your current posting"));
        let mut r = check_in(34.70, 10.0);
        r.device_time = "2026-11-25T07:00:00Z".parse().unwrap();
        assert!(r.check(&ctx()).unwrap_err().en.contains("future"));
        // The same record is fine once the phone's clock is known to be an hour fast.
        let mut c = ctx();
        c.skew = Duration::hours(-1);
        assert!(r.check(&c).is_ok());
        let mut d = check_in(34.70, 10.0);
        d.body = RecordBody::Diary(Diary {
            position: None,
            date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            text: "x".into(),
            tags: vec![],
            households: vec![],
            photos: vec![],
        });
        assert!(d.check(&ctx()).unwrap_err().en.contains("outside the term"));
    }

    #[test]
    fn visits_must_name_a_paired_household_and_photos_must_be_hashes() {
        let visit = |household_id, photos: Vec<String>| Envelope {
            id: uuid::Uuid::new_v4().to_string(),
            device_time: "2026-11-24T09:00:00Z".parse().unwrap(),
            body: RecordBody::Visit(Visit {
                project_id: None,
                position: None,
                household_id,
                date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                notes: "看望".into(),
                help: vec![HelpKind::Job],
                photos,
            }),
            effort: None,
        };
        assert_eq!(visit(11, vec!["a".repeat(64)]).check(&ctx()), Ok(None));
        assert!(visit(99, vec![]).check(&ctx()).is_err());
        assert!(visit(11, vec!["not-a-hash".into()]).check(&ctx()).is_err());
        let mut bad = visit(11, vec![]);
        bad.id = "42".into();
        assert!(bad.check(&ctx()).is_err());
    }

    #[test]
    fn a_work_record_with_a_position_is_judged_by_the_geofence_and_one_without_is_as_valid() {
        let visit = |position| Envelope {
            id: uuid::Uuid::new_v4().to_string(),
            device_time: "2026-11-24T09:00:00Z".parse().unwrap(),
            body: RecordBody::Visit(Visit {
                project_id: None,
                household_id: 11,
                date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                notes: "看望".into(),
                help: vec![],
                photos: vec![],
                position,
            }),
            effort: None,
        };
        let at = |lat, accuracy_m| Some(Position { lat, lon: 117.52, accuracy_m });
        assert_eq!(visit(None).check(&ctx()), Ok(None));
        assert_eq!(visit(at(34.701, 20.0)).check(&ctx()), Ok(Some(Verdict::Verified)));
        assert_eq!(visit(at(34.80, 20.0)).check(&ctx()), Ok(Some(Verdict::Review)), "11 km away");
        assert_eq!(visit(at(34.701, 500.0)).check(&ctx()), Ok(Some(Verdict::Review)), "too vague a fix");
        assert!(visit(at(134.0, 20.0)).check(&ctx()).is_err(), "no such latitude");
        // Records made before positions existed keep their content hash.
        let old = visit(None);
        assert!(!serde_json::to_string(&old.body).unwrap().contains("position"));
    }

    /// Found by the push's property test: a NUL in any text failed the whole push in the database.
    #[test]
    fn a_nul_character_anywhere_in_a_record_is_refused_with_the_record() {
        let diary = |text: &str, tag: &str| Envelope {
            id: uuid::Uuid::new_v4().to_string(),
            device_time: "2026-11-24T09:00:00Z".parse().unwrap(),
            body: RecordBody::Diary(Diary {
                position: None,
                date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                text: text.into(),
                tags: vec![tag.into()],
                households: vec![],
                photos: vec![],
            }),
            effort: None,
        };
        assert_eq!(diary("走访", "低保").check(&ctx()), Ok(None));
        assert!(diary("走\0访", "低保").check(&ctx()).unwrap_err().zh.contains("空字符"));
        assert!(diary("走访", "低\0保").check(&ctx()).is_err());
    }

    /// Found by the push's property test: a diary about a day in the term, from a phone whose
    /// clock said 1970, failed the whole push on the database's bounds.
    #[test]
    fn a_record_made_before_the_term_is_refused_whatever_day_it_is_about() {
        let diary = |device_time: &str| Envelope {
            id: uuid::Uuid::new_v4().to_string(),
            device_time: device_time.parse().unwrap(),
            body: RecordBody::Diary(Diary {
                position: None,
                date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                text: "走访".into(),
                tags: vec![],
                households: vec![],
                photos: vec![],
            }),
            effort: None,
        };
        assert_eq!(diary("2026-11-24T09:00:00Z").check(&ctx()), Ok(None));
        assert!(diary("1970-01-01T00:00:00Z").check(&ctx()).unwrap_err().zh.contains("早于任期开始"));
        assert!(diary("2026-02-20T00:00:00Z").check(&ctx()).is_err());
    }

    #[test]
    fn the_content_hash_ignores_spelling_but_not_content() {
        let a: Envelope = serde_json::from_str(r#"{"id":"0199b5a2-6a3e-7cc1-9d0e-3f1c2b7a9e01","device_time":"2026-11-25T08:12:00+08:00","kind":"talk","body":{"with":"villager","requested_by_villager":true,"date":"2026-11-25","notes":"问低保"}}"#).unwrap();
        let b: Envelope = serde_json::from_str(r#"{"kind":"talk","body":{"notes":"问低保","date":"2026-11-25","requested_by_villager":true,"with":"villager"},"device_time":"2026-11-25T00:12:00Z","id":"0199b5a2-6a3e-7cc1-9d0e-3f1c2b7a9e01"}"#).unwrap();
        assert_eq!(a.content_hash(), b.content_hash());
        let mut c = b.clone();
        if let RecordBody::Talk(t) = &mut c.body {
            t.notes.push('。');
        }
        assert_ne!(a.content_hash(), c.content_hash());
    }
}
