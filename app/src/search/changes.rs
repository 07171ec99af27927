//! Which database changes the index holds.
//!
//! Every write that changes searchable data also inserts rows into the
//! `search_change` log in its own transaction. Each index commit records, in
//! tantivy's commit payload, the id of the last change it applied (the mark).
//! Catching up means: read the changes after the mark, rebuild their documents
//! from the database, and commit them with the new mark — but only if the mark
//! did not move meanwhile (another request or process caught up first), so an
//! older copy of a document never replaces a newer one.

use tantivy::{IndexWriter, Term};

use super::{BULK_WRITER_BYTES, SMALL_WRITER_BYTES, SearchDoc, SearchError, SearchIndex};

/// Prefix of the commit payload.
const PREFIX: &str = "search_change:";

/// What a write does once its documents are added.
pub(super) enum Step<T> {
    /// Commit, recording this mark (`None`: keep the previous one).
    Commit(T, Option<u64>),
    /// Drop what was added; nothing is committed.
    Abandon(T),
}

/// The commit payload recording `mark`.
pub(super) fn payload(mark: u64) -> String {
    format!("{PREFIX}{mark}")
}

/// The documents to write for a batch of changes.
#[derive(Debug, Default)]
pub struct ChangeBatch {
    /// Kinds rebuilt whole, with all their documents.
    pub whole: Vec<(&'static str, Vec<SearchDoc>)>,
    /// Documents replaced one by one.
    pub docs: Vec<SearchDoc>,
    /// Documents removed (kind, id): no longer searchable.
    pub removed: Vec<(String, String)>,
}

impl SearchIndex {
    /// The id of the last database change the committed index holds (`None` for
    /// an index that has never recorded one).
    pub fn applied_change(&self) -> Result<Option<u64>, SearchError> {
        let metas = self.inner.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix(PREFIX))
            .and_then(|n| n.parse().ok()))
    }

    /// Writes `batch` and records `to` as the mark, if the index still holds
    /// exactly the changes up to `from`. Returns whether it wrote.
    pub fn apply_changes(
        &self,
        from: Option<u64>,
        to: u64,
        batch: &ChangeBatch,
    ) -> Result<bool, SearchError> {
        let memory = if batch.whole.is_empty() {
            SMALL_WRITER_BYTES
        } else {
            BULK_WRITER_BYTES
        };
        self.write_marked(memory, false, |writer, fields, current| {
            if current != from {
                return Ok(Step::Abandon(false));
            }
            for (kind, docs) in &batch.whole {
                writer.delete_term(Term::from_field_text(fields.kind, kind));
                for doc in docs {
                    writer.add_document(Self::document(fields, doc))?;
                }
            }
            delete_and_add(writer, fields, &batch.docs, &batch.removed)?;
            Ok(Step::Commit(true, Some(to)))
        })
    }

    /// Records `mark` as applied without changing documents (after a rebuild
    /// that read the database when the log stood at `mark`).
    pub fn set_applied_change(&self, mark: u64) -> Result<(), SearchError> {
        self.write_marked(SMALL_WRITER_BYTES, false, |_, _, _| {
            Ok(Step::Commit((), Some(mark)))
        })
    }
}

/// Replaces `docs` (by kind and id) and deletes `removed`.
pub(super) fn delete_and_add(
    writer: &mut IndexWriter,
    fields: &super::Fields,
    docs: &[SearchDoc],
    removed: &[(String, String)],
) -> Result<(), SearchError> {
    for (kind, id) in removed {
        writer.delete_term(Term::from_field_text(fields.key, &format!("{kind}:{id}")));
    }
    for doc in docs {
        writer.delete_term(Term::from_field_text(
            fields.key,
            &format!("{}:{}", doc.kind, doc.id),
        ));
        writer.add_document(SearchIndex::document(fields, doc))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SynonymStore;
    use crate::search::tests::doc;

    #[test]
    fn a_batch_written_from_a_stale_mark_is_dropped_and_the_newer_one_kept() {
        let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
        assert_eq!(index.applied_change().unwrap(), None);
        let newer = ChangeBatch {
            docs: vec![doc("a", "新しい題名", "")],
            ..ChangeBatch::default()
        };
        assert!(index.apply_changes(None, 7, &newer).unwrap());
        assert_eq!(index.applied_change().unwrap(), Some(7));
        let older = ChangeBatch {
            docs: vec![doc("a", "古い題名", "")],
            ..ChangeBatch::default()
        };
        assert!(!index.apply_changes(None, 5, &older).unwrap());
        assert_eq!(index.applied_change().unwrap(), Some(7));
        assert_eq!(index.count("case").unwrap(), 1);
    }

    #[test]
    fn ordinary_writes_keep_the_mark() {
        let index = SearchIndex::in_memory(SynonymStore::builtin()).unwrap();
        index.set_applied_change(3).unwrap();
        index.upsert(&[doc("b", "題名", "")], &[]).unwrap();
        assert_eq!(index.applied_change().unwrap(), Some(3));
    }
}
