//! Retrieval: the candidates a query's names and prose find, through tantivy or straight from
//! the posting lists, with the queries tantivy runs for them.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::parse::ParsedQuery;
use super::{in_domains, SearchError, SearchIndex, NO_ORD};
use crate::glossary::Glossary;

/// How many name-matching candidates tantivy hands to the re-ranker. Exact names and
/// abbreviations carry boosts that put them first, and an entry whose every word matches
/// outscores one matching a single word, so the real name matches are always among these; a
/// small number keeps both tantivy's top-k pruning and the re-ranker fast.
pub(super) const NAME_CANDIDATES: usize = 50;
/// Prose-only matches are ordered by their prose score alone, so beyond the requested page
/// only a small margin is needed (false friends and counterparts can take a few places).
pub(super) const PROSE_MARGIN: usize = 10;

/// From this many entries, very common words are left out of prose retrieval, and
/// descriptions of three words or more are looked up in the definitions only.
const LARGE_GLOSSARY: u64 = 50_000;

impl SearchIndex {
    /// The name candidates, as (position in the glossary, score): the entries the whole query
    /// labels, then those the name plan finds (straight from the posting lists when it is
    /// small, through tantivy otherwise).
    pub(super) fn name_candidates(
        &self,
        parsed: &ParsedQuery,
        searcher: &Searcher,
        glossary: &Glossary,
        domains: &[String],
    ) -> Result<Vec<(usize, f32)>, SearchError> {
        let plan = self.name_plan(parsed, searcher)?;
        // Entries the whole query labels are always candidates; the plan finds the others.
        let mut name_hits: Vec<(usize, f32)> = self
            .names
            .labelled(&parsed.compact)
            .filter_map(|key| self.key_to_ord.get(&key).map(|&ord| ord as usize))
            .filter(|&ord| in_domains(glossary, ord, domains))
            .map(|ord| (ord, 1.0))
            .collect();
        let labelled = name_hits.len();
        let planned = match self.direct_name_candidates(
            &plan,
            searcher,
            glossary,
            domains,
            NAME_CANDIDATES,
        ) {
            Some(ords) => ords.into_iter().map(|ord| (ord, 1.0)).collect(),
            None => {
                let names = self.with_domains(plan.into_query(), domains);
                self.top_entries(searcher, names.as_ref(), NAME_CANDIDATES)?
            }
        };
        for hit in planned {
            if !name_hits[..labelled].iter().any(|&(ord, _)| ord == hit.0) {
                name_hits.push(hit);
            }
        }
        Ok(name_hits)
    }

    /// The `limit` best prose matches, as (position in the glossary, BM25 score).
    pub(super) fn prose_candidates(
        &self,
        parsed: &ParsedQuery,
        searcher: &Searcher,
        domains: &[String],
        limit: usize,
    ) -> Result<Vec<(usize, f32)>, SearchError> {
        let collect = |query: Box<dyn Query>| {
            self.top_entries(searcher, self.with_domains(query, domains).as_ref(), limit)
        };
        let common = self.common_stems(parsed, searcher)?;
        // In a very large glossary, a description made only of common words is first looked
        // up as all of its words: their intersection is far cheaper than their union (tantivy
        // skips whole blocks of each list), and the entries that say every word are the ones
        // BM25 would put first. Only when too few entries say them all does the union below
        // run.
        let mut prose_hits = match self.all_words_query(parsed, &common) {
            Some(query) => collect(query)?,
            None => Vec::new(),
        };
        if prose_hits.len() < limit {
            prose_hits = collect(self.prose_query(parsed, &common, searcher)?)?;
        }
        Ok(prose_hits)
    }

    /// The `limit` best-scoring entries for `query`, as (position in the glossary, score).
    pub(super) fn top_entries(
        &self,
        searcher: &Searcher,
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

    /// Whether a stem is common: in a very large glossary, a word found in more than a tenth
    /// of the entries costs a long posting list and barely moves BM25 (its IDF is small).
    fn is_common(&self, searcher: &Searcher, stem: &str) -> Result<bool, SearchError> {
        let total = searcher.num_docs();
        if total < LARGE_GLOSSARY {
            return Ok(false);
        }
        for field in [self.fields.definition_stems, self.fields.other_stems] {
            if searcher.doc_freq(&Term::from_field_text(field, stem))? > total / 10 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// [`SearchIndex::is_common`] for each query stem.
    fn common_stems(
        &self,
        parsed: &ParsedQuery,
        searcher: &Searcher,
    ) -> Result<Vec<bool>, SearchError> {
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
        searcher: &Searcher,
    ) -> Result<Box<dyn Query>, SearchError> {
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
            if self.is_common(searcher, stem)? {
                continue;
            }
            should(term_query(f.definition_stems, stem), 0.8);
            if !definitions_only {
                should(term_query(f.other_stems, stem), 0.2);
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// `query` restricted to entries of `domains` (unchanged when none are given).
    pub(super) fn with_domains(&self, query: Box<dyn Query>, domains: &[String]) -> Box<dyn Query> {
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

/// A query for one term of one field.
pub(super) fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}
