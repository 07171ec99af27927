//! The index schema, shared by every kind of document (cases now, advisors next).

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::analyzer::TOKENIZER_NAME;

/// Bump when the schema or the analyzer changes: an index written with another
/// version is rebuilt from the database at startup.
pub const SCHEMA_VERSION: u32 = 5;

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `kind:id`, unique; used to replace a document.
    pub key: Field,
    /// `case`, `advisor`, …
    pub kind: Field,
    /// The document's id within its kind (a case's slug); fast, so a ranking reads
    /// ids without loading documents.
    pub id: Field,
    /// Natural order for listing without a query (fast).
    pub order: Field,
    /// Recency (milliseconds since the epoch of the last activity; fast), newest first.
    pub recency: Field,
    /// Every text of the document, with positions: what queries match on.
    pub all: Field,
    /// Strongest text: the title.
    pub title: Field,
    /// Names of organisations and people.
    pub org: Field,
    /// Summary text.
    pub summary: Field,
    /// Key points.
    pub points: Field,
    /// Everything else worth finding.
    pub body: Field,
    /// Facet values, as `/dimension/value`.
    pub facet: Field,
    /// What a result list shows of the record (JSON), stored only.
    pub card: Field,
}

impl Fields {
    /// Stored text fields (indexed with frequencies, for ranking and snippets) with
    /// their BM25 boosts: title > org > points = summary > body.
    pub fn weighted_text(&self) -> [(Field, f32); 5] {
        [
            (self.title, 3.0),
            (self.org, 2.5),
            (self.points, 2.0),
            (self.summary, 2.0),
            (self.body, 1.0),
        ]
    }
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let matching = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Positions are only needed where phrases are checked (`all`).
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let mut builder = Schema::builder();
    let fields = Fields {
        key: builder.add_text_field("key", STRING | STORED),
        kind: builder.add_text_field("kind", STRING | STORED),
        id: builder.add_text_field("id", STRING | STORED | FAST),
        order: builder.add_u64_field("order", INDEXED | FAST | STORED),
        recency: builder.add_u64_field("recency", FAST),
        all: builder.add_text_field("all", matching),
        title: builder.add_text_field("title", text.clone()),
        org: builder.add_text_field("org", text.clone()),
        summary: builder.add_text_field("summary", text.clone()),
        points: builder.add_text_field("points", text.clone()),
        body: builder.add_text_field("body", text),
        facet: builder.add_facet_field("facet", FacetOptions::default()),
        card: builder.add_text_field("card", STORED),
    };
    (builder.build(), fields)
}
