//! The advisor bank in the search index: documents with facets, and the faceted
//! search behind `GET /api/advisors` and the bank page.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use super::documents::AdvisorCard;
pub use super::documents::search_documents;
use crate::api::advisors::{AdvisorList, AdvisorListParams, AdvisorSummary};
use crate::api::cases::{FacetValue, SearchFallback};
use crate::domain::advisor::{Mode, YearMonth};
use crate::domain::paging::Paging;
use crate::domain::search_query::SearchQuery;
use crate::entities::{advisor, region};
use crate::error::AppError;
use crate::search::{
    FacetFilter, Fallback, SearchError, SearchIndex, SearchRequest, SearchResult, SortOrder,
};

/// Kind of the advisor documents.
pub const KIND: &str = "advisor";
/// Advisors per page.
pub const PER_PAGE: u32 = 20;
/// The facet dimensions, in display order.
pub const DIMENSIONS: [&str; 9] = [
    "prefecture",
    "jinzaizo",
    "role",
    "specialty",
    "qualification",
    "region",
    "mode",
    "programme",
    "available",
];

/// Failures of indexing or searching advisors.
#[derive(Debug, thiserror::Error)]
pub enum AdvisorSearchError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// The index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A blocking task failed.
    #[error("search task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

impl From<AdvisorSearchError> for AppError {
    fn from(error: AdvisorSearchError) -> Self {
        AppError::internal(error)
    }
}

/// A sort key that orders katakana names in 五十音 order (first 8 characters).
pub fn kana_order(kana: &str) -> u64 {
    let mut key = 0u64;
    let mut chars = kana.chars().filter(|c| *c != ' ');
    for _ in 0..8 {
        let value = chars
            .next()
            .map_or(0, |c| u64::from(c).saturating_sub(0x30A0).min(126) + 1);
        key = (key << 7) | value;
    }
    key
}

/// Advisors that appear in the public bank.
pub async fn indexable_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    advisor::Entity::find()
        .filter(advisor::Column::Published.eq(true))
        .filter(advisor::Column::Retired.eq(false))
        .count(db)
        .await
}

/// The labels a search shows for codes: vocabulary terms, regions, prefectures.
#[derive(Debug, Default)]
pub struct BankLabels {
    /// Term labels by `(kind, code)`.
    pub terms: HashMap<(String, String), String>,
    /// Region names by id.
    pub regions: HashMap<String, String>,
    /// Prefecture names by code.
    pub prefectures: HashMap<String, String>,
}

/// The labels, read once per index generation (a relabelled term re-indexes the
/// advisors using it; an import rebuilds the index).
pub async fn bank_labels(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
) -> Result<std::sync::Arc<BankLabels>, DbErr> {
    const KEY: &str = "advisor_search::bank_labels";
    if let Some(labels) = index.memo::<BankLabels>(KEY) {
        return Ok(labels);
    }
    let labels = std::sync::Arc::new(BankLabels {
        terms: crate::services::taxonomy::labels(db).await?,
        regions: region::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id.to_string(), r.name))
            .collect(),
        prefectures: crate::entities::prefecture::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.code, p.name))
            .collect(),
    });
    index.remember(KEY, std::sync::Arc::clone(&labels));
    Ok(labels)
}

/// Rebuilds the advisor documents of the index.
pub async fn reindex(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl FnMut(u64) + Send + 'static,
) -> Result<u64, AdvisorSearchError> {
    let docs = search_documents(db, None).await?;
    let index = index.clone();
    Ok(tokio::task::spawn_blocking(move || index.replace_kind(KIND, docs, progress)).await??)
}

/// Replaces the documents of these advisors (removing those no longer public), so
/// a change is searchable on the next request.
pub async fn refresh(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    ids: &[i32],
) -> Result<(), AdvisorSearchError> {
    let docs = search_documents(db, Some(ids)).await?;
    let present: HashSet<String> = docs.iter().map(|d| d.id.clone()).collect();
    let removed: Vec<(String, String)> = ids
        .iter()
        .map(ToString::to_string)
        .filter(|id| !present.contains(id))
        .map(|id| (KIND.to_owned(), id))
        .collect();
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.upsert(&docs, &removed)).await??;
    Ok(())
}

/// Why a filter value was refused (the API answers 400 naming the field).
fn refuse(field: &str, value: &str) -> AppError {
    AppError::invalid(
        field,
        format!(
            "パラメータ {field} の値「{}」は使えません。",
            value.chars().take(40).collect::<String>()
        ),
    )
}

/// Searches the bank as `auth` may: available months are private to the staff of
/// a bank's prefecture and its municipalities, so the `available` filter is
/// refused to anyone else (403 naming it), narrows the search to the caller's
/// own bank, and its counts are shown only for a search of that bank.
pub async fn list_for(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    auth: &crate::auth::RequestAuth,
    params: &AdvisorListParams,
    per_page: u32,
) -> Result<AdvisorList, AppError> {
    use crate::domain::policy::{Action, Resource, can};
    let own_bank = auth.actor.as_ref().filter(|actor| {
        can(
            actor,
            Action::ViewAdvisorPrivate,
            &Resource::Advisor {
                prefecture: actor.prefecture.clone(),
                account: None,
            },
        )
    });
    let wants_months = params
        .available
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty());
    let mut params = params.clone();
    let Some(actor) = own_bank else {
        if wants_months {
            return Err(AppError::refused(
                "available",
                "対応可能な月で絞り込めるのは、その県と県内市町村の職員だけです。",
            ));
        }
        let mut list = list(db, index, &params, per_page).await?;
        list.facets.remove("available");
        return Ok(list);
    };
    let asked = params
        .prefecture
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    let own = asked
        .as_deref()
        .is_some_and(|p| actor.prefecture == *p || p == actor.prefecture_name);
    if wants_months && asked.is_some() && !own {
        return Err(AppError::refused(
            "available",
            "対応可能な月で絞り込めるのは、自分の県の人材バンクだけです。",
        ));
    }
    if wants_months {
        params.prefecture = Some(actor.prefecture.to_string());
    }
    let mut list = list(db, index, &params, per_page).await?;
    if !(own || wants_months) {
        list.facets.remove("available");
    }
    if wants_months && let Some(values) = list.facets.get_mut("prefecture") {
        // Counted under the month filter, other banks' counts would tell their
        // advisors' private months.
        values.retain(|v| v.value == actor.prefecture);
    }
    Ok(list)
}

/// Searches the bank: free text (AND, then OR) and facet filters, with counts
/// (every facet, private ones too: callers answering people use [`list_for`]).
pub async fn list(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    params: &AdvisorListParams,
    per_page: u32,
) -> Result<AdvisorList, AppError> {
    let per_page = per_page.clamp(1, 100);
    let bank = bank_labels(db, index).await?;
    let filters = bank.filters_of(params)?;
    let sort = match given(&params.sort).as_deref() {
        None | Some("relevance") => SortOrder::Relevance,
        Some("kana") => SortOrder::Natural,
        Some("recent") => SortOrder::Recent,
        Some(other) => return Err(refuse("sort", other)),
    };
    let page = match given(&params.page) {
        None => 1,
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| refuse("page", &p))?,
    };
    let mut request = SearchRequest {
        readable: None,
        kind: KIND,
        query: SearchQuery::parse(params.q.as_deref().unwrap_or_default()),
        filters,
        facet_dimensions: DIMENSIONS.to_vec(),
        offset: usize::try_from(u64::from(page - 1) * u64::from(per_page)).unwrap_or(0),
        limit: per_page as usize,
        sort,
        fallback: true,
        highlight: true,
        probes: Vec::new(),
    };
    let mut result = run(index, &request).await?;
    let (paging, clamped) = Paging::clamp(page, per_page, result.total as u64);
    if clamped {
        request.offset =
            usize::try_from(u64::from(paging.page - 1) * u64::from(per_page)).unwrap_or(0);
        result = run(index, &request).await?;
    }
    Ok(AdvisorList {
        total: paging.total,
        exact_total: result.exact_total as u64,
        page: paging.page,
        total_pages: paging.total_pages(),
        fallback: result.fallback.map(|Fallback::Or| SearchFallback::Or),
        suggestions: result.suggestions.clone(),
        items: summaries(&result, &bank),
        facets: bank.facets(&result, &request.filters),
    })
}

/// A parameter's value, trimmed; `None` when absent or blank.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl BankLabels {
    /// The filters the parameters ask for, each value checked against the bank's
    /// vocabularies, places and the calendar.
    fn filters_of(&self, params: &AdvisorListParams) -> Result<Vec<FacetFilter>, AppError> {
        let mut filters = Vec::new();
        let mut add = |dimension: &str, value: String| {
            filters.push(FacetFilter {
                dimension: dimension.to_owned(),
                value,
            });
        };
        for (dimension, value) in [
            ("jinzaizo", &params.jinzaizo),
            ("role", &params.role),
            ("specialty", &params.specialty),
            ("qualification", &params.qualification),
            ("programme", &params.programme),
        ] {
            if let Some(value) = given(value) {
                if !self
                    .terms
                    .contains_key(&(dimension.to_owned(), value.clone()))
                {
                    return Err(refuse(dimension, &value));
                }
                add(dimension, value);
            }
        }
        if let Some(value) = given(&params.prefecture) {
            let code = self
                .prefectures
                .iter()
                .find(|(code, name)| **code == value || **name == value)
                .map(|(code, _)| code.clone())
                .ok_or_else(|| refuse("prefecture", &value))?;
            add("prefecture", code);
        }
        if let Some(value) = given(&params.region) {
            if !self.regions.contains_key(&value) {
                return Err(refuse("region", &value));
            }
            add("region", value);
        }
        if let Some(value) = given(&params.mode) {
            let mode = Mode::parse(&value).ok_or_else(|| refuse("mode", &value))?;
            add("mode", mode.as_str().to_owned());
        }
        if let Some(value) = given(&params.available) {
            let month = YearMonth::parse(&value).map_err(|_| refuse("available", &value))?;
            add("available", month.to_string());
        }
        Ok(filters)
    }

    /// The label a facet value is shown with.
    fn label_of(&self, dimension: &str, value: &str) -> String {
        let found = match dimension {
            "prefecture" => self.prefectures.get(value).cloned(),
            "region" => self.regions.get(value).cloned(),
            "mode" => Mode::parse(value).map(|m| m.label().to_owned()),
            "available" => YearMonth::parse(value).ok().map(YearMonth::label),
            _ => self
                .terms
                .get(&(dimension.to_owned(), value.to_owned()))
                .cloned(),
        };
        found.unwrap_or_else(|| value.to_owned())
    }

    /// The facet counts with their labels; a value filtered on stays listed (with
    /// 0) so it can be unticked. Months in calendar order, the rest by count.
    fn facets(
        &self,
        result: &SearchResult,
        filters: &[FacetFilter],
    ) -> BTreeMap<String, Vec<FacetValue>> {
        let mut facets = BTreeMap::new();
        for dimension in DIMENSIONS {
            let mut values: Vec<FacetValue> = result
                .facets
                .get(dimension)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: self.label_of(dimension, &value),
                    value,
                    count,
                })
                .collect();
            for filter in filters.iter().filter(|f| f.dimension == dimension) {
                if !values.iter().any(|v| v.value == filter.value) {
                    values.push(FacetValue {
                        label: self.label_of(dimension, &filter.value),
                        value: filter.value.clone(),
                        count: 0,
                    });
                }
            }
            if dimension == "available" {
                values.sort_by(|a, b| a.value.cmp(&b.value));
            } else {
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            }
            facets.insert(dimension.to_owned(), values);
        }
        facets
    }
}

async fn run(index: &SearchIndex, request: &SearchRequest) -> Result<SearchResult, AppError> {
    let index = index.clone();
    let request = request.clone();
    Ok(tokio::task::spawn_blocking(move || index.search(&request)).await??)
}

/// The page's advisors from the cards stored in the index.
fn summaries(result: &SearchResult, labels: &BankLabels) -> Vec<AdvisorSummary> {
    result
        .hits
        .iter()
        .filter_map(|hit| {
            let card: AdvisorCard = serde_json::from_str(&hit.card).ok()?;
            Some(AdvisorSummary {
                id: hit.id.parse().ok()?,
                prefecture: labels
                    .prefectures
                    .get(&card.prefecture)
                    .cloned()
                    .unwrap_or_default(),
                name: card.name,
                kana: card.kana,
                affiliation: card.affiliation,
                jinzaizo: card.jinzaizo,
                roles: card.roles,
                specialties: card.specialties,
                modes: card.modes,
                score: hit.score,
                snippet: hit.snippet.clone(),
                partial: hit.partial,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::kana_order;

    #[test]
    fn kana_order_follows_the_gojuon() {
        let mut names = vec![
            "ヤマダ タロウ",
            "アベ ハナコ",
            "アベ イチロウ",
            "サトウ ケン",
            "ワタナベ アキ",
        ];
        names.sort_by_key(|n| kana_order(n));
        assert_eq!(
            names,
            [
                "アベ イチロウ",
                "アベ ハナコ",
                "サトウ ケン",
                "ヤマダ タロウ",
                "ワタナベ アキ"
            ]
        );
    }
}
