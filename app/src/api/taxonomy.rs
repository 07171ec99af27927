//! The advisor bank's vocabularies as the 県管理者's page and the JSON API see them.

use serde::{Deserialize, Serialize};

/// A term as the 県管理者's vocabulary page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRow {
    /// Vocabulary.
    pub kind: String,
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Display position.
    pub sort_order: i32,
    /// Offered in forms and facets.
    pub active: bool,
    /// Profiles using it.
    pub used: u64,
    /// A shared term of every prefecture: read-only for a 県管理者 (changed by the
    /// deployment's system administrator); `false` for the prefecture's own terms.
    pub shared: bool,
}

/// Changes to a term; a field left out keeps its value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermChange {
    /// New label.
    #[serde(default)]
    pub label: Option<String>,
    /// New display position.
    #[serde(default)]
    pub sort_order: Option<String>,
    /// Offered or withdrawn (existing profiles keep it).
    #[serde(default)]
    pub active: Option<bool>,
}
