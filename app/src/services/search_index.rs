//! Keeping the search index in step with the database.

use sea_orm::ConnectionTrait;

use crate::search::{RebuildReason, SearchIndex};
use crate::services::cases::{self, CaseError};

/// Rebuilds every kind of document from the database. `progress` receives
/// `(kind, documents done)`.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    progress: impl Fn(&'static str, u64) + Send + Sync + Clone + 'static,
) -> Result<u64, CaseError> {
    let report = progress.clone();
    cases::reindex(db, index, move |n| report(cases::KIND, n)).await
}

/// Makes the index usable after opening it: rebuilds it when it was missing,
/// corrupt or of an older schema, or when its document counts differ from the
/// database (a crash between a database commit and the index commit).
/// Returns why it was rebuilt, if it was.
pub async fn ensure_current(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    opened: Option<RebuildReason>,
) -> Result<Option<String>, CaseError> {
    let reason = match opened {
        Some(reason) => Some(format!("{reason:?}")),
        None => {
            let in_db = cases::published_count(db).await?;
            let indexed = index.count(cases::KIND)?;
            (in_db != indexed)
                .then(|| format!("case count differs (database {in_db}, index {indexed})"))
        }
    };
    if let Some(reason) = &reason {
        tracing::info!(reason, "rebuilding the search index from the database");
        let documents = rebuild(db, index, |_, _| {}).await?;
        tracing::info!(documents, "search index rebuilt");
    }
    Ok(reason)
}
