//! Search: a tantivy index built from a [`Glossary`] and the query pipeline that puts the right
//! entry first as the user types.
//!
//! Retrieval and ranking are split on purpose. tantivy finds candidates fast (exact labels,
//! abbreviations, prefixes, typos, and BM25 over the prose); then a small re-ranker in Rust
//! sorts those candidates into explicit tiers (exact term > abbreviation > term prefix >
//! synonym > typo > prose), so the order is predictable and explainable instead of being a
//! side effect of BM25 boosts.
//!
//! All text analysis (case and accent folding, UK/US spelling, stemming, hyphen compounds) is
//! done here in Rust and handed to tantivy as whitespace-separated tokens, so the index and the
//! queries are analysed by exactly the same code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet as HashSet};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::directory::{Directory, MmapDirectory, RamDirectory, TerminatingWrite};
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, Query, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::InvertedIndexReader;
use tantivy::{doc, DocId, DocSet, Index, IndexReader, IndexSettings, TantivyDocument, Term};

use crate::glossary::Glossary;
use crate::model::{Closeness, Entry, Reader};
#[cfg(test)]
use crate::text::compact_key;
use crate::text::{fold_word, words};

/// Bumped whenever the schema or the analysis changes, so a persisted index is rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

/// How many name-matching candidates tantivy hands to the re-ranker. Exact names and
/// abbreviations carry boosts that put them first, and an entry whose every word matches
/// outscores one matching a single word, so the real name matches are always among these; a
/// small number keeps both tantivy's top-k pruning and the re-ranker fast.
const NAME_CANDIDATES: usize = 50;
/// Prose-only matches are ordered by their prose score alone, so beyond the requested page
/// only a small margin is needed (false friends and counterparts can take a few places).
const PROSE_MARGIN: usize = 10;

/// From this many entries, very common words are left out of prose retrieval, and
/// descriptions of three words or more are looked up in the definitions only.
const LARGE_GLOSSARY: u64 = 50_000;

/// Queries longer than this are cut: nobody types more, and it bounds the work per keystroke.
const MAX_QUERY_CHARS: usize = 256;
const MAX_QUERY_WORDS: usize = 24;

/// Words that carry no meaning in a description query ("the committee that approves changes").
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "how",
    "i",
    "in",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "that",
    "the",
    "their",
    "them",
    "they",
    "this",
    "to",
    "was",
    "what",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "does",
    "do",
    "so",
    "it's",
    "can",
    "into",
    "about",
    "someone",
    "something",
    "thing",
    "things",
];

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The text typed so far. Its last word is treated as a prefix unless it ends in a space.
    pub query: String,
    /// Only these domains (all when empty).
    pub domains: Vec<String>,
    /// Who is reading: the other side's entries move up.
    pub reader: Option<Reader>,
    /// At most this many hits.
    pub limit: usize,
}

impl SearchRequest {
    /// A request for `query` with the default limit of 20.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 20,
            ..SearchRequest::default()
        }
    }
}

/// Why a hit matched, best first. The order of the variants is the ranking order, except that
/// a synonym that is the whole query comes just after an abbreviation (see `name_tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The query is the term.
    ExactTerm,
    /// The query is one of the abbreviations.
    Abbreviation,
    /// The query starts the term (word by word).
    TermPrefix,
    /// The query is, or starts, a synonym.
    Synonym,
    /// The query matches the term or a synonym within a typo or two.
    Fuzzy,
    /// The words appear in the definition, explanation, example or a mapped counterpart.
    Text,
    /// Shown because it is a false friend of a hit above.
    FalseFriend,
    /// Shown because it is a mapped counterpart of a hit above.
    Counterpart,
}

/// A piece of a snippet; highlighted pieces match the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// Plain text (never HTML).
    pub text: String,
    /// True when this piece matched the query.
    pub highlight: bool,
}

/// A mapped counterpart, ready to show beside a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitMapping {
    /// Counterpart id.
    pub id: String,
    /// Counterpart term.
    pub term: String,
    /// Counterpart domain.
    pub domain: String,
    /// How close it is, seen from the hit.
    pub closeness: Closeness,
}

/// Another sense of the same word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalseFriendRef {
    /// The other entry's id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its domain.
    pub domain: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Entry id.
    pub id: String,
    /// Entry term.
    pub term: String,
    /// Entry domain.
    pub domain: String,
    /// Abbreviations.
    pub abbreviations: Vec<String>,
    /// Synonyms.
    pub synonyms: Vec<String>,
    /// Higher is better; comparable within one result list only.
    pub score: f32,
    /// Why it matched.
    pub matched: MatchKind,
    /// The definition with the query's words highlighted.
    pub snippet: Vec<Fragment>,
    /// Mapped counterparts (both directions), closest first.
    pub mappings: Vec<HitMapping>,
    /// Other senses of the same word in other domains.
    pub false_friends: Vec<FalseFriendRef>,
}

/// Search failed inside tantivy (should not happen for an index this module built).
#[derive(Debug, thiserror::Error)]
#[error("search index error: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

struct Fields {
    key: Field,
    id: Field,
    domain: Field,
    abbrev: Field,
    term_words: Field,
    syn_words: Field,
    label_stems: Field,
    definition_stems: Field,
    other_stems: Field,
}

/// The tantivy index over one glossary version, plus what the re-ranker needs.
pub struct SearchIndex {
    /// Where tantivy keeps the index.
    storage: Storage,
    index: Index,
    reader: IndexReader,
    /// Per segment, document → position in [`Glossary::entries`] of the glossary last indexed
    /// ([`NO_ORD`] for a document of no entry there); derived once per commit so a query
    /// neither opens a fast-field column nor looks a key up per document.
    doc_ords: Vec<Vec<u32>>,
    /// Entry key → position in [`Glossary::entries`] of the glossary last indexed.
    key_to_ord: FxHashMap<u64, u32>,
    /// Every entry's names analysed for ranking, and which entries each label names.
    names: NameTable,
    /// Position in [`Glossary::entries`] → the entry's slot in `names` ([`NO_SLOT`] if none).
    ord_slots: Vec<u32>,
    fields: Fields,
    /// Every abbreviation's compact key, sorted and without repeats: the same words as the
    /// `abbrev` field's dictionary, searched here without walking it.
    abbreviations: SortedKeys,
}

/// In [`SearchIndex::doc_ords`], a document that is no entry of the glossary last indexed.
const NO_ORD: u32 = u32::MAX;

/// In [`SearchIndex::ord_slots`], an entry without analysed names.
const NO_SLOT: u32 = u32::MAX;

/// Where an index lives.
enum Storage {
    /// In memory: built here, or copied here before its first update.
    Ram(RamDirectory),
    /// Memory-mapped from a folder [`SearchIndex::save`] wrote, which is never written to:
    /// only the pages searches touch take memory.
    Saved(PathBuf),
}

/// A stable 64-bit key for an entry id (FNV-1a), stored in the index so documents survive
/// entries being added or removed around them.
fn entry_key(id: &str) -> u64 {
    crate::text::fnv1a(id.as_bytes())
}

fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// Folded words, with hyphenated or slashed compounds also emitted joined (`dis-benefit` →
/// `dis benefit disbenefit`).
#[cfg(test)]
fn folded_tokens(text: &str, out: &mut Vec<String>) {
    for chunk in text.split_whitespace() {
        let parts: Vec<String> = words(chunk).into_iter().map(fold_word).collect();
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts);
    }
}

/// Folds and stems words for the index, remembering each distinct word's analysis: a
/// glossary's vocabulary is small next to its word count, so this makes building the index
/// several times faster. Prose, labels and names all go through it.
struct WordAnalyzer {
    stemmer: Stemmer,
    /// Raw word → its analysis in `words`.
    memo: FxHashMap<Box<str>, u32>,
    words: Vec<AnalysedWord>,
    /// The last word analysed but not remembered.
    unremembered: AnalysedWord,
    /// Scratch buffer for joining compounds.
    joined: String,
}

/// One word folded and stemmed.
#[derive(Default)]
struct AnalysedWord {
    folded: Box<str>,
    stem: Box<str>,
    stop: bool,
}

/// Beyond this many distinct words the analyser stops remembering new ones: in very large
/// glossaries most new words are one-off names, and the memo would only hold memory.
const WORD_MEMO_MAX: usize = 200_000;

impl WordAnalyzer {
    fn new() -> WordAnalyzer {
        WordAnalyzer {
            stemmer: stemmer(),
            memo: FxHashMap::default(),
            words: Vec::new(),
            unremembered: AnalysedWord::default(),
            joined: String::new(),
        }
    }

    /// The analysis of one raw word (a run of letters and digits, maybe with apostrophes).
    fn word(&mut self, raw: &str) -> &AnalysedWord {
        if let Some(&at) = self.memo.get(raw) {
            return &self.words[at as usize];
        }
        let folded = fold_word(raw);
        let analysed = AnalysedWord {
            stem: self.stemmer.stem(&folded).into(),
            stop: STOP_WORDS.contains(&folded.as_str()),
            folded: folded.into(),
        };
        if self.words.len() >= WORD_MEMO_MAX {
            self.unremembered = analysed;
            return &self.unremembered;
        }
        self.memo.insert(raw.into(), self.words.len() as u32);
        self.words.push(analysed);
        &self.words[self.words.len() - 1]
    }

    fn push_stem(&mut self, word: &str, out: &mut String) {
        let analysed = self.word(word);
        if !analysed.stop {
            out.push_str(&analysed.stem);
            out.push(' ');
        }
    }

    /// Appends the stems of `text` to `out`, space-separated, compounds also joined; stop
    /// words are left out.
    fn push_stems(&mut self, text: &str, out: &mut String) {
        if !text.is_ascii() {
            for chunk in text.split_whitespace() {
                self.push_chunk(chunk, out);
            }
            return;
        }
        // ASCII prose, the usual case, is split into whitespace-separated chunks byte by
        // byte, noting on the way whether a chunk is one plain word.
        let is_space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
        let bytes = text.as_bytes();
        let mut at = 0;
        loop {
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            if at == bytes.len() {
                return;
            }
            let start = at;
            let mut plain = true;
            while at < bytes.len() && !is_space(bytes[at]) {
                plain &= bytes[at].is_ascii_alphanumeric();
                at += 1;
            }
            if plain {
                self.push_stem(&text[start..at], out);
            } else {
                self.push_chunk(&text[start..at], out);
            }
        }
    }

    /// Appends the stems of one whitespace-free chunk: its word, or a compound's joined
    /// form and each part (dis-benefit).
    fn push_chunk(&mut self, chunk: &str, out: &mut String) {
        let mut parts = words(chunk).into_iter();
        let Some(first) = parts.next() else { return };
        let Some(second) = parts.next() else {
            return self.push_stem(first, out);
        };
        let mut joined = std::mem::take(&mut self.joined);
        joined.clear();
        joined.push_str(first);
        joined.push_str(second);
        let rest: Vec<&str> = parts.collect();
        for part in &rest {
            joined.push_str(part);
        }
        self.push_stem(&joined, out);
        self.joined = joined;
        self.push_stem(first, out);
        self.push_stem(second, out);
        for part in rest {
            self.push_stem(part, out);
        }
    }

    /// [`compact_key`], from remembered words.
    fn compact_key(&mut self, label: &str) -> String {
        let mut key = String::with_capacity(label.len());
        for word in words(&crate::text::strip_parenthetical(label)) {
            key.push_str(&self.word(word).folded);
        }
        key
    }

    /// [`folded_tokens`], from remembered words.
    fn folded_tokens(&mut self, text: &str, out: &mut Vec<String>) {
        for chunk in text.split_whitespace() {
            let parts: Vec<String> = words(chunk)
                .into_iter()
                .map(|w| self.word(w).folded.to_string())
                .collect();
            if parts.len() > 1 {
                out.push(parts.concat());
            }
            out.extend(parts);
        }
    }

    /// [`AnalysedLabel::new`], from remembered words, each looked up once.
    fn label(&mut self, label: &str) -> AnalysedLabel {
        let mut analyse = |text: &str| -> Vec<(Box<str>, Box<str>)> {
            words(text)
                .into_iter()
                .map(|w| {
                    let analysed = self.word(w);
                    (analysed.folded.clone(), analysed.stem.clone())
                })
                .collect()
        };
        let chunks: Vec<_> = label.split_whitespace().map(&mut analyse).collect();
        // A parenthetical part is left out of the keys but not of the words.
        let stripped = label
            .contains('(')
            .then(|| analyse(&crate::text::strip_parenthetical(label)));
        let keyed: Vec<&(Box<str>, Box<str>)> = match &stripped {
            Some(words) => words.iter().collect(),
            None => chunks.iter().flatten().collect(),
        };
        let mut packed = String::with_capacity(3 * label.len());
        keyed.iter().for_each(|(folded, _)| packed.push_str(folded));
        packed.push(PART);
        keyed.iter().for_each(|(_, stem)| packed.push_str(stem));
        for parts in &chunks {
            if parts.len() > 1 {
                let joined: String = parts.iter().map(|(folded, _)| &**folded).collect();
                packed.push(PART);
                packed.push_str(&joined);
                packed.push(PART);
                packed.push_str(&self.stemmer.stem(&joined));
            }
            for (folded, stem) in parts {
                packed.push(PART);
                packed.push_str(folded);
                packed.push(PART);
                packed.push_str(stem);
            }
        }
        AnalysedLabel(packed.into_boxed_str())
    }

    /// An entry's names, analysed for the re-ranker.
    fn names(&mut self, entry: &Entry) -> Names {
        let abbreviations: Vec<String> = entry
            .abbreviations
            .iter()
            .map(|a| self.compact_key(a))
            .collect();
        Names {
            term: self.label(&entry.term),
            abbreviations: abbreviations.join(&PART.to_string()).into_boxed_str(),
            synonyms: entry.synonyms.iter().map(|s| self.label(s)).collect(),
        }
    }
}

impl SearchIndex {
    /// Builds an in-memory index of every entry in the glossary.
    pub fn build(glossary: &Glossary) -> Result<SearchIndex, SearchError> {
        std::thread::scope(|scope| Self::build_in(scope, glossary))
    }

    fn build_in<'scope>(
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
    fn assemble(
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

    /// Writes the index files into `dir` (an empty folder), for [`SearchIndex::load`].
    pub fn save(&self, dir: &Path) -> Result<(), SearchError> {
        let destination = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        match &self.storage {
            Storage::Ram(directory) => directory.persist(&destination)?,
            Storage::Saved(from) => copy_into(from, &destination)?,
        }
        Ok(())
    }

    /// Opens an index that [`SearchIndex::save`] wrote for this same `glossary`, memory-mapped
    /// and read-only: before its first update it is copied into memory, so the saved files
    /// never change.
    pub fn load(dir: &Path, glossary: &Glossary) -> Result<SearchIndex, SearchError> {
        std::thread::scope(|scope| {
            let names = scope.spawn(|| analyse_names(glossary));
            let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
            let (index, reader, fields) = open_index(directory)?;
            let names = names.join().expect("analysing names does not panic");
            let storage = Storage::Saved(dir.to_path_buf());
            let search_index = Self::assemble(storage, index, reader, fields, names, glossary)?;
            if search_index.doc_ords.iter().map(Vec::len).sum::<usize>() != glossary.len() {
                return Err(SearchError(tantivy::TantivyError::InvalidArgument(
                    "the saved index does not hold this glossary".into(),
                )));
            }
            Ok(search_index)
        })
    }

    /// True while the index is read from a saved copy rather than held in memory.
    pub fn is_memory_mapped(&self) -> bool {
        matches!(self.storage, Storage::Saved(_))
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

    /// Brings the index up to date with `new` without rebuilding it: only the entries that
    /// differ from `old` (and those whose mapped counterparts changed, since a counterpart's
    /// names are indexed with them) are re-indexed.
    pub fn update(&mut self, old: &Glossary, new: &Glossary) -> Result<UpdateStats, SearchError> {
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
        self.reader.reload()?;
        self.refresh(new)?;
        Ok(stats)
    }

    /// Runs the query pipeline. Never fails on odd input: any text gives hits or none.
    pub fn search(&self, glossary: &Glossary, request: &SearchRequest) -> Vec<Hit> {
        // The index is built by this module from valid data, so tantivy errors here would be
        // bugs; an empty result is the safe answer for the user.
        self.try_search(glossary, request).unwrap_or_default()
    }

    fn try_search(
        &self,
        glossary: &Glossary,
        request: &SearchRequest,
    ) -> Result<Vec<Hit>, SearchError> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(&request.query, &searcher);
        if parsed.words.is_empty() || request.limit == 0 {
            return Ok(Vec::new());
        }
        // Two retrievals: by name (exact, abbreviation, prefix, typo) and by prose (BM25 over
        // definitions, explanations, mapped labels). Names decide the tiers; prose orders the
        // entries that only match in their text, so one word of a description appearing in
        // some term cannot outrank an entry whose definition says all of it.
        let plan = self.name_plan(&parsed, &searcher);
        let collect = |query: &dyn Query, limit: usize| self.top_entries(&searcher, query, limit);
        // Entries the whole query labels are always candidates; the plan finds the others.
        let mut name_hits: Vec<(usize, f32)> = self
            .names
            .labelled(&parsed.compact)
            .filter_map(|key| self.key_to_ord.get(&key).map(|&ord| ord as usize))
            .filter(|&ord| in_domains(glossary, ord, &request.domains))
            .map(|ord| (ord, 1.0))
            .collect();
        let labelled = name_hits.len();
        let planned = match self.direct_name_candidates(
            &plan,
            &searcher,
            glossary,
            &request.domains,
            NAME_CANDIDATES,
        ) {
            Some(ords) => ords.into_iter().map(|ord| (ord, 1.0)).collect(),
            None => {
                let names = self.with_domains(plan.into_query(), &request.domains);
                collect(names.as_ref(), NAME_CANDIDATES)?
            }
        };
        for hit in planned {
            if !name_hits[..labelled].iter().any(|&(ord, _)| ord == hit.0) {
                name_hits.push(hit);
            }
        }
        let mut ranked: Vec<Ranked> = Vec::with_capacity(name_hits.len() + request.limit);
        let classify_ord = |ord: usize, name_score: f32, prose_score: f32| {
            let entry = &glossary.entries()[ord];
            // Only the name retrieval can produce a name match; prose-only hits skip the check.
            let names = self.names.at(self.ord_slots[ord]);
            let (matched, sub) = match names.filter(|_| name_score > 0.0) {
                Some(names) => classify(names, &parsed),
                None => (MatchKind::Text, 0),
            };
            let other_side = request
                .reader
                .is_some_and(|r| glossary.side_of(&entry.domain) == r.side().other());
            Ranked {
                ord,
                matched,
                sub,
                other_side,
                score: prose_score,
            }
        };
        ranked.extend(
            name_hits
                .iter()
                .map(|&(ord, score)| classify_ord(ord, score, 0.0)),
        );
        // When the query names an entry (its term or an abbreviation) or is the start of one
        // being typed, the page is about those entries, their other senses and counterparts,
        // and entries named like them; prose matches would only pad it, so the prose
        // retrieval (the costly part at scale) is skipped. So it is when names fill the page:
        // prose-only hits always rank below every name match.
        let named = ranked.iter().any(|r| {
            (r.matched <= MatchKind::Abbreviation || r.matched == MatchKind::TermPrefix)
                && r.sub == 0
        });
        let names_fill_page = ranked
            .iter()
            .filter(|r| r.matched < MatchKind::Text)
            .count()
            >= request.limit;
        if !named && !names_fill_page {
            let limit = request.limit + PROSE_MARGIN;
            let common = self.common_stems(&parsed, &searcher);
            // In a very large glossary, a description made only of common words is first
            // looked up as all of its words: their intersection is far cheaper than their
            // union (tantivy skips whole blocks of each list), and the entries that say every
            // word are the ones BM25 would put first. Only when too few entries say them all
            // does the union below run.
            let mut prose_hits = match self.all_words_query(&parsed, &common) {
                Some(query) => collect(self.with_domains(query, &request.domains).as_ref(), limit)?,
                None => Vec::new(),
            };
            if prose_hits.len() < limit {
                let prose = self.prose_query(&parsed, &common, &searcher);
                prose_hits = collect(self.with_domains(prose, &request.domains).as_ref(), limit)?;
            }
            for (ord, prose_score) in prose_hits {
                match ranked.iter_mut().find(|r| r.ord == ord) {
                    Some(r) => r.score = prose_score,
                    None => ranked.push(classify_ord(ord, 0.0, prose_score)),
                }
            }
        }

        ranked.sort_by(|a, b| {
            name_tier(a.matched, a.sub)
                .cmp(&name_tier(b.matched, b.sub))
                .then(b.other_side.cmp(&a.other_side))
                .then_with(|| {
                    if a.matched == MatchKind::Text {
                        b.boosted_score().total_cmp(&a.boosted_score())
                    } else {
                        let la = glossary.entries()[a.ord].term.len();
                        let lb = glossary.entries()[b.ord].term.len();
                        la.cmp(&lb).then(b.score.total_cmp(&a.score))
                    }
                })
                .then(a.ord.cmp(&b.ord))
        });

        // False friends join right after a sense that matched by name, so every sense of the
        // word is near the top.
        let mut order: Vec<(usize, MatchKind, f32)> = Vec::new();
        let mut placed = HashSet::default();
        let wanted = |ord: usize| in_domains(glossary, ord, &request.domains);
        for r in &ranked {
            if !placed.insert(r.ord) {
                continue;
            }
            order.push((r.ord, r.matched, r.score));
            if r.matched <= MatchKind::Synonym && order.len() <= 6 {
                for j in glossary.false_friends_at(r.ord) {
                    if wanted(j) && placed.insert(j) {
                        order.push((j, MatchKind::FalseFriend, r.score));
                    }
                }
            }
            // The translation: when the query names an entry, its closest counterparts on the
            // other side follow it, so a clinical word finds the IT term mapped to it.
            let names_it = r.matched <= MatchKind::Abbreviation
                || (order.len() == 1 && r.matched <= MatchKind::Synonym);
            if names_it && order.len() <= 4 {
                for counterpart in glossary.counterparts_at(r.ord).take(3) {
                    let j = counterpart.index();
                    if wanted(j) && placed.insert(j) {
                        order.push((j, MatchKind::Counterpart, r.score));
                    }
                }
            }
            if order.len() >= request.limit {
                break;
            }
        }
        order.truncate(request.limit);

        let n = order.len() as f32;
        let highlighter = Highlighter::new(&parsed);
        Ok(order
            .into_iter()
            .enumerate()
            .map(|(rank, (ord, matched, _))| {
                let entry = &glossary.entries()[ord];
                Hit {
                    id: entry.id.clone(),
                    term: entry.term.clone(),
                    domain: entry.domain.clone(),
                    abbreviations: entry.abbreviations.clone(),
                    synonyms: entry.synonyms.clone(),
                    // A rank-derived score: stable, comparable within one list.
                    score: (n - rank as f32) / n,
                    matched,
                    snippet: highlighter.fragments(&entry.definition),
                    mappings: glossary
                        .counterparts_at(ord)
                        .map(|c| {
                            let other = c.entry();
                            HitMapping {
                                id: other.id.clone(),
                                term: other.term.clone(),
                                domain: other.domain.clone(),
                                closeness: c.closeness(),
                            }
                        })
                        .collect(),
                    false_friends: glossary
                        .false_friends_at(ord)
                        .map(|j| &glossary.entries()[j])
                        .map(|other| FalseFriendRef {
                            id: other.id.clone(),
                            term: other.term.clone(),
                            domain: other.domain.clone(),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    /// The `limit` best-scoring entries for `query`, as (position in the glossary, score).
    fn top_entries(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        limit: usize,
    ) -> Result<Vec<(usize, f32)>, SearchError> {
        let top = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(top
            .into_iter()
            .filter_map(|(score, address)| {
                let ord = self.doc_ords[address.segment_ord as usize][address.doc_id as usize];
                (ord != NO_ORD).then_some((ord as usize, score))
            })
            .collect())
    }

    /// The query analysed, with each word marked known or not. A word found as typed in a
    /// name, or as a word of the prose, is not a typo: typo expansion (the costly part of a
    /// query) is kept for words found nowhere.
    fn parse(&self, raw: &str, searcher: &tantivy::Searcher) -> ParsedQuery {
        let mut parsed = ParsedQuery::new(raw, &self.abbreviations);
        let found = |field: Field, text: &str| {
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .unwrap_or(0)
                > 0
        };
        let last = parsed.words.len().saturating_sub(1);
        parsed.known = parsed
            .words
            .iter()
            .zip(&parsed.word_stems)
            .enumerate()
            .map(|(i, (word, stem))| {
                // A short word still being typed ("cab", "tto") is matched as a prefix and
                // never as a typo, so whether it is known changes nothing: four dictionary
                // lookups saved on most keystrokes.
                if i == last && parsed.last_is_prefix && typo_budget(word) == 0 {
                    return false;
                }
                found(self.fields.term_words, word)
                    || found(self.fields.syn_words, word)
                    || found(self.fields.definition_stems, stem)
                    || found(self.fields.other_stems, stem)
            })
            .collect();
        parsed.last_is_term_word = parsed
            .words
            .last()
            .is_some_and(|w| found(self.fields.term_words, w));
        parsed
    }

    /// The name retrieval. A candidate either is named by the whole query (its label or an
    /// abbreviation) or matches every query word in its names, each word in one of the ways
    /// [`classify`] accepts (as typed, by stem, as a prefix, within the typo budget). An entry
    /// matching only some of the words could only rank as prose, and the prose retrieval finds
    /// those; requiring every word lets tantivy intersect posting lists instead of merging them,
    /// which is what keeps long queries cheap in large glossaries.
    fn name_plan(&self, parsed: &ParsedQuery, searcher: &tantivy::Searcher) -> NamePlan {
        let f = &self.fields;
        // A prefix that starts only a few words becomes those words' term queries; one that
        // starts many becomes a range query. A range query marks its documents in a bitset
        // the size of the index, which is what a prefix costs in a very large glossary, while
        // each term query costs a lookup: few words are cheaper as terms.
        let clauses_for = |field: Field, word: &str, boost: f32, words: Vec<String>| {
            if words.len() <= FEW_PREFIX_WORDS {
                words
                    .into_iter()
                    .map(|w| NameClause::term(field, w, boost))
                    .collect::<Vec<_>>()
            } else {
                vec![NameClause::Prefix(field, word.to_string(), boost)]
            }
        };
        let prefix_clauses = |field: Field, word: &str, boost: f32| {
            let words = prefix_words(searcher, field, word, FEW_PREFIX_WORDS + 1);
            clauses_for(field, word, boost, words)
        };
        let mut plan = NamePlan {
            whole: vec![NameClause::term(f.abbrev, parsed.compact.clone(), 50.0)],
            every_word: Vec::new(),
        };
        if parsed.last_is_prefix && parsed.compact.chars().count() >= 2 {
            // "dnac" while typing DNACPR.
            // The abbreviations are held sorted, so no dictionary walk is needed.
            let words = self
                .abbreviations
                .starting(&parsed.compact, FEW_PREFIX_WORDS + 1);
            plan.whole
                .extend(clauses_for(f.abbrev, &parsed.compact, 10.0, words));
        }
        if parsed.words.len() > 1 {
            // "dis benefit" for "disbenefit".
            plan.whole
                .push(NameClause::term(f.term_words, parsed.compact.clone(), 8.0));
            // "cutt over" for "Cutover": a typo in a term written as one word, when some
            // word is found nowhere (words that short get no typo budget of their own).
            let distance = typo_budget(&parsed.compact);
            // The last word while it is typed is never known (see `parse`): not a typo.
            let typing = |i: usize| i + 1 == parsed.words.len() && parsed.last_is_prefix;
            let typo_somewhere = parsed
                .known
                .iter()
                .enumerate()
                .any(|(i, &known)| !known && !typing(i));
            if distance > 0 && typo_somewhere {
                let term = Term::from_field_text(f.term_words, &parsed.compact);
                plan.whole.push(NameClause::Other(
                    Box::new(FuzzyTermQuery::new(term, distance, true)),
                    3.0,
                ));
            }
            // An abbreviation among other words names its entries ("CAB meeting").
            for word in parsed.words.iter().filter(|w| parsed.is_abbreviation(w)) {
                plan.whole.push(NameClause::term(f.abbrev, word, 20.0));
            }
        }

        let last = parsed.words.len() - 1;
        for (i, word) in parsed.words.iter().enumerate() {
            let is_last = i == last;
            let typing = is_last && parsed.last_is_prefix;
            // A word found nowhere may be a shortened word ("prog board"): classify accepts
            // any word of three letters or more as a prefix, so it is retrieved as one.
            let shortened = typing || (!parsed.known[i] && word.chars().count() >= 3);
            let stem = &parsed.word_stems[i];
            if parsed.known[i] && !typing && !STOP_WORDS.contains(&word.as_str()) {
                // A whole word spelt right: the stems of every name (term, synonyms,
                // abbreviations) hold it and its inflections, so one posting list serves.
                if parsed.words.len() == 1 {
                    plan.whole
                        .push(NameClause::term(f.label_stems, stem.clone(), 8.0));
                    return plan;
                }
                plan.every_word.push(WordClauses {
                    required: true,
                    bare: true,
                    ways: vec![NameClause::term(f.label_stems, stem.clone(), 1.0)],
                });
                continue;
            }
            let name_fields = [(f.term_words, 8.0), (f.syn_words, 5.0)];
            // A prefix's expansions start with the word itself.
            let prefixes = name_fields.map(|(field, boost)| {
                if shortened {
                    prefix_clauses(field, word, boost)
                } else {
                    Vec::new()
                }
            });
            // Typo tolerance only for words not found as typed in any name, nor (while
            // typing) starting one ("escal" → escalation): a word spelt right needs no fuzzy
            // expansion, which is the costly part of a query.
            let spelt_right =
                parsed.known[i] || (typing && prefixes.iter().any(|clauses| !clauses.is_empty()));
            let mut ways = Vec::new();
            for ((field, boost), prefix) in name_fields.into_iter().zip(prefixes) {
                if shortened {
                    ways.extend(prefix);
                } else {
                    ways.push(NameClause::term(field, word.clone(), boost));
                }
                let distance = typo_budget(word);
                if distance > 0 && !parsed.is_abbreviation(word) && !spelt_right {
                    let term = Term::from_field_text(field, word);
                    let fuzzy = if typing {
                        FuzzyTermQuery::new_prefix(term, distance, true)
                    } else {
                        FuzzyTermQuery::new(term, distance, true)
                    };
                    ways.push(NameClause::Other(Box::new(fuzzy), boost * 0.4));
                }
            }
            if parsed.is_abbreviation(word) {
                ways.push(NameClause::term(f.abbrev, word.clone(), 20.0));
            }
            // Inflections of a name ("issues" for "Issue").
            ways.push(NameClause::term(f.label_stems, stem.clone(), 4.0));
            if parsed.words.len() == 1 {
                // One word: its ways join the whole-query ones in one union, not a nested one
                // (each union costs tantivy a 4096-document buffer).
                plan.whole.extend(ways);
                return plan;
            }
            plan.every_word.push(WordClauses {
                required: !parsed.optional[i],
                bare: false,
                ways,
            });
        }
        plan
    }

    /// The name candidates of `plan` read straight from the posting lists, when that gives
    /// exactly what tantivy's top-`limit` collection would: every clause is a term or the
    /// prefix of a few short posting lists, and at most `limit` entries match, so all of them
    /// are candidates whatever their scores.
    /// That skips tantivy's scoring machinery (a BM25 weight per clause, a 4096-document union
    /// buffer, the top-k collector), which is most of the cost of a query that names an entry
    /// in a small glossary. `None` means the query must go through tantivy.
    fn direct_name_candidates(
        &self,
        plan: &NamePlan,
        searcher: &tantivy::Searcher,
        glossary: &Glossary,
        domains: &[String],
        limit: usize,
    ) -> Option<Vec<usize>> {
        let terms_only = |clauses: &[NameClause]| {
            clauses
                .iter()
                .all(|clause| !matches!(clause, NameClause::Other(..)))
        };
        if !terms_only(&plan.whole) || !plan.every_word.iter().all(|w| terms_only(&w.ways)) {
            return None;
        }
        // The words every candidate must match, as groups of alternative terms; optional
        // words only add to the score.
        let required: Vec<&[NameClause]> = plan
            .every_word
            .iter()
            .filter(|w| w.required)
            .map(|w| w.ways.as_slice())
            .collect();
        if required.is_empty() && !plan.every_word.is_empty() {
            return None;
        }
        let mut ords: Vec<usize> = Vec::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            // Term lookups first: a posting list is only opened (a kilobyte of decoder
            // buffers) once the lengths show the direct path applies.
            let mut whole = Vec::with_capacity(plan.whole.len());
            // A term can be in the plan several times with different boosts (an abbreviation
            // typed in full is itself, its own prefix and a word); boosts do not matter here.
            let mut seen: Vec<&Term> = Vec::with_capacity(plan.whole.len());
            for clause in &plan.whole {
                if let NameClause::Term(term, _) = clause {
                    if seen.contains(&term) {
                        continue;
                    }
                    seen.push(term);
                }
                whole.extend(clause_postings(segment, clause, DIRECT_MAX_DOCS)?);
            }
            let whole_len: usize = whole.iter().map(|(_, info)| info.doc_freq as usize).sum();
            if whole_len > DIRECT_MAX_DOCS {
                return None;
            }
            let mut docs: Vec<DocId> = Vec::with_capacity(whole_len);
            for (index, info) in &whole {
                read_docs(index, info, &mut docs)?;
            }
            if !required.is_empty() {
                let mut groups = Vec::with_capacity(required.len());
                for ways in &required {
                    let mut infos = Vec::with_capacity(ways.len());
                    for clause in ways.iter() {
                        infos.extend(clause_postings(segment, clause, DIRECT_MAX_DOCS)?);
                    }
                    let len: usize = infos.iter().map(|(_, info)| info.doc_freq as usize).sum();
                    groups.push((len, infos));
                }
                // The word with the fewest documents drives; the others are sought.
                groups.sort_by_key(|(len, _)| *len);
                let (driver_len, driver) = &groups[0];
                if *driver_len > DIRECT_MAX_DOCS {
                    return None;
                }
                let mut driving: Vec<DocId> = Vec::with_capacity(*driver_len);
                for (index, info) in driver {
                    read_docs(index, info, &mut driving)?;
                }
                driving.sort_unstable();
                driving.dedup();
                let mut sought: Vec<Vec<SegmentPostings>> = Vec::with_capacity(groups.len() - 1);
                if !driving.is_empty() {
                    for (_, infos) in &groups[1..] {
                        let mut postings = Vec::with_capacity(infos.len());
                        for (index, info) in infos {
                            postings.push(
                                index
                                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                                    .ok()?,
                            );
                        }
                        sought.push(postings);
                    }
                }
                for doc in driving {
                    let in_every_group = sought.iter_mut().all(|postings| {
                        postings.iter_mut().any(|p| {
                            if p.doc() < doc {
                                p.seek(doc);
                            }
                            p.doc() == doc
                        })
                    });
                    if in_every_group {
                        docs.push(doc);
                    }
                }
            }
            docs.sort_unstable();
            docs.dedup();
            let alive = segment.alive_bitset();
            for doc in docs {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let ord = self.doc_ords[segment_ord][doc as usize];
                if ord != NO_ORD && in_domains(glossary, ord as usize, domains) {
                    ords.push(ord as usize);
                }
            }
            if ords.len() > limit {
                return None;
            }
        }
        Some(ords)
    }

    /// Whether a stem is common: in a very large glossary, a word found in more than a tenth
    /// of the entries costs a long posting list and barely moves BM25 (its IDF is small).
    fn is_common(&self, searcher: &tantivy::Searcher, stem: &str) -> bool {
        let total = searcher.num_docs();
        total >= LARGE_GLOSSARY
            && [self.fields.definition_stems, self.fields.other_stems]
                .into_iter()
                .any(|field| {
                    searcher
                        .doc_freq(&Term::from_field_text(field, stem))
                        .unwrap_or(0)
                        > total / 10
                })
    }

    /// [`SearchIndex::is_common`] for each query stem.
    fn common_stems(&self, parsed: &ParsedQuery, searcher: &tantivy::Searcher) -> Vec<bool> {
        parsed
            .stems
            .iter()
            .map(|stem| self.is_common(searcher, stem))
            .collect()
    }

    /// Every stem of a description of common words required in the definitions, weighted as
    /// in [`SearchIndex::prose_query`]; `None` unless every stem is common (so only in very
    /// large glossaries) and the thesaurus adds nothing, whose words are alternatives.
    fn all_words_query(&self, parsed: &ParsedQuery, common: &[bool]) -> Option<Box<dyn Query>> {
        if parsed.stems.len() < 2 || !parsed.expansions.is_empty() || !common.iter().all(|&c| c) {
            return None;
        }
        let clauses = parsed
            .stems
            .iter()
            .zip(&parsed.stem_weights)
            .map(|(stem, &w)| {
                let term = term_query(self.fields.definition_stems, stem);
                (
                    Occur::Must,
                    Box::new(BoostQuery::new(term, 2.0 * w)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// BM25 over the prose: the definitions (with the names) and the surrounding text.
    fn prose_query(
        &self,
        parsed: &ParsedQuery,
        common: &[bool],
        searcher: &tantivy::Searcher,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut should = |query: Box<dyn Query>, boost: f32| {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        };
        // Common words are left out of retrieval when rarer words remain.
        let keep_all = common.iter().all(|&c| c);
        // Two fields per word: what the entry is (names and definition) and what surrounds it
        // (explanation, example, counterparts' names). Fewer, longer fields keep a query to
        // two posting lists per word. The surrounding prose is the longer list and the weaker
        // signal: in a very large glossary a description of three words or more, whose
        // several lists are what makes it slow, is looked up in the definitions only.
        let large = searcher.num_docs() >= LARGE_GLOSSARY;
        let definitions_only = large && parsed.stems.len() >= 3;
        for ((stem, &w), &common) in parsed.stems.iter().zip(&parsed.stem_weights).zip(common) {
            if common && !keep_all {
                continue;
            }
            should(term_query(f.definition_stems, stem), 2.0 * w);
            // A common word kept because every word is common is looked up in the
            // definitions only, as above.
            if !common && !definitions_only {
                should(term_query(f.other_stems, stem), 0.7 * w);
            }
        }
        for stem in &parsed.expansions {
            if self.is_common(searcher, stem) {
                continue;
            }
            should(term_query(f.definition_stems, stem), 0.8);
            if !definitions_only {
                should(term_query(f.other_stems, stem), 0.2);
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn with_domains(&self, query: Box<dyn Query>, domains: &[String]) -> Box<dyn Query> {
        if domains.is_empty() {
            return query;
        }
        let filter = BooleanQuery::new(
            domains
                .iter()
                .map(|d| (Occur::Should, term_query(self.fields.domain, d)))
                .collect(),
        );
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Must, Box::new(filter) as Box<dyn Query>),
        ]))
    }
}

/// The index schema and its fields. Changing it means bumping [`SCHEMA_VERSION`].
fn schema() -> (Schema, Fields) {
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
fn register_tokenizer(index: &Index) {
    index.tokenizers().register(
        "ws",
        TextAnalyzer::builder(WhitespaceTokenizer::default()).build(),
    );
}

/// Opens a saved index and checks that it has this build's schema.
fn open_index<D: Directory>(directory: D) -> Result<(Index, IndexReader, Fields), SearchError> {
    let index = Index::open(directory)?;
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(SearchError(tantivy::TantivyError::SchemaError(
            "the saved index has another schema".into(),
        )));
    }
    register_tokenizer(&index);
    let reader = manual_reader(&index)?;
    Ok((index, reader, fields))
}

/// A reader that sees new commits only when told to (after an update), never mid-query.
fn manual_reader(index: &Index) -> Result<IndexReader, SearchError> {
    Ok(index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?)
}

/// Copies every file of a saved index folder into `destination`.
fn copy_into(from: &Path, destination: &dyn Directory) -> Result<(), SearchError> {
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

/// Every entry's names, analysed for the re-ranker.
fn analyse_names(glossary: &Glossary) -> NameTable {
    let mut analyzer = WordAnalyzer::new();
    let keys: Vec<u64> = glossary
        .entries()
        .iter()
        .map(|e| entry_key(&e.id))
        .collect();
    let slots: Vec<Option<Names>> = glossary
        .entries()
        .iter()
        .map(|e| Some(analyzer.names(e)))
        .collect();
    let by_label = keys
        .iter()
        .zip(&slots)
        .flat_map(|(&key, names)| {
            names
                .iter()
                .flat_map(move |n| n.label_hashes().map(move |hash| (hash, key)))
        })
        .collect();
    NameTable {
        slot_of: keys
            .iter()
            .enumerate()
            .map(|(i, &key)| (key, i as u32))
            .collect(),
        slots,
        free: Vec::new(),
        by_label,
    }
}

/// Every entry's analysed names, and the entries each label's compact key names. Held here
/// rather than as an indexed field: tantivy's indexing thread is what a build waits for, and
/// a dictionary of every label was a tenth of its work, where this is made beside it.
struct NameTable {
    /// The analysed names, one slot per entry; a removed entry's slot is reused. Read by
    /// slot while ranking ([`SearchIndex::ord_slots`]), so a candidate costs no key lookup.
    slots: Vec<Option<Names>>,
    free: Vec<u32>,
    /// Entry key → slot.
    slot_of: FxHashMap<u64, u32>,
    /// (hash of a label's compact key, entry key), for every term and synonym.
    by_label: BTreeSet<(u64, u64)>,
}

impl NameTable {
    fn get(&self, key: u64) -> Option<&Names> {
        self.at(*self.slot_of.get(&key)?)
    }

    fn slot(&self, key: u64) -> Option<u32> {
        self.slot_of.get(&key).copied()
    }

    /// The names in a slot ([`NO_SLOT`] holds none).
    fn at(&self, slot: u32) -> Option<&Names> {
        self.slots.get(slot as usize)?.as_ref()
    }

    fn insert(&mut self, key: u64, names: Names) {
        self.remove(key);
        self.by_label
            .extend(names.label_hashes().map(|hash| (hash, key)));
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(names);
                slot
            }
            None => {
                self.slots.push(Some(names));
                (self.slots.len() - 1) as u32
            }
        };
        self.slot_of.insert(key, slot);
    }

    fn remove(&mut self, key: u64) {
        let Some(slot) = self.slot_of.remove(&key) else {
            return;
        };
        if let Some(names) = self.slots[slot as usize].take() {
            for hash in names.label_hashes() {
                self.by_label.remove(&(hash, key));
            }
        }
        self.free.push(slot);
    }

    /// Keys of the entries whose term or a synonym has this compact key.
    fn labelled<'a>(&'a self, compact: &'a str) -> impl Iterator<Item = u64> + 'a {
        let hash = label_hash(compact);
        self.by_label
            .range((hash, 0)..=(hash, u64::MAX))
            .map(|&(_, key)| key)
            // Two keys may share a hash; the names say which entries really have it.
            .filter(move |&key| {
                self.get(key)
                    .is_some_and(|names| names.labels().any(|l| l.compact() == compact))
            })
    }
}

/// Whether the entry at `ord` is in one of `domains` (any domain when none are given).
fn in_domains(glossary: &Glossary, ord: usize, domains: &[String]) -> bool {
    domains.is_empty() || domains.contains(&glossary.entries()[ord].domain)
}

/// The key of a label in the [`NameTable`]: its compact key, hashed (FNV-1a).
fn label_hash(compact_key: &str) -> u64 {
    crate::text::fnv1a(compact_key.as_bytes())
}

/// Up to this many words a prefix being typed starts are searched as plain terms.
const FEW_PREFIX_WORDS: usize = 4;

/// A prefix being typed matches at most this many words (in alphabetical order) per segment.
const PREFIX_EXPANSIONS: usize = 50;

/// The most documents the direct name retrieval reads from posting lists before leaving the
/// query to tantivy: beyond this, a long list is cheaper skipped through than read.
const DIRECT_MAX_DOCS: usize = 4 * NAME_CANDIDATES;

/// One way a name can match a query, with its boost.
enum NameClause {
    /// One term of one field: can be read straight from its posting list.
    Term(Term, f32),
    /// Every term of one field starting with a prefix: read straight from their posting
    /// lists when they are few, or a range query.
    Prefix(Field, String, f32),
    /// A typo expansion: only tantivy evaluates it.
    Other(Box<dyn Query>, f32),
}

impl NameClause {
    fn term(field: Field, text: impl AsRef<str>, boost: f32) -> NameClause {
        NameClause::Term(Term::from_field_text(field, text.as_ref()), boost)
    }

    fn into_query(self) -> Box<dyn Query> {
        let (query, boost) = match self {
            NameClause::Term(term, boost) => (
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                boost,
            ),
            NameClause::Prefix(field, prefix, boost) => {
                let mut query = PhrasePrefixQuery::new(vec![Term::from_field_text(field, &prefix)]);
                query.set_max_expansions(PREFIX_EXPANSIONS as u32);
                (Box::new(query) as Box<dyn Query>, boost)
            }
            NameClause::Other(query, boost) => (query, boost),
        };
        Box::new(BoostQuery::new(query, boost))
    }
}

/// The ways one query word can match a name.
struct WordClauses {
    /// False for a stop word in a longer query: it only adds to the score.
    required: bool,
    /// A single unboosted term rather than a union (a whole word spelt right).
    bare: bool,
    ways: Vec<NameClause>,
}

/// The name retrieval of one query: entries named by the whole query, or matching every
/// query word (empty for a one-word query, whose ways are all in `whole`).
struct NamePlan {
    whole: Vec<NameClause>,
    every_word: Vec<WordClauses>,
}

impl NamePlan {
    fn into_query(self) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .whole
            .into_iter()
            .map(|clause| (Occur::Should, clause.into_query()))
            .collect();
        if !self.every_word.is_empty() {
            let every_word = self
                .every_word
                .into_iter()
                .map(|word| {
                    let occur = if word.required {
                        Occur::Must
                    } else {
                        Occur::Should
                    };
                    let query: Box<dyn Query> = match (word.bare, word.ways) {
                        (true, mut ways) if ways.len() == 1 => match ways.pop() {
                            Some(NameClause::Term(term, _)) => {
                                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                            }
                            Some(other) => other.into_query(),
                            None => unreachable!("one way"),
                        },
                        (_, ways) => Box::new(BooleanQuery::new(
                            ways.into_iter()
                                .map(|clause| (Occur::Should, clause.into_query()))
                                .collect(),
                        )),
                    };
                    (occur, query)
                })
                .collect();
            clauses.push((Occur::Should, Box::new(BooleanQuery::new(every_word))));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Where a clause's posting lists are in one segment: a term's (none when it is absent), or
/// those of every term starting with a prefix. `None` when they hold more than `budget`
/// documents or the clause is not made of terms.
fn clause_postings(
    segment: &tantivy::SegmentReader,
    clause: &NameClause,
    budget: usize,
) -> Option<Vec<(std::sync::Arc<InvertedIndexReader>, TermInfo)>> {
    match clause {
        NameClause::Term(term, _) => {
            let index = segment.inverted_index(term.field()).ok()?;
            let info = index.get_term_info(term).ok()?;
            Some(info.map(|info| (index, info)).into_iter().collect())
        }
        NameClause::Prefix(field, prefix, _) => {
            let index = segment.inverted_index(*field).ok()?;
            let mut stream = prefix_stream(&index, prefix).ok()?;
            let (mut found, mut docs) = (Vec::new(), 0);
            while found.len() < PREFIX_EXPANSIONS
                && stream.advance()
                && stream.key().starts_with(prefix.as_bytes())
            {
                let info = stream.value().clone();
                docs += info.doc_freq as usize;
                if docs > budget {
                    return None;
                }
                found.push((index.clone(), info));
            }
            Some(found)
        }
        NameClause::Other(..) => None,
    }
}

/// Appends every document of a posting list to `out`.
fn read_docs(index: &InvertedIndexReader, info: &TermInfo, out: &mut Vec<DocId>) -> Option<()> {
    // Block by block: a whole list is wanted, so no per-document cursor is needed.
    let mut blocks = index
        .read_block_postings_from_terminfo(info, IndexRecordOption::Basic)
        .ok()?;
    while !blocks.docs().is_empty() {
        out.extend_from_slice(blocks.docs());
        blocks.advance();
    }
    Some(())
}

/// The words of `field` that start with `prefix` (in any segment), at most `max`, in
/// alphabetical order.
fn prefix_words(
    searcher: &tantivy::Searcher,
    field: Field,
    prefix: &str,
    max: usize,
) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(index) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = prefix_stream(&index, prefix) else {
            continue;
        };
        let mut taken = 0;
        while taken < max && stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                found.insert(word.to_string());
            }
            taken += 1;
        }
    }
    found.into_iter().take(max).collect()
}

/// The words of a field's dictionary that start with `prefix`, in order. Bounded above, so a walk
/// ends without decoding the first word past the prefix.
fn prefix_stream<'a>(
    index: &'a InvertedIndexReader,
    prefix: &str,
) -> std::io::Result<tantivy::termdict::TermStreamer<'a>> {
    let range = index.terms().range().ge(prefix.as_bytes());
    // The least byte string above every string that starts with the prefix.
    let mut above = prefix.as_bytes().to_vec();
    while let Some(last) = above.pop() {
        if last < u8::MAX {
            above.push(last + 1);
            return range.lt(above).into_stream();
        }
    }
    range.into_stream()
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
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

struct Ranked {
    ord: usize,
    matched: MatchKind,
    sub: u32,
    other_side: bool,
    score: f32,
}

impl Ranked {
    fn boosted_score(&self) -> f32 {
        if self.other_side {
            self.score * 1.5
        } else {
            self.score
        }
    }
}

/// A query after analysis.
#[derive(Debug)]
struct ParsedQuery {
    /// Folded words, in order (compounds split).
    words: Vec<String>,
    /// All words joined, no spaces: compared with compact label keys.
    compact: String,
    /// The stem of every word (stop words included), parallel to `words`.
    word_stems: Vec<String>,
    /// The stems joined, no spaces: compared with labels' stem keys.
    stem_compact: String,
    /// Stems of the meaningful words, for prose matching.
    stems: Vec<String>,
    /// Weight of each stem (parallel to `stems`).
    stem_weights: Vec<f32>,
    /// Stems of words the thesaurus adds for plain-language descriptions.
    expansions: Vec<String>,
    /// False when the user typed a space after the last word.
    last_is_prefix: bool,
    /// Query words that are known abbreviations: never fuzzy.
    abbreviation_words: HashSet<String>,
    /// Per word: found as typed in some name. Only unknown words are treated as typos.
    known: Vec<bool>,
    /// Per word: a stop word in a query that has other words ("the change advisory board").
    /// It counts towards a name match when the name has it, and is skipped when it does not.
    optional: Vec<bool>,
    /// The last word is a whole word of some term ("board"): a term where it is only the
    /// start of a longer word ("Boarding") then ranks below the terms that have the word itself.
    last_is_term_word: bool,
}

impl ParsedQuery {
    /// `abbreviations` are the glossary's compact abbreviation keys, sorted.
    fn new(raw: &str, abbreviations: &SortedKeys) -> ParsedQuery {
        let raw: String = raw.chars().take(MAX_QUERY_CHARS).collect();
        let folded: Vec<String> = words(&raw)
            .into_iter()
            .take(MAX_QUERY_WORDS)
            .map(fold_word)
            .collect();
        let compact = folded.concat();
        let stemmer = stemmer();
        let (expanded, in_phrase) = thesaurus_expansions(&folded);
        // Each word is stemmed once; the other views of the query are built from these.
        let word_stems: Vec<String> = folded
            .iter()
            .map(|w| stemmer.stem(w).into_owned())
            .collect();
        let mut stems = Vec::new();
        let mut stem_weights = Vec::new();
        for ((w, s), in_phrase) in folded.iter().zip(&word_stems).zip(in_phrase) {
            if !STOP_WORDS.contains(&w.as_str()) && !stems.contains(s) {
                stems.push(s.clone());
                // A word inside a recognised phrase ("sign off") counts less on its own: the
                // phrase's meaning is carried by the expansion.
                stem_weights.push(if in_phrase { 0.4 } else { 1.0 });
            }
        }
        let abbreviation_words = folded
            .iter()
            .filter(|w| abbreviations.contains(w))
            .cloned()
            .chain(abbreviations.contains(&compact).then(|| compact.clone()))
            .collect();
        let last_is_prefix = !raw.ends_with(char::is_whitespace);
        let mut expansions = Vec::new();
        for word in expanded {
            if !STOP_WORDS.contains(&word.as_str()) {
                let stem = stemmer.stem(&word).into_owned();
                if !stems.contains(&stem) && !expansions.contains(&stem) {
                    expansions.push(stem);
                }
            }
        }
        let stem_compact = word_stems.concat();
        let is_stop = |w: &String| STOP_WORDS.contains(&w.as_str());
        let has_content = folded.iter().any(|w| !is_stop(w));
        let optional = folded.iter().map(|w| has_content && is_stop(w)).collect();
        ParsedQuery {
            words: folded,
            compact,
            word_stems,
            stem_compact,
            stems,
            stem_weights,
            expansions,
            last_is_prefix,
            abbreviation_words,
            known: Vec::new(),
            optional,
            last_is_term_word: false,
        }
    }

    fn is_abbreviation(&self, word: &str) -> bool {
        self.abbreviation_words.contains(word)
    }

    /// True while the last word is still being typed and is too short to be a whole word
    /// (two letters or fewer): then "inflection of the term" would match too eagerly.
    fn last_is_prefix_only(&self) -> bool {
        self.last_is_prefix && self.words.last().is_some_and(|w| w.chars().count() < 3)
    }
}

/// Distinct strings, sorted and packed end to end: the glossary's abbreviation keys. Packed
/// so a bisection touches one small block of memory; with a separately allocated string per
/// key, every probe was a cache miss somewhere in a large glossary's heap.
#[derive(Default)]
struct SortedKeys {
    text: String,
    /// Where each key ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl SortedKeys {
    fn new(mut keys: Vec<String>) -> SortedKeys {
        keys.sort_unstable();
        keys.dedup();
        let mut packed = SortedKeys {
            text: String::with_capacity(keys.iter().map(String::len).sum()),
            ends: Vec::with_capacity(keys.len()),
        };
        for key in &keys {
            packed.text.push_str(key);
            packed.ends.push(packed.text.len() as u32);
        }
        packed
    }

    fn key(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The position of the first key not less than `word`.
    fn lower_bound(&self, word: &str) -> usize {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.key(mid) < word {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    fn contains(&self, word: &str) -> bool {
        let i = self.lower_bound(word);
        i < self.ends.len() && self.key(i) == word
    }

    /// The first `max` keys, in order, that start with `prefix`.
    fn starting(&self, prefix: &str, max: usize) -> Vec<String> {
        (self.lower_bound(prefix)..self.ends.len())
            .map(|i| self.key(i))
            .take_while(|key| key.starts_with(prefix))
            .take(max)
            .map(str::to_string)
            .collect()
    }
}

/// Plain phrase → glossary words, from `thesaurus.tsv` (folded, split into words).
struct Thesaurus {
    /// Longest phrases first, so "leaving hospital" wins over a one-word entry.
    rows: Vec<(Vec<String>, Vec<String>)>,
    /// First word of a phrase → its rows, so a query only visits the phrases it could hold.
    by_first_word: FxHashMap<String, Vec<usize>>,
}

static THESAURUS: LazyLock<Thesaurus> = LazyLock::new(|| {
    let mut rows: Vec<(Vec<String>, Vec<String>)> = include_str!("thesaurus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('\t'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(phrase, expansion)| {
            let fold = |t: &str| words(t).into_iter().map(fold_word).collect::<Vec<_>>();
            (fold(phrase), fold(expansion))
        })
        .filter(|(p, _)| !p.is_empty())
        .collect();
    rows.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut by_first_word: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, (phrase, _)) in rows.iter().enumerate() {
        by_first_word.entry(phrase[0].clone()).or_default().push(i);
    }
    Thesaurus {
        rows,
        by_first_word,
    }
});

/// The words the thesaurus adds for a query, each phrase matched once on whole words, and
/// which query words were part of a multi-word phrase.
fn thesaurus_expansions(query: &[String]) -> (Vec<String>, Vec<bool>) {
    let mut used = vec![false; query.len()];
    let mut in_phrase = vec![false; query.len()];
    let mut out = Vec::new();
    // The phrases starting with a query word, visited in the thesaurus's order.
    let mut candidates: Vec<usize> = query
        .iter()
        .filter_map(|w| THESAURUS.by_first_word.get(w))
        .flatten()
        .copied()
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for (phrase, expansion) in candidates.into_iter().map(|i| &THESAURUS.rows[i]) {
        if phrase.len() > query.len() {
            continue;
        }
        for start in 0..=query.len() - phrase.len() {
            let span = start..start + phrase.len();
            if used[span.clone()].iter().any(|&u| u) || query[span.clone()] != phrase[..] {
                continue;
            }
            if phrase.len() > 1 {
                in_phrase[span.clone()].iter_mut().for_each(|u| *u = true);
            }
            used[span].iter_mut().for_each(|u| *u = true);
            out.extend(expansion.iter().cloned());
        }
    }
    (out, in_phrase)
}

/// Typo tolerance like Meilisearch's defaults: one edit from 5 letters, two from 9.
fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// An entry's names, analysed once when the index is built so ranking a candidate needs no
/// stemming. Each label is packed into one string: with a string per word and stem, the names
/// of a 10,000-entry glossary took more memory than the index itself.
struct Names {
    term: AnalysedLabel,
    /// Compact keys of the abbreviations, separated by [`PART`].
    abbreviations: Box<str>,
    synonyms: Box<[AnalysedLabel]>,
}

impl Names {
    /// The term, then the synonyms.
    fn labels(&self) -> impl Iterator<Item = &AnalysedLabel> {
        std::iter::once(&self.term).chain(self.synonyms.iter())
    }

    /// [`label_hash`] of each label with a compact key.
    fn label_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.labels()
            .map(AnalysedLabel::compact)
            .filter(|compact| !compact.is_empty())
            .map(label_hash)
    }
}

/// Separates the parts of a packed label; never part of a folded word or a key.
const PART: char = '\u{1f}';

/// A label's [`compact_key`], the stems of its words joined (`incidents` and `incident` share
/// it), then each folded word (compounds also joined) followed by its stem, separated by
/// [`PART`].
struct AnalysedLabel(Box<str>);

/// A folded word of a label and its stem.
struct Word<'a> {
    text: &'a str,
    stem: &'a str,
}

impl AnalysedLabel {
    /// The plain analysis, word by word; [`WordAnalyzer::label`] must give the same.
    #[cfg(test)]
    fn new(label: &str, stemmer: &Stemmer) -> AnalysedLabel {
        let mut packed = compact_key(label);
        packed.push(PART);
        packed.push_str(&stem_compact(
            &crate::text::strip_parenthetical(label),
            stemmer,
        ));
        for word in label_words(label) {
            packed.push(PART);
            packed.push_str(&word);
            packed.push(PART);
            packed.push_str(&stemmer.stem(&word));
        }
        AnalysedLabel(packed.into_boxed_str())
    }

    fn compact(&self) -> &str {
        self.0.split(PART).next().unwrap_or_default()
    }

    fn stem_compact(&self) -> &str {
        self.0.split(PART).nth(1).unwrap_or_default()
    }

    fn words(&self) -> Vec<Word<'_>> {
        let mut parts = self.0.split(PART).skip(2);
        let mut words = Vec::new();
        while let (Some(text), Some(stem)) = (parts.next(), parts.next()) {
            words.push(Word { text, stem });
        }
        words
    }
}

/// Stems of the plain words of `text` (compounds not joined), concatenated.
#[cfg(test)]
fn stem_compact(text: &str, stemmer: &Stemmer) -> String {
    words(text)
        .into_iter()
        .map(|w| stemmer.stem(&fold_word(w)).into_owned())
        .collect()
}

impl Names {
    fn abbreviations(&self) -> impl Iterator<Item = &str> {
        self.abbreviations.split(PART).filter(|a| !a.is_empty())
    }
}

/// Decides the tier of a candidate by comparing the query with its names. The second value
/// orders within a tier (lower is better).
/// The order of name matches: the whole query as the term, then as an abbreviation (alone or
/// with stop words: "the CAB"), then as the whole of another name (a synonym, "the take",
/// "IG Toolkit"), which says more than an abbreviation among other words ("IG toolkit" is not
/// about information governance) or the query's words inside a longer term ("To take out").
fn name_tier(matched: MatchKind, sub: u32) -> (u8, u32) {
    match (matched, sub) {
        (MatchKind::ExactTerm, sub) => (0, sub),
        (MatchKind::Abbreviation, sub) if sub <= 1 => (1, sub),
        (MatchKind::Synonym, 0) => (2, 0),
        (MatchKind::Abbreviation, sub) => (3, sub),
        (kind, sub) => (kind as u8 + 2, sub),
    }
}

fn classify(names: &Names, q: &ParsedQuery) -> (MatchKind, u32) {
    let term = &names.term;
    if term.compact() == q.compact {
        return (MatchKind::ExactTerm, 0);
    }
    let term_words = term.words();
    // Only the start of a longer word: "board" in "Boarding", while "board" is a whole word of
    // other terms (their stems are the same, but "board" is not an inflection of "Boarding").
    let mid_word = |words: &[Word<'_>]| {
        q.last_is_term_word
            && q.words.last().is_some_and(|last| {
                !words.iter().any(|w| w.text == last)
                    && words
                        .iter()
                        .any(|w| w.text.len() > last.len() && w.text.starts_with(last.as_str()))
            })
    };
    if !q.last_is_prefix_only() && term.stem_compact() == q.stem_compact && !mid_word(&term_words) {
        // A plural or other inflection of the whole term ("incidents", "tranches").
        return (MatchKind::ExactTerm, 1);
    }
    if names.abbreviations().any(|a| a == q.compact) {
        return (MatchKind::Abbreviation, 0);
    }
    // The whole query is another name of the entry ("the take", "IG Toolkit"): that says more
    // than its words inside a longer term ("To take out").
    if names.synonyms.iter().any(|synonym| {
        synonym.compact() == q.compact
            || (!q.last_is_prefix_only() && synonym.stem_compact() == q.stem_compact)
    }) {
        return (MatchKind::Synonym, 0);
    }
    // An abbreviation among other words names the entry too: "the CAB" (only stop words
    // around it), then "CAB meeting".
    let mut content = q
        .words
        .iter()
        .zip(&q.optional)
        .filter(|(_, &optional)| !optional);
    let named_by = |word: &str| names.abbreviations().any(|a| a == word);
    if content.clone().any(|(word, _)| named_by(word)) {
        return (
            MatchKind::Abbreviation,
            if content.nth(1).is_none() { 1 } else { 2 },
        );
    }
    if q.last_is_prefix && term.compact().starts_with(&q.compact) {
        return (
            MatchKind::TermPrefix,
            if mid_word(&term_words) { 2 } else { 0 },
        );
    }
    if words_match(q, &term_words, false) {
        return (
            MatchKind::TermPrefix,
            if mid_word(&term_words) { 2 } else { 1 },
        );
    }
    if q.last_is_prefix
        && q.compact.len() >= 2
        && names.abbreviations().any(|a| a.starts_with(&q.compact))
    {
        return (MatchKind::TermPrefix, 3);
    }
    let mut synonym_match = None;
    for synonym in &names.synonyms {
        let rank = if synonym.compact() == q.compact
            || (!q.last_is_prefix_only() && synonym.stem_compact() == q.stem_compact)
        {
            0
        } else if q.last_is_prefix && synonym.compact().starts_with(&q.compact) {
            1
        } else if words_match(q, &synonym.words(), false) {
            2
        } else {
            continue;
        };
        synonym_match = Some(synonym_match.map_or(rank, |r: u32| r.min(rank)));
    }
    if let Some(rank) = synonym_match {
        return (MatchKind::Synonym, rank);
    }
    if words_match(q, &term_words, true) {
        return (MatchKind::Fuzzy, 0);
    }
    if q.words.len() > 1
        && !term.compact().is_empty()
        && strsim::osa_distance(&q.compact, term.compact()) <= usize::from(typo_budget(&q.compact))
    {
        return (MatchKind::Fuzzy, 0);
    }
    if names
        .synonyms
        .iter()
        .any(|s| words_match(q, &s.words(), true))
    {
        return (MatchKind::Fuzzy, 1);
    }
    (MatchKind::Text, 0)
}

#[cfg(test)]
fn label_words(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    folded_tokens(label, &mut out);
    out
}

/// True when every query word matches a different word of the label: equal, a prefix (the last
/// word while typing, or any word of three letters or more), or, with `fuzzy`, within the typo
/// budget.
fn words_match(q: &ParsedQuery, label: &[Word<'_>], fuzzy: bool) -> bool {
    let query = &q.words;
    let required = q.optional.iter().filter(|&&o| !o).count();
    if query.is_empty() || required > label.len() {
        return false;
    }
    let mut used = vec![false; label.len()];
    let last = query.len() - 1;
    for (i, (word, stem)) in query.iter().zip(&q.word_stems).enumerate() {
        let prefix_ok = (i == last && q.last_is_prefix) || word.chars().count() >= 3;
        let found = label.iter().enumerate().position(|(j, w)| {
            if used[j] {
                return false;
            }
            if q.optional[i] {
                // A skippable stop word only counts as itself ("the" is not "theatre").
                return w.text == word;
            }
            if w.text == word || w.stem == stem || (prefix_ok && w.text.starts_with(word.as_str()))
            {
                return true;
            }
            // Only a word not found as typed in any name is a typo.
            if !fuzzy || q.known.get(i).copied().unwrap_or(false) {
                return false;
            }
            let budget = typo_budget(word) as usize;
            if budget == 0
                || w.text.len().abs_diff(word.len()) > budget + usize::from(i == last) * 32
            {
                return false;
            }
            if strsim::osa_distance(word, w.text) <= budget {
                return true;
            }
            // Typing a misspelt prefix: compare with the label word cut to the same length.
            let typed = word.chars().count();
            if i == last && q.last_is_prefix && w.text.chars().count() > typed {
                let cut: String = w.text.chars().take(typed).collect();
                return strsim::osa_distance(word, &cut) <= budget;
            }
            false
        });
        match found {
            Some(j) => used[j] = true,
            None if q.optional[i] => {}
            None => return false,
        }
    }
    true
}

/// Marks the words of a text that match a query: words with one of the query's stems, and
/// words starting with the last word while it is being typed. Built once per query and used
/// for every hit's snippet.
struct Highlighter<'q> {
    stemmer: Stemmer,
    /// Words already decided: definitions of one result page share most of their words.
    seen: std::cell::RefCell<FxHashMap<String, bool>>,
    wanted: HashSet<&'q str>,
    prefix: Option<&'q str>,
    /// The first three letters of every stem and of the prefix.
    needles: Vec<&'q str>,
    /// Finds, in lower-cased ASCII text, the words [`Highlighter::matches`] could accept: the
    /// needles, and "ae" and "oe" (UK spellings that folding changes).
    finders: Vec<memchr::memmem::Finder<'q>>,
    /// The lower-cased text being highlighted, reused between hits.
    lowered: std::cell::RefCell<Vec<u8>>,
}

impl<'q> Highlighter<'q> {
    fn new(q: &'q ParsedQuery) -> Highlighter<'q> {
        let prefix = q
            .words
            .last()
            .filter(|w| q.last_is_prefix && w.len() >= 2)
            .map(String::as_str);
        let needles: Vec<&str> = q
            .stems
            .iter()
            .map(String::as_str)
            .chain(prefix)
            .map(|s| &s[..s.char_indices().nth(3).map_or(s.len(), |(i, _)| i)])
            .collect();
        let finders = needles
            .iter()
            .map(|n| n.as_bytes())
            .chain([b"ae".as_slice(), b"oe".as_slice()])
            .map(memchr::memmem::Finder::new)
            .collect();
        Highlighter {
            stemmer: stemmer(),
            seen: Default::default(),
            wanted: q.stems.iter().map(String::as_str).collect(),
            prefix,
            needles,
            finders,
            lowered: Default::default(),
        }
    }

    fn matches(&self, word: &str) -> bool {
        // Stemming is the costly part, so a word is only stemmed when it could match: when it
        // starts like a query stem (stems are nearly always prefixes of their words) or
        // contains a UK spelling that folding changes (haem-, oes-, paed-).
        let bytes = word.as_bytes();
        let head = &bytes[..bytes.len().min(6)];
        let could_match =
            self.needles.iter().any(|n| {
                bytes.len() >= n.len() && bytes[..n.len()].eq_ignore_ascii_case(n.as_bytes())
            }) || head
                .windows(2)
                .any(|w| matches!(w[0] | 0x20, b'a' | b'o') && w[1] | 0x20 == b'e')
                || !word.is_ascii();
        if !could_match {
            return false;
        }
        if let Some(&known) = self.seen.borrow().get(word) {
            return known;
        }
        let folded = fold_word(word);
        let hit = (!STOP_WORDS.contains(&folded.as_str())
            && self.wanted.contains(self.stemmer.stem(&folded).as_ref()))
            || self.prefix.is_some_and(|p| folded.starts_with(p));
        self.seen.borrow_mut().insert(word.to_string(), hit);
        hit
    }

    /// The spans of the words of an ASCII text that contain a needle, "ae" or "oe": a superset
    /// of those [`Highlighter::matches`] could accept, found with a vectorised substring search
    /// instead of looking at every word.
    fn candidate_words(&self, text: &str) -> Vec<(usize, usize)> {
        let mut lowered = self.lowered.borrow_mut();
        lowered.clear();
        lowered.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        let bytes = text.as_bytes();
        let mut spans = Vec::new();
        for finder in &self.finders {
            for at in finder.find_iter(&lowered) {
                let start = bytes[..at]
                    .iter()
                    .rposition(|b| !b.is_ascii_alphanumeric())
                    .map_or(0, |i| i + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |i| at + i);
                spans.push((start, end));
            }
        }
        spans.sort_unstable();
        spans.dedup();
        spans
    }

    /// The text split into plain and highlighted pieces; only matching words are highlighted,
    /// and the pieces joined give the text back.
    fn fragments(&self, text: &str) -> Vec<Fragment> {
        let mut fragments = Vec::new();
        let mut plain_from = 0;
        let spans = if text.is_ascii() {
            self.candidate_words(text)
        } else {
            WordSpans { text, at: 0 }.collect()
        };
        for (start, end) in spans {
            if !self.matches(&text[start..end]) {
                continue;
            }
            if plain_from < start {
                fragments.push(Fragment {
                    text: text[plain_from..start].to_string(),
                    highlight: false,
                });
            }
            fragments.push(Fragment {
                text: text[start..end].to_string(),
                highlight: true,
            });
            plain_from = end;
        }
        if plain_from < text.len() {
            fragments.push(Fragment {
                text: text[plain_from..].to_string(),
                highlight: false,
            });
        }
        fragments
    }
}

/// The byte spans of the runs of alphanumeric characters in a text.
struct WordSpans<'t> {
    text: &'t str,
    at: usize,
}

impl WordSpans<'_> {
    /// The character at byte `at` and its length, with a fast path for ASCII.
    fn char_at(&self, at: usize) -> (bool, usize) {
        let byte = self.text.as_bytes()[at];
        if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), 1)
        } else {
            let c = self.text[at..]
                .chars()
                .next()
                .expect("at is a char boundary");
            (c.is_alphanumeric(), c.len_utf8())
        }
    }
}

impl Iterator for WordSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let len = self.text.len();
        while self.at < len {
            let (alphanumeric, width) = self.char_at(self.at);
            if alphanumeric {
                break;
            }
            self.at += width;
        }
        if self.at >= len {
            return None;
        }
        let start = self.at;
        while self.at < len {
            let (alphanumeric, width) = self.char_at(self.at);
            if !alphanumeric {
                break;
            }
            self.at += width;
        }
        Some((start, self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(q: &str) -> ParsedQuery {
        ParsedQuery::new(q, &SortedKeys::default())
    }

    /// The memoised analysis used to build the index gives exactly the plain analysis.
    #[test]
    fn remembered_word_analysis_equals_the_plain_one() {
        let glossary = crate::bundled::load().glossary;
        let mut labels: Vec<String> = glossary
            .entries()
            .iter()
            .flat_map(|e| {
                e.labels()
                    .map(str::to_string)
                    .chain(e.abbreviations.clone())
            })
            .collect();
        labels.extend(
            [
                "Dis-benefit",
                "go-live / cut-over",
                "Haemorrhage (major)",
                "(only brackets)",
                "Organisation's paediatric O’Brien",
                "2WW",
                "  ",
            ]
            .map(String::from),
        );
        let stemmer = stemmer();
        let mut analyzer = WordAnalyzer::new();
        // Twice over: the second pass reads every word from the memo.
        for _ in 0..2 {
            for label in &labels {
                assert_eq!(
                    analyzer.label(label).0,
                    AnalysedLabel::new(label, &stemmer).0,
                    "{label:?}"
                );
                assert_eq!(analyzer.compact_key(label), compact_key(label), "{label:?}");
                let (mut remembered, mut plain) = (Vec::new(), Vec::new());
                analyzer.folded_tokens(label, &mut remembered);
                folded_tokens(label, &mut plain);
                assert_eq!(remembered, plain, "{label:?}");
            }
        }
    }

    /// The direct name retrieval must find exactly the entries tantivy's collection finds,
    /// whenever it answers at all.
    #[test]
    fn direct_name_candidates_equal_tantivys() {
        let glossary = crate::bundled::load().glossary;
        let index = SearchIndex::build(&glossary).unwrap();
        let searcher = index.reader.searcher();
        let mut queries: Vec<String> = Vec::new();
        for entry in glossary.entries() {
            let term = entry.term.to_lowercase();
            queries.push(entry.term.clone());
            queries.push(format!("{term} "));
            queries.push(format!("the {term}"));
            queries.push(term.chars().take(term.chars().count() * 2 / 3).collect());
            queries.push(term.chars().take(3).collect());
            queries.extend(entry.abbreviations.iter().cloned());
            queries.extend(entry.synonyms.iter().cloned());
            let words: Vec<&str> = entry.definition.split(' ').collect();
            queries.push(words.iter().take(2).copied().collect::<Vec<_>>().join(" "));
        }
        let domain_sets: [Vec<String>; 3] = [
            Vec::new(),
            vec!["clinical".into()],
            vec!["itil".into(), "prince2".into()],
        ];
        let (mut direct, mut compared) = (0, 0);
        for query in &queries {
            for domains in &domain_sets {
                let parsed = index.parse(query, &searcher);
                if parsed.words.is_empty() {
                    continue;
                }
                compared += 1;
                let plan = index.name_plan(&parsed, &searcher);
                let Some(mut fast) = index.direct_name_candidates(
                    &plan,
                    &searcher,
                    &glossary,
                    domains,
                    NAME_CANDIDATES,
                ) else {
                    continue;
                };
                direct += 1;
                let query_plan = index.name_plan(&parsed, &searcher);
                let names = index.with_domains(query_plan.into_query(), domains);
                let mut slow: Vec<usize> = index
                    .top_entries(&searcher, names.as_ref(), NAME_CANDIDATES)
                    .unwrap()
                    .into_iter()
                    .map(|(ord, _)| ord)
                    .collect();
                fast.sort_unstable();
                slow.sort_unstable();
                assert_eq!(fast, slow, "query {query:?}, domains {domains:?}");
            }
        }
        // Most queries that name an entry are answered directly; the rest go through
        // tantivy, so both paths are exercised.
        assert!(
            direct * 2 > compared,
            "{direct} of {compared} answered directly"
        );
        assert!(direct < compared, "every query answered directly");
    }

    /// The label table names every entry by each of its labels, in every domain that uses
    /// the label, and follows an update: a renamed entry is found by its new name only.
    #[test]
    fn label_table_names_entries_and_follows_updates() {
        let old = crate::bundled::load().glossary;
        let mut index = SearchIndex::build(&old).unwrap();
        let labelled = |index: &SearchIndex, glossary: &Glossary, label: &str| {
            let mut ids: Vec<String> = index
                .names
                .labelled(&compact_key(label))
                .filter_map(|key| index.key_to_ord.get(&key))
                .map(|&ord| glossary.entries()[ord as usize].id.clone())
                .collect();
            ids.sort();
            ids
        };
        // Per compact key, one label that has it and the entries that have it.
        let mut owners_by_key: FxHashMap<String, (&str, Vec<String>)> = FxHashMap::default();
        for entry in old.entries() {
            for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
                let (_, owners) = owners_by_key
                    .entry(compact_key(label))
                    .or_insert_with(|| (label, Vec::new()));
                if !owners.contains(&entry.id) {
                    owners.push(entry.id.clone());
                }
            }
        }
        for (label, mut expected) in owners_by_key.into_values() {
            expected.sort();
            assert_eq!(labelled(&index, &old, label), expected, "{label:?}");
        }
        assert!(
            labelled(&index, &old, "Capacity").len() > 1,
            "false friends"
        );

        let mut entries = old.entries().to_vec();
        let renamed = entries
            .iter_mut()
            .find(|e| e.id == "itil/incident")
            .unwrap();
        renamed.term = "Service interruption".into();
        let new = Glossary::new(old.domains().to_vec(), entries);
        index.update(&old, &new).unwrap();
        assert_eq!(
            labelled(&index, &new, "service-interruption"),
            ["itil/incident"]
        );
        assert!(!labelled(&index, &new, "Incident").contains(&"itil/incident".to_string()));
    }

    #[test]
    fn sorted_keys_find_words_and_prefixes_like_a_plain_search() {
        let words = [
            "cab", "cab", "ecab", "ca", "cabx", "sro", "tto", "2ww", "news2", "",
        ];
        let keys = SortedKeys::new(words.iter().map(|w| w.to_string()).collect());
        let mut plain: Vec<&str> = words.to_vec();
        plain.sort_unstable();
        plain.dedup();
        for probe in [
            "", "c", "ca", "cab", "cabx", "cabz", "e", "n", "news2", "z", "2", "srox",
        ] {
            assert_eq!(keys.contains(probe), plain.contains(&probe), "{probe:?}");
            let starting: Vec<&str> = plain
                .iter()
                .copied()
                .filter(|w| w.starts_with(probe))
                .take(3)
                .collect();
            assert_eq!(keys.starting(probe, 3), starting, "{probe:?}");
        }
        assert!(!SortedKeys::default().contains("cab"));
    }

    #[test]
    fn typo_budget_follows_word_length() {
        assert_eq!(typo_budget("cab"), 0);
        assert_eq!(typo_budget("priorty"), 1);
        assert_eq!(typo_budget("stakholder"), 2);
    }

    #[test]
    fn words_match_prefixes_stems_and_typos() {
        let analysed = AnalysedLabel::new("Service Level Agreements", &stemmer());
        let label = analysed.words();
        assert!(words_match(&parsed("servi level"), &label, false));
        assert!(words_match(
            &parsed("service level agreement "),
            &label,
            false
        ));
        assert!(!words_match(&parsed("servise level"), &label, false));
        assert!(words_match(&parsed("servise level"), &label, true));
    }

    #[test]
    fn snippet_highlights_stems_and_prefix() {
        let lit = |query: &str, text: &str| {
            let q = parsed(query);
            let pieces = Highlighter::new(&q).fragments(text);
            let joined: String = pieces.iter().map(|f| f.text.as_str()).collect();
            assert_eq!(joined, text, "the pieces give the text back");
            assert!(pieces.iter().all(|f| !f.text.is_empty()));
            pieces
                .into_iter()
                .filter(|f| f.highlight)
                .map(|f| f.text)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lit("approving chang", "The board approves changes."),
            ["approves", "changes"]
        );
        assert_eq!(
            lit("pediatric ward", "Paediatric wards — café, ward’s; 2WW"),
            ["Paediatric", "wards", "ward"]
        );
        // ASCII text takes the substring-search path: UK spellings, case, words that only
        // contain a query word, and repeated words.
        assert_eq!(
            lit(
                "hemorrhage",
                "A haemorrhage, then a HAEMORRHAGE; haemorrhage."
            ),
            ["haemorrhage", "HAEMORRHAGE", "haemorrhage"]
        );
        assert_eq!(
            lit("esophageal change", "Oesophageal exchange changes"),
            ["Oesophageal", "changes"]
        );
        assert!(lit("ward", "").is_empty());
    }
}
