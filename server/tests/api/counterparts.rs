//! カウンターパート over real HTTP on SQLite and PostgreSQL: who a town's contact is
//! on any day, region defaults, a whole 人事異動 applied all or nothing.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, send};

const ADMIN: &str = "nara-admin@renkei.example";
const STAFF: &str = "nara-staff@renkei.example";

async fn primary_on(client: &reqwest::Client, app: &TestApp, town: &str, day: &str) -> Value {
    let (status, body) = send(
        client,
        app,
        reqwest::Method::GET,
        &format!("/api/municipalities/{town}/counterparts?date={day}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_towns_counterpart_on_a_day_is_the_one_assigned_then_and_history_is_kept() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            "/api/municipalities/293628/counterparts",
            json!({"primary": ADMIN, "from": "2026-04-01"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            "/api/municipalities/293628/counterparts",
            json!({"primary": STAFF, "secondary": [ADMIN], "from": "2027-04-01"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");

        assert_eq!(
            primary_on(&admin, &app, "293628", "2026-03-31").await["primary"],
            Value::Null
        );
        let before = primary_on(&admin, &app, "293628", "2027-03-31").await;
        assert_eq!(before["primary"]["email"], ADMIN, "{backend:?}");
        assert_eq!(
            before["primary"]["to"], "2027-03-31",
            "the old span was closed, not overwritten"
        );
        let on = primary_on(&admin, &app, "293628", "2027-04-01").await;
        assert_eq!(on["primary"]["email"], STAFF);
        assert_eq!(on["secondary"][0]["email"], ADMIN);
        assert_eq!(on["source"], "assignment");

        let (_, history) = send(
            &admin,
            &app,
            reqwest::Method::GET,
            "/api/counterparts/history?municipality=293628",
            Value::Null,
        )
        .await;
        assert_eq!(history.as_array().map(Vec::len), Some(3), "{history}");
        assert_eq!(history[0]["person"]["to"], "2027-03-31");

        // The town reads its own; another town's staff do not.
        let miyake = app.signed_in("miyake@renkei.example").await;
        assert_eq!(
            primary_on(&miyake, &app, "293628", "2027-04-01").await["primary"]["name"],
            on["primary"]["name"]
        );
        let other = app.signed_in("naracity@renkei.example").await;
        let (status, _) = send(
            &other,
            &app,
            reqwest::Method::GET,
            "/api/municipalities/293628/counterparts",
            Value::Null,
        )
        .await;
        assert_eq!(status, 403);

        // The town's home page names who its contact is today.
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            "/api/municipalities/293628/counterparts",
            json!({"primary": STAFF, "from": chrono::Utc::now().date_naive().to_string()}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let home = miyake
            .get(app.url("/municipalities/293628"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let doc = scraper::Html::parse_document(&home);
        let section =
            crate::helpers::texts(&doc, "section[aria-labelledby=counterpart-heading] li");
        assert_eq!(section.len(), 1, "{section:?}");
        assert!(
            section[0].contains("主担当") && section[0].contains(STAFF),
            "{section:?}"
        );

        // A primary counterpart cannot be stopped until the town is reassigned.
        let staff_id = app.account_id(STAFF).await;
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PATCH,
            &format!("/api/accounts/{staff_id}"),
            json!({"active": false}),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("三宅町"),
            "{body}"
        );
    }
}

/// Puts 三宅町 in a region of 奈良県 made for the test: the region's id.
async fn miyake_in_a_region(app: &TestApp) -> i32 {
    let region = app::entities::region::ActiveModel {
        prefecture_code: Set("290009".into()),
        name: Set("試験地域".into()),
        sort_order: Set(50),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("region")
    .id;
    let town = app::entities::municipality::Entity::find_by_id("293628".to_owned())
        .one(&app.db)
        .await
        .expect("query")
        .expect("三宅町");
    let mut active: app::entities::municipality::ActiveModel = town.into();
    active.region_id = Set(Some(region));
    active.update(&app.db).await.expect("update");
    region
}

#[tokio::test]
async fn a_town_with_no_assignment_of_its_own_has_its_regions_default() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let region = miyake_in_a_region(&app).await;
        let admin = app.signed_in(ADMIN).await;
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            &format!("/api/regions/{region}/counterpart"),
            json!({"primary": STAFF, "from": "2026-04-01"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["primary"]["email"], STAFF);
        let on = primary_on(&admin, &app, "293628", "2026-10-01").await;
        assert_eq!(on["primary"]["email"], STAFF, "{backend:?}");
        assert_eq!(on["source"], "region");
        assert_eq!(
            primary_on(&admin, &app, "293628", "2026-03-31").await["primary"],
            Value::Null,
            "not before the default began"
        );

        // The town's own assignment wins over the region's.
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            "/api/municipalities/293628/counterparts",
            json!({"primary": ADMIN, "from": "2026-11-01"}),
        )
        .await;
        assert_eq!(status, 200);
        let on = primary_on(&admin, &app, "293628", "2026-11-01").await;
        assert_eq!(on["primary"]["email"], ADMIN);
        assert_eq!(on["source"], "assignment");

        // A staff member cannot name defaults, nor can a 県 name someone outside it.
        let staff = app.signed_in(STAFF).await;
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::PUT,
            &format!("/api/regions/{region}/counterpart"),
            json!({"primary": STAFF, "from": "2026-04-01"}),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            &format!("/api/regions/{region}/counterpart"),
            json!({"primary": "kochi-admin@renkei.example", "from": "2026-04-01"}),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["field"], "primary", "{body}");
    }
}

#[tokio::test]
async fn a_counterparts_home_lists_their_towns_and_what_is_due_overdue_first() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let today = app::services::today();
        let (status, _) = send(
            &admin,
            &app,
            reqwest::Method::PUT,
            "/api/municipalities/293628/counterparts",
            json!({"primary": STAFF, "from": today.to_string()}),
        )
        .await;
        assert_eq!(status, 200);
        let staff = app.signed_in(STAFF).await;
        let yesterday = today - chrono::Duration::days(1);
        let (status, body) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/municipalities/293628/contacts",
            json!({"kind": "phone", "date": today.to_string(),
                "follow_ups": [{"text": "規程の案を送る", "due": yesterday.to_string()}]}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let response = staff
            .post(app.url("/api/home/front"))
            .json(&json!({}))
            .send()
            .await
            .expect("home");
        assert_eq!(response.status(), 200);
        let home: Value = response.json().await.expect("json");
        let mine = &home["Prefecture"]["mine"];
        let towns: Vec<&str> = mine["towns"]
            .as_array()
            .expect("towns")
            .iter()
            .filter_map(|t| t["row"]["municipality_name"].as_str())
            .collect();
        assert_eq!(towns, ["三宅町"], "{backend:?}: {mine}");
        assert_eq!(mine["towns"][0]["primary"], true);
        let due = mine["due"].as_array().expect("due");
        assert_eq!(due[0]["overdue"], true, "{mine}");
        assert!(
            due[0]["text"]
                .as_str()
                .unwrap_or_default()
                .contains("規程の案を送る"),
            "{mine}"
        );
        assert_eq!(
            mine["towns"][0]["row"]["visits"], 0,
            "a phone call is not a visit: {mine}"
        );
        // The 県管理者 has no towns of their own here.
        let response = admin
            .post(app.url("/api/home/front"))
            .json(&json!({}))
            .send()
            .await
            .expect("home");
        let home: Value = response.json().await.expect("json");
        assert_eq!(home["Prefecture"]["mine"]["towns"], json!([]));
    }
}

#[tokio::test]
async fn a_whole_reassignment_is_previewed_then_applied_at_once_and_one_bad_line_changes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let (_, towns) = send(
            &admin,
            &app,
            reqwest::Method::GET,
            "/api/municipalities?prefecture=奈良県",
            Value::Null,
        )
        .await;
        let codes: Vec<String> = towns["items"]
            .as_array()
            .expect("towns")
            .iter()
            .filter_map(|t| t["code"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(codes.len(), 39);
        let mut csv = String::from("団体コード,担当者メール,主担当/副担当\r\n");
        for (i, code) in codes.iter().enumerate() {
            let who = if i % 2 == 0 { STAFF } else { ADMIN };
            csv.push_str(&format!("{code},{who},主担当\r\n"));
        }
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&csv);
        let post = |dry_run: bool, body: Vec<u8>| {
            let admin = admin.clone();
            let url = app.url(&format!(
                "/api/counterparts/reassign.csv?effective=2027-04-01&dry_run={dry_run}"
            ));
            async move {
                let response = admin
                    .post(url)
                    .header("content-type", "text/csv")
                    .body(body)
                    .send()
                    .await
                    .expect("post");
                let status = response.status().as_u16();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            }
        };
        let (status, preview) = post(true, sjis.to_vec()).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["rows"].as_array().map(Vec::len), Some(39));
        assert_eq!(preview["applied"], false);
        assert_eq!(
            primary_on(&admin, &app, &codes[0], "2027-04-01").await["primary"],
            Value::Null,
            "a preview changes nothing"
        );

        // One unknown address on the 40th line: nothing is applied, the line is named.
        let bad = format!("{csv}293628,nobody@renkei.example,副担当\r\n");
        let (status, body) = post(false, bad.into_bytes()).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("41行目"),
            "{body}"
        );
        assert_eq!(
            primary_on(&admin, &app, &codes[0], "2027-04-01").await["primary"],
            Value::Null,
            "{backend:?}: all or nothing"
        );

        let (status, applied) = post(false, sjis.to_vec()).await;
        assert_eq!(status, 200, "{applied}");
        assert_eq!(applied["applied"], true);
        for (i, code) in codes.iter().enumerate() {
            let expected = if i % 2 == 0 { STAFF } else { ADMIN };
            assert_eq!(
                primary_on(&admin, &app, code, "2027-04-01").await["primary"]["email"],
                expected,
                "{code}"
            );
        }
        assert_eq!(
            primary_on(&admin, &app, &codes[0], "2027-03-31").await["primary"],
            Value::Null
        );
    }
}

#[tokio::test]
async fn a_visit_moves_a_town_off_the_unvisited_list_and_internal_notes_stay_with_the_prefecture() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let year = app::domain::wareki::FiscalYear::of(chrono::Utc::now().date_naive());
        let path = format!("/api/overview?fiscal_year={}&unvisited=true", year.0);
        let (status, before) = send(&staff, &app, reqwest::Method::GET, &path, Value::Null).await;
        assert_eq!(status, 200, "{before}");
        assert_eq!(before["total"], 39);
        assert_eq!(before["visited"], 0);
        assert!(
            before["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["municipality"] == "293628")
        );

        let today = chrono::Utc::now().date_naive().to_string();
        let (status, body) = send(&staff, &app, reqwest::Method::POST, "/api/municipalities/293628/contacts", json!({
            "kind": "visit", "date": today, "participants": "県: 奈良 連太 / 町: 総務課長",
            "topics": ["security"], "notes": "情報セキュリティポリシーの改定を相談", "internal": false,
            "follow_ups": [{"text": "ひな形を送る", "due": "2000-01-01"}]
        })).await;
        assert_eq!(status, 201, "{body}");
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            "/api/municipalities/293628/contacts",
            json!({
                "kind": "phone", "date": today, "notes": "人事の内情(県内部のみ)", "internal": true
            }),
        )
        .await;
        assert_eq!(status, 201);

        let (_, after) = send(&staff, &app, reqwest::Method::GET, &path, Value::Null).await;
        assert_eq!(after["visited"], 1, "{backend:?}: coverage 1 / 39");
        assert!(
            !after["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["municipality"] == "293628")
        );
        let (_, all) = send(
            &staff,
            &app,
            reqwest::Method::GET,
            &format!("/api/overview?fiscal_year={}", year.0),
            Value::Null,
        )
        .await;
        let miyake = all["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["municipality"] == "293628")
            .expect("三宅町")
            .clone();
        assert_eq!(miyake["visits"], 1);
        assert_eq!(miyake["overdue_follow_ups"], 1);
        let (status, workload) = send(
            &staff,
            &app,
            reqwest::Method::GET,
            "/api/counterparts/workload",
            Value::Null,
        )
        .await;
        assert_eq!(status, 200, "{workload}");
        let mine = workload
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| {
                r["name"]
                    == all["workload"]
                        .as_array()
                        .expect("rows")
                        .iter()
                        .find(|w| w["visits"] == 1)
                        .expect("visitor")["name"]
            })
            .expect("staff")
            .clone();
        assert_eq!(mine["visits"], 1, "{workload}");
        let town_staff = app.signed_in("miyake@renkei.example").await;
        let (status, _) = send(
            &town_staff,
            &app,
            reqwest::Method::GET,
            "/api/counterparts/workload",
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "the 県's workload is the 県's");

        // The town reads its own entries without the internal one; another town reads none.
        let town = app.signed_in("miyake@renkei.example").await;
        let (_, seen) = send(
            &town,
            &app,
            reqwest::Method::GET,
            "/api/municipalities/293628/contacts",
            Value::Null,
        )
        .await;
        assert_eq!(seen.as_array().map(Vec::len), Some(1), "{seen}");
        assert!(!seen.to_string().contains("内情"));
        let other = app.signed_in("naracity@renkei.example").await;
        let (status, _) = send(
            &other,
            &app,
            reqwest::Method::GET,
            "/api/municipalities/293628/contacts",
            Value::Null,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = send(
            &town,
            &app,
            reqwest::Method::POST,
            "/api/municipalities/293628/contacts",
            json!({"kind": "visit", "date": today}),
        )
        .await;
        assert_eq!(status, 403, "a town does not log the 県's contacts");

        let follow_up = seen[0]["follow_ups"][0]["id"].as_i64().expect("follow-up");
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::PATCH,
            &format!("/api/follow-ups/{follow_up}"),
            json!({"done": true}),
        )
        .await;
        assert_eq!(status, 204);
        let response = staff
            .get(app.url("/api/overview.csv"))
            .send()
            .await
            .expect("csv");
        let bytes = response.bytes().await.expect("body");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(String::from_utf8_lossy(&bytes).contains("三宅町"));
    }
}
