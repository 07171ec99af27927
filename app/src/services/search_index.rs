//! Keeping the search index in step with the database.
//!
//! A write that changes searchable data calls [`record`] inside its transaction,
//! and [`catch_up`] after the commit. The index remembers the last change it
//! applied, so whatever stopped between the commit and the index write (a crash,
//! a full disk, a killed process) is applied by the next catch-up: after the next
//! write, at startup, or by the periodic check the server runs.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::search_change;
use crate::search::changes::ChangeBatch;
use crate::search::{RebuildReason, SearchDoc, SearchIndex};
use crate::services::advisors::search::{self as advisor_search, AdvisorSearchError};
use crate::services::cases::{self, CaseError};
use crate::services::channels::search as post_search;

/// A change id that stands for every document of its kind.
pub const WHOLE_KIND: &str = "*";

/// Changes applied per index commit.
const BATCH: u64 = 2_000;

/// Failures of keeping the index in step with the database.
#[derive(Debug, thiserror::Error)]
pub enum IndexSyncError {
    /// Indexing cases failed.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// Indexing advisors failed.
    #[error(transparent)]
    Advisor(#[from] AdvisorSearchError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// The index failed.
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The blocking index task failed.
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
}

/// Records, inside the caller's transaction, that these documents of `kind` must
/// be rebuilt ([`WHOLE_KIND`] for all of them).
///
/// On PostgreSQL the log is locked until the transaction ends, so change ids
/// become visible in the order they were given: a catch-up never passes over a
/// change whose transaction commits later. (SQLite has one writer anyway.)
pub async fn record<I, S>(db: &impl ConnectionTrait, kind: &str, ids: I) -> Result<(), DbErr>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let now = chrono::Utc::now().fixed_offset();
    let rows: Vec<search_change::ActiveModel> = ids
        .into_iter()
        .map(|id| search_change::ActiveModel {
            id: NotSet,
            kind: Set(kind.to_owned()),
            doc_id: Set(id.into()),
            changed_at: Set(now),
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("LOCK TABLE search_change IN SHARE ROW EXCLUSIVE MODE")
            .await?;
    }
    for chunk in rows.chunks(500) {
        search_change::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Records that every document of these kinds must be rebuilt (an import that
/// touched many of them, or names they all show).
pub async fn record_whole(db: &impl ConnectionTrait, kinds: &[&str]) -> Result<(), DbErr> {
    for kind in kinds {
        record(db, kind, [WHOLE_KIND]).await?;
    }
    Ok(())
}

/// The id of the latest recorded change.
async fn latest_change(db: &impl ConnectionTrait) -> Result<Option<u64>, DbErr> {
    Ok(search_change::Entity::find()
        .order_by_desc(search_change::Column::Id)
        .one(db)
        .await?
        .and_then(|c| u64::try_from(c.id).ok()))
}

/// Applies every recorded change the index does not hold yet. Returns how many
/// changes were applied. Safe to run from several requests and processes at
/// once: a batch read before another one was committed is dropped and read again.
pub async fn catch_up(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
) -> Result<u64, IndexSyncError> {
    let mut applied = 0;
    loop {
        let from = index.applied_change()?;
        let after = from.and_then(|m| i64::try_from(m).ok()).unwrap_or(0);
        let rows = search_change::Entity::find()
            .filter(search_change::Column::Id.gt(after))
            .order_by_asc(search_change::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(to) = rows.last().and_then(|r| u64::try_from(r.id).ok()) else {
            return Ok(applied);
        };
        let batch = batch_of(db, &rows).await?;
        crate::failpoint::hit("index.before_write");
        let handle = index.clone();
        let wrote =
            tokio::task::spawn_blocking(move || handle.apply_changes(from, to, &batch)).await??;
        if wrote {
            applied += rows.len() as u64;
        }
    }
}

/// Catches up, logging instead of failing: for callers whose database change is
/// already committed (the periodic check or the next write will retry).
pub async fn catch_up_or_log(db: &impl ConnectionTrait, index: &SearchIndex) {
    if let Err(error) = catch_up(db, index).await {
        tracing::error!(%error, "the search index could not catch up with the database; it will retry");
    }
}

/// The documents to write for `rows`, read from the database now.
async fn batch_of(
    db: &impl ConnectionTrait,
    rows: &[search_change::Model],
) -> Result<ChangeBatch, IndexSyncError> {
    let mut wanted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for row in rows {
        wanted.entry(&row.kind).or_default().insert(&row.doc_id);
    }
    let mut batch = ChangeBatch::default();
    for (kind, ids) in wanted {
        let whole = ids.contains(WHOLE_KIND);
        let docs: Vec<SearchDoc> = match kind {
            cases::KIND => cases::search_documents(db).await?,
            advisor_search::KIND if whole => advisor_search::search_documents(db, None).await?,
            advisor_search::KIND => {
                let numbers: Vec<i32> = ids.iter().filter_map(|id| id.parse().ok()).collect();
                advisor_search::search_documents(db, Some(&numbers)).await?
            }
            post_search::KIND if whole => post_search::search_documents(db, None).await?,
            post_search::KIND => {
                let numbers: Vec<i32> = ids.iter().filter_map(|id| id.parse().ok()).collect();
                post_search::search_documents(db, Some(&numbers)).await?
            }
            other => {
                tracing::warn!(kind = other, "search change of an unknown kind ignored");
                continue;
            }
        };
        let static_kind = match kind {
            cases::KIND => cases::KIND,
            post_search::KIND => post_search::KIND,
            _ => advisor_search::KIND,
        };
        if whole {
            batch.whole.push((static_kind, docs));
            continue;
        }
        let docs: Vec<SearchDoc> = docs
            .into_iter()
            .filter(|d| ids.contains(d.id.as_str()))
            .collect();
        let present: HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        batch.removed.extend(
            ids.iter()
                .filter(|id| !present.contains(*id))
                .map(|id| (kind.to_owned(), (*id).to_owned())),
        );
        batch.docs.extend(docs);
    }
    Ok(batch)
}

/// Rebuilds every kind of document from the database, and records the change
/// log as applied up to where it stood before reading. `progress` receives
/// `(kind, documents done)`.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl Fn(&'static str, u64) + Send + Sync + Clone + 'static,
) -> Result<u64, IndexSyncError> {
    let mark = latest_change(db).await?;
    let report = progress.clone();
    let cases = cases::reindex(db, index, move |n| report(cases::KIND, n)).await?;
    let report = progress.clone();
    let advisors =
        advisor_search::reindex(db, index, move |n| report(advisor_search::KIND, n)).await?;
    let report = progress.clone();
    let posts = post_search::reindex(db, index, move |n| report(post_search::KIND, n)).await?;
    if let Some(mark) = mark {
        let handle = index.clone();
        tokio::task::spawn_blocking(move || handle.set_applied_change(mark)).await??;
    }
    Ok(cases + advisors + posts)
}

/// Makes the index usable after opening it: rebuilds it when it was missing,
/// corrupt or of an older schema, or when its document counts differ from the
/// database; then applies the changes it has not seen (a crash between a
/// database commit and the index write). Returns why it was rebuilt, if it was.
pub async fn ensure_current(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    opened: Option<RebuildReason>,
) -> Result<Option<String>, IndexSyncError> {
    let reason = match opened {
        Some(reason) => Some(format!("{reason:?}")),
        None => {
            let cases_in_db = cases::published_count(db).await?;
            let cases_indexed = index.count(cases::KIND)?;
            let advisors_in_db = advisor_search::indexable_count(db).await?;
            let advisors_indexed = index.count(advisor_search::KIND)?;
            let posts_in_db = post_search::indexable_count(db).await?;
            let posts_indexed = index.count(post_search::KIND)?;
            (cases_in_db != cases_indexed
                || advisors_in_db != advisors_indexed
                || posts_in_db != posts_indexed)
                .then(|| {
                    format!(
                        "document counts differ (cases {cases_in_db}/{cases_indexed}, advisors {advisors_in_db}/{advisors_indexed}, posts {posts_in_db}/{posts_indexed})"
                    )
                })
        }
    };
    if let Some(reason) = &reason {
        tracing::info!(reason, "rebuilding the search index from the database");
        let documents = rebuild(db, index, |_, _| {}).await?;
        tracing::info!(documents, "search index rebuilt");
    }
    let applied = catch_up(db, index).await?;
    if applied > 0 {
        tracing::info!(
            applied,
            "the search index applied database changes it had missed"
        );
    }
    Ok(reason)
}
