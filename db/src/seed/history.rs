//! A lived-in year for the demo districts (`zhucun seed --demo --history`, what `cargo xtask
//! run` uses): the secretaries' records from the start of their terms to yesterday — check-ins
//! and check-outs, diaries, meetings, visits, talks, a research report, 实事 — stored the way a sync
//! push stores them, then the year's evaluation under way: filings, most assessors' scores and
//! entered facts, most villages' surveys counted. Generated from a fixed random seed: the same
//! data for the same last day.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::field::{
    Diary, Envelope, HelpKind, Meeting, MeetingKind, Presence, RecordBody, RecordKind, Research, Talk, TalkPartner,
    Verdict, Visit,
};
use domain::org::PostingMode;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};

use crate::Result;

const OUTSIDE_REASONS: [&str; 3] = ["在镇里参加培训后返村", "陪同困难户到县医院办理报销", "到县农业局对接项目"];

const DIARY: &[&str] = &[
    "走访村东头几户，群众反映道路需要硬化，雨天出行不便。",
    "到合作社了解石榴销售情况，今年收购价偏低，农户有顾虑。",
    "看望独居老人，检查冬季取暖和用电安全。",
    "与村会计核对集体收支，准备月底公开。",
    "村里自来水管网老化，记录漏水点位，报镇水务站。",
    "参加村民调解，两户宅基地边界纠纷已达成一致。",
];
const TAGS: &[&str] = &["基础设施", "产业发展", "民生保障", "矛盾调解", "集体经济"];
const TOPICS: &[&str] = &["冬季防火安排", "集体经济项目推进", "低保户评议", "人居环境整治", "石榴产业销售", "党员发展"];
const VISIT: &[&str] = &[
    "了解就业意愿，推荐到合作社务工。",
    "孩子上学有困难，联系助学金。",
    "慢性病用药情况，协助办理慢病卡。",
    "房屋漏雨，联系镇里危房改造。",
];
const RESEARCH: &[&str] = &["关于发展石榴深加工的调研", "关于村集体经济增收路径的调研", "关于农村留守老人照护的调研"];

#[derive(sqlx::FromRow)]
struct PostingRow {
    id: i64,
    district_id: i64,
    secretary_id: i64,
    township_id: i64,
    village_id: i64,
    lat: f64,
    lon: f64,
    mode: PostingMode,
    term_start: NaiveDate,
}

/// One record to store: the envelope and how it arrived.
struct Row {
    posting: i64,
    secretary: i64,
    envelope: Envelope,
    received: DateTime<Utc>,
    skew: i32,
    verdict: Option<&'static str>,
    offline: bool,
}

/// Adds the history unless the demo districts already have records: what the phones would have
/// synced by `until`, from each term's start (this morning's check-ins too, when `until` is
/// past them). Returns whether it did.
pub async fn history(pool: &PgPool, until: DateTime<Utc>) -> Result<bool> {
    let through = domain::time::china_day(until);
    let postings: Vec<PostingRow> = sqlx::query_as(
        "SELECT p.id, t.district_id, p.secretary_id, v.township_id, v.id AS village_id, v.lat, v.lon, p.mode, p.term_start
           FROM postings p JOIN villages v ON v.id = p.village_id JOIN townships t ON t.id = v.township_id
           JOIN districts d ON d.id = t.district_id
          WHERE d.name = ANY($1) ORDER BY p.id",
    )
    .bind(super::DEMO_DISTRICTS.as_slice())
    .fetch_all(pool)
    .await?;
    let has_records: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM field_records WHERE posting_id = ANY($1))")
            .bind(postings.iter().map(|p| p.id).collect::<Vec<_>>())
            .fetch_one(pool)
            .await?;
    if postings.is_empty() || has_records {
        return Ok(false);
    }
    let first = postings.iter().map(|p| p.term_start).min().unwrap_or(through);
    let calendar = crate::attendance::calendar(pool, first, through).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_2027);
    let mut tx = pool.begin().await?;
    for p in &postings {
        let households: Vec<i64> = sqlx::query_scalar("SELECT id FROM households WHERE posting_id = $1 ORDER BY id")
            .bind(p.id)
            .fetch_all(&mut *tx)
            .await?;
        let mut rows = posting_year(&mut rng, p, &households, &calendar, through);
        rows.retain(|r| r.received <= until);
        let check_ins = store(&mut tx, &rows).await?;
        crate::attendance::record_presence(&mut tx, p.id, p.township_id, &check_ins).await?;
    }
    evaluation_year(&mut tx, &mut rng, &postings, through.year()).await?;
    crate::audit::record(&mut tx, None, "seed", "history", None, serde_json::json!({ "until": until })).await?;
    tx.commit().await?;
    Ok(true)
}

/// China time on a day, as UTC.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    domain::time::from_china(day.and_hms_opt(hour, minute.min(59), 0).unwrap_or_default())
}

fn posting_year(
    rng: &mut ChaCha8Rng,
    p: &PostingRow,
    households: &[i64],
    calendar: &domain::calendar::WorkCalendar,
    through: NaiveDate,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push = |rng: &mut ChaCha8Rng, made: DateTime<Utc>, body: RecordBody, verdict, offline: bool| {
        let id = uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string();
        let delay =
            if offline { Duration::minutes(rng.gen_range(30..600)) } else { Duration::seconds(rng.gen_range(1..20)) };
        rows.push(Row {
            posting: p.id,
            secretary: p.secretary_id,
            envelope: Envelope { id, device_time: made, body, effort: None },
            received: made + delay,
            skew: rng.gen_range(-20..20),
            verdict,
            offline,
        });
    };
    let full_time = p.mode == PostingMode::FullTime;
    // 非脱产: a few stays a month, on days drawn at the start of each month.
    let mut stays: Vec<NaiveDate> = Vec::new();
    for day in p.term_start.iter_days().take_while(|d| *d <= through) {
        if day.day() == 1 || day == p.term_start {
            let working: Vec<NaiveDate> = day
                .iter_days()
                .take_while(|d| d.month() == day.month() && *d <= through)
                .filter(|d| calendar.is_working(*d))
                .collect();
            let n = rng.gen_range(3..=5);
            stays = working.choose_multiple(rng, n).copied().collect();
        }
        let present = if full_time { calendar.is_working(day) && rng.gen_bool(0.88) } else { stays.contains(&day) };
        if present {
            let inside = rng.gen_bool(0.95);
            let (lat, lon) = if inside {
                (p.lat + rng.gen_range(-0.001..0.001), p.lon + rng.gen_range(-0.001..0.001))
            } else {
                (p.lat + rng.gen_range(0.02..0.04), p.lon + rng.gen_range(-0.01..0.01))
            };
            let verdict = Some(if inside { Verdict::Verified } else { Verdict::Review }.code());
            let offline = rng.gen_bool(0.15);
            let presence = |rng: &mut ChaCha8Rng| Presence {
                village_id: p.village_id,
                lat,
                lon,
                accuracy_m: rng.gen_range(8.0..40.0),
                offline,
                photo: None,
                // What secretaries write when they check in away from the village (no draw
                // of the generator: the rest of the year stays as it was).
                note: (!inside).then(|| OUTSIDE_REASONS[day.ordinal0() as usize % OUTSIDE_REASONS.len()].to_string()),
            };
            let check_in = presence(rng);
            let made = at(day, 8, rng.gen_range(0..59));
            push(rng, made, RecordBody::CheckIn(check_in), verdict, offline);
            if rng.gen_bool(0.8) {
                let check_out = presence(rng);
                let made = at(day, 17, rng.gen_range(0..59));
                push(rng, made, RecordBody::CheckOut(check_out), verdict, offline);
            }
        }
        let evening = at(day, 20, rng.gen_range(0..59));
        let weekday = day.weekday().num_days_from_monday();
        // A diary most weeks, on Thursdays; a 两委 meeting on Tuesdays (脱产) or the first
        // Tuesday of the month (非脱产); the 民主活动日 on the 10th; talks on Fridays now and then.
        if weekday == 3 && rng.gen_bool(0.85) {
            let tags = vec![TAGS.choose(rng).copied().unwrap_or_default().to_string()];
            let concerned = households.choose(rng).copied().into_iter().filter(|_| rng.gen_bool(0.3)).collect();
            let text = DIARY.choose(rng).copied().unwrap_or_default().to_string();
            let diary = Diary { position: None, date: day, text, tags, households: concerned, photos: vec![] };
            push(rng, evening, RecordBody::Diary(diary), None, false);
        }
        if weekday == 1 && (full_time || day.day() <= 7) && rng.gen_bool(0.9) {
            let topics = TOPICS.choose(rng).copied().unwrap_or_default().to_string();
            let meeting = Meeting {
                position: None,
                kind: MeetingKind::LiangWeiWeekly,
                chaired: true,
                date: day,
                attendees: rng.gen_range(5..=9),
                topics,
                decisions: "分工落实，下周汇报进展。".into(),
                photos: vec![],
            };
            push(rng, evening, RecordBody::Meeting(meeting), None, false);
        }
        if day.day() == 10 && rng.gen_bool(0.85) {
            let meeting = Meeting {
                position: None,
                kind: MeetingKind::DemocracyDay,
                chaired: true,
                date: day,
                attendees: rng.gen_range(20..=60),
                topics: "党员学习、村务公开".into(),
                decisions: String::new(),
                photos: vec![],
            };
            push(rng, evening, RecordBody::Meeting(meeting), None, false);
        }
        if weekday == 4 && rng.gen_bool(0.4) {
            let with = *[TalkPartner::VillageCadre, TalkPartner::PartyMember, TalkPartner::Villager]
                .choose(rng)
                .unwrap_or(&TalkPartner::Villager);
            let talk = Talk {
                position: None,
                with,
                requested_by_villager: rng.gen_bool(0.2),
                date: day,
                notes: "谈工作思路和群众诉求。".into(),
            };
            push(rng, evening, RecordBody::Talk(talk), None, false);
        }
        // 实事: now and then a grant raised, a project or a base, with its amount.
        if weekday == 2 && rng.gen_bool(0.04) {
            use domain::field::{Practical, PracticalKind};
            let (kind, title, yuan) = *[
                (PracticalKind::Funds, "争取道路硬化资金", 10_000 * rng.gen_range(1..6)),
                (PracticalKind::PolicyFunds, "争取人居环境整治补助", 10_000 * rng.gen_range(1..4)),
                (PracticalKind::Project, "引进石榴深加工项目", 0),
                (PracticalKind::DemonstrationBase, "建立大棚蔬菜示范基地", 0),
                (PracticalKind::Other, "协调安装路灯", 0),
            ]
            .choose(rng)
            .unwrap_or(&(PracticalKind::Other, "协调安装路灯", 0));
            let practical = Practical {
                project_id: None,
                position: None,
                kind,
                date: day,
                title: title.into(),
                yuan,
                notes: String::new(),
                photos: vec![],
            };
            push(rng, evening, RecordBody::Practical(practical), None, false);
        }
        if day == p.term_start + Duration::days(30) {
            let title = RESEARCH.choose(rng).copied().unwrap_or_default().to_string();
            let research =
                Research { title, text: "走访农户和合作社，形成发展建议。".into(), file: None };
            push(rng, evening, RecordBody::Research(research), None, false);
        }
        // Each paired household about once a month.
        for &h in households {
            if rng.gen_bool(1.0 / 30.0) {
                let mut help = Vec::new();
                for (kind, chance) in [
                    (HelpKind::Job, 0.1),
                    (HelpKind::EducationAid, 0.05),
                    (HelpKind::ReliefApplication, 0.05),
                    (HelpKind::Project, 0.03),
                ] {
                    if rng.gen_bool(chance) {
                        help.push(kind);
                    }
                }
                let notes = VISIT.choose(rng).copied().unwrap_or_default().to_string();
                let visit =
                    Visit { position: None, household_id: h, date: day, notes, help, photos: vec![], project_id: None };
                push(rng, evening, RecordBody::Visit(visit), None, false);
            }
        }
    }
    rows
}

/// A batch of records as the insert's arrays, one per column.
#[derive(Default)]
struct Columns<'a> {
    id: Vec<uuid::Uuid>,
    secretary: Vec<i64>,
    posting: Vec<i64>,
    kind: Vec<&'a str>,
    body: Vec<serde_json::Value>,
    hash: Vec<String>,
    device_time: Vec<DateTime<Utc>>,
    received: Vec<DateTime<Utc>>,
    skew: Vec<i32>,
    verdict: Vec<Option<&'a str>>,
    offline: Vec<bool>,
    effort_seconds: Vec<i32>,
    effort_fields: Vec<i16>,
}

/// What making a demo record cost on the phone, drawn from its (random) id rather than the
/// generator, so the rest of the year stays as it was: a range of seconds per kind, about what
/// a person takes with these forms, and the fields each form asks for.
fn demo_effort(id: uuid::Uuid, kind: RecordKind) -> domain::burden::Effort {
    let (low, high, fields) = match kind {
        RecordKind::CheckIn | RecordKind::CheckOut => (4, 25, 0),
        RecordKind::Diary => (60, 170, 3),
        RecordKind::Meeting => (45, 130, 5),
        RecordKind::Visit => (35, 110, 4),
        RecordKind::Talk => (30, 90, 3),
        RecordKind::Practical => (60, 200, 5),
        RecordKind::Research => (400, 1500, 2),
    };
    let b = id.as_bytes();
    let draw = u32::from(b[0]) << 8 | u32::from(b[1]);
    domain::burden::Effort { seconds: low + draw % (high - low), fields }
}

/// Stores records as a push would (id, content hash, both clocks); returns the check-ins' and
/// check-outs' ids, for the attendance tables.
async fn store(tx: &mut Transaction<'_, Postgres>, rows: &[Row]) -> Result<Vec<uuid::Uuid>> {
    let mut presence = Vec::new();
    for chunk in rows.chunks(2000) {
        let mut c = Columns::default();
        for r in chunk {
            let id = uuid::Uuid::parse_str(&r.envelope.id).unwrap_or_default();
            if r.verdict.is_some() {
                presence.push(id);
            }
            c.id.push(id);
            c.secretary.push(r.secretary);
            c.posting.push(r.posting);
            c.kind.push(r.envelope.body.kind().code());
            c.body.push(serde_json::to_value(&r.envelope.body).unwrap_or_default());
            c.hash.push(r.envelope.content_hash());
            c.device_time.push(r.envelope.device_time);
            c.received.push(r.received);
            c.skew.push(r.skew);
            c.verdict.push(r.verdict);
            c.offline.push(r.offline);
            let effort = demo_effort(id, r.envelope.body.kind());
            c.effort_seconds.push(i32::try_from(effort.seconds).unwrap_or_default());
            c.effort_fields.push(i16::try_from(effort.fields).unwrap_or_default());
        }
        sqlx::query(
            "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at,
                                        clock_skew_s, verdict, offline, effort_seconds, effort_fields, district_id)
             SELECT r.*, pd.district_id
               FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::jsonb[], $6::text[],
                           $7::timestamptz[], $8::timestamptz[], $9::int[], $10::text[], $11::bool[],
                           $12::int[], $13::smallint[])
                    AS r(id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at, clock_skew_s,
                         verdict, offline, effort_seconds, effort_fields)
               JOIN posting_districts pd ON pd.posting_id = r.posting_id",
        )
        .bind(&c.id)
        .bind(&c.secretary)
        .bind(&c.posting)
        .bind(&c.kind)
        .bind(&c.body)
        .bind(&c.hash)
        .bind(&c.device_time)
        .bind(&c.received)
        .bind(&c.skew)
        .bind(&c.verdict)
        .bind(&c.offline)
        .bind(&c.effort_seconds)
        .bind(&c.effort_fields)
        .execute(&mut **tx)
        .await?;
    }
    Ok(presence)
}

/// The year's evaluation under way: nine in ten secretaries have filed their term goals
/// (approved by township and unit) and commitment, been scored by the assessors with the filed
/// plans entered, and had their village's survey counted; the rest are still open, to show the
/// work that remains.
async fn evaluation_year(
    tx: &mut Transaction<'_, Postgres>,
    rng: &mut ChaCha8Rng,
    postings: &[PostingRow],
    year: i32,
) -> Result<()> {
    // Each district's department assesses its own secretaries.
    let assessors: std::collections::HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT district_id, min(id) FROM accounts WHERE role = 'dept_admin' AND district_id IS NOT NULL GROUP BY 1",
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    for p in postings {
        if rng.gen_bool(0.1) {
            continue;
        }
        let Some(&assessor) = assessors.get(&p.district_id) else { continue };
        let (township, unit): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT id FROM accounts WHERE township_id = $1 AND role = 'township_supervisor' LIMIT 1),
                    (SELECT a.id FROM accounts a JOIN postings p ON p.unit_id = a.unit_id WHERE p.id = $2 AND a.role = 'unit_viewer' LIMIT 1)",
        )
        .bind(p.township_id)
        .bind(p.id)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO filings (posting_id, year, kind, body, goals, published_on, township_approved_by, township_approved_at,
                                  unit_approved_by, unit_approved_at)
             VALUES ($1, $2, 'term_goals', '任期内带领村集体增收、改善人居环境、建强村党组织。',
                     '[{\"goal\": \"村集体年收入增加 5 万元\", \"progress\": \"已落实石榴加工项目\"}, {\"goal\": \"硬化村内道路 2 公里\", \"progress\": \"\"}]',
                     NULL, $3, now(), $4, CASE WHEN $4 IS NULL THEN NULL ELSE now() END),
                    ($1, $2, 'commitment', '我承诺：吃住在村、真抓实干，任期内为群众办好十件实事。', '[]', $5, NULL, NULL, NULL, NULL)",
        )
        .bind(p.id)
        .bind(year)
        .bind(township)
        .bind(unit)
        .bind(p.term_start + Duration::days(35))
        .execute(&mut **tx)
        .await?;
        for item in ["B1.1", "D1.1", "D4.1", "D4.2"] {
            let points = *[0.0, 0.0, 0.0, -1.0, -2.0].choose(rng).unwrap_or(&0.0);
            sqlx::query(
                "INSERT INTO evaluation_assessments (posting_id, year, item, points, reason, evidence, assessor_id)
                 VALUES ($1, $2, $3, $4, '查阅台账、实地查看', '民情日记本\n会议记录本', $5)",
            )
            .bind(p.id)
            .bind(year)
            .bind(item)
            .bind(points)
            .bind(assessor)
            .execute(&mut **tx)
            .await?;
        }
        let grade = *[0.0, 0.0, 0.0, 0.0, 1.0, -1.0].choose(rng).unwrap_or(&0.0);
        for (fact, value, evidence) in [
            ("party_training_held", 1.0, "培训签到表"),
            ("development_plan", 1.0, "发展规划（镇街备案）"),
            ("annual_work_plan", 1.0, "村两委年度工作计划"),
            ("village_grade_change", grade, "镇街党（工）委年度分类定级文件"),
        ] {
            sqlx::query(
                "INSERT INTO evaluation_facts (posting_id, year, fact, value, evidence, entered_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(p.id)
            .bind(year)
            .bind(fact)
            .bind(value)
            .bind(evidence)
            .bind(assessor)
            .execute(&mut **tx)
            .await?;
        }
        // The survey as counted: 60–120 entitled to vote, 70–95 % turnout.
        let eligible: i32 = rng.gen_range(60..=120);
        let votes = eligible * rng.gen_range(70..=95) / 100;
        let very = votes * rng.gen_range(40..=70) / 100;
        let satisfied = (votes - very) * rng.gen_range(50..=90) / 100;
        let basically = (votes - very - satisfied) * 2 / 3;
        sqlx::query(
            "INSERT INTO surveys (posting_id, year, eligible, very_satisfied, satisfied, basically_satisfied, dissatisfied, opened_by, closed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())",
        )
        .bind(p.id)
        .bind(year)
        .bind(eligible)
        .bind(very)
        .bind(satisfied)
        .bind(basically)
        .bind(votes - very - satisfied - basically)
        .bind(township.unwrap_or(assessor))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
