//! `GET /api/municipalities`, `GET /api/prefectures`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use app::api::municipalities::{MunicipalityItem, PrefectureItem};
use app::error::AppError;
use app::services::municipalities;
use app::state::AppState;

use super::bad_query;

/// Query of the municipality list.
#[derive(Debug, Deserialize)]
pub struct MunicipalityQuery {
    /// Prefecture name (高知県) or code; all municipalities when absent.
    prefecture: Option<String>,
}

/// A list with its length.
#[derive(Debug, Serialize)]
pub struct Listing<T> {
    total: usize,
    items: Vec<T>,
}

impl<T> From<Vec<T>> for Listing<T> {
    fn from(items: Vec<T>) -> Self {
        Self {
            total: items.len(),
            items,
        }
    }
}

/// Municipalities of a prefecture, in code order.
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<MunicipalityQuery>, QueryRejection>,
) -> Result<Json<Listing<MunicipalityItem>>, AppError> {
    let Query(query) = query.map_err(bad_query)?;
    let items = municipalities::list(&state.db, query.prefecture.as_deref()).await?;
    Ok(Json(items.into()))
}

/// All prefectures with their number of municipalities.
pub async fn prefectures(
    State(state): State<AppState>,
) -> Result<Json<Listing<PrefectureItem>>, AppError> {
    Ok(Json(municipalities::prefectures(&state.db).await?.into()))
}
