//! Municipality reference data shapes.

use crate::domain::local_gov::LocalGovCode;
use serde::{Deserialize, Serialize};

use crate::domain::local_gov::MunicipalityKind;

/// A municipality as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityItem {
    /// 全国地方公共団体コード (6 digits).
    pub code: LocalGovCode,
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
    pub code: LocalGovCode,
    /// Name, e.g. 高知県.
    pub name: String,
    /// Full-width katakana reading.
    pub kana: String,
    /// Number of municipalities.
    pub municipalities: u64,
}
