//! `GET/POST /api/accounts`, `GET/PATCH /api/accounts/{id}`,
//! `POST /api/accounts/{id}/revoke-sessions`, `GET /api/audit`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

use app::api::accounts::{AccountQuery, AccountView, NewAccountInput};
use app::api::audit::{AuditPage, AuditQuery};
use app::auth::RequestAuth;
use app::domain::ids::AccountId;
use app::error::AppError;
use app::services::{accounts, audit};
use app::state::AppState;

use super::{bad_json, bad_query};

/// Accounts the caller may list.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<AccountQuery>, QueryRejection>,
) -> Result<Json<Vec<AccountView>>, AppError> {
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(accounts::list_for(&state.db, &auth, &query).await?))
}

/// Creates an account in the caller's prefecture: 201.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<NewAccountInput>, JsonRejection>,
) -> Result<(StatusCode, Json<AccountView>), AppError> {
    let Json(input) = body.map_err(bad_json)?;
    let view = accounts::create_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One account.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let view = accounts::get_for(&state.db, &auth, id).await?;
    Ok((super::etag(view.version), Json(view)).into_response())
}

/// What may change on an account through the API.
#[derive(Debug, Deserialize)]
pub struct AccountChange {
    active: bool,
}

/// Deactivates or reactivates an account. With `If-Match` (or `version` in the
/// body) a change made from an older copy gets 409.
pub async fn update(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
    headers: axum::http::HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    auth.signed_in()?;
    let Json(body) = body.map_err(bad_json)?;
    let expected = super::expected_version(&headers, Some(&body))?;
    let change: AccountChange = super::json_as(body)?;
    let view = accounts::set_active_for(&state.db, &auth, id, change.active, expected).await?;
    Ok((super::etag(view.version), Json(view)).into_response())
}

/// Ends every session of an account.
pub async fn revoke_sessions(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
) -> Result<Json<serde_json::Value>, AppError> {
    let ended = accounts::revoke_sessions_for(&state.db, &auth, id).await?;
    Ok(Json(serde_json::json!({ "sessions_ended": ended })))
}

/// The caller's prefecture's audit log as CSV, with the page's filters.
pub async fn audit_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<axum::response::Response, AppError> {
    let prefecture = audit::readable_prefecture(&auth)?;
    let Query(query) = query.map_err(bad_query)?;
    let bytes = audit::export_csv(&state.db, &prefecture, &query).await?;
    Ok(super::csv_download("audit-log.csv", bytes))
}

/// The caller's prefecture's audit log.
pub async fn audit_log(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, AppError> {
    let prefecture = audit::readable_prefecture(&auth)?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(audit::list(&state.db, &prefecture, &query).await?))
}
