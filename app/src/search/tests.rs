//! Unit tests of the index: matching, phrases, upserts, snippets, lifecycle.

use super::*;

pub(crate) fn doc(id: &str, title: &str, summary: &str) -> SearchDoc {
    SearchDoc {
        kind: "case",
        id: id.into(),
        order: 0,
        recency: 0,
        title: title.into(),
        org: String::new(),
        summary: summary.into(),
        points: String::new(),
        body: String::new(),
        facets: vec![("section".into(), "人材育成".into())],
        card: String::new(),
    }
}

fn request(q: &str) -> SearchRequest {
    SearchRequest {
        readable: None,
        kind: "case",
        query: SearchQuery::parse(q),
        filters: vec![],
        facet_dimensions: vec!["section"],
        offset: 0,
        limit: 10,
        sort: SortOrder::Relevance,
        fallback: true,
        highlight: true,
        probes: vec![],
    }
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&request(q))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// The ids of the hits with every word (near matches left out).
fn exact_ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&request(q))
        .unwrap()
        .hits
        .into_iter()
        .filter(|h| !h.partial)
        .map(|h| h.id)
        .collect()
}

fn sample() -> SearchIndex {
    let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
    index
        .replace_kind(
            "case",
            vec![
                doc("a", "京都と東京の自治体による共同研修", ""),
                doc("b", "東京都の市町村支援チーム", ""),
                doc(
                    "c",
                    "奈良県デジタル人材バンク",
                    "県が市町村にアドバイザーを派遣する",
                ),
            ],
            |_| {},
        )
        .unwrap();
    index
}

#[test]
fn a_search_limited_to_what_the_caller_reads_counts_nothing_else() {
    let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
    let post = |id: &str, reader: &str| SearchDoc {
        facets: vec![
            ("reader".into(), reader.into()),
            ("section".into(), "連絡".into()),
        ],
        ..doc(id, "研修の資料を共有します", "")
    };
    index
        .replace_kind(
            "case",
            vec![
                post("open", "open:290009"),
                post("secret", "member:7"),
                post("kochi", "open:390003"),
            ],
            |_| {},
        )
        .unwrap();
    let mut asked = request("研修");
    asked.readable = Some(vec![FacetFilter {
        dimension: "reader".into(),
        value: "open:290009".into(),
    }]);
    let result = index.search(&asked).unwrap();
    let found: Vec<&str> = result.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(found, ["open"]);
    assert_eq!(result.total, 1);
    assert_eq!(result.facets["section"], vec![("連絡".to_owned(), 1)]);
    let mut listed = request("");
    listed.readable = Some(Vec::new());
    assert_eq!(
        index.search(&listed).unwrap().total,
        0,
        "no access, nothing"
    );
}

#[test]
fn a_phrase_does_not_match_its_bigrams_in_another_order() {
    assert_eq!(exact_ids(&sample(), "東京都"), vec!["b"]);
}

#[test]
fn a_three_kanji_word_finds_its_stem_as_a_near_match_after_the_exact_ones() {
    let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
    let docs = vec![
        doc("exam", "心理士採用試験の改善", ""),
        doc("list", "心理・福祉の採用候補者名簿", ""),
        doc("other", "土木の採用", ""),
    ];
    index.replace_kind("case", docs, |_| {}).unwrap();
    let result = index.search(&request("心理士")).unwrap();
    let hits: Vec<(&str, bool)> = result
        .hits
        .iter()
        .map(|h| (h.id.as_str(), h.partial))
        .collect();
    assert_eq!(hits, vec![("exam", false), ("list", true)]);
    assert_eq!((result.total, result.exact_total), (2, 1));
}

#[test]
fn a_single_character_finds_the_texts_that_contain_it() {
    let mut found = ids(&sample(), "県");
    found.sort();
    assert_eq!(found, vec!["c"]);
}

#[test]
fn an_excluded_phrase_removes_exactly_its_documents() {
    let mut found = ids(&sample(), "東京 -東京都");
    found.sort();
    assert_eq!(found, vec!["a"]);
}

#[test]
fn an_upsert_is_found_by_the_next_search_and_replaces_the_old_text() {
    let index = sample();
    index
        .upsert(&[doc("b", "高知県の市町村支援チーム", "")], &[])
        .unwrap();
    assert_eq!(exact_ids(&index, "高知県"), vec!["b"]);
    assert!(exact_ids(&index, "東京都").is_empty());
    index.upsert(&[], &[("case".into(), "b".into())]).unwrap();
    assert!(ids(&index, "高知県").is_empty());
    assert_eq!(index.count("case").unwrap(), 2);
}

#[test]
fn snippets_highlight_the_query_in_the_original_text() {
    let result = sample().search(&request("アドバイザー")).unwrap();
    let snippet = &result.hits[0].snippet;
    assert_eq!(
        snippet.to_html(),
        "県が市町村に<mark>アドバイザー</mark>を派遣する"
    );
}

#[test]
fn a_missing_corrupt_or_older_index_is_reported_for_rebuilding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let (index, reason) = SearchIndex::open(&path, SynonymStore::builtin()).unwrap();
    assert_eq!(reason, Some(RebuildReason::Missing));
    index
        .replace_kind("case", vec![doc("a", "研修", "")], |_| {})
        .unwrap();
    drop(index);

    let (index, reason) = SearchIndex::open(&path, SynonymStore::builtin()).unwrap();
    assert_eq!(reason, None);
    assert_eq!(index.count("case").unwrap(), 1);
    drop(index);

    for entry in std::fs::read_dir(&path).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e != "json") {
            std::fs::write(&file, b"garbage").unwrap();
        }
    }
    let (index, reason) = SearchIndex::open(&path, SynonymStore::builtin()).unwrap();
    assert_eq!(reason, Some(RebuildReason::Corrupt));
    assert_eq!(index.count("case").unwrap(), 0);
    drop(index);

    std::fs::write(path.join(VERSION_FILE), "0").unwrap();
    let (_, reason) = SearchIndex::open(&path, SynonymStore::builtin()).unwrap();
    assert_eq!(reason, Some(RebuildReason::OlderSchema));
}

#[test]
fn a_search_with_many_full_matches_lists_only_them() {
    let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
    let mut docs: Vec<SearchDoc> = (0..60)
        .map(|i| doc(&format!("full{i}"), "クラウド移行の支援", ""))
        .collect();
    docs.extend((0..5).map(|i| doc(&format!("near{i}"), "クラウドの研修", "")));
    index.replace_kind("case", docs, |_| {}).unwrap();
    let result = index.search(&request("クラウド 移行")).unwrap();
    assert_eq!((result.total, result.exact_total), (60, 60));
}

#[test]
fn a_narrower_term_finds_the_broader_one_after_itself_but_not_the_reverse() {
    // The shipped vocabulary says `ChatGPT … > 生成AI`.
    let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
    let docs = vec![
        doc("broad", "生成AIの研修", "職員向けの研修"),
        doc("narrow", "ChatGPTの利用ルール", "庁内での利用"),
    ];
    index.replace_kind("case", docs, |_| {}).unwrap();
    assert_eq!(ids(&index, "ChatGPT"), vec!["narrow", "broad"]);
    assert_eq!(ids(&index, "生成AI"), vec!["broad"]);
}
