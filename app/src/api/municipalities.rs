//! Municipality reference data shapes.

use serde::{Deserialize, Serialize};

use crate::domain::local_gov::MunicipalityKind;

/// A municipality as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityItem {
    /// 全国地方公共団体コード (6 digits).
    pub code: String,
    /// Official name, e.g. 三宅町.
    pub name: String,
    /// Full-width katakana reading, e.g. ミヤケチョウ.
    pub kana: String,
    /// 市 / 町 / 村 / 特別区.
    pub kind: MunicipalityKind,
    /// Prefecture name.
    pub prefecture: String,
    /// Region (地域) inside the prefecture, when one is set.
    pub region: Option<String>,
}

/// A prefecture as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefectureItem {
    /// 全国地方公共団体コード of the prefecture.
    pub code: String,
    /// Name, e.g. 高知県.
    pub name: String,
    /// Full-width katakana reading.
    pub kana: String,
    /// Number of municipalities.
    pub municipalities: u64,
}

/// The municipalities of a prefecture (public reference data), for form choices.
#[leptos::server(endpoint = "municipalities/list", input = leptos::server_fn::codec::Json)]
pub async fn list_municipalities(
    prefecture: String,
) -> Result<Vec<MunicipalityItem>, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    crate::services::municipalities::list(&state.db, Some(&prefecture))
        .await
        .map_err(crate::error::AppError::from)
}
