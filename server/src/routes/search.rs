//! `GET /api/search`: full-text search over one kind of record.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use app::api::advisors::AdvisorListParams;
use app::api::cases::{CaseFacets, FacetValue, SearchFallback};
use app::domain::case_query::CaseListParams;
use app::domain::text::escape_html as html_escape;
use app::error::AppError;
use app::services::advisors::search as advisor_search;
use app::services::cases;
use app::services::channels::search as post_search;
use app::state::AppState;

use super::bad_query;
use super::cases::refuse_notices;

/// Hits per page when `limit` is not given.
const DEFAULT_LIMIT: u32 = 20;

/// Query of `/api/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
    limit: Option<String>,
    page: Option<String>,
    section: Option<String>,
    subsection: Option<String>,
    org_kind: Option<String>,
    prefecture: Option<String>,
    size: Option<String>,
    jinzaizo: Option<String>,
    role: Option<String>,
    specialty: Option<String>,
    qualification: Option<String>,
    region: Option<String>,
    mode: Option<String>,
    programme: Option<String>,
    available: Option<String>,
    sort: Option<String>,
    channel: Option<String>,
}

/// One hit.
#[derive(Debug, Serialize)]
pub struct Hit {
    kind: &'static str,
    slug: String,
    title: String,
    score: f32,
    /// HTML: the best matching fragment (or the title) with `<mark>` around matches.
    highlight: String,
    /// A near match: some of the words are missing.
    partial: bool,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct SearchResponse {
    total: u64,
    /// Of `total`, the records with every word.
    exact_total: u64,
    page: u32,
    total_pages: u32,
    fallback: Option<SearchFallback>,
    /// When nothing was found: queries spelt like this one that find something.
    suggestions: Vec<String>,
    hits: Vec<Hit>,
    facets: BTreeMap<String, Vec<FacetValue>>,
}

/// Posts of the channels the caller reads (`kind=post`, `channel=` one of them).
async fn posts(
    state: &AppState,
    auth: &app::auth::RequestAuth,
    params: &SearchParams,
) -> Result<Json<app::api::channels::PostSearch>, AppError> {
    auth.signed_in()?;
    let number = |name: &str, value: Option<&str>| -> Result<Option<u32>, AppError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .map(Some)
                .ok_or_else(|| {
                    AppError::invalid(name, format!("{name} は 1 以上の整数で指定してください。"))
                }),
        }
    };
    let channel = number("channel", params.channel.as_deref())?.and_then(|c| i32::try_from(c).ok());
    let page = number("page", params.page.as_deref())?
        .unwrap_or(1)
        .min(500);
    Ok(Json(
        post_search::search_for(
            &state.db,
            &state.search,
            auth,
            params.q.as_deref().unwrap_or_default(),
            channel,
            page,
        )
        .await?,
    ))
}

/// Searches. `kind` is `case` (the default), `advisor` or `post`.
// Long: the parameters of the one search endpoint, each checked with its message.
pub async fn search(
    State(state): State<AppState>,
    auth: app::auth::RequestAuth,
    query: Result<Query<SearchParams>, QueryRejection>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let Query(params) = query.map_err(bad_query)?;
    let kind = match params.kind.as_deref().map(str::trim).unwrap_or(cases::KIND) {
        cases::KIND => cases::KIND,
        advisor_search::KIND => advisor_search::KIND,
        post_search::KIND => {
            return posts(&state, &auth, &params)
                .await
                .map(IntoResponse::into_response);
        }
        other => {
            return Err(AppError::invalid(
                "kind",
                format!(
                    "検索対象「{other}」はありません。case、advisor か post を指定してください。"
                ),
            ));
        }
    };
    let limit = match params.limit.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=cases::MAX_PER_PAGE).contains(n))
            .ok_or_else(|| {
                AppError::invalid(
                    "limit",
                    format!(
                        "limit は 1〜{} の整数で指定してください。",
                        cases::MAX_PER_PAGE
                    ),
                )
            })?,
    };
    if kind == advisor_search::KIND {
        return advisors(&state, &auth, params, limit)
            .await
            .map(|r| Json(r).into_response());
    }
    let case_params = CaseListParams {
        q: params.q,
        section: params.section,
        subsection: params.subsection,
        org_kind: params.org_kind,
        prefecture: params.prefecture,
        size: params.size,
        page: params.page,
    };
    let list = cases::list(&state.db, &state.search, &case_params, limit).await?;
    refuse_notices(&list)?;
    let hits = list
        .items
        .into_iter()
        .map(|item| Hit {
            kind: cases::KIND,
            highlight: if item.snippet.text.is_empty() {
                item.title_highlight.to_html()
            } else {
                item.snippet.to_html()
            },
            slug: item.case.slug,
            title: item.case.title,
            score: item.score,
            partial: item.partial,
        })
        .collect();
    let CaseFacets {
        section,
        subsection,
        org_kind,
        prefecture,
        size,
    } = list.facets;
    Ok(Json(SearchResponse {
        total: list.total,
        exact_total: list.exact_total,
        page: list.page,
        total_pages: list.total_pages,
        fallback: list.fallback,
        suggestions: list.suggestions,
        hits,
        facets: BTreeMap::from([
            ("section".to_owned(), section),
            ("subsection".to_owned(), subsection),
            ("org_kind".to_owned(), org_kind),
            ("prefecture".to_owned(), prefecture),
            ("size".to_owned(), size),
        ]),
    })
    .into_response())
}

async fn advisors(
    state: &AppState,
    auth: &app::auth::RequestAuth,
    params: SearchParams,
    limit: u32,
) -> Result<SearchResponse, AppError> {
    let list = advisor_search::list_for(
        &state.db,
        &state.search,
        auth,
        &advisor_params(params),
        limit,
    )
    .await?;
    Ok(SearchResponse {
        total: list.total,
        exact_total: list.exact_total,
        page: list.page,
        total_pages: list.total_pages,
        fallback: list.fallback,
        suggestions: list.suggestions,
        hits: list
            .items
            .into_iter()
            .map(|item| Hit {
                kind: advisor_search::KIND,
                highlight: if item.snippet.text.is_empty() {
                    html_escape(&item.name)
                } else {
                    item.snippet.to_html()
                },
                slug: item.id.to_string(),
                title: item.name,
                score: item.score,
                partial: item.partial,
            })
            .collect(),
        facets: list.facets.into_iter().collect(),
    })
}

fn advisor_params(params: SearchParams) -> AdvisorListParams {
    AdvisorListParams {
        q: params.q,
        prefecture: params.prefecture,
        jinzaizo: params.jinzaizo,
        role: params.role,
        specialty: params.specialty,
        qualification: params.qualification,
        region: params.region,
        mode: params.mode,
        programme: params.programme,
        available: params.available,
        sort: params.sort,
        page: params.page,
    }
}
