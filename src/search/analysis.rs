//! Text analysis for the index and the queries alike: words folded ([`crate::text`]), stemmed
//! (Snowball English) and stop words marked, hyphen compounds also joined; and every entry's
//! names analysed once for the re-ranker.
//!
//! All of it is done here in Rust and handed to tantivy as whitespace-separated tokens, so the
//! index and the queries are analysed by exactly the same code.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use crate::model::Entry;
#[cfg(test)]
use crate::text::compact_key;
use crate::text::{fold_word, words};

/// Words that carry no meaning in a description query ("the committee that approves changes").
pub(super) const STOP_WORDS: &[&str] = &[
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

/// The stemmer of every word: Snowball English.
pub(super) fn stemmer() -> Stemmer {
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
pub(super) struct WordAnalyzer {
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
    pub(super) fn new() -> WordAnalyzer {
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
    pub(super) fn push_stems(&mut self, text: &str, out: &mut String) {
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
    pub(super) fn compact_key(&mut self, label: &str) -> String {
        let mut key = String::with_capacity(label.len());
        for word in words(&crate::text::strip_parenthetical(label)) {
            key.push_str(&self.word(word).folded);
        }
        key
    }

    /// [`folded_tokens`], from remembered words.
    pub(super) fn folded_tokens(&mut self, text: &str, out: &mut Vec<String>) {
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
    pub(super) fn label(&mut self, label: &str) -> AnalysedLabel {
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
    pub(super) fn names(&mut self, entry: &Entry) -> Names {
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

/// An entry's names, analysed once when the index is built so ranking a candidate needs no
/// stemming. Each label is packed into one string: with a string per word and stem, the names
/// of a 10,000-entry glossary took more memory than the index itself.
pub(super) struct Names {
    pub(super) term: AnalysedLabel,
    /// Compact keys of the abbreviations, separated by [`PART`].
    abbreviations: Box<str>,
    pub(super) synonyms: Box<[AnalysedLabel]>,
}

impl Names {
    /// The term, then the synonyms.
    pub(super) fn labels(&self) -> impl Iterator<Item = &AnalysedLabel> {
        std::iter::once(&self.term).chain(self.synonyms.iter())
    }

    /// [`label_hash`] of each label with a compact key.
    pub(super) fn label_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.labels()
            .map(AnalysedLabel::compact)
            .filter(|compact| !compact.is_empty())
            .map(label_hash)
    }
}

/// The key of a label in the [`NameTable`]: its compact key, hashed (FNV-1a).
pub(super) fn label_hash(compact_key: &str) -> u64 {
    crate::text::fnv1a(compact_key.as_bytes())
}

/// Separates the parts of a packed label; never part of a folded word or a key.
const PART: char = '\u{1f}';

/// A label's [`compact_key`], the stems of its words joined (`incidents` and `incident` share
/// it), then each folded word (compounds also joined) followed by its stem, separated by
/// [`PART`].
pub(super) struct AnalysedLabel(Box<str>);

/// A folded word of a label and its stem.
pub(super) struct Word<'a> {
    pub(super) text: &'a str,
    pub(super) stem: &'a str,
}

impl AnalysedLabel {
    /// The plain analysis, word by word; [`WordAnalyzer::label`] must give the same.
    #[cfg(test)]
    pub(super) fn new(label: &str, stemmer: &Stemmer) -> AnalysedLabel {
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

    pub(super) fn compact(&self) -> &str {
        self.0.split(PART).next().unwrap_or_default()
    }

    pub(super) fn stem_compact(&self) -> &str {
        self.0.split(PART).nth(1).unwrap_or_default()
    }

    pub(super) fn words(&self) -> Vec<Word<'_>> {
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
    pub(super) fn abbreviations(&self) -> impl Iterator<Item = &str> {
        self.abbreviations.split(PART).filter(|a| !a.is_empty())
    }
}

#[cfg(test)]
pub(super) fn label_words(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    folded_tokens(label, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
