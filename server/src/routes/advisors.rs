//! `GET /api/advisors/{id}`.

use axum::Json;
use axum::extract::{Path, State};

use app::api::advisors::AdvisorProfile;
use app::auth::RequestAuth;
use app::error::AppError;
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
