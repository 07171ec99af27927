//! Measuring search quality against judged queries: recall@5, MRR and nDCG@10
//! for the case library and the advisor bank, and precision@5 for matching a
//! need to advisors.

use serde::Deserialize;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::api::advisors::{AdvisorListParams, MatchRequest};
use crate::auth::RequestAuth;
use crate::domain::account::{Actor, Role};
use crate::domain::advisor::{AdvisorDraft, Kana, Mode, YearMonth};
use crate::domain::case_query::CaseListParams;
use crate::domain::ids::AccountId;
use crate::domain::local_gov::LocalGovCode;
use crate::entities::municipality;
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::services::advisors;
use crate::services::cases;

/// What a judged query searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The case library; relevant entries are case slugs.
    #[default]
    Case,
    /// The advisor bank; relevant entries are advisors' names.
    Advisor,
}

/// One judged query.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JudgedQuery {
    /// What a user types.
    pub query: String,
    /// Slugs of the cases (or names of the advisors) that answer it.
    pub relevant: Vec<String>,
    /// What the query tests (organisation, variant, paraphrase, …).
    pub kind: String,
    /// What it searches.
    #[serde(default)]
    pub target: Target,
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

/// Runs every query through the case library or advisor bank search (as the
/// pages and API do).
pub async fn evaluate(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    queries: Vec<JudgedQuery>,
) -> Result<Vec<QueryScore>, AppError> {
    let mut scores = Vec::with_capacity(queries.len());
    for query in queries {
        let ranked = match query.target {
            Target::Case => {
                let params = CaseListParams {
                    q: Some(query.query.clone()),
                    ..CaseListParams::default()
                };
                let list = cases::list(db, index, &params, 10).await?;
                list.items.into_iter().map(|hit| hit.case.slug).collect()
            }
            Target::Advisor => {
                let params = AdvisorListParams {
                    q: Some(query.query.clone()),
                    ..AdvisorListParams::default()
                };
                let list = advisors::search::list(db, index, &params, 10).await?;
                list.items.into_iter().map(|a| a.name).collect()
            }
        };
        scores.push(score(query, ranked));
    }
    Ok(scores)
}

/// A hand-written advisor profile of the evaluation bank.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalAdvisor {
    /// 氏名 (what judged queries name).
    pub name: String,
    /// ふりがな in katakana.
    pub kana: String,
    /// Specialty codes.
    pub specialties: Vec<String>,
    /// Qualification codes.
    pub qualifications: Vec<String>,
    /// 人材像 code.
    pub jinzaizo: String,
    /// Role codes.
    pub roles: Vec<String>,
    /// 紹介.
    pub bio: String,
    /// 実績.
    pub track_record: String,
}

/// The evaluation bank file.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalBank {
    /// The profiles.
    pub advisors: Vec<EvalAdvisor>,
}

impl EvalAdvisor {
    /// The profile as stored: published, for the whole prefecture, both modes and
    /// twelve months from `first_month`, so that only the need decides.
    pub fn draft(&self, first_month: YearMonth) -> AdvisorDraft {
        let mut months = vec![first_month];
        for _ in 1..12 {
            let last = months[months.len() - 1];
            months.push(last.next());
        }
        AdvisorDraft {
            name: self.name.clone(),
            kana: Kana::from_katakana(self.kana.clone()),
            affiliation: "評価用の架空の所属".into(),
            engagement: "private".into(),
            jinzaizo: self.jinzaizo.clone(),
            roles: self.roles.clone(),
            specialties: self.specialties.clone(),
            qualifications: self
                .qualifications
                .iter()
                .map(|q| (q.clone(), None))
                .collect(),
            programmes: vec!["pref_bank".into()],
            itss_level: None,
            municipal_knowledge: String::new(),
            bio: self.bio.clone(),
            track_record: self.track_record.clone(),
            modes: vec![Mode::Onsite, Mode::Online],
            whole_prefecture: true,
            regions: Vec::new(),
            municipalities: Vec::new(),
            months,
            contact_email: None,
            contact_phone: None,
            published: true,
        }
    }
}

/// A need a town types on the match page, with the advisors a 県 staff member
/// would propose for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JudgedNeed {
    /// What the town types.
    pub need: String,
    /// Names of the advisors that fit.
    pub relevant: Vec<String>,
}

/// Scores of one need.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedScore {
    /// The need.
    pub need: JudgedNeed,
    /// The first five names proposed.
    pub ranked: Vec<String>,
    /// Relevant among the first five, over five (or over the number relevant
    /// when fewer than five fit).
    pub precision_at_5: f64,
}

/// Precision@5 of a ranking.
pub fn precision_at_5(relevant: &[String], ranked: &[String]) -> f64 {
    let wanted = relevant.len().min(5);
    if wanted == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(5)
        .filter(|name| relevant.contains(name))
        .count();
    found as f64 / wanted as f64
}

/// Asks the match for each need as a 県管理者 of the town's prefecture would.
pub async fn evaluate_matching(
    db: &DatabaseConnection,
    index: &SearchIndex,
    town: &str,
    needs: Vec<JudgedNeed>,
) -> Result<Vec<NeedScore>, AppError> {
    let row = municipality::Entity::find()
        .filter(municipality::Column::Code.eq(town))
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("municipality", "この団体コードの市町村はありません。"))?;
    let auth = RequestAuth {
        actor: Some(Actor {
            account_id: AccountId(0),
            email: "eval@renkei.example".into(),
            display_name: "評価".into(),
            role: Role::PrefAdmin,
            prefecture: LocalGovCode::from_stored(row.prefecture_code.clone()),
            prefecture_name: String::new(),
            municipality: None,
            municipality_name: None,
            must_change_password: false,
        }),
        client_addr: "eval".into(),
        ..RequestAuth::anonymous()
    };
    let mut scores = Vec::with_capacity(needs.len());
    for need in needs {
        let request = MatchRequest {
            need: need.need.clone(),
            municipality: town.to_owned(),
            ..MatchRequest::default()
        };
        let response = advisors::matching::match_for(db, index, &auth, &request).await?;
        let ranked: Vec<String> = response.items.into_iter().take(5).map(|i| i.name).collect();
        let precision_at_5 = precision_at_5(&need.relevant, &ranked);
        scores.push(NeedScore {
            need,
            ranked,
            precision_at_5,
        });
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
            target: Target::Case,
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
