//! `renkei reindex`: rebuild the search index from the database, with progress.

use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

use app::search::{SearchIndex, SynonymStore};
use app::services::{cases, search_index};

use super::say;
use crate::config::Config;

/// Rebuilds every kind of document and reports the synonyms in use.
pub async fn run(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    let synonyms = SynonymStore::from_file(&config.synonyms_file())?;
    let groups = synonyms.reload();
    let (index, _) = SearchIndex::open(&config.index_dir(), synonyms)?;
    let documents = rebuild_with_progress(db, &index).await?;
    say(&format!(
        "検索索引を再構築しました: {documents} 件(同義語 {groups} グループ、{})",
        config.synonyms_file().display()
    ))
}

/// Rebuilds the index from the database, drawing a progress bar on a terminal.
pub async fn rebuild_with_progress(
    db: &DatabaseConnection,
    index: &SearchIndex,
) -> anyhow::Result<u64> {
    let total = cases::published_count(db).await?
        + app::services::advisors::search::indexable_count(db).await?;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:>8} [{bar:40}] {pos}/{len} 件 ({elapsed})")?
            .progress_chars("=> "),
    );
    bar.set_message("索引作成");
    let shown = bar.clone();
    let documents =
        search_index::rebuild(db, index, move |_, done| shown.set_position(done)).await?;
    bar.finish_and_clear();
    Ok(documents)
}
