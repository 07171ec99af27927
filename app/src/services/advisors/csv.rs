//! CSV export and import of a prefecture's advisor bank (UTF-8 with BOM, so Excel
//! opens it). An import checks every row first and writes in one transaction: a
//! bad row is reported by line number and nothing is stored.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    TransactionTrait,
};

use crate::auth::RequestAuth;
use crate::domain::advisor::AdvisorDraft;
use crate::domain::advisor::csv::{ParsedRow, column_of, header, read_row, write_row};
use crate::domain::advisor::demo::BankVocabulary;
use crate::domain::advisor::edit::{AdvisorStatus, Editor};
use crate::domain::audit::AuditAction;
use crate::entities::advisor;
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::services::advisors::profiles::{drafts_of, managed_bank};
use crate::services::advisors::search as advisor_search;
use crate::services::advisors::{self, AdvisorError};
use crate::services::audit::{self, AuditContext, AuditEvent};
use crate::services::csv_file::{line_error, read_csv};
use crate::services::reference_data::{ImportError, ImportReport};
use crate::services::search_index;

/// Above this many changed profiles the index is rebuilt rather than updated.
const REFRESH_LIMIT: usize = 2000;

/// Failures of an advisor import.
#[derive(Debug, thiserror::Error)]
pub enum AdvisorImportError {
    /// The file or a row is wrong; nothing was stored.
    #[error(transparent)]
    Input(#[from] ImportError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// The index could not follow (the database is committed; a restart rebuilds).
    #[error("search index: {0}")]
    Index(String),
}

impl From<AdvisorImportError> for AppError {
    fn from(error: AdvisorImportError) -> Self {
        match error {
            AdvisorImportError::Input(e) => AppError::invalid(
                "file",
                format!("取り込みを中止しました。データベースは変更していません。理由: {e}"),
            ),
            other => AppError::internal(other),
        }
    }
}

/// The whole bank of a prefecture (drafts and retired profiles too), by id.
pub async fn export(db: &impl ConnectionTrait, prefecture: &str) -> Result<Vec<u8>, DbErr> {
    let vocabulary = advisors::vocabulary(db, prefecture).await?;
    let rows = advisor::Entity::find()
        .filter(advisor::Column::PrefectureCode.eq(prefecture))
        .order_by_asc(advisor::Column::Id)
        .all(db)
        .await?;
    let drafts = drafts_of(db, &rows).await?;
    let lines = rows.iter().zip(&drafts).map(|(row, draft)| {
        let status = AdvisorStatus::of(row.published, row.retired);
        write_row(row.id, status, draft, &vocabulary)
    });
    crate::services::csv_file::write_csv(&header(), lines)
        .map_err(|e| DbErr::Custom(format!("CSV: {e}")))
}

/// The CSV of the caller's bank (its 県管理者), with a file name.
pub async fn export_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<(String, Vec<u8>), AppError> {
    let prefecture = managed_bank(auth)?;
    let bytes = export(db, &prefecture).await?;
    // The file carries the advisors' contact details: who took it is on record.
    audit::record(
        db,
        &auth.audit(),
        AuditEvent {
            action: AuditAction::AdvisorsExported,
            target: None,
            prefecture: Some(prefecture.clone()),
            detail: serde_json::json!({ "bytes": bytes.len() }),
        },
        None,
    )
    .await?;
    let date = Utc::now()
        .with_timezone(&audit::jst())
        .format("%Y%m%d")
        .to_string();
    Ok((format!("advisors-{prefecture}-{date}.csv"), bytes))
}

/// A checked row, ready to store.
struct Checked {
    id: Option<i32>,
    status: AdvisorStatus,
    draft: AdvisorDraft,
}

/// The stored profiles of the bank that rows name by ID, with their drafts.
type Stored = HashMap<i32, (advisor::Model, AdvisorDraft)>;

/// Imports a CSV written by [`export`] (or by hand with the same header) into a
/// prefecture's bank: rows without an ID are new profiles, rows with one replace
/// that profile. All or nothing.
pub async fn import(
    db: &DatabaseConnection,
    index: &SearchIndex,
    prefecture: &str,
    file: &str,
    data: &[u8],
    context: &AuditContext,
) -> Result<ImportReport, AdvisorImportError> {
    let vocabulary = advisors::vocabulary(db, prefecture).await?;
    let parsed = parse_rows(file, data, &vocabulary)?;
    let wanted: Vec<i32> = parsed.iter().filter_map(|(_, p)| p.id).collect();
    let mut stored = stored_profiles(db, prefecture, wanted).await?;
    let mut report = ImportReport::default();
    let checked = check_rows(file, parsed, &stored, &vocabulary, &mut report)?;

    let txn = db.begin().await?;
    let (new_ids, updated_ids) = store(&txn, prefecture, &checked, &mut stored).await?;
    report.inserted = new_ids.len() as u64;
    report.updated = updated_ids.len() as u64;
    let changed: Vec<i32> = new_ids.iter().chain(&updated_ids).copied().collect();
    if changed.len() > REFRESH_LIMIT {
        search_index::record(&txn, advisor_search::KIND, [search_index::WHOLE_KIND]).await?;
    } else {
        search_index::record(
            &txn,
            advisor_search::KIND,
            changed.iter().map(ToString::to_string),
        )
        .await?;
    }
    audit::record(
        &txn,
        context,
        AuditEvent {
            action: AuditAction::AdvisorsImported,
            target: None,
            prefecture: Some(prefecture.to_owned()),
            detail: serde_json::json!({
                "file": file,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }),
        },
        None,
    )
    .await?;
    txn.commit().await?;
    search_index::catch_up_or_log(db, index).await;
    Ok(report)
}

/// Every row of the file read against the vocabularies; an ID may appear once.
fn parse_rows(
    file: &str,
    data: &[u8],
    vocabulary: &BankVocabulary,
) -> Result<Vec<(u64, ParsedRow)>, AdvisorImportError> {
    let header = header();
    let rows = read_csv(file, data, &header)?;
    if rows.is_empty() {
        return Err(ImportError::File {
            file: file.to_owned(),
            message: "アドバイザーの行が1行もありません".into(),
        }
        .into());
    }
    let mut parsed: Vec<(u64, ParsedRow)> = Vec::with_capacity(rows.len());
    let mut seen = HashSet::new();
    for row in &rows {
        let cells: Vec<&str> = (0..header.len()).map(|i| row.field(i)).collect();
        let value = read_row(&cells, vocabulary).map_err(|e| {
            line_error(file, row.line, format!("列「{}」: {}", e.column, e.message))
        })?;
        if let Some(id) = value.id
            && !seen.insert(id)
        {
            return Err(line_error(file, row.line, format!("ID {id} が重複しています")).into());
        }
        parsed.push((row.line, value));
    }
    Ok(parsed)
}

async fn stored_profiles(
    db: &DatabaseConnection,
    prefecture: &str,
    wanted: Vec<i32>,
) -> Result<Stored, AdvisorImportError> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = advisor::Entity::find().filter(advisor::Column::PrefectureCode.eq(prefecture));
    if wanted.len() <= 500 {
        query = query.filter(advisor::Column::Id.is_in(wanted));
    }
    let models = query.all(db).await?;
    let drafts = drafts_of(db, &models).await?;
    Ok(models
        .into_iter()
        .zip(drafts)
        .map(|(m, d)| (m.id, (m, d)))
        .collect())
}

/// Each row applied to its stored profile (or made a new one) and checked; rows
/// that would change nothing are counted and left out.
fn check_rows(
    file: &str,
    parsed: Vec<(u64, ParsedRow)>,
    stored: &Stored,
    vocabulary: &BankVocabulary,
    report: &mut ImportReport,
) -> Result<Vec<Checked>, AdvisorImportError> {
    let mut checked = Vec::with_capacity(parsed.len());
    for (line, row) in parsed {
        let at = |message: String| line_error(file, line, message);
        let draft = match row.id {
            None => row.patch.create(),
            Some(id) => {
                let (_, current) = stored.get(&id).ok_or_else(|| {
                    at(format!(
                        "ID {id} のアドバイザーはこの県の人材バンクにありません(新しい人は ID を空欄に)"
                    ))
                })?;
                row.patch.apply(current, Editor::Prefecture)
            }
        }
        .map_err(|errors| {
            let each: Vec<String> = errors
                .iter()
                .map(|e| format!("列「{}」: {}", column_of(e.field), e.message))
                .collect();
            at(each.join(" / "))
        })?;
        advisors::check(&draft, vocabulary).map_err(|e| match &e {
            AdvisorError::UnknownCode { field, .. } => {
                at(format!("列「{}」: {e}", column_of(field)))
            }
            other => at(other.to_string()),
        })?;
        if let Some(id) = row.id
            && let Some((model, current)) = stored.get(&id)
            && *current == draft
            && AdvisorStatus::of(model.published, model.retired) == row.status
        {
            report.unchanged += 1;
            continue;
        }
        checked.push(Checked {
            id: row.id,
            status: row.status,
            draft,
        });
    }
    Ok(checked)
}

/// Writes the checked rows: updates replace their profile (and its lists), new
/// ones are inserted in bulk. Returns the ids inserted and updated.
async fn store(
    txn: &DatabaseTransaction,
    prefecture: &str,
    checked: &[Checked],
    stored: &mut Stored,
) -> Result<(Vec<i32>, Vec<i32>), AdvisorImportError> {
    let now = Utc::now().fixed_offset();
    let mut new_drafts = Vec::new();
    let mut new_statuses = Vec::new();
    let mut updated: Vec<(i32, &AdvisorDraft)> = Vec::new();
    for item in checked {
        match item.id {
            None => {
                let mut draft = item.draft.clone();
                draft.published = item.status == AdvisorStatus::Published;
                new_drafts.push(draft);
                new_statuses.push(item.status);
            }
            Some(id) => {
                let Some((model, _)) = stored.remove(&id) else {
                    continue;
                };
                let (published, retired) = item.status.flags();
                let version = model.version;
                let mut active = model.into_active_model();
                advisors::write_fields(&mut active, &item.draft);
                active.published = Set(published);
                active.retired = Set(retired);
                active.version = Set(version + 1);
                active.updated_at = Set(now);
                active.update(txn).await?;
                updated.push((id, &item.draft));
            }
        }
    }
    let updated_ids: Vec<i32> = updated.iter().map(|(id, _)| *id).collect();
    advisors::delete_children(txn, &updated_ids).await?;
    advisors::insert_children(txn, &updated).await?;
    let new_ids = advisors::insert_checked(txn, prefecture, &new_drafts).await?;
    let retired: Vec<i32> = new_ids
        .iter()
        .zip(&new_statuses)
        .filter(|(_, s)| **s == AdvisorStatus::Retired)
        .map(|(id, _)| *id)
        .collect();
    if !retired.is_empty() {
        advisor::Entity::update_many()
            .col_expr(
                advisor::Column::Retired,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(advisor::Column::Id.is_in(retired))
            .exec(txn)
            .await?;
    }
    Ok((new_ids, updated_ids))
}

/// Imports a CSV into the caller's bank (its 県管理者).
pub async fn import_for(
    db: &DatabaseConnection,
    index: &SearchIndex,
    auth: &RequestAuth,
    file: &str,
    data: &[u8],
) -> Result<ImportReport, AppError> {
    let prefecture = managed_bank(auth)?;
    Ok(import(db, index, &prefecture, file, data, &auth.audit()).await?)
}
