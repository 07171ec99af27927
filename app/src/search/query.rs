//! Turning a parsed [`SearchQuery`] into tantivy queries.
//!
//! Each word becomes, for each of its synonym alternatives and each text field, a
//! term query (one token) or a phrase query over its tokens at their positions
//! (several tokens): a substring match on the folded text. Field boosts weight
//! where the match is.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::schema::Fields;
use crate::domain::search_query::{QueryPart, SearchQuery};
use crate::domain::search_text::{fold, query_tokens};
use crate::domain::synonyms::Synonyms;

/// The text part of a search: required and excluded word queries.
pub struct TextQuery {
    required: Vec<Box<dyn Query>>,
    relaxed: Vec<Box<dyn Query>>,
    excluded: Vec<Box<dyn Query>>,
}

impl TextQuery {
    /// Builds the queries; parts that yield no token are dropped.
    pub fn build(query: &SearchQuery, fields: &Fields, synonyms: &Synonyms) -> Self {
        let build = |parts: &[QueryPart]| {
            parts
                .iter()
                .filter_map(|part| part_query(part, fields, synonyms))
                .collect()
        };
        Self {
            required: build(&query.required),
            relaxed: build(&query.relaxed()),
            excluded: build(&query.excluded),
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
            .map(|q| (Occur::MustNot, q.box_clone()))
    }

    /// Every word must match; excluded words must not.
    pub fn and_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        self.required
            .iter()
            .map(|q| (Occur::Must, q.box_clone()))
            .chain(self.excluded_clauses())
            .collect()
    }

    /// At least one of the loosened words must match (more matches score higher).
    pub fn or_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        let any: Box<dyn Query> = Box::new(BooleanQuery::new(
            self.relaxed
                .iter()
                .map(|q| (Occur::Should, q.box_clone()))
                .collect(),
        ));
        std::iter::once((Occur::Must, any))
            .chain(self.excluded_clauses())
            .collect()
    }

    /// The positive words (and their loosened forms), for highlighting.
    pub fn highlight_query(&self) -> Option<Box<dyn Query>> {
        (!self.required.is_empty()).then(|| {
            Box::new(BooleanQuery::new(
                self.required
                    .iter()
                    .chain(&self.relaxed)
                    .map(|q| (Occur::Should, q.box_clone()))
                    .collect(),
            )) as Box<dyn Query>
        })
    }
}

/// The query for one word or phrase: any synonym alternative in any text field.
fn part_query(part: &QueryPart, fields: &Fields, synonyms: &Synonyms) -> Option<Box<dyn Query>> {
    // A quoted phrase is matched as typed; a word brings its synonyms.
    let alternatives = if part.phrase {
        vec![fold(&part.text)]
    } else {
        synonyms.expand(&part.text)
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for alternative in alternatives {
        let tokens = query_tokens(&alternative);
        if tokens.is_empty() {
            continue;
        }
        for (field, boost) in fields.weighted_text() {
            let query: Box<dyn Query> = if let [token] = tokens.as_slice() {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &token.text),
                    IndexRecordOption::WithFreqsAndPositions,
                ))
            } else {
                Box::new(PhraseQuery::new_with_offset(
                    tokens
                        .iter()
                        .map(|t| (t.position, Term::from_field_text(field, &t.text)))
                        .collect(),
                ))
            };
            clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        }
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}
