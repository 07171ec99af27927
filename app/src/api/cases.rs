//! Case library shapes and server functions.

use serde::{Deserialize, Serialize};

use crate::api::search::Highlighted;
use crate::domain::case::{OrgKind, SizeBand};
use crate::domain::case_query::FilterNotice;

/// A case as shown in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// Stable identifier, used in URLs.
    pub slug: String,
    /// 取組名.
    pub title: String,
    /// 団体名.
    pub organisation: String,
    /// Prefecture name; `None` for national bodies.
    pub prefecture: Option<String>,
    /// Kind of body.
    pub org_kind: OrgKind,
    /// 職員数, when the source gives it.
    pub staff_count: Option<u32>,
    /// Size band derived from the staff count.
    pub size_band: Option<SizeBand>,
    /// 区分.
    pub section: String,
    /// 小区分.
    pub subsection: Option<String>,
    /// 取組概要.
    pub summary: String,
}

/// Contact point for a case (部署・電話・メール).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContact {
    /// 担当部署.
    pub department: Option<String>,
    /// 電話.
    pub tel: Option<String>,
    /// メール.
    pub email: Option<String>,
}

/// Where a case was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSource {
    /// File name of the source document.
    pub file: String,
    /// Title of the source document.
    pub title: String,
    /// Page in the source document.
    pub page: Option<u32>,
    /// How the page was determined, when it is an estimate.
    pub page_note: Option<String>,
}

/// A case with everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    /// The list fields.
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// 取組のポイント.
    pub points: Vec<String>,
    /// 取組の効果.
    pub effects: Vec<String>,
    /// 問い合わせ先.
    pub contact: Option<CaseContact>,
    /// 出典.
    pub source: CaseSource,
}

/// One selectable value of a filter, with how many cases it would show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value sent in the query string.
    pub value: String,
    /// The label shown.
    pub label: String,
    /// Cases matching this value together with the other active filters.
    pub count: u64,
}

/// Selectable values of every filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacets {
    /// 区分.
    pub section: Vec<FacetValue>,
    /// 小区分.
    pub subsection: Vec<FacetValue>,
    /// 団体区分.
    pub org_kind: Vec<FacetValue>,
    /// 都道府県.
    pub prefecture: Vec<FacetValue>,
    /// 職員規模.
    pub size: Vec<FacetValue>,
}

/// A case in a result list, with what matched the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseHit {
    /// The list fields.
    #[serde(flatten)]
    pub case: CaseSummary,
    /// Relevance score (0 when listed without words).
    pub score: f32,
    /// The title with the query's words highlighted.
    pub title_highlight: Highlighted,
    /// The best matching fragment of the summary or points; empty without words.
    pub snippet: Highlighted,
    /// A near match: some of the words are missing (listed after full matches).
    #[serde(default)]
    pub partial: bool,
}

/// Why the list is not a plain AND of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchFallback {
    /// No case had every word; cases with any of them are shown, best first.
    Or,
}

/// One page of the filtered case list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseList {
    /// Cases matching the filters, over all pages (near matches included).
    pub total: u64,
    /// Of those, the cases with every word.
    #[serde(default)]
    pub exact_total: u64,
    /// The page shown (1-based).
    pub page: u32,
    /// Cases per page.
    pub per_page: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// The cases of this page, best first (in source order without words).
    pub items: Vec<CaseHit>,
    /// Set when no case had every word and any word was enough.
    pub fallback: Option<SearchFallback>,
    /// When nothing was found: queries spelt like this one that find something.
    #[serde(default)]
    pub suggestions: Vec<String>,
    /// Filter values that were ignored, and why.
    pub notices: Vec<FilterNotice>,
    /// Filter choices with counts under the other filters.
    pub facets: CaseFacets,
}
