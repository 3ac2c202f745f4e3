//! The tantivy schema, and where an index is stored: in memory, or memory-mapped from a
//! folder [`SearchIndex::save`](super::SearchIndex::save) wrote.

use std::path::{Path, PathBuf};

use tantivy::directory::{Directory, RamDirectory, TerminatingWrite};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader};

use super::SearchError;

/// The index's fields (see [`schema`]).
pub(super) struct Fields {
    pub(super) key: Field,
    pub(super) id: Field,
    pub(super) domain: Field,
    pub(super) abbrev: Field,
    pub(super) term_words: Field,
    pub(super) syn_words: Field,
    pub(super) label_stems: Field,
    pub(super) definition_stems: Field,
    pub(super) other_stems: Field,
}

/// Where an index lives.
pub(super) enum Storage {
    /// In memory: built here, or copied here before its first update.
    Ram(RamDirectory),
    /// Memory-mapped from a folder [`SearchIndex::save`] wrote, which is never written to:
    /// only the pages searches touch take memory.
    Saved(PathBuf),
}

/// The index schema and its fields. Changing it means bumping [`SCHEMA_VERSION`].
pub(super) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // No positions anywhere: prefix queries here are single-term (a term range), and
    // positions would only slow indexing down.
    let name_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("ws")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let freqs = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("ws")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: builder.add_u64_field("key", FAST),
        id: builder.add_text_field("id", STRING),
        domain: builder.add_text_field("domain", STRING),
        abbrev: builder.add_text_field("abbrev", STRING),
        term_words: builder.add_text_field("term_words", name_options.clone()),
        syn_words: builder.add_text_field("syn_words", name_options),
        label_stems: builder.add_text_field("label_stems", freqs.clone()),
        definition_stems: builder.add_text_field("definition_stems", freqs.clone()),
        other_stems: builder.add_text_field("other_stems", freqs),
    };
    (builder.build(), fields)
}

/// Text is analysed in Rust and handed to tantivy as whitespace-separated tokens.
pub(super) fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        "ws",
        TextAnalyzer::builder(WhitespaceTokenizer::default()).build(),
    );
}

/// Opens a saved index and checks that it has this build's schema.
pub(super) fn open_index<D: Directory>(
    directory: D,
) -> Result<(Index, IndexReader, Fields), SearchError> {
    let index = Index::open(directory)?;
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(SearchError::OtherSchema);
    }
    register_tokenizer(&index);
    let reader = manual_reader(&index)?;
    Ok((index, reader, fields))
}

/// A reader that sees new commits only when told to (after an update), never mid-query.
pub(super) fn manual_reader(index: &Index) -> Result<IndexReader, SearchError> {
    Ok(index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?)
}

/// Copies every file of a saved index folder into `destination`.
pub(super) fn copy_into(from: &Path, destination: &dyn Directory) -> Result<(), SearchError> {
    let io = tantivy::TantivyError::from;
    for file in std::fs::read_dir(from).map_err(io)? {
        let file = file.map_err(io)?;
        let name = PathBuf::from(file.file_name());
        // tantivy's lock files are not part of the index.
        if !file.file_type().map_err(io)?.is_file() || name.to_string_lossy().starts_with('.') {
            continue;
        }
        let bytes = std::fs::read(file.path()).map_err(io)?;
        let mut writer = destination
            .open_write(&name)
            .map_err(tantivy::TantivyError::from)?;
        std::io::Write::write_all(&mut writer, &bytes).map_err(io)?;
        writer.terminate().map_err(io)?;
    }
    Ok(())
}
