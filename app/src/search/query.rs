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
        (!alternatives.is_empty()).then_some(Self {
            alternatives,
            texts,
            phrase: part.phrase,
        })
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
        Self {
            required: build(&query.required),
            relaxed: build(&query.relaxed()),
            excluded: build(&query.excluded),
            all: fields.all,
        }
    }

    /// Number of required words.
    pub fn parts(&self) -> usize {
        self.required.len()
    }

    /// Whether an OR fallback could find more than the AND: several words, or
    /// unspaced Japanese that loosens into several.
    pub fn can_fall_back(&self) -> bool {
        self.required.len() > 1 || self.relaxed.len() > 1
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

    /// At least one of the loosened words must match (more matches score higher).
    pub fn or_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        let any: Box<dyn Query> = Box::new(BooleanQuery::new(
            self.relaxed
                .iter()
                .map(|p| (Occur::Should, p.matching(self.all)))
                .collect(),
        ));
        std::iter::once((Occur::Must, any))
            .chain(self.excluded_clauses())
            .collect()
    }

    fn used(&self, or: bool) -> &[Part] {
        if or { &self.relaxed } else { &self.required }
    }

    /// For each word used (the loosened words after an OR fallback), the terms
    /// that score it per field, for re-scoring candidates.
    pub fn ranking(&self, or: bool, fields: &Fields) -> Vec<Vec<RankedTerms>> {
        self.used(or).iter().map(|p| p.ranking(fields)).collect()
    }

    /// The folded texts to highlight.
    pub fn needles(&self, or: bool) -> Vec<String> {
        self.used(or)
            .iter()
            .flat_map(|p| p.texts.iter().cloned())
            .collect()
    }
}
