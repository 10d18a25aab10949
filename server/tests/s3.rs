//! Photos in an S3-compatible store (issue 16): the file store over a real S3 server (s3s-fs,
//! which `cargo xtask test` builds and starts: `ZHUCUN_TEST_S3_ENDPOINT`, its bucket `zhucun`
//! under `ZHUCUN_TEST_S3_ROOT`). A phone's upload is kept in the bucket and served from it, bytes
//! changed in the bucket are refused, and a backup taken from the bucket restores into a
//! directory store.

mod common;

use axum::http::{header, Method, Request, StatusCode};
use common::*;
use db::files::{sha256, AmazonS3Builder, FileStore};

const BUCKET: &str = "zhucun";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name}: the tests' S3 server, started by `cargo xtask test`"))
}

fn bucket() -> FileStore {
    FileStore::s3(
        AmazonS3Builder::new()
            .with_endpoint(env("ZHUCUN_TEST_S3_ENDPOINT"))
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_bucket_name(BUCKET)
            .with_access_key_id(env("ZHUCUN_TEST_S3_KEY"))
            .with_secret_access_key(env("ZHUCUN_TEST_S3_SECRET")),
    )
    .unwrap()
}

/// Where the S3 server keeps an object of the bucket on its disk.
fn on_disk(hash: &str) -> std::path::PathBuf {
    std::path::Path::new(&env("ZHUCUN_TEST_S3_ROOT")).join(BUCKET).join(&hash[..2]).join(&hash[2..4]).join(hash)
}

#[tokio::test]
async fn photos_are_kept_in_an_s3_bucket_served_from_it_and_backed_up_from_it() {
    let app = TestApp::with(config(), bucket()).await;
    seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    // Bytes of this run only: tests share the bucket.
    let photo = jpeg(&format!("a visit, {}", uuid::Uuid::new_v4()));
    let hash = sha256(&photo);
    let upload = Request::builder()
        .method(Method::PUT)
        .uri(format!("/sync/photos/{hash}"))
        .header(header::CONTENT_TYPE, "image/jpeg")
        .header(header::COOKIE, &sec)
        .body(axum::body::Body::from(photo.clone()))
        .unwrap();
    assert_eq!(app.send(upload).await.status, StatusCode::CREATED);
    assert_eq!(std::fs::read(on_disk(&hash)).unwrap(), photo, "the S3 server holds the bytes");
    let only_metadata: bool = sqlx::query_scalar("SELECT bytes IS NULL FROM photos WHERE hash = $1")
        .bind(&hash)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(only_metadata, "the database keeps only the metadata");

    let sup = app.login("sup1", PASSWORD).await;
    let served = app.get(&format!("/photos/{hash}"), Some(&sup)).await;
    assert_eq!((served.status, &served.body_bytes), (StatusCode::OK, &photo));
    assert_eq!(bucket().get(&sha256(b"never sent")).await.unwrap(), None);

    // Taken from the bucket, restored into a directory store.
    let dir = std::env::temp_dir().join(format!("zhucun-s3-backup-{}", rand::random::<u32>()));
    let taken = db::backup::backup(&db::testing::url_of(&app.pool).await, &bucket(), &dir).await.unwrap();
    assert_eq!(taken.new_files, 1);
    let local = fresh_files();
    db::backup::restore(&db::testing::empty_database().await, &local, &dir, None).await.unwrap();
    assert_eq!(local.get(&hash).await.unwrap(), Some(photo.clone()));
    let _ = std::fs::remove_dir_all(&dir);

    // Bytes changed in the bucket are not served as the photo.
    std::fs::write(on_disk(&hash), b"something else").unwrap();
    let changed = app.get(&format!("/photos/{hash}"), Some(&sup)).await;
    assert_eq!(changed.status, StatusCode::INTERNAL_SERVER_ERROR);
}
