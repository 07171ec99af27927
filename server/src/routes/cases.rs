//! `GET /api/cases`, `GET /api/cases/{slug}`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};

use app::api::cases::{CaseDetail, CaseList};
use app::domain::case_query::CaseListParams;
use app::error::AppError;
use app::services::cases;
use app::state::AppState;

use super::bad_query;

/// Lists cases. Unlike the page, the API refuses values it cannot use (400 naming
/// the parameter) instead of ignoring them.
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<CaseListParams>, QueryRejection>,
) -> Result<Json<CaseList>, AppError> {
    let Query(params) = query.map_err(bad_query)?;
    let list = cases::list(&state.db, &state.search, &params, cases::PER_PAGE).await?;
    if let Some(notice) = list.notices.first() {
        return Err(AppError::invalid(
            notice.field.clone(),
            format!(
                "パラメータ {} の値「{}」は使えません。",
                notice.field, notice.value
            ),
        ));
    }
    Ok(Json(list))
}

/// The API refuses what the pages would ignore: the first notice becomes a 400
/// naming its parameter. Overlong search text is not refused: it is searched cut
/// short, as plain text.
pub fn refuse_notices(list: &CaseList) -> Result<(), AppError> {
    match list.notices.iter().find(|n| n.field != "q") {
        Some(notice) => Err(AppError::invalid(
            notice.field.clone(),
            format!(
                "パラメータ {} の値「{}」は使えません。",
                notice.field, notice.value
            ),
        )),
        None => Ok(()),
    }
}

/// One case by slug, or 404.
pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<CaseDetail>, AppError> {
    Ok(Json(cases::get(&state.db, &slug).await?))
}
