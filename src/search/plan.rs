//! The name retrieval of a query, planned as clauses: what tantivy runs when the plan is large,
//! and what [`names`](super::names) reads straight from the posting lists when it is small.

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{InvertedIndexReader, Searcher, TantivyError, Term};

use super::analysis::STOP_WORDS;
use super::parse::{typo_budget, ParsedQuery};
use super::{SearchError, SearchIndex};

impl SearchIndex {
    /// The name retrieval. A candidate either is named by the whole query (its label or an
    /// abbreviation) or matches every query word in its names, each word in one of the ways
    /// `rank::classify` accepts (as typed, by stem, as a prefix, within the typo
    /// budget). An entry matching only some of the words could only rank as prose, and the
    /// prose retrieval finds those; requiring every word lets tantivy intersect posting lists
    /// instead of merging them, which is what keeps long queries cheap in large glossaries.
    pub(super) fn name_plan(
        &self,
        parsed: &ParsedQuery,
        searcher: &Searcher,
    ) -> Result<NamePlan, SearchError> {
        let f = &self.fields;
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
                .extend(few_or_prefix(f.abbrev, &parsed.compact, 10.0, words));
        }
        if parsed.words.len() > 1 {
            self.push_whole_query_clauses(parsed, &mut plan.whole);
        }

        let last = parsed.words.len() - 1;
        for (i, word) in parsed.words.iter().enumerate() {
            let typing = i == last && parsed.last_is_prefix;
            let stem = &parsed.word_stems[i];
            if parsed.known[i] && !typing && !STOP_WORDS.contains(&word.as_str()) {
                // A whole word spelt right: the stems of every name (term, synonyms,
                // abbreviations) hold it and its inflections, so one posting list serves.
                if parsed.words.len() == 1 {
                    plan.whole
                        .push(NameClause::term(f.label_stems, stem.clone(), 8.0));
                    return Ok(plan);
                }
                plan.every_word.push(WordClauses {
                    required: true,
                    bare: true,
                    ways: vec![NameClause::term(f.label_stems, stem.clone(), 1.0)],
                });
                continue;
            }
            let ways = self.word_ways(parsed, i, searcher)?;
            if parsed.words.len() == 1 {
                // One word: its ways join the whole-query ones in one union, not a nested one
                // (each union costs tantivy a 4096-document buffer).
                plan.whole.extend(ways);
                return Ok(plan);
            }
            plan.every_word.push(WordClauses {
                required: !parsed.optional[i],
                bare: false,
                ways,
            });
        }
        Ok(plan)
    }

    /// The ways a query of several words can name an entry as a whole: written as one word,
    /// as one word with a typo, or by an abbreviation among the words.
    fn push_whole_query_clauses(&self, parsed: &ParsedQuery, whole: &mut Vec<NameClause>) {
        let f = &self.fields;
        // "dis benefit" for "disbenefit".
        whole.push(NameClause::term(f.term_words, parsed.compact.clone(), 8.0));
        // "cutt over" for "Cutover": a typo in a term written as one word, when some word is
        // found nowhere (words that short get no typo budget of their own).
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
            whole.push(NameClause::Other(
                Box::new(FuzzyTermQuery::new(term, distance, true)),
                3.0,
            ));
        }
        // An abbreviation among other words names its entries ("CAB meeting").
        for word in parsed.words.iter().filter(|w| parsed.is_abbreviation(w)) {
            whole.push(NameClause::term(f.abbrev, word, 20.0));
        }
    }

    /// The ways query word `i`, not known as a whole word, can match a name: as typed (or as
    /// a prefix) in the term and synonyms, within its typo budget when it is found nowhere,
    /// as an abbreviation, and by stem.
    fn word_ways(
        &self,
        parsed: &ParsedQuery,
        i: usize,
        searcher: &Searcher,
    ) -> Result<Vec<NameClause>, SearchError> {
        let f = &self.fields;
        let word = &parsed.words[i];
        let typing = i + 1 == parsed.words.len() && parsed.last_is_prefix;
        // A word found nowhere may be a shortened word ("prog board"): classify accepts any
        // word of three letters or more as a prefix, so it is retrieved as one.
        let shortened = typing || (!parsed.known[i] && word.chars().count() >= 3);
        let name_fields = [(f.term_words, 8.0), (f.syn_words, 5.0)];
        // A prefix's expansions start with the word itself.
        let mut prefixes: [Vec<NameClause>; 2] = Default::default();
        if shortened {
            for (clauses, (field, boost)) in prefixes.iter_mut().zip(name_fields) {
                let words = prefix_words(searcher, field, word, FEW_PREFIX_WORDS + 1)?;
                *clauses = few_or_prefix(field, word, boost, words);
            }
        }
        // Typo tolerance only for words not found as typed in any name, nor (while typing)
        // starting one ("escal" → escalation): a word spelt right needs no fuzzy expansion,
        // which is the costly part of a query.
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
        ways.push(NameClause::term(
            f.label_stems,
            parsed.word_stems[i].clone(),
            4.0,
        ));
        Ok(ways)
    }
}

/// The clauses for a prefix: the words it starts, when they are few, as term queries; a range
/// query when it starts many. A range query marks its documents in a bitset the size of the
/// index, which is what a prefix costs in a very large glossary, while each term query costs a
/// lookup: few words are cheaper as terms.
fn few_or_prefix(field: Field, prefix: &str, boost: f32, words: Vec<String>) -> Vec<NameClause> {
    if words.len() <= FEW_PREFIX_WORDS {
        words
            .into_iter()
            .map(|w| NameClause::term(field, w, boost))
            .collect()
    } else {
        vec![NameClause::Prefix(field, prefix.to_string(), boost)]
    }
}

/// Up to this many words a prefix being typed starts are searched as plain terms.
const FEW_PREFIX_WORDS: usize = 4;

/// A prefix being typed matches at most this many words (in alphabetical order) per segment.
pub(super) const PREFIX_EXPANSIONS: usize = 50;

/// One way a name can match a query, with its boost.
pub(super) enum NameClause {
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

    pub(super) fn into_query(self) -> Box<dyn Query> {
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
pub(super) struct WordClauses {
    /// False for a stop word in a longer query: it only adds to the score.
    pub(super) required: bool,
    /// A single unboosted term rather than a union (a whole word spelt right).
    bare: bool,
    pub(super) ways: Vec<NameClause>,
}

/// The name retrieval of one query: entries named by the whole query, or matching every
/// query word (empty for a one-word query, whose ways are all in `whole`).
pub(super) struct NamePlan {
    pub(super) whole: Vec<NameClause>,
    pub(super) every_word: Vec<WordClauses>,
}

impl NamePlan {
    pub(super) fn into_query(self) -> Box<dyn Query> {
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

/// The words of `field` that start with `prefix` (in any segment), at most `max`, in
/// alphabetical order.
fn prefix_words(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    max: usize,
) -> Result<Vec<String>, TantivyError> {
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = prefix_stream(&index, prefix)?;
        let mut taken = 0;
        while taken < max && stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
            if let Ok(word) = std::str::from_utf8(stream.key()) {
                found.insert(word.to_string());
            }
            taken += 1;
        }
    }
    Ok(found.into_iter().take(max).collect())
}

/// The words of a field's dictionary that start with `prefix`, in order. Bounded above, so a walk
/// ends without decoding the first word past the prefix.
pub(super) fn prefix_stream<'a>(
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
