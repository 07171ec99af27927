//! The advisor bank in the search index: documents with facets, and the faceted
//! search behind `GET /api/advisors` and the bank page.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use crate::api::advisors::{AdvisorList, AdvisorListParams, AdvisorSummary, TermView};
use crate::api::cases::{FacetValue, SearchFallback};
use crate::domain::advisor::{Mode, YearMonth};
use crate::domain::paging::Paging;
use crate::domain::search_query::SearchQuery;
use crate::entities::{
    advisor, advisor_area, advisor_availability, advisor_region, advisor_term, municipality, region,
};
use crate::error::AppError;
use crate::search::{
    FacetFilter, Fallback, SearchDoc, SearchError, SearchIndex, SearchRequest, SearchResult,
    SortOrder,
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

/// Search documents of every published, active advisor, or of those of `only`
/// (few queries, whatever the number of advisors).
pub async fn search_documents(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
) -> Result<Vec<SearchDoc>, DbErr> {
    let mut select = advisor::Entity::find()
        .filter(advisor::Column::Published.eq(true))
        .filter(advisor::Column::Retired.eq(false));
    if let Some(ids) = only {
        select = select.filter(advisor::Column::Id.is_in(ids.to_vec()));
    }
    let advisors = select.all(db).await?;
    // Child rows of the advisors at hand only (a filter with 100k ids would be
    // slower than reading the whole tables).
    let narrow = only.map(|_| advisors.iter().map(|a| a.id).collect());
    let mut tables = Tables::load(db, narrow).await?;
    Ok(advisors.into_iter().map(|a| tables.document(a)).collect())
}

/// The rows a search document is made of, per advisor, and the names they refer to.
struct Tables {
    labels: HashMap<(String, String), String>,
    terms: HashMap<i32, Vec<advisor_term::Model>>,
    areas: HashMap<i32, Vec<String>>,
    regions: HashMap<i32, Vec<i32>>,
    months: HashMap<i32, Vec<String>>,
    towns: HashMap<String, (String, Option<i32>)>,
    all_regions: Vec<region::Model>,
    region_names: HashMap<i32, String>,
}

/// What an advisor covers, in facets and in words.
struct Coverage {
    facets: Vec<(String, String)>,
    region_labels: Vec<String>,
    town_names: Vec<String>,
}

impl Tables {
    async fn load(db: &impl ConnectionTrait, narrow: Option<Vec<i32>>) -> Result<Self, DbErr> {
        let mut term_query = advisor_term::Entity::find();
        let mut area_query = advisor_area::Entity::find();
        let mut region_query = advisor_region::Entity::find();
        let mut month_query = advisor_availability::Entity::find();
        if let Some(wanted) = narrow {
            term_query = term_query.filter(advisor_term::Column::AdvisorId.is_in(wanted.clone()));
            area_query = area_query.filter(advisor_area::Column::AdvisorId.is_in(wanted.clone()));
            region_query =
                region_query.filter(advisor_region::Column::AdvisorId.is_in(wanted.clone()));
            month_query = month_query.filter(advisor_availability::Column::AdvisorId.is_in(wanted));
        }
        let mut tables = Self {
            labels: crate::services::taxonomy::labels(db).await?,
            terms: HashMap::new(),
            areas: HashMap::new(),
            regions: HashMap::new(),
            months: HashMap::new(),
            towns: municipality::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.code, (m.name, m.region_id)))
                .collect(),
            all_regions: region::Entity::find().all(db).await?,
            region_names: HashMap::new(),
        };
        tables.region_names = tables
            .all_regions
            .iter()
            .map(|r| (r.id, r.name.clone()))
            .collect();
        for term in term_query.all(db).await? {
            tables.terms.entry(term.advisor_id).or_default().push(term);
        }
        for area in area_query.all(db).await? {
            let list = tables.areas.entry(area.advisor_id).or_default();
            list.push(area.municipality_code);
        }
        for r in region_query.all(db).await? {
            tables
                .regions
                .entry(r.advisor_id)
                .or_default()
                .push(r.region_id);
        }
        for m in month_query.all(db).await? {
            tables.months.entry(m.advisor_id).or_default().push(m.month);
        }
        Ok(tables)
    }

    fn label(&self, kind: &str, code: &str) -> String {
        self.labels
            .get(&(kind.to_owned(), code.to_owned()))
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    /// The regions and towns an advisor covers: those entered (for matching) and
    /// the regions they amount to (for the region filter).
    fn coverage(&mut self, a: &advisor::Model) -> Coverage {
        let mut facets = Vec::new();
        let listed = self.regions.remove(&a.id).unwrap_or_default();
        for region in &listed {
            facets.push(("region_listed".to_owned(), region.to_string()));
        }
        if a.whole_prefecture {
            facets.push(("whole".to_owned(), "1".to_owned()));
        }
        let mut covered: HashSet<i32> = listed.into_iter().collect();
        let mut town_names = Vec::new();
        for code in self.areas.remove(&a.id).unwrap_or_default() {
            if let Some((name, region)) = self.towns.get(&code) {
                town_names.push(name.clone());
                covered.extend(region);
            }
            facets.push(("municipality".to_owned(), code));
        }
        if a.whole_prefecture {
            covered.extend(
                self.all_regions
                    .iter()
                    .filter(|r| r.prefecture_code == a.prefecture_code)
                    .map(|r| r.id),
            );
        }
        let mut covered: Vec<i32> = covered.into_iter().collect();
        covered.sort_unstable();
        let mut region_labels = Vec::new();
        for id in covered {
            facets.push(("region".to_owned(), id.to_string()));
            region_labels.extend(self.region_names.get(&id).cloned());
        }
        Coverage {
            facets,
            region_labels,
            town_names,
        }
    }

    /// One advisor's search document: facets for the filters, texts for the
    /// words, and the card a result list shows.
    fn document(&mut self, a: advisor::Model) -> SearchDoc {
        let own_terms = self.terms.remove(&a.id).unwrap_or_default();
        let mut facets = vec![
            ("jinzaizo".to_owned(), a.jinzaizo.clone()),
            ("prefecture".to_owned(), a.prefecture_code.clone()),
        ];
        let mut points = vec![self.label("jinzaizo", &a.jinzaizo)];
        let mut programme_labels = Vec::new();
        for term in &own_terms {
            facets.push((term.kind.clone(), term.code.clone()));
            let text = self.label(&term.kind, &term.code);
            if term.kind == "programme" {
                programme_labels.push(text);
            } else {
                points.push(text);
            }
        }
        let coverage = self.coverage(&a);
        facets.extend(coverage.facets);
        let mut mode_labels = Vec::new();
        for (offered, mode) in [(a.onsite, Mode::Onsite), (a.online, Mode::Online)] {
            if offered {
                facets.push(("mode".to_owned(), mode.as_str().to_owned()));
                mode_labels.push(mode.label());
            }
        }
        for month in self.months.remove(&a.id).unwrap_or_default() {
            facets.push(("available".to_owned(), month));
        }
        let card = self.card(&a, &own_terms);
        SearchDoc {
            kind: KIND,
            id: a.id.to_string(),
            order: kana_order(&a.kana),
            recency: u64::try_from(a.last_active_at.timestamp_millis()).unwrap_or_default(),
            title: a.name.clone(),
            org: format!("{} {}", a.affiliation, a.kana),
            summary: a.bio.clone(),
            points: points.join(" "),
            body: [
                a.track_record.clone(),
                a.municipal_knowledge.clone(),
                programme_labels.join(" "),
                coverage.region_labels.join(" "),
                coverage.town_names.join(" "),
                mode_labels.join(" "),
            ]
            .join("\n"),
            facets,
            card: serde_json::to_string(&card).unwrap_or_default(),
        }
    }

    fn card(&self, a: &advisor::Model, own_terms: &[advisor_term::Model]) -> AdvisorCard {
        let view = |kind: &str, code: &str| TermView {
            code: code.to_owned(),
            label: self.label(kind, code),
        };
        let of_kind = |kind: &str| -> Vec<TermView> {
            let mut list: Vec<TermView> = own_terms
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| view(kind, &t.code))
                .collect();
            list.sort_by(|x, y| x.code.cmp(&y.code));
            list
        };
        AdvisorCard {
            name: a.name.clone(),
            kana: a.kana.clone(),
            affiliation: a.affiliation.clone(),
            jinzaizo: view("jinzaizo", &a.jinzaizo),
            roles: of_kind("role"),
            specialties: of_kind("specialty"),
            modes: a.modes(),
        }
    }
}

/// What a result list shows of an advisor, stored with the search document so a
/// page of results needs no database query.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct AdvisorCard {
    name: String,
    kana: String,
    affiliation: String,
    jinzaizo: TermView,
    roles: Vec<TermView>,
    specialties: Vec<TermView>,
    modes: Vec<Mode>,
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
        page: paging.page,
        total_pages: paging.total_pages(),
        fallback: result.fallback.map(|Fallback::Or| SearchFallback::Or),
        items: summaries(&result),
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
fn summaries(result: &SearchResult) -> Vec<AdvisorSummary> {
    result
        .hits
        .iter()
        .filter_map(|hit| {
            let card: AdvisorCard = serde_json::from_str(&hit.card).ok()?;
            Some(AdvisorSummary {
                id: hit.id.parse().ok()?,
                name: card.name,
                kana: card.kana,
                affiliation: card.affiliation,
                jinzaizo: card.jinzaizo,
                roles: card.roles,
                specialties: card.specialties,
                modes: card.modes,
                score: hit.score,
                snippet: hit.snippet.clone(),
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
