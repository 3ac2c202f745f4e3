//! Why a search index could not be built, opened, updated or searched.

/// A search index failure. A query never fails because of what was typed: these mean the
/// index itself could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed: the index files are damaged or unreadable, the disk is full, or (for an
    /// index built here) a bug.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A saved index holds another glossary than the one it was opened for.
    #[error("the saved search index does not hold this glossary")]
    OtherGlossary,
    /// A saved index was written with another schema (by another version of Babelfish).
    #[error("the saved search index has another schema")]
    OtherSchema,
}
