//! The filters of the case list, parsed leniently: a bad value is dropped and
//! reported as a [`FilterNotice`] so the page still shows results.

use serde::{Deserialize, Serialize};

use super::case::{OrgKind, SizeBand};
use super::text::clean_single_line;

/// Longest filter text kept, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// The query-string parameters of the case list, exactly as received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseListParams {
    /// Search words (see [`crate::domain::search_query`]).
    #[serde(default)]
    pub q: Option<String>,
    /// 区分 (section) as shown in the case data.
    #[serde(default)]
    pub section: Option<String>,
    /// 小区分 (subsection).
    #[serde(default)]
    pub subsection: Option<String>,
    /// [`OrgKind`] wire form.
    #[serde(default)]
    pub org_kind: Option<String>,
    /// Prefecture name (奈良県) or its six-digit code.
    #[serde(default)]
    pub prefecture: Option<String>,
    /// [`SizeBand`] wire form.
    #[serde(default)]
    pub size: Option<String>,
    /// 1-based page number.
    #[serde(default)]
    pub page: Option<String>,
}

impl CaseListParams {
    /// The parameters as a query string holds them (`get` reads one by name).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            q: get("q"),
            section: get("section"),
            subsection: get("subsection"),
            org_kind: get("org_kind"),
            prefecture: get("prefecture"),
            size: get("size"),
            page: get("page"),
        }
    }

    /// The page of one case, carrying this list (at `page`) so that the case page
    /// links back to the same search.
    pub fn case_href(&self, slug: &str, page: u32) -> String {
        let qs = self.query_string_for_page(page);
        let slug = percent_encode(slug);
        if qs.is_empty() {
            format!("/cases/{slug}")
        } else {
            format!("/cases/{slug}?{qs}")
        }
    }
    /// Builds the query string (without `?`) for these parameters with another page,
    /// leaving out empty ones.
    pub fn query_string_for_page(&self, page: u32) -> String {
        let page = page.to_string();
        let pairs = [
            ("q", self.q.as_deref()),
            ("section", self.section.as_deref()),
            ("subsection", self.subsection.as_deref()),
            ("org_kind", self.org_kind.as_deref()),
            ("prefecture", self.prefecture.as_deref()),
            ("size", self.size.as_deref()),
            ("page", (page != "1").then_some(page.as_str())),
        ];
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.trim().is_empty()).map(|v| (k, v)))
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

impl CaseListParams {
    /// These parameters without one filter (by query name), on the first page.
    pub fn without(&self, field: &str) -> Self {
        let mut params = self.clone();
        match field {
            "q" => params.q = None,
            "section" => params.section = None,
            "subsection" => params.subsection = None,
            "org_kind" => params.org_kind = None,
            "prefecture" => params.prefecture = None,
            "size" => params.size = None,
            _ => {}
        }
        params.page = None;
        params
    }

    /// These parameters with the search text replaced, on the first page.
    pub fn with_text(&self, text: &str) -> Self {
        let mut params = self.clone();
        params.q = (!text.trim().is_empty()).then(|| text.to_owned());
        params.page = None;
        params
    }

    /// The `/cases` URL for these parameters on `page`.
    pub fn href(&self, page: u32) -> String {
        let qs = self.query_string_for_page(page);
        if qs.is_empty() {
            "/cases".to_owned()
        } else {
            format!("/cases?{qs}")
        }
    }
}

/// A filter value that was ignored, with the reason in Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterNotice {
    /// The query parameter, e.g. `org_kind`.
    pub field: String,
    /// What the user sent (shortened if long).
    pub value: String,
    /// What was done about it, in Japanese.
    pub message: String,
}

impl FilterNotice {
    /// A notice for `field` whose `value` was ignored.
    pub fn new(field: &str, value: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            value: value.chars().take(60).collect(),
            message: message.into(),
        }
    }
}

/// The usable part of [`CaseListParams`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Search text as typed (cleaned and cut to [`MAX_TEXT_CHARS`]).
    pub text: Option<String>,
    /// Exact section.
    pub section: Option<String>,
    /// Exact subsection.
    pub subsection: Option<String>,
    /// Kind of body.
    pub org_kind: Option<OrgKind>,
    /// Prefecture name or code, still to be checked against the database.
    pub prefecture: Option<String>,
    /// Size band.
    pub size: Option<SizeBand>,
    /// Requested page (1 when absent or bad).
    pub page: u32,
}

impl CaseFilter {
    /// Parses the parameters; every ignored value yields a notice.
    pub fn parse(params: &CaseListParams) -> (Self, Vec<FilterNotice>) {
        let mut notices = Vec::new();
        let mut filter = Self {
            page: 1,
            ..Self::default()
        };

        if let Some(raw) = non_empty(&params.q) {
            let cleaned = clean_single_line(raw);
            let text: String = cleaned.chars().take(MAX_TEXT_CHARS).collect();
            if text.chars().count() < cleaned.chars().count() {
                notices.push(FilterNotice::new(
                    "q",
                    raw,
                    format!(
                        "キーワードが長すぎるため、先頭の{MAX_TEXT_CHARS}文字で絞り込みました。"
                    ),
                ));
            }
            if !text.is_empty() {
                filter.text = Some(text);
            }
        }
        filter.section = non_empty(&params.section).map(|s| s.trim().to_owned());
        filter.subsection = non_empty(&params.subsection).map(|s| s.trim().to_owned());
        filter.prefecture = non_empty(&params.prefecture).map(|s| s.trim().to_owned());

        if let Some(raw) = non_empty(&params.org_kind) {
            filter.org_kind = OrgKind::parse(raw);
            if filter.org_kind.is_none() {
                notices.push(FilterNotice::new(
                    "org_kind",
                    raw,
                    format!(
                        "団体区分「{}」は選択肢にないため無視しました。",
                        shorten(raw)
                    ),
                ));
            }
        }
        if let Some(raw) = non_empty(&params.size) {
            filter.size = SizeBand::parse(raw);
            if filter.size.is_none() {
                notices.push(FilterNotice::new(
                    "size",
                    raw,
                    format!(
                        "職員規模「{}」は選択肢にないため無視しました。",
                        shorten(raw)
                    ),
                ));
            }
        }
        if let Some(raw) = non_empty(&params.page) {
            match raw.trim().parse::<u32>() {
                Ok(page) if page >= 1 => filter.page = page,
                _ => notices.push(FilterNotice::new(
                    "page",
                    raw,
                    format!(
                        "ページ番号「{}」は正しくないため、1ページ目を表示しました。",
                        shorten(raw)
                    ),
                )),
            }
        }
        (filter, notices)
    }

    /// Whether any filter other than the page is active.
    pub fn is_filtered(&self) -> bool {
        self.text.is_some()
            || self.section.is_some()
            || self.subsection.is_some()
            || self.org_kind.is_some()
            || self.prefecture.is_some()
            || self.size.is_some()
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// Shortens a user value for quoting inside a message.
pub fn shorten(value: &str) -> String {
    let cleaned = clean_single_line(value);
    if cleaned.chars().count() > 30 {
        format!("{}…", cleaned.chars().take(30).collect::<String>())
    } else {
        cleaned
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params(pairs: &[(&str, &str)]) -> CaseListParams {
        CaseListParams::from_query(|k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn valid_filters_are_kept_without_notices() {
        let (filter, notices) = CaseFilter::parse(&params(&[
            ("q", "ＩＴパスポート　研修"),
            ("org_kind", "city"),
            ("size", "s"),
            ("page", "2"),
            ("prefecture", "新潟県"),
        ]));
        assert!(notices.is_empty());
        assert_eq!(filter.text.as_deref(), Some("ＩＴパスポート　研修"));
        assert_eq!(filter.org_kind, Some(OrgKind::City));
        assert_eq!(filter.size, Some(SizeBand::UpTo3000));
        assert_eq!(filter.page, 2);
        assert_eq!(filter.prefecture.as_deref(), Some("新潟県"));
    }

    #[test]
    fn bad_kind_size_and_page_are_ignored_with_one_notice_each() {
        let (filter, notices) = CaseFilter::parse(&params(&[
            ("org_kind", "castle"),
            ("size", "huge"),
            ("page", "-3"),
        ]));
        assert_eq!(
            filter,
            CaseFilter {
                page: 1,
                ..CaseFilter::default()
            }
        );
        let fields: Vec<_> = notices.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, vec!["org_kind", "size", "page"]);
        assert!(notices[0].message.contains("castle"));
    }

    #[test]
    fn empty_values_from_an_unchosen_select_are_not_filters() {
        let (filter, notices) =
            CaseFilter::parse(&params(&[("section", ""), ("q", "   "), ("page", "")]));
        assert!(notices.is_empty());
        assert!(!filter.is_filtered());
    }

    #[test]
    fn overlong_text_is_cut_and_reported() {
        let long = "研".repeat(MAX_TEXT_CHARS + 5);
        let (filter, notices) = CaseFilter::parse(&params(&[("q", &long)]));
        assert_eq!(filter.text.map(|t| t.chars().count()), Some(MAX_TEXT_CHARS));
        assert_eq!(notices.len(), 1);
    }

    #[test]
    fn removing_a_filter_keeps_the_others_and_returns_to_page_one() {
        let p = params(&[("prefecture", "高知県"), ("size", "xs"), ("page", "2")]);
        assert_eq!(
            p.without("size").href(1),
            "/cases?prefecture=%E9%AB%98%E7%9F%A5%E7%9C%8C"
        );
        assert_eq!(
            p.with_text("研修").without("prefecture").href(1),
            "/cases?q=%E7%A0%94%E4%BF%AE&size=xs"
        );
    }

    #[test]
    fn page_links_keep_the_filters_and_encode_japanese() {
        let p = params(&[("prefecture", "高知県"), ("q", "a&b"), ("page", "3")]);
        assert_eq!(
            p.query_string_for_page(2),
            "q=a%26b&prefecture=%E9%AB%98%E7%9F%A5%E7%9C%8C&page=2"
        );
        assert_eq!(
            p.query_string_for_page(1),
            "q=a%26b&prefecture=%E9%AB%98%E7%9F%A5%E7%9C%8C"
        );
    }

    proptest! {
        #[test]
        fn any_input_parses_without_panicking_and_keeps_page_positive(
            q in "\\PC{0,300}", kind in "\\PC{0,20}", size in "\\PC{0,10}", page in "\\PC{0,10}"
        ) {
            let (filter, _) = CaseFilter::parse(&params(&[("q", &q), ("org_kind", &kind), ("size", &size), ("page", &page)]));
            prop_assert!(filter.page >= 1);
            prop_assert!(filter.text.map_or(0, |t| t.chars().count()) <= MAX_TEXT_CHARS);
        }
    }
}
