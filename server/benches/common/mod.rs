//! Generated organisations and history shared by the benchmarks, and what they measure with.
// Each benchmark is a crate of its own and uses some of these.
#![allow(dead_code)]

use std::time::Duration;

use sqlx::PgPool;

/// The `p` quantile of `times` (nearest rank), in milliseconds.
pub fn percentile(mut times: Vec<Duration>, p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1000.0
}

/// A file store of its own for the run.
pub fn files() -> db::files::FileStore {
    db::files::FileStore::local(&std::env::temp_dir().join(format!("zhucun-bench-files-{}", std::process::id())))
        .unwrap()
}

/// One district: townships, a village and a secretary per posting, their units and households.
pub async fn organisation(pool: &PgPool, townships: i64, per_township: i64) -> i64 {
    city(pool, 1, townships, per_township).await[0]
}

/// A city of `districts` such districts (returned), each with 50 dispatching units.
pub async fn city(pool: &PgPool, districts: i64, townships: i64, per_township: i64) -> Vec<i64> {
    let city: i64 =
        sqlx::query_scalar("INSERT INTO cities (name) VALUES ('基准市') RETURNING id").fetch_one(pool).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO districts (city_id, name) SELECT $1, '基准区' || g FROM generate_series(1, $2) g RETURNING id",
    )
    .bind(city)
    .bind(districts)
    .fetch_all(pool)
    .await
    .unwrap();
    for sql in [
        "INSERT INTO townships (district_id, name, kind) SELECT d, '镇' || d || '-' || g, 'town' FROM unnest($1::bigint[]) d, generate_series(1, $2) g",
        "INSERT INTO units (district_id, name, kind) SELECT d, '单位' || g, 'district_organ' FROM unnest($1::bigint[]) d, generate_series(1, 50) g",
    ] {
        sqlx::query(sql).bind(&ids).bind(townships).execute(pool).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO villages (township_id, name, kind, lat, lon, geofence_m, eligible_voters)
         SELECT t.id, t.name || '村' || g, 'village', 34.5 + random() * 0.5, 117.3 + random() * 0.5, 500, 800
           FROM townships t, generate_series(1, $1) g",
    )
    .bind(per_township)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO accounts (username, display_name, password_hash, role, district_id)
         SELECT 'bench' || v.id, '书记' || v.id, 'x', 'secretary', t.district_id FROM villages v JOIN townships t ON t.id = v.township_id",
    )
    .execute(pool)
    .await
    .unwrap();
    // Each village's secretary is sent by one of its district's units.
    sqlx::query(
        "INSERT INTO postings (secretary_id, village_id, unit_id, term_start, term_end, mode, source, rank_class, round)
         SELECT a.id, v.id, (SELECT min(u.id) FROM units u WHERE u.district_id = t.district_id) + v.id % 50,
                current_date - 400, current_date + 300,
                CASE WHEN v.id % 4 = 0 THEN 'part_time' ELSE 'full_time' END, 'district_organ', 'section_chief', 1
           FROM villages v JOIN townships t ON t.id = v.township_id JOIN accounts a ON a.username = 'bench' || v.id",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO households (posting_id, head_name, members, paired_on)
         SELECT p.id, '户' || g, 3, current_date - 390 FROM postings p, generate_series(1, 2) g",
    )
    .execute(pool)
    .await
    .unwrap();
    ids
}

/// History from `newest` to `oldest` days ago: a check-in most working days (one in twelve outside
/// the village), a diary and a 两委 meeting a week, a visit a month; `attendance_days` as the
/// sync push keeps it.
pub async fn history(pool: &PgPool, newest: i32, oldest: i32) {
    sqlx::query(
        "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at, clock_skew_s, verdict, offline, district_id)
         SELECT gen_random_uuid(), p.secretary_id, p.id, 'check_in',
                jsonb_build_object('kind', 'check_in', 'body', jsonb_build_object('village_id', p.village_id,
                    'lat', 34.7 + random() * 0.001, 'lon', 117.5 + random() * 0.001, 'accuracy_m', 15, 'offline', false)),
                md5(random()::text), t, t + interval '3 minutes', 0,
                CASE WHEN random() < 0.08 THEN 'review' ELSE 'verified' END, random() < 0.2,
                (SELECT district_id FROM posting_districts WHERE posting_id = p.id)
           FROM postings p, generate_series($1, $2) d,
                LATERAL (SELECT (current_date - d) + time '00:30' + (random() * interval '2 hours') AS t) x
          WHERE random() < 0.85 AND extract(isodow FROM current_date - d) < 6",
    )
    .bind(newest)
    .bind(oldest)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO field_records (id, secretary_id, posting_id, kind, body, content_hash, device_time, received_at, clock_skew_s, district_id)
         SELECT gen_random_uuid(), p.secretary_id, p.id, k.kind,
                CASE k.kind
                  WHEN 'diary' THEN jsonb_build_object('kind', 'diary', 'body', jsonb_build_object('date', current_date - d,
                       'text', '走访农户，了解收成和用水情况。', 'tags', '[\"民生\"]'::jsonb, 'households', '[]'::jsonb, 'photos', '[]'::jsonb))
                  WHEN 'meeting' THEN jsonb_build_object('kind', 'meeting', 'body', jsonb_build_object('kind', 'liang_wei_weekly',
                       'chaired', true, 'date', current_date - d, 'attendees', 7, 'topics', '冬季防火', 'decisions', '', 'photos', '[]'::jsonb))
                  ELSE jsonb_build_object('kind', 'visit', 'body', jsonb_build_object('household_id',
                       (SELECT min(h.id) FROM households h WHERE h.posting_id = p.id), 'date', current_date - d,
                       'notes', '看望', 'help', '[]'::jsonb, 'photos', '[]'::jsonb))
                END,
                md5(random()::text), (current_date - d) + time '03:00', (current_date - d) + time '03:05', 0,
                (SELECT district_id FROM posting_districts WHERE posting_id = p.id)
           FROM postings p, generate_series($1, $2) d,
                (VALUES ('diary', 2), ('meeting', 3), ('visit', 4)) AS k(kind, dow)
          WHERE extract(isodow FROM current_date - d) = k.dow AND (k.kind <> 'visit' OR extract(day FROM current_date - d) <= 7)",
    )
    .bind(newest)
    .bind(oldest)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO attendance_days (posting_id, day, district_id, verified, review, offline, first_device_time, first_received_at, first_verified_in)
         SELECT posting_id, ((device_time + clock_skew_s * interval '1 second') AT TIME ZONE 'Asia/Shanghai')::date, district_id,
                count(*) FILTER (WHERE verdict = 'verified'), count(*) FILTER (WHERE verdict = 'review'),
                count(*) FILTER (WHERE offline), min(device_time), min(received_at), min(device_time) FILTER (WHERE verdict = 'verified')
           FROM field_records WHERE kind = 'check_in' AND device_time >= current_date - $2 AND device_time < current_date - $1 + 1
          GROUP BY 1, 2, 3
         ON CONFLICT (posting_id, day) DO NOTHING",
    )
    .bind(newest)
    .bind(oldest)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
}
