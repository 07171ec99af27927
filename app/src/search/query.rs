//! Turning a parsed [`SearchQuery`] into tantivy queries.
//!
//! Matching runs on the `all` field, which holds every text of a document with
//! positions: a word is one term (up to four CJK characters) or all of its
//! overlapping 4-grams; a quoted phrase is a positional phrase query. A word's
//! synonyms are alternatives. Ranking then re-scores the best candidates with BM25
//! per field and field boosts ([`Fields::weighted_text`]).

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::Fields;
use crate::domain::search_query::{QueryPart, SearchQuery};
use crate::domain::search_text::{MAX_GRAM, Token, fold, is_cjk, query_tokens};
use crate::domain::synonyms::Synonyms;

/// One word: its alternatives (the word and its synonyms), each as tokens.
struct Part {
    alternatives: Vec<Vec<Token>>,
    /// The folded text of each alternative, for highlighting.
    texts: Vec<String>,
    /// Quoted: the tokens must stand at their positions.
    phrase: bool,
    /// The character bigrams of a Japanese word of four characters or more: a
    /// near match for a word whose spelling no case has (経験者採用 → 経験, 採用 …).
    /// Shorter words are left whole: the two bigrams of 東京都 are just as much
    /// those of 京都と東京.
    bigrams: Vec<String>,
}

/// Boost of a word's bigrams against the word itself when ranking.
const PARTIAL_BOOST: f32 = 0.3;

/// The bigrams of a word made of CJK characters only, four or more of them.
fn bigrams_of(text: &str) -> Vec<String> {
    let chars: Vec<char> = fold(text).chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| is_cjk(*c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    out.dedup();
    out
}

impl Part {
    fn new(part: &QueryPart, synonyms: &Synonyms) -> Option<Self> {
        // A quoted phrase is matched as typed; a word brings its synonyms.
        let texts = if part.phrase {
            vec![fold(&part.text)]
        } else {
            synonyms.expand(&part.text)
        };
        let (alternatives, texts): (Vec<Vec<Token>>, Vec<String>) = texts
            .into_iter()
            .map(|t| (query_tokens(&t), t))
            .filter(|(tokens, _)| !tokens.is_empty())
            .unzip();
        let bigrams = if part.phrase {
            Vec::new()
        } else {
            bigrams_of(&part.text)
        };
        (!alternatives.is_empty()).then_some(Self {
            alternatives,
            texts,
            phrase: part.phrase,
            bigrams,
        })
    }

    /// The word, or (for a long Japanese word) at least half of its bigrams.
    fn near_matching(&self, all: Field) -> Box<dyn Query> {
        let exact = self.matching(all);
        if self.bigrams.len() < 2 {
            return exact;
        }
        let grams: Vec<(Occur, Box<dyn Query>)> = self
            .bigrams
            .iter()
            .map(|g| {
                let term: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(all, g),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, term)
            })
            .collect();
        let half = self.bigrams.len().div_ceil(2).max(2);
        let partial: Box<dyn Query> =
            Box::new(BooleanQuery::with_minimum_required_clauses(grams, half));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (Occur::Should, partial),
        ]))
    }

    /// Matches the word anywhere in the document. A word of up to four CJK
    /// characters is one term. A longer CJK word needs all its overlapping 4-grams
    /// (「地方公共団体」: 地方公共, 方公共団, 公共団体), which in practice only its own
    /// spelling has, so no positions are read. Anything else (ITパスポート, a quoted
    /// phrase) is checked position by position.
    fn matching(&self, all: Field) -> Box<dyn Query> {
        let term = |text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(all, text),
                IndexRecordOption::WithFreqs,
            ))
        };
        let clauses = self
            .alternatives
            .iter()
            .map(|tokens| {
                let query: Box<dyn Query> = match tokens.as_slice() {
                    [token] => term(&token.text),
                    _ if !self.phrase && overlapping_grams(tokens) => Box::new(BooleanQuery::new(
                        tokens
                            .iter()
                            .map(|t| (Occur::Must, term(&t.text)))
                            .collect(),
                    )),
                    _ => Box::new(PhraseQuery::new_with_offset(
                        tokens
                            .iter()
                            .map(|t| (t.position, Term::from_field_text(all, &t.text)))
                            .collect(),
                    )),
                };
                (Occur::Should, query)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// The terms that score this word: per alternative and field, the field's
    /// boost and the terms that must all be in the field.
    fn ranking(&self, fields: &Fields) -> Vec<RankedTerms> {
        let mut out = Vec::new();
        for tokens in &self.alternatives {
            for (field, boost) in fields.weighted_text() {
                out.push(RankedTerms {
                    boost,
                    terms: tokens
                        .iter()
                        .map(|t| Term::from_field_text(field, &t.text))
                        .collect(),
                });
            }
        }
        out
    }

    /// The bigrams that score a near match, one group per bigram and field, at a
    /// fraction of the field's boost.
    fn partial_ranking(&self, fields: &Fields) -> Vec<RankedTerms> {
        let mut out = Vec::new();
        for gram in &self.bigrams {
            for (field, boost) in fields.weighted_text() {
                out.push(RankedTerms {
                    boost: boost * PARTIAL_BOOST,
                    terms: vec![Term::from_field_text(field, gram)],
                });
            }
        }
        out
    }
}

/// Terms that all have to be in one field for a word to score there.
pub struct RankedTerms {
    /// The field's boost.
    pub boost: f32,
    /// The word's terms in that field.
    pub terms: Vec<Term>,
}

/// Whether the tokens are the overlapping 4-grams of one CJK run, which fix their
/// own order; anything else (a Latin word next to kana, words across a space)
/// needs its positions checked.
fn overlapping_grams(tokens: &[Token]) -> bool {
    tokens
        .windows(2)
        .all(|w| w[1].position == w[0].position + 1)
        && tokens
            .iter()
            .all(|t| t.text.chars().count() == MAX_GRAM && t.text.chars().all(is_cjk))
}

/// The text part of a search.
pub struct TextQuery {
    required: Vec<Part>,
    relaxed: Vec<Part>,
    excluded: Vec<Part>,
    all: Field,
}

impl TextQuery {
    /// Builds the parts; words that yield no token are dropped.
    pub fn build(query: &SearchQuery, fields: &Fields, synonyms: &Synonyms) -> Self {
        let build = |parts: &[QueryPart]| {
            parts
                .iter()
                .filter_map(|part| Part::new(part, synonyms))
                .collect()
        };
        let mut relaxed: Vec<Part> = build(&query.relaxed());
        // Vocabulary terms inside a sentence are words of their own.
        for part in query.required.iter().filter(|p| !p.phrase) {
            for term in synonyms.terms_in(&part.text) {
                let word = QueryPart {
                    text: term,
                    phrase: false,
                };
                if let Some(new) = Part::new(&word, synonyms)
                    && !relaxed.iter().any(|r| r.texts.first() == new.texts.first())
                {
                    relaxed.push(new);
                }
            }
        }
        Self {
            required: build(&query.required),
            relaxed,
            excluded: build(&query.excluded),
            all: fields.all,
        }
    }

    /// Number of required words.
    pub fn parts(&self) -> usize {
        self.required.len()
    }

    /// Whether near matches could find more than the AND: several words,
    /// unspaced Japanese that loosens into several, or a long Japanese word that
    /// can match by its bigrams.
    pub fn can_fall_back(&self) -> bool {
        self.required.len() > 1
            || self.relaxed.len() > 1
            || self.relaxed.iter().any(|p| p.bigrams.len() > 1)
    }

    /// How many loosened words a near match needs: all but the rest of a half
    /// (1 of 2, 2 of 3 or 4, 3 of 5 or 6 …).
    pub fn near_minimum(&self) -> usize {
        self.relaxed.len().div_ceil(2).max(1)
    }

    /// Near matches: at least [`TextQuery::near_minimum`] of the loosened words,
    /// each as spelled or by its bigrams; excluded words must not match.
    pub fn near_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        let words: Vec<(Occur, Box<dyn Query>)> = self
            .relaxed
            .iter()
            .map(|p| (Occur::Should, p.near_matching(self.all)))
            .collect();
        let near: Box<dyn Query> = Box::new(BooleanQuery::with_minimum_required_clauses(
            words,
            self.near_minimum(),
        ));
        std::iter::once((Occur::Must, near))
            .chain(self.excluded_clauses())
            .collect()
    }

    fn excluded_clauses(&self) -> impl Iterator<Item = (Occur, Box<dyn Query>)> + '_ {
        self.excluded
            .iter()
            .map(|p| (Occur::MustNot, p.matching(self.all)))
    }

    /// Every word must match; excluded words must not.
    pub fn and_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        self.required
            .iter()
            .map(|p| (Occur::Must, p.matching(self.all)))
            .chain(self.excluded_clauses())
            .collect()
    }

    fn used(&self, or: bool) -> &[Part] {
        if or { &self.relaxed } else { &self.required }
    }

    /// For each word used, the terms that score it per field, for re-scoring
    /// candidates. With near matches these are the loosened words and the typed
    /// words they came from (so a sentence whose synonym matches scores for it).
    pub fn ranking(&self, or: bool, fields: &Fields) -> Vec<Vec<RankedTerms>> {
        let mut out: Vec<Vec<RankedTerms>> =
            self.used(or).iter().map(|p| p.ranking(fields)).collect();
        if or {
            for part in &self.required {
                if !self.relaxed.iter().any(|r| r.texts == part.texts) {
                    out.push(part.ranking(fields));
                }
            }
        }
        out
    }

    /// The bigrams of the loosened words, which score near matches (not counted
    /// as words matched).
    pub fn partial_ranking(&self, fields: &Fields) -> Vec<RankedTerms> {
        self.relaxed
            .iter()
            .flat_map(|p| p.partial_ranking(fields))
            .collect()
    }

    /// The folded texts to highlight.
    pub fn needles(&self, or: bool) -> Vec<String> {
        let mut out: Vec<String> = self
            .used(or)
            .iter()
            .flat_map(|p| p.texts.iter().cloned())
            .collect();
        if or {
            for text in self.required.iter().flat_map(|p| p.texts.iter()) {
                if !out.contains(text) {
                    out.push(text.clone());
                }
            }
        }
        out
    }
}
