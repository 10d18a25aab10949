//! Backups that restore (issue 16): a database with records, a photo and an audit trail is
//! dumped with its manifest, restored into a new empty database, and found the same — every
//! table's rows, the stored files, the audit chain recomputed entry by entry. A restore never
//! goes into a database that holds anything, and a backup that does not match is reported.

mod common;

use common::*;
use db::testing::{empty_database, url_of};

#[tokio::test]
async fn a_backup_restores_into_a_new_database_with_every_row_file_and_the_audit_chain() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let photo = jpeg("a meeting's sign-in sheet");
    let hash = db::files::sha256(&photo);
    let res = app
        .send(
            axum::http::Request::builder()
                .method(axum::http::Method::PUT)
                .uri(format!("/sync/photos/{hash}"))
                .header(axum::http::header::CONTENT_TYPE, "image/jpeg")
                .header(axum::http::header::COOKIE, &sec)
                .body(axum::body::Body::from(photo.clone()))
                .unwrap(),
        )
        .await;
    assert!(res.status.is_success(), "{}", res.body);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let meeting = serde_json::json!({ "id": uuid::Uuid::new_v4().to_string(), "device_time": chrono::Utc::now(),
        "kind": "meeting", "body": { "kind": "liang_wei_weekly", "chaired": true, "date": today, "attendees": 7,
        "topics": "冬季防火", "photos": [hash] } });
    push(&app, &sec, vec![meeting]).await;
    let sup = app.login("sup1", PASSWORD).await;
    let decide = form(&[("id", &org.own.leave.to_string()), ("approve", "true")]);
    assert_eq!(app.post("/api/decide_leave", &decide, Some(&sup)).await.status, axum::http::StatusCode::OK);

    let url = url_of(&app.pool).await;
    let dir = std::env::temp_dir().join(format!("zhucun-backup-{}", rand::random::<u32>()));
    let taken = db::backup::backup(&url, &app.files, &dir).await.unwrap();
    assert!(taken.manifest.rows["public.field_records"] >= 1 && taken.manifest.rows["public.photos"] == 1);
    assert_eq!((taken.manifest.files, taken.new_files), (1, 1), "the photo's bytes are in the store, copied once");
    assert!(taken.manifest.audit_entries >= 2, "the leave decision and the seed are in the audit log");
    // A second snapshot copies no file again; restore takes the newest.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let second = db::backup::backup(&url, &app.files, &dir).await.unwrap();
    assert_eq!(second.new_files, 0);
    assert_ne!(second.snapshot, taken.snapshot);

    let (target, store) = (empty_database().await, fresh_files());
    let restored = db::backup::restore(&target, &store, &dir, None).await.unwrap();
    let m = &second.manifest;
    assert_eq!(
        (&restored.rows, &restored.audit_head, &restored.files_digest),
        (&m.rows, &m.audit_head, &m.files_digest)
    );
    assert_eq!(store.get(&hash).await.unwrap(), Some(photo.clone()), "the photo is back in the new store");
    // The restored database serves as the original did: the application's role reads it.
    let pool = db::connect(&target, 2).await.unwrap();
    let topics: String = sqlx::query_scalar("SELECT body->'body'->>'topics' FROM field_records WHERE kind = 'meeting'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(topics, "冬季防火");

    // Never over data; a file whose bytes changed, and a backup that does not match its
    // manifest, are reported.
    let again = db::backup::restore(&target, &store, &dir, None).await.unwrap_err();
    assert!(matches!(again, db::backup::BackupError::NotEmpty(_)), "{again}");
    let file = dir.join("files").join(&hash[..2]).join(&hash[2..4]).join(&hash);
    std::fs::write(&file, b"not the photo").unwrap();
    let changed = db::backup::restore(&empty_database().await, &fresh_files(), &dir, None).await.unwrap_err();
    assert!(changed.to_string().contains(&format!("file {hash}")), "{changed}");
    std::fs::write(&file, &photo).unwrap();
    let manifest = second.snapshot.join("manifest.json");
    let mut m: db::backup::Manifest = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    *m.rows.get_mut("public.field_records").unwrap() += 1;
    std::fs::write(&manifest, serde_json::to_vec(&m).unwrap()).unwrap();
    let wrong = db::backup::restore(&empty_database().await, &fresh_files(), &dir, None).await.unwrap_err();
    assert!(wrong.to_string().contains("public.field_records"), "{wrong}");
    let _ = std::fs::remove_dir_all(&dir);

    // A file the store has lost does not spoil the snapshot: it is named, the rest restores.
    let lost = std::env::temp_dir().join(format!("zhucun-backup-{}", rand::random::<u32>()));
    let refused = db::backup::backup(&url, &fresh_files(), &lost).await.unwrap_err();
    assert!(matches!(&refused, db::backup::BackupError::Unreadable(_, h) if *h == hash), "{refused}");
    let store = fresh_files();
    let partial = db::backup::restore(&empty_database().await, &store, &lost, None).await.unwrap();
    assert_eq!((partial.rows, store.get(&hash).await.unwrap()), (second.manifest.rows.clone(), None));
    let _ = std::fs::remove_dir_all(&lost);
}

/// Photos kept in the database before the file store are moved out by `zhucun files move-out`:
/// each checked against its hash, nothing lost, a second run moves nothing, a row whose bytes
/// do not match is left as it is; the pages show the moved photo as before.
#[tokio::test]
async fn photos_kept_in_the_database_move_to_the_file_store_safely() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let (good, bad) = (jpeg("a visit"), jpeg("a diary page"));
    let good_hash = db::files::sha256(&good);
    let bad_hash = db::files::sha256(b"other bytes");
    for (hash, bytes) in [(&good_hash, &good), (&bad_hash, &bad)] {
        sqlx::query(
            "INSERT INTO photos (hash, secretary_id, content_type, bytes, size, district_id)
             SELECT $1, $2, 'image/jpeg', $3, $4, district_id FROM accounts WHERE id = $2",
        )
        .bind(hash)
        .bind(org.own.secretary)
        .bind(bytes)
        .bind(bytes.len() as i32)
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO photo_owners (hash, secretary_id, district_id) SELECT $1, $2, district_id FROM accounts WHERE id = $2",
        )
            .bind(hash)
            .bind(org.own.secretary)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let sup = app.login("sup1", PASSWORD).await;
    let before = app.get(&format!("/photos/{good_hash}"), Some(&sup)).await;
    assert_eq!((before.status, &before.body_bytes), (axum::http::StatusCode::OK, &good), "served from the row");

    let moved = db::photos::move_out(&app.pool, &app.files, 1).await.unwrap();
    assert_eq!(moved, db::photos::Moved { moved: 1, mismatched: vec![bad_hash.clone()] });
    let held: Vec<(String, bool)> = sqlx::query_as("SELECT hash, bytes IS NULL FROM photos ORDER BY hash = $1")
        .bind(&good_hash)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(held, vec![(bad_hash.clone(), false), (good_hash.clone(), true)], "the mismatched one keeps its bytes");
    assert_eq!(app.files.get(&good_hash).await.unwrap(), Some(good.clone()));
    let after = app.get(&format!("/photos/{good_hash}"), Some(&sup)).await;
    assert_eq!((after.status, &after.body_bytes), (axum::http::StatusCode::OK, &good), "served from the store");
    assert!(after.headers[axum::http::header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    let again = db::photos::move_out(&app.pool, &app.files, 1).await.unwrap();
    assert_eq!(again, db::photos::Moved { moved: 0, mismatched: vec![bad_hash] });
}
