//! The advisor bank's vocabularies: loaded from `reference/advisor_taxonomy.json`,
//! then owned by the prefecture (a re-seed adds new terms but never overwrites a
//! label an administrator edited).

use std::collections::BTreeMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::entities::taxonomy_term;
use crate::services::reference_data::ImportReport;

/// The vocabularies, in the order forms and facets show them.
pub const KINDS: [&str; 6] = [
    "jinzaizo",
    "role",
    "specialty",
    "qualification",
    "programme",
    "engagement",
];

/// A term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Vocabulary.
    pub kind: String,
    /// Stable code.
    pub code: String,
    /// Japanese label.
    pub label: String,
}

/// Why the taxonomy file was refused.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    /// Not the expected JSON shape.
    #[error("{file}: JSON として読めません: {detail}")]
    Json {
        /// File name.
        file: String,
        /// Parser message.
        detail: String,
    },
    /// A vocabulary the product does not know.
    #[error("{file}: 語彙「{kind}」はありません。使えるのは {known} です。")]
    UnknownKind {
        /// File name.
        file: String,
        /// The kind found.
        kind: String,
        /// The kinds allowed.
        known: String,
    },
    /// An empty or duplicated code.
    #[error("{file}: 語彙「{kind}」のコード「{code}」が空か重複しています。")]
    BadCode {
        /// File name.
        file: String,
        /// Vocabulary.
        kind: String,
        /// The code.
        code: String,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Parses the taxonomy file: an object of vocabularies, each a list of `[code, label]`
/// pairs (keys starting with `_` are comments).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Term>, TaxonomyError> {
    let json: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| TaxonomyError::Json {
            file: file.to_owned(),
            detail: e.to_string(),
        })?;
    let mut terms = Vec::new();
    for (kind, value) in json.into_iter().filter(|(k, _)| !k.starts_with('_')) {
        if !KINDS.contains(&kind.as_str()) {
            return Err(TaxonomyError::UnknownKind {
                file: file.to_owned(),
                kind,
                known: KINDS.join(", "),
            });
        }
        let pairs: Vec<(String, String)> =
            serde_json::from_value(value).map_err(|e| TaxonomyError::Json {
                file: file.to_owned(),
                detail: format!("{kind}: {e}"),
            })?;
        let mut seen = std::collections::HashSet::new();
        for (code, label) in pairs {
            let code = code.trim().to_owned();
            if code.is_empty() || !seen.insert(code.clone()) {
                return Err(TaxonomyError::BadCode {
                    file: file.to_owned(),
                    kind,
                    code,
                });
            }
            terms.push(Term {
                kind: kind.clone(),
                code,
                label: label.trim().to_owned(),
            });
        }
    }
    Ok(terms)
}

/// Adds the terms that do not exist yet, in one transaction; existing terms keep
/// their (possibly edited) label.
pub async fn import(db: &DatabaseConnection, terms: &[Term]) -> Result<ImportReport, DbErr> {
    let txn = db.begin().await?;
    let existing: std::collections::HashSet<(String, String)> = taxonomy_term::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| (t.kind, t.code))
        .collect();
    let mut report = ImportReport::default();
    let mut order: BTreeMap<&str, i32> = BTreeMap::new();
    for term in terms {
        let position = order.entry(term.kind.as_str()).or_insert(0);
        *position += 1;
        if existing.contains(&(term.kind.clone(), term.code.clone())) {
            report.unchanged += 1;
            continue;
        }
        taxonomy_term::Entity::insert(taxonomy_term::ActiveModel {
            kind: Set(term.kind.clone()),
            code: Set(term.code.clone()),
            label: Set(term.label.clone()),
            sort_order: Set(*position),
            active: Set(true),
        })
        .exec_without_returning(&txn)
        .await?;
        report.inserted += 1;
    }
    txn.commit().await?;
    Ok(report)
}

/// Label of every term (active or not), by `(kind, code)`.
pub async fn labels(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<(String, String), String>, DbErr> {
    Ok(taxonomy_term::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.code), t.label))
        .collect())
}

/// The active terms of every vocabulary, in display order.
pub async fn active_terms(db: &impl ConnectionTrait) -> Result<Vec<Term>, DbErr> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Active.eq(true))
        .order_by_asc(taxonomy_term::Column::Kind)
        .order_by_asc(taxonomy_term::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|t| Term {
            kind: t.kind,
            code: t.code,
            label: t.label,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_taxonomy_parses_with_every_vocabulary() {
        let bytes = include_bytes!("../../../reference/advisor_taxonomy.json");
        let terms = parse("advisor_taxonomy.json", bytes).expect("parses");
        for kind in KINDS {
            assert!(terms.iter().any(|t| t.kind == kind), "{kind}");
        }
        let jinzaizo: Vec<&str> = terms
            .iter()
            .filter(|t| t.kind == "jinzaizo")
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(jinzaizo, ["高度専門人材", "DX推進リーダー", "一般行政職員"]);
    }

    #[test]
    fn an_unknown_vocabulary_or_a_duplicated_code_is_refused_by_name() {
        let unknown = parse("t.json", r#"{"hobby": [["go", "囲碁"]]}"#.as_bytes());
        assert!(
            matches!(unknown, Err(TaxonomyError::UnknownKind { ref kind, .. }) if kind == "hobby")
        );
        let duplicate = parse("t.json", br#"{"role": [["pm", "a"], ["pm", "b"]]}"#);
        assert!(matches!(duplicate, Err(TaxonomyError::BadCode { ref code, .. }) if code == "pm"));
    }
}
