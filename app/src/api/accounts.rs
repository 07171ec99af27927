//! Accounts as pages and the JSON API see them, and the server functions of the
//! account pages.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::account::{Actor, Role};
use crate::error::AppError;

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Account id.
    pub id: i32,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Japanese label of the role.
    pub role_label: String,
    /// 団体コード of the prefecture.
    pub prefecture: String,
    /// Name of the prefecture.
    pub prefecture_name: String,
    /// 団体コード of the municipality (municipal staff).
    pub municipality: Option<String>,
    /// Name of the municipality.
    pub municipality_name: Option<String>,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    /// Creation time (JST, `YYYY-MM-DD HH:MM`).
    pub created_at: String,
    /// Last sign-in (JST), if any.
    pub last_login_at: Option<String>,
    /// Row version: send it back (`If-Match` or `version`) so that a change made
    /// from an older copy is refused instead of overwriting a newer one.
    pub version: i32,
}

/// Filters of the account list (all optional; strings as typed in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountQuery {
    /// 団体コード of a municipality.
    pub municipality: Option<String>,
    /// Role wire form.
    pub role: Option<String>,
    /// `active` or `inactive`.
    pub status: Option<String>,
}

/// The fields of the account creation form and of `POST /api/accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccountInput {
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role wire form.
    pub role: String,
    /// 団体コード of the municipality (required for `muni_staff`).
    #[serde(default)]
    pub municipality: Option<String>,
    /// 団体コード of the prefecture; defaults to the administrator's own.
    #[serde(default)]
    pub prefecture: Option<String>,
    /// Initial password (the person changes it after signing in).
    pub password: String,
}

/// The signed-in person (if any) and the CSRF token forms must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The signed-in person.
    pub actor: Option<Actor>,
    /// Token for the hidden `csrf_token` field of every form.
    pub csrf_token: String,
}

/// Who is signed in; every page's header reads this.
#[server(endpoint = "session/current", input = Json)]
pub async fn current_session() -> Result<SessionInfo, AppError> {
    let auth = crate::auth::RequestAuth::from_context();
    Ok(SessionInfo {
        actor: auth.actor,
        csrf_token: auth.csrf_token,
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
pub async fn get_account(id: i32) -> Result<AccountView, AppError> {
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
