//! The full-text index (tantivy), shared by every kind of searchable record.
//!
//! The database is the source of truth: services write a record, commit, and then
//! replace its document here; `renkei reindex` and startup rebuild from the
//! database. One writer per process: writes take a process-wide lock, open the
//! tantivy writer, commit and reload the reader, so the next request sees them.
//! Searches reload the reader first (cheap when nothing changed), so writes made by
//! another process (`renkei import`) are seen on the next request too.

pub mod analyzer;
pub mod bits;
pub mod changes;
mod query;
mod run;
pub mod schema;
pub mod segment_sets;
pub mod synonym_store;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term,
};

pub use crate::domain::highlight::Highlighted;
use crate::domain::search_query::SearchQuery;
use analyzer::{JapaneseTokenizer, TOKENIZER_NAME};
use run::decorate;
use schema::{Fields, SCHEMA_VERSION};
pub use synonym_store::SynonymStore;

/// File in the index directory holding [`SCHEMA_VERSION`].
const VERSION_FILE: &str = "renkei-schema-version";

/// Length of a result snippet, in characters.
const SNIPPET_CHARS: usize = 120;

/// How many of the best matches by BM25 on `all` are re-scored with field boosts.
const RERANK_CANDIDATES: usize = 200;

/// Writer memory per indexing thread for bulk rebuilds, and for single updates.
const BULK_WRITER_BYTES: usize = 50_000_000;
const SMALL_WRITER_BYTES: usize = 15_000_000;

/// Failures of the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed.
    #[error("search index error: {0}")]
    Tantivy(#[from] TantivyError),
    /// The index directory could not be prepared.
    #[error("search index directory error: {0}")]
    Io(#[from] std::io::Error),
    /// Another process held the index writer for too long.
    #[error("the search index is being written by another process; try again")]
    Busy,
}

/// Why the index must be rebuilt from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebuildReason {
    /// There was no index.
    Missing,
    /// The index could not be opened or read.
    Corrupt,
    /// The index was written by another schema version.
    OlderSchema,
}

/// A document to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Kind of record (`case`).
    pub kind: &'static str,
    /// Id within the kind (a slug).
    pub id: String,
    /// Natural list order.
    pub order: u64,
    /// Last activity, milliseconds since the epoch (0 when not tracked).
    pub recency: u64,
    /// Title.
    pub title: String,
    /// Organisation or person names.
    pub org: String,
    /// Summary.
    pub summary: String,
    /// Key points.
    pub points: String,
    /// Any other text.
    pub body: String,
    /// `(dimension, value)` pairs for filters and counts.
    pub facets: Vec<(String, String)>,
    /// What a result list shows of the record (JSON; empty when it reads the
    /// database instead).
    pub card: String,
}

/// A filter on one facet value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetFilter {
    /// Dimension, e.g. `section`.
    pub dimension: String,
    /// Value within it.
    pub value: String,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// By BM25 score (by natural order when there is no query text).
    Relevance,
    /// By the documents' natural order.
    Natural,
    /// Most recent activity first.
    Recent,
}

/// A search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Kind of record searched.
    pub kind: &'static str,
    /// The parsed query text.
    pub query: SearchQuery,
    /// Facet filters (ANDed).
    pub filters: Vec<FacetFilter>,
    /// The caller's access: when set, only documents holding at least one of
    /// these facet values exist for this search — hits, totals, facet counts and
    /// suggestions alike (an empty list finds nothing).
    pub readable: Option<Vec<FacetFilter>>,
    /// Dimensions to count values of.
    pub facet_dimensions: Vec<&'static str>,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    /// Ordering.
    pub sort: SortOrder,
    /// Whether to OR the loosened words when the AND finds nothing.
    pub fallback: bool,
    /// Whether hits carry their highlighted title and snippet (a ranking that
    /// only needs ids and scores leaves them out and reads no documents).
    pub highlight: bool,
    /// Facet values `(dimension, value)` each hit is tested for (see
    /// [`SearchHit::probes`]).
    pub probes: Vec<(String, String)>,
}

/// Why the results are not a plain AND of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    /// No record had every word; records with any of them are shown, best first.
    Or,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Kind of record.
    pub kind: String,
    /// Id within the kind.
    pub id: String,
    /// BM25 score (0 when listed without query text).
    pub score: f32,
    /// The title with matches highlighted.
    pub title: Highlighted,
    /// The best fragment of the summary (or points) with matches highlighted;
    /// empty when no query text matched there.
    pub snippet: Highlighted,
    /// For each of [`SearchRequest::probes`], whether the hit has that value.
    pub probes: Vec<bool>,
    /// The stored card ([`SearchDoc::card`]; empty without highlighting).
    pub card: String,
    /// A near match: it lacks some of the words (or has a long word only by its
    /// bigrams), listed after those with every word.
    pub partial: bool,
}

/// Results of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Matching records over all pages (near matches included).
    pub total: usize,
    /// Of those, the records with every word.
    pub exact_total: usize,
    /// Set when the AND of the words found nothing and an OR was used.
    pub fallback: Option<Fallback>,
    /// The requested page of hits.
    pub hits: Vec<SearchHit>,
    /// Counts per value for each requested dimension, under the other filters.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
    /// When nothing matched: the query with a word replaced by a vocabulary term
    /// spelt like it, each of which finds something under the same filters.
    pub suggestions: Vec<String>,
}

/// The search index. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    write_lock: Mutex<()>,
    synonyms: SynonymStore,
    dir: Option<PathBuf>,
    /// Modification time and length of `meta.json` when the reader last reloaded.
    seen_meta: Mutex<Option<(std::time::SystemTime, u64)>>,
    /// Document sets of the segments by kind and facet value.
    sets: segment_sets::SetCache,
    /// Values derived from the database that stay valid while the index does not
    /// change (see [`SearchIndex::memo`]).
    memos: Mutex<BTreeMap<&'static str, Memo>>,
}

/// A remembered value and the reader generation it belongs to.
type Memo = (u64, Arc<dyn std::any::Any + Send + Sync>);

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.inner.dir)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one when it is missing, corrupt
    /// or of another schema version. The reason is returned so the caller can
    /// rebuild it from the database.
    pub fn open(
        dir: &Path,
        synonyms: SynonymStore,
    ) -> Result<(Self, Option<RebuildReason>), SearchError> {
        let (schema, fields) = schema::build();
        let version_file = dir.join(VERSION_FILE);
        let reason = if !dir.join("meta.json").exists() {
            Some(RebuildReason::Missing)
        } else if std::fs::read_to_string(&version_file)
            .ok()
            .as_deref()
            .map(str::trim)
            != Some(SCHEMA_VERSION.to_string().as_str())
        {
            Some(RebuildReason::OlderSchema)
        } else {
            None
        };
        if reason.is_none() {
            // tantivy may panic rather than fail on damaged files.
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Self::open_existing(dir, fields, synonyms.clone())
            }))
            .unwrap_or_else(|_| {
                Err(TantivyError::SystemError("panic while opening".into()).into())
            });
            match opened {
                Ok(index) => return Ok((index, None)),
                Err(error) => {
                    tracing::warn!(%error, dir = %dir.display(), "search index unreadable; rebuilding");
                    let index = Self::create(dir, schema, fields, synonyms)?;
                    return Ok((index, Some(RebuildReason::Corrupt)));
                }
            }
        }
        let index = Self::create(dir, schema, fields, synonyms)?;
        Ok((index, reason))
    }

    /// An index in memory (tests, evaluation, benchmarks).
    pub fn in_memory(synonyms: SynonymStore) -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::from_index(Index::create_in_ram(schema), fields, synonyms, None)
    }

    fn open_existing(
        dir: &Path,
        fields: Fields,
        synonyms: SynonymStore,
    ) -> Result<Self, SearchError> {
        let index = Index::open_in_dir(dir)?;
        let (expected, _) = schema::build();
        if index.schema() != expected {
            return Err(TantivyError::SchemaError("schema differs".into()).into());
        }
        let opened = Self::from_index(index, fields, synonyms, Some(dir.to_path_buf()))?;
        // Reading terms, postings and stored documents of every segment proves the
        // files are there and sound.
        let searcher = opened.inner.reader.searcher();
        searcher.search(&AllQuery, &Count)?;
        let kinds = searcher.search(
            &tantivy::query::RegexQuery::from_pattern(".*", fields.kind)?,
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        for (_, address) in kinds {
            searcher.doc::<TantivyDocument>(address)?;
        }
        Ok(opened)
    }

    fn create(
        dir: &Path,
        schema: tantivy::schema::Schema,
        fields: Fields,
        synonyms: SynonymStore,
    ) -> Result<Self, SearchError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())?;
        Self::from_index(index, fields, synonyms, Some(dir.to_path_buf()))
    }

    fn from_index(
        index: Index,
        fields: Fields,
        synonyms: SynonymStore,
        dir: Option<PathBuf>,
    ) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, TextAnalyzer::from(JapaneseTokenizer));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                write_lock: Mutex::new(()),
                synonyms,
                dir,
                seen_meta: Mutex::new(None),
                sets: segment_sets::SetCache::default(),
                memos: Mutex::new(BTreeMap::new()),
            }),
        })
    }

    /// The synonyms in use.
    pub fn synonyms(&self) -> &SynonymStore {
        &self.inner.synonyms
    }

    /// Runs `f` with the one writer of this process, then commits and reloads.
    /// The commit keeps the change mark the index had (see [`changes`]).
    fn write<T>(
        &self,
        memory: usize,
        merge_all: bool,
        f: impl FnOnce(&mut IndexWriter, &Fields) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        self.write_marked(memory, merge_all, |writer, fields, _| {
            Ok(changes::Step::Commit(f(writer, fields)?, None))
        })
    }

    /// Runs `f` with the one writer of this process and the change mark of the
    /// last commit; commits (recording the mark `f` gives, or keeping the old one)
    /// and reloads, or drops what `f` added when it abandons.
    fn write_marked<T>(
        &self,
        memory: usize,
        merge_all: bool,
        f: impl FnOnce(&mut IndexWriter, &Fields, Option<u64>) -> Result<changes::Step<T>, SearchError>,
    ) -> Result<T, SearchError> {
        let _guard = self
            .inner
            .write_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let started = Instant::now();
        // Bulk rebuilds index on every core; single updates need one thread.
        let threads = if memory >= BULK_WRITER_BYTES {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        } else {
            1
        };
        let mut writer = loop {
            match self
                .inner
                .index
                .writer_with_num_threads(threads, memory * threads)
            {
                Ok(writer) => break writer,
                Err(TantivyError::LockFailure(..))
                    if started.elapsed() < Duration::from_secs(30) =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TantivyError::LockFailure(..)) => return Err(SearchError::Busy),
                Err(other) => return Err(other.into()),
            }
        };
        if merge_all {
            // The one merge after the commit is ours: a background merge of the
            // same segments would make it fail after the commit has succeeded.
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        // Read with the writer held: no other process can commit meanwhile.
        let current = self.applied_change()?;
        let (out, mark) = match f(&mut writer, &self.inner.fields, current)? {
            changes::Step::Commit(out, mark) => (out, mark.or(current)),
            changes::Step::Abandon(out) => {
                writer.rollback()?;
                return Ok(out);
            }
        };
        let mut prepared = writer.prepare_commit()?;
        if let Some(mark) = mark {
            prepared.set_payload(&changes::payload(mark));
        }
        prepared.commit()?;
        if merge_all {
            // One segment after a rebuild: per-segment costs (term lookups, scorer
            // set-up) are paid once per search instead of once per segment.
            // The commit stands either way; a failed merge only costs speed.
            let segments = self.inner.index.searchable_segment_ids()?;
            if segments.len() > 1
                && let Err(error) = writer.merge(&segments).wait()
            {
                tracing::warn!(%error, "merging the rebuilt index into one segment failed");
            }
        }
        writer.wait_merging_threads()?;
        self.inner.reader.reload()?;
        Ok(out)
    }

    fn document(fields: &Fields, doc: &SearchDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(fields.key, format!("{}:{}", doc.kind, doc.id));
        d.add_text(fields.kind, doc.kind);
        d.add_text(fields.id, &doc.id);
        d.add_u64(fields.order, doc.order);
        d.add_u64(fields.recency, doc.recency);
        d.add_text(fields.title, &doc.title);
        d.add_text(fields.org, &doc.org);
        d.add_text(fields.summary, &doc.summary);
        d.add_text(fields.points, &doc.points);
        d.add_text(fields.body, &doc.body);
        for text in [&doc.title, &doc.org, &doc.points, &doc.summary, &doc.body] {
            d.add_text(fields.all, text);
        }
        for (dimension, value) in &doc.facets {
            d.add_facet(
                fields.facet,
                Facet::from_path([dimension.as_str(), value.as_str()]),
            );
        }
        if !doc.card.is_empty() {
            d.add_text(fields.card, &doc.card);
        }
        d
    }

    /// Adds or replaces documents (by kind and id) and removes others, in one commit.
    pub fn upsert(
        &self,
        docs: &[SearchDoc],
        removed: &[(String, String)],
    ) -> Result<(), SearchError> {
        self.write(SMALL_WRITER_BYTES, false, |writer, fields| {
            changes::delete_and_add(writer, fields, docs, removed)
        })
    }

    /// Replaces every document of `kind` with `docs`, in one commit. `progress` is
    /// called with the number of documents added so far.
    pub fn replace_kind(
        &self,
        kind: &str,
        docs: impl IntoIterator<Item = SearchDoc>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        self.write(BULK_WRITER_BYTES, true, |writer, fields| {
            writer.delete_term(Term::from_field_text(fields.kind, kind));
            let mut added = 0;
            for doc in docs {
                writer.add_document(Self::document(fields, &doc))?;
                added += 1;
                if added % 1_000 == 0 {
                    progress(added);
                }
            }
            progress(added);
            Ok(added)
        })
    }

    fn searcher(&self) -> Result<Searcher, SearchError> {
        // Another process (`renkei import`) may have committed: its commit rewrites
        // meta.json, so one stat per search tells whether to reload.
        if let Some(dir) = &self.inner.dir {
            let stamp = std::fs::metadata(dir.join("meta.json"))
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            let mut seen = self
                .inner
                .seen_meta
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if stamp.is_none() || *seen != stamp {
                self.inner.reader.reload()?;
                *seen = stamp;
            }
        }
        Ok(self.inner.reader.searcher())
    }

    /// A value remembered under `key` while the index has not changed since
    /// (every write that changes what the value is made of also writes the index,
    /// in this process or another); `None` when it must be built again.
    pub fn memo<T: Send + Sync + 'static>(&self, key: &'static str) -> Option<Arc<T>> {
        let generation = self.searcher().ok()?.generation().generation_id();
        let memos = self
            .inner
            .memos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (at, value) = memos.get(key)?;
        (*at == generation)
            .then(|| Arc::clone(value).downcast::<T>().ok())
            .flatten()
    }

    /// Remembers a value for [`SearchIndex::memo`].
    pub fn remember<T: Send + Sync + 'static>(&self, key: &'static str, value: Arc<T>) {
        let Ok(searcher) = self.searcher() else {
            return;
        };
        let generation = searcher.generation().generation_id();
        self.inner
            .memos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, (generation, value));
    }

    /// Forgets every remembered value (after a change that did not write the index).
    pub fn forget_memos(&self) {
        self.inner
            .memos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// Number of documents of `kind`.
    pub fn count(&self, kind: &str) -> Result<u64, SearchError> {
        let searcher = self.searcher()?;
        let query = TermQuery::new(
            Term::from_field_text(self.inner.fields.kind, kind),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &Count)? as u64)
    }

    /// Number of documents of every kind.
    pub fn total(&self) -> Result<u64, SearchError> {
        Ok(self.searcher()?.num_docs())
    }

    /// The highlighted title and snippet of documents given by id, for a query
    /// (the words matched, shown after a ranking that searched without them).
    pub fn highlights(
        &self,
        kind: &str,
        ids: &[String],
        query: &SearchQuery,
        fallback: bool,
    ) -> Result<BTreeMap<String, (Highlighted, Highlighted)>, SearchError> {
        let searcher = self.searcher()?;
        let fields = &self.inner.fields;
        let synonyms = self.inner.synonyms.current();
        let needles = query::TextQuery::build(query, fields, &synonyms).needles(fallback);
        let mut out = BTreeMap::new();
        for id in ids {
            let key = TermQuery::new(
                Term::from_field_text(fields.key, &format!("{kind}:{id}")),
                IndexRecordOption::Basic,
            );
            let Some((_, address)) = searcher
                .search(&key, &TopDocs::with_limit(1).order_by_score())?
                .into_iter()
                .next()
            else {
                continue;
            };
            let doc: TantivyDocument = searcher.doc(address)?;
            out.insert(id.clone(), decorate(&doc, fields, &needles));
        }
        Ok(out)
    }
}

#[cfg(test)]
pub(crate) mod tests;
