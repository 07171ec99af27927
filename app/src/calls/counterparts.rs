//! The server functions of the カウンターパート pages: parse, authorise through
//! the service, call it. Data shapes live in [`crate::api::counterparts`].

use crate::error::AppError;

/// The 県's overview of its towns for a 年度 (this one when none is given).
#[leptos::server(endpoint = "counterparts/overview", input = leptos::server_fn::codec::Json)]
pub async fn load_overview(
    fiscal_year: Option<i32>,
    unvisited: bool,
) -> Result<crate::api::counterparts::Overview, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    let year = fiscal_year
        .filter(|y| (2000..=2100).contains(y))
        .map_or_else(
            || crate::domain::wareki::FiscalYear::of(crate::services::today()),
            crate::domain::wareki::FiscalYear,
        );
    crate::services::counterparts::overview_for(&state.db, &auth, year, unvisited).await
}

/// The 人事異動 page, with the preview of `csv` (the CSV text the last form sent).
#[leptos::server(endpoint = "counterparts/reassign_page", input = leptos::server_fn::codec::Json)]
pub async fn load_reassign_page(
    effective: String,
    csv: String,
) -> Result<crate::api::counterparts::ReassignPage, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::counterparts::reassign_page_for(&state.db, &auth, &effective, &csv).await
}
