//! The server functions of the audit pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::audit`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::audit::*;
use crate::error::AppError;

/// The caller's prefecture's audit log (県管理者 only).
#[server(endpoint = "audit/list", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::audit::list_for(&state.db, &auth, &query).await
}
