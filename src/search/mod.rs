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
//!
//! The stages, one module each, in the order a query meets them:
//! - [`analysis`]: folding and stemming words, the same for the index and the queries;
//! - [`schema`]: the tantivy schema and where an index is stored;
//! - [`build`]: building, saving, loading and updating an index;
//! - [`labels`]: every entry's names analysed for the re-ranker, and which entries a label names;
//! - [`parse`]: a query analysed ([`thesaurus`] adds words for plain-language descriptions);
//! - [`plan`]: the name retrieval of a query, as clauses;
//! - [`names`]: that plan read straight from the posting lists when it is small;
//! - [`retrieve`]: the name and prose candidates, through tantivy when needed;
//! - [`rank`]: candidates sorted into tiers and the page laid out;
//! - [`snippet`]: the definition with the query's words highlighted.

mod analysis;
mod build;
mod error;
mod labels;
mod names;
mod parse;
mod plan;
mod rank;
mod request;
mod retrieve;
mod schema;
mod snippet;
mod thesaurus;

use std::path::Path;

use rustc_hash::FxHashMap;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader};

use crate::glossary::Glossary;
use labels::NameTable;
use parse::SortedKeys;
use rank::Ranked;
use schema::{Fields, Storage};
use snippet::Highlighter;

pub use build::UpdateStats;
pub use error::SearchError;
pub use request::{FalseFriendRef, Fragment, Hit, HitMapping, MatchKind, SearchRequest};

/// Bumped whenever the schema or the analysis changes, so a persisted index is rebuilt.
pub const SCHEMA_VERSION: u32 = 4;

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

/// A stable 64-bit key for an entry id (FNV-1a), stored in the index so documents survive
/// entries being added or removed around them.
fn entry_key(id: &str) -> u64 {
    crate::text::fnv1a(id.as_bytes())
}

/// Whether the entry at `ord` is in one of `domains` (any domain when none are given).
fn in_domains(glossary: &Glossary, ord: usize, domains: &[String]) -> bool {
    domains.is_empty() || domains.contains(&glossary.entries()[ord].domain)
}

impl SearchIndex {
    /// Builds an in-memory index of every entry in the glossary.
    pub fn build(glossary: &Glossary) -> Result<SearchIndex, SearchError> {
        std::thread::scope(|scope| Self::build_in(scope, glossary))
    }

    /// Writes the index files into `dir` (an empty folder), for [`SearchIndex::load`].
    pub fn save(&self, dir: &Path) -> Result<(), SearchError> {
        let destination = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        match &self.storage {
            Storage::Ram(directory) => directory.persist(&destination)?,
            Storage::Saved(from) => schema::copy_into(from, &destination)?,
        }
        Ok(())
    }

    /// Opens an index that [`SearchIndex::save`] wrote for this same `glossary`, memory-mapped
    /// and read-only: before its first update it is copied into memory, so the saved files
    /// never change.
    pub fn load(dir: &Path, glossary: &Glossary) -> Result<SearchIndex, SearchError> {
        std::thread::scope(|scope| {
            let names = scope.spawn(|| labels::analyse_names(glossary));
            let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
            let (index, reader, fields) = schema::open_index(directory)?;
            let names = names.join().expect("analysing names does not panic");
            let storage = Storage::Saved(dir.to_path_buf());
            let search_index = Self::assemble(storage, index, reader, fields, names, glossary)?;
            if search_index.doc_ords.iter().map(Vec::len).sum::<usize>() != glossary.len() {
                return Err(SearchError::OtherGlossary);
            }
            Ok(search_index)
        })
    }

    /// True while the index is read from a saved copy rather than held in memory.
    pub fn is_memory_mapped(&self) -> bool {
        matches!(self.storage, Storage::Saved(_))
    }

    /// Brings the index up to date with `new` without rebuilding it: only the entries that
    /// differ from `old` (and those whose mapped counterparts changed, since a counterpart's
    /// names are indexed with them) are re-indexed.
    pub fn update(&mut self, old: &Glossary, new: &Glossary) -> Result<UpdateStats, SearchError> {
        self.apply_changes(old, new)
    }

    /// Runs the query pipeline. Odd input is no error: any text gives hits or none. An error
    /// means the index itself could not be read (damaged files, or a bug here).
    pub fn search(
        &self,
        glossary: &Glossary,
        request: &SearchRequest,
    ) -> Result<Vec<Hit>, SearchError> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(&request.query, &searcher)?;
        if parsed.words.is_empty() || request.limit == 0 {
            return Ok(Vec::new());
        }
        // Two retrievals: by name (exact, abbreviation, prefix, typo) and by prose (BM25 over
        // definitions, explanations, mapped labels). Names decide the tiers; prose orders the
        // entries that only match in their text, so one word of a description appearing in
        // some term cannot outrank an entry whose definition says all of it.
        let candidate = |ord: usize, name_score: f32, prose_score: f32| {
            self.rank_candidate(
                glossary,
                &parsed,
                request.reader,
                ord,
                name_score,
                prose_score,
            )
        };
        let name_hits = self.name_candidates(&parsed, &searcher, glossary, &request.domains)?;
        let mut ranked: Vec<Ranked> = Vec::with_capacity(name_hits.len() + request.limit);
        ranked.extend(
            name_hits
                .into_iter()
                .map(|(ord, score)| candidate(ord, score, 0.0)),
        );
        if rank::prose_needed(&ranked, request.limit) {
            let limit = request.limit + retrieve::PROSE_MARGIN;
            let prose = self.prose_candidates(&parsed, &searcher, &request.domains, limit)?;
            for (ord, prose_score) in prose {
                match ranked.iter_mut().find(|r| r.ord == ord) {
                    Some(r) => r.score = prose_score,
                    None => ranked.push(candidate(ord, 0.0, prose_score)),
                }
            }
        }
        rank::sort(&mut ranked, glossary);
        let page = rank::page(&ranked, glossary, request);
        let highlighter = Highlighter::new(&parsed);
        let n = page.len() as f32;
        Ok(page
            .into_iter()
            .enumerate()
            .map(|(at, (ord, matched))| {
                let snippet = highlighter.fragments(&glossary.entries()[ord].definition);
                // A rank-derived score: stable, comparable within one list.
                Hit::new(glossary, ord, matched, (n - at as f32) / n, snippet)
            })
            .collect())
    }
}
