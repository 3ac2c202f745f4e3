//! The clean-up layer: text as it arrives (pasted, or extracted from a document) made readable
//! for the annotator, with an offset map back to the text the user sees. One piece of code for
//! pasted text and documents alike; [`crate::annotate::Annotator::annotate`] runs it on every
//! text.
//!
//! | rule | before | after |
//! |---|---|---|
//! | line-end hyphenation joined | `escal-⏎ation` | `escalation` |
//! | … unless the hyphenated word is written so elsewhere in the text | `no-⏎go` (and `no-go` elsewhere) | `no-go` |
//! | a soft hyphen at a line end joins too | `toler\u{AD}⏎ance` | `tolerance` |
//! | lines re-flowed: one line break inside a paragraph is a space | `Programme⏎Board` | `Programme Board` |
//! | … but not before a list item or a blank line | `plan:⏎- item` | unchanged |
//! | soft hyphens and zero-width characters removed | `toler\u{AD}ance` | `tolerance` |
//! | no-break and other Unicode spaces folded | `NHS\u{A0}111` | `NHS 111` |
//! | Unicode hyphens folded | `e\u{2010}obs` | `e-obs` |
//!
//! A line-end hyphen is joined only when a lower-case letter follows on the next line (a hyphen
//! before a capital or a number is part of the word: `COVID-⏎19` keeps it). Whether the hyphen
//! was the typesetter's or the author's cannot be known from one place, so the text itself
//! decides: the hyphen stays when the hyphenated form (`no-go`) is written elsewhere in the text
//! and the joined form (`nogo`) is not. The annotator matches hyphenated terms written as one
//! word as well, so a wrong join still finds the term.
//!
//! Offsets: [`Cleaned::original_range`] maps a range of the cleaned text back to the original,
//! so an annotation never takes in a removed soft hyphen or the line break it was found across
//! at either end, and always covers what it spans in between (`Informa-⏎tion Officer`).

use std::collections::HashSet;

/// Text after the clean-up, and the way back to the original offsets.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// `(cleaned offset, original offset)` from which the two advance together again: one entry
    /// per place where they stop being aligned (none for text that needed no clean-up).
    shifts: Vec<(usize, usize)>,
}

impl Cleaned {
    /// The original offset of the character at cleaned offset `at`.
    pub fn original_start(&self, at: usize) -> usize {
        match self.shifts.partition_point(|s| s.0 <= at) {
            0 => at,
            i => {
                let (n, o) = self.shifts[i - 1];
                o + (at - n)
            }
        }
    }

    /// The original offset just past the character that ends at cleaned offset `end`.
    pub fn original_end(&self, original: &str, end: usize) -> usize {
        if end == 0 {
            return 0;
        }
        let mut at = self.original_start(end - 1) + 1;
        while at < original.len() && !original.is_char_boundary(at) {
            at += 1;
        }
        at.min(original.len())
    }

    /// The original range of the cleaned range `start..end`.
    pub fn original_range(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.original_start(start);
        (s, self.original_end(original, end).max(s))
    }

    /// True when the cleaned text is the original (nothing to map).
    pub fn is_unchanged(&self) -> bool {
        self.shifts.is_empty()
    }
}

/// Cleans `original` (see the module documentation for the rules).
pub fn clean(original: &str) -> Cleaned {
    let mut out = Cleaner {
        original,
        text: String::with_capacity(original.len()),
        shifts: Vec::new(),
        last_visible_start: None,
        words: None,
    };
    out.run();
    Cleaned {
        text: out.text,
        shifts: out.shifts,
    }
}

struct Cleaner<'a> {
    original: &'a str,
    text: String,
    shifts: Vec<(usize, usize)>,
    /// Where, in the cleaned text, the last character that is not a space starts, with its
    /// original character (for hyphenation at a line end).
    last_visible_start: Option<(usize, char)>,
    /// The words of the text (lower case), and its hyphenated words, made on first need.
    words: Option<(HashSet<String>, HashSet<String>)>,
}

impl Cleaner<'_> {
    fn run(&mut self) {
        let original = self.original;
        let bytes = original.as_bytes();
        let mut i = 0;
        // A soft hyphen just before a line end (it emits nothing, so the text cannot tell).
        let mut soft_hyphen_at_end = false;
        while i < bytes.len() {
            // Plain ASCII that needs nothing (the bulk of any text) is copied as it is.
            let run = bytes[i..]
                .iter()
                .position(|&b| b >= 0x80 || b == b'\n' || b == b'\r')
                .unwrap_or(bytes.len() - i);
            if run > 0 {
                let chunk = &original[i..i + run];
                if let Some(p) = chunk.rfind(|c: char| c != ' ' && c != '\t') {
                    self.last_visible_start =
                        Some((self.text.len() + p, chunk.as_bytes()[p] as char));
                    soft_hyphen_at_end = false;
                }
                self.text.push_str(chunk);
                i += run;
                continue;
            }
            let c = original[i..].chars().next().expect("i is a char boundary");
            let len = c.len_utf8();
            if c == '\n' || c == '\r' {
                i = self.line_break(i, soft_hyphen_at_end);
                soft_hyphen_at_end = false;
                continue;
            }
            match c {
                '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {
                    soft_hyphen_at_end = c == '\u{AD}';
                    self.shifts.push((self.text.len(), i + len));
                }
                '\u{A0}' | '\u{2007}' | '\u{202F}' => self.replace(" ", c, i + len),
                '\u{2010}' | '\u{2011}' | '\u{FE63}' | '\u{FF0D}' => {
                    self.last_visible_start = Some((self.text.len(), '-'));
                    soft_hyphen_at_end = false;
                    self.replace("-", c, i + len);
                }
                _ => {
                    if !c.is_whitespace() {
                        self.last_visible_start = Some((self.text.len(), c));
                        soft_hyphen_at_end = false;
                    }
                    self.text.push(c);
                }
            }
            i += len;
        }
    }

    /// Writes `with` for the character `c` that ends at original offset `end`.
    fn replace(&mut self, with: &str, c: char, end: usize) {
        self.text.push_str(with);
        if with.len() != c.len_utf8() {
            self.shifts.push((self.text.len(), end));
        }
    }

    /// Handles the line break starting at original offset `at` (`\n`, `\r\n` or `\r`); returns
    /// the original offset to go on from.
    fn line_break(&mut self, at: usize, soft_hyphen_at_end: bool) -> usize {
        let original = self.original;
        let bytes = original.as_bytes();
        let after_break = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        let rest = &original[after_break..];
        let next_line = rest.split(['\n', '\r']).next().unwrap_or("");
        let indent = next_line.len() - next_line.trim_start().len();
        let next_text = &next_line[indent..];
        // A paragraph break (a blank line on either side), the end of the text, or a list
        // item: kept as it is.
        let line_so_far = self.text.trim_end_matches([' ', '\t']);
        let blank_before = line_so_far.is_empty() || line_so_far.ends_with(['\n', '\r']);
        if blank_before || next_text.is_empty() || starts_list_item(next_text) {
            self.text.push_str(&original[at..after_break]);
            return after_break;
        }
        let resume = after_break + indent;
        let next_lower = next_text.chars().next().is_some_and(char::is_lowercase);
        // Only spaces or nothing may stand between the hyphen and the break.
        let trailing_spaces = self.text.len() - self.text.trim_end_matches([' ', '\t']).len();
        let last = self.last_visible_start;
        if next_lower {
            if soft_hyphen_at_end && trailing_spaces == 0 {
                // `toler\u{AD}⏎ance`: the soft hyphen said where the word was broken.
                self.shifts.push((self.text.len(), resume));
                return resume;
            }
            if let Some((hyphen_at, '-')) = last {
                if hyphen_at + 1 + trailing_spaces == self.text.len()
                    && self.text[..hyphen_at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                {
                    let before = word_before(&self.text[..hyphen_at]);
                    let after = word_after(next_text);
                    let hyphenated = format!("{before}-{after}").to_lowercase();
                    let joined = format!("{before}{after}").to_lowercase();
                    let (words, hyphenated_words) = self.words();
                    let keep = hyphenated_words.contains(&hyphenated) && !words.contains(&joined);
                    self.text
                        .truncate(if keep { hyphen_at + 1 } else { hyphen_at });
                    // Shifts inside what was cut (a U+2010 hyphen's) no longer apply.
                    while self.shifts.last().is_some_and(|s| s.0 > self.text.len()) {
                        self.shifts.pop();
                    }
                    self.shifts.push((self.text.len(), resume));
                    return resume;
                }
            }
        }
        // One line break inside a paragraph: a space.
        self.text.push(' ');
        self.shifts.push((self.text.len(), resume));
        resume
    }

    /// The words of the original text in lower case, and those written with a hyphen inside.
    fn words(&mut self) -> &(HashSet<String>, HashSet<String>) {
        self.words.get_or_insert_with(|| {
            let mut words = HashSet::new();
            let mut hyphenated = HashSet::new();
            for token in self.original.split(|c: char| {
                !(c.is_alphanumeric() || c == '-' || c == '\u{2010}' || c == '\u{2011}')
            }) {
                let token = token.trim_matches(|c: char| !c.is_alphanumeric());
                if token.is_empty() {
                    continue;
                }
                let lower = token.to_lowercase().replace(['\u{2010}', '\u{2011}'], "-");
                if lower.contains('-') {
                    hyphenated.insert(lower);
                } else {
                    words.insert(lower);
                }
            }
            (words, hyphenated)
        })
    }
}

/// The letters just before the end of `text`.
fn word_before(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// The letters at the start of `text`.
fn word_after(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// True when a line starts a list item: a bullet (`-`, `•`, `*`, `–`, `·`, `▪`) or a number of up
/// to three digits with `.` or `)`, then a space.
fn starts_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '•' | '*' | '–' | '·' | '▪' | '◦') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            digits <= 3
                && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
                && line.as_bytes().get(digits + 1) == Some(&b' ')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_are_recognised() {
        for item in ["- item", "• item", "12. item", "3) item"] {
            assert!(starts_list_item(item), "{item}");
        }
        for not in ["-item", "2026 was", "1234. x", "e-obs"] {
            assert!(!starts_list_item(not), "{not}");
        }
    }
}
