//! The server functions of the home pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::home`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::home::*;
use crate::error::AppError;

/// A municipality's page, for its own staff and its prefecture's office.
#[server(endpoint = "home/municipality", input = Json)]
pub async fn municipality_home(code: String) -> Result<MunicipalityPage, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::home::municipality_for(&state.db, &auth, &code).await
}

/// The overview of the caller's prefecture.
#[server(endpoint = "home/prefecture", input = Json)]
pub async fn prefecture_home() -> Result<PrefectureOverview, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::home::prefecture_for(&state.db, &auth).await
}

/// The front page of the caller.
#[server(endpoint = "home/front", input = Json)]
pub async fn front_page() -> Result<Home, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::home::front_for(&state.db, &auth).await
}
