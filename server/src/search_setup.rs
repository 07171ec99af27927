//! Opening the search index for the server and the CLI.

use anyhow::Context;
use sea_orm::DatabaseConnection;

use app::search::{SearchIndex, SynonymStore};
use app::services::search_index::ensure_current;

use crate::config::Config;

/// Opens (or creates) the index in the data directory and brings it in step with
/// the database, rebuilding it when needed.
pub async fn open_index(config: &Config, db: &DatabaseConnection) -> anyhow::Result<SearchIndex> {
    let synonyms_file = config.synonyms_file();
    let synonyms = SynonymStore::from_file(&synonyms_file).with_context(|| {
        format!(
            "cannot prepare the synonym file {}",
            synonyms_file.display()
        )
    })?;
    let dir = config.index_dir();
    let (index, reason) = SearchIndex::open(&dir, synonyms)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    ensure_current(db, &index, reason)
        .await
        .context("cannot rebuild the search index")?;
    Ok(index)
}
