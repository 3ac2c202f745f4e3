//! Snippets: a hit's definition split into plain and highlighted pieces, the highlighted ones
//! being the words that match the query.

use rust_stemmers::Stemmer;
use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use super::analysis::{stemmer, STOP_WORDS};
use super::parse::ParsedQuery;
use super::Fragment;
use crate::text::fold_word;

/// Marks the words of a text that match a query: words with one of the query's stems, and
/// words starting with the last word while it is being typed. Built once per query and used
/// for every hit's snippet.
pub(super) struct Highlighter<'q> {
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
    pub(super) fn new(q: &'q ParsedQuery) -> Highlighter<'q> {
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
    pub(super) fn fragments(&self, text: &str) -> Vec<Fragment> {
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
    use crate::search::parse::SortedKeys;

    fn parsed(q: &str) -> ParsedQuery {
        ParsedQuery::new(q, &SortedKeys::default())
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
