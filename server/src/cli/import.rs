//! `renkei import …`: reference data from files.

use std::path::Path;

use anyhow::Context;
use sea_orm::DatabaseConnection;

use app::services::advisors::csv::{self as advisor_csv, AdvisorImportError};
use app::services::audit::AuditContext;
use app::services::municipalities::find_prefecture;
use app::services::reference_data::{
    ImportError, ImportReport, import_cases, import_municipalities, parse_cases_json,
    parse_municipality_csv,
};
use app::services::regions::import_regions;

use super::reindex::rebuild_with_progress;
use super::say;
use crate::config::Config;
use app::search::{SearchIndex, SynonymStore};

/// Imports a municipality CSV; cases are re-indexed, as they show prefecture names.
pub async fn municipalities(
    db: &DatabaseConnection,
    config: &Config,
    path: &Path,
) -> anyhow::Result<()> {
    let (name, data) = read(path)?;
    let dataset = parse_municipality_csv(&name, &data).map_err(refused)?;
    let report = import_municipalities(db, &dataset).await.map_err(refused)?;
    say(&summary("団体コード", &report))?;
    reindex_after_import(db, config, report.inserted + report.updated > 0).await
}

/// Imports a case JSON file and brings the search index up to date.
pub async fn cases(db: &DatabaseConnection, config: &Config, path: &Path) -> anyhow::Result<()> {
    let (name, data) = read(path)?;
    let records = parse_cases_json(&name, &data).map_err(refused)?;
    let report = import_cases(db, &name, &records).await.map_err(refused)?;
    say(&summary("事例", &report))?;
    reindex_after_import(db, config, report.inserted + report.updated > 0).await
}

/// The database is already committed; the index follows it. If this fails, the
/// next start (or `renkei reindex`) notices the difference and rebuilds.
pub async fn reindex_after_import(
    db: &DatabaseConnection,
    config: &Config,
    changed: bool,
) -> anyhow::Result<()> {
    if !changed {
        return Ok(());
    }
    let synonyms = SynonymStore::from_file(&config.synonyms_file())?;
    let (index, _) = SearchIndex::open(&config.index_dir(), synonyms)?;
    let documents = rebuild_with_progress(db, &index).await?;
    say(&format!("検索索引を更新しました: {documents} 件"))
}

/// Imports advisors into a prefecture's bank and updates the search index.
pub async fn advisors(
    db: &DatabaseConnection,
    config: &Config,
    path: &Path,
    prefecture: &str,
) -> anyhow::Result<()> {
    let (name, data) = read(path)?;
    let prefecture = find_prefecture(db, prefecture)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let synonyms = SynonymStore::from_file(&config.synonyms_file())?;
    let (index, _) = SearchIndex::open(&config.index_dir(), synonyms)?;
    say(&format!("{name} を確認しています…"))?;
    let report = advisor_csv::import(
        db,
        &index,
        &prefecture.code,
        &name,
        &data,
        &AuditContext {
            client_addr: "cli".into(),
            ..AuditContext::default()
        },
    )
    .await
    .map_err(|e| match e {
        AdvisorImportError::Input(e) => refused(e),
        other => anyhow::anyhow!(other),
    })?;
    say(&summary("アドバイザー", &report))
}

/// Writes a prefecture's bank as CSV to a file or standard output.
pub async fn export_advisors(
    db: &DatabaseConnection,
    prefecture: &str,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let prefecture = find_prefecture(db, prefecture)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = advisor_csv::export(db, &prefecture.code).await?;
    match output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("ファイル {} に書き込めません", path.display()))?;
            say(&format!(
                "{} の人材バンクを {} に書き出しました。",
                prefecture.name,
                path.display()
            ))
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
            Ok(())
        }
    }
}

/// Imports a region CSV; advisors are re-indexed, as they are found by region.
pub async fn regions(db: &DatabaseConnection, config: &Config, path: &Path) -> anyhow::Result<()> {
    let (name, data) = read(path)?;
    let report = import_regions(db, &name, &data).await.map_err(refused)?;
    say(&summary("地域の割り当て", &report))?;
    reindex_after_import(db, config, report.inserted + report.updated > 0).await
}

fn read(path: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    let data =
        std::fs::read(path).with_context(|| format!("ファイル {} を読めません", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((name, data))
}

/// Wraps an import error in the message that tells the operator nothing changed.
pub fn refused(error: ImportError) -> anyhow::Error {
    anyhow::anyhow!("取り込みを中止しました。データベースは変更していません。\n理由: {error}")
}

/// One line describing what an import did.
pub fn summary(what: &str, report: &ImportReport) -> String {
    format!(
        "{what}: 追加 {} 件、更新 {} 件、変更なし {} 件",
        report.inserted, report.updated, report.unchanged
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reports_every_count() {
        let report = ImportReport {
            inserted: 3,
            updated: 1,
            unchanged: 35,
        };
        assert_eq!(
            summary("事例", &report),
            "事例: 追加 3 件、更新 1 件、変更なし 35 件"
        );
    }

    #[test]
    fn a_refused_import_says_nothing_changed_and_why() {
        let error = refused(ImportError::File {
            file: "cases.json".into(),
            message: "事例が1件もありません".into(),
        });
        let text = format!("{error:#}");
        assert!(text.contains("データベースは変更していません"));
        assert!(text.contains("cases.json: 事例が1件もありません"));
    }
}
