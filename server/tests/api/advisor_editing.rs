//! Keeping the bank: the 県管理者 creates, publishes and retires profiles, the
//! advisor edits their own; forms keep what was typed; photos; CSV round trips;
//! vocabularies edited as data.

use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, backends};

async fn total(app: &TestApp, query: &str) -> u64 {
    let (status, body) = app.get_json(&format!("/api/advisors?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    // The advisors with every word (near matches, which lack some, come after).
    body["exact_total"].as_u64().expect("exact_total")
}

fn new_profile() -> serde_json::Value {
    serde_json::json!({
        "name": "架空 新人",
        "kana": "かくう しんじん",
        "affiliation": "架空デジタル研究所",
        "engagement": "private",
        "jinzaizo": "advanced",
        "roles": ["engineer"],
        "specialties": ["cloud"],
        "bio": "ガバメントクラウド移行の伴走支援をします。",
        "modes": ["online"],
        "whole_prefecture": true,
        "months": ["2027-02"],
        "contact_email": "shinjin@example.jp",
    })
}

#[tokio::test]
async fn a_new_profile_is_a_draft_until_the_prefecture_publishes_it_and_leaves_when_retired() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let created = admin
            .post(app.url("/api/advisors"))
            .json(&new_profile())
            .send()
            .await
            .expect("create");
        assert_eq!(created.status(), 201, "{backend:?}");
        let profile: serde_json::Value = created.json().await.expect("profile");
        let id = profile["id"].as_i64().expect("id");
        assert_eq!(profile["status"], "draft");
        assert_eq!(profile["kana"], "カクウ シンジン");
        let words = "q=ガバメントクラウド移行";
        assert_eq!(total(&app, words).await, 0, "a draft is not in the bank");
        let (status, _) = app.get_json(&format!("/api/advisors/{id}")).await;
        assert_eq!(status, 404, "nor visible to the public");

        let publish = admin
            .put(app.url(&format!("/api/advisors/{id}/status")))
            .json(&serde_json::json!({"status": "published"}))
            .send()
            .await
            .expect("publish");
        assert_eq!(publish.status(), 200);
        assert_eq!(total(&app, words).await, 1, "published: searchable at once");

        let retire = admin
            .put(app.url(&format!("/api/advisors/{id}/status")))
            .json(&serde_json::json!({"status": "retired"}))
            .send()
            .await
            .expect("retire");
        assert_eq!(retire.status(), 200);
        assert_eq!(total(&app, words).await, 0);
        let kept: serde_json::Value = admin
            .get(app.url(&format!("/api/advisors/{id}")))
            .send()
            .await
            .expect("profile")
            .json()
            .await
            .expect("profile");
        assert_eq!(
            kept["status"], "retired",
            "the record stays for the prefecture"
        );

        let bad = admin
            .put(app.url(&format!("/api/advisors/{id}/status")))
            .json(&serde_json::json!({"status": "paused"}))
            .send()
            .await
            .expect("bad status");
        assert_eq!(bad.status(), 400);
        let missing = admin
            .post(app.url("/api/advisors"))
            .json(&serde_json::json!({"name": "名前だけ"}))
            .send()
            .await
            .expect("incomplete");
        assert_eq!(missing.status(), 400);
        let error: serde_json::Value = missing.json().await.expect("error");
        assert_eq!(error["error"]["field"], "kana");

        let audit: serde_json::Value = admin
            .get(app.url("/api/audit?action=advisor_status_changed"))
            .send()
            .await
            .expect("audit")
            .json()
            .await
            .expect("audit");
        assert_eq!(audit["total"], 2);
        let staff = app.signed_in("nara-staff@renkei.example").await;
        let refused = staff
            .post(app.url("/api/advisors"))
            .json(&new_profile())
            .send()
            .await
            .expect("staff");
        assert_eq!(
            refused.status(),
            403,
            "only the 県管理者 registers advisors"
        );
    }
}

#[tokio::test]
async fn an_advisor_edits_their_own_fields_and_is_refused_the_prefectures() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let advisor = app.signed_in("advisor1@renkei.example").await;
        let edited = advisor
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"bio": "庁内の無線LAN更改を支援しています。", "contact_phone": "0742-11-2222"}))
            .send()
            .await
            .expect("edit");
        assert_eq!(edited.status(), 200, "{backend:?}");
        let body: serde_json::Value = edited.json().await.expect("body");
        assert_eq!(body["changed"], serde_json::json!(["bio", "contact_phone"]));
        assert_eq!(total(&app, "q=無線LAN更改").await, 1, "searchable at once");
        let (_, recent) = app.get_json("/api/advisors?sort=recent").await;
        assert_eq!(
            recent["items"][0]["id"], 1,
            "the advisor was the last active"
        );

        let programme = advisor
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"programmes": ["pref_bank", "dx_advisor", "chiiki_johoka", "kigyojin"], "bio": "書き換え"}))
            .send()
            .await
            .expect("programme");
        assert_eq!(programme.status(), 403);
        let (_, profile) = app.get_json("/api/advisors/1").await;
        assert!(
            profile["bio"]
                .as_str()
                .unwrap_or_default()
                .contains("無線LAN"),
            "a refused edit changes nothing"
        );

        let other = advisor
            .patch(app.url("/api/advisors/2"))
            .json(&serde_json::json!({"bio": "他人の紹介"}))
            .send()
            .await
            .expect("other");
        assert_eq!(other.status(), 403);
        let town = app.signed_in("miyake@renkei.example").await;
        let by_town = town
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"bio": "町が書き換え"}))
            .send()
            .await
            .expect("town");
        assert_eq!(by_town.status(), 403);

        let admin = app.signed_in("nara-admin@renkei.example").await;
        let by_admin = admin
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"programmes": ["pref_bank", "dx_advisor"], "itss_level": 5}))
            .send()
            .await
            .expect("admin");
        assert_eq!(by_admin.status(), 200);
        let (_, profile) = app.get_json("/api/advisors/1").await;
        assert_eq!(profile["itss_level"], 5);
        let bad_region = admin
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"regions": [99999]}))
            .send()
            .await
            .expect("region");
        assert_eq!(bad_region.status(), 400);
        let error: serde_json::Value = bad_region.json().await.expect("error");
        assert_eq!(error["error"]["field"], "regions");
    }
}

#[tokio::test]
async fn every_wrong_field_of_a_profile_is_named_at_once_on_the_form_and_in_json() {
    let app = TestApp::spawn_bank(crate::helpers::Backend::Sqlite).await;
    let advisor = app.signed_in("advisor1@renkei.example").await;
    let response = advisor
        .patch(app.url("/api/advisors/1"))
        .json(
            &serde_json::json!({"months": ["来年"], "contact_email": "x", "contact_phone": "電話"}),
        )
        .send()
        .await
        .expect("edit");
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("body");
    let named: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(named, ["months", "contact_email", "contact_phone"]);

    let token = app.form_token(&advisor, "/advisors/1/edit").await;
    let mut form = advisor_form(&token, "研修講師", "not-an-address");
    form.retain(|(k, _)| k != "months");
    form.push(("months".into(), "来年".into()));
    let response = advisor
        .post(app.url("/advisors/1/edit"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let page = advisor
        .get(app.url("/advisors/1/edit"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(
        crate::helpers::texts(&doc, "#f-contact_email-error").len(),
        1
    );
    assert_eq!(
        crate::helpers::texts(&doc, "#f-months-error").len(),
        1,
        "{page}"
    );
    assert_eq!(crate::helpers::texts(&doc, "#flash-message li").len(), 2);
}

/// The advisor's own form fields as a browser without JavaScript posts them.
fn advisor_form(token: &str, bio: &str, email: &str) -> Vec<(String, String)> {
    [
        ("csrf_token", token),
        ("specialties", "security"),
        ("specialties", "cloud"),
        ("qualifications", "riss"),
        ("qualification_year.riss", "2021"),
        ("municipal_knowledge", "住民記録"),
        ("bio", bio),
        ("track_record", "研修講師"),
        ("modes", "online"),
        ("regions", ""),
        ("months", "2027-03"),
        ("contact_email", email),
        ("contact_phone", ""),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

#[tokio::test]
async fn a_refused_profile_form_shows_again_with_everything_typed_even_a_long_bio() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let advisor = app.signed_in("advisor1@renkei.example").await;
        let token = app.form_token(&advisor, "/advisors/1/edit").await;
        let (_, before) = app.get_json("/api/advisors/1").await;
        let long_bio: String = "自治体の窓口業務の見直しを支援してきました。".repeat(120);
        assert!(long_bio.chars().count() > 2000);
        let response = advisor
            .post(app.url("/advisors/1/edit"))
            .form(&advisor_form(&token, &long_bio, "not-an-address"))
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303, "{backend:?}");
        assert_eq!(response.headers()["location"], "/advisors/1/edit");
        let page = advisor
            .get(app.url("/advisors/1/edit"))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let doc = scraper::Html::parse_document(&page);
        let textarea = crate::helpers::texts(&doc, "textarea[name=bio]");
        assert_eq!(textarea.len(), 1);
        assert_eq!(textarea[0], long_bio, "the whole bio is kept");
        let errors = crate::helpers::texts(&doc, "#f-contact_email-error");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("メールアドレス"), "{errors:?}");
        let email = scraper::Selector::parse("input[name=contact_email]").expect("selector");
        let typed = doc.select(&email).next().expect("email input");
        assert_eq!(typed.value().attr("value"), Some("not-an-address"));
        assert_eq!(typed.value().attr("aria-invalid"), Some("true"));
        let cloud = scraper::Selector::parse("input[name=specialties][value=cloud]").expect("s");
        assert!(
            doc.select(&cloud)
                .next()
                .expect("box")
                .value()
                .attr("checked")
                .is_some()
        );
        assert!(
            !page.contains("name=\"name\""),
            "the advisor's form has no input for the prefecture's fields"
        );
        let (_, after) = app.get_json("/api/advisors/1").await;
        assert_eq!(before["bio"], after["bio"], "nothing was stored");

        let token = app.form_token(&advisor, "/advisors/1/edit").await;
        let saved = advisor
            .post(app.url("/advisors/1/edit"))
            .form(&advisor_form(&token, &long_bio, "kakuu@example.jp"))
            .send()
            .await
            .expect("post");
        assert_eq!(saved.status(), 303);
        assert_eq!(saved.headers()["location"], "/advisors/1");
        let (_, after) = app.get_json("/api/advisors/1").await;
        assert_eq!(after["bio"].as_str(), Some(long_bio.as_str()));
        assert_eq!(after["qualifications"][0]["year"], 2021);
    }
}

/// A 3×2 PNG with transparency (kept as PNG when cleaned).
fn png() -> Vec<u8> {
    let image = image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        3,
        2,
        image::Rgba([10, 120, 200, 128]),
    ));
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// The size of a stored photo, decoded.
async fn dimensions(response: reqwest::Response) -> (u32, u32) {
    let bytes = response.bytes().await.expect("bytes");
    let image = image::load_from_memory(&bytes).expect("a decodable image");
    (image.width(), image.height())
}

/// A JPEG whose EXIF segment names a GPS position.
fn jpeg_with_gps() -> Vec<u8> {
    let image =
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3])));
    let mut plain = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .expect("encode");
    let plain = plain.into_inner();
    let payload = b"Exif\0\0GPSLatitude 34.5678 N GPSLongitude 135.7890 E";
    let length = u16::try_from(payload.len() + 2).expect("length");
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test]
async fn a_photo_uploaded_with_the_form_is_shown_to_local_governments_only() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let advisor = app.signed_in("advisor1@renkei.example").await;
        let token = app.form_token(&advisor, "/advisors/1/edit").await;
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in advisor_form(&token, "写真つきの紹介", "kakuu@example.jp") {
            form = form.text(name, value);
        }
        let form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(png())
                .file_name("me.png")
                .mime_str("image/png")
                .expect("mime"),
        );
        let response = advisor
            .post(app.url("/advisors/1/edit"))
            .multipart(form)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303, "{backend:?}");
        assert_eq!(response.headers()["location"], "/advisors/1");

        let town = app.signed_in("miyake@renkei.example").await;
        let photo = town
            .get(app.url("/advisors/1/photo"))
            .send()
            .await
            .expect("photo");
        assert_eq!(photo.status(), 200);
        assert_eq!(photo.headers()["content-type"], "image/png");
        assert_eq!(dimensions(photo).await, (3, 2));
        assert_eq!(
            app.get("/advisors/1/photo").await.status(),
            404,
            "not public"
        );

        let svg = advisor
            .put(app.url("/api/advisors/1/photo"))
            .body("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")
            .send()
            .await
            .expect("svg");
        assert_eq!(svg.status(), 400);
        let error: serde_json::Value = svg.json().await.expect("error");
        assert_eq!(error["error"]["field"], "photo");
        let still = town
            .get(app.url("/advisors/1/photo"))
            .send()
            .await
            .expect("photo");
        assert_eq!(dimensions(still).await, (3, 2));

        let located = advisor
            .put(app.url("/api/advisors/1/photo"))
            .body(jpeg_with_gps())
            .send()
            .await
            .expect("jpeg");
        assert_eq!(located.status(), 204);
        let stored = town
            .get(app.url("/advisors/1/photo"))
            .send()
            .await
            .expect("photo")
            .bytes()
            .await
            .expect("bytes");
        let text = String::from_utf8_lossy(&stored);
        assert!(
            !text.contains("Exif") && !text.contains("GPS"),
            "the stored photo carries no EXIF"
        );
    }
}

#[tokio::test]
async fn the_exported_csv_opens_in_excel_and_imports_back_unchanged() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let export = admin
            .get(app.url("/api/advisors/export.csv"))
            .send()
            .await
            .expect("export");
        assert_eq!(export.status(), 200, "{backend:?}");
        assert!(
            export.headers()["content-disposition"]
                .to_str()
                .expect("header")
                .contains("attachment")
        );
        let csv = export.bytes().await.expect("csv").to_vec();
        assert!(
            csv.starts_with(b"\xEF\xBB\xBFID,"),
            "UTF-8 with BOM for Excel"
        );
        let text = String::from_utf8(csv.clone()).expect("utf-8");
        assert!(text.contains("\r\n"));
        assert!(text.contains("高度専門人材") || text.contains("DX推進リーダー"));
        assert!(!text.contains(",advanced,"), "labels, not codes");

        let again = admin
            .post(app.url("/api/advisors/import"))
            .header("content-type", "text/csv")
            .body(csv.clone())
            .send()
            .await
            .expect("import");
        assert_eq!(again.status(), 200);
        let report: serde_json::Value = again.json().await.expect("report");
        assert_eq!(report["inserted"], 0);
        assert_eq!(report["updated"], 0);
        assert_eq!(report["unchanged"], 100, "the Nara bank's 100 advisors");

        // Change one person's bio and add a new person (ID left empty), as in Excel.
        let mut reader = csv::Reader::from_reader(&csv[3..]);
        let header = reader.headers().expect("header").clone();
        let bio_column = header.iter().position(|h| h == "紹介").expect("bio column");
        let mut records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("record")).collect();
        let changed_id = records[1][0].to_owned();
        let mut changed: Vec<String> = records[1].iter().map(str::to_owned).collect();
        changed[bio_column] = "Excel で書き換えた紹介文です。".into();
        records[1] = csv::StringRecord::from(changed);
        let mut new_person: Vec<String> = vec![String::new(); header.len()];
        for (column, value) in [
            ("状態", "公開中"),
            ("氏名", "架空 取込"),
            ("ふりがな", "かくう とりこみ"),
            ("所属", "架空商会"),
            ("任用・契約の形態", "民間"),
            ("人材像", "高度専門人材"),
            ("役割", "エンジニア"),
            ("専門分野", "クラウド;セキュリティ"),
            ("資格", "ITパスポート(2020)"),
            ("紹介", "取込で加わったクラウド移行の専門家です。"),
            ("対応方法", "オンライン"),
            ("県全域", "はい"),
            ("対応可能な月", "2027-04"),
        ] {
            let at = header.iter().position(|h| h == column).expect(column);
            new_person[at] = value.to_owned();
        }
        records.push(csv::StringRecord::from(new_person));
        let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(&header).expect("write");
        for record in &records {
            writer.write_record(record).expect("write");
        }
        let edited = writer.into_inner().expect("csv");
        let response = admin
            .post(app.url("/api/advisors/import"))
            .header("content-type", "text/csv")
            .body(edited)
            .send()
            .await
            .expect("import");
        assert_eq!(response.status(), 200);
        let report: serde_json::Value = response.json().await.expect("report");
        assert_eq!(report["inserted"], 1, "{report}");
        assert_eq!(report["updated"], 1, "{report}");
        assert_eq!(report["unchanged"], 99, "{report}");
        let (_, profile) = app.get_json(&format!("/api/advisors/{changed_id}")).await;
        if profile["status"] == "published" {
            assert_eq!(profile["bio"], "Excel で書き換えた紹介文です。");
        }
        assert_eq!(
            total(&app, "q=取込で加わった").await,
            1,
            "searchable at once"
        );
    }
}

#[tokio::test]
async fn a_csv_with_one_bad_row_is_refused_by_line_number_and_nothing_is_stored() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        let header = app::domain::advisor::csv::header().join(",");
        let good = ",公開中,架空 一郎,かくう いちろう,架空商会,民間,高度専門人材,エンジニア,,県の人材バンク,クラウド,,,紹介,,オンライン,はい,,,,,";
        let bad = ",公開中,架空 二郎,かくう じろう,架空商会,民間,超人,エンジニア,,県の人材バンク,クラウド,,,紹介,,オンライン,はい,,,,,";
        let body = format!("\u{feff}{header}\r\n{good}\r\n{bad}\r\n");
        let before = app::entities::advisor::Entity::find()
            .count(&app.db)
            .await
            .expect("count");
        let response = admin
            .post(app.url("/api/advisors/import"))
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .expect("import");
        assert_eq!(response.status(), 400, "{backend:?}");
        let error: serde_json::Value = response.json().await.expect("error");
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("3 行目"), "{message}");
        assert!(message.contains("人材像"), "{message}");
        assert!(message.contains("変更していません"), "{message}");
        let after = app::entities::advisor::Entity::find()
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(before, after, "the good row was not stored either");

        let town = app.signed_in("miyake@renkei.example").await;
        let export = town
            .get(app.url("/api/advisors/export.csv"))
            .send()
            .await
            .expect("export");
        assert_eq!(
            export.status(),
            403,
            "contact details of the whole bank are for the 県管理者"
        );
    }
}

#[tokio::test]
async fn a_prefecture_adds_and_relabels_its_own_terms_and_cannot_change_the_shared_ones() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let admin = app.signed_in("nara-admin@renkei.example").await;
        // A shared term is every prefecture's: refused, and nothing changes.
        let shared = admin
            .patch(app.url("/api/taxonomy/specialty/network"))
            .json(&serde_json::json!({"label": "庁内LAN構築"}))
            .send()
            .await
            .expect("relabel shared");
        assert_eq!(shared.status(), 403, "{backend:?}");
        let error: serde_json::Value = shared.json().await.expect("error");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("システム管理者"),
            "{error}"
        );
        let (_, list) = app.get_json("/api/advisors?specialty=network").await;
        assert!(list.to_string().contains("ネットワーク"), "label kept");

        let added = admin
            .post(app.url("/api/taxonomy"))
            .json(&serde_json::json!({"kind": "specialty", "code": "gov_cloud", "label": "ガバメントクラウド"}))
            .send()
            .await
            .expect("add");
        assert_eq!(added.status(), 201, "{backend:?}");
        let used = admin
            .patch(app.url("/api/advisors/1"))
            .json(&serde_json::json!({"specialties": ["gov_cloud", "security"]}))
            .send()
            .await
            .expect("use the term");
        assert_eq!(used.status(), 200, "{backend:?}");
        let relabelled = admin
            .patch(app.url("/api/taxonomy/specialty/gov_cloud"))
            .json(&serde_json::json!({"label": "ガバクラ移行"}))
            .send()
            .await
            .expect("relabel own");
        assert_eq!(relabelled.status(), 200, "{backend:?}");
        let row: serde_json::Value = relabelled.json().await.expect("row");
        assert_eq!(row["used"], 1, "{row}");
        assert_eq!(row["shared"], false);
        assert_eq!(
            total(&app, "q=ガバクラ移行").await,
            1,
            "found by the new label at once"
        );

        // 高知県 neither sees nor uses nor changes 奈良県's term.
        let kochi = app.signed_in("kochi-admin@renkei.example").await;
        let vocabulary: serde_json::Value = kochi
            .get(app.url("/api/taxonomy"))
            .send()
            .await
            .expect("vocabulary")
            .json()
            .await
            .expect("json");
        assert!(!vocabulary.to_string().contains("ガバクラ移行"));
        let kochi_profile = kochi
            .post(app.url("/api/advisors"))
            .json(&serde_json::json!({
                "name": "架空 高知", "kana": "カクウ コウチ", "affiliation": "架空", "engagement": "private",
                "jinzaizo": "advanced", "specialties": ["gov_cloud"], "modes": ["online"],
            }))
            .send()
            .await
            .expect("kochi profile");
        assert_eq!(kochi_profile.status(), 400, "{backend:?}");
        let not_theirs = kochi
            .patch(app.url("/api/taxonomy/specialty/gov_cloud"))
            .json(&serde_json::json!({"active": false}))
            .send()
            .await
            .expect("kochi relabel");
        assert_eq!(not_theirs.status(), 404, "{backend:?}");

        let duplicate = admin
            .post(app.url("/api/taxonomy"))
            .json(&serde_json::json!({"kind": "specialty", "code": "gov_cloud", "label": "別名"}))
            .send()
            .await
            .expect("duplicate");
        assert_eq!(duplicate.status(), 409);
        let bad_code = admin
            .post(app.url("/api/taxonomy"))
            .json(
                &serde_json::json!({"kind": "specialty", "code": "ガバクラ", "label": "ガバクラ"}),
            )
            .send()
            .await
            .expect("bad code");
        assert_eq!(bad_code.status(), 400);
        let error: serde_json::Value = bad_code.json().await.expect("error");
        assert_eq!(error["error"]["field"], "code");
        let town = app.signed_in("miyake@renkei.example").await;
        let refused = town
            .patch(app.url("/api/taxonomy/specialty/gov_cloud"))
            .json(&serde_json::json!({"label": "町の名前"}))
            .send()
            .await
            .expect("town");
        assert_eq!(refused.status(), 403);
    }
}

#[tokio::test]
async fn the_bank_can_be_narrowed_to_one_prefecture_by_name_or_code() {
    for backend in backends() {
        let app = TestApp::spawn_bank(backend).await;
        let (_, all) = app.get_json("/api/advisors").await;
        let facet = all["facets"]["prefecture"]
            .as_array()
            .expect("facet")
            .clone();
        let labels: Vec<&str> = facet.iter().filter_map(|v| v["label"].as_str()).collect();
        assert!(
            labels.contains(&"奈良県") && labels.contains(&"高知県"),
            "{backend:?}: {labels:?}"
        );
        let kochi = total(&app, "prefecture=高知県").await;
        assert_eq!(kochi, total(&app, "prefecture=390003").await);
        let nara = total(&app, "prefecture=奈良県").await;
        assert_eq!(kochi + nara, all["total"].as_u64().expect("total"));
        let (status, body) = app.get_json("/api/advisors?prefecture=東京都庁").await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["field"], "prefecture");
    }
}
