//! The server functions of the 派遣 pages: parse, let the service authorise,
//! call it. Data shapes live in [`crate::api::dispatches`].

use crate::api::dispatches::*;

/// The board of the requests the caller may see, with its filters.
#[leptos::server(endpoint = "dispatches/board", input = leptos::server_fn::codec::Json)]
pub async fn load_board(query: DispatchQuery) -> Result<DispatchBoard, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::dispatches::board_for(&state.db, &auth, &query).await
}

/// The request form of the caller's town.
#[leptos::server(endpoint = "dispatches/form", input = leptos::server_fn::codec::Json)]
pub async fn load_request_form(
    wished: Vec<i32>,
) -> Result<DispatchFormContext, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::dispatches::request_form_for(&state.db, &auth, &wished).await
}

/// One request's page.
#[leptos::server(endpoint = "dispatches/get", input = leptos::server_fn::codec::Json)]
pub async fn load_dispatch(
    id: crate::domain::ids::DispatchId,
) -> Result<DispatchPageData, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::dispatches::page_for(&state.db, &state.search, &auth, id).await
}

/// Each town's use of each programme in a 年度 (this one when none is given).
#[leptos::server(endpoint = "dispatches/usage", input = leptos::server_fn::codec::Json)]
pub async fn load_usage(fiscal_year: Option<i32>) -> Result<UsageTable, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    let year = fiscal_year
        .filter(|y| (2000..=2100).contains(y))
        .map_or_else(
            crate::services::dispatches::this_fiscal_year,
            crate::domain::wareki::FiscalYear,
        );
    crate::services::dispatches::usage_for(&state.db, &auth, year).await
}

/// The programmes of the caller's prefecture.
#[leptos::server(endpoint = "dispatches/programmes", input = leptos::server_fn::codec::Json)]
pub async fn load_programmes() -> Result<ProgrammesPage, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::dispatches::programmes_page_for(&state.db, &auth).await
}
