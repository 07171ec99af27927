//! Ranking the bank's advisors for a municipality's need, with the reasons shown.

use crate::domain::local_gov::LocalGovCode;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::api::advisors::{MatchItem, MatchReasonView, MatchRequest, MatchResponse};
use crate::auth::RequestAuth;
use crate::domain::advisor::matching::{Coverage, Reason, Signals, TermMatch, score};
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

/// What was asked besides the text: mode, months and programme, checked; and
/// the specialties and qualifications the text names.
struct Need {
    mode: Option<Mode>,
    /// `YYYY-MM`, from the first month asked to the last.
    months: Vec<String>,
    programme: Option<String>,
    /// `(kind, code, label)` of the vocabulary terms the need names.
    terms: Vec<(String, String, String)>,
}

/// The bank's specialties and qualifications a need names: a label in the text
/// (窓口のセキュリティ対策 → セキュリティ), or reached through a synonym of a word
/// in it (セキュリティ対策 → 情報セキュリティ → 情報セキュリティマネジメント).
fn named_terms(
    need: &str,
    labels: &HashMap<(String, String), String>,
    synonyms: &crate::domain::synonyms::Synonyms,
) -> Vec<(String, String, String)> {
    use crate::domain::search_text::fold;
    let text = fold(need);
    let mut words: Vec<String> = vec![text.clone()];
    for term in synonyms.terms_in(need) {
        words.extend(synonyms.expand(&term));
    }
    words.retain(|w| w.chars().count() >= 2);
    let mut found: Vec<(String, String, String)> = labels
        .iter()
        .filter(|((kind, _), _)| kind == "specialty" || kind == "qualification")
        .filter(|(_, label)| {
            let label = fold(label);
            label.chars().count() >= 2
                && words.iter().any(|w| {
                    w.contains(label.as_str()) || (w != &text && label.contains(w.as_str()))
                })
        })
        .map(|((kind, code), label)| (kind.clone(), code.clone(), label.clone()))
        .collect();
    found.sort();
    found
}

impl Need {
    fn parse(
        request: &MatchRequest,
        labels: &HashMap<(String, String), String>,
        synonyms: &crate::domain::synonyms::Synonyms,
    ) -> Result<Self, AppError> {
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
        if let Some(code) = &programme
            && !labels.contains_key(&("programme".to_owned(), code.clone()))
        {
            return Err(AppError::invalid("programme", "この支援制度はありません。"));
        }
        Ok(Self {
            mode,
            months,
            programme,
            terms: named_terms(&request.need, labels, synonyms),
        })
    }
}

/// What each candidate is tested for, read from the index with the ranking: the
/// tests in order, and each one's position in a hit's answers.
struct Probes {
    tests: Vec<(String, String)>,
    town: usize,
    region: Option<usize>,
    whole: usize,
    programme: Option<usize>,
    mode: Option<usize>,
    months: Vec<usize>,
    /// Per term the need names: its probe, label and whether it is a specialty.
    terms: Vec<(usize, String, bool)>,
    /// Whether the need names any term at all.
    named: bool,
}

impl Probes {
    fn new(town: &municipality::Model, need: &Need) -> Self {
        let mut tests: Vec<(String, String)> = Vec::new();
        let mut probe = |dimension: &str, value: String| {
            tests.push((dimension.to_owned(), value));
            tests.len() - 1
        };
        let at_town = probe("municipality", town.code.clone());
        let region = town
            .region_id
            .map(|region| probe("region_listed", region.to_string()));
        let whole = probe("whole", "1".to_owned());
        let programme = need.programme.clone().map(|code| probe("programme", code));
        let mode = need.mode.map(|m| probe("mode", m.as_str().to_owned()));
        let months = need
            .months
            .iter()
            .map(|m| probe("available", m.clone()))
            .collect();
        let terms = need
            .terms
            .iter()
            .map(|(kind, code, label)| {
                let specialty = kind == "specialty";
                (probe(kind, code.clone()), label.clone(), specialty)
            })
            .collect();
        Self {
            tests,
            town: at_town,
            region,
            whole,
            programme,
            mode,
            months,
            terms,
            named: !need.terms.is_empty(),
        }
    }

    /// Per term the need names: its probe, dimension and code.
    fn named(&self, need: &Need) -> Vec<(usize, String, String)> {
        self.terms
            .iter()
            .zip(&need.terms)
            .map(|((probe, ..), (kind, code, _))| (*probe, kind.clone(), code.clone()))
            .collect()
    }

    /// The signals of one hit, its text score relative to the best hit's.
    fn signals(&self, hit: &crate::search::SearchHit, best: f32) -> Signals {
        let has = |i: usize| hit.probes.get(i).copied().unwrap_or(false);
        let coverage = if has(self.town) {
            Coverage::Municipality
        } else if self.region.is_some_and(has) {
            Coverage::Region
        } else if has(self.whole) {
            Coverage::Prefecture
        } else {
            Coverage::None
        };
        let available = self.months.iter().filter(|i| has(**i)).count();
        let asked = self.months.len();
        // A near match (some words missing) counts for half its text score.
        let near = if hit.partial { 0.5 } else { 1.0 };
        Signals {
            text: if best > 0.0 {
                near * f64::from(hit.score / best)
            } else {
                0.0
            },
            matched_words: Vec::new(),
            coverage,
            available_months: (
                u32::try_from(available).unwrap_or(u32::MAX),
                u32::try_from(asked).unwrap_or(u32::MAX),
            ),
            programme: self.programme.map(has),
            mode: self.mode.map(has),
            terms: self.named.then(|| {
                let held: Vec<&(usize, String, bool)> =
                    self.terms.iter().filter(|(i, ..)| has(*i)).collect();
                TermMatch {
                    specialty: held.iter().any(|(.., specialty)| *specialty),
                    labels: held.iter().map(|(_, label, _)| label.clone()).collect(),
                }
            }),
        }
    }
}

/// At most this many of the terms a need names bring their holders as candidates.
const TERM_SEARCHES: usize = 4;
/// Holders taken per term: enough to fill the results whatever their coverage.
const HOLDERS_PER_TERM: usize = 50;

/// The candidates for a need: the advisors whose profiles hold its words (every
/// word, then near), and those holding a specialty or qualification it names
/// even when their profile says it in other words (text score 0). A term that
/// enough of the text's candidates hold already (as セキュリティ does for
/// 窓口のセキュリティ対策) is not looked for again: its other holders, without a
/// word of the need, could not rank above them.
fn candidates(
    index: &SearchIndex,
    search: SearchRequest,
    terms: &[(usize, String, String)],
) -> Result<(crate::search::SearchResult, Vec<crate::search::SearchHit>), AppError> {
    let result = index.search(&search)?;
    let mut hits = result.hits.clone();
    let mut seen: std::collections::HashSet<String> = hits.iter().map(|h| h.id.clone()).collect();
    for (probe, kind, code) in terms.iter().take(TERM_SEARCHES) {
        let held = hits
            .iter()
            .filter(|h| h.probes.get(*probe).copied().unwrap_or(false))
            .count();
        if held >= RESULTS {
            continue;
        }
        let mut filters = search.filters.clone();
        filters.push(FacetFilter {
            dimension: kind.clone(),
            value: code.clone(),
        });
        let holders = index.search(&SearchRequest {
            readable: None,
            query: SearchQuery::parse(""),
            filters,
            limit: HOLDERS_PER_TERM,
            ..search.clone()
        })?;
        for mut hit in holders.hits {
            if seen.insert(hit.id.clone()) {
                hit.score = 0.0;
                hits.push(hit);
            }
        }
    }
    Ok((result, hits))
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
    let labels = crate::services::taxonomy::labels(db).await?;
    let synonyms = index.synonyms().current();
    let need = Need::parse(request, &labels, &synonyms)?;
    let probes = Probes::new(&town, &need);

    let search = SearchRequest {
        readable: None,
        kind: KIND,
        query: SearchQuery::parse(&request.need),
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
        probes: probes.tests.clone(),
    };
    let searcher = index.clone();
    let terms = probes.named(&need);
    let (result, hits) =
        tokio::task::spawn_blocking(move || candidates(&searcher, search, &terms)).await??;
    let best = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
    let mut ranked: Vec<(i32, Signals, f64)> = hits
        .iter()
        .filter_map(|hit| {
            let signals = probes.signals(hit, best);
            let total = score(&signals).score;
            Some((hit.id.parse().ok()?, signals, total))
        })
        .collect();
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    ranked.truncate(RESULTS);

    let region_name = match town.region_id {
        Some(id) => region::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.name),
        None => None,
    };
    let context = LabelContext {
        town: &town.name,
        region: region_name.as_deref(),
        mode: need.mode,
        programme: &need.programme,
        labels: &labels,
    };
    let items = items(
        db,
        index,
        request,
        result.fallback.is_some(),
        ranked,
        &context,
    )
    .await?;
    Ok(MatchResponse { items })
}

/// What the reasons' labels name.
struct LabelContext<'a> {
    town: &'a str,
    region: Option<&'a str>,
    mode: Option<Mode>,
    programme: &'a Option<String>,
    labels: &'a HashMap<(String, String), String>,
}

/// The results shown, with the words they matched (read for these only) and
/// their reasons in words.
async fn items(
    db: &impl ConnectionTrait,
    index: &SearchIndex,
    request: &MatchRequest,
    or_words: bool,
    ranked: Vec<(i32, Signals, f64)>,
    context: &LabelContext<'_>,
) -> Result<Vec<MatchItem>, AppError> {
    let shown_ids: Vec<i32> = ranked.iter().map(|(id, ..)| *id).collect();
    let rows: HashMap<i32, advisor::Model> = advisor::Entity::find()
        .filter(advisor::Column::Id.is_in(shown_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let shown: Vec<String> = ranked.iter().map(|(id, ..)| id.to_string()).collect();
    let query = SearchQuery::parse(&request.need);
    // A fragment found through a synonym (情報セキュリティ for セキュリティ) is named
    // by the word that was typed.
    let typed: Vec<String> = query
        .required
        .iter()
        .chain(&query.relaxed())
        .map(|p| p.text.clone())
        .collect();
    let searcher = index.clone();
    let highlights =
        tokio::task::spawn_blocking(move || searcher.highlights(KIND, &shown, &query, or_words))
            .await??;
    Ok(ranked
        .into_iter()
        .filter_map(|(id, mut signals, _)| {
            let row = rows.get(&id)?;
            if let Some((title, snippet)) = highlights.get(&id.to_string()) {
                for highlighted in [title, snippet] {
                    for (from, to) in &highlighted.ranges {
                        if let Some(found) = highlighted.text.get(*from..*to) {
                            let word = typed
                                .iter()
                                .find(|t| found.contains(t.as_str()))
                                .map_or(found, String::as_str);
                            if !signals.matched_words.iter().any(|w| w == word) {
                                signals.matched_words.push(word.to_owned());
                            }
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
                        context.town,
                        context.region,
                        context.mode,
                        context.programme,
                        context.labels,
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
        .collect())
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
        Reason::Terms { labels } => format!(
            "専門分野・資格{}がニーズに合っています",
            labels
                .iter()
                .map(|l| format!("「{l}」"))
                .collect::<String>()
        ),
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
