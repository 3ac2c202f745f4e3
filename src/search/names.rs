//! Direct name retrieval: a small name plan answered straight from the posting lists, without
//! tantivy's scoring, when that finds exactly the candidates tantivy would.

use std::sync::Arc;

use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, Searcher, SegmentReader, Term};

use super::plan::{prefix_stream, NameClause, NamePlan, PREFIX_EXPANSIONS};
use super::retrieve::NAME_CANDIDATES;
use super::{in_domains, SearchIndex, NO_ORD};
use crate::glossary::Glossary;

impl SearchIndex {
    /// The name candidates of `plan` read straight from the posting lists, when that gives
    /// exactly what tantivy's top-`limit` collection would: every clause is a term or the
    /// prefix of a few short posting lists, and at most `limit` entries match, so all of them
    /// are candidates whatever their scores.
    /// That skips tantivy's scoring machinery (a BM25 weight per clause, a 4096-document union
    /// buffer, the top-k collector), which is most of the cost of a query that names an entry
    /// in a small glossary. `None` means the query must go through tantivy.
    pub(super) fn direct_name_candidates(
        &self,
        plan: &NamePlan,
        searcher: &Searcher,
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
            let mut docs = whole_query_docs(segment, &plan.whole)?;
            if !required.is_empty() {
                every_word_docs(segment, &required, &mut docs)?;
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
}

/// The documents of one segment that the whole-query clauses find (with repeats); `None` when
/// they are too many to read directly.
fn whole_query_docs(segment: &SegmentReader, whole: &[NameClause]) -> Option<Vec<DocId>> {
    // Term lookups first: a posting list is only opened (a kilobyte of decoder buffers) once
    // the lengths show the direct path applies.
    let mut lists = Vec::with_capacity(whole.len());
    // A term can be in the plan several times with different boosts (an abbreviation typed in
    // full is itself, its own prefix and a word); boosts do not matter here.
    let mut seen: Vec<&Term> = Vec::with_capacity(whole.len());
    for clause in whole {
        if let NameClause::Term(term, _) = clause {
            if seen.contains(&term) {
                continue;
            }
            seen.push(term);
        }
        lists.extend(clause_postings(segment, clause, DIRECT_MAX_DOCS)?);
    }
    let total: usize = lists.iter().map(|(_, info)| info.doc_freq as usize).sum();
    if total > DIRECT_MAX_DOCS {
        return None;
    }
    let mut docs: Vec<DocId> = Vec::with_capacity(total);
    for (index, info) in &lists {
        read_docs(index, info, &mut docs)?;
    }
    Some(docs)
}

/// Appends to `docs` the documents of one segment that match every required word (each a
/// group of alternative clauses); `None` when the rarest word's documents are too many to
/// read directly.
fn every_word_docs(
    segment: &SegmentReader,
    required: &[&[NameClause]],
    docs: &mut Vec<DocId>,
) -> Option<()> {
    let mut groups = Vec::with_capacity(required.len());
    for ways in required {
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
    Some(())
}

/// The most documents the direct name retrieval reads from posting lists before leaving the
/// query to tantivy: beyond this, a long list is cheaper skipped through than read.
const DIRECT_MAX_DOCS: usize = 4 * NAME_CANDIDATES;

/// Where a clause's posting lists are in one segment: a term's (none when it is absent), or
/// those of every term starting with a prefix. `None` when they hold more than `budget`
/// documents or the clause is not made of terms.
fn clause_postings(
    segment: &SegmentReader,
    clause: &NameClause,
    budget: usize,
) -> Option<Vec<(Arc<InvertedIndexReader>, TermInfo)>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::retrieve::NAME_CANDIDATES;

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
                let parsed = index.parse(query, &searcher).unwrap();
                if parsed.words.is_empty() {
                    continue;
                }
                compared += 1;
                let plan = index.name_plan(&parsed, &searcher).unwrap();
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
                let query_plan = index.name_plan(&parsed, &searcher).unwrap();
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
}
