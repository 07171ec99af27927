//! The advisor bank's JSON API: search, profiles, matching, editing, status,
//! photos and CSV.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::api::advisors::{
    AdvisorList, AdvisorListParams, AdvisorProfile, MatchRequest, MatchResponse,
};
use app::auth::RequestAuth;
use app::domain::advisor::edit::AdvisorPatch;
use app::domain::ids::AdvisorId;
use app::error::AppError;
use app::services::advisors::{
    self, csv as advisor_csv, matching as advisor_matching, profiles as advisor_profiles,
    search as advisor_search,
};
use app::state::AppState;

/// One advisor profile; contact details and availability only for the bank's
/// local-government users and the advisor themselves.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
) -> Result<Response, AppError> {
    let profile = advisors::profile_for(&state.db, &auth, id).await?;
    Ok((super::etag(profile.version), Json(profile)).into_response())
}

/// Faceted search of the bank (public fields only).
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<AdvisorListParams>, QueryRejection>,
) -> Result<Json<AdvisorList>, AppError> {
    let Query(params) = query.map_err(super::bad_query)?;
    Ok(Json(
        advisor_search::list_for(
            &state.db,
            &state.search,
            &auth,
            &params,
            advisor_search::PER_PAGE,
        )
        .await?,
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
    Path(id): Path<AdvisorId>,
    body: Result<Json<Availability>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(body) = body.map_err(super::bad_json)?;
    let months =
        advisor_profiles::set_availability_for(&state.db, &state.search, &auth, id, &body.months)
            .await?;
    Ok(Json(serde_json::json!({ "months": months })))
}

/// Creates a profile in the caller's bank (its 県管理者); it starts as a draft.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<AdvisorPatch>, JsonRejection>,
) -> Result<(StatusCode, Json<AdvisorProfile>), AppError> {
    let Json(patch) = body.map_err(super::bad_json)?;
    let id = advisor_profiles::create_for(&state.db, &state.search, &auth, &patch).await?;
    Ok((
        StatusCode::CREATED,
        Json(advisors::profile_for(&state.db, &auth, id).await?),
    ))
}

/// Changes the fields sent (the bank's 県管理者: any; the advisor: their own).
/// With `If-Match` (or `version` in the body) an edit of an older copy gets 409.
pub async fn update(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, AppError> {
    auth.signed_in()?;
    let Json(body) = body.map_err(super::bad_json)?;
    let expected = super::expected_version(&headers, Some(&body))?;
    let patch: AdvisorPatch = super::json_as(body)?;
    let changed =
        advisor_profiles::update_for(&state.db, &state.search, &auth, id, &patch, expected).await?;
    let profile = advisors::profile_for(&state.db, &auth, id).await?;
    Ok((
        super::etag(profile.version),
        Json(serde_json::json!({ "changed": changed, "profile": profile })),
    )
        .into_response())
}

/// The status a profile is given, as `PUT /api/advisors/{id}/status` takes it.
#[derive(Debug, serde::Deserialize)]
pub struct StatusBody {
    status: String,
}

/// Publishes, unpublishes or retires a profile (the bank's 県管理者).
pub async fn set_status(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    body: Result<Json<StatusBody>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(body) = body.map_err(super::bad_json)?;
    let status =
        advisor_profiles::set_status_for(&state.db, &state.search, &auth, id, &body.status).await?;
    Ok(Json(serde_json::json!({ "status": status })))
}

/// The account a profile is linked to, as `PUT /api/advisors/{id}/account` takes it.
#[derive(Debug, serde::Deserialize)]
pub struct AccountBody {
    #[serde(default)]
    email: Option<String>,
}

/// Links the profile to an advisor account (empty or null email: unlinks).
pub async fn link_account(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    body: Result<Json<AccountBody>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(body) = body.map_err(super::bad_json)?;
    let email = advisor_profiles::link_account_for(
        &state.db,
        &auth,
        id,
        body.email.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(Json(serde_json::json!({ "account_email": email })))
}

/// Stores the photo sent as the request body (JPEG, PNG or WebP, at most 1 MB).
pub async fn put_photo(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    advisor_profiles::set_photo_for(&state.db, &auth, id, Some(&body)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the photo.
pub async fn delete_photo(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
) -> Result<StatusCode, AppError> {
    advisor_profiles::set_photo_for(&state.db, &auth, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The photo, for those who may see the profile's contact details; never cached
/// by shared caches.
pub async fn photo(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
) -> Result<Response, AppError> {
    let (content_type, bytes) = advisor_profiles::photo_for(&state.db, &auth, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The bank as CSV (UTF-8 with BOM), for its 県管理者.
pub async fn export_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Response, AppError> {
    let (name, bytes) = advisor_csv::export_for(&state.db, &auth).await?;
    Ok(super::csv_download(&name, bytes))
}

/// Imports a CSV sent as the request body (`text/csv`) into the caller's bank.
pub async fn import_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Bytes,
) -> Result<Json<serde_json::Value>, AppError> {
    let report =
        advisor_csv::import_for(&state.db, &state.search, &auth, "advisors.csv", &body).await?;
    Ok(Json(serde_json::json!({
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
    })))
}
