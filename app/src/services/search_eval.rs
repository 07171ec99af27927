//! Measuring search quality against judged queries: recall@5, MRR and nDCG@10.

use serde::Deserialize;

use sea_orm::ConnectionTrait;

use crate::domain::case_query::CaseListParams;
use crate::search::SearchIndex;
use crate::services::cases::{self, CaseError};

/// One judged query.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JudgedQuery {
    /// What a user types.
    pub query: String,
    /// Slugs of the cases that answer it.
    pub relevant: Vec<String>,
    /// What the query tests (organisation, variant, paraphrase, …).
    pub kind: String,
}

/// Scores of one query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryScore {
    /// The query.
    pub query: JudgedQuery,
    /// The first ten slugs returned.
    pub ranked: Vec<String>,
    /// Share of the relevant cases among the first five.
    pub recall_at_5: f64,
    /// 1 / rank of the first relevant case (0 when none in the first ten).
    pub reciprocal_rank: f64,
    /// Normalised discounted cumulative gain over the first ten (binary relevance).
    pub ndcg_at_10: f64,
}

/// Scores of a ranking against the relevant set.
pub fn score(query: JudgedQuery, ranked: Vec<String>) -> QueryScore {
    let relevant = |slug: &String| query.relevant.contains(slug);
    let top5 = ranked.iter().take(5).filter(|s| relevant(s)).count();
    let recall_at_5 = if query.relevant.is_empty() {
        0.0
    } else {
        top5 as f64 / query.relevant.len() as f64
    };
    let reciprocal_rank = ranked
        .iter()
        .take(10)
        .position(relevant)
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
    let gain = |i: usize| 1.0 / ((i as f64) + 2.0).log2();
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, s)| relevant(s))
        .map(|(i, _)| gain(i))
        .sum();
    let ideal: f64 = (0..query.relevant.len().min(10)).map(gain).sum();
    // `+ 0.0` turns the -0.0 of an empty sum into 0.0.
    let ndcg_at_10 = if ideal > 0.0 { dcg / ideal + 0.0 } else { 0.0 };
    QueryScore {
        query,
        ranked,
        recall_at_5,
        reciprocal_rank,
        ndcg_at_10,
    }
}

/// Means over all queries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Mean recall@5.
    pub recall_at_5: f64,
    /// Mean reciprocal rank.
    pub mrr: f64,
    /// Mean nDCG@10.
    pub ndcg_at_10: f64,
}

/// Averages scores.
pub fn summarise(scores: &[QueryScore]) -> Summary {
    let n = scores.len().max(1) as f64;
    Summary {
        recall_at_5: scores.iter().map(|s| s.recall_at_5).sum::<f64>() / n,
        mrr: scores.iter().map(|s| s.reciprocal_rank).sum::<f64>() / n,
        ndcg_at_10: scores.iter().map(|s| s.ndcg_at_10).sum::<f64>() / n,
    }
}

/// Runs every query through the case library search (as the page and API do).
pub async fn evaluate(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    queries: Vec<JudgedQuery>,
) -> Result<Vec<QueryScore>, CaseError> {
    let mut scores = Vec::with_capacity(queries.len());
    for query in queries {
        let params = CaseListParams {
            q: Some(query.query.clone()),
            ..CaseListParams::default()
        };
        let list = cases::list(db, index, &params, 10).await?;
        let ranked = list.items.into_iter().map(|hit| hit.case.slug).collect();
        scores.push(score(query, ranked));
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(relevant: &[&str]) -> JudgedQuery {
        JudgedQuery {
            query: "q".into(),
            relevant: relevant.iter().map(|s| (*s).to_owned()).collect(),
            kind: "topic".into(),
        }
    }

    fn ranked(slugs: &[&str]) -> Vec<String> {
        slugs.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_perfect_ranking_scores_one_everywhere() {
        let s = score(judged(&["a", "b"]), ranked(&["a", "b", "c"]));
        assert_eq!((s.recall_at_5, s.reciprocal_rank), (1.0, 1.0));
        assert!((s.ndcg_at_10 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_relevant_case_in_third_place_gives_a_third_and_a_discounted_gain() {
        let s = score(judged(&["c"]), ranked(&["a", "b", "c"]));
        assert_eq!(s.reciprocal_rank, 1.0 / 3.0);
        assert!((s.ndcg_at_10 - 0.5).abs() < 1e-12, "{}", s.ndcg_at_10);
    }

    #[test]
    fn a_relevant_case_beyond_the_fifth_place_is_not_recalled_at_five() {
        let s = score(judged(&["f"]), ranked(&["a", "b", "c", "d", "e", "f"]));
        assert_eq!(s.recall_at_5, 0.0);
        assert_eq!(s.reciprocal_rank, 1.0 / 6.0);
    }

    #[test]
    fn nothing_found_scores_zero() {
        let s = score(judged(&["a"]), vec![]);
        assert_eq!(
            (s.recall_at_5, s.reciprocal_rank, s.ndcg_at_10),
            (0.0, 0.0, 0.0)
        );
    }
}
