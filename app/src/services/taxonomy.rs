//! The advisor bank's vocabularies: loaded from `reference/advisor_taxonomy.json`,
//! then owned by the prefecture (a re-seed adds new terms but never overwrites a
//! label an administrator edited).

use std::collections::BTreeMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::domain::taxonomy::{
    TermError, VOCABULARIES, parse_code, parse_kind, parse_label, parse_sort_order,
};
use crate::entities::{advisor, advisor_term, taxonomy_term};
use crate::error::AppError;
use crate::services::reference_data::ImportReport;

/// The vocabularies, in the order forms and facets show them.
pub const KINDS: [&str; 6] = {
    let mut kinds = [""; 6];
    let mut i = 0;
    while i < kinds.len() {
        kinds[i] = VOCABULARIES[i].0;
        i += 1;
    }
    kinds
};

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
            prefecture_code: Set(None),
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

/// Terms a bank may use: the shared ones and its prefecture's own (`None`:
/// the shared ones only).
fn of_bank(prefecture: Option<&str>) -> sea_orm::Condition {
    let shared = sea_orm::Condition::any().add(taxonomy_term::Column::PrefectureCode.is_null());
    match prefecture {
        Some(code) => shared.add(taxonomy_term::Column::PrefectureCode.eq(code)),
        None => shared,
    }
}

/// The active terms of every vocabulary a bank may use (the shared ones and its
/// prefecture's own; `None`: the shared ones), in display order.
pub async fn active_terms(
    db: &impl ConnectionTrait,
    prefecture: Option<&str>,
) -> Result<Vec<Term>, DbErr> {
    Ok(taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Active.eq(true))
        .filter(of_bank(prefecture))
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

pub use crate::api::taxonomy::{TermChange, TermRow};

/// Why a 県管理者 cannot change a shared term.
const SHARED_TERM: &str = "共通の分類はすべての県で使われているため、ここでは変更できません。名称の変更や廃止はシステム管理者に依頼するか、県独自の項目を追加してください。";

fn authorize_change(auth: &crate::auth::RequestAuth) -> Result<String, AppError> {
    let actor = auth.signed_in()?;
    let prefecture = actor.prefecture.clone();
    auth.authorize(
        crate::domain::policy::Action::ManageTaxonomy,
        &crate::domain::policy::Resource::Prefecture {
            code: prefecture.clone(),
        },
    )?;
    Ok(String::from(prefecture))
}

fn term_error(error: TermError) -> AppError {
    AppError::invalid(error.field(), error.to_string())
}

/// Every term with how many profiles use it (the 県管理者's vocabulary page).
pub async fn rows_for(
    db: &impl ConnectionTrait,
    auth: &crate::auth::RequestAuth,
) -> Result<Vec<TermRow>, AppError> {
    let prefecture = authorize_change(auth)?;
    let mut used: std::collections::HashMap<(String, String), u64> =
        std::collections::HashMap::new();
    let counted: Vec<(String, String, i64)> = advisor_term::Entity::find()
        .select_only()
        .column(advisor_term::Column::Kind)
        .column(advisor_term::Column::Code)
        .column_as(advisor_term::Column::AdvisorId.count(), "n")
        .group_by(advisor_term::Column::Kind)
        .group_by(advisor_term::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    for (kind, code, n) in counted {
        used.insert((kind, code), u64::try_from(n).unwrap_or_default());
    }
    for (kind, column) in [
        ("jinzaizo", advisor::Column::Jinzaizo),
        ("engagement", advisor::Column::Engagement),
    ] {
        let counted: Vec<(String, i64)> = advisor::Entity::find()
            .select_only()
            .column(column)
            .column_as(advisor::Column::Id.count(), "n")
            .group_by(column)
            .into_tuple()
            .all(db)
            .await?;
        for (code, n) in counted {
            used.insert(
                (kind.to_owned(), code),
                u64::try_from(n).unwrap_or_default(),
            );
        }
    }
    let order = |kind: &str| KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len());
    let mut rows: Vec<TermRow> = taxonomy_term::Entity::find()
        .filter(of_bank(Some(&prefecture)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| TermRow {
            shared: t.prefecture_code.is_none(),
            used: used
                .get(&(t.kind.clone(), t.code.clone()))
                .copied()
                .unwrap_or_default(),
            kind: t.kind,
            code: t.code,
            label: t.label,
            sort_order: t.sort_order,
            active: t.active,
        })
        .collect();
    rows.sort_by(|a, b| {
        (order(&a.kind), a.sort_order, &a.code).cmp(&(order(&b.kind), b.sort_order, &b.code))
    });
    Ok(rows)
}

/// Adds a term of the 県管理者's own prefecture at the end of its vocabulary
/// (only that prefecture's bank offers it).
pub async fn add_for(
    db: &DatabaseConnection,
    index: &crate::search::SearchIndex,
    auth: &crate::auth::RequestAuth,
    kind: &str,
    code: &str,
    label: &str,
) -> Result<Term, AppError> {
    let prefecture = authorize_change(auth)?;
    let kind = parse_kind(kind).map_err(term_error)?;
    let code = parse_code(code).map_err(term_error)?;
    let label = parse_label(label).map_err(term_error)?;
    let existing = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Kind.eq(kind))
        .all(db)
        .await?;
    if existing.iter().any(|t| t.code == code) {
        return Err(AppError::conflict(
            "code",
            format!("コード「{code}」はこの分類に既にあります(ほかの県の項目を含みます)。"),
        ));
    }
    ensure_label_free(db, kind, &label, None, Some(&prefecture)).await?;
    let position = existing.iter().map(|t| t.sort_order).max().unwrap_or(0) + 1;
    let txn = db.begin().await?;
    taxonomy_term::Entity::insert(taxonomy_term::ActiveModel {
        kind: Set(kind.to_owned()),
        code: Set(code.clone()),
        label: Set(label.clone()),
        sort_order: Set(position),
        active: Set(true),
        prefecture_code: Set(Some(prefecture.clone())),
    })
    .exec_without_returning(&txn)
    .await?;
    crate::services::audit::record(
        &txn,
        &auth.audit(),
        crate::services::audit::AuditEvent {
            action: crate::domain::audit::AuditAction::TaxonomyChanged,
            target: Some(("taxonomy_term", format!("{kind}/{code}"))),
            prefecture: Some(prefecture),
            detail: serde_json::json!({ "added": label }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    index.forget_memos();
    Ok(Term {
        kind: kind.to_owned(),
        code,
        label,
    })
}

/// Changes a term's label, position or whether it is offered; profiles using it
/// are re-indexed so searches find the new label at once.
pub async fn change_for(
    db: &DatabaseConnection,
    index: &crate::search::SearchIndex,
    auth: &crate::auth::RequestAuth,
    kind: &str,
    code: &str,
    change: &TermChange,
) -> Result<TermRow, AppError> {
    let prefecture = authorize_change(auth)?;
    let kind = parse_kind(kind).map_err(term_error)?;
    let row = taxonomy_term::Entity::find_by_id((kind.to_owned(), code.to_owned()))
        .one(db)
        .await?
        .filter(|t| t.prefecture_code.as_ref().is_none_or(|p| *p == prefecture))
        .ok_or_else(|| AppError::not_found("この分類の項目はありません。"))?;
    if row.prefecture_code.is_none() {
        return Err(AppError::refused("code", SHARED_TERM));
    }
    apply_change(db, index, &auth.audit(), Some(prefecture), row, change).await?;
    let rows = rows_for(db, auth).await?;
    rows.into_iter()
        .find(|r| r.kind == kind && r.code == code)
        .ok_or_else(|| AppError::not_found("この分類の項目はありません。"))
}

/// Changes a shared term (the deployment's system administrator, from the command
/// line: `renkei taxonomy set`); audited without a prefecture.
pub async fn change_shared(
    db: &DatabaseConnection,
    index: &crate::search::SearchIndex,
    context: &crate::services::audit::AuditContext,
    kind: &str,
    code: &str,
    change: &TermChange,
) -> Result<(), AppError> {
    let kind = parse_kind(kind).map_err(term_error)?;
    let row = taxonomy_term::Entity::find_by_id((kind.to_owned(), code.to_owned()))
        .one(db)
        .await?
        .filter(|t| t.prefecture_code.is_none())
        .ok_or_else(|| AppError::not_found("この共通の分類の項目はありません。"))?;
    apply_change(db, index, context, None, row, change).await
}

/// Writes a change to `row` (label, position, offered), audits it and re-indexes
/// the profiles that use a relabelled term. `prefecture` is the owner's (`None`
/// for a shared term).
async fn apply_change(
    db: &DatabaseConnection,
    index: &crate::search::SearchIndex,
    context: &crate::services::audit::AuditContext,
    prefecture: Option<String>,
    row: taxonomy_term::Model,
    change: &TermChange,
) -> Result<(), AppError> {
    let (kind, code) = (row.kind.clone(), row.code.clone());
    let label = match &change.label {
        Some(label) => parse_label(label).map_err(term_error)?,
        None => row.label.clone(),
    };
    let sort_order = match &change.sort_order {
        Some(order) => parse_sort_order(order).map_err(term_error)?,
        None => row.sort_order,
    };
    let active = change.active.unwrap_or(row.active);
    let relabelled = label != row.label;
    if relabelled {
        ensure_label_free(db, &kind, &label, Some(&code), prefecture.as_deref()).await?;
    }
    let before = (row.label.clone(), row.sort_order, row.active);
    let txn = db.begin().await?;
    let mut active_model = row.into_active_model();
    active_model.label = Set(label.clone());
    active_model.sort_order = Set(sort_order);
    active_model.active = Set(active);
    active_model.update(&txn).await?;
    if relabelled {
        // Profiles using the term are indexed under its label.
        let ids = users_of(&txn, &kind, &code).await?;
        let ids: Vec<String> = if ids.len() > 2000 {
            vec![crate::services::search_index::WHOLE_KIND.to_owned()]
        } else {
            ids.iter().map(ToString::to_string).collect()
        };
        crate::services::search_index::record(&txn, crate::services::advisors::search::KIND, ids)
            .await?;
    }
    crate::services::audit::record(
        &txn,
        context,
        crate::services::audit::AuditEvent {
            action: crate::domain::audit::AuditAction::TaxonomyChanged,
            target: Some(("taxonomy_term", format!("{kind}/{code}"))),
            prefecture,
            detail: serde_json::json!({
                "label": [before.0, label],
                "sort_order": [before.1, sort_order],
                "active": [before.2, active],
            }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    index.forget_memos();
    crate::services::search_index::catch_up_or_log(db, index).await;
    Ok(())
}

/// A 409 when another term of the vocabulary (not `except`) has this label.
async fn ensure_label_free(
    db: &impl ConnectionTrait,
    kind: &str,
    label: &str,
    except: Option<&str>,
    prefecture: Option<&str>,
) -> Result<(), AppError> {
    let mut query = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::Kind.eq(kind))
        .filter(taxonomy_term::Column::Label.eq(label));
    // A shared term's label must differ from every prefecture's terms; a
    // prefecture's from the shared ones and its own.
    if let Some(prefecture) = prefecture {
        query = query.filter(of_bank(Some(prefecture)));
    }
    if let Some(code) = except {
        query = query.filter(taxonomy_term::Column::Code.ne(code));
    }
    if query.count(db).await? > 0 {
        return Err(AppError::conflict(
            "label",
            format!("名称「{label}」はこの分類に既にあります。"),
        ));
    }
    Ok(())
}

/// Ids of the advisors whose profile uses a term.
async fn users_of(db: &impl ConnectionTrait, kind: &str, code: &str) -> Result<Vec<i32>, DbErr> {
    match kind {
        "jinzaizo" | "engagement" => {
            let column = if kind == "jinzaizo" {
                advisor::Column::Jinzaizo
            } else {
                advisor::Column::Engagement
            };
            advisor::Entity::find()
                .select_only()
                .column(advisor::Column::Id)
                .filter(column.eq(code))
                .into_tuple()
                .all(db)
                .await
        }
        _ => {
            advisor_term::Entity::find()
                .select_only()
                .column(advisor_term::Column::AdvisorId)
                .filter(advisor_term::Column::Kind.eq(kind))
                .filter(advisor_term::Column::Code.eq(code))
                .into_tuple()
                .all(db)
                .await
        }
    }
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
