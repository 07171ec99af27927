//! Outgoing webhooks over real HTTP on SQLite and PostgreSQL, to a receiver in
//! the test: delivered signed after the receiver fails twice, the user's
//! request never waiting; dead after the last attempt and delivered on resend;
//! member-only posts never sent; "due soon" told once; addresses inside the
//! office network refused.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::Semaphore;

use crate::helpers::{Backend, TestApp, TestDb, backends, seed_reference_data, send};

const ADMIN: &str = "nara-admin@renkei.example";
const STAFF: &str = "nara-staff@renkei.example";
const SECRET: &str = "a-shared-secret-of-the-office";

/// A chat tool's incoming webhook: records what arrives and answers with the
/// queued statuses (then `fallback`); holds each request until the gate lets
/// it through.
#[derive(Default)]
struct Receiver {
    seen: Mutex<Vec<(HeaderMap, String)>>,
    answers: Mutex<VecDeque<u16>>,
    fallback: Mutex<u16>,
    gate: Option<Arc<Semaphore>>,
}

async fn receive(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: String) -> StatusCode {
    r.seen.lock().expect("lock").push((headers, body));
    if let Some(gate) = &r.gate {
        gate.acquire().await.expect("gate").forget();
    }
    let status = r
        .answers
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or(*r.fallback.lock().expect("lock"));
    StatusCode::from_u16(status).expect("status")
}

async fn start_receiver(receiver: Arc<Receiver>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let router = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/hook")
}

/// The portal with the demo accounts, webhooks allowed to the test's own
/// machine, quick retries and at most three attempts.
async fn portal(backend: Backend) -> TestApp {
    let test_db = TestDb::create(backend).await;
    let db = test_db.connect().await;
    seed_reference_data(&db).await;
    renkei::demo::create_demo_accounts(&db)
        .await
        .expect("accounts");
    TestApp::start_with(Arc::new(test_db), |config| {
        config.webhook_allow_private = true;
        config.webhook_backoff_ms = 50;
        config.webhook_poll_ms = 50;
        config.webhook_max_attempts = 3;
        config.webhook_timeout_ms = 10_000;
    })
    .await
}

async fn register(
    app: &TestApp,
    admin: &reqwest::Client,
    url: &str,
    events: &[&str],
    format: &str,
) -> i64 {
    let (status, made) = send(
        admin,
        app,
        reqwest::Method::POST,
        "/api/webhooks",
        json!({"url": url, "events": events, "format": format, "secret": SECRET}),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().expect("id")
}

/// The webhook's deliveries once `done` holds for them (polled; the worker
/// runs on its own).
async fn deliveries_when(
    app: &TestApp,
    admin: &reqwest::Client,
    hook: i64,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..400 {
        let (_, list) = send(
            admin,
            app,
            reqwest::Method::GET,
            &format!("/api/webhooks/{hook}/deliveries"),
            Value::Null,
        )
        .await;
        if done(&list["items"]) {
            return list["items"].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the deliveries never got there");
}

fn hmac_hex(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_notice_reaches_the_chat_tool_signed_after_two_failures_and_the_request_never_waits() {
    for backend in backends() {
        let gate = Arc::new(Semaphore::new(0));
        let receiver = Arc::new(Receiver {
            answers: Mutex::new(VecDeque::from([500, 500])),
            fallback: Mutex::new(200),
            gate: Some(gate.clone()),
            ..Receiver::default()
        });
        let url = start_receiver(receiver.clone()).await;
        let app = portal(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let hook = register(&app, &admin, &url, &["notice.created"], "json").await;

        // The receiver holds every request until the gate opens: the notice is
        // sent (201) while the chat tool has not answered anything.
        let staff = app.signed_in(STAFF).await;
        let (status, sent) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/notices",
            json!({"title": "年末年始の窓口について", "body": "12月29日から休みます。", "municipalities": ["all"]}),
        )
        .await;
        assert_eq!(status, 201, "{backend:?}: {sent}");
        assert_eq!(gate.available_permits(), 0);
        gate.add_permits(3);

        let items =
            deliveries_when(&app, &admin, hook, |items| items[0]["state"] == "delivered").await;
        assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
        assert_eq!(items[0]["attempts"], 3, "two failures, then delivered");
        assert_eq!(items[0]["last_status"], 200);
        let seen = receiver.seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 3);
        let (headers, body) = &seen[2];
        assert_eq!(body, &seen[0].1, "every attempt sends the same body");
        assert_eq!(
            headers["x-renkei-signature"].to_str().expect("ascii"),
            format!("sha256={}", hmac_hex(body)),
            "signed with the shared secret"
        );
        assert_eq!(headers["x-renkei-event"], "notice.created");
        let event: Value = serde_json::from_str(body).expect("json");
        assert_eq!(event["event"], "notice.created");
        assert!(
            event["text"]
                .as_str()
                .unwrap_or_default()
                .contains("年末年始の窓口について")
        );
        assert!(
            event["url"]
                .as_str()
                .unwrap_or_default()
                .ends_with(&format!("/notices/{}", sent["id"])),
            "{event}"
        );
    }
}

#[tokio::test]
async fn a_delivery_that_keeps_failing_is_dead_until_resent_and_member_only_posts_never_leave() {
    for backend in backends() {
        let receiver = Arc::new(Receiver {
            fallback: Mutex::new(503),
            ..Receiver::default()
        });
        let url = start_receiver(receiver.clone()).await;
        let app = portal(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let hook = register(&app, &admin, &url, &["post.created", "survey.due"], "slack").await;

        let (status, made) = send(
            &admin,
            &app,
            reqwest::Method::POST,
            "/api/channels",
            json!({"name": "生成AI分科会", "visibility": "members", "members": ["nara-staff@renkei.example"]}),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::POST,
            &format!("/api/channels/{}/posts", made["id"]),
            json!({"body": "分科会だけの話です"}),
        )
        .await;
        assert_eq!(status, 201);
        let (_, channels) = send(
            &admin,
            &app,
            reqwest::Method::GET,
            "/api/channels",
            Value::Null,
        )
        .await;
        let open = channels["items"]
            .as_array()
            .and_then(|items| items.iter().find(|c| c["visibility"] == "open"))
            .map(|c| c["id"].clone());
        let open = match open {
            Some(id) => id,
            None => {
                let (_, made) = send(
                    &admin,
                    &app,
                    reqwest::Method::POST,
                    "/api/channels",
                    json!({"name": "全体", "visibility": "open"}),
                )
                .await;
                made["id"].clone()
            }
        };
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::POST,
            &format!("/api/channels/{open}/posts"),
            json!({"body": "全体への連絡です"}),
        )
        .await;
        assert_eq!(status, 201);

        let items = deliveries_when(&app, &admin, hook, |items| items[0]["state"] == "dead").await;
        assert_eq!(
            items.as_array().map(Vec::len),
            Some(1),
            "only the open channel's post: {items}"
        );
        assert_eq!(items[0]["attempts"], 3);
        assert_eq!(items[0]["last_status"], 503);
        let (_, list) = send(
            &admin,
            &app,
            reqwest::Method::GET,
            "/api/webhooks",
            Value::Null,
        )
        .await;
        assert_eq!(list["items"][0]["dead"], 1);
        assert!(
            list["items"][0].get("secret").is_none(),
            "the secret is never sent back"
        );
        assert_eq!(list["items"][0]["has_secret"], true);

        *receiver.fallback.lock().expect("lock") = 200;
        let delivery = items[0]["id"].clone();
        let staff = app.signed_in(STAFF).await;
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            &format!("/api/webhook-deliveries/{delivery}/resend"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "only a 県管理者 resends");
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::POST,
            &format!("/api/webhook-deliveries/{delivery}/resend"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 202);
        deliveries_when(&app, &admin, hook, |items| items[0]["state"] == "delivered").await;
        let seen = receiver.seen.lock().expect("lock").clone();
        let last: Value = serde_json::from_str(&seen[seen.len() - 1].1).expect("json");
        let text = last["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("全体への連絡です"),
            "Slack gets one line of text: {last}"
        );
        assert!(seen.iter().all(|(_, body)| !body.contains("分科会だけ")));

        // A 照会 due tomorrow is told once, however often the worker looks.
        let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
        let (status, _) = send(&staff, &app, reqwest::Method::POST, "/api/surveys", json!({
            "title": "窓口の調査", "deadline": tomorrow.format("%Y-%m-%d").to_string(),
            "questions": [{"kind": "yes_no", "label": "導入済みですか"}], "municipalities": ["all"]
        })).await;
        assert_eq!(status, 201);
        let first = app::services::surveys::announce_due(&app.db)
            .await
            .expect("due");
        let again = app::services::surveys::announce_due(&app.db)
            .await
            .expect("due");
        assert_eq!((first, again), (1, 0));
        let items = deliveries_when(&app, &admin, hook, |items| {
            items[0]["event"] == "survey.due" && items[0]["state"] == "delivered"
        })
        .await;
        assert_eq!(items.as_array().map(Vec::len), Some(2));
    }
}

#[tokio::test]
async fn webhook_urls_inside_the_office_network_are_refused() {
    let backend = backends().into_iter().next().expect("a backend");
    let app = TestApp::spawn_with_accounts(backend).await;
    let admin = app.signed_in(ADMIN).await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "http://[::ffff:192.168.1.1]/hook",
        "file:///etc/passwd",
    ] {
        let (status, refused) = send(
            &admin,
            &app,
            reqwest::Method::POST,
            "/api/webhooks",
            json!({"url": url, "events": ["notice.created"], "format": "slack"}),
        )
        .await;
        assert_eq!(status, 400, "{url} must be refused: {refused}");
        assert_eq!(refused["error"]["field"], "url");
    }
    let (status, made) = send(
        &admin,
        &app,
        reqwest::Method::POST,
        "/api/webhooks",
        json!({"url": "https://8.8.8.8/hook", "events": ["notice.created"], "format": "slack"}),
    )
    .await;
    assert_eq!(
        status, 201,
        "an address on the internet is accepted: {made}"
    );
}
