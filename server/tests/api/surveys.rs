//! 照会 over real HTTP on SQLite and PostgreSQL: every town answers at once and
//! nothing is lost; a town answers only its own, a draft is not an answer until
//! submitted, the deadline closes it until the 県 reopens it; the downloads.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, send};

const STAFF: &str = "nara-staff@renkei.example";
const MIYAKE: &str = "miyake@renkei.example";
const NARA_CITY: &str = "naracity@renkei.example";
const KOCHI: &str = "kochi-admin@renkei.example";

fn survey(municipalities: Value) -> Value {
    json!({
        "title": "生成AIの利用状況調査",
        "instructions": "分かる範囲で回答してください。",
        "deadline": (chrono::Utc::now().date_naive() + chrono::Days::new(10)).format("%Y-%m-%d").to_string(),
        "questions": [
            {"kind": "choice", "label": "生成AIを業務で使っていますか", "options": ["導入済み", "試行中", "予定なし"], "required": true},
            {"kind": "number", "label": "利用している職員数"},
            {"kind": "short", "label": "担当課"}
        ],
        "municipalities": municipalities
    })
}

async fn make(app: &TestApp, staff: &reqwest::Client, towns: Value) -> i64 {
    let (status, made) = send(
        staff,
        app,
        reqwest::Method::POST,
        "/api/surveys",
        survey(towns),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().expect("id")
}

/// One staff account in every town of 奈良県 that has none (the same password
/// as the demo's), and their emails, one per town.
async fn staff_of_every_town(app: &TestApp) -> Vec<(String, String)> {
    let db = &app.db;
    let miyake = app::entities::account::Entity::find()
        .filter(app::entities::account::Column::Email.eq(MIYAKE))
        .one(db)
        .await
        .expect("query")
        .expect("miyake");
    let towns = app::entities::municipality::Entity::find()
        .filter(app::entities::municipality::Column::PrefectureCode.eq("290009"))
        .all(db)
        .await
        .expect("towns");
    let mut people = Vec::new();
    for town in towns {
        let email = match town.code.as_str() {
            "293628" => MIYAKE.to_owned(),
            "292010" => NARA_CITY.to_owned(),
            code => {
                let email = format!("staff-{code}@renkei.example");
                let mut row: app::entities::account::ActiveModel = miyake.clone().into();
                row = row.reset_all();
                row.id = sea_orm::ActiveValue::NotSet;
                row.email = Set(email.clone());
                row.display_name = Set(format!("{}の職員", town.name));
                row.municipality_code = Set(Some(town.code.clone()));
                row.insert(db).await.expect("account");
                email
            }
        };
        people.push((town.code, email));
    }
    people
}

#[tokio::test]
async fn thirty_nine_towns_answer_at_once_and_the_results_count_thirty_nine() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let id = make(&app, &staff, json!(["all"])).await;
        let people = staff_of_every_town(&app).await;
        assert_eq!(people.len(), 39);
        let mut clients = Vec::new();
        for (code, email) in &people {
            clients.push((code.clone(), app.signed_in(email).await));
        }
        let answers = clients.iter().enumerate().map(|(n, (code, client))| {
            let app = &app;
            let choice = ["導入済み", "試行中", "予定なし"][n % 3];
            async move {
                send(
                    client,
                    app,
                    reqwest::Method::PUT,
                    &format!("/api/surveys/{id}/answers/{code}"),
                    json!({"answers": [choice, n, "=1+1"], "submit": true}),
                )
                .await
            }
        });
        for (status, body) in futures_util::future::join_all(answers).await {
            assert_eq!(status, 200, "{backend:?}: {body}");
        }

        let (status, results) = send(
            &staff,
            &app,
            reqwest::Method::GET,
            &format!("/api/surveys/{id}/results"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200, "{results}");
        assert_eq!(results["answered"], 39, "{backend:?}");
        assert_eq!(results["total"], 39);
        assert_eq!(
            results["questions"][0]["tally"]["Counts"],
            json!([["導入済み", 13], ["試行中", 13], ["予定なし", 13]])
        );
        // 0 + 1 + … + 38.
        assert_eq!(results["questions"][1]["tally"]["Numbers"]["sum"], 741.0);

        let csv = staff
            .get(app.url(&format!("/api/surveys/{id}/answers.csv")))
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        let bytes = csv.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 40, "a header and one row per town");
        assert!(lines[0].starts_with("団体コード,市町村,状態"));
        assert!(lines[1].contains("回答済み"));
        assert!(
            !lines.iter().skip(1).any(|l| l.contains(",=1+1")),
            "a formula typed as an answer stays text"
        );
        let xlsx = staff
            .get(app.url(&format!("/api/surveys/{id}/answers.xlsx")))
            .send()
            .await
            .expect("xlsx");
        assert_eq!(xlsx.status(), 200);
        assert!(
            xlsx.bytes().await.expect("bytes").starts_with(b"PK"),
            "a zip (xlsx)"
        );
    }
}

#[tokio::test]
async fn a_town_answers_only_its_own_survey_and_a_draft_is_not_an_answer_until_submitted() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let id = make(&app, &staff, json!(["293628"])).await;
        let miyake = app.signed_in(MIYAKE).await;
        let naracity = app.signed_in(NARA_CITY).await;
        let kochi = app.signed_in(KOCHI).await;
        let put = |client: &reqwest::Client, code: &str, body: Value| {
            let (client, path) = (client.clone(), format!("/api/surveys/{id}/answers/{code}"));
            let app = &app;
            async move { send(&client, app, reqwest::Method::PUT, &path, body).await }
        };

        let (status, _) = put(
            &miyake,
            "292010",
            json!({"answers": ["導入済み"], "submit": true}),
        )
        .await;
        assert_eq!(status, 403, "{backend:?}: another town's answer");
        let (status, _) = put(
            &naracity,
            "292010",
            json!({"answers": ["導入済み"], "submit": true}),
        )
        .await;
        assert_eq!(status, 403, "a town the 照会 was not sent to");
        for (client, who) in [(&naracity, "naracity"), (&kochi, "kochi")] {
            let (status, _) = send(
                client,
                &app,
                reqwest::Method::GET,
                &format!("/api/surveys/{id}"),
                Value::Null,
            )
            .await;
            assert_eq!(status, 403, "{who} reads a 照会 not sent to it");
        }
        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::GET,
            &format!("/api/surveys/{id}/results"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "a town does not read the results");

        let (status, saved) = put(
            &miyake,
            "293628",
            json!({"answers": [null, "１２"], "submit": false}),
        )
        .await;
        assert_eq!(
            status, 200,
            "a draft may leave a required question: {saved}"
        );
        let results = || {
            let staff = staff.clone();
            let path = format!("/api/surveys/{id}/results");
            let app = &app;
            async move {
                send(&staff, app, reqwest::Method::GET, &path, Value::Null)
                    .await
                    .1
            }
        };
        let now = results().await;
        assert_eq!(
            (now["answered"].clone(), now["drafts"].clone()),
            (json!(0), json!(1))
        );
        assert_eq!(now["towns"][0]["values"][1], 12.0, "full-width digits read");

        let (status, refused) = put(
            &miyake,
            "293628",
            json!({"answers": [null, 3], "submit": true, "version": 1}),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(refused["error"]["field"], "answers.0", "{refused}");
        let (status, _) = put(
            &miyake,
            "293628",
            json!({"answers": ["試行中", 3], "submit": true, "version": 0}),
        )
        .await;
        assert_eq!(status, 409, "a save from an older form");
        let (status, _) = put(
            &miyake,
            "293628",
            json!({"answers": ["試行中", 3], "submit": true, "version": 1}),
        )
        .await;
        assert_eq!(status, 200);
        let (status, refused) = put(
            &miyake,
            "293628",
            json!({"answers": ["試行中", 3], "submit": false}),
        )
        .await;
        assert_eq!(
            status, 400,
            "a submitted answer does not go back to a draft"
        );
        assert_eq!(refused["error"]["field"], "submit");
        let now = results().await;
        assert_eq!(
            (now["answered"].clone(), now["drafts"].clone()),
            (json!(1), json!(0))
        );
        assert_eq!(now["towns"][0]["answered_by"], "三宅 町子", "{now}");
    }
}

#[tokio::test]
async fn after_the_deadline_only_the_prefectures_reopening_lets_a_town_change_its_answer() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let staff = app.signed_in(STAFF).await;
        let id = make(&app, &staff, json!(["293628"])).await;
        let row = app::entities::survey::Entity::find_by_id(i32::try_from(id).expect("id"))
            .one(&app.db)
            .await
            .expect("query")
            .expect("survey");
        let mut closed: app::entities::survey::ActiveModel = row.into();
        closed.deadline = Set(chrono::Utc::now().date_naive() - chrono::Days::new(2));
        closed.update(&app.db).await.expect("closed");

        let miyake = app.signed_in(MIYAKE).await;
        let path = format!("/api/surveys/{id}/answers/293628");
        let answer = json!({"answers": ["予定なし"], "submit": true});
        let (status, refused) =
            send(&miyake, &app, reqwest::Method::PUT, &path, answer.clone()).await;
        assert_eq!(status, 409, "{backend:?}: past the deadline");
        assert_eq!(refused["error"]["field"], "deadline");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("再開")
        );

        let (status, _) = send(
            &miyake,
            &app,
            reqwest::Method::POST,
            &format!("{path}/reopen"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 403, "a town does not reopen itself");
        let (status, _) = send(
            &staff,
            &app,
            reqwest::Method::POST,
            &format!("{path}/reopen"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 204);
        let (status, body) = send(&miyake, &app, reqwest::Method::PUT, &path, answer.clone()).await;
        assert_eq!(status, 200, "reopened: {body}");
        let (status, _) = send(&miyake, &app, reqwest::Method::PUT, &path, answer).await;
        assert_eq!(status, 409, "submitting closes it again");
    }
}
