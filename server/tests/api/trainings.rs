//! 共同研修 over real HTTP: creating and opening a course, enrolment under
//! concurrency with a waitlist, cancellation and promotion, the split, its
//! confirmation and the notices as CSV, on SQLite and PostgreSQL.

use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, texts};

const ADMIN: &str = "nara-admin@renkei.example";
const MIYAKE: &str = "miyake@renkei.example";
const NARA_CITY: &str = "naracity@renkei.example";

fn course(capacity: i64) -> Value {
    json!({
        "title": "DX推進リーダー研修",
        "target": "DX推進リーダー",
        "capacity": capacity,
        "sessions": [
            {"starts_at": "2027-01-20T10:00", "ends_at": "2027-01-20T12:00", "place": "奈良県庁", "online": false},
            {"starts_at": "2027-01-27T10:00:00+09:00", "ends_at": "2027-01-27T12:00:00+09:00", "place": "", "online": true}
        ],
        "costs": [
            {"label": "講師謝金", "amount": 1_000_000, "kind": "shared"},
            {"label": "教材費", "unit_price": 2000, "kind": "per_head"}
        ],
        "split": {"method": "headcount", "basis": "enrolled", "include_organiser": false, "remainder": "largest_remainder"}
    })
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let response = client.get(app.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Creates and opens a course as 奈良県's 県管理者, returning its id.
async fn open_course(app: &TestApp, admin: &reqwest::Client, body: &Value) -> i64 {
    let (status, created) = post(app, admin, "/api/trainings", body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");
    let (status, opened) = post(app, admin, &format!("/api/trainings/{id}/open"), &json!({})).await;
    assert_eq!(status, 200, "{opened}");
    assert_eq!(opened["status"], "open");
    id
}

fn staff(names: &[&str]) -> Value {
    json!({ "staff": names.iter().map(|n| json!({"name": n, "position": "主事"})).collect::<Vec<_>>() })
}

#[tokio::test]
async fn two_hundred_simultaneous_enrolments_fill_thirty_seats_and_queue_the_rest_in_order() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let miyake = app.signed_in(MIYAKE).await;
        let nara_city = app.signed_in(NARA_CITY).await;
        let id = open_course(&app, &admin, &course(30)).await;
        let path = format!("/api/trainings/{id}/enrolments");

        let requests = (0..200).map(|i| {
            let client = if i % 2 == 0 { &miyake } else { &nara_city };
            let body = staff(&[&format!("受講者{i:03}")]);
            let url = app.url(&path);
            async move {
                let response = client.post(url).json(&body).send().await.expect("request");
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.expect("json"))
            }
        });
        let answers = futures_util::future::join_all(requests).await;
        let mut seated = 0;
        let mut waiting = 0;
        for (status, body) in &answers {
            assert_eq!(*status, 201, "{backend:?}: {body}");
            seated += body["enrolled"].as_array().expect("enrolled").len();
            waiting += body["waitlisted"].as_array().expect("waitlisted").len();
        }
        assert_eq!((seated, waiting), (30, 170), "{backend:?}");

        let (_, detail) = get(&app, &admin, &format!("/api/trainings/{id}")).await;
        assert_eq!(detail["summary"]["enrolled"], 30, "{backend:?}");
        assert_eq!(detail["summary"]["waitlisted"], 170, "{backend:?}");
        let enrolments = detail["enrolments"].as_array().expect("enrolments");
        let seqs: Vec<i64> = enrolments
            .iter()
            .map(|e| e["seq"].as_i64().expect("seq"))
            .collect();
        assert_eq!(
            seqs,
            (1..=200).collect::<Vec<_>>(),
            "{backend:?}: one arrival number each"
        );
        for e in enrolments {
            let expected = if e["seq"].as_i64() <= Some(30) {
                "enrolled"
            } else {
                "waitlisted"
            };
            assert_eq!(
                e["status"], expected,
                "{backend:?}: the first 30 to arrive are seated: {e}"
            );
        }

        // A town cancels one of its seated staff: the first waiting moves up.
        let seated_miyake = enrolments
            .iter()
            .find(|e| e["status"] == "enrolled" && e["municipality"] == "293628")
            .expect("a seated 三宅町 trainee");
        let first_waiting = enrolments
            .iter()
            .find(|e| e["status"] == "waitlisted")
            .expect("someone waiting");
        let response = miyake
            .delete(app.url(&format!(
                "/api/trainings/{id}/enrolments/{}",
                seated_miyake["id"]
            )))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{backend:?}");
        let cancelled: Value = response.json().await.expect("json");
        assert_eq!(cancelled["cancelled"]["status"], "cancelled");
        assert_eq!(
            cancelled["promoted"]["id"], first_waiting["id"],
            "{backend:?}"
        );
        assert_eq!(cancelled["promoted"]["seq"], 31, "{backend:?}");

        let (_, after) = get(&app, &admin, &format!("/api/trainings/{id}")).await;
        assert_eq!(after["summary"]["enrolled"], 30, "{backend:?}");
        assert_eq!(after["summary"]["waitlisted"], 169, "{backend:?}");
        let promoted = after["enrolments"]
            .as_array()
            .expect("enrolments")
            .iter()
            .find(|e| e["id"] == first_waiting["id"])
            .expect("still listed");
        assert_eq!(promoted["promoted"], true, "the town sees the promotion");
    }
}

#[tokio::test]
async fn a_municipality_enrols_only_its_own_staff_and_sees_only_its_own() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let miyake = app.signed_in(MIYAKE).await;
        let id = open_course(&app, &admin, &course(30)).await;
        let path = format!("/api/trainings/{id}/enrolments");

        let mut other = staff(&["奈良 太郎"]);
        other["municipality"] = json!("292010");
        let (status, body) = post(&app, &miyake, &path, &other).await;
        assert_eq!(status, 403, "{body}");
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(body, @r#"
            {
              "error": {
                "code": "forbidden",
                "field": "municipality",
                "message": "申し込めるのはご自身の市町村の職員だけです(奈良市の職員は申し込めません)。"
              }
            }
            "#)
        }

        let (status, body) = post(&app, &miyake, &path, &json!({"staff": [{"name": " "}]})).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["field"], "staff[0].name");

        let mut on_behalf = staff(&["三宅 代理"]);
        on_behalf["municipality"] = json!("293628");
        let (status, _) = post(&app, &admin, &path, &on_behalf).await;
        assert_eq!(
            status, 403,
            "a town enrols its own staff, not the prefecture"
        );

        let (status, _) = post(&app, &miyake, &path, &staff(&["三宅 花子"])).await;
        assert_eq!(status, 201);
        let nara_city = app.signed_in(NARA_CITY).await;
        let (status, _) = post(&app, &nara_city, &path, &staff(&["奈良 次郎"])).await;
        assert_eq!(status, 201);

        let (_, seen) = get(&app, &miyake, &format!("/api/trainings/{id}")).await;
        let names: Vec<&str> = seen["enrolments"]
            .as_array()
            .expect("enrolments")
            .iter()
            .map(|e| e["name"].as_str().expect("name"))
            .collect();
        assert_eq!(names, ["三宅 花子"], "another town's staff stay private");
        assert_eq!(
            seen["summary"]["enrolled"], 2,
            "but the seats taken are public"
        );
    }
}

#[tokio::test]
async fn invalid_courses_are_refused_with_a_japanese_message_naming_the_field() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let mut zero = course(0);
    let (status, body) = post(&app, &admin, "/api/trainings", &zero).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("capacity"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("定員")
    );

    zero["capacity"] = json!(30);
    zero["costs"][0]["amount"] = json!(-5);
    let (status, body) = post(&app, &admin, "/api/trainings", &zero).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("costs[0].amount"))
    );

    let mut weights = course(30);
    weights["split"] =
        json!({"method": "formula", "weights": {"flat": 35, "participants": 35, "staff": 20}});
    let (status, body) = post(&app, &admin, "/api/trainings", &weights).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (400, Some("split.weights"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("100%")
    );

    let anonymous = app.browser();
    let (status, _) = post(&app, &anonymous, "/api/trainings", &course(30)).await;
    assert_eq!(status, 401);
    let miyake = app.signed_in(MIYAKE).await;
    let mut for_nara_city = course(30);
    for_nara_city["organiser"] = json!("292010");
    let (status, _) = post(&app, &miyake, "/api/trainings", &for_nara_city).await;
    assert_eq!(status, 403, "a town organises only its own courses");
    let advisor = app.signed_in("advisor1@renkei.example").await;
    let (status, _) = post(&app, &advisor, "/api/trainings", &course(0)).await;
    assert_eq!(
        status, 403,
        "an advisor is refused before the course is checked"
    );
}

#[tokio::test]
async fn the_confirmed_split_adds_up_to_the_yen_and_each_town_gets_its_own_notice() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let admin = app.signed_in(ADMIN).await;
        let miyake = app.signed_in(MIYAKE).await;
        let nara_city = app.signed_in(NARA_CITY).await;
        let id = open_course(&app, &admin, &course(30)).await;
        let path = format!("/api/trainings/{id}/enrolments");
        assert_eq!(
            post(
                &app,
                &miyake,
                &path,
                &staff(&["三宅 一", "三宅 二", "三宅 三"])
            )
            .await
            .0,
            201
        );
        assert_eq!(
            post(&app, &nara_city, &path, &staff(&["奈良 一"])).await.0,
            201
        );

        let (status, _) = post(
            &app,
            &admin,
            &format!("/api/trainings/{id}/confirm"),
            &json!({}),
        )
        .await;
        assert_eq!(
            status, 409,
            "enrolment must end before the split is confirmed"
        );
        let (status, _) = post(
            &app,
            &admin,
            &format!("/api/trainings/{id}/close"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200);

        let (status, split) = get(&app, &admin, &format!("/api/trainings/{id}/split")).await;
        assert_eq!(status, 200, "{split}");
        // 1,000,000 yen shared 3 : 1, plus 2,000 yen of material per trainee.
        assert_eq!(split["total"], 1_000_000 + 4 * 2000);
        let lines: Vec<(String, u64, u64)> = split["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["amount"].as_u64() > Some(0))
            .map(|l| {
                (
                    l["municipality"].as_str().expect("code").to_owned(),
                    l["headcount"].as_u64().expect("headcount"),
                    l["amount"].as_u64().expect("amount"),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("292010".to_owned(), 1, 250_000 + 2000),
                ("293628".to_owned(), 3, 750_000 + 6000),
            ]
        );

        let (status, confirmed) = post(
            &app,
            &admin,
            &format!("/api/trainings/{id}/confirm"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{confirmed}");
        assert_eq!(confirmed["confirmed"], true);

        // Frozen: a later cancellation cannot change it.
        let (status, _) = post(
            &app,
            &admin,
            &format!("/api/trainings/{id}/confirm"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 409);

        // A town sees only its own line, with the totals.
        let (_, own) = get(&app, &miyake, &format!("/api/trainings/{id}/split")).await;
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(own, { ".confirmed_at" => "[when]" }, @r#"
            {
              "confirmed": true,
              "confirmed_at": "[when]",
              "description": "共通経費を参加人数で按分。受講者ごとの経費は各団体が負担。按分の基礎は受講申込者数。端数は最大剰余法(同順位は団体コードの小さい団体)。",
              "lines": [
                {
                  "amount": 756000,
                  "headcount": 3,
                  "municipality": "293628",
                  "name": "三宅町",
                  "per_head": 6000,
                  "shared": 750000,
                  "staff": null
                }
              ],
              "total": 1008000
            }
            "#)
        }

        let response = admin
            .get(app.url(&format!("/api/trainings/{id}/notices.csv")))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.expect("body");
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "UTF-8 with BOM for spreadsheets"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert!(text.contains("293628,三宅町,DX推進リーダー研修"), "{text}");
        assert!(text.contains("756000"), "{text}");
        assert!(text.contains("252000"), "{text}");

        let town_csv = miyake
            .get(app.url(&format!("/api/trainings/{id}/notices.csv")))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("text");
        assert!(
            town_csv.contains("三宅町") && !town_csv.contains("奈良市"),
            "{town_csv}"
        );

        let page = html(&miyake, &app.url(&format!("/trainings/{id}/notices"))).await;
        let sheets = texts(&page, ".notice-sheet h1");
        assert_eq!(sheets.len(), 1, "三宅町 sees its own notice only");
        let sheet = texts(&page, ".notice-sheet").join("");
        assert!(
            sheet.contains("三宅町 様") && sheet.contains("756,000円"),
            "{sheet}"
        );
        assert!(
            sheet.contains("3人") && sheet.contains("4人"),
            "its headcount and the total: {sheet}"
        );
        // An official document: dated in 和暦 without a clock time, numbered.
        let dated = texts(&page, ".notice-sheet__date").join("");
        assert!(dated.contains("令和") && dated.contains("日"), "{dated}");
        assert!(!dated.contains(':'), "no clock time: {dated}");
        assert!(
            dated.contains(&format!("共研第{id}-293628号")),
            "a document number: {dated}"
        );
        // The organiser adds who issues the notice and how to pay; a bad date is
        // refused naming the field.
        let bad = admin
            .put(app.url(&format!("/api/trainings/{id}/billing")))
            .json(&serde_json::json!({"issuer": "奈良県 総務部 デジタル戦略課", "payment_due": "3月末"}))
            .send()
            .await
            .expect("billing");
        assert_eq!(bad.status(), 400);
        let body: serde_json::Value = bad.json().await.expect("error");
        assert_eq!(body["error"]["field"], "payment_due");
        let set = admin
            .put(app.url(&format!("/api/trainings/{id}/billing")))
            .json(&serde_json::json!({
                "issuer": "奈良県 総務部 デジタル戦略課",
                "contact": "0742-27-0000",
                "payment_due": "2027-03-31",
                "payment_account": "南都銀行 県庁支店\n普通 1234567 奈良県"
            }))
            .send()
            .await
            .expect("billing");
        assert_eq!(set.status(), 200, "{backend:?}");
        let refused = miyake
            .put(app.url(&format!("/api/trainings/{id}/billing")))
            .json(&serde_json::json!({"issuer": "三宅町"}))
            .send()
            .await
            .expect("billing");
        assert_eq!(
            refused.status(),
            403,
            "a town does not write the organiser's notice"
        );
        let page = html(&miyake, &app.url(&format!("/trainings/{id}/notices"))).await;
        let sheet = texts(&page, ".notice-sheet").join("");
        for expected in [
            "奈良県 総務部 デジタル戦略課",
            "問い合わせ先: 0742-27-0000",
            "納付期限令和9年3月31日",
            "南都銀行 県庁支店",
            "普通 1234567 奈良県",
        ] {
            assert!(sheet.contains(expected), "{expected} in {sheet}");
        }

        let all = html(&admin, &app.url(&format!("/trainings/{id}/notices"))).await;
        assert_eq!(
            texts(&all, ".notice-sheet h1").len(),
            2,
            "the organiser prints every body's"
        );

        let response = app
            .browser()
            .get(app.url(&format!("/trainings/{id}/notices")))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            303,
            "signed out, the notices ask for a sign-in"
        );
    }
}

async fn html(client: &reqwest::Client, url: &str) -> scraper::Html {
    let response = client
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{url}");
    scraper::Html::parse_document(&response.text().await.expect("body"))
}

#[tokio::test]
async fn the_catalogue_shows_open_courses_with_their_seats_left_and_hides_drafts() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let miyake = app.signed_in(MIYAKE).await;
    let id = open_course(&app, &admin, &course(30)).await;
    let mut draft = course(10);
    draft["title"] = json!("準備中の研修");
    assert_eq!(post(&app, &admin, "/api/trainings", &draft).await.0, 201);
    let path = format!("/api/trainings/{id}/enrolments");
    assert_eq!(
        post(&app, &miyake, &path, &staff(&["三宅 一", "三宅 二"]))
            .await
            .0,
        201
    );

    let page = html(&miyake, &app.url("/trainings")).await;
    let rows = texts(&page, "table.trainings tbody tr");
    assert_eq!(rows.len(), 1, "drafts stay with their organiser: {rows:?}");
    assert!(
        rows[0].contains("DX推進リーダー研修") && rows[0].contains("28 / 30席"),
        "{rows:?}"
    );
    assert!(
        rows[0].contains("令和9年1月20日 10:00") && rows[0].contains("全2回"),
        "{rows:?}"
    );
    let organiser_view = html(&admin, &app.url("/trainings")).await;
    assert_eq!(texts(&organiser_view, "table.trainings tbody tr").len(), 2);

    let course_page = html(&miyake, &app.url(&format!("/trainings/{id}"))).await;
    let sessions = texts(
        &course_page,
        "#training-sessions ~ .table-wrap table tbody tr",
    );
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert!(sessions[1].contains("オンライン"), "{sessions:?}");
    let own = texts(
        &course_page,
        "#training-enrolments ~ .table-wrap table tbody tr",
    );
    assert_eq!(own.len(), 2);
    assert!(
        own[0].contains("三宅 一") && own[0].contains("受講決定"),
        "{own:?}"
    );
}

/// Posts a form as a browser without JavaScript would, with the token of `page`;
/// returns where it redirected and the flash it left.
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (String, app::api::flash::Flash) {
    let token = app.form_token(client, page).await;
    let (location, response) = app.submit(client, &token, action, fields).await;
    let flash = app.flash(&response).await.expect("flash");
    (location, flash)
}

fn attr(doc: &scraper::Html, selector: &str, name: &str) -> Option<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    doc.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

#[tokio::test]
async fn the_course_form_posts_without_javascript_and_a_refusal_keeps_what_was_typed() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let typed = [
        ("title", "データ利活用研修"),
        ("capacity", "２０"),
        ("sessions[0].starts_at", "2027-02-03T13:00"),
        ("sessions[0].ends_at", "2027-02-03T16:00"),
        ("sessions[0].place", "奈良県庁 第1会議室"),
        ("sessions[2].starts_at", "2027-02-10T13:00"),
        ("sessions[2].ends_at", "2027-02-10T12:00"),
        ("sessions[2].online", "on"),
        ("costs[0].label", "講師謝金"),
        ("costs[0].kind", "shared"),
        ("costs[0].amount", "300,000"),
        ("costs[1].label", "教材費"),
        ("costs[1].kind", "per_head"),
        ("costs[1].amount", "1500"),
        ("split.method", "headcount"),
        ("split.basis", "enrolled"),
        ("split.remainder", "largest_remainder"),
    ];
    let (location, flash) =
        post_form(&app, &admin, "/trainings/new", "/trainings/new", &typed).await;
    assert_eq!(location, "/trainings/new", "refused: {flash:?}");
    assert_eq!(
        flash.field.as_deref(),
        Some("sessions[2].ends_at"),
        "the error points at the row it was typed in, not the second parsed one"
    );
    let page = html(&admin, &app.url("/trainings/new")).await;
    assert_eq!(
        texts(&page, "[id='f-sessions[2].ends_at-error']"),
        ["第2回の終了日時は開始日時より後にしてください。"]
    );
    assert_eq!(
        attr(&page, "[id='f-sessions[2].ends_at']", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&page, "[id='f-title']", "value").as_deref(),
        Some("データ利活用研修")
    );
    assert_eq!(
        attr(&page, "[id='f-capacity']", "value").as_deref(),
        Some("２０"),
        "what was typed comes back as typed"
    );
    assert_eq!(
        attr(&page, "[id='f-costs[1].kind'] option[selected]", "value").as_deref(),
        Some("per_head")
    );

    let mut fixed = typed.to_vec();
    fixed.retain(|(k, _)| !k.starts_with("sessions[2]"));
    let (location, flash) =
        post_form(&app, &admin, "/trainings/new", "/trainings/new", &fixed).await;
    assert!(flash.success, "{flash:?}");
    let id: i64 = location
        .strip_prefix("/trainings/")
        .and_then(|s| s.parse().ok())
        .expect("the course page");
    let (status, detail) = get(&app, &admin, &format!("/api/trainings/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(detail["summary"]["status"], "draft");
    assert_eq!(detail["summary"]["capacity"], 20);
    assert_eq!(detail["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(detail["costs"][0]["amount"], 300_000);
    assert_eq!(detail["costs"][1]["kind"], "per_head");
    assert_eq!(detail["costs"][1]["amount"], 1500);
}

#[tokio::test]
async fn every_wrong_input_of_the_course_form_is_marked_at_once_and_the_api_names_them_all() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let typed = [
        ("title", ""),
        ("capacity", "三十"),
        ("sessions[0].starts_at", "2027-02-03T13:00"),
        ("sessions[0].ends_at", "2027-02-03T12:00"),
        ("sessions[0].place", "奈良県庁"),
        ("costs[0].label", "講師謝金"),
        ("costs[0].kind", "shared"),
        ("costs[0].amount", "30万"),
        ("split.method", "headcount"),
    ];
    let (location, flash) =
        post_form(&app, &admin, "/trainings/new", "/trainings/new", &typed).await;
    assert_eq!(location, "/trainings/new");
    let fields: Vec<&str> = flash.errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "capacity",
            "costs[0].amount",
            "title",
            "sessions[0].ends_at"
        ],
        "{flash:?}"
    );
    let page = html(&admin, &app.url("/trainings/new")).await;
    assert_eq!(texts(&page, "#flash-message li").len(), 4);
    let invalid = scraper::Selector::parse("main [aria-invalid=true]").expect("selector");
    let mut marked: Vec<&str> = page
        .select(&invalid)
        .filter_map(|e| e.value().attr("name"))
        .collect();
    marked.sort_unstable();
    assert_eq!(
        marked,
        [
            "capacity",
            "costs[0].amount",
            "sessions[0].ends_at",
            "title"
        ]
    );
    assert_eq!(
        attr(&page, "[id='f-costs[0].amount']", "value").as_deref(),
        Some("30万"),
        "what was typed stays"
    );

    let mut wrong = course(0);
    wrong["title"] = json!(" ");
    wrong["costs"][1]["unit_price"] = json!(-1);
    let (status, body) = post(&app, &admin, "/api/trainings", &wrong).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "title");
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(named, ["title", "capacity", "costs[1].unit_price"]);
}

#[tokio::test]
async fn a_course_runs_from_opening_to_confirmation_through_its_page_buttons() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let miyake = app.signed_in(MIYAKE).await;
    let nara_city = app.signed_in(NARA_CITY).await;
    let mut body = course(2);
    body["split"]["basis"] = json!("attended");
    let (status, created) = post(&app, &admin, "/api/trainings", &body).await;
    assert_eq!(status, 201);
    let id = created["id"].as_i64().expect("id");
    let page = format!("/trainings/{id}");

    let (_, flash) = post_form(
        &app,
        &admin,
        &page,
        &format!("{page}/status"),
        &[("status", "open")],
    )
    .await;
    assert!(flash.success, "{flash:?}");

    let (_, flash) = post_form(
        &app,
        &miyake,
        &page,
        &format!("{page}/enrolments"),
        &[("staff[0].name", "三宅 一"), ("staff[0].position", "主事")],
    )
    .await;
    assert_eq!(flash.message, "1人の受講が決まりました。");
    let (_, flash) = post_form(
        &app,
        &nara_city,
        &page,
        &format!("{page}/enrolments"),
        &[
            ("staff[1].name", "奈良 一"),
            ("staff[3].name", "奈良 二"),
            ("staff[4].email", "not-an-address"),
        ],
    )
    .await;
    assert!(!flash.success);
    assert_eq!(
        flash.field.as_deref(),
        Some("staff[4].name"),
        "a row with only an e-mail lacks its name"
    );
    assert_eq!(
        flash.values.get("staff[3].name").map(String::as_str),
        Some("奈良 二")
    );
    let (_, flash) = post_form(
        &app,
        &nara_city,
        &page,
        &format!("{page}/enrolments"),
        &[("staff[1].name", "奈良 一"), ("staff[3].name", "奈良 二")],
    )
    .await;
    assert!(
        flash
            .message
            .contains("1人の受講が決まり、1人はキャンセル待ち"),
        "{flash:?}"
    );

    let (_, detail) = get(&app, &admin, &format!("/api/trainings/{id}")).await;
    let enrolment_of = |name: &str| {
        detail["enrolments"]
            .as_array()
            .and_then(|list| list.iter().find(|e| e["name"] == name))
            .and_then(|e| e["id"].as_i64())
            .expect("enrolment")
    };
    let miyake_one = enrolment_of("三宅 一");
    let nara_two = enrolment_of("奈良 二");
    let (_, flash) = post_form(
        &app,
        &miyake,
        &page,
        &format!("{page}/enrolments/{miyake_one}/cancel"),
        &[],
    )
    .await;
    assert!(
        flash
            .message
            .contains("奈良 二(奈良市)さんが繰り上がりました"),
        "{flash:?}"
    );
    let home = html(&nara_city, &app.url("/")).await;
    let news = texts(&home, "#trainings-heading ~ ul li");
    assert_eq!(news.len(), 1, "{news:?}");
    assert!(
        news[0].contains("受講決定2人")
            && news[0].contains("キャンセル待ちから繰り上がりました: 奈良 二"),
        "奈良市 is told on its home page: {news:?}"
    );

    let (_, flash) = post_form(
        &app,
        &admin,
        &page,
        &format!("{page}/status"),
        &[("status", "closed")],
    )
    .await;
    assert!(flash.success, "{flash:?}");
    let session = detail["sessions"][0]["id"].as_i64().expect("session");
    let (_, flash) = post_form(
        &app,
        &admin,
        &page,
        &format!("{page}/sessions/{session}/attendance"),
        &[("present", &nara_two.to_string())],
    )
    .await;
    assert_eq!(flash.message, "出席を記録しました(1人出席)。");
    // 確定 cannot be undone: not without its tick.
    let (_, flash) = post_form(&app, &admin, &page, &format!("{page}/confirm"), &[]).await;
    assert!(!flash.success, "{flash:?}");
    assert!(flash.message.contains("チェック"), "{flash:?}");
    let unchanged = html(&admin, &app.url(&page)).await;
    assert!(
        !texts(&unchanged, "main")
            .join("")
            .contains("負担金は確定済みです"),
        "nothing was fixed"
    );
    let (_, flash) = post_form(
        &app,
        &admin,
        &page,
        &format!("{page}/confirm"),
        &[("confirm", "yes")],
    )
    .await;
    assert!(flash.success, "{flash:?}");
    assert!(flash.message.contains("1,002,000円"), "{flash:?}");

    // The notice details by form: a refused date keeps what was typed.
    let typed = [
        ("issuer", "奈良市 総務部 人事課"),
        ("contact", "0742-34-0000"),
        ("payment_due", "来月"),
        ("payment_account", "南都銀行 本店\r\n普通 7654321"),
    ];
    let (_, flash) = post_form(&app, &admin, &page, &format!("{page}/billing"), &typed).await;
    assert_eq!(flash.field.as_deref(), Some("payment_due"), "{flash:?}");
    let form_page = html(&admin, &app.url(&page)).await;
    assert_eq!(
        attr(&form_page, "input[name=issuer]", "value").as_deref(),
        Some("奈良市 総務部 人事課")
    );
    assert_eq!(
        attr(&form_page, "input[name=payment_due]", "aria-invalid").as_deref(),
        Some("true")
    );
    let mut fixed = typed;
    fixed[2] = ("payment_due", "2027-04-30");
    let (_, flash) = post_form(&app, &admin, &page, &format!("{page}/billing"), &fixed).await;
    assert!(flash.success, "{flash:?}");
    let form_page = html(&admin, &app.url(&page)).await;
    assert_eq!(
        attr(&form_page, "input[name=payment_due]", "value").as_deref(),
        Some("2027-04-30"),
        "the stored values fill the form again"
    );

    let town_page = html(&nara_city, &app.url(&page)).await;
    let lines = texts(&town_page, "#training-shares ~ .table-wrap table tbody tr");
    assert_eq!(lines.len(), 1, "a town sees its own line: {lines:?}");
    assert!(
        lines[0].contains("奈良市") && lines[0].contains("1,002,000円"),
        "only the one who attended counts, so 奈良市 bears it all: {lines:?}"
    );
    assert_eq!(texts(&town_page, "#training-shares"), ["負担金(確定)"]);
    let home = html(&nara_city, &app.url("/")).await;
    assert!(
        texts(&home, "#trainings-heading ~ ul li")[0].contains("負担金 1,002,000円のお知らせ"),
        "the home page links the notice"
    );
}

/// What a browser would post from the page's form `selector` as it stands:
/// every named input (checkboxes only when ticked), selected options, text areas.
fn fields_of(doc: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    let form = scraper::Selector::parse(selector).expect("selector");
    let controls =
        scraper::Selector::parse("input[name], select[name], textarea[name]").expect("selector");
    let selected = scraper::Selector::parse("option[selected]").expect("selector");
    let form = doc.select(&form).next().expect("the form");
    let mut fields = Vec::new();
    for control in form.select(&controls) {
        let element = control.value();
        let name = element.attr("name").unwrap_or_default().to_owned();
        let value = match element.name() {
            "select" => control
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_owned(),
            "textarea" => control.text().collect::<String>().trim().to_owned(),
            _ if element.attr("type") == Some("checkbox") => {
                if element.attr("checked").is_none() {
                    continue;
                }
                element.attr("value").unwrap_or("on").to_owned()
            }
            _ => element.attr("value").unwrap_or_default().to_owned(),
        };
        if name != "csrf_token" {
            fields.push((name, value));
        }
    }
    fields
}

fn with(fields: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    out.extend(
        changes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    out
}

#[tokio::test]
async fn the_course_form_of_a_stored_course_round_trips_and_more_seats_go_to_the_waitlist() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let miyake = app.signed_in(MIYAKE).await;
    let id = open_course(&app, &admin, &course(1)).await;
    let enrolments = format!("/api/trainings/{id}/enrolments");
    let (status, _) = post(
        &app,
        &miyake,
        &enrolments,
        &staff(&["三宅 一", "三宅 二", "三宅 三"]),
    )
    .await;
    assert_eq!(status, 201);
    let edit = format!("/trainings/{id}/edit");

    let page = html(&admin, &app.url(&edit)).await;
    let preview = texts(&page, "#trial-result tbody tr");
    assert!(
        preview
            .iter()
            .any(|row| row.contains("三宅町") && row.contains("1,002,000円")),
        "the preview splits among the seated trainees, not examples: {preview:?}"
    );
    let stored = fields_of(&page, "form[action$='/edit']");
    let value = |name: &str| {
        stored
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("title"), Some("DX推進リーダー研修"));
    assert_eq!(value("sessions[0].starts_at"), Some("2027-01-20T10:00"));
    assert_eq!(value("sessions[1].online"), Some("on"));
    assert_eq!(value("costs[1].kind"), Some("per_head"));
    assert_eq!(value("costs[1].amount"), Some("2000"));

    let post_edit = |fields: Vec<(String, String)>| {
        let app = &app;
        let admin = &admin;
        let edit = edit.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_form(app, admin, &edit, &edit, &pairs).await
        }
    };
    let (location, flash) = post_edit(with(
        &stored,
        &[("capacity", "2"), ("title", "DX推進リーダー研修(改)")],
    ))
    .await;
    assert_eq!(location, format!("/trainings/{id}"), "{flash:?}");
    assert!(
        flash
            .message
            .contains("キャンセル待ちの1人が受付順に繰り上がりました"),
        "{flash:?}"
    );
    let (_, detail) = get(&app, &miyake, &format!("/api/trainings/{id}")).await;
    assert_eq!(detail["summary"]["title"], "DX推進リーダー研修(改)");
    let statuses: Vec<&str> = detail["enrolments"]
        .as_array()
        .expect("enrolments")
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        ["enrolled", "enrolled", "waitlisted"],
        "the second to arrive moved up"
    );

    // Sent without the version of the first reading (that copy is now older than
    // the stored course and would be refused as stale before the capacity check).
    let (location, flash) = post_edit(with(&stored, &[("capacity", "1"), ("version", "")])).await;
    assert_eq!(location, edit);
    assert_eq!(flash.field.as_deref(), Some("capacity"));
    assert!(flash.message.contains("受講決定者が2人"), "{flash:?}");

    let (status, _) = post(
        &app,
        &admin,
        &format!("/api/trainings/{id}/close"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let second = detail["sessions"][1]["id"].as_i64().expect("session");
    let first_trainee = detail["enrolments"][0]["id"].as_i64().expect("enrolment");
    let response = admin
        .put(app.url(&format!("/api/trainings/{id}/sessions/{second}/attendance")))
        .json(&json!({"present": [first_trainee]}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let without_second: Vec<(String, String)> =
        with(&stored, &[("capacity", "2"), ("version", "")])
            .into_iter()
            .filter(|(k, _)| !k.starts_with("sessions[1]"))
            .collect();
    let (_, flash) = post_edit(without_second).await;
    assert_eq!(flash.field.as_deref(), Some("sessions[1].starts_at"));
    assert!(flash.message.contains("出席が記録されている"), "{flash:?}");
    let (_, detail) = get(&app, &admin, &format!("/api/trainings/{id}")).await;
    assert_eq!(
        detail["sessions"].as_array().map(Vec::len),
        Some(2),
        "nothing stored was lost"
    );
}

#[tokio::test]
async fn the_share_table_shows_the_unit_price_apart_from_a_towns_per_participant_costs() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in(ADMIN).await;
    let miyake = app.signed_in(MIYAKE).await;
    let id = open_course(&app, &admin, &course(30)).await;
    let path = format!("/api/trainings/{id}/enrolments");
    let (status, _) = post(
        &app,
        &miyake,
        &path,
        &staff(&["三宅 一", "三宅 二", "三宅 三"]),
    )
    .await;
    assert_eq!(status, 201);
    let html = admin
        .get(app.url(&format!("/trainings/{id}")))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    let doc = scraper::Html::parse_document(&html);
    let headers = crate::helpers::texts(&doc, "table.data-table thead th");
    assert!(
        headers.contains(&"単価(1人あたり)".to_owned()),
        "{headers:?}"
    );
    assert!(
        headers.contains(&"受講者経費(単価×人数)".to_owned()),
        "{headers:?}"
    );
    let row = scraper::Selector::parse("section[aria-labelledby=training-shares] tbody tr")
        .expect("selector");
    let miyake_row: Vec<String> = doc
        .select(&row)
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .filter(|r| r.contains("三宅町"))
        .collect();
    assert_eq!(miyake_row.len(), 1, "{html}");
    // 3 people at 2,000円: the unit price and the town's 6,000円 are both shown.
    assert!(
        miyake_row[0].contains("|2,000円|6,000円|"),
        "{miyake_row:?}"
    );
}
