//! 投诉建议: sent (anonymously, by name, by a villager with a ballot code), answered once by the
//! department of the district, the answer read back; never changed once sent.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::feedback::{Feedback, FeedbackCounts};

async fn post(app: &TestApp, path: &str, pairs: &[(&str, &str)], cookie: Option<&str>) -> (StatusCode, String) {
    let res = app.post(path, &form(pairs), cookie).await;
    (res.status, res.body)
}

async fn send(app: &TestApp, cookie: &str, body: &str, anonymous: bool) -> (i64, String) {
    let mut pairs = vec![("kind", "complaint"), ("body", body)];
    if anonymous {
        pairs.push(("anonymous", "on"));
    }
    let (status, body) = post(app, "/api/send_feedback", &pairs, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn a_complaint_sent_anonymously_is_answered_once_and_the_answer_read_with_its_code() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    let sec = app.login("sec.jia", PASSWORD).await;
    let (anon_id, code) = send(&app, &sec, "  每天要在三个平台重复填报同样的材料  ", true).await;
    let (named_id, _) = send(&app, &sec, "建议把走访记录和帮扶日志合并", false).await;

    // Nothing ties the anonymous message to the secretary: not the row, not the audit log.
    let (sender, audited): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT f.sender_id, (SELECT a.actor_id FROM audit_log a WHERE a.entity = 'feedback' AND a.entity_id = f.id)
           FROM feedback f WHERE f.id = $1",
    )
    .bind(anon_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((sender, audited), (None, None));
    let (_, mine) = post(&app, "/api/my_feedback", &[], Some(&sec)).await;
    let mine: Vec<Feedback> = serde_json::from_str(&mine).unwrap();
    assert_eq!(mine.iter().map(|f| f.id).collect::<Vec<_>>(), [named_id], "only the signed one is listed as theirs");
    assert_eq!(mine[0].sender.as_deref(), Some("甲书记"));

    // The district's department reads both, waiting first; another district's does not.
    let dept = app.login("dept1", PASSWORD).await;
    let (_, inbox) = post(&app, "/api/feedback_inbox", &[], Some(&dept)).await;
    let (inbox, counts): (Vec<Feedback>, FeedbackCounts) = serde_json::from_str(&inbox).unwrap();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox.iter().find(|f| f.id == anon_id).unwrap().body, "每天要在三个平台重复填报同样的材料", "trimmed");
    assert_eq!((counts.waiting, counts.answered, counts.median_hours_to_answer), (2, 0, None));
    sqlx::query(
        "INSERT INTO accounts (username, display_name, password_hash, role, district_id)
         SELECT 'dept2', '丙区组织部', password_hash, 'dept_admin', $1 FROM accounts WHERE username = 'dept1'",
    )
    .bind(org.foreign.district)
    .execute(&app.pool)
    .await
    .unwrap();
    let other = app.login("dept2", PASSWORD).await;
    let (_, theirs) = post(&app, "/api/feedback_inbox", &[], Some(&other)).await;
    let (theirs, _): (Vec<Feedback>, FeedbackCounts) = serde_json::from_str(&theirs).unwrap();
    assert!(theirs.is_empty(), "{theirs:?}");
    let id = anon_id.to_string();
    let answer = [("id", id.as_str()), ("answer", "已要求各镇街只报一次，12 月起执行")];
    assert_eq!(post(&app, "/api/answer_feedback", &answer, Some(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post(&app, "/api/answer_feedback", &answer, Some(&sec)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&app, "/api/answer_feedback", &answer, Some(&dept)).await.0, StatusCode::OK);
    let (status, again) = post(&app, "/api/answer_feedback", &answer, Some(&dept)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert!(again.contains("答复不能修改"), "{again}");
    let (_, inbox) = post(&app, "/api/feedback_inbox", &[], Some(&dept)).await;
    let (inbox, counts): (Vec<Feedback>, FeedbackCounts) = serde_json::from_str(&inbox).unwrap();
    assert_eq!(inbox[0].id, named_id, "what waits comes first");
    assert_eq!((counts.waiting, counts.answered), (1, 1));
    assert!(counts.median_hours_to_answer.is_some_and(|h| (0.0..0.1).contains(&h)));
    let (_, alone) = post(&app, "/api/feedback_tally", &[], Some(&dept)).await;
    assert_eq!(serde_json::from_str::<FeedbackCounts>(&alone).unwrap(), counts, "the dashboard's line says the same");

    // The code finds the answer, for whoever holds it, logged in or not, typed loosely.
    let (status, found) =
        post(&app, "/api/feedback_by_code", &[("code", &code.to_lowercase().replace('-', " "))], None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let found: Feedback = serde_json::from_str(&found).unwrap();
    assert_eq!((found.id, found.sender.clone()), (anon_id, None));
    assert_eq!(found.answer.as_deref(), Some("已要求各镇街只报一次，12 月起执行"));
    assert_eq!(post(&app, "/api/feedback_by_code", &[("code", "ABCDE-FGHJK")], None).await.0, StatusCode::NOT_FOUND);

    // Bad input is refused in the sender's language; the departments answer, they do not send.
    let (status, empty) = post(&app, "/api/send_feedback", &[("kind", "complaint"), ("body", "  ")], Some(&sec)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.contains("内容不能为空"), "{empty}");
    let (status, _) = post(&app, "/api/send_feedback", &[("kind", "complaint"), ("body", "x")], Some(&dept)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Sent once, answered once: the database itself refuses a change or a deletion.
    for sql in [
        "UPDATE feedback SET body = '改过了' WHERE id = $1",
        "UPDATE feedback SET answer = '再答' WHERE id = $1",
        "DELETE FROM feedback WHERE id = $1",
    ] {
        let err = sqlx::query(sql).bind(anon_id).execute(&app.pool).await.unwrap_err();
        assert!(err.to_string().contains("feedback is"), "{sql}: {err}");
    }
}

#[tokio::test]
async fn a_villager_sends_with_a_ballot_code_and_no_name_is_kept() {
    let app = TestApp::new().await;
    let org = seed_org(&app.pool).await;
    sqlx::query("UPDATE villages SET eligible_voters = 2 WHERE id = $1")
        .bind(org.own.village)
        .execute(&app.pool)
        .await
        .unwrap();
    let sup = app.login("sup1", PASSWORD).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let posting = org.own.posting.to_string();
    let (status, sheet) =
        post(&app, "/api/issue_ballots", &[("posting_id", posting.as_str()), ("year", year.as_str())], Some(&sup))
            .await;
    assert_eq!(status, StatusCode::OK, "{sheet}");
    let sheet: domain::evaluation::ballot::BallotSheet = serde_json::from_str(&sheet).unwrap();
    let ballot = sheet.ballots[0].0.clone();

    let wrong = [("ballot_code", "ABCDE-FGHJK"), ("kind", "suggestion"), ("body", "村里的路灯坏了")];
    let (status, refused) = post(&app, "/api/send_villager_feedback", &wrong, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("票码无效"), "{refused}");
    let right = [("ballot_code", ballot.as_str()), ("kind", "suggestion"), ("body", "村里的路灯坏了")];
    let (status, sent) = post(&app, "/api/send_villager_feedback", &right, None).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    // The code still votes: sending did not use it up.
    let (status, _) = post(&app, "/api/cast_ballot", &[("code", ballot.as_str()), ("answer", "satisfied")], None).await;
    assert_eq!(status, StatusCode::OK);

    let dept = app.login("dept1", PASSWORD).await;
    let (_, inbox) = post(&app, "/api/feedback_inbox", &[], Some(&dept)).await;
    let (inbox, _): (Vec<Feedback>, FeedbackCounts) = serde_json::from_str(&inbox).unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].villager && inbox[0].sender.is_none());
    assert_eq!(inbox[0].body, "村里的路灯坏了");
}
