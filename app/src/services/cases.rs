//! The case library: search-backed, faceted, paged lists; single cases; and the
//! search documents cases are indexed as.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::api::cases::{
    CaseContact, CaseDetail, CaseFacets, CaseHit, CaseList, CaseSource, CaseSummary, FacetValue,
    SearchFallback,
};
use crate::domain::case::{OrgKind, SizeBand};
use crate::domain::case_query::{CaseFilter, CaseListParams, FilterNotice, shorten};
use crate::domain::paging::Paging;
use crate::domain::search_query::SearchQuery;
use crate::entities::{case_study, prefecture};
use crate::error::AppError;
use crate::search::{
    FacetFilter, Fallback, SearchDoc, SearchError, SearchIndex, SearchRequest, SearchResult,
    SortOrder,
};

/// Cases per page of the list.
pub const PER_PAGE: u32 = 20;

/// Most cases one page may hold.
pub const MAX_PER_PAGE: u32 = 100;

/// The status of a case visible to everyone.
pub const STATUS_PUBLISHED: &str = "published";

/// The search kind of cases.
pub const KIND: &str = "case";

/// Facet dimensions of cases, in display order.
pub const DIMENSIONS: [&str; 5] = ["section", "subsection", "org_kind", "prefecture", "size"];

/// Failures of the case services.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No published case has this slug.
    #[error("事例「{0}」は見つかりませんでした。")]
    NotFound(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A blocking search task could not finish.
    #[error("search task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<CaseError> for AppError {
    fn from(error: CaseError) -> Self {
        match error {
            CaseError::NotFound(_) => AppError::not_found(error.to_string()),
            other => AppError::internal(other),
        }
    }
}

/// Lists published cases for `params`: words through the search index (AND, then
/// OR when nothing has every word), filters as facets. Values that cannot be used
/// are ignored and reported in [`CaseList::notices`]; the JSON API turns those into
/// a 400.
pub async fn list(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    params: &CaseListParams,
    per_page: u32,
) -> Result<CaseList, CaseError> {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let (filter, mut notices) = CaseFilter::parse(params);
    let query = SearchQuery::parse(filter.text.as_deref().unwrap_or_default());
    let prefectures = prefecture::Entity::find()
        .order_by_asc(prefecture::Column::Code)
        .all(db)
        .await?;
    let filters = resolve_filters(db, &filter, &prefectures, &mut notices).await?;

    let mut request = SearchRequest {
        readable: None,
        kind: KIND,
        query,
        filters,
        facet_dimensions: DIMENSIONS.to_vec(),
        offset: offset_of(filter.page, per_page),
        limit: per_page as usize,
        sort: SortOrder::Relevance,
        fallback: true,
        highlight: true,
        probes: Vec::new(),
    };
    let mut result = run(index, &request).await?;
    let (paging, clamped) = Paging::clamp(filter.page, per_page, result.total as u64);
    if clamped {
        notices.push(FilterNotice::new(
            "page",
            &filter.page.to_string(),
            format!(
                "{}ページ目はないため、{}ページ目を表示しました。",
                filter.page, paging.page
            ),
        ));
        request.offset = offset_of(paging.page, per_page);
        result = run(index, &request).await?;
    }

    let pref_names: HashMap<&str, &str> = prefectures
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let items = hits_with_cases(db, &result, &pref_names).await?;
    let facets = facets(&result, &request.filters, &pref_names);
    Ok(CaseList {
        total: paging.total,
        exact_total: result.exact_total as u64,
        page: paging.page,
        per_page: paging.per_page,
        total_pages: paging.total_pages(),
        items,
        fallback: result.fallback.map(|Fallback::Or| SearchFallback::Or),
        suggestions: result.suggestions.clone(),
        notices,
        facets,
    })
}

fn offset_of(page: u32, per_page: u32) -> usize {
    let skipped = u64::from(page.saturating_sub(1)) * u64::from(per_page);
    usize::try_from(skipped).unwrap_or(usize::MAX / 2)
}

async fn run(index: &SearchIndex, request: &SearchRequest) -> Result<SearchResult, CaseError> {
    let index = index.clone();
    let request = request.clone();
    Ok(tokio::task::spawn_blocking(move || index.search(&request)).await??)
}

/// Checks section, subsection and prefecture against the data, dropping unknown
/// values with a notice, and turns the filter into facet filters.
async fn resolve_filters(
    db: &impl ConnectionTrait,
    filter: &CaseFilter,
    prefectures: &[prefecture::Model],
    notices: &mut Vec<FilterNotice>,
) -> Result<Vec<FacetFilter>, CaseError> {
    let mut filters = Vec::new();
    let mut add = |dimension: &str, value: String| {
        filters.push(FacetFilter {
            dimension: dimension.to_owned(),
            value,
        })
    };
    let exact = [
        (
            "section",
            "区分",
            case_study::Column::Section,
            &filter.section,
        ),
        (
            "subsection",
            "小区分",
            case_study::Column::Subsection,
            &filter.subsection,
        ),
    ];
    for (field, label, column, wanted) in exact {
        let Some(value) = wanted else { continue };
        let exists = case_study::Entity::find()
            .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
            .filter(column.eq(value.clone()))
            .select_only()
            .column(case_study::Column::Id)
            .into_tuple::<i32>()
            .one(db)
            .await?
            .is_some();
        if exists {
            add(field, value.clone());
        } else {
            notices.push(FilterNotice::new(
                field,
                value,
                format!(
                    "{label}「{}」の事例はないため、この条件は無視しました。",
                    shorten(value)
                ),
            ));
        }
    }
    if let Some(kind) = filter.org_kind {
        add("org_kind", kind.as_str().to_owned());
    }
    if let Some(wanted) = &filter.prefecture {
        match prefectures
            .iter()
            .find(|p| &p.name == wanted || &p.code == wanted)
        {
            Some(p) => add("prefecture", p.code.clone()),
            None => notices.push(FilterNotice::new(
                "prefecture",
                wanted,
                format!(
                    "都道府県「{}」は見つからないため、この条件は無視しました。",
                    shorten(wanted)
                ),
            )),
        }
    }
    if let Some(size) = filter.size {
        add("size", size.as_str().to_owned());
    }
    Ok(filters)
}

/// Loads the cases of the hits and pairs them with their highlights, keeping the
/// hits' order. A hit whose case has since left the database is skipped.
async fn hits_with_cases(
    db: &impl ConnectionTrait,
    result: &SearchResult,
    pref_names: &HashMap<&str, &str>,
) -> Result<Vec<CaseHit>, CaseError> {
    let slugs: Vec<String> = result.hits.iter().map(|h| h.id.clone()).collect();
    let mut models: HashMap<String, case_study::Model> = case_study::Entity::find()
        .filter(case_study::Column::Slug.is_in(slugs))
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.slug.clone(), m))
        .collect();
    Ok(result
        .hits
        .iter()
        .filter_map(|hit| {
            let model = models.remove(&hit.id)?;
            Some(CaseHit {
                case: summary_of(&model, pref_names),
                score: hit.score,
                title_highlight: hit.title.clone(),
                snippet: hit.snippet.clone(),
                partial: hit.partial,
            })
        })
        .collect())
}

/// Facet counts with labels, in display order; a chosen value is always listed.
fn facets(
    result: &SearchResult,
    filters: &[FacetFilter],
    pref_names: &HashMap<&str, &str>,
) -> CaseFacets {
    let values = |dimension: &str| -> Vec<(String, u64)> {
        let mut values = result.facets.get(dimension).cloned().unwrap_or_default();
        for filter in filters.iter().filter(|f| f.dimension == dimension) {
            if !values.iter().any(|(v, _)| *v == filter.value) {
                values.push((filter.value.clone(), 0));
            }
        }
        values
    };
    let by_count = |dimension: &str| {
        let mut list: Vec<FacetValue> = values(dimension)
            .into_iter()
            .map(|(value, count)| FacetValue {
                label: value.clone(),
                value,
                count,
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        list
    };
    let in_order = |dimension: &str, order: &[(&str, &str)]| {
        let counts: HashMap<String, u64> = values(dimension).into_iter().collect();
        order
            .iter()
            .filter_map(|(value, label)| {
                counts.get(*value).map(|count| FacetValue {
                    value: (*value).to_owned(),
                    label: (*label).to_owned(),
                    count: *count,
                })
            })
            .collect::<Vec<_>>()
    };
    let kinds: Vec<(&str, &str)> = OrgKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect();
    let sizes: Vec<(&str, &str)> = SizeBand::ALL
        .iter()
        .map(|b| (b.as_str(), b.label()))
        .collect();
    let mut prefecture: Vec<(String, u64)> = values("prefecture");
    prefecture.sort();
    CaseFacets {
        section: by_count("section"),
        subsection: by_count("subsection"),
        org_kind: in_order("org_kind", &kinds),
        prefecture: prefecture
            .into_iter()
            .filter_map(|(code, count)| {
                pref_names.get(code.as_str()).map(|name| FacetValue {
                    value: (*name).to_owned(),
                    label: (*name).to_owned(),
                    count,
                })
            })
            .collect(),
        size: in_order("size", &sizes),
    }
}

/// Fetches one published case by slug.
pub async fn get(db: &impl ConnectionTrait, slug: &str) -> Result<CaseDetail, CaseError> {
    let model = case_study::Entity::find()
        .filter(case_study::Column::Slug.eq(slug))
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .one(db)
        .await?
        .ok_or_else(|| CaseError::NotFound(shorten(slug)))?;
    let prefecture = match &model.prefecture_code {
        Some(code) => prefecture::Entity::find_by_id(code.clone()).one(db).await?,
        None => None,
    };
    let names: HashMap<&str, &str> = prefecture
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    Ok(detail_of(&model, &names))
}

/// The search document of a case.
pub fn search_document(model: &case_study::Model, prefecture_name: Option<&str>) -> SearchDoc {
    let mut facets = vec![
        ("section".to_owned(), model.section.clone()),
        ("org_kind".to_owned(), model.org_kind.clone()),
    ];
    if let Some(sub) = &model.subsection {
        facets.push(("subsection".to_owned(), sub.clone()));
    }
    if let Some(code) = &model.prefecture_code {
        facets.push(("prefecture".to_owned(), code.clone()));
    }
    if let Some(n) = model.staff_count.and_then(|n| u32::try_from(n).ok()) {
        facets.push(("size".to_owned(), SizeBand::of(n).as_str().to_owned()));
    }
    let org_kind = OrgKind::parse(&model.org_kind).map_or("", OrgKind::label);
    let org = [
        model.organisation.as_str(),
        prefecture_name.unwrap_or_default(),
        org_kind,
    ]
    .join(" ");
    let body = [
        model.section.as_str(),
        model.subsection.as_deref().unwrap_or_default(),
        &model.effects.0.join("\n"),
        model.contact_department.as_deref().unwrap_or_default(),
    ]
    .join("\n");
    SearchDoc {
        kind: KIND,
        id: model.slug.clone(),
        order: u64::try_from(model.id).unwrap_or_default(),
        recency: 0,
        title: model.title.clone(),
        org,
        summary: model.summary.clone(),
        points: model.points.0.join("\n"),
        body,
        card: String::new(),
        facets,
    }
}

/// The search documents of every published case.
pub async fn search_documents(db: &impl ConnectionTrait) -> Result<Vec<SearchDoc>, DbErr> {
    let names: HashMap<String, String> = prefecture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect();
    Ok(case_study::Entity::find()
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .order_by_asc(case_study::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| {
            let name = m.prefecture_code.as_ref().and_then(|c| names.get(c));
            search_document(m, name.map(String::as_str))
        })
        .collect())
}

/// Number of published cases.
pub async fn published_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    case_study::Entity::find()
        .filter(case_study::Column::Status.eq(STATUS_PUBLISHED))
        .count(db)
        .await
}

/// Replaces the indexed cases with the published cases of the database.
pub async fn reindex(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl FnMut(u64) + Send + 'static,
) -> Result<u64, CaseError> {
    let docs = search_documents(db).await?;
    let index = index.clone();
    Ok(tokio::task::spawn_blocking(move || index.replace_kind(KIND, docs, progress)).await??)
}

/// Re-indexes the given cases from the database (removing those no longer published).
pub async fn refresh(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    slugs: &[String],
) -> Result<(), CaseError> {
    let wanted: HashSet<&str> = slugs.iter().map(String::as_str).collect();
    let docs: Vec<SearchDoc> = search_documents(db)
        .await?
        .into_iter()
        .filter(|d| wanted.contains(d.id.as_str()))
        .collect();
    let present: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let removed: Vec<(String, String)> = slugs
        .iter()
        .filter(|s| !present.contains(s.as_str()))
        .map(|s| (KIND.to_owned(), s.clone()))
        .collect();
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.upsert(&docs, &removed)).await??;
    Ok(())
}

fn summary_of(model: &case_study::Model, pref_names: &HashMap<&str, &str>) -> CaseSummary {
    let staff_count = model.staff_count.and_then(|n| u32::try_from(n).ok());
    CaseSummary {
        slug: model.slug.clone(),
        title: model.title.clone(),
        organisation: model.organisation.clone(),
        prefecture: model
            .prefecture_code
            .as_deref()
            .and_then(|code| pref_names.get(code))
            .map(|name| (*name).to_owned()),
        org_kind: OrgKind::parse(&model.org_kind).unwrap_or(OrgKind::National),
        staff_count,
        size_band: staff_count.map(SizeBand::of),
        section: model.section.clone(),
        subsection: model.subsection.clone(),
        summary: model.summary.clone(),
    }
}

fn detail_of(model: &case_study::Model, pref_names: &HashMap<&str, &str>) -> CaseDetail {
    let contact = (model.contact_department.is_some()
        || model.contact_tel.is_some()
        || model.contact_email.is_some())
    .then(|| CaseContact {
        department: model.contact_department.clone(),
        tel: model.contact_tel.clone(),
        email: model.contact_email.clone(),
    });
    CaseDetail {
        summary: summary_of(model, pref_names),
        points: model.points.0.clone(),
        effects: model.effects.0.clone(),
        contact,
        source: CaseSource {
            file: model.source_file.clone(),
            title: model.source_title.clone(),
            page: model.page.and_then(|p| u32::try_from(p).ok()),
            page_note: model.page_note.clone(),
        },
    }
}
