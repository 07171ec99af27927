//! The server functions of the taxonomy pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::taxonomy`].

use crate::api::taxonomy::*;

/// Every term with its use count, for the 県管理者's vocabulary page.
#[leptos::server(endpoint = "taxonomy/list", input = leptos::server_fn::codec::Json)]
pub async fn list_terms() -> Result<Vec<TermRow>, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::taxonomy::rows_for(&state.db, &auth).await
}
