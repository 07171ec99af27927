//! The server functions of the cases pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::cases`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::cases::{CaseDetail, CaseList};
use crate::domain::case_query::CaseListParams;
use crate::error::AppError;

/// Lists cases for the case library page. Bad filter values are ignored and reported
/// in [`CaseList::notices`].
// JSON input: a URL-encoded empty struct (no filters at all) cannot be decoded.
#[server(endpoint = "cases/list", input = Json)]
pub async fn list_cases(params: CaseListParams) -> Result<CaseList, AppError> {
    let state = crate::state::AppState::from_context()?;
    crate::services::cases::list(
        &state.db,
        &state.search,
        &params,
        crate::services::cases::PER_PAGE,
    )
    .await
    .map_err(AppError::from)
}

/// Fetches one case by its slug.
#[server(endpoint = "cases/get", input = Json)]
pub async fn get_case(slug: String) -> Result<CaseDetail, AppError> {
    let state = crate::state::AppState::from_context()?;
    crate::services::cases::get(&state.db, &slug)
        .await
        .map_err(AppError::from)
}
