//! `GET /api/advisors`, `GET /api/advisors/{id}`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use app::api::advisors::{AdvisorList, AdvisorListParams, AdvisorProfile};
use app::auth::RequestAuth;
use app::error::AppError;
use app::services::advisor_search;
use app::services::advisors;
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
