//! The server function of the webhook admin page. Data shapes live in
//! [`crate::api::webhooks`].

use crate::error::AppError;

/// The prefecture's webhooks with their latest deliveries.
#[leptos::server(endpoint = "webhooks/page", input = leptos::server_fn::codec::Json)]
pub async fn load_webhooks() -> Result<crate::api::webhooks::WebhookPage, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::webhooks::page_for(&state.db, &auth).await
}
