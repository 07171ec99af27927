use scraper::Selector;

use crate::helpers::{TestApp, backends, texts};

#[tokio::test]
async fn the_case_library_page_lists_the_first_twenty_of_39_cases_without_javascript() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, doc) = app.get_html("/cases").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(texts(&doc, ".case-item").len(), 20);
        let count = texts(&doc, ".result-count").join("");
        assert!(count.contains("39件中"), "{count}");
        let (_, page2) = app.get_html("/cases?page=2").await;
        assert_eq!(texts(&page2, ".case-item").len(), 19);
    }
}

#[tokio::test]
async fn filtering_by_prefecture_in_the_page_shows_only_that_prefecture() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, doc) = app.get_html("/cases?prefecture=新潟県").await;
        assert_eq!(status, 200, "{backend:?}");
        let titles = texts(&doc, ".case-item__title");
        assert_eq!(
            titles,
            vec!["県を中心とした広域的な研修の開催"],
            "{backend:?}"
        );
        let selected = texts(&doc, "#filter-prefecture option[selected]");
        assert_eq!(selected.len(), 1);
        assert!(selected[0].starts_with("新潟県"), "{selected:?}");
    }
}

#[tokio::test]
async fn a_keyword_typed_in_full_width_finds_the_it_passport_cases() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (_, doc) = app
        .get_html("/cases?q=%EF%BC%A9%EF%BC%B4%E3%83%91%E3%82%B9%E3%83%9D%E3%83%BC%E3%83%88")
        .await;
    let titles = texts(&doc, ".case-item__title");
    assert!(titles.len() >= 3, "{titles:?}");
    let input = Selector::parse("#filter-q").unwrap();
    let value = doc
        .select(&input)
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap();
    assert_eq!(value, "ＩＴパスポート");
}

#[tokio::test]
async fn bad_filter_values_are_ignored_with_a_visible_notice() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (status, doc) = app
        .get_html("/cases?org_kind=castle&page=zz&size=huge")
        .await;
    assert_eq!(status, 200);
    let notices = texts(&doc, ".notice li");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].contains("castle"), "{notices:?}");
    assert!(texts(&doc, ".result-count").join("").contains("39件中"));
}

#[tokio::test]
async fn the_case_page_shows_the_niigata_case_with_its_contact() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, doc) = app.get_html("/cases/niigata-pref-joint-training").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(texts(&doc, "h1"), vec!["県を中心とした広域的な研修の開催"]);
        let body = texts(&doc, "article.case").join("");
        for expected in [
            "新潟県",
            "28,228人",
            "025-280-5337",
            "ngt010030@pref.niigata.lg.jp",
            "取組のポイント",
        ] {
            assert!(body.contains(expected), "{expected} missing on {backend:?}");
        }
        let title = texts(&doc, "title").join("");
        assert!(
            title.contains("県を中心とした広域的な研修の開催"),
            "{title}"
        );
    }
}

#[tokio::test]
async fn an_unknown_case_is_a_japanese_404_page() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (status, doc) = app.get_html("/cases/no-such-case").await;
    assert_eq!(status, 404);
    assert_eq!(texts(&doc, "h1"), vec!["ページが見つかりません"]);
    assert!(
        texts(&doc, "main")
            .join("")
            .contains("事例「no-such-case」は見つかりませんでした。")
    );
}

#[tokio::test]
async fn an_unknown_address_is_a_japanese_404_page() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let (status, doc) = app.get_html("/no/such/page").await;
    assert_eq!(status, 404);
    assert_eq!(texts(&doc, "h1"), vec!["ページが見つかりません"]);
    let html = Selector::parse("html").unwrap();
    assert_eq!(
        doc.select(&html).next().unwrap().value().attr("lang"),
        Some("ja")
    );
}

#[tokio::test]
async fn every_form_control_on_the_case_list_has_a_label() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (_, doc) = app.get_html("/cases").await;
    let controls = Selector::parse("form input, form select").unwrap();
    let mut checked = 0;
    for control in doc.select(&controls) {
        let id = control.value().attr("id").expect("control without id");
        let label = Selector::parse(&format!("label[for='{id}']")).unwrap();
        assert!(doc.select(&label).next().is_some(), "no label for #{id}");
        checked += 1;
    }
    assert_eq!(
        checked, 6,
        "q, section, subsection, org_kind, prefecture, size"
    );
}

#[tokio::test]
async fn the_list_server_function_answers_a_hydrated_page_with_no_filters() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let response = app
        .client
        .post(format!("{}/api/cases/list", app.address))
        .json(&serde_json::json!({ "params": {} }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["total"], 39);
}
