//! The server functions of the accounts pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::accounts`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::accounts::*;
use crate::error::AppError;

/// Who is signed in; every page's header reads this.
#[server(endpoint = "session/current", input = Json)]
pub async fn current_session() -> Result<SessionInfo, AppError> {
    let auth = crate::auth::RequestAuth::from_context();
    Ok(SessionInfo {
        actor: auth.actor,
        // Masked afresh for each response, so compressed pages do not reveal it.
        csrf_token: crate::services::passwords::masked_token(&auth.csrf_token),
    })
}

/// Accounts the caller may list: a 県管理者 sees the prefecture's, others the
/// accounts of one municipality they may see.
#[server(endpoint = "accounts/list", input = Json)]
pub async fn list_accounts(query: AccountQuery) -> Result<Vec<AccountView>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::accounts::list_for(&state.db, &auth, &query).await
}

/// One account, for its administration page.
#[server(endpoint = "accounts/get", input = Json)]
pub async fn get_account(id: crate::domain::ids::AccountId) -> Result<AccountView, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::accounts::get_for(&state.db, &auth, id).await
}

/// The municipalities of the caller's prefecture: the choices of the account form.
#[server(endpoint = "accounts/municipality_choices", input = Json)]
pub async fn municipality_choices()
-> Result<Vec<crate::api::municipalities::MunicipalityItem>, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    let actor = auth.signed_in()?;
    crate::services::municipalities::list(&state.db, Some(&actor.prefecture))
        .await
        .map_err(AppError::from)
}
