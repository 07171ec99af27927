//! The advisor bank: who sees which part of a profile, and generated profiles.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, backends};
use app::domain::advisor::{AdvisorDraft, Kana, Mode};

async fn app_with_bank(backend: crate::helpers::Backend) -> TestApp {
    let app = TestApp::spawn_with_accounts(backend).await;
    let created = renkei::demo::create_demo_advisors(&app.db)
        .await
        .expect("demo advisors");
    assert_eq!(created, 200);
    app
}

async fn private_part(app: &TestApp, client: &reqwest::Client, id: i32) -> serde_json::Value {
    let response = client
        .get(app.url(&format!("/api/advisors/{id}")))
        .send()
        .await
        .expect("profile");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("profile");
    body["private"].clone()
}

#[tokio::test]
async fn contact_details_are_shown_only_to_the_banks_local_governments_and_the_advisor() {
    for backend in backends() {
        let app = app_with_bank(backend).await;
        let anonymous = private_part(&app, &app.browser(), 1).await;
        assert!(anonymous.is_null(), "{backend:?}: {anonymous}");
        let public: serde_json::Value = app.get_json("/api/advisors/1").await.1;
        assert!(public["bio"].as_str().unwrap().contains("架空"));
        assert!(!public.to_string().contains("@bank.renkei.example"));

        for email in [
            "miyake@renkei.example",
            "nara-staff@renkei.example",
            "advisor1@renkei.example",
        ] {
            let client = app.signed_in(email).await;
            let private = private_part(&app, &client, 1).await;
            assert!(
                private["contact_email"]
                    .as_str()
                    .is_some_and(|e| e.ends_with("@bank.renkei.example")),
                "{backend:?} {email}: {private}"
            );
            assert!(private["available_months"].is_array());
        }
        // Another prefecture's town, and another advisor, see the public part only.
        let kochi = app.signed_in("kochicity@renkei.example").await;
        assert!(private_part(&app, &kochi, 1).await.is_null());
        let advisor = app.signed_in("advisor1@renkei.example").await;
        assert!(private_part(&app, &advisor, 2).await.is_null());
    }
}

#[tokio::test]
async fn an_unpublished_profile_is_hidden_from_the_public_and_from_municipalities() {
    for backend in backends() {
        let app = app_with_bank(backend).await;
        let row = app::entities::advisor::Entity::find_by_id(2)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut row: app::entities::advisor::ActiveModel = row.into();
        row.published = Set(false);
        row.update(&app.db).await.unwrap();

        assert_eq!(
            app.get("/api/advisors/2").await.status(),
            404,
            "{backend:?}"
        );
        let miyake = app.signed_in("miyake@renkei.example").await;
        let hidden = miyake.get(app.url("/api/advisors/2")).send().await.unwrap();
        assert_eq!(hidden.status(), 404);
        let staff = app.signed_in("nara-staff@renkei.example").await;
        let shown = staff.get(app.url("/api/advisors/2")).send().await.unwrap();
        assert_eq!(shown.status(), 200);
        let body: serde_json::Value = shown.json().await.unwrap();
        assert_eq!(body["published"], false);
        assert_eq!(app.get("/api/advisors/99999").await.status(), 404);
    }
}

#[tokio::test]
async fn a_batch_with_one_unknown_code_is_refused_whole_naming_the_field() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let draft = |specialty: &str| AdvisorDraft {
            name: "試験 太郎".into(),
            kana: Kana::parse("しけん たろう").unwrap(),
            affiliation: "架空株式会社".into(),
            engagement: "private".into(),
            jinzaizo: "advanced".into(),
            roles: vec!["engineer".into()],
            specialties: vec![specialty.into()],
            qualifications: vec![("riss".into(), Some(2020))],
            programmes: vec!["pref_bank".into()],
            itss_level: None,
            municipal_knowledge: String::new(),
            bio: String::new(),
            track_record: String::new(),
            modes: vec![Mode::Online],
            whole_prefecture: true,
            regions: vec![],
            municipalities: vec!["293628".into()],
            months: vec![],
            contact_email: None,
            contact_phone: None,
            published: true,
        };
        let result = app::services::advisors::insert_many(
            &app.db,
            "290009",
            &[draft("security"), draft("astrology"), draft("data")],
        )
        .await;
        let error = app::error::AppError::from(result.expect_err("refused"));
        assert!(
            matches!(&error, app::error::AppError::InvalidInput { field, .. } if field == "specialties"),
            "{backend:?}: {error:?}"
        );
        assert!(error.to_string().contains("astrology"));
        let stored = app::entities::advisor::Entity::find()
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(stored, 0, "nothing half-stored");

        let outside = app::services::advisors::insert_many(&app.db, "390003", &[draft("security")])
            .await
            .expect_err("三宅町 is not in 高知県");
        assert!(outside.to_string().contains("293628"));
        let ids = app::services::advisors::insert_many(&app.db, "290009", &[draft("security")])
            .await
            .unwrap();
        assert_eq!(ids.len(), 1);
    }
}

async fn app_with_indexed_bank(backend: crate::helpers::Backend) -> TestApp {
    let app = app_with_bank(backend).await;
    // Restarting rebuilds the index: the advisor count differs from the database.
    app.restart().await
}

#[tokio::test]
async fn searching_security_with_the_online_facet_lists_only_online_advisors_with_highlights() {
    for backend in backends() {
        let app = app_with_indexed_bank(backend).await;
        let (status, all) = app.get_json("/api/advisors?q=セキュリティ").await;
        assert_eq!(status, 200, "{backend:?}: {all}");
        let online_count = all["facets"]["mode"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == "online")
            .map(|v| v["count"].as_u64().unwrap())
            .expect("an online count");
        let (_, online) = app
            .get_json("/api/advisors?q=セキュリティ&mode=online")
            .await;
        assert_eq!(
            online["total"].as_u64().unwrap(),
            online_count,
            "{backend:?}"
        );
        assert!(online_count > 0 && online_count < all["total"].as_u64().unwrap());
        let items = online["items"].as_array().unwrap();
        assert!(!items.is_empty());
        for item in items {
            assert!(
                item["modes"]
                    .as_array()
                    .unwrap()
                    .contains(&serde_json::json!("online")),
                "{item}"
            );
            let snippet = &item["snippet"];
            let text = snippet["text"].as_str().unwrap();
            let ranges = snippet["ranges"].as_array().unwrap();
            assert!(!ranges.is_empty(), "{item}");
            let (start, end) = (
                ranges[0][0].as_u64().unwrap() as usize,
                ranges[0][1].as_u64().unwrap() as usize,
            );
            // The word or a synonym that holds it (情報セキュリティ …) is marked.
            assert!(text[start..end].contains("セキュリティ"), "{text}");
        }
        // The same search through /api/search answers the same total.
        let (_, search) = app
            .get_json("/api/search?kind=advisor&q=セキュリティ&mode=online")
            .await;
        assert_eq!(search["total"], online["total"]);
        let highlight = search["hits"][0]["highlight"].as_str().unwrap();
        assert!(highlight.contains("セキュリティ</mark>"), "{highlight}");
    }
}

#[tokio::test]
async fn facets_narrow_the_bank_and_the_kana_order_is_gojuon() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    let (_, all) = app.get_json("/api/advisors").await;
    assert_eq!(all["total"], 200 - unpublished(&app).await);
    let mut narrowed_dimensions = 0;
    for (dimension, values) in all["facets"].as_object().unwrap() {
        // Regions are not assigned in this database.
        let Some(first) = values.as_array().unwrap().first() else {
            continue;
        };
        narrowed_dimensions += 1;
        let value = first["value"].as_str().unwrap();
        let (status, narrowed) = app
            .get_json(&format!("/api/advisors?{dimension}={value}"))
            .await;
        assert_eq!(status, 200, "{dimension}={value}");
        assert_eq!(narrowed["total"], first["count"], "{dimension}={value}");
    }
    assert_eq!(
        narrowed_dimensions, 7,
        "every dimension but the unassigned regions and the months (private to a bank's staff)"
    );
    let (_, by_kana) = app.get_json("/api/advisors?sort=kana").await;
    let kana: Vec<String> = by_kana["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kana"].as_str().unwrap().replace(' ', ""))
        .collect();
    let mut sorted = kana.clone();
    sorted.sort();
    assert_eq!(kana, sorted);
}

async fn unpublished(app: &TestApp) -> u64 {
    use sea_orm::{ColumnTrait, QueryFilter};
    app::entities::advisor::Entity::find()
        .filter(app::entities::advisor::Column::Published.eq(false))
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_unusable_filter_value_is_a_400_naming_the_parameter() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    for (query, field) in [
        ("mode=fax", "mode"),
        ("specialty=astrology", "specialty"),
        ("sort=price", "sort"),
        ("region=99999", "region"),
        ("page=0", "page"),
    ] {
        let (status, body) = app.get_json(&format!("/api/advisors?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    // Months are private: refused to a signed-out caller before the value is read,
    // and a bad month from the bank's own staff is a 400.
    let (status, body) = app.get_json("/api/advisors?available=2026-13").await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["field"], "available");
    let staff = app.signed_in("nara-staff@renkei.example").await;
    let bad = staff
        .get(app.url("/api/advisors?available=2026-13"))
        .send()
        .await
        .expect("list");
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn the_match_explains_every_result_and_favours_advisors_covering_the_town() {
    for backend in backends() {
        let app = app_with_indexed_bank(backend).await;
        let miyake = app.signed_in("miyake@renkei.example").await;
        let today = chrono::Utc::now().date_naive();
        let from = today.format("%Y-%m-01").to_string();
        let to = (today + chrono::Duration::days(150))
            .format("%Y-%m-%d")
            .to_string();
        let response = miyake
            .post(app.url("/api/advisors/match"))
            .json(&serde_json::json!({
                "need": "窓口のセキュリティ対策を相談したい",
                "municipality": "293628",
                "mode": "online",
                "from": from,
                "to": to,
                "programme": "dx_advisor",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        assert!(!items.is_empty());
        let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        for item in items {
            let reasons = item["reasons"].as_array().unwrap();
            assert!(!reasons.is_empty(), "{item}");
            for reason in reasons {
                assert!(!reason["label"].as_str().unwrap().is_empty(), "{reason}");
            }
        }
        // An advisor who lists 三宅町 says so, and outranks an otherwise equal one.
        let covering = items.iter().find(|i| {
            i["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["kind"] == "covers" && r["coverage"] == "municipality")
        });
        if let Some(item) = covering {
            let label = item["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["kind"] == "covers")
                .unwrap()["label"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(label.contains("三宅町"), "{label}");
        }
        let words = items[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "words");
        assert!(
            words.is_some(),
            "the best result matched words: {}",
            items[0]
        );
    }
}

#[tokio::test]
async fn a_bad_need_is_a_400_naming_the_field_and_outsiders_are_refused() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    let miyake = app.signed_in("miyake@renkei.example").await;
    for (body, field) in [
        (
            serde_json::json!({"need": "x", "municipality": "999999"}),
            "municipality",
        ),
        (
            serde_json::json!({"need": "x", "municipality": "293628", "mode": "fax"}),
            "mode",
        ),
        (
            serde_json::json!({"need": "x", "municipality": "293628", "from": "2027-02-01", "to": "2026-12-01"}),
            "to",
        ),
        (
            serde_json::json!({"need": "x", "municipality": "293628", "from": "someday"}),
            "from",
        ),
        (
            serde_json::json!({"need": "x", "municipality": "293628", "programme": "lottery"}),
            "programme",
        ),
    ] {
        let response = miyake
            .post(app.url("/api/advisors/match"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{body}");
    }
    let anonymous = app
        .client
        .post(app.url("/api/advisors/match"))
        .json(&serde_json::json!({"need": "x", "municipality": "293628"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let other_town = miyake
        .post(app.url("/api/advisors/match"))
        .json(&serde_json::json!({"need": "x", "municipality": "292010"}))
        .send()
        .await
        .unwrap();
    assert_eq!(other_town.status(), 403);
}

#[tokio::test]
async fn an_advisor_edits_their_availability_and_it_is_searchable_at_once() {
    for backend in backends() {
        let app = app_with_indexed_bank(backend).await;
        let far = "2031-07";
        let staff = app.signed_in("nara-staff@renkei.example").await;
        let path = format!("/api/advisors?available={far}");
        let months = |client: reqwest::Client| {
            let (app, path) = (&app, &path);
            async move { app.get_json_as(&client, path).await.1 }
        };
        let before = months(staff.clone()).await;
        assert_eq!(before["total"], 0, "{backend:?}");
        let advisor = app.signed_in("advisor1@renkei.example").await;
        let response = advisor
            .put(app.url("/api/advisors/1/availability"))
            .json(&serde_json::json!({"months": [far, "2031-06", far]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{backend:?}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["months"], serde_json::json!(["2031-06", far]));
        let after = months(staff.clone()).await;
        assert_eq!(after["total"], 1);
        assert_eq!(after["items"][0]["id"], 1);

        let bad = advisor
            .put(app.url("/api/advisors/1/availability"))
            .json(&serde_json::json!({"months": ["2031-13"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        let error: serde_json::Value = bad.json().await.unwrap();
        assert_eq!(error["error"]["field"], "months");
        let kept = months(staff.clone()).await;
        assert_eq!(kept["total"], 1, "a refused edit changes nothing");

        let not_theirs = advisor
            .put(app.url("/api/advisors/2/availability"))
            .json(&serde_json::json!({"months": [far]}))
            .send()
            .await
            .unwrap();
        assert_eq!(not_theirs.status(), 403);
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let audit: serde_json::Value = admin
            .get(app.url("/api/audit?action=advisor_updated"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(audit["total"], 1);
    }
}

/// Asks the match for `need` as 三宅町 and checks that the first five advisors
/// hold `specialty` and that their reasons name `label`.
async fn the_first_five_hold(app: &TestApp, need: &str, specialty: &str, label: &str) {
    let miyake = app.signed_in("miyake@renkei.example").await;
    let response = miyake
        .post(app.url("/api/advisors/match"))
        .json(&serde_json::json!({ "need": need, "municipality": "293628" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    let items = body["items"].as_array().expect("items");
    assert!(items.len() >= 5, "{need}: {body}");
    for item in &items[..5] {
        let id = item["id"].as_i64().expect("id");
        let (_, profile) = app.get_json(&format!("/api/advisors/{id}")).await;
        let codes: Vec<&str> = profile["specialties"]
            .as_array()
            .expect("specialties")
            .iter()
            .map(|s| s["code"].as_str().expect("code"))
            .collect();
        assert!(codes.contains(&specialty), "{need}: {id}: {codes:?} {body}");
        let terms = item["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .find(|r| r["kind"] == "terms")
            .unwrap_or_else(|| panic!("{item}"));
        assert!(
            terms["label"]
                .as_str()
                .expect("label")
                .contains(&format!("「{label}」")),
            "{need}: {terms}"
        );
    }
}

#[tokio::test]
async fn a_need_for_counter_security_lists_security_specialists_and_says_so() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    the_first_five_hold(&app, "窓口のセキュリティ対策", "security", "セキュリティ").await;
}

#[tokio::test]
async fn a_need_in_everyday_words_lists_the_holders_of_the_specialty_it_means() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    // No profile says 「システム障害」; the vocabulary leads it to the specialty.
    the_first_five_hold(
        &app,
        "システム障害への備え",
        "system_operations",
        "システム監視・管理",
    )
    .await;
    the_first_five_hold(
        &app,
        "保守費用を下げたい",
        "procurement",
        "システム調達・仕様書作成",
    )
    .await;
}

#[tokio::test]
async fn signed_out_the_bank_page_names_each_advisors_prefecture_and_offers_the_banks_first() {
    let app = app_with_indexed_bank(crate::helpers::Backend::Sqlite).await;
    let (status, doc) = app.get_html("/advisors").await;
    assert_eq!(status, 200);
    let banks = crate::helpers::texts(&doc, "nav.bank-choice a");
    assert_eq!(banks[0], "すべての人材バンク");
    assert!(banks.iter().any(|b| b.starts_with("奈良県")), "{banks:?}");
    assert!(banks.iter().any(|b| b.starts_with("高知県")), "{banks:?}");
    let badges = crate::helpers::texts(&doc, ".case-item .badge--bank");
    assert_eq!(
        badges.len(),
        crate::helpers::texts(&doc, ".case-item").len()
    );
    assert!(
        badges.iter().all(|b| b.ends_with("の人材バンク")),
        "{badges:?}"
    );

    let (_, list) = app.get_json("/api/advisors?prefecture=390003").await;
    let items = list["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items.iter().all(|a| a["prefecture"] == "高知県"), "{list}");

    // Generated names do not repeat across the two demo banks.
    let (_, all) = app.get_json("/api/advisors?sort=kana&per_page=100").await;
    let names: Vec<&str> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default())
        .collect();
    let distinct: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(distinct.len(), names.len(), "{names:?}");
}
