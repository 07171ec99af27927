//! The server functions of the channel pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::channels`].

use crate::error::AppError;

/// The channels the caller reads.
#[leptos::server(endpoint = "channels/list", input = leptos::server_fn::codec::Json)]
pub async fn load_channels() -> Result<crate::api::channels::ChannelList, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::channels::list_for(&state.db, &auth).await
}

/// A channel's page (reading it marks its posts seen).
#[leptos::server(endpoint = "channels/get", input = leptos::server_fn::codec::Json)]
pub async fn load_channel(id: i32) -> Result<crate::api::channels::ChannelPage, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::channels::page_for(&state.db, &auth, id).await
}

/// Posts of the channels the caller reads that match `q`.
#[leptos::server(endpoint = "channels/find", input = leptos::server_fn::codec::Json)]
pub async fn find_posts(q: String) -> Result<crate::api::channels::PostSearch, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    let q: String = q.chars().take(200).collect();
    crate::services::channels::search::search_for(&state.db, &state.search, &auth, &q, None, 1)
        .await
}
