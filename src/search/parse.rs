//! A query analysed: folded words, stems, the thesaurus's additions, which words are
//! abbreviations and which are known (spelt as some name or prose has them).

use rustc_hash::FxHashSet as HashSet;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::analysis::{stemmer, STOP_WORDS};
use super::thesaurus::thesaurus_expansions;
use super::{SearchError, SearchIndex};
use crate::text::{fold_word, words};

/// Queries longer than this are cut: nobody types more, and it bounds the work per keystroke.
const MAX_QUERY_CHARS: usize = 256;
const MAX_QUERY_WORDS: usize = 24;

impl SearchIndex {
    /// The query analysed, with each word marked known or not. A word found as typed in a
    /// name, or as a word of the prose, is not a typo: typo expansion (the costly part of a
    /// query) is kept for words found nowhere.
    pub(super) fn parse(&self, raw: &str, searcher: &Searcher) -> Result<ParsedQuery, SearchError> {
        let mut parsed = ParsedQuery::new(raw, &self.abbreviations);
        let found = |field: Field, text: &str| -> Result<bool, SearchError> {
            Ok(searcher.doc_freq(&Term::from_field_text(field, text))? > 0)
        };
        let last = parsed.words.len().saturating_sub(1);
        let mut known = Vec::with_capacity(parsed.words.len());
        for (i, (word, stem)) in parsed.words.iter().zip(&parsed.word_stems).enumerate() {
            // A short word still being typed ("cab", "tto") is matched as a prefix and never
            // as a typo, so whether it is known changes nothing: four dictionary lookups saved
            // on most keystrokes.
            let typing_short = i == last && parsed.last_is_prefix && typo_budget(word) == 0;
            known.push(
                !typing_short
                    && (found(self.fields.term_words, word)?
                        || found(self.fields.syn_words, word)?
                        || found(self.fields.definition_stems, stem)?
                        || found(self.fields.other_stems, stem)?),
            );
        }
        parsed.known = known;
        parsed.last_is_term_word = match parsed.words.last() {
            Some(word) => found(self.fields.term_words, word)?,
            None => false,
        };
        Ok(parsed)
    }
}

/// A query after analysis.
#[derive(Debug)]
pub(super) struct ParsedQuery {
    /// Folded words, in order (compounds split).
    pub(super) words: Vec<String>,
    /// All words joined, no spaces: compared with compact label keys.
    pub(super) compact: String,
    /// The stem of every word (stop words included), parallel to `words`.
    pub(super) word_stems: Vec<String>,
    /// The stems joined, no spaces: compared with labels' stem keys.
    pub(super) stem_compact: String,
    /// Stems of the meaningful words, for prose matching.
    pub(super) stems: Vec<String>,
    /// Weight of each stem (parallel to `stems`).
    pub(super) stem_weights: Vec<f32>,
    /// Stems of words the thesaurus adds for plain-language descriptions.
    pub(super) expansions: Vec<String>,
    /// False when the user typed a space after the last word.
    pub(super) last_is_prefix: bool,
    /// Query words that are known abbreviations: never fuzzy.
    pub(super) abbreviation_words: HashSet<String>,
    /// Per word: found as typed in some name. Only unknown words are treated as typos.
    pub(super) known: Vec<bool>,
    /// Per word: a stop word in a query that has other words ("the change advisory board").
    /// It counts towards a name match when the name has it, and is skipped when it does not.
    pub(super) optional: Vec<bool>,
    /// The last word is a whole word of some term ("board"): a term where it is only the
    /// start of a longer word ("Boarding") then ranks below the terms that have the word itself.
    pub(super) last_is_term_word: bool,
}

impl ParsedQuery {
    /// `abbreviations` are the glossary's compact abbreviation keys, sorted.
    pub(super) fn new(raw: &str, abbreviations: &SortedKeys) -> ParsedQuery {
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

    pub(super) fn is_abbreviation(&self, word: &str) -> bool {
        self.abbreviation_words.contains(word)
    }

    /// True while the last word is still being typed and is too short to be a whole word
    /// (two letters or fewer): then "inflection of the term" would match too eagerly.
    pub(super) fn last_is_prefix_only(&self) -> bool {
        self.last_is_prefix && self.words.last().is_some_and(|w| w.chars().count() < 3)
    }
}

/// Distinct strings, sorted and packed end to end: the glossary's abbreviation keys. Packed
/// so a bisection touches one small block of memory; with a separately allocated string per
/// key, every probe was a cache miss somewhere in a large glossary's heap.
#[derive(Default)]
pub(super) struct SortedKeys {
    text: String,
    /// Where each key ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl SortedKeys {
    pub(super) fn new(mut keys: Vec<String>) -> SortedKeys {
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

    pub(super) fn contains(&self, word: &str) -> bool {
        let i = self.lower_bound(word);
        i < self.ends.len() && self.key(i) == word
    }

    /// The first `max` keys, in order, that start with `prefix`.
    pub(super) fn starting(&self, prefix: &str, max: usize) -> Vec<String> {
        (self.lower_bound(prefix)..self.ends.len())
            .map(|i| self.key(i))
            .take_while(|key| key.starts_with(prefix))
            .take(max)
            .map(str::to_string)
            .collect()
    }
}

/// Typo tolerance like Meilisearch's defaults: one edit from 5 letters, two from 9.
pub(super) fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
