//! Building an index from a glossary, and bringing it up to date when the glossary changes.

use rustc_hash::{FxHashMap, FxHashSet as HashSet};
use serde::Serialize;
use tantivy::directory::RamDirectory;
use tantivy::{Index, IndexReader, IndexSettings, TantivyDocument, Term};

use super::analysis::{Names, WordAnalyzer};
use super::labels::{analyse_names, NameTable};
use super::parse::SortedKeys;
use super::schema::{
    copy_into, manual_reader, open_index, register_tokenizer, schema, Fields, Storage,
};
use super::{entry_key, SearchError, SearchIndex, NO_ORD, NO_SLOT};
use crate::glossary::Glossary;

impl SearchIndex {
    /// [`SearchIndex::build`], inside a thread scope: the names are analysed beside the
    /// indexing.
    pub(super) fn build_in<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        glossary: &'scope Glossary,
    ) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let directory = RamDirectory::create();
        let index = Index::create(directory.clone(), schema, IndexSettings::default())?;
        register_tokenizer(&index);
        // One writer, enough memory that small and medium glossaries end up in one segment.
        let budget = (glossary.len() * 4_000).clamp(15_000_000, 400_000_000);
        // One indexing thread until very large glossaries. tantivy hands documents to its
        // threads as they come, so with two the segments, and with them the order among
        // equals at the margin (ties, a one-letter prefix's first 50 words per segment),
        // would change from one build of the same glossary to the next. Two threads would
        // build 10,000 entries about a fifth faster; the same answers every time matter more.
        let threads = if glossary.len() >= 50_000 { 2 } else { 1 };
        let mut writer = index.writer_with_num_threads(threads, budget * threads)?;
        let mut prose = WordAnalyzer::new();
        for ord in 0..glossary.len() {
            writer.add_document(make_document(&fields, glossary, ord, &mut prose))?;
        }
        // The names the re-ranker needs are analysed while tantivy writes its segment: that
        // part is single-threaded, whereas while documents are made both cores are busy.
        let names = scope.spawn(move || analyse_names(glossary));
        writer.commit()?;
        let reader = manual_reader(&index)?;
        let names = names.join().expect("analysing names does not panic");
        Self::assemble(
            Storage::Ram(directory),
            index,
            reader,
            fields,
            names,
            glossary,
        )
    }

    /// An index ready to search `glossary`: its per-segment keys read and maps derived.
    pub(super) fn assemble(
        storage: Storage,
        index: Index,
        reader: IndexReader,
        fields: Fields,
        names: NameTable,
        glossary: &Glossary,
    ) -> Result<SearchIndex, SearchError> {
        let mut search_index = SearchIndex {
            storage,
            index,
            reader,
            doc_ords: Vec::new(),
            key_to_ord: FxHashMap::default(),
            names,
            ord_slots: Vec::new(),
            fields,
            abbreviations: SortedKeys::default(),
        };
        search_index.refresh(glossary)?;
        Ok(search_index)
    }

    /// Copies a memory-mapped index into memory, so it can be written.
    fn move_to_ram(&mut self) -> Result<(), SearchError> {
        let Storage::Saved(from) = &self.storage else {
            return Ok(());
        };
        let directory = RamDirectory::create();
        copy_into(from, &directory)?;
        let (index, reader, _) = open_index(directory.clone())?;
        self.index = index;
        self.reader = reader;
        self.storage = Storage::Ram(directory);
        Ok(())
    }

    /// Re-reads the per-segment keys after a commit and re-derives the per-glossary maps.
    fn refresh(&mut self, glossary: &Glossary) -> Result<(), SearchError> {
        let keys: Vec<u64> = glossary
            .entries()
            .iter()
            .map(|e| entry_key(&e.id))
            .collect();
        self.key_to_ord = keys
            .iter()
            .enumerate()
            .map(|(ord, &key)| (key, ord as u32))
            .collect();
        self.ord_slots = keys
            .iter()
            .map(|&key| self.names.slot(key).unwrap_or(NO_SLOT))
            .collect();
        let searcher = self.reader.searcher();
        self.doc_ords.clear();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("key")?;
            self.doc_ords.push(
                (0..segment.max_doc())
                    .map(|doc| {
                        column
                            .first(doc)
                            .and_then(|key| self.key_to_ord.get(&key).copied())
                            .unwrap_or(NO_ORD)
                    })
                    .collect(),
            );
        }
        // The analysed names already hold every abbreviation's compact key.
        self.abbreviations = SortedKeys::new(
            self.names
                .slots
                .iter()
                .flatten()
                .flat_map(Names::abbreviations)
                .map(str::to_string)
                .collect(),
        );
        Ok(())
    }

    /// [`SearchIndex::update`].
    pub(super) fn apply_changes(
        &mut self,
        old: &Glossary,
        new: &Glossary,
    ) -> Result<UpdateStats, SearchError> {
        let mut changed: HashSet<&str> = HashSet::default();
        for entry in new.entries() {
            if old.get(&entry.id) != Some(entry) {
                changed.insert(&entry.id);
            }
        }
        for entry in old.entries() {
            if new.get(&entry.id).is_none() {
                changed.insert(&entry.id);
            }
        }
        let mut affected: HashSet<&str> = changed.clone();
        for id in &changed {
            for g in [old, new] {
                for c in g.counterparts(id) {
                    if let Some(e) = new.get(c.id()) {
                        affected.insert(&e.id);
                    }
                }
            }
        }
        let stats = UpdateStats {
            changed: changed.len(),
            reindexed: affected.len(),
        };
        if affected.is_empty() {
            self.refresh(new)?;
            return Ok(stats);
        }
        if self.move_to_ram().is_err() {
            // The saved copy went away (another instance replaced the cache): start afresh.
            *self = SearchIndex::build(new)?;
            return Ok(stats);
        }
        let mut writer: tantivy::IndexWriter = self.index.writer_with_num_threads(1, 15_000_000)?;
        let mut prose = WordAnalyzer::new();
        for id in affected {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            self.names.remove(entry_key(id));
            if let Some(ord) = new.index_of(id) {
                writer.add_document(make_document(&self.fields, new, ord, &mut prose))?;
                self.names
                    .insert(entry_key(id), prose.names(&new.entries()[ord]));
            }
        }
        writer.commit()?;
        // Merges the commit started would otherwise finish in the background at their own
        // pace, and prose scores (deleted documents still count until their segment is merged)
        // and the order among equals would depend on when the next search came: waiting
        // gives the same answers after the same changes every time.
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        self.refresh(new)?;
        Ok(stats)
    }
}

/// What an incremental update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Entries added, changed or removed.
    pub changed: usize,
    /// Documents re-indexed (the changed entries and their counterparts).
    pub reindexed: usize,
}

/// The index document of the entry at `ord`.
fn make_document(
    fields: &Fields,
    glossary: &Glossary,
    ord: usize,
    prose: &mut WordAnalyzer,
) -> TantivyDocument {
    let entry = &glossary.entries()[ord];
    let mut document = TantivyDocument::default();
    document.add_u64(fields.key, entry_key(&entry.id));
    document.add_text(fields.id, &entry.id);
    document.add_text(fields.domain, &entry.domain);
    for abbreviation in &entry.abbreviations {
        document.add_text(fields.abbrev, prose.compact_key(abbreviation));
    }
    let mut tokens = Vec::new();
    prose.folded_tokens(&entry.term, &mut tokens);
    document.add_text(fields.term_words, tokens.join(" "));
    tokens.clear();
    for synonym in &entry.synonyms {
        prose.folded_tokens(synonym, &mut tokens);
    }
    document.add_text(fields.syn_words, tokens.join(" "));

    let mut stems = String::new();
    for label in entry.labels() {
        prose.push_stems(label, &mut stems);
    }
    document.add_text(fields.label_stems, &stems);
    // The primary prose: what the entry is called and what it is.
    prose.push_stems(&entry.definition, &mut stems);
    document.add_text(fields.definition_stems, &stems);

    // The secondary prose: the explanation, the example and the counterparts' names.
    stems.clear();
    for counterpart in glossary.counterparts_at(ord) {
        for label in counterpart.entry().labels() {
            prose.push_stems(label, &mut stems);
        }
    }
    prose.push_stems(&entry.explanation, &mut stems);
    prose.push_stems(&entry.example, &mut stems);
    if let Some(domain) = glossary.domain(&entry.domain) {
        prose.push_stems(&domain.name, &mut stems);
    }
    document.add_text(fields.other_stems, &stems);
    document
}
