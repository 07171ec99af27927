//! The advisor bank's vocabularies: `GET /api/taxonomy` (everyone: the labels the
//! bank uses), `POST /api/taxonomy` and `PATCH /api/taxonomy/{kind}/{code}` (a
//! 県管理者).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use app::auth::RequestAuth;
use app::error::AppError;
use app::services::taxonomy::{self, Term, TermChange, TermRow};
use app::state::AppState;

/// The active terms of every vocabulary, in display order: the shared ones, and
/// for a signed-in caller their prefecture's own.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<serde_json::Value>, AppError> {
    let prefecture = auth.actor.as_ref().map(|a| a.prefecture.as_str());
    let terms = taxonomy::active_terms(&state.db, prefecture).await?;
    Ok(Json(serde_json::json!({ "items": terms })))
}

/// A new term, as `POST /api/taxonomy` takes it.
#[derive(Debug, serde::Deserialize)]
pub struct NewTerm {
    kind: String,
    code: String,
    label: String,
}

/// Adds a term.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<NewTerm>, JsonRejection>,
) -> Result<(StatusCode, Json<Term>), AppError> {
    let Json(body) = body.map_err(super::bad_json)?;
    let term = taxonomy::add_for(
        &state.db,
        &state.search,
        &auth,
        &body.kind,
        &body.code,
        &body.label,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(term)))
}

/// Changes a term's label, position or whether it is offered.
pub async fn update(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((kind, code)): Path<(String, String)>,
    body: Result<Json<TermChange>, JsonRejection>,
) -> Result<Json<TermRow>, AppError> {
    let Json(change) = body.map_err(super::bad_json)?;
    Ok(Json(
        taxonomy::change_for(&state.db, &state.search, &auth, &kind, &code, &change).await?,
    ))
}
