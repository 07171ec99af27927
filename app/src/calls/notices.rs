//! The server functions of the お知らせ pages. Data shapes live in
//! [`crate::api::notices`].

use crate::error::AppError;

/// The notices the caller sent or received.
#[leptos::server(endpoint = "notices/list", input = leptos::server_fn::codec::Json)]
pub async fn load_notices() -> Result<crate::api::notices::NoticeList, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::notices::list_for(&state.db, &auth).await
}

/// One notice with who read it.
#[leptos::server(endpoint = "notices/get", input = leptos::server_fn::codec::Json)]
pub async fn load_notice(id: i32) -> Result<crate::api::notices::NoticeView, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::notices::view_for(&state.db, &auth, id).await
}
