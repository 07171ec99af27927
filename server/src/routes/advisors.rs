//! `GET /api/advisors`, `GET /api/advisors/{id}`, `POST /api/advisors/match`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};

use app::api::advisors::{
    AdvisorList, AdvisorListParams, AdvisorProfile, MatchRequest, MatchResponse,
};
use app::auth::RequestAuth;
use app::error::AppError;
use app::services::{advisor_matching, advisor_search, advisors};
use app::state::AppState;

/// One advisor profile; contact details and availability only for the bank's
/// local-government users and the advisor themselves.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<AdvisorProfile>, AppError> {
    Ok(Json(advisors::profile_for(&state.db, &auth, id).await?))
}

/// Faceted search of the bank (public fields only).
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<AdvisorListParams>, QueryRejection>,
) -> Result<Json<AdvisorList>, AppError> {
    let Query(params) = query.map_err(super::bad_query)?;
    Ok(Json(
        advisor_search::list(&state.db, &state.search, &params, advisor_search::PER_PAGE).await?,
    ))
}

/// Ranks the bank's advisors for a municipality's need, each with its reasons.
pub async fn match_need(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<MatchRequest>, JsonRejection>,
) -> Result<Json<MatchResponse>, AppError> {
    let Json(request) = body.map_err(super::bad_json)?;
    Ok(Json(
        advisor_matching::match_for(&state.db, &state.search, &auth, &request).await?,
    ))
}

/// The months an advisor is available, as `PUT /api/advisors/{id}/availability` takes them.
#[derive(Debug, serde::Deserialize)]
pub struct Availability {
    months: Vec<String>,
}

/// Replaces an advisor's available months (the advisor, or the bank's 県管理者).
pub async fn set_availability(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<Availability>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(body) = body.map_err(super::bad_json)?;
    let months =
        advisors::set_availability_for(&state.db, &state.search, &auth, id, &body.months).await?;
    Ok(Json(serde_json::json!({ "months": months })))
}
