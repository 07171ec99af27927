//! 情報共有 over real HTTP on SQLite and PostgreSQL: who reads a channel (in lists,
//! pages and the live feed), posts arriving live and a reconnect that resumes
//! after the last post it had, edits with their history, tombstones.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, home_front, send};

const ADMIN: &str = "nara-admin@renkei.example";
const STAFF: &str = "nara-staff@renkei.example";
const MIYAKE: &str = "miyake@renkei.example";
const NARA_CITY: &str = "naracity@renkei.example";
const KOCHI: &str = "kochi-admin@renkei.example";

async fn channel(app: &TestApp, name: &str, visibility: &str, members: &[&str]) -> i64 {
    let admin = app.signed_in(ADMIN).await;
    let (status, body) = send(
        &admin,
        app,
        reqwest::Method::POST,
        "/api/channels",
        json!({"name": name, "visibility": visibility, "members": members}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

async fn post(client: &reqwest::Client, app: &TestApp, channel: i64, body: &str) -> Value {
    let (status, post) = send(
        client,
        app,
        reqwest::Method::POST,
        &format!("/api/channels/{channel}/posts"),
        json!({"body": body}),
    )
    .await;
    assert_eq!(status, 201, "{post}");
    post
}

/// The next `post` event of a live feed: `(id, post)`.
async fn next_post(response: &mut reqwest::Response, buffer: &mut String) -> (i64, Value) {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let field = |name: &str| {
                block.lines().find_map(|l| {
                    l.strip_prefix(&format!("{name}:"))
                        .map(|v| v.trim().to_owned())
                })
            };
            if field("event").as_deref() == Some("post") {
                let id = field("id").and_then(|v| v.parse().ok()).expect("an id");
                let data: Value =
                    serde_json::from_str(&field("data").expect("data")).expect("json");
                return (id, data);
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream")
            .expect("stream still open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn a_member_only_channels_posts_reach_nobody_else_in_lists_pages_or_the_live_feed() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let id = channel(&app, "生成AI分科会", "members", &[STAFF]).await;
        let staff = app.signed_in(STAFF).await;
        post(&staff, &app, id, "分科会の資料を共有します。").await;

        let (status, list) = send(
            &staff,
            &app,
            reqwest::Method::GET,
            "/api/channels",
            Value::Null,
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            list["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|c| c["id"] == id)
        );
        assert_eq!(
            list["items"][0]["unread"], 0,
            "their own post is not unread"
        );

        for outsider in [MIYAKE, NARA_CITY] {
            let client = app.signed_in(outsider).await;
            let (_, list) = send(
                &client,
                &app,
                reqwest::Method::GET,
                "/api/channels",
                Value::Null,
            )
            .await;
            assert!(
                !list["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .any(|c| c["id"] == id),
                "{backend:?}: {outsider} must not see the channel: {list}"
            );
            for path in [
                format!("/api/channels/{id}/posts"),
                format!("/api/channels/{id}/events"),
            ] {
                let status = client
                    .get(app.url(&path))
                    .send()
                    .await
                    .expect("request")
                    .status();
                assert_eq!(status, 403, "{outsider} {path}");
            }
            let (status, _) = send(
                &client,
                &app,
                reqwest::Method::POST,
                &format!("/api/channels/{id}/posts"),
                json!({"body": "入れますか"}),
            )
            .await;
            assert_eq!(status, 403, "{outsider} cannot post");
        }
        // Added to the 分科会 by the 県, 三宅町 reads it; the town cannot change the list.
        let admin = app.signed_in(ADMIN).await;
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            &format!("/api/channels/{id}/members"),
            json!({"members": [STAFF, MIYAKE]}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["members"], 3, "the maker stays a member");
        let miyake = app.signed_in(MIYAKE).await;
        let (status, list) = send(
            &miyake,
            &app,
            reqwest::Method::GET,
            &format!("/api/channels/{id}/posts"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200, "{backend:?}: {list}");
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::PUT,
            &format!("/api/channels/{id}/members"),
            json!({"members": [MIYAKE, NARA_CITY]}),
        )
        .await;
        assert_eq!(status, 403);

        let kochi = app.signed_in(KOCHI).await;
        let status = kochi
            .get(app.url(&format!("/api/channels/{id}/posts")))
            .send()
            .await
            .expect("request")
            .status();
        assert_eq!(status, 403, "another prefecture");
    }
}

#[tokio::test]
async fn a_post_reaches_an_open_page_live_and_a_reconnect_resumes_after_the_last_post_it_had() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let id = channel(&app, "県内連絡", "open", &[]).await;
        let miyake = app.signed_in(MIYAKE).await;
        let naracity = app.signed_in(NARA_CITY).await;
        let mut feed = miyake
            .get(app.url(&format!("/api/channels/{id}/events")))
            .send()
            .await
            .expect("feed");
        assert_eq!(feed.status(), 200);
        assert!(
            feed.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .starts_with("text/event-stream")
        );
        let mut buffer = String::new();
        let first = post(&naracity, &app, id, "@三宅町 窓口の手順書を共有します。").await;
        let (event_id, seen) = next_post(&mut feed, &mut buffer).await;
        assert_eq!(seen["body"], "@三宅町 窓口の手順書を共有します。");
        assert_eq!(Some(event_id), first["id"].as_i64());
        assert_eq!(seen["segments"][0], json!({"Mention": "三宅町"}));
        drop(feed);

        // Two posts while the page is away; the browser comes back with its last id.
        let second = post(&naracity, &app, id, "二つ目").await;
        let third = post(&naracity, &app, id, "三つ目").await;
        let mut feed = miyake
            .get(app.url(&format!("/api/channels/{id}/events")))
            .header("Last-Event-ID", event_id.to_string())
            .send()
            .await
            .expect("feed");
        let mut buffer = String::new();
        let (a, _) = next_post(&mut feed, &mut buffer).await;
        let (b, _) = next_post(&mut feed, &mut buffer).await;
        assert_eq!(
            (Some(a), Some(b)),
            (second["id"].as_i64(), third["id"].as_i64()),
            "{backend:?}: nothing lost, in order"
        );

        // Unread: naracity's three posts, until miyake reads the channel.
        let (_, list) = send(
            &miyake,
            &app,
            reqwest::Method::GET,
            "/api/channels",
            Value::Null,
        )
        .await;
        assert_eq!(list["items"][0]["unread"], 3, "{list}");
    }
}

#[tokio::test]
async fn an_edit_keeps_its_history_a_deletion_leaves_a_tombstone_and_only_the_author_or_the_admin_may()
 {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let id = channel(&app, "県内連絡", "open", &[]).await;
        let naracity = app.signed_in(NARA_CITY).await;
        let miyake = app.signed_in(MIYAKE).await;
        let original = post(&naracity, &app, id, "会議は10時からです。").await;
        let post_id = original["id"].as_i64().expect("id");

        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::PATCH,
            &format!("/api/posts/{post_id}"),
            json!({"body": "書き換え"}),
        )
        .await;
        assert_eq!(status, 403, "another town's staff cannot edit");
        let (status, edited) = send(
            &naracity,
            &app,
            reqwest::Method::PATCH,
            &format!("/api/posts/{post_id}"),
            json!({"body": "会議は11時からです。"}),
        )
        .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(edited["edited"], true);
        assert_eq!(edited["body"], "会議は11時からです。");

        let (status, body) = send(
            &naracity,
            &app,
            reqwest::Method::POST,
            &format!("/api/channels/{id}/posts"),
            json!({"body": "  "}),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["field"], "body", "{body}");
        let reply = send(
            &miyake,
            &app,
            reqwest::Method::POST,
            &format!("/api/channels/{id}/posts"),
            json!({"body": "承知しました", "parent": post_id}),
        )
        .await;
        assert_eq!(reply.0, 201, "{}", reply.1);
        let (status, body) = send(
            &miyake,
            &app,
            reqwest::Method::POST,
            &format!("/api/channels/{id}/posts"),
            json!({"body": "返信の返信", "parent": reply.1["id"]}),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["field"], "parent");

        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::DELETE,
            &format!("/api/posts/{post_id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403);
        let admin = app.signed_in(ADMIN).await;
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::DELETE,
            &format!("/api/posts/{post_id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 204, "{backend:?}: the 県管理者 moderates");
        let (_, list) = send(
            &miyake,
            &app,
            reqwest::Method::GET,
            &format!("/api/channels/{id}/posts"),
            Value::Null,
        )
        .await;
        let tombstone = &list["items"][0];
        assert_eq!(tombstone["deleted"], true);
        assert_eq!(tombstone["body"], "");
        assert_eq!(
            list["items"][1]["parent"], post_id,
            "the reply stays in its thread"
        );
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let history = app::entities::post_revision::Entity::find()
            .filter(
                app::entities::post_revision::Column::PostId
                    .eq(i32::try_from(post_id).expect("id")),
            )
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(history, 2, "the first wording and the edited one are kept");
    }
}

#[tokio::test]
async fn a_search_never_counts_or_shows_a_post_of_a_channel_the_caller_cannot_read() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let open = channel(&app, "県内連絡", "open", &[]).await;
        let closed = channel(&app, "生成AI分科会", "members", &[STAFF]).await;
        let staff = app.signed_in(STAFF).await;
        post(&staff, &app, open, "情報セキュリティ研修の資料です。").await;
        let secret = post(&staff, &app, closed, "分科会だけの研修資料(非公開)").await;

        let search = |client: reqwest::Client, q: &'static str| {
            let url = app.url(&format!("/api/search?kind=post&q={q}"));
            async move {
                let response = client.get(url).send().await.expect("search");
                assert_eq!(response.status(), 200);
                response.json::<Value>().await.expect("json")
            }
        };
        let seen = search(staff.clone(), "研修").await;
        assert_eq!(seen["total"], 2, "{backend:?}: a member finds both: {seen}");
        assert_eq!(seen["channels"].as_array().map(Vec::len), Some(2));

        for outsider in [MIYAKE, NARA_CITY] {
            let client = app.signed_in(outsider).await;
            let found = search(client, "研修").await;
            assert_eq!(found["total"], 1, "{backend:?} {outsider}: {found}");
            assert_eq!(found["items"][0]["channel"], open);
            let facets: Vec<i64> = found["channels"]
                .as_array()
                .expect("channels")
                .iter()
                .filter_map(|c| c["id"].as_i64())
                .collect();
            assert_eq!(
                facets,
                [open],
                "the member-only channel is not even counted"
            );
            let narrowed = search(app.signed_in(outsider).await, "非公開").await;
            assert_eq!(narrowed["total"], 0, "{narrowed}");
        }
        let kochi = search(app.signed_in(KOCHI).await, "研修").await;
        assert_eq!(kochi["total"], 0, "another prefecture: {kochi}");

        // A deleted post leaves the index.
        let id = secret["id"].as_i64().expect("id");
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::DELETE,
            &format!("/api/posts/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 204);
        let seen = search(staff.clone(), "研修").await;
        assert_eq!(seen["total"], 1, "{seen}");
    }
}

#[tokio::test]
async fn a_mention_of_a_town_reaches_its_staffs_home_only_from_channels_they_read() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let open = channel(&app, "デジならチャット", "open", &[]).await;
        let closed = channel(&app, "生成AI分科会", "members", &[NARA_CITY]).await;
        let naracity = app.signed_in(NARA_CITY).await;
        post(
            &naracity,
            &app,
            open,
            "@三宅町 窓口DXの手順書を共有します。",
        )
        .await;
        post(&naracity, &app, closed, "@三宅町 分科会だけの話です").await;
        let staff = app.signed_in(STAFF).await;
        post(&staff, &app, open, "@奈良連太 自分宛てではない試験").await;

        let home = |client: reqwest::Client| {
            let app = &app;
            async move { home_front(&client, app).await }
        };
        let miyake = app.signed_in(MIYAKE).await;
        let mentions = home(miyake.clone()).await["Municipality"]["mentions"].clone();
        let items = mentions.as_array().cloned().unwrap_or_default();
        assert_eq!(
            items.len(),
            1,
            "{backend:?}: only the open channel's post: {mentions}"
        );
        assert!(
            items[0]["excerpt"]
                .as_str()
                .unwrap_or_default()
                .contains("手順書")
        );
        assert_eq!(items[0]["unread"], true);
        // Opening the channel's page marks it read.
        let page = miyake
            .get(app.url(&format!("/channels/{open}")))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let mentions = home(miyake.clone()).await["Municipality"]["mentions"].clone();
        assert_eq!(mentions[0]["unread"], false, "{mentions}");
        let staff_home = home(staff).await;
        let mine = &staff_home["Prefecture"]["mentions"];
        assert_eq!(
            mine.as_array().map(Vec::len),
            Some(1),
            "a person is told by name: {mine}"
        );
    }
}

#[tokio::test]
async fn links_to_the_portals_pages_show_as_cards_only_to_readers_who_may_see_them() {
    use sea_orm::{EntityTrait, QueryOrder};
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let case = app::entities::case_study::Entity::find()
            .order_by_asc(app::entities::case_study::Column::Id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("the reference data has cases");
        let open = channel(&app, "デジならチャット", "open", &[]).await;
        let naracity = app.signed_in(NARA_CITY).await;
        let body = format!(
            "参考になります http://127.0.0.1:3000/cases/{} と https://evil.example/dispatches/999999",
            case.slug
        );
        let posted = post(&naracity, &app, open, &body).await;
        let cards = posted["cards"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            cards.len(),
            1,
            "{backend:?}: only the case exists: {posted}"
        );
        assert_eq!(
            cards[0]["href"],
            format!("/cases/{}", case.slug),
            "the card stays in the portal"
        );
        assert_eq!(cards[0]["title"], case.title.as_str());
        assert_eq!(cards[0]["kind"], "事例");
    }
}
