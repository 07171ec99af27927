use std::collections::HashSet;

use crate::helpers::{TestApp, backends};

#[tokio::test]
async fn the_case_api_lists_all_39_cases_over_two_pages_without_repeats() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, first) = app.get_json("/api/cases").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(first["total"], 39);
        assert_eq!(first["total_pages"], 2);
        let (_, second) = app.get_json("/api/cases?page=2").await;
        let slugs: HashSet<String> = [&first, &second]
            .iter()
            .flat_map(|page| page["items"].as_array().unwrap().clone())
            .map(|item| item["slug"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(slugs.len(), 39, "{backend:?}");
        assert!(slugs.contains("niigata-pref-joint-training"));
        let item = &first["items"][0];
        for field in [
            "slug",
            "title",
            "organisation",
            "prefecture",
            "org_kind",
            "section",
            "summary",
        ] {
            assert!(!item[field].is_null(), "{field} missing in {item}");
        }
    }
}

#[tokio::test]
async fn cases_are_filtered_by_prefecture_kind_and_size() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (_, chiba) = app.get_json("/api/cases?prefecture=千葉県").await;
        assert_eq!(chiba["total"], 4, "{backend:?}");
        assert!(
            chiba["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["prefecture"] == "千葉県")
        );

        let (_, chiba_cities) = app
            .get_json("/api/cases?prefecture=千葉県&org_kind=city")
            .await;
        let orgs: HashSet<&str> = chiba_cities["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["organisation"].as_str().unwrap())
            .collect();
        assert!(!orgs.contains("千葉県"), "{orgs:?}");
        assert!(chiba_cities["total"].as_u64().unwrap() < 4);

        let (_, small) = app.get_json("/api/cases?size=xs").await;
        let staff: Vec<u64> = small["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["staff_count"].as_u64().unwrap())
            .collect();
        assert!(!staff.is_empty());
        assert!(staff.iter().all(|n| *n <= 500), "{staff:?}");
    }
}

#[tokio::test]
async fn facet_counts_add_up_to_the_total() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (_, body) = app.get_json("/api/cases").await;
        for facet in ["section", "org_kind"] {
            let sum: u64 = body["facets"][facet]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["count"].as_u64().unwrap())
                .sum();
            assert_eq!(sum, 39, "{facet} on {backend:?}");
        }
    }
}

#[tokio::test]
async fn the_niigata_case_has_its_contact_and_source() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, case) = app.get_json("/api/cases/niigata-pref-joint-training").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(case["slug"], "niigata-pref-joint-training");
        assert_eq!(case["organisation"], "新潟県");
        assert_eq!(case["staff_count"], 28228);
        assert_eq!(case["contact"]["tel"], "025-280-5337");
        assert_eq!(case["contact"]["email"], "ngt010030@pref.niigata.lg.jp");
        assert!(case["source"]["title"].as_str().unwrap().contains("総務省"));
        assert!(!case["points"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_case_page_cites_the_document_and_page_not_an_internal_file_name() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let html = app
        .get("/cases/niigata-pref-joint-training")
        .await
        .text()
        .await
        .expect("page");
    let doc = scraper::Html::parse_document(&html);
    let source = crate::helpers::texts(&doc, "section[aria-labelledby=case-source] p");
    assert_eq!(source.len(), 1, "{source:?}");
    assert!(
        source[0].contains("人材育成・確保 優良事例集"),
        "{source:?}"
    );
    assert!(source[0].contains("ページ"), "{source:?}");
    let main = crate::helpers::texts(&doc, "main").join("\n");
    assert!(
        !main.contains(".txt") && !main.contains("資料ファイル"),
        "an internal file name is shown: {main}"
    );
}

/// The `href` of every element `selector` selects.
fn hrefs(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("selector");
    doc.select(&selector)
        .filter_map(|e| e.value().attr("href").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_way_back_from_a_case_returns_to_the_search_and_page_it_was_found_on() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    // The second page of the whole library (39 cases, 20 a page), then a search.
    for (list_path, query) in [
        ("/cases?page=2", "page=2"),
        ("/cases?q=%E7%A0%94%E4%BF%AE", "q=%E7%A0%94%E4%BF%AE"),
    ] {
        let list = app.get(list_path).await.text().await.expect("list");
        let doc = scraper::Html::parse_document(&list);
        let cases = hrefs(&doc, ".case-item__title a");
        assert!(!cases.is_empty(), "{list}");
        let case = &cases[0];
        assert!(case.ends_with(&format!("?{query}")), "{case}");

        let page = app.get(case).await.text().await.expect("case");
        let doc = scraper::Html::parse_document(&page);
        let back = format!("/cases?{query}");
        assert_eq!(hrefs(&doc, ".breadcrumb a")[1], back);
        assert_eq!(hrefs(&doc, ".case__back a"), [back]);
    }
    let list = app.get("/cases").await.text().await.expect("list");
    let cases = hrefs(&scraper::Html::parse_document(&list), ".case-item__title a");
    let case = &cases[0];

    // Opened directly, the case page leads to the whole library.
    let slug = case.split('?').next().expect("path");
    let page = app.get(slug).await.text().await.expect("case");
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(hrefs(&doc, ".breadcrumb a")[1], "/cases");
    assert!(hrefs(&doc, ".case__back a").is_empty());
}

#[tokio::test]
async fn an_unknown_slug_is_a_json_404() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, body) = app.get_json("/api/cases/no-such-case").await;
        assert_eq!(status, 404, "{backend:?}");
        assert_eq!(body["error"]["code"], "not_found");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("no-such-case")
        );
    }
}

#[tokio::test]
async fn unusable_filter_values_are_a_400_naming_the_parameter() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    for (query, field) in [
        ("org_kind=castle", "org_kind"),
        ("size=huge", "size"),
        ("page=abc", "page"),
        ("page=99", "page"),
        ("prefecture=東京府", "prefecture"),
        ("section=存在しない区分", "section"),
    ] {
        let (status, body) = app.get_json(&format!("/api/cases?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn an_unreadable_query_string_is_a_400_not_a_500() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let (status, body) = app.get_json("/api/cases?page=1&page=2").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "query");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn_empty(crate::helpers::Backend::Sqlite).await;
    let (status, body) = app.get_json("/api/nothing-here").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}
