//! 派遣 over real HTTP on SQLite and PostgreSQL: the life cycle, quotas that hold
//! under simultaneous approvals, the 年度 boundary, double bookings.

use serde_json::{Value, json};

use crate::helpers::{TestApp, backends};

const MIYAKE: &str = "miyake@renkei.example";
const NARA_CITY: &str = "naracity@renkei.example";
const STAFF: &str = "nara-staff@renkei.example";
const ADMIN: &str = "nara-admin@renkei.example";
const ADVISOR: &str = "advisor1@renkei.example";

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let response = client.get(app.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The id of 奈良県's programme with `code`.
async fn programme(app: &TestApp, client: &reqwest::Client, code: &str) -> i64 {
    let (status, list) = get(client, app, "/api/programmes").await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .find(|p| p["code"] == code)
        .and_then(|p| p["id"].as_i64())
        .expect("a seeded national programme")
}

struct Parties {
    town: reqwest::Client,
    staff: reqwest::Client,
    advisor: reqwest::Client,
}

impl Parties {
    async fn sign_in(app: &TestApp) -> Self {
        Self {
            town: app.signed_in(MIYAKE).await,
            staff: app.signed_in(STAFF).await,
            advisor: app.signed_in(ADVISOR).await,
        }
    }

    /// A request of 三宅町 under `programme`, proposed to advisor1 and accepted.
    async fn accepted(&self, app: &TestApp, programme: i64, mode: &str) -> i64 {
        let (status, created) = post(
            &self.town,
            app,
            "/api/dispatches",
            json!({"programme": programme, "advice_type": "issue", "mode": mode,
                   "need": "窓口のオンライン申請を始めたい", "hours": 2}),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().expect("id");
        let path = |step: &str| format!("/api/dispatches/{id}/{step}");
        let (status, body) = post(&self.staff, app, &path("propose"), json!({"advisor": 1})).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = post(&self.advisor, app, &path("accept"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        id
    }
}

fn schedule(day: &str, from: &str, to: &str) -> Value {
    json!({"starts_at": format!("{day}T{from}"), "ends_at": format!("{day}T{to}"), "place": "三宅町役場 2階会議室"})
}

#[tokio::test]
async fn a_request_runs_from_the_town_through_the_prefecture_and_the_advisor_to_its_report() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let p = Parties::sign_in(&app).await;
        let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
        let (status, quota) = get(
            &p.town,
            &app,
            "/api/municipalities/293628/quota?fiscal_year=2026",
        )
        .await;
        assert_eq!(status, 200, "{quota}");
        assert_eq!(quota["label"], "令和8年度");
        let before = quota["programmes"]
            .as_array()
            .expect("programmes")
            .iter()
            .find(|q| q["id"] == dx)
            .expect("dx")
            .clone();
        assert_eq!(before["remaining"]["count"], 5);

        let id = p.accepted(&app, dx, "onsite").await;
        let path = |step: &str| format!("/api/dispatches/{id}/{step}");
        let (status, approved) = post(
            &p.staff,
            &app,
            &path("approve"),
            schedule("2026-11-10", "13:00", "16:00"),
        )
        .await;
        assert_eq!(status, 200, "{approved}");
        assert_eq!(approved["summary"]["status"], "approved");
        assert_eq!(approved["summary"]["fiscal_year"], 2026);
        assert!(
            approved["quota_at_approval"][0]
                .as_str()
                .unwrap_or_default()
                .contains("5回")
        );

        let (status, refused) = post(
            &p.town,
            &app,
            &path("report"),
            json!({"hours": 3, "summary": "x"}),
        )
        .await;
        assert_eq!(status, 403, "only the advisor reports: {refused}");
        let (status, reported) = post(&p.advisor, &app, &path("report"),
            json!({"hours": 2.5, "summary": "オンライン申請の導入手順を説明", "next_steps": "来月に試行"})).await;
        assert_eq!(status, 200, "{reported}");
        assert_eq!(
            reported["summary"]["hours"], 2.5,
            "the reported hours count"
        );
        let (status, closed) = post(&p.town, &app, &path("confirm"), json!({})).await;
        assert_eq!(status, 200, "{closed}");
        assert_eq!(closed["summary"]["status"], "closed");
        let steps: Vec<&str> = closed["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|e| e["step"].as_str())
            .collect();
        assert_eq!(
            steps,
            [
                "submit", "propose", "accept", "approve", "report", "confirm"
            ]
        );

        let (_, quota) = get(
            &p.town,
            &app,
            "/api/municipalities/293628/quota?fiscal_year=2026",
        )
        .await;
        let after = quota["programmes"]
            .as_array()
            .expect("programmes")
            .iter()
            .find(|q| q["id"] == dx)
            .expect("dx")
            .clone();
        assert_eq!(after["used"]["count"], 1, "{backend:?}");
        assert_eq!(after["used"]["hours"], 2.5);
        assert_eq!(after["remaining"]["count"], 4);

        // Who sees it: the town, the 県 and the advisor; not another town.
        let other = app.signed_in(NARA_CITY).await;
        assert_eq!(
            get(&other, &app, &format!("/api/dispatches/{id}")).await.0,
            404
        );
        let (_, own) = get(&other, &app, "/api/dispatches").await;
        assert_eq!(own.as_array().map(Vec::len), Some(0));
        let (_, board) = get(
            &p.staff,
            &app,
            "/api/dispatches?status=closed&fiscal_year=2026",
        )
        .await;
        assert_eq!(board.as_array().map(Vec::len), Some(1));
        let (_, audit) = get(
            &app.signed_in(ADMIN).await,
            &app,
            "/api/audit?action=dispatch_step_taken",
        )
        .await;
        assert_eq!(audit["total"], 5, "{backend:?}: every step audited");
    }
}

#[tokio::test]
async fn simultaneous_approvals_never_exceed_the_towns_quota() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let p = Parties::sign_in(&app).await;
        let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
        let mut ids = Vec::new();
        for _ in 0..20 {
            ids.push(p.accepted(&app, dx, "online").await);
        }
        let approvals = ids.iter().enumerate().map(|(i, id)| {
            let staff = p.staff.clone();
            let url = app.url(&format!("/api/dispatches/{id}/approve"));
            // Twenty different days of January 2027: no booking clashes.
            let body = schedule(&format!("2027-01-{:02}", i + 1), "10:00", "12:00");
            async move {
                let response = staff.post(url).json(&body).send().await.expect("request");
                let status = response.status().as_u16();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            }
        });
        let results = futures_util::future::join_all(approvals).await;
        let approved = results.iter().filter(|(s, _)| *s == 200).count();
        let refused: Vec<&Value> = results
            .iter()
            .filter(|(s, _)| *s == 409)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(approved, 5, "{backend:?}: {results:?}");
        assert_eq!(refused.len(), 15, "{backend:?}");
        for body in refused {
            assert_eq!(body["error"]["field"], "quota.max_dispatches", "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("令和8年度")
            );
        }
    }
}

#[tokio::test]
async fn online_only_support_past_ten_hours_is_refused_and_the_fiscal_year_follows_the_date() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let p = Parties::sign_in(&app).await;
        let chiiki = programme(&app, &p.town, "soumu_chiiki_johoka").await;
        let first = p.accepted(&app, chiiki, "online").await;
        let (status, body) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{first}/approve"),
            schedule("2027-02-01", "09:00", "17:00"),
        )
        .await;
        assert_eq!(status, 200, "{body}: eight hours online");
        let second = p.accepted(&app, chiiki, "online").await;
        let (status, body) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{second}/approve"),
            schedule("2027-02-08", "09:00", "12:00"),
        )
        .await;
        assert_eq!(status, 409, "eleven hours online: {body}");
        assert_eq!(body["error"]["field"], "quota.onsite_or_online");

        // The same request on 2027-04-01 counts to 令和9年度, which is untouched.
        let (status, body) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{second}/approve"),
            schedule("2027-04-01", "09:00", "12:00"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["summary"]["fiscal_year"], 2027);
        let (_, quota) = get(
            &p.town,
            &app,
            "/api/municipalities/293628/quota?fiscal_year=2026",
        )
        .await;
        let used = quota["programmes"]
            .as_array()
            .expect("list")
            .iter()
            .find(|q| q["id"] == chiiki)
            .expect("chiiki")["used"]
            .clone();
        assert_eq!(
            used["online_hours"], 8.0,
            "{backend:?}: 2027-03-31 and before only"
        );
        let (_, quota) = get(
            &p.town,
            &app,
            "/api/municipalities/293628/quota?fiscal_year=2027",
        )
        .await;
        assert_eq!(quota["label"], "令和9年度");
    }
}

#[tokio::test]
async fn an_advisor_is_never_booked_into_two_overlapping_dispatches() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let p = Parties::sign_in(&app).await;
        let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
        let first = p.accepted(&app, dx, "onsite").await;
        let second = p.accepted(&app, dx, "onsite").await;
        let (status, _) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{first}/approve"),
            schedule("2027-01-20", "10:00", "12:00"),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{second}/approve"),
            schedule("2027-01-20", "11:30", "13:30"),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["field"], "starts_at");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!("#{first}"))
        );
        let (status, body) = post(
            &p.staff,
            &app,
            &format!("/api/dispatches/{second}/approve"),
            schedule("2027-01-20", "12:00", "14:00"),
        )
        .await;
        assert_eq!(status, 200, "back to back is fine: {body}");
    }
}

#[tokio::test]
async fn each_party_takes_only_its_own_steps_and_bad_input_names_its_fields() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let p = Parties::sign_in(&app).await;
    let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
    let (status, body) = post(&p.staff, &app, "/api/dispatches",
        json!({"municipality": "293628", "programme": dx, "advice_type": "issue", "mode": "online", "need": "x", "hours": 2})).await;
    assert_eq!(status, 403, "the 県 does not file for a town: {body}");
    let (status, body) = post(&p.town, &app, "/api/dispatches",
        json!({"programme": dx, "advice_type": "consulting", "mode": "fax", "need": "", "hours": -2})).await;
    assert_eq!(status, 400);
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(named, ["advice_type", "mode", "need", "hours"]);

    let id = p.accepted(&app, dx, "onsite").await;
    let path = |step: &str| format!("/api/dispatches/{id}/{step}");
    assert_eq!(
        post(
            &p.advisor,
            &app,
            &path("approve"),
            schedule("2027-01-20", "10:00", "12:00")
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            &p.town,
            &app,
            &path("approve"),
            schedule("2027-01-20", "10:00", "12:00")
        )
        .await
        .0,
        403
    );
    let (status, body) = post(&p.staff, &app, &path("accept"), json!({})).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = post(
        &p.staff,
        &app,
        &path("approve"),
        json!({"starts_at": "明日", "ends_at": "", "place": ""}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["fields"].as_array().map(Vec::len), Some(3));
    let (status, body) = post(
        &p.staff,
        &app,
        &path("reject"),
        json!({"reason": "予算の都合で今年度は見送り"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&p.town, &app, &path("withdraw"), json!({})).await;
    assert_eq!(status, 409, "a rejected request is final: {body}");
    assert_eq!(body["error"]["field"], "status");
}

#[tokio::test]
async fn a_prefecture_admin_defines_programmes_and_a_rule_change_keeps_what_was_approved() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let (status, created) = post(&admin, &app, "/api/programmes", json!({
        "code": "nara_bank", "name": "奈良県デジタル人材派遣",
        "rules": [{"kind": "max_dispatches", "count": 2}, {"kind": "max_total_hours", "hours": 6}]
    })).await;
    assert_eq!(status, 201, "{created}");
    let own = created["id"].as_i64().expect("id");
    assert_eq!(created["rules_text"][1], "年度内合計6時間まで");
    let staff = app.signed_in(STAFF).await;
    assert_eq!(
        post(&staff, &app, "/api/programmes", json!({"name": "x"}))
            .await
            .0,
        403
    );

    let p = Parties::sign_in(&app).await;
    let id = p.accepted(&app, own, "onsite").await;
    let (status, _) = post(
        &p.staff,
        &app,
        &format!("/api/dispatches/{id}/approve"),
        schedule("2027-01-12", "10:00", "14:00"),
    )
    .await;
    assert_eq!(status, 200);
    let response = admin
        .patch(app.url(&format!("/api/programmes/{own}")))
        .json(&json!({"rules": [{"kind": "max_dispatches", "count": 1}], "version": 1}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status(), 200);
    let stale = admin
        .patch(app.url(&format!("/api/programmes/{own}")))
        .json(&json!({"name": "古い画面から", "version": 1}))
        .send()
        .await
        .expect("patch");
    assert_eq!(stale.status(), 409, "an edit from a stale form");
    let (_, detail) = get(&p.town, &app, &format!("/api/dispatches/{id}")).await;
    assert_eq!(
        detail["quota_at_approval"],
        json!(["年度内2回まで", "年度内合計6時間まで"]),
        "history is kept"
    );
    let second = p.accepted(&app, own, "onsite").await;
    let (status, body) = post(
        &p.staff,
        &app,
        &format!("/api/dispatches/{second}/approve"),
        schedule("2027-01-19", "10:00", "11:00"),
    )
    .await;
    assert_eq!(status, 409, "the new rule applies from now on: {body}");
}

#[tokio::test]
async fn the_export_is_a_spreadsheet_safe_csv_of_what_the_caller_may_see() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let p = Parties::sign_in(&app).await;
    let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
    let (status, _) = post(&p.town, &app, "/api/dispatches",
        json!({"programme": dx, "advice_type": "training", "mode": "onsite", "need": "=HYPERLINK(\"x\")", "hours": 2})).await;
    assert_eq!(status, 201);
    let response = p
        .staff
        .get(app.url("/api/dispatches.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("\r\n"), "CRLF");
    assert!(
        text.contains("三宅町") && text.contains("③啓発・研修"),
        "{text}"
    );
    let outsider = app.signed_in(NARA_CITY).await;
    let other = outsider
        .get(app.url("/api/dispatches.csv"))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(!other.contains("三宅町"), "another town sees only its own");
}

#[tokio::test]
async fn each_person_subscribes_to_their_own_dispatches_by_a_secret_address() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let p = Parties::sign_in(&app).await;
    let dx = programme(&app, &p.town, "jfm_dx_advisor").await;
    let id = p.accepted(&app, dx, "onsite").await;
    let (status, _) = post(
        &p.staff,
        &app,
        &format!("/api/dispatches/{id}/approve"),
        schedule("2027-01-20", "10:00", "12:00"),
    )
    .await;
    assert_eq!(status, 200);
    let feed = |client: reqwest::Client| {
        let app = &app;
        async move {
            let (status, body) = post(&client, app, "/api/calendar/token", json!({})).await;
            assert_eq!(status, 200, "{body}");
            let url = body["url"].as_str().expect("url").to_owned();
            assert!(url.ends_with(".ics"), "{url}");
            let path = url
                .split_once("/api/")
                .map(|(_, p)| format!("/api/{p}"))
                .expect("path");
            let response = app
                .browser()
                .get(app.url(&path))
                .send()
                .await
                .expect("feed");
            assert_eq!(response.status(), 200);
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap_or_default()
                    .starts_with("text/calendar")
            );
            (path, response.text().await.expect("text"))
        }
    };
    let (advisor_path, advisor_feed) = feed(p.advisor.clone()).await;
    assert!(
        advisor_feed.contains(&format!("UID:dispatch-{id}@renkei")),
        "{advisor_feed}"
    );
    assert!(advisor_feed.contains("DTSTART:20270120T010000Z"));
    let (_, town_feed) = feed(p.town.clone()).await;
    assert!(town_feed.contains(&format!("UID:dispatch-{id}@renkei")));
    let (_, other_feed) = feed(app.signed_in(NARA_CITY).await).await;
    assert!(
        !other_feed.contains("VEVENT"),
        "another town's feed is empty: {other_feed}"
    );

    // A new address ends the old one; a made-up one finds nothing.
    feed(p.advisor.clone()).await;
    assert_eq!(
        app.browser()
            .get(app.url(&advisor_path))
            .send()
            .await
            .expect("old")
            .status(),
        404
    );
    let made_up = format!("/api/calendar/{}.ics", "0".repeat(64));
    assert_eq!(
        app.browser()
            .get(app.url(&made_up))
            .send()
            .await
            .expect("made up")
            .status(),
        404
    );
}

#[tokio::test]
async fn the_programme_form_sets_the_rules_and_a_half_rule_is_refused_keeping_what_was_typed() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in_by_form(ADMIN).await;
    let token = app.form_token(&admin, "/dispatches/programmes/new").await;
    let (location, response) = app
        .submit(
            &admin,
            &token,
            "/dispatches/programmes",
            &[
                ("name", "奈良県デジタル人材派遣"),
                ("advice_types", "issue"),
                ("advice_types", "training"),
                ("online_hours", "10"),
            ],
        )
        .await;
    assert_eq!(location, "/dispatches/programmes/new");
    let flash = app.flash(&response).await.expect("flash");
    assert_eq!(flash.field.as_deref(), Some("onsite_count"), "{flash:?}");
    let html = admin
        .get(app.url("/dispatches/programmes/new"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let page = scraper::Html::parse_document(&html);
    let typed = scraper::Selector::parse("input[name=name]").expect("selector");
    assert_eq!(
        page.select(&typed)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("奈良県デジタル人材派遣")
    );

    let token = app.form_token(&admin, "/dispatches/programmes/new").await;
    let (location, _) = app
        .submit(
            &admin,
            &token,
            "/dispatches/programmes",
            &[
                ("name", "奈良県デジタル人材派遣"),
                ("advice_types", "issue"),
                ("max_dispatches", "２"),
                ("min_hours", "1.5"),
            ],
        )
        .await;
    assert_eq!(location, "/dispatches/programmes");
    let (_, list) = get(&admin, &app, "/api/programmes").await;
    let own = list
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["name"] == "奈良県デジタル人材派遣")
        .expect("created")
        .clone();
    assert_eq!(
        own["rules_text"],
        json!(["年度内2回まで", "1回1.5時間以上"])
    );
    assert_eq!(own["advice_types"], json!(["issue"]));
}
