//! お知らせ over real HTTP on SQLite and PostgreSQL: sent to all towns or a
//! selection, confirmed once per town, read status for the 県, nobody else reads.

use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, home_front, send};

const STAFF: &str = "nara-staff@renkei.example";
const MIYAKE: &str = "miyake@renkei.example";
const NARA_CITY: &str = "naracity@renkei.example";
const KOCHI: &str = "kochi-admin@renkei.example";

#[tokio::test]
async fn a_notice_to_all_towns_counts_each_towns_confirmation_once_and_the_home_page_shows_it_until_then()
 {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let (status, sent) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/notices",
            json!({"title": "年末年始の窓口について", "body": "12月29日から1月3日まで…", "municipalities": ["all"]}),
        )
        .await;
        assert_eq!(status, 201, "{sent}");
        let id = sent["id"].as_i64().expect("id");

        let miyake = app.signed_in(MIYAKE).await;
        let home = |client: reqwest::Client| {
            let app = &app;
            async move {
                home_front(&client, app).await["Municipality"]["notices"]
                    .as_array()
                    .map(Vec::len)
                    .unwrap_or_default()
            }
        };
        assert_eq!(
            home(miyake.clone()).await,
            1,
            "{backend:?}: on the town's home until confirmed"
        );
        for _ in 0..2 {
            let (status, _) = send(
                &miyake,
                &app,
                reqwest::Method::POST,
                &format!("/api/notices/{id}/read"),
                Value::Null,
            )
            .await;
            assert_eq!(status, 204);
        }
        assert_eq!(home(miyake.clone()).await, 0);

        let (status, view) = send(
            &staff,
            &app,
            reqwest::Method::GET,
            &format!("/api/notices/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(view["summary"]["read"], 1, "{view}");
        assert_eq!(view["summary"]["total"], 39);
        let (status, reminded) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            &format!("/api/notices/{id}/remind"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(reminded["reminded"], 38);

        // A town sees only its own line; the 県 of another prefecture nothing.
        let (_, own) = send(
            &miyake,
            &app,
            reqwest::Method::GET,
            &format!("/api/notices/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(own["towns"].as_array().map(Vec::len), Some(1), "{own}");
        let kochi = app.signed_in(KOCHI).await;
        let (status, _) = send(
            &kochi,
            &app,
            reqwest::Method::GET,
            &format!("/api/notices/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::POST,
            &format!("/api/notices/{id}/remind"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "a town cannot remind");
    }
}

#[tokio::test]
async fn a_notice_to_chosen_towns_is_not_read_by_the_others_and_a_wrong_code_is_named() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let (status, body) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/notices",
            json!({"title": "", "body": "", "municipalities": []}),
        )
        .await;
        assert_eq!(status, 400);
        let fields: Vec<&str> = body["error"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert_eq!(fields, ["title", "body", "municipalities"], "{body}");
        let (status, body) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/notices",
            json!({"title": "照会", "body": "本文", "municipalities": ["392014"]}),
        )
        .await;
        assert_eq!(status, 400, "高知市 is not a town of 奈良県");
        assert_eq!(body["error"]["field"], "municipalities");
        let (status, sent) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/notices",
            json!({"title": "三宅町さまへ", "body": "本文", "municipalities": ["293628"]}),
        )
        .await;
        assert_eq!(status, 201);
        let id = sent["id"].as_i64().expect("id");
        let naracity = app.signed_in(NARA_CITY).await;
        let (status, _) = send(
            &naracity,
            &app,
            reqwest::Method::GET,
            &format!("/api/notices/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "{backend:?}: not sent to 奈良市");
        let (status, _) = send(
            &naracity,
            &app,
            reqwest::Method::POST,
            &format!("/api/notices/{id}/read"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403);
        let (_, list) = send(
            &naracity,
            &app,
            reqwest::Method::GET,
            "/api/notices",
            Value::Null,
        )
        .await;
        assert_eq!(list["items"], json!([]));
    }
}

#[tokio::test]
async fn a_refused_notice_form_keeps_the_towns_that_were_ticked() {
    let backend = backends().into_iter().next().expect("a backend");
    let app = TestApp::spawn_with_accounts(backend).await;
    let staff = app.signed_in_by_form(STAFF).await;
    let token = app.form_token(&staff, "/notices").await;
    let (location, _) = app
        .submit(
            &staff,
            &token,
            "/notices",
            &[
                ("title", ""),
                ("body", "本文"),
                ("to", "some"),
                ("municipalities", "293628"),
                ("municipalities", "292010"),
            ],
        )
        .await;
    assert_eq!(location, "/notices");
    let page = staff
        .get(app.url("/notices"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let html = scraper::Html::parse_document(&page);
    let ticked = scraper::Selector::parse("input[name=municipalities][checked]").expect("selector");
    let codes: Vec<&str> = html
        .select(&ticked)
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(codes, ["292010", "293628"], "{backend:?}");
    assert!(page.contains("件名を入力してください"));
}
