//! Ranking the bank's advisors for a municipality's need, with the reasons shown.

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::api::advisors::{MatchItem, MatchReasonView, MatchRequest, MatchResponse};
use crate::auth::RequestAuth;
use crate::domain::advisor::matching::{Coverage, Reason, Signals, score};
use crate::domain::advisor::{Mode, YearMonth};
use crate::domain::ids::AdvisorId;
use crate::domain::policy::{Action, Resource};
use crate::domain::search_query::SearchQuery;
use crate::entities::{advisor, municipality, region};
use crate::error::AppError;
use crate::search::{FacetFilter, SearchIndex, SearchRequest, SortOrder};
use crate::services::advisors::search::KIND;

/// Candidates taken from the search before scoring.
const CANDIDATES: usize = 200;
/// Results returned.
const RESULTS: usize = 20;

fn month_of(field: &str, value: &Option<String>) -> Result<Option<YearMonth>, AppError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => YearMonth::parse(v)
            .map(Some)
            .map_err(|e| AppError::invalid(field, e.to_string())),
    }
}

/// Ranks the advisors of the municipality's prefecture for the need. Only staff of
/// that municipality and its prefecture may ask (availability is private).
pub async fn match_for(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    auth: &RequestAuth,
    request: &MatchRequest,
) -> Result<MatchResponse, AppError> {
    auth.signed_in()?;
    let town = municipality::Entity::find_by_id(request.municipality.trim().to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("municipality", "この団体コードの市町村はありません。"))?;
    auth.authorize(
        Action::MatchAdvisors,
        &Resource::Municipality {
            prefecture: LocalGovCode::from_stored(town.prefecture_code.clone()),
            code: LocalGovCode::from_stored(town.code.clone()),
        },
    )?;
    let mode = match request
        .mode
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => None,
        Some(m) => Some(Mode::parse(m).ok_or_else(|| {
            AppError::invalid("mode", "mode は online か onsite で指定してください。")
        })?),
    };
    let from = month_of("from", &request.from)?;
    let to = month_of("to", &request.to)?;
    let months: Vec<String> = match (from, to) {
        (Some(from), Some(to)) => YearMonth::range(from, to)
            .map_err(|e| AppError::invalid("to", e.to_string()))?
            .into_iter()
            .map(|m| m.to_string())
            .collect(),
        (Some(only), None) | (None, Some(only)) => vec![only.to_string()],
        (None, None) => Vec::new(),
    };
    let programme = request
        .programme
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    let labels = crate::services::taxonomy::labels(db).await?;
    if let Some(code) = &programme
        && !labels.contains_key(&("programme".to_owned(), code.clone()))
    {
        return Err(AppError::invalid("programme", "この支援制度はありません。"));
    }

    // What each candidate is tested for, read from the index with the ranking;
    // each test's position in the hit's answers.
    let mut probes: Vec<(String, String)> = Vec::new();
    let mut probe = |dimension: &str, value: String| {
        probes.push((dimension.to_owned(), value));
        probes.len() - 1
    };
    let at_town = probe("municipality", town.code.clone());
    let at_region = town
        .region_id
        .map(|region| probe("region_listed", region.to_string()));
    let at_whole = probe("whole", "1".to_owned());
    let at_programme = programme.clone().map(|code| probe("programme", code));
    let at_mode = mode.map(|m| probe("mode", m.as_str().to_owned()));
    let at_months: Vec<usize> = months
        .iter()
        .map(|m| probe("available", m.clone()))
        .collect();

    let query = SearchQuery::parse(&request.need);
    let search = SearchRequest {
        kind: KIND,
        query,
        filters: vec![FacetFilter {
            dimension: "prefecture".into(),
            value: town.prefecture_code.clone(),
        }],
        facet_dimensions: Vec::new(),
        offset: 0,
        limit: CANDIDATES,
        sort: SortOrder::Relevance,
        fallback: true,
        highlight: false,
        probes,
    };
    let searcher = index.clone();
    let result = tokio::task::spawn_blocking(move || searcher.search(&search)).await??;
    let best = result.hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
    let region_name = match town.region_id {
        Some(id) => region::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.name),
        None => None,
    };
    let asked = u32::try_from(months.len()).unwrap_or(u32::MAX);
    let mut ranked: Vec<(i32, Signals, f64)> = result
        .hits
        .iter()
        .filter_map(|hit| {
            let id: i32 = hit.id.parse().ok()?;
            let has = |i: usize| hit.probes.get(i).copied().unwrap_or(false);
            let coverage = if has(at_town) {
                Coverage::Municipality
            } else if at_region.is_some_and(has) {
                Coverage::Region
            } else if has(at_whole) {
                Coverage::Prefecture
            } else {
                Coverage::None
            };
            let available = at_months.iter().filter(|i| has(**i)).count();
            let signals = Signals {
                text: if best > 0.0 {
                    f64::from(hit.score / best)
                } else {
                    0.0
                },
                matched_words: Vec::new(),
                coverage,
                available_months: (u32::try_from(available).unwrap_or(u32::MAX), asked),
                programme: at_programme.map(has),
                mode: at_mode.map(has),
            };
            let total = score(&signals).score;
            Some((id, signals, total))
        })
        .collect();
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    ranked.truncate(RESULTS);
    let shown_ids: Vec<i32> = ranked.iter().map(|(id, ..)| *id).collect();
    let rows: HashMap<i32, advisor::Model> = advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(shown_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();

    // The words matched are read for the results shown only.
    let shown: Vec<String> = ranked.iter().map(|(id, ..)| id.to_string()).collect();
    let query = SearchQuery::parse(&request.need);
    let or_words = result.fallback.is_some();
    let searcher = index.clone();
    let highlights =
        tokio::task::spawn_blocking(move || searcher.highlights(KIND, &shown, &query, or_words))
            .await??;
    let items = ranked
        .into_iter()
        .filter_map(|(id, mut signals, _)| {
            let row = rows.get(&id)?;
            if let Some((title, snippet)) = highlights.get(&id.to_string()) {
                for highlighted in [title, snippet] {
                    for (from, to) in &highlighted.ranges {
                        if let Some(word) = highlighted.text.get(*from..*to)
                            && !signals.matched_words.iter().any(|w| w == word)
                        {
                            signals.matched_words.push(word.to_owned());
                        }
                    }
                }
            }
            let scored = score(&signals);
            let reasons = scored
                .reasons
                .into_iter()
                .map(|reason| MatchReasonView {
                    label: label(
                        &reason,
                        &town.name,
                        region_name.as_deref(),
                        mode,
                        &programme,
                        &labels,
                    ),
                    reason,
                })
                .collect();
            Some(MatchItem {
                id: AdvisorId(id),
                name: row.name.clone(),
                affiliation: row.affiliation.clone(),
                score: scored.score,
                reasons,
            })
        })
        .collect();
    Ok(MatchResponse { items })
}

fn label(
    reason: &Reason,
    town: &str,
    region: Option<&str>,
    mode: Option<Mode>,
    programme: &Option<String>,
    labels: &HashMap<(String, String), String>,
) -> String {
    match reason {
        Reason::Words { words } => format!(
            "{}がプロフィールに含まれます",
            words.iter().map(|w| format!("「{w}」")).collect::<String>()
        ),
        Reason::Covers { coverage } => match coverage {
            Coverage::Municipality => format!("{town}を担当地域にしています"),
            Coverage::Region => format!("{town}を含む{}地域を担当しています", region.unwrap_or("")),
            Coverage::Prefecture => "県内全域を担当しています".to_owned(),
            Coverage::None => String::new(),
        },
        Reason::Available { months, of } => {
            format!("希望期間の{of}か月のうち{months}か月に対応できます")
        }
        Reason::Programme => format!(
            "{}に登録されています",
            programme
                .as_ref()
                .and_then(|p| labels.get(&("programme".to_owned(), p.clone())))
                .cloned()
                .unwrap_or_default()
        ),
        Reason::Mode => format!("{}に対応しています", mode.map_or("", Mode::label)),
    }
}

/// The match form's choices: municipal staff ask for their own municipality,
/// prefecture staff for any of their prefecture's; advisors are refused.
pub async fn choices_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<crate::api::advisors::MatchFormChoices, AppError> {
    use crate::api::advisors::Choice;
    use crate::domain::account::Role;
    let actor = auth.signed_in()?;
    if actor.role == Role::Advisor {
        return Err(AppError::Forbidden);
    }
    let only = match actor.role {
        Role::MuniStaff => Some(actor.municipality.as_deref().unwrap_or_default().to_owned()),
        _ => None,
    };
    let municipalities = crate::services::advisors::profiles::municipality_choices(
        db,
        &actor.prefecture,
        only.as_deref(),
    )
    .await?;
    let programmes = crate::services::taxonomy::active_terms(db, Some(&actor.prefecture))
        .await?
        .into_iter()
        .filter(|t| t.kind == "programme")
        .map(|t| Choice {
            value: t.code,
            label: t.label,
        })
        .collect();
    Ok(crate::api::advisors::MatchFormChoices {
        municipalities,
        programmes,
    })
}
