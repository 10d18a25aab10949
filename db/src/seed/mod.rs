//! The demo city 枣庄市: 峄城区 as the seed document describes it, with 171 first secretaries in
//! the document's mix (23 from city departments, 71 from district organs, 10 retired cadres,
//! 67 township cadres), and 薛城区 generated the same way (120 secretaries) so that the city's
//! department compares two districts. Generated from a fixed random seed, so every machine
//! gets the same data.

use chrono::NaiveDate;
use domain::org::{PostingMode, PostingSource, RankClass, TownshipKind, UnitKind, VillageKind};
use domain::Role;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgPool, Postgres, Transaction};

use crate::{audit, auth, Result};

mod history;
pub use history::history;

/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "zhucun-demo-2026";

/// The demo districts, the first the seed document's.
pub const DEMO_DISTRICTS: [&str; 2] = ["峄城区", "薛城区"];

/// One demo login per role, printed after seeding.
pub const DEMO_LOGINS: [(&str, Role); 8] = [
    ("admin", Role::SysAdmin),
    ("zzb", Role::DeptAdmin),
    ("xczzb", Role::DeptAdmin),
    ("szzb", Role::DeptAdmin),
    ("ducha", Role::Inspector),
    ("zj.gushao", Role::TownshipSupervisor),
    ("dw.jiaoti", Role::UnitViewer),
    ("sj001", Role::Secretary),
];

/// (name, pinyin, kind, centre lat, centre lon, villages with a secretary, villages without).
type TownshipPlan = (&'static str, &'static str, TownshipKind, f64, f64, usize, usize);

/// A demo district: its townships, logins and how many secretaries come from where.
struct DistrictPlan {
    name: &'static str,
    /// The organisation department's and the inspection bureau's logins and names.
    dept: (&'static str, &'static str),
    inspector: (&'static str, &'static str),
    /// Before the pinyin of a unit's viewer login, and before a secretary's number.
    unit_login: &'static str,
    secretary_login: &'static str,
    townships: &'static [TownshipPlan],
    city_departments: usize,
    district_organs: usize,
    retired_cadres: usize,
    /// Township cadres, two in five villages of each township at most.
    township_cadres: usize,
}

const DISTRICTS: [DistrictPlan; 2] = [
    DistrictPlan {
        name: DEMO_DISTRICTS[0],
        dept: ("zzb", "峄城区委组织部"),
        inspector: ("ducha", "峄城区督察局"),
        unit_login: "dw.",
        secretary_login: "sj",
        townships: &[
            ("坛山街道", "tanshan", TownshipKind::Subdistrict, 34.772, 117.590, 18, 2),
            ("吴林街道", "wulin", TownshipKind::Subdistrict, 34.790, 117.640, 20, 1),
            ("古邵镇", "gushao", TownshipKind::Town, 34.700, 117.520, 30, 2),
            ("阴平镇", "yinping", TownshipKind::Town, 34.835, 117.520, 28, 1),
            ("底阁镇", "dige", TownshipKind::Town, 34.690, 117.670, 26, 2),
            ("榴园镇", "liuyuan", TownshipKind::Town, 34.735, 117.615, 24, 1),
            ("峨山镇", "eshan", TownshipKind::Town, 34.805, 117.455, 25, 2),
        ],
        city_departments: 23,
        district_organs: 71,
        retired_cadres: 10,
        township_cadres: 67,
    },
    // West of 峄城, around the city's seat; its four subdistricts and three towns.
    DistrictPlan {
        name: DEMO_DISTRICTS[1],
        dept: ("xczzb", "薛城区委组织部"),
        inspector: ("xcducha", "薛城区督察局"),
        unit_login: "dw.xc.",
        secretary_login: "xc",
        townships: &[
            ("常庄街道", "changzhuang", TownshipKind::Subdistrict, 34.770, 117.230, 14, 2),
            ("临城街道", "lincheng", TownshipKind::Subdistrict, 34.800, 117.265, 16, 1),
            ("新城街道", "xincheng", TownshipKind::Subdistrict, 34.785, 117.300, 12, 1),
            ("巨山街道", "jushan", TownshipKind::Subdistrict, 34.825, 117.285, 14, 1),
            ("沙沟镇", "shagou", TownshipKind::Town, 34.690, 117.210, 22, 2),
            ("周营镇", "zhouying", TownshipKind::Town, 34.715, 117.300, 20, 1),
            ("邹坞镇", "zouwu", TownshipKind::Town, 34.870, 117.275, 22, 2),
        ],
        city_departments: 16,
        district_organs: 52,
        retired_cadres: 8,
        township_cadres: 44,
    },
];

const CITY_DEPARTMENTS: [&str; 23] = [
    "市发展改革委",
    "市教育局",
    "市科技局",
    "市工业和信息化局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市水利局",
    "市农业农村局",
    "市商务局",
    "市文化和旅游局",
    "市卫生健康委",
    "市应急管理局",
    "市审计局",
    "市市场监管局",
    "市统计局",
    "市医保局",
];

/// District organs with the pinyin of their unit-viewer login.
const DISTRICT_ORGANS: [(&str, &str); 30] = [
    ("区委办公室", "quweiban"),
    ("区政府办公室", "zhengfuban"),
    ("区纪委监委", "jiwei"),
    ("区委组织部", "zuzhibu"),
    ("区委宣传部", "xuanchuan"),
    ("区委统战部", "tongzhan"),
    ("区委政法委", "zhengfa"),
    ("区发展和改革局", "fagai"),
    ("区教育和体育局", "jiaoti"),
    ("区科学技术局", "keji"),
    ("区工业和信息化局", "gongxin"),
    ("区公安分局", "gongan"),
    ("区民政局", "minzheng"),
    ("区司法局", "sifa"),
    ("区财政局", "caizheng"),
    ("区人力资源和社会保障局", "renshe"),
    ("区自然资源局", "ziran"),
    ("区住房和城乡建设局", "zhujian"),
    ("区交通运输局", "jiaotong"),
    ("区水务局", "shuiwu"),
    ("区农业农村局", "nongye"),
    ("区商务局", "shangwu"),
    ("区文化和旅游局", "wenlv"),
    ("区卫生健康局", "weijian"),
    ("区应急管理局", "yingji"),
    ("区审计局", "shenji"),
    ("区市场监督管理局", "shijian"),
    ("区统计局", "tongji"),
    ("区医疗保障局", "yibao"),
    ("区供销合作社", "gongxiao"),
];

/// The unit that sends the ten retired cadres.
const RETIRED_UNIT: (&str, &str) = ("区委老干部局", "laoganbu");

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾",
    "彭", "吕",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "红梅", "国庆", "建国", "玉兰", "春生", "文博", "子涵", "浩然",
    "思远",
];
const VILLAGE_STEMS: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "孙", "周", "吴", "徐", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
    "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋",
    "余", "杜", "大", "小", "东", "西", "南", "北", "前", "后", "上", "下", "新", "老", "石", "榴", "金", "白", "青",
    "黄", "红", "官",
];
const VILLAGE_ENDS: &[&str] =
    &["庄", "楼", "营", "屯", "洼", "集", "湖", "山", "岭", "河", "桥", "沟", "埠", "店", "寨", "窑"];
const HARDSHIPS: &[&str] = &["因病致困", "因残致困", "缺劳动力", "因学致困", "缺技术", "老年独居", "因灾致困"];

fn person_name(rng: &mut ChaCha8Rng) -> String {
    format!("{}{}", SURNAMES.choose(rng).unwrap(), GIVEN.choose(rng).unwrap())
}

/// Whether the demo city is already there.
pub async fn is_seeded(pool: &PgPool) -> Result<bool> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM districts WHERE name = $1)")
        .bind(DEMO_DISTRICTS[0])
        .fetch_one(pool)
        .await?)
}

/// Seeds the demo city unless it is there. Returns whether it seeded.
pub async fn demo(pool: &PgPool) -> Result<bool> {
    if is_seeded(pool).await? {
        return Ok(false);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_2026);
    // One hash for every demo account: they share the published demo password.
    let hash = auth::hash_password_blocking(DEMO_PASSWORD.to_string()).await;
    let mut tx = pool.begin().await?;
    let mut s = Seeder { tx: &mut tx, hash };

    let city: i64 = sqlx::query_scalar(
        "INSERT INTO cities (name) VALUES ('枣庄市') ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .fetch_one(&mut **s.tx)
    .await?;
    s.account("admin", "系统管理员", None, Scope::None).await?;
    s.account("szzb", "枣庄市委组织部", None, Scope::City(city)).await?;
    for plan in &DISTRICTS {
        let district = s.district(&mut rng, city, plan).await?;
        audit::record(s.tx, None, "seed", "district", Some(district), serde_json::json!({ "demo": true })).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The scope column a seeded account gets.
enum Scope {
    None,
    City(i64),
    District(i64, Role),
    Township(i64),
    Unit(i64),
}

struct Seeder<'a, 'c> {
    tx: &'a mut Transaction<'c, Postgres>,
    hash: String,
}

impl Seeder<'_, '_> {
    async fn account(&mut self, username: &str, name: &str, phone: Option<&str>, scope: Scope) -> Result<i64> {
        let (role, city, district, township, unit) = match scope {
            Scope::None => (Role::SysAdmin, None, None, None, None),
            Scope::City(c) => (Role::DeptAdmin, Some(c), None, None, None),
            Scope::District(d, role) => (role, None, Some(d), None, None),
            Scope::Township(t) => (Role::TownshipSupervisor, None, None, Some(t), None),
            Scope::Unit(u) => (Role::UnitViewer, None, None, None, Some(u)),
        };
        Ok(sqlx::query_scalar(
            "INSERT INTO accounts (username, display_name, phone, password_hash, role, city_id, district_id, township_id, unit_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(username)
        .bind(name)
        .bind(phone)
        .bind(&self.hash)
        .bind(role)
        .bind(city)
        .bind(district)
        .bind(township)
        .bind(unit)
        .fetch_one(&mut **self.tx)
        .await?)
    }

    /// One demo district with its department, inspector, units, townships, villages and
    /// secretaries with their paired households.
    async fn district(&mut self, rng: &mut ChaCha8Rng, city: i64, plan: &DistrictPlan) -> Result<i64> {
        let s = self;
        let district: i64 = sqlx::query_scalar("INSERT INTO districts (city_id, name) VALUES ($1, $2) RETURNING id")
            .bind(city)
            .bind(plan.name)
            .fetch_one(&mut **s.tx)
            .await?;
        let dept = s.account(plan.dept.0, plan.dept.1, None, Scope::District(district, Role::DeptAdmin)).await?;
        // The demo district keeps Yicheng's 镇街点名考勤, turned on as its own decision.
        sqlx::query(
            "INSERT INTO district_mandates (district_id, mandate, basis, reason, enabled_by)
             VALUES ($1, 'roll_call', 'district_decision', '演示数据：沿用峄城区“镇街点名考勤”的做法（本区决定）', $2)",
        )
        .bind(district)
        .bind(dept)
        .execute(&mut **s.tx)
        .await?;
        s.account(plan.inspector.0, plan.inspector.1, None, Scope::District(district, Role::Inspector)).await?;

        // Dispatching units; each district organ gets a viewer login.
        let mut city_units = Vec::new();
        for name in &CITY_DEPARTMENTS[..plan.city_departments] {
            city_units.push(s.unit(district, name, UnitKind::CityDepartment, None).await?);
        }
        let mut organ_units = Vec::new();
        for (name, py) in DISTRICT_ORGANS {
            let id = s.unit(district, name, UnitKind::DistrictOrgan, None).await?;
            s.account(&format!("{}{py}", plan.unit_login), name, None, Scope::Unit(id)).await?;
            organ_units.push(id);
        }
        let retired_unit = s.unit(district, RETIRED_UNIT.0, UnitKind::DistrictOrgan, None).await?;
        s.account(&format!("{}{}", plan.unit_login, RETIRED_UNIT.1), RETIRED_UNIT.0, None, Scope::Unit(retired_unit))
            .await?;

        // Townships with their supervisor, their own dispatching unit and their villages.
        let mut posted = Vec::new(); // (township index, village id)
        let mut township_units = Vec::new();
        for (i, &(name, py, kind, lat, lon, with_secretary, without)) in plan.townships.iter().enumerate() {
            let tid: i64 =
                sqlx::query_scalar("INSERT INTO townships (district_id, name, kind) VALUES ($1, $2, $3) RETURNING id")
                    .bind(district)
                    .bind(name)
                    .bind(kind)
                    .fetch_one(&mut **s.tx)
                    .await?;
            s.account(&format!("zj.{py}"), &format!("{name}管理员"), None, Scope::Township(tid)).await?;
            let party = if kind == TownshipKind::Town { "党委" } else { "党工委" };
            township_units.push(s.unit(district, &format!("{name}{party}"), UnitKind::Township, Some(tid)).await?);
            let village_kind =
                if kind == TownshipKind::Subdistrict { VillageKind::Community } else { VillageKind::Village };
            let mut names = std::collections::BTreeSet::new();
            if name == "峨山镇" {
                names.insert("各大布村".to_string()); // named in the seed document
            }
            while names.len() < with_secretary + without {
                let stem = VILLAGE_STEMS.choose(rng).unwrap();
                names.insert(match village_kind {
                    VillageKind::Community => {
                        format!("{stem}{}社区", ["园", "苑", "城", "湖", "山"].choose(rng).unwrap())
                    }
                    VillageKind::Village => format!("{stem}{}村", VILLAGE_ENDS.choose(rng).unwrap()),
                });
            }
            let mut names: Vec<String> = names.into_iter().collect();
            names.shuffle(rng);
            for (k, vname) in names.iter().enumerate() {
                // Within about 6 km of the township's seat.
                let (vlat, vlon) = (lat + rng.gen_range(-0.05..0.05), lon + rng.gen_range(-0.06..0.06));
                let vid: i64 = sqlx::query_scalar(
                    "INSERT INTO villages (township_id, name, kind, lat, lon, geofence_m, eligible_voters)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(tid)
                .bind(vname)
                .bind(village_kind)
                .bind((vlat * 1e5).round() / 1e5)
                .bind((vlon * 1e5).round() / 1e5)
                .bind([300, 500, 500, 800, 1000][rng.gen_range(0..5)])
                .bind(rng.gen_range(300..2200))
                .fetch_one(&mut **s.tx)
                .await?;
                if k < with_secretary {
                    posted.push((i, vid));
                }
            }
        }

        // Secretaries in the plan's mix. Township cadres serve in their own township.
        let mut sources: Vec<(PostingSource, i64)> = Vec::new();
        sources.extend(city_units.iter().map(|&u| (PostingSource::CityDepartment, u)));
        sources.extend(
            (0..plan.district_organs).map(|k| (PostingSource::DistrictOrgan, organ_units[k % organ_units.len()])),
        );
        sources.extend((0..plan.retired_cadres).map(|_| (PostingSource::RetiredCadre, retired_unit)));
        let mut township_slots: Vec<(usize, i64)> = Vec::new(); // villages left for township cadres
        let mut others = posted.clone();
        others.shuffle(rng);
        // Township cadres take two in five villages of each township; the rest go to the others.
        let mut per_township = vec![0usize; plan.townships.len()];
        others.retain(|&(t, v)| {
            if township_slots.len() < plan.township_cadres && per_township[t] < plan.townships[t].5 * 2 / 5 {
                per_township[t] += 1;
                township_slots.push((t, v));
                false
            } else {
                true
            }
        });
        let mut assignments: Vec<(PostingSource, i64, i64)> =
            sources.iter().zip(others.iter()).map(|(&(src, u), &(_, v))| (src, u, v)).collect();
        assignments.extend(township_slots.iter().map(|&(t, v)| (PostingSource::Township, township_units[t], v)));
        let start = NaiveDate::from_ymd_opt(2026, 3, 1).expect("valid date");
        for (n, &(source, unit, village)) in assignments.iter().enumerate() {
            let name = person_name(rng);
            let phone = format!("1{}{:08}", [3, 5, 8][n % 3], rng.gen_range(0..100_000_000u32));
            let sid = s
                .account(
                    &format!("{}{:03}", plan.secretary_login, n + 1),
                    &name,
                    Some(&phone),
                    Scope::District(district, Role::Secretary),
                )
                .await?;
            let mode = match source {
                PostingSource::CityDepartment => PostingMode::FullTime,
                PostingSource::DistrictOrgan if rng.gen_bool(0.8) => PostingMode::FullTime,
                _ => PostingMode::PartTime,
            };
            let rank = match source {
                PostingSource::RetiredCadre => RankClass::OtherLeader,
                _ => *[
                    RankClass::PartyGovChief,
                    RankClass::OtherLeader,
                    RankClass::SectionChief,
                    RankClass::DeputySectionOrBelow,
                    RankClass::DeputySectionOrBelow,
                ]
                .choose(rng)
                .unwrap(),
            };
            let end = start.checked_add_months(chrono::Months::new(mode.term_months())).expect("valid date")
                - chrono::Days::new(1);
            // 第四条: township cadres assist secretaries from city departments.
            let assistant = (source == PostingSource::CityDepartment).then(|| person_name(rng));
            let pid: i64 = sqlx::query_scalar(
                "INSERT INTO postings (secretary_id, village_id, unit_id, term_start, term_end, mode, source, rank_class, round, assistant_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 3, $9) RETURNING id",
            )
            .bind(sid)
            .bind(village)
            .bind(unit)
            .bind(start)
            .bind(end)
            .bind(mode)
            .bind(source)
            .bind(rank)
            .bind(assistant)
            .fetch_one(&mut **s.tx)
            .await?;
            for _ in 0..rng.gen_range(2..=5) {
                let head = person_name(rng);
                sqlx::query(
                    "INSERT INTO households (posting_id, head_name, members, address, hardship, paired_on)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                )
                .bind(pid)
                .bind(&head)
                .bind(rng.gen_range(1..=6))
                .bind(format!("{}组{}号", rng.gen_range(1..=8), rng.gen_range(1..=120)))
                .bind(*HARDSHIPS.choose(rng).unwrap())
                .bind(start + chrono::Days::new(rng.gen_range(10..60)))
                .execute(&mut **s.tx)
                .await?;
            }
        }
        Ok(district)
    }

    async fn unit(&mut self, district: i64, name: &str, kind: UnitKind, township: Option<i64>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO units (district_id, name, kind, township_id) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(district)
        .bind(name)
        .bind(kind)
        .bind(township)
        .fetch_one(&mut **self.tx)
        .await?)
    }
}
