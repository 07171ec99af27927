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
use crate::domain::synonyms::{Alternative, Synonyms};

/// One word: its alternatives (the word and its synonyms), each as tokens.
struct Part {
    alternatives: Vec<Vec<Token>>,
    /// The folded text of each alternative, for highlighting.
    texts: Vec<String>,
    /// Per alternative: its weight in ranking (lower for a broader term).
    weights: Vec<f32>,
    /// Per alternative: whether matching looks for it (not when another
    /// alternative inside it already finds its documents).
    covering: Vec<bool>,
    /// Quoted: the tokens must stand at their positions.
    phrase: bool,
    /// The character bigrams of a Japanese word of four characters or more: a
    /// near match for a word whose spelling no case has (経験者採用 → 経験, 採用 …);
    /// of three kanji, the first two (心理士 → 心理; not 京都 of 東京都).
    bigrams: Vec<String>,
}

/// Boost of a word's bigrams against the word itself when ranking.
const PARTIAL_BOOST: f32 = 0.3;

/// The bigrams of a Japanese word of three characters or more, written in kanji
/// and hiragana: two kanji are a word of their own (経験者採用 → 採用), two
/// katakana rarely are (クラウド → クラ, ラウ), and a katakana word's own 4-grams
/// already find its longer forms.
fn bigrams_of(text: &str) -> Vec<String> {
    let katakana = |c: char| matches!(c, '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}');
    let kanji = |c: &char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '々');
    if text.chars().any(katakana) || text.chars().filter(kanji).count() < 2 {
        return Vec::new();
    }
    let chars: Vec<char> = fold(text).chars().collect();
    if chars.len() < 3 || !chars.iter().all(|c| is_cjk(*c)) {
        return Vec::new();
    }
    // Three kanji are mostly a word and a suffix (心理士, 経験者, 研修所): the
    // near match is the word.
    if chars.len() == 3 {
        return if chars.iter().all(kanji) {
            vec![chars[..2].iter().collect()]
        } else {
            Vec::new()
        };
    }
    let mut out: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    out.dedup();
    out
}

impl Part {
    fn new(part: &QueryPart, synonyms: &Synonyms) -> Option<Self> {
        // A quoted phrase is matched as typed; a word brings its synonyms.
        let expanded = if part.phrase {
            vec![Alternative {
                text: fold(&part.text),
                weight: 1.0,
            }]
        } else {
            synonyms.alternatives(&part.text)
        };
        let mut alternatives = Vec::new();
        let mut texts = Vec::new();
        let mut weights = Vec::new();
        for alternative in expanded {
            let tokens = query_tokens(&alternative.text);
            if !tokens.is_empty() {
                alternatives.push(tokens);
                texts.push(alternative.text);
                weights.push(alternative.weight);
            }
        }
        let covering = Synonyms::covering(&texts);
        let bigrams = if part.phrase {
            Vec::new()
        } else {
            bigrams_of(&part.text)
        };
        (!alternatives.is_empty()).then_some(Self {
            alternatives,
            texts,
            weights,
            covering,
            phrase: part.phrase,
            bigrams,
        })
    }

    /// The word, or (for a long Japanese word) at least half of its bigrams.
    fn near_matching(&self, all: Field) -> Box<dyn Query> {
        let exact = self.matching(all);
        if self.bigrams.is_empty() {
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
        let half = match self.bigrams.len() {
            1 => 1,
            n => n.div_ceil(2).max(2),
        };
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
            .zip(&self.covering)
            .filter(|(_, covering)| **covering)
            .map(|(tokens, _)| {
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
    /// boost (times the alternative's weight) and the terms that must all be in
    /// the field.
    fn ranking(&self, fields: &Fields) -> Vec<RankedTerms> {
        let mut out = Vec::new();
        for (tokens, weight) in self.alternatives.iter().zip(&self.weights) {
            for (field, boost) in fields.weighted_text() {
                out.push(RankedTerms {
                    boost: boost * weight,
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
        gram_ranking(&self.bigrams, fields)
    }
}

/// One group per bigram and field, at a fraction of the field's boost.
fn gram_ranking(grams: &[String], fields: &Fields) -> Vec<RankedTerms> {
    let mut out = Vec::new();
    for gram in grams {
        for (field, boost) in fields.weighted_text() {
            out.push(RankedTerms {
                boost: boost * PARTIAL_BOOST,
                terms: vec![Term::from_field_text(field, gram)],
            });
        }
    }
    out
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
    /// The content bigrams of words typed as sentences, which rank near matches
    /// by what else of the sentence they hold (困りごと in 住民の困りごとを調べたい).
    sentence_grams: Vec<String>,
    all: Field,
}

/// At most this many bigrams of a sentence take part in ranking.
const MAX_SENTENCE_GRAMS: usize = 32;

/// The bigrams of a sentence (a word with kana and kanji, six characters or
/// more) that hold a kanji or are katakana, folded: 「困りごとを調べる」 gives
/// 困り, 調べ but not とを.
fn sentence_grams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let hiragana = |c: char| matches!(c, '\u{3041}'..='\u{309F}');
    let katakana = |c: char| matches!(c, '\u{30A1}'..='\u{30FA}');
    let kanji = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '々');
    if chars.len() < 6 || !chars.iter().any(|c| hiragana(*c)) || !chars.iter().any(|c| kanji(*c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let content = kanji(a) || kanji(b) || (katakana(a) && katakana(b));
        if content && is_cjk(a) && is_cjk(b) {
            let gram = fold(&pair.iter().collect::<String>());
            if gram.chars().count() == 2 && !out.contains(&gram) {
                out.push(gram);
            }
        }
    }
    out.truncate(MAX_SENTENCE_GRAMS);
    out
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
        // A bigram inside a loosened word is scored with the word already.
        let sentence_grams = query
            .required
            .iter()
            .filter(|p| !p.phrase)
            .flat_map(|p| sentence_grams(&p.text))
            .filter(|g| {
                !relaxed
                    .iter()
                    .any(|p: &Part| p.texts.iter().any(|t| t.contains(g.as_str())))
            })
            .collect();
        Self {
            required: build(&query.required),
            relaxed,
            excluded: build(&query.excluded),
            sentence_grams,
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
            || self.relaxed.iter().any(|p| !p.bigrams.is_empty())
            || self
                .relaxed
                .iter()
                .zip(&self.required)
                .any(|(r, q)| r.texts != q.texts)
    }

    /// How many loosened words a near match needs: all but the rest of a half
    /// (1 of 2, 2 of 3 or 4, 3 of 5 or 6 …).
    pub fn near_minimum(&self) -> usize {
        self.relaxed.len().div_ceil(2).max(1)
    }

    /// Near matches: at least `minimum` of the loosened words, each as spelled
    /// or by its bigrams; excluded words must not match.
    pub fn near_clauses(&self, minimum: usize) -> Vec<(Occur, Box<dyn Query>)> {
        let words: Vec<(Occur, Box<dyn Query>)> = self
            .relaxed
            .iter()
            .map(|p| (Occur::Should, p.near_matching(self.all)))
            .collect();
        let near: Box<dyn Query> =
            Box::new(BooleanQuery::with_minimum_required_clauses(words, minimum));
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
        let mut out: Vec<RankedTerms> = self
            .relaxed
            .iter()
            .flat_map(|p| p.partial_ranking(fields))
            .collect();
        out.extend(gram_ranking(&self.sentence_grams, fields));
        out
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
