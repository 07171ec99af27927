//! `renkei eval-search`: search quality on the shipped cases and a hand-written
//! advisor bank against judged queries, and matching needs to that bank.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::de::DeserializeOwned;

use app::domain::advisor::YearMonth;
use app::search::{SearchIndex, SynonymStore};
use app::services::reference_data::{
    import_cases, import_municipalities, parse_cases_json, parse_municipality_csv,
};
use app::services::search_eval::{
    EvalBank, JudgedNeed, JudgedQuery, NeedScore, QueryScore, Target, evaluate, evaluate_matching,
    summarise,
};
use app::services::{advisors, search_index, taxonomy};

use super::import::refused;
use super::seed::{CASES, MUNICIPALITIES, TAXONOMY};
use crate::db;

/// The town the judged needs are asked for (三宅町, 奈良県); the evaluation bank
/// is 奈良県's.
const TOWN: &str = "293628";
const PREFECTURE: &str = "290009";

fn read_json<T: DeserializeOwned>(file: &Path) -> anyhow::Result<T> {
    serde_json::from_slice(
        &std::fs::read(file)
            .with_context(|| format!("ファイル {} を読めません", file.display()))?,
    )
    .with_context(|| format!("{} は評価用の JSON として読めません", file.display()))
}

/// Loads the shipped reference data and the evaluation bank into a throwaway
/// in-memory database and index (with the shipped synonyms), runs the judged
/// queries and needs and prints tables; the last line sums up the queries.
pub async fn run(file: &Path) -> anyhow::Result<()> {
    let queries: Vec<JudgedQuery> = read_json(file)?;
    let bank: EvalBank = read_json(&file.with_file_name("advisors.json"))?;
    let needs: Vec<JudgedNeed> = read_json(&file.with_file_name("advisor_matching.json"))?;

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
    taxonomy::import(&db, &taxonomy::parse("advisor_taxonomy.json", TAXONOMY)?).await?;
    let first_month = YearMonth::parse(&chrono::Local::now().format("%Y-%m").to_string())?;
    let drafts: Vec<_> = bank.advisors.iter().map(|a| a.draft(first_month)).collect();
    advisors::insert_many(&db, PREFECTURE, &drafts).await?;
    let index = SearchIndex::in_memory(SynonymStore::builtin())?;
    search_index::rebuild(&db, &index, |_, _| {}).await?;

    let scores = evaluate(&db, &index, queries).await?;
    let matching = evaluate_matching(&db, &index, TOWN, needs).await?;
    let mut out = std::io::stdout().lock();
    print_misses(&mut out, &scores, &matching)?;
    print_kinds(&mut out, &scores)?;
    let precision =
        matching.iter().map(|s| s.precision_at_5).sum::<f64>() / matching.len().max(1) as f64;
    writeln!(
        out,
        "\nmatching: {} needs, precision@5 {precision:.3}",
        matching.len()
    )?;
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

fn target_name(target: Target) -> &'static str {
    match target {
        Target::Case => "case",
        Target::Advisor => "advisor",
    }
}

/// The queries and needs not answered perfectly, with what came first instead.
fn print_misses(
    out: &mut impl Write,
    scores: &[QueryScore],
    matching: &[NeedScore],
) -> anyhow::Result<()> {
    writeln!(out, "Queries that miss (recall@5 or RR below 1):\n")?;
    writeln!(out, "| target | kind | query | recall@5 | RR | first ten |")?;
    writeln!(out, "|---|---|---|---:|---:|---|")?;
    for s in scores
        .iter()
        .filter(|s| s.recall_at_5 < 1.0 || s.reciprocal_rank < 1.0)
    {
        writeln!(
            out,
            "| {} | {} | {} | {:.2} | {:.2} | {} |",
            target_name(s.query.target),
            s.query.kind,
            s.query.query,
            s.recall_at_5,
            s.reciprocal_rank,
            s.ranked.join(", ")
        )?;
    }
    writeln!(out, "\nNeeds with precision@5 below 1:\n")?;
    writeln!(out, "| need | precision@5 | top 5 |")?;
    writeln!(out, "|---|---:|---|")?;
    for s in matching.iter().filter(|s| s.precision_at_5 < 1.0) {
        writeln!(
            out,
            "| {} | {:.2} | {} |",
            s.need.need,
            s.precision_at_5,
            s.ranked.join(", ")
        )?;
    }
    Ok(())
}

/// Per target and kind of query, then per kind over both targets.
fn print_kinds(out: &mut impl Write, scores: &[QueryScore]) -> anyhow::Result<()> {
    let mut groups: Vec<(&str, &str)> = scores
        .iter()
        .map(|s| (target_name(s.query.target), s.query.kind.as_str()))
        .chain(scores.iter().map(|s| ("(both)", s.query.kind.as_str())))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    writeln!(
        out,
        "\n| target | kind | queries | recall@5 | MRR | nDCG@10 |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for (target, kind) in groups {
        let of_group: Vec<QueryScore> = scores
            .iter()
            .filter(|s| {
                s.query.kind == kind
                    && (target == "(both)" || target_name(s.query.target) == target)
            })
            .cloned()
            .collect();
        let summary = summarise(&of_group);
        writeln!(
            out,
            "| {target} | {kind} | {} | {:.3} | {:.3} | {:.3} |",
            of_group.len(),
            summary.recall_at_5,
            summary.mrr,
            summary.ndcg_at_10
        )?;
    }
    Ok(())
}
