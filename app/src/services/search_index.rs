//! Keeping the search index in step with the database.

use sea_orm::ConnectionTrait;

use crate::search::{RebuildReason, SearchIndex};
use crate::services::advisor_search::{self, AdvisorSearchError};
use crate::services::cases::{self, CaseError};

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
}

/// Rebuilds every kind of document from the database. `progress` receives
/// `(kind, documents done)`.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl Fn(&'static str, u64) + Send + Sync + Clone + 'static,
) -> Result<u64, IndexSyncError> {
    let report = progress.clone();
    let cases = cases::reindex(db, index, move |n| report(cases::KIND, n)).await?;
    let report = progress.clone();
    let advisors =
        advisor_search::reindex(db, index, move |n| report(advisor_search::KIND, n)).await?;
    Ok(cases + advisors)
}

/// Makes the index usable after opening it: rebuilds it when it was missing,
/// corrupt or of an older schema, or when its document counts differ from the
/// database (a crash between a database commit and the index commit).
/// Returns why it was rebuilt, if it was.
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
            (cases_in_db != cases_indexed || advisors_in_db != advisors_indexed).then(|| {
                format!(
                    "document counts differ (cases {cases_in_db}/{cases_indexed}, advisors {advisors_in_db}/{advisors_indexed})"
                )
            })
        }
    };
    if let Some(reason) = &reason {
        tracing::info!(reason, "rebuilding the search index from the database");
        let documents = rebuild(db, index, |_, _| {}).await?;
        tracing::info!(documents, "search index rebuilt");
    }
    Ok(reason)
}
