use crate::helpers::{TestApp, backends};

#[tokio::test]
async fn healthz_reports_the_database_as_ok() {
    for backend in backends() {
        let app = TestApp::spawn_empty(backend).await;
        let (status, body) = app.get_json("/healthz").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(body["status"], "ok", "{backend:?}");
        assert_eq!(body["database"]["status"], "ok", "{backend:?}");
    }
}

#[tokio::test]
async fn healthz_reports_a_closed_database_as_unavailable() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    app.db.clone().close().await.expect("close");
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 503);
    assert_eq!(body["database"]["status"], "error");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_one_sent_by_a_proxy() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let response = app.get("/healthz").await;
    let generated = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");

    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "proxy-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "proxy-123");
}

#[tokio::test]
async fn responses_tell_browsers_not_to_sniff_content_types() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let response = app.get("/").await;
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let pragma = |name: &'static str| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("PRAGMA {name}"),
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .unwrap()
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert_eq!(pragma("busy_timeout").await, "5000");
}
