use crate::helpers::{Backend, TestApp, backends};

fn slugs(body: &serde_json::Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["slug"].as_str().expect("slug").to_owned())
        .collect()
}

async fn search(app: &TestApp, query: &str) -> serde_json::Value {
    let response = app
        .client
        .get(format!("{}/api/search", app.address))
        .query(&[("q", query), ("kind", "case")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn logic_model_in_half_width_katakana_or_hiragana_finds_shinagawa_first() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        for query in ["ﾛｼﾞｯｸﾓﾃﾞﾙ", "ろじっくもでる", "ロジックモデル"]
        {
            let body = search(&app, query).await;
            assert_eq!(
                slugs(&body).first().map(String::as_str),
                Some("shinagawa-ward-logic-model"),
                "{query} on {backend:?}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_radical_code_point_finds_what_the_ideograph_finds_in_the_same_order() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let radical = search(&app, "⺠間").await;
    let ideograph = search(&app, "民間").await;
    assert!(!slugs(&ideograph).is_empty());
    assert_eq!(slugs(&radical), slugs(&ideograph));
    assert_eq!(radical["total"], ideograph["total"]);
}

#[tokio::test]
async fn hits_carry_kind_title_score_and_a_highlight() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let body = search(&app, "ITパスポート").await;
    let hit = &body["hits"][0];
    assert_eq!(hit["kind"], "case");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(!hit["title"].as_str().unwrap().is_empty());
    assert!(
        hit["highlight"].as_str().unwrap().contains("<mark>"),
        "{hit}"
    );
    assert!(body["fallback"].is_null());
    assert!(body["facets"]["prefecture"].as_array().unwrap().len() >= 3);
}

#[tokio::test]
async fn cases_with_every_word_come_first_and_an_impossible_combination_falls_back_to_or() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let both = search(&app, "ITパスポート 全職員").await;
    assert!(both["fallback"].is_null());
    let one = search(&app, "ITパスポート").await;
    let exact = both["exact_total"].as_u64().unwrap();
    assert!(
        exact > 0 && exact < one["total"].as_u64().unwrap(),
        "{both}"
    );
    // The cases with both words first, then the near ones, marked.
    let partial: Vec<bool> = both["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["partial"].as_bool().unwrap())
        .collect();
    let first_partial = partial.iter().position(|p| *p).unwrap_or(partial.len());
    assert_eq!(
        first_partial as u64,
        exact.min(partial.len() as u64),
        "{partial:?}"
    );
    assert!(partial[first_partial..].iter().all(|p| *p), "{partial:?}");

    let fallback = search(&app, "ITパスポート 宇宙飛行士").await;
    assert_eq!(fallback["fallback"], "or");
    assert_eq!(fallback["total"], one["total"]);
}

#[tokio::test]
async fn an_excluded_word_removes_its_cases() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let all = slugs(&search(&app, "ITパスポート").await);
    assert!(all.contains(&"kasama-city-it-passport-support".to_owned()));
    let without = slugs(&search(&app, "ITパスポート -笠間市").await);
    assert!(
        !without.contains(&"kasama-city-it-passport-support".to_owned()),
        "{without:?}"
    );
    assert_eq!(without.len() + 1, all.len());
}

#[tokio::test]
async fn a_quoted_phrase_keeps_its_word_boundary() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // 「人材育成」 occurs as one word; with a space inside quotes it must not match it.
    let word = search(&app, "人材育成").await;
    let split_phrase = search(&app, "\"人材 育成\"").await;
    assert!(word["total"].as_u64().unwrap() > 0);
    assert!(split_phrase["total"].as_u64().unwrap() < word["total"].as_u64().unwrap());
}

#[tokio::test]
async fn synonyms_find_the_other_spelling() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let short = search(&app, "iパス").await;
    let long = search(&app, "ITパスポート").await;
    assert_eq!(short["total"], long["total"]);
    assert!(short["total"].as_u64().unwrap() >= 3);
}

#[tokio::test]
async fn an_edited_synonym_file_takes_effect_without_a_restart() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(search(&app, "ほげふが").await["total"], 0);
    let path = app.test_db.dir.path().join("synonyms.txt");
    let mut synonyms = std::fs::read_to_string(&path).unwrap();
    synonyms.push_str("\nほげふが, ロジックモデル\n");
    std::fs::write(&path, synonyms).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let body = search(&app, "ほげふが").await;
    assert_eq!(
        slugs(&body).first().map(String::as_str),
        Some("shinagawa-ward-logic-model")
    );
}

#[tokio::test]
async fn malformed_queries_are_searched_as_plain_text() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // About 10 kB of text.
    let long = "研修".repeat(1_700);
    for query in [
        "\"人材 育成",
        "-",
        "--",
        "\"",
        "-\"\"",
        "研修\u{0}\u{7}",
        "AND OR NOT",
        "*:?~^",
        long.as_str(),
    ] {
        let response = app
            .client
            .get(format!("{}/api/search", app.address))
            .query(&[("q", query)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            200,
            "{}",
            query.chars().take(20).collect::<String>()
        );
    }
    let unbalanced = search(&app, "\"人材 育成").await;
    let plain = search(&app, "人材 育成").await;
    assert_eq!(slugs(&unbalanced), slugs(&plain));
}

#[tokio::test]
async fn facet_counts_follow_the_current_query_and_filters() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app
        .client
        .get(format!("{}/api/search", app.address))
        .query(&[("q", "ITパスポート"), ("prefecture", "茨城県")])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(slugs(&body), vec!["kasama-city-it-passport-support"]);
    // The prefecture facet ignores its own filter: other prefectures stay selectable.
    let prefectures = body["facets"]["prefecture"].as_array().unwrap();
    assert!(prefectures.len() >= 3, "{prefectures:?}");
    let total: u64 = prefectures
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        total,
        search(&app, "ITパスポート").await["total"]
            .as_u64()
            .unwrap()
    );
}

#[tokio::test]
async fn a_bad_kind_or_limit_is_a_400_naming_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (query, field) in [
        ("kind=planet", "kind"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=1000", "limit"),
    ] {
        let (status, body) = app.get_json(&format!("/api/search?q=研修&{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    let (status, body) = app.get_json("/api/search?q=研修&limit=3").await;
    assert_eq!(status, 200);
    assert_eq!(body["hits"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn healthz_reports_the_index_with_its_documents() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["index"]["status"], "ok");
    assert_eq!(body["index"]["documents"], 39);
}

#[tokio::test]
async fn a_deleted_or_corrupt_index_is_rebuilt_at_startup() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let index_dir = app.test_db.dir.path().join("index");
        let expected = search(&app, "ロジックモデル").await;
        assert!(expected["total"].as_u64().unwrap() >= 1);

        std::fs::remove_dir_all(&index_dir).unwrap();
        let app = app.restart().await;
        assert_eq!(
            search(&app, "ロジックモデル").await["hits"],
            expected["hits"],
            "{backend:?}"
        );

        // Garbage over every segment file.
        for entry in std::fs::read_dir(&index_dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e != "json") {
                std::fs::write(&path, b"not an index").unwrap();
            }
        }
        let app = app.restart().await;
        assert_eq!(
            search(&app, "ロジックモデル").await["hits"],
            expected["hits"],
            "{backend:?}"
        );

        std::fs::write(index_dir.join("renkei-schema-version"), "0").unwrap();
        let app = app.restart().await;
        assert_eq!(
            search(&app, "ロジックモデル").await["hits"],
            expected["hits"],
            "{backend:?}"
        );
    }
}

/// The slugs of the first `n` hits.
fn top(body: &serde_json::Value, n: usize) -> Vec<String> {
    slugs(body).into_iter().take(n).collect()
}

#[tokio::test]
async fn a_word_no_case_spells_finds_the_case_that_says_it_in_other_words() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // 経験者採用: the case says 社会人区分 and 職務経験; 職場体験: 就業体験・職場見学;
    // 出戻り採用: ジョブ・リターン採用 of former staff.
    for (query, case) in [
        ("経験者採用", "kimitsu-city-mid-career-recruitment"),
        ("職場体験", "kawasaki-city-1day-site-tour"),
        ("出戻り採用", "hokkaido-job-return-recruitment"),
    ] {
        let body = search(&app, query).await;
        assert!(body["total"].as_u64().unwrap() > 0, "{query}: {body}");
        assert!(top(&body, 3).contains(&case.to_owned()), "{query}: {body}");
    }
}

#[tokio::test]
async fn a_four_word_topic_lists_the_case_with_every_word_first_then_those_with_most() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let body = search(&app, "DX 人材 育成 KPI").await;
    let hits = body["hits"].as_array().unwrap();
    assert_eq!(hits[0]["slug"], "kitakyushu-city-dx-talent-kpi", "{body}");
    assert_eq!(hits[0]["partial"], false);
    // 金沢市 has every word too, DX as デジタル化 (a broader term, ranked lower).
    let exact = body["exact_total"].as_u64().unwrap() as usize;
    assert!((1..=2).contains(&exact), "{body}");
    assert!(
        hits[..exact].iter().all(|h| h["partial"] == false),
        "{body}"
    );
    // Cases with three of the four words follow, marked as partial.
    let near: Vec<&str> = hits[exact..]
        .iter()
        .map(|h| h["slug"].as_str().unwrap())
        .collect();
    assert!(near.contains(&"shiga-pref-dx-challenger"), "{near:?}");
    assert!(hits[exact..].iter().all(|h| h["partial"] == true), "{body}");
}

#[tokio::test]
async fn a_question_typed_as_a_sentence_ranks_the_case_that_answers_it_first() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (question, case) in [
        (
            "民間企業で働いていた人を採用したい",
            "kimitsu-city-mid-career-recruitment",
        ),
        (
            "職員のやる気を測るにはどうしたらよいか",
            "nagasaki-city-engagement-visualization",
        ),
        (
            "辞めた職員にもう一度戻ってきてもらう方法",
            "hokkaido-job-return-recruitment",
        ),
    ] {
        let body = search(&app, question).await;
        assert_eq!(top(&body, 1), [case], "{question}: {body}");
    }
}

#[tokio::test]
async fn a_misspelt_word_that_finds_nothing_offers_the_word_it_resembles_on_the_api_and_the_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let body = search(&app, "エンゲージメソト").await;
    assert_eq!(body["total"], 0, "{body}");
    let offered: Vec<&str> = body["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(offered.first(), Some(&"エンゲージメント"), "{body}");
    // Each one finds something.
    for suggestion in &offered {
        let found = search(&app, suggestion).await;
        assert!(found["total"].as_u64().unwrap() > 0, "{suggestion}");
    }
    // The page (without JavaScript) links to the search for it.
    let page = app
        .get("/cases?q=%E3%82%A8%E3%83%B3%E3%82%B2%E3%83%BC%E3%82%B8%E3%83%A1%E3%82%BD%E3%83%88")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("もしかして"), "{page}");
    assert!(page.contains(">エンゲージメント<"), "{page}");
    // Nothing resembles gibberish: no suggestion, the usual advice.
    let nothing = search(&app, "ｘｙｚｚｙ").await;
    assert_eq!(nothing["suggestions"], serde_json::json!([]), "{nothing}");
}

#[tokio::test]
async fn a_question_with_one_content_word_still_finds_the_case_that_holds_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // 「庁舎」 is the only word of the sentence the vocabulary does not drop; no
    // case holds the whole sentence.
    let body = search(&app, "庁舎の建て替えにあわせて働き方を変えたい").await;
    assert!(
        top(&body, 3).contains(&"itami-city-dx-office-reform".to_owned()),
        "{body}"
    );
}
