//! The server functions of the advisors pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::advisors`].

use crate::api::advisors::*;

/// Searches the bank for the bank page.
#[leptos::server(endpoint = "advisors/list", input = leptos::server_fn::codec::Json)]
pub async fn list_advisors(
    params: AdvisorListParams,
) -> Result<AdvisorList, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::search::list_for(
        &state.db,
        &state.search,
        &auth,
        &params,
        crate::services::advisors::search::PER_PAGE,
    )
    .await
}

/// One advisor for the profile page, with the caller's visibility.
#[leptos::server(endpoint = "advisors/get", input = leptos::server_fn::codec::Json)]
pub async fn get_advisor(
    id: crate::domain::ids::AdvisorId,
) -> Result<AdvisorProfile, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::profile_for(&state.db, &auth, id).await
}

/// The profile form's data: a new profile (`id` none, 県管理者) or a stored one.
#[leptos::server(endpoint = "advisors/form", input = leptos::server_fn::codec::Json)]
pub async fn advisor_form(
    id: Option<crate::domain::ids::AdvisorId>,
) -> Result<AdvisorFormData, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::views::form_for(&state.db, &auth, id).await
}

/// The bank's profiles for its 県管理者, by status.
#[leptos::server(endpoint = "advisors/admin_list", input = leptos::server_fn::codec::Json)]
pub async fn admin_advisors(
    status: Option<String>,
    page: Option<String>,
) -> Result<AdvisorAdminList, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::views::admin_list(
        &state.db,
        &auth,
        status.as_deref(),
        page.as_deref(),
    )
    .await
}

/// Ranks the bank's advisors for the match page.
#[leptos::server(endpoint = "advisors/rank", input = leptos::server_fn::codec::Json)]
pub async fn match_advisors(
    request: MatchRequest,
) -> Result<MatchResponse, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::matching::match_for(&state.db, &state.search, &auth, &request).await
}

/// The match form's choices for the signed-in caller.
#[leptos::server(endpoint = "advisors/match_choices", input = leptos::server_fn::codec::Json)]
pub async fn match_choices() -> Result<MatchFormChoices, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::advisors::matching::choices_for(&state.db, &auth).await
}
