//! One search, in stages: the filter sets, the text's matches (every word, or
//! any word when that finds nothing), the order, the page of hits and the facet
//! counts. [`SearchIndex::search`] reads as that list; each stage is a method of
//! [`Run`], which holds what the stages share.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::bits::Bits;
use super::query::{self, TextQuery};
use super::schema::Fields;
use super::segment_sets::{self, SegmentView};
use super::{
    Fallback, Highlighted, RERANK_CANDIDATES, SNIPPET_CHARS, SearchError, SearchHit, SearchIndex,
    SearchRequest, SearchResult, SortOrder,
};
use crate::domain::synonyms::Synonyms;

/// Hits with their score and address, best first.
type Ranked = Vec<(f32, DocAddress)>;

/// Near matches are looked for when fewer documents than this have every word:
/// past a few pages of full matches nobody reads the near ones, and on a bank of
/// 100,000 advisors the second pass over a common word's bigrams would triple
/// the time of an everyday search.
const NEAR_WHEN_FEWER_THAN: usize = 50;

/// What the text matched.
struct Found {
    /// Per segment: the documents matched (every word, or near).
    matched: Vec<Bits>,
    /// Per segment: those with every word, when near matches were added.
    exact: Option<Vec<Bits>>,
    /// The best scored candidates.
    candidates: Ranked,
    /// Set when no document had every word.
    fallback: Option<Fallback>,
}

impl SearchIndex {
    /// Runs a search. Words are ANDed; if that finds nothing, the loosened words
    /// ([`crate::domain::search_query::SearchQuery::relaxed`]) are ORed instead
    /// and [`SearchResult::fallback`] says so.
    ///
    /// One pass over the documents matching the text (none without text) gathers
    /// them as a set per segment and keeps the best scored ones that pass the
    /// filters; totals and facet counts are then intersections of that set with
    /// the cached sets of the filter and facet values (see [`segment_sets`]).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResult, SearchError> {
        let searcher = self.searcher()?;
        let fields = &self.inner.fields;
        let synonyms = self.inner.synonyms.current();
        let text = TextQuery::build(&request.query, fields, &synonyms);
        let views = self.inner.sets.views(searcher.segment_readers(), fields)?;
        let run = Run::new(&searcher, fields, &views, request);

        let found = run.matches(&text)?;
        let total = run.total_of(&found.matched);
        let exact_total = found.exact.as_deref().map_or(total, |e| run.total_of(e));
        let shown: Vec<Bits> = found
            .matched
            .iter()
            .zip(&run.passing)
            .map(|(m, p)| m.and(p))
            .collect();
        let loosened = found.exact.is_some();
        let page = run.page(&text, &found, &shown)?;
        let mut hits = run.hits(&page, &text.needles(loosened))?;
        if let Some(exact) = &found.exact {
            for (hit, (_, address)) in hits.iter_mut().zip(&page) {
                hit.partial = !exact
                    .get(address.segment_ord as usize)
                    .is_some_and(|bits| bits.contains(address.doc_id));
            }
        }
        let facets = run.facets(&found.matched, &shown);
        // Nothing has every word: offer the spellings the vocabulary knows.
        let suggestions = if exact_total == 0 && request.fallback && text.parts() > 0 {
            run.suggestions(&synonyms)?
        } else {
            Vec::new()
        };
        Ok(SearchResult {
            total,
            exact_total,
            fallback: found.fallback,
            hits,
            facets,
            suggestions,
        })
    }
}

/// What the stages of one search share.
struct Run<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    views: &'a [SegmentView],
    request: &'a SearchRequest,
    /// Per segment: the documents of the kind that are alive.
    base: Vec<Bits>,
    /// Per segment: those of `base` that pass every filter.
    passing: Vec<Arc<Bits>>,
}

impl<'a> Run<'a> {
    /// Stage 1: the filter sets.
    fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        views: &'a [SegmentView],
        request: &'a SearchRequest,
    ) -> Self {
        let base = views
            .iter()
            .map(|view| {
                let mut base = match view.sets.kind(request.kind) {
                    Some(kind) => kind.and(&view.alive),
                    None => Bits::empty(view.sets.max_doc),
                };
                if let Some(readable) = &request.readable {
                    let mut any = Bits::empty(view.sets.max_doc);
                    for allowed in readable {
                        if let Some(docs) = view.sets.facet(&allowed.dimension, &allowed.value) {
                            any.or_with(docs);
                        }
                    }
                    base.and_with(&any);
                }
                base
            })
            .collect();
        let mut run = Self {
            searcher,
            fields,
            views,
            request,
            base,
            passing: Vec::new(),
        };
        run.passing = run.filtered(None).into_iter().map(Arc::new).collect();
        run
    }

    /// Per segment: the documents of `base` passing every filter but (optionally)
    /// those on one dimension.
    fn filtered(&self, except: Option<&str>) -> Vec<Bits> {
        self.views
            .iter()
            .zip(&self.base)
            .map(|(view, base)| {
                let mut bits = base.clone();
                for filter in &self.request.filters {
                    if Some(filter.dimension.as_str()) == except {
                        continue;
                    }
                    match view.sets.facet(&filter.dimension, &filter.value) {
                        Some(value) => bits.and_with(value),
                        None => bits = Bits::empty(view.sets.max_doc),
                    }
                }
                bits
            })
            .collect()
    }

    fn by_score(&self, text: &TextQuery) -> bool {
        self.request.sort == SortOrder::Relevance && text.parts() > 0
    }

    /// Hits up to the end of the requested page.
    fn wanted(&self) -> usize {
        self.request.offset + self.request.limit.max(1)
    }

    /// Stage 2: the text's matches per segment and its best scored candidates:
    /// the documents with every word and, when the request allows it, the near
    /// ones (most of the words, or a long word by its bigrams), which rank after
    /// them. Without text every document of the kind matches.
    fn matches(&self, text: &TextQuery) -> Result<Found, SearchError> {
        if text.parts() == 0 {
            return Ok(Found {
                matched: self.base.clone(),
                exact: None,
                candidates: Vec::new(),
                fallback: None,
            });
        }
        let (matched, best) = self.run(text, text.and_clauses())?;
        let exact_total = self.total_of(&matched);
        if self.request.fallback && text.can_fall_back() && exact_total < NEAR_WHEN_FEWER_THAN {
            // Most of the words first; when that adds nothing (a short profile
            // rarely holds half the words of a question), any of them.
            let minimum = text.near_minimum();
            let (mut near, mut near_best) = self.run(text, text.near_clauses(minimum))?;
            if minimum > 1 && self.total_of(&near) <= exact_total {
                (near, near_best) = self.run(text, text.near_clauses(1))?;
            }
            if self.total_of(&near) > exact_total {
                let mut candidates = best;
                let known: std::collections::HashSet<DocAddress> =
                    candidates.iter().map(|(_, a)| *a).collect();
                candidates.extend(near_best.into_iter().filter(|(_, a)| !known.contains(a)));
                return Ok(Found {
                    matched: near,
                    exact: Some(matched),
                    candidates,
                    fallback: (exact_total == 0).then_some(Fallback::Or),
                });
            }
        }
        Ok(Found {
            matched,
            exact: None,
            candidates: best,
            fallback: None,
        })
    }

    /// One pass of a query: its matches per segment and the best scored hits
    /// among those passing the filters.
    fn run(
        &self,
        text: &TextQuery,
        clauses: Vec<(Occur, Box<dyn Query>)>,
    ) -> Result<(Vec<Bits>, Ranked), SearchError> {
        let limit = if self.by_score(text) {
            self.wanted().max(RERANK_CANDIDATES)
        } else {
            0
        };
        // The filter sets hold the kind already; a query of exclusions only needs
        // something positive to exclude from.
        let mut all = Vec::with_capacity(clauses.len() + 1);
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            let kind = Term::from_field_text(self.fields.kind, self.request.kind);
            let kind: Box<dyn Query> = Box::new(TermQuery::new(kind, IndexRecordOption::Basic));
            all.push((Occur::Must, kind));
        }
        all.extend(clauses);
        self.collect(all, limit)
    }

    /// The matches of a query per segment, and (when `limit` is not 0) its best
    /// scored hits among those passing the filters.
    fn collect(
        &self,
        clauses: Vec<(Occur, Box<dyn Query>)>,
        limit: usize,
    ) -> Result<(Vec<Bits>, Ranked), SearchError> {
        let fruits = self.searcher.search(
            &BooleanQuery::new(clauses),
            &segment_sets::MatchCollector {
                filters: self.passing.clone(),
                limit,
            },
        )?;
        let mut matched: Vec<Bits> = self
            .views
            .iter()
            .map(|v| Bits::empty(v.sets.max_doc))
            .collect();
        let mut best = Vec::new();
        for (segment, bits, hits) in fruits {
            if let Some(slot) = matched.get_mut(segment as usize) {
                *slot = bits;
            }
            best.extend(hits);
        }
        best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        best.truncate(limit);
        Ok((matched, best))
    }

    /// Stage 6, when nothing matched: for each typed word (the first three), the
    /// query with that word replaced by a vocabulary term spelt like it, kept
    /// when it finds something under the same filters; at most three.
    fn suggestions(&self, synonyms: &Synonyms) -> Result<Vec<String>, SearchError> {
        const MAX_SUGGESTIONS: usize = 3;
        let query = &self.request.query;
        let mut out: Vec<String> = Vec::new();
        for (i, part) in query.required.iter().enumerate().take(MAX_SUGGESTIONS) {
            if part.phrase {
                continue;
            }
            for term in synonyms.nearest(&part.text, MAX_SUGGESTIONS) {
                let mut replaced = query.clone();
                replaced.required[i].text = term;
                let text = TextQuery::build(&replaced, self.fields, synonyms);
                let (matched, _) = self.collect(text.and_clauses(), 0)?;
                let written = replaced.text();
                if self.total_of(&matched) > 0 && !out.contains(&written) {
                    out.push(written);
                }
                if out.len() == MAX_SUGGESTIONS {
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }

    /// Matches that pass the filters, over all pages.
    fn total_of(&self, matched: &[Bits]) -> usize {
        matched
            .iter()
            .zip(&self.passing)
            .map(|(m, p)| m.count_and(p))
            .sum::<u64>() as usize
    }

    /// Stage 3: the requested page in order: by field-boosted score (documents
    /// with every word first, then by the number of words matched), or in the
    /// natural or recent order of the documents.
    fn page(&self, text: &TextQuery, found: &Found, shown: &[Bits]) -> Result<Ranked, SearchError> {
        let loosened = found.exact.is_some();
        let ordered = if self.by_score(text) {
            let ranking = Ranking {
                words: text.ranking(loosened, self.fields),
                partial: if loosened {
                    text.partial_ranking(self.fields)
                } else {
                    Vec::new()
                },
                exact: found.exact.as_deref(),
            };
            rerank(self.searcher, &ranking, found.candidates.clone())?
        } else {
            in_order(self.views, shown, self.request.sort, self.wanted())
        };
        Ok(ordered
            .into_iter()
            .skip(self.request.offset)
            .take(self.request.limit.max(1))
            .collect())
    }

    /// Stage 4: the hits of the page, highlighted from the stored documents or,
    /// without highlighting, with their id read from the fast field alone.
    fn hits(&self, page: &Ranked, needles: &[String]) -> Result<Vec<SearchHit>, SearchError> {
        if !self.request.highlight {
            return self.bare_hits(page);
        }
        let fields = self.fields;
        let mut hits = Vec::with_capacity(page.len());
        for &(score, address) in page {
            let doc: TantivyDocument = self.searcher.doc(address)?;
            let text_of = |field| text_of(&doc, field);
            let (title, snippet) = decorate(&doc, fields, needles);
            hits.push(SearchHit {
                kind: text_of(fields.kind),
                id: text_of(fields.id),
                score,
                title,
                snippet,
                probes: self.probes_of(address),
                card: text_of(fields.card),
                partial: false,
            });
        }
        Ok(hits)
    }

    fn bare_hits(&self, page: &Ranked) -> Result<Vec<SearchHit>, SearchError> {
        let mut columns = BTreeMap::new();
        let mut hits = Vec::with_capacity(page.len());
        for &(score, address) in page {
            let segment = address.segment_ord;
            if let std::collections::btree_map::Entry::Vacant(slot) = columns.entry(segment) {
                let reader = self.searcher.segment_reader(segment);
                slot.insert(reader.fast_fields().str("id")?);
            }
            let mut id = String::new();
            if let Some(Some(column)) = columns.get(&segment)
                && let Some(ord) = column.ords().first(address.doc_id)
            {
                column.ord_to_str(ord, &mut id)?;
            }
            hits.push(SearchHit {
                kind: self.request.kind.to_owned(),
                id,
                score,
                title: Highlighted::default(),
                snippet: Highlighted::default(),
                probes: self.probes_of(address),
                card: String::new(),
                partial: false,
            });
        }
        Ok(hits)
    }

    /// For each of the request's probes, whether the document has that value.
    fn probes_of(&self, address: DocAddress) -> Vec<bool> {
        let view = self.views.get(address.segment_ord as usize);
        self.request
            .probes
            .iter()
            .map(|(dimension, value)| {
                view.and_then(|v| v.sets.facet(dimension, value))
                    .is_some_and(|docs| docs.contains(address.doc_id))
            })
            .collect()
    }

    /// Stage 5: counts per value of each requested dimension, among the matches
    /// under every filter but the dimension's own (so choosing one value still
    /// shows how many the others would find).
    fn facets(&self, matched: &[Bits], shown: &[Bits]) -> BTreeMap<String, Vec<(String, u64)>> {
        let mut facets = BTreeMap::new();
        for dimension in &self.request.facet_dimensions {
            let own_filter = self
                .request
                .filters
                .iter()
                .any(|f| f.dimension == *dimension);
            let within: Vec<Bits> = if own_filter {
                matched
                    .iter()
                    .zip(self.filtered(Some(dimension)))
                    .map(|(m, f)| m.and(&f))
                    .collect()
            } else {
                shown.to_vec()
            };
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for (view, within) in self.views.iter().zip(&within) {
                for (value, docs) in view.sets.values(dimension) {
                    let n = within.count_and(docs);
                    if n > 0 {
                        *counts.entry(value.clone()).or_default() += n;
                    }
                }
            }
            facets.insert((*dimension).to_owned(), counts.into_iter().collect());
        }
        facets
    }
}

/// What candidates are re-scored with.
struct Ranking<'a> {
    /// Per word: the terms that score it per field.
    words: Vec<Vec<query::RankedTerms>>,
    /// The bigrams of long words, which score near matches without counting as
    /// a word matched.
    partial: Vec<query::RankedTerms>,
    /// Per segment: the documents with every word, when near ones are mixed in.
    exact: Option<&'a [Bits]>,
}

/// Re-scores candidates with field-boosted BM25 and orders them: documents with
/// every word first, then by the number of words they match, then by score,
/// keeping the first-stage order between equals.
///
/// A word scores in a field when all its terms are there: the sum of their BM25
/// scores times the field's boost, over the word's alternatives and the fields.
/// Each term's postings are only sought at the candidates (skip lists), so this
/// costs little whatever the number of matches.
fn rerank(
    searcher: &Searcher,
    ranking: &Ranking<'_>,
    candidates: Vec<(f32, DocAddress)>,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let mut weights: BTreeMap<Term, Box<dyn tantivy::query::Weight>> = BTreeMap::new();
    for group in ranking.words.iter().flatten().chain(&ranking.partial) {
        for term in &group.terms {
            if !weights.contains_key(term) {
                let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                weights.insert(term.clone(), query.weight(scoring)?);
            }
        }
    }
    let mut by_segment: BTreeMap<u32, Vec<(usize, DocAddress)>> = BTreeMap::new();
    for (rank, (_, address)) in candidates.iter().enumerate() {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push((rank, *address));
    }
    // (exact, words matched, score, first-stage rank, address)
    let mut scored: Vec<(bool, usize, f32, usize, DocAddress)> =
        Vec::with_capacity(candidates.len());
    for (segment, mut docs) in by_segment {
        docs.sort_by_key(|(_, address)| address.doc_id);
        let reader = searcher.segment_reader(segment);
        let mut scorers: BTreeMap<&Term, Box<dyn tantivy::query::Scorer>> = BTreeMap::new();
        for (term, weight) in &weights {
            scorers.insert(term, weight.scorer(reader, 1.0)?);
        }
        let exact = ranking.exact.and_then(|e| e.get(segment as usize));
        for (rank, address) in docs {
            // Score of each term at this document, if present.
            let mut at_doc: BTreeMap<&Term, f32> = BTreeMap::new();
            for (term, scorer) in scorers.iter_mut() {
                let mut doc = scorer.doc();
                if doc < address.doc_id {
                    doc = scorer.seek(address.doc_id);
                }
                if doc == address.doc_id {
                    at_doc.insert(term, scorer.score());
                }
            }
            let group_score = |group: &query::RankedTerms| -> Option<f32> {
                let scores: Option<Vec<f32>> =
                    group.terms.iter().map(|t| at_doc.get(t).copied()).collect();
                scores.map(|s| group.boost * s.iter().sum::<f32>() / s.len().max(1) as f32)
            };
            let per_word: Vec<f32> = ranking
                .words
                .iter()
                .map(|word| word.iter().filter_map(group_score).sum())
                .collect();
            let matched = per_word.iter().filter(|s| **s > 0.0).count();
            let partial: f32 = ranking.partial.iter().filter_map(group_score).sum();
            let score = per_word.iter().sum::<f32>() + partial;
            let is_exact = exact.is_none_or(|bits| bits.contains(address.doc_id));
            scored.push((is_exact, matched, score, rank, address));
        }
    }
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.total_cmp(&a.2))
            .then(a.3.cmp(&b.3))
    });
    Ok(scored
        .into_iter()
        .map(|(_, _, score, _, address)| (score, address))
        .collect())
}

/// A stored text field of a document, or empty.
pub(super) fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The title with the query's words marked, and the first fragment of the summary
/// (or the points) where they occur.
pub(super) fn decorate(
    doc: &TantivyDocument,
    fields: &Fields,
    needles: &[String],
) -> (Highlighted, Highlighted) {
    let (title, _) = highlighted(&text_of(doc, fields.title), needles, usize::MAX);
    let snippet = if needles.is_empty() {
        Highlighted::default()
    } else {
        [fields.summary, fields.points]
            .into_iter()
            .map(|field| highlighted(&text_of(doc, field), needles, SNIPPET_CHARS))
            .find(|(_, matched)| *matched)
            .map(|(h, _)| h)
            .unwrap_or_default()
    };
    (title, snippet)
}

fn highlighted(text: &str, needles: &[String], window: usize) -> (Highlighted, bool) {
    let (text, ranges, matched) = crate::domain::search_text::highlight(text, needles, window);
    (Highlighted { text, ranges }, matched)
}

/// The first `wanted` documents of the sets in natural (`order` ascending) or
/// recent (`recency` descending) order, ties by position.
fn in_order(
    views: &[segment_sets::SegmentView],
    shown: &[Bits],
    sort: SortOrder,
    wanted: usize,
) -> Vec<(f32, DocAddress)> {
    let newest_first = sort == SortOrder::Recent;
    let mut keyed: Vec<(u64, DocAddress)> = Vec::new();
    for (segment, (view, bits)) in views.iter().zip(shown).enumerate() {
        keyed.extend(
            view.sets
                .first_in_order(bits, newest_first, wanted)
                .map(|(key, doc)| (key, DocAddress::new(segment as u32, doc))),
        );
    }
    keyed.sort_unstable();
    keyed.truncate(wanted);
    keyed.into_iter().map(|(_, a)| (0.0, a)).collect()
}
