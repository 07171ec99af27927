//! Headers and limits: private answers are never cached, production forces HTTPS
//! cookies and HSTS, a sign-in rotates the CSRF token, slow and oversized requests
//! get the JSON error shape, a full server says 503 instead of queueing, and a
//! bodiless POST from a script is not mistaken for a forged form.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use crate::helpers::{Backend, PASSWORD, TestApp, TestDb, set_cookie};

async fn accounts_app(adjust: impl FnOnce(&mut renkei::config::Config)) -> TestApp {
    let test_db = TestDb::create(Backend::Sqlite).await;
    let db = test_db.connect().await;
    crate::helpers::seed_reference_data(&db).await;
    renkei::demo::create_demo_accounts(&db)
        .await
        .expect("demo accounts");
    TestApp::start_with(Arc::new(test_db), adjust).await
}

fn port_of(app: &TestApp) -> u16 {
    app.address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port")
}

#[tokio::test]
async fn what_a_signed_in_person_sees_is_never_stored_by_a_cache() {
    let app = accounts_app(|_| {}).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    for path in ["/api/me", "/api/accounts", "/admin/accounts", "/"] {
        let response = admin
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("get");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let public = app.get("/api/cases").await;
    assert_eq!(public.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn in_production_cookies_are_secure_and_browsers_are_told_to_use_https() {
    let app = accounts_app(|c| c.env = renkei::config::Environment::Production).await;
    let response = app
        .sign_in_with(&app.browser(), "miyake@renkei.example", PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    let session = set_cookie(&response, "renkei_session").expect("session cookie");
    assert!(session.contains("; Secure"), "{session}");
    let csrf = set_cookie(&response, "renkei_csrf").expect("csrf cookie");
    assert!(csrf.contains("; Secure"), "{csrf}");
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .expect("hsts")
            .starts_with("max-age=")
    );
}

#[tokio::test]
async fn signing_in_gives_the_browser_a_new_csrf_token() {
    let app = accounts_app(|_| {}).await;
    let planted = "a".repeat(64);
    let response = app
        .client
        .post(app.url("/api/session"))
        .header("cookie", format!("renkei_csrf={planted}"))
        .json(&serde_json::json!({ "email": "miyake@renkei.example", "password": PASSWORD }))
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), 200);
    let csrf = set_cookie(&response, "renkei_csrf").expect("a new csrf cookie");
    assert!(!csrf.contains(&planted), "{csrf}");
}

#[tokio::test]
async fn an_oversized_body_and_a_slow_request_get_the_json_error_shape() {
    let app = accounts_app(|c| {
        c.max_body_bytes = 1024;
        c.request_timeout_secs = 1;
    })
    .await;
    let big = app
        .client
        .post(app.url("/api/session"))
        .header("content-type", "application/json")
        .body(format!("{{\"email\":\"{}\"}}", "x".repeat(4096)))
        .send()
        .await
        .expect("post");
    assert_eq!(big.status(), 413);
    let body: serde_json::Value = big.json().await.expect("json 413");
    assert_eq!(body["error"]["code"], "payload_too_large");

    // A body announced but sent only in part keeps the handler waiting.
    let port = port_of(&app);
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        stream
            .write_all(
                b"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"email\":",
            )
            .expect("write");
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        text
    })
    .await
    .expect("task");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"timeout\""), "{answer}");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = accounts_app(|_| {}).await;
    let port = port_of(&app);
    let closed = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .expect("write");
        let mut buffer = [0u8; 256];
        // The server closes the connection (0 bytes read, or a reset) well
        // before the 30 s read timeout of this client.
        matches!(stream.read(&mut buffer), Ok(0) | Err(_))
            && stream.read(&mut buffer).map_or(true, |n| n == 0)
    })
    .await
    .expect("task");
    assert!(closed, "the half-sent request was cut off");
    assert_eq!(app.get("/healthz").await.status(), 200, "others are served");
}

#[tokio::test]
async fn a_full_server_answers_503_instead_of_queueing() {
    let app = accounts_app(|c| c.max_concurrent_requests = 1).await;
    let port = port_of(&app);
    // Hold the one slot with a request whose body never finishes.
    let mut held = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    held.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{",
    )
    .expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = app.get("/healthz").await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(body["error"]["code"], "overloaded");
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_bodiless_post_from_a_script_reaches_its_route() {
    let app = accounts_app(|_| {}).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    // No body and no Content-Type, as `curl -X POST` sends it.
    let response = admin
        .post(app.url("/api/trainings/999/open"))
        .send()
        .await
        .expect("post");
    assert_eq!(
        response.status(),
        404,
        "reached the handler, not refused as a form"
    );
    // A form-like body without the token is still refused.
    let form = admin
        .post(app.url("/api/trainings/999/open"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x=1")
        .send()
        .await
        .expect("post");
    assert_eq!(form.status(), 403);
}

#[tokio::test]
async fn percent_and_underscore_in_the_audit_actor_filter_match_themselves() {
    let app = accounts_app(|_| {}).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let audit = |actor: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let path = format!("/api/audit?actor={}", urlencode(actor));
            let (_, body) = app.get_json_as(admin, &path).await;
            body["total"].as_u64().expect("total")
        }
    };
    assert!(audit("nara-admin").await >= 1, "the sign-in is there");
    assert_eq!(audit("%").await, 0, "no email holds a %");
    assert_eq!(audit("nara_admin").await, 0, "_ is not any character");
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn exporting_the_bank_with_its_contact_details_is_audited() {
    let app = accounts_app(|_| {}).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let export = admin
        .get(app.url("/api/advisors/export.csv"))
        .send()
        .await
        .expect("export");
    assert_eq!(export.status(), 200);
    let (_, audit) = app
        .get_json_as(&admin, "/api/audit?action=advisors_exported")
        .await;
    assert_eq!(audit["total"], 1, "{audit}");
    assert_eq!(
        audit["items"][0]["actor_email"],
        "nara-admin@renkei.example"
    );
}

#[tokio::test]
async fn the_audit_log_cannot_be_emptied_with_truncate_on_postgresql() {
    use sea_orm::ConnectionTrait;
    if !crate::helpers::backends().contains(&Backend::Postgres) {
        eprintln!("SKIPPED: no PostgreSQL (TEST_POSTGRES_URL); SQLite has no TRUNCATE");
        return;
    }
    let test_db = TestDb::create(Backend::Postgres).await;
    let db = test_db.connect().await;
    let refused = db.execute_unprepared("TRUNCATE audit_log").await;
    assert!(refused.is_err(), "TRUNCATE must be refused");
}

#[tokio::test]
async fn a_huge_profile_form_is_refused_unread_when_signed_out_and_by_count_when_signed_in() {
    let app = accounts_app(|_| {}).await;
    let mut body = String::from("name=x&kana=x");
    for n in 0..20_000 {
        body.push_str(&format!("&qualifications=q{n}"));
    }
    // Signed out: sent to sign in, whatever the body holds (the guard accepts
    // the post itself: no session, a same-site form).
    let browser = app.browser();
    let token = app.form_token(&browser, "/login").await;
    let anonymous = browser
        .post(app.url("/advisors/new"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&{body}"))
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 303);
    assert!(
        anonymous.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with("/login"),
        "to the sign-in page"
    );

    let admin = app.signed_in("nara-admin@renkei.example").await;
    let token = app.form_token(&admin, "/advisors/new").await;
    let refused = admin
        .post(app.url("/advisors/new"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={token}&{body}"))
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 303);
    let flash = app.flash(&refused).await.expect("flash");
    assert!(!flash.success);
    assert!(flash.message.contains("項目が多すぎます"), "{flash:?}");
}
