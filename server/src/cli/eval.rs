//! `renkei eval-search`: search quality on the shipped cases against judged queries.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use app::search::{SearchIndex, SynonymStore};
use app::services::cases;
use app::services::reference_data::{
    import_cases, import_municipalities, parse_cases_json, parse_municipality_csv,
};
use app::services::search_eval::{JudgedQuery, evaluate, summarise};

use super::import::refused;
use super::seed::{CASES, MUNICIPALITIES};
use crate::db;

/// Loads the shipped reference data into a throwaway in-memory database and
/// index (with the shipped synonyms), runs the judged queries and prints a table.
pub async fn run(file: &Path) -> anyhow::Result<()> {
    let queries: Vec<JudgedQuery> = serde_json::from_slice(
        &std::fs::read(file)
            .with_context(|| format!("ファイル {} を読めません", file.display()))?,
    )
    .with_context(|| format!("{} は評価クエリの JSON 配列ではありません", file.display()))?;

    let db = db::connect("sqlite::memory:").await?;
    db::migrate(&db).await?;
    let dataset =
        parse_municipality_csv("municipalities_jisx0402.csv", MUNICIPALITIES).map_err(refused)?;
    import_municipalities(&db, &dataset)
        .await
        .map_err(refused)?;
    let records = parse_cases_json("cases.json", CASES).map_err(refused)?;
    import_cases(&db, "cases.json", &records)
        .await
        .map_err(refused)?;
    let index = SearchIndex::in_memory(SynonymStore::builtin())?;
    cases::reindex(&db, &index, |_| {}).await?;

    let scores = evaluate(&db, &index, queries).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "| kind | query | recall@5 | RR | nDCG@10 | top 3 |")?;
    writeln!(out, "|---|---|---:|---:|---:|---|")?;
    for s in &scores {
        writeln!(
            out,
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} |",
            s.query.kind,
            s.query.query,
            s.recall_at_5,
            s.reciprocal_rank,
            s.ndcg_at_10,
            s.ranked
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    // Per kind of query, then the whole set on the last line.
    let mut kinds: Vec<&str> = scores.iter().map(|s| s.query.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    writeln!(out, "\n| kind | queries | recall@5 | MRR | nDCG@10 |")?;
    writeln!(out, "|---|---:|---:|---:|---:|")?;
    for kind in kinds {
        let of_kind: Vec<_> = scores
            .iter()
            .filter(|s| s.query.kind == kind)
            .cloned()
            .collect();
        let summary = summarise(&of_kind);
        writeln!(
            out,
            "| {kind} | {} | {:.3} | {:.3} | {:.3} |",
            of_kind.len(),
            summary.recall_at_5,
            summary.mrr,
            summary.ndcg_at_10
        )?;
    }
    let summary = summarise(&scores);
    writeln!(
        out,
        "\n{} queries: recall@5 {:.3}, MRR {:.3}, nDCG@10 {:.3}",
        scores.len(),
        summary.recall_at_5,
        summary.mrr,
        summary.ndcg_at_10
    )?;
    Ok(())
}
