//! Per-segment sets of documents for every kind and facet value, read once from the
//! postings when a segment is first searched and kept while it lives; and the
//! collector that gathers a text query's matches as such a set while it keeps the
//! best scored hits that also pass the filters.
//!
//! With these, a search costs one pass over the text matches (none without text),
//! whatever the number of facet dimensions: totals and facet counts are ANDs and
//! popcounts of sets.

use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use super::bits::Bits;
use super::schema::Fields;

/// The documents of one segment by kind and by facet `(dimension, value)`.
#[derive(Debug)]
pub struct SegmentSets {
    /// Documents in the segment, deleted ones included.
    pub max_doc: u32,
    kinds: HashMap<String, Bits>,
    facets: HashMap<String, Vec<(String, Bits)>>,
    /// Every document with its `order` value, ascending.
    by_order: Vec<(u64, DocId)>,
    /// Every document with its `recency` value, newest first.
    by_recency: Vec<(u64, DocId)>,
}

impl SegmentSets {
    fn read(reader: &SegmentReader, fields: &Fields) -> tantivy::Result<Self> {
        let max_doc = reader.max_doc();
        let postings_of = |field, prefix: &[u8]| -> tantivy::Result<Vec<(Vec<u8>, Bits)>> {
            let inverted = reader.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            let mut out = Vec::new();
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix) {
                    continue;
                }
                let mut bits = Bits::empty(max_doc);
                let mut postings = inverted
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    bits.insert(doc);
                    doc = postings.advance();
                }
                out.push((key.to_vec(), bits));
            }
            Ok(out)
        };
        let kinds = postings_of(fields.kind, b"")?
            .into_iter()
            .filter_map(|(key, bits)| Some((String::from_utf8(key).ok()?, bits)))
            .collect();
        let mut facets: HashMap<String, Vec<(String, Bits)>> = HashMap::new();
        for (key, bits) in postings_of(fields.facet, b"")? {
            // Each facet is also indexed as its ancestors; only `dimension/value` counts.
            let Ok(facet) = Facet::from_encoded(key) else {
                continue;
            };
            if let [dimension, value] = facet.to_path().as_slice() {
                facets
                    .entry((*dimension).to_owned())
                    .or_default()
                    .push(((*value).to_owned(), bits));
            }
        }
        let sorted = |name: &str, newest_first: bool| -> tantivy::Result<Vec<(u64, DocId)>> {
            let column = reader.fast_fields().u64(name)?;
            let mut docs: Vec<(u64, DocId)> = (0..max_doc)
                .map(|doc| {
                    let value = column.first(doc).unwrap_or_default();
                    (
                        if newest_first {
                            u64::MAX - value
                        } else {
                            value
                        },
                        doc,
                    )
                })
                .collect();
            docs.sort_unstable();
            Ok(docs)
        };
        Ok(Self {
            max_doc,
            kinds,
            facets,
            by_order: sorted("order", false)?,
            by_recency: sorted("recency", true)?,
        })
    }

    /// The first `wanted` documents of `within` in natural order (or newest
    /// first), each with its sort key (smaller first).
    pub fn first_in_order<'a>(
        &'a self,
        within: &'a Bits,
        newest_first: bool,
        wanted: usize,
    ) -> impl Iterator<Item = (u64, DocId)> + 'a {
        let list = if newest_first {
            &self.by_recency
        } else {
            &self.by_order
        };
        list.iter()
            .copied()
            .filter(|(_, doc)| within.contains(*doc))
            .take(wanted)
    }

    /// The documents of a kind (empty when there are none).
    pub fn kind(&self, kind: &str) -> Option<&Bits> {
        self.kinds.get(kind)
    }

    /// The documents with a facet value.
    pub fn facet(&self, dimension: &str, value: &str) -> Option<&Bits> {
        self.facets
            .get(dimension)?
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, bits)| bits)
    }

    /// Every value of a dimension with its documents.
    pub fn values(&self, dimension: &str) -> &[(String, Bits)] {
        self.facets.get(dimension).map_or(&[], Vec::as_slice)
    }
}

/// The sets of the segments searched lately, and their live documents.
#[derive(Debug, Default)]
pub struct SetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentSets>>>,
    alive: Mutex<HashMap<(SegmentId, u32), Arc<Bits>>>,
}

/// What a search needs of one segment.
#[derive(Debug, Clone)]
pub struct SegmentView {
    /// Its sets.
    pub sets: Arc<SegmentSets>,
    /// Its live (not deleted) documents.
    pub alive: Arc<Bits>,
}

impl SetCache {
    /// The views of the searcher's segments, in segment order; segments no longer
    /// searched are forgotten.
    pub fn views(
        &self,
        readers: &[SegmentReader],
        fields: &Fields,
    ) -> tantivy::Result<Vec<SegmentView>> {
        let mut segments = self
            .segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut alive = self
            .alive
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let live: Vec<SegmentId> = readers.iter().map(SegmentReader::segment_id).collect();
        segments.retain(|id, _| live.contains(id));
        alive.retain(|(id, _), _| live.contains(id));
        let mut views = Vec::with_capacity(readers.len());
        for reader in readers {
            let id = reader.segment_id();
            let sets = match segments.get(&id) {
                Some(sets) => Arc::clone(sets),
                None => {
                    let sets = Arc::new(SegmentSets::read(reader, fields)?);
                    segments.insert(id, Arc::clone(&sets));
                    sets
                }
            };
            let key = (id, reader.num_deleted_docs());
            let live_docs = match alive.get(&key) {
                Some(bits) => Arc::clone(bits),
                None => {
                    let mut bits = Bits::empty(reader.max_doc());
                    match reader.alive_bitset() {
                        Some(alive_bitset) => {
                            for doc in 0..reader.max_doc() {
                                if alive_bitset.is_alive(doc) {
                                    bits.insert(doc);
                                }
                            }
                        }
                        None => bits = Bits::full(reader.max_doc()),
                    }
                    let bits = Arc::new(bits);
                    alive.retain(|(segment, _), _| *segment != id);
                    alive.insert(key, Arc::clone(&bits));
                    bits
                }
            };
            views.push(SegmentView {
                sets,
                alive: live_docs,
            });
        }
        Ok(views)
    }
}

/// A scored hit ordered for a min-heap of the best: lower score first, and among
/// equal scores the later document first (so the earlier one is kept).
#[derive(Debug, Clone, Copy)]
struct Ranked(Score, DocId);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Reversed: the heap's top is the worst hit kept.
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

/// Collects a text query's matches per segment as [`Bits`] and, when scoring,
/// the `limit` best hits among those that pass the segment's filter set.
pub struct MatchCollector {
    /// Per segment (by ordinal): the documents passing kind, liveness and filters.
    pub filters: Vec<Arc<Bits>>,
    /// Best hits to keep (0: none, and no scoring).
    pub limit: usize,
}

/// One segment's part of [`MatchCollector`].
pub struct SegmentMatches {
    segment: SegmentOrdinal,
    matched: Bits,
    filter: Arc<Bits>,
    best: BinaryHeap<Ranked>,
    limit: usize,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = (SegmentOrdinal, Bits, Vec<(Score, DocAddress)>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matched.insert(doc);
        if self.limit == 0 || !self.filter.contains(doc) {
            return;
        }
        let hit = Ranked(score, doc);
        if self.best.len() < self.limit {
            self.best.push(hit);
        } else if self.best.peek().is_some_and(|worst| hit < *worst) {
            self.best.pop();
            self.best.push(hit);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment = self.segment;
        let best = self
            .best
            .into_iter()
            .map(|Ranked(score, doc)| (score, DocAddress::new(segment, doc)))
            .collect();
        (segment, self.matched, best)
    }
}

impl Collector for MatchCollector {
    type Fruit = Vec<(SegmentOrdinal, Bits, Vec<(Score, DocAddress)>)>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let filter = self
            .filters
            .get(segment as usize)
            .cloned()
            .unwrap_or_else(|| Arc::new(Bits::empty(0)));
        Ok(SegmentMatches {
            segment,
            matched: Bits::empty(reader.max_doc()),
            filter,
            best: BinaryHeap::new(),
            limit: self.limit,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.limit > 0
    }

    fn merge_fruits(
        &self,
        mut fruits: Vec<(SegmentOrdinal, Bits, Vec<(Score, DocAddress)>)>,
    ) -> tantivy::Result<Self::Fruit> {
        fruits.sort_by_key(|(segment, _, _)| *segment);
        Ok(fruits)
    }
}
