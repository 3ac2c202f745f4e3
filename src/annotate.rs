//! Babel fish mode: find every glossary term, abbreviation and synonym in a pasted text.
//!
//! Two Aho-Corasick automata ([`automata`]) are built once per glossary version (or read back
//! from the annotator cache, [`crate::cache::annotator`]): one matches terms and synonyms
//! ignoring ASCII case, the other matches abbreviations exactly as written (plus an
//! all-capitals form), so "CAB" and "DNA" match but "cab" and "dna" do not — an entry that wants
//! a lower-case form says so by listing it (`obs`). Patterns include plurals, hyphen/space
//! variants and UK/US spellings. The text itself is only normalised for what everyday text
//! does to spacing and hyphens ([`Haystack`]): any run of whitespace (CRLF, two spaces, tabs,
//! no-break spaces U+00A0 and U+202F, other Unicode spaces) is one space, soft hyphens and
//! zero-width characters vanish, the hyphens U+2010/U+2011 (and an en dash between two word
//! characters) are `-`. Before that, the clean-up layer ([`crate::clean`]) joins words
//! hyphenated at line ends and re-flows lines. Annotation offsets always point into the
//! original text.
//!
//! The text is only ever held in memory: nothing here logs, caches or writes it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use automata::Automaton;

use crate::glossary::Glossary;
use crate::model::Reader;

/// Single words too common in ordinary prose to highlight on their own; their entries are
/// still found when the word is part of a longer term ("project board", "service desk").
const TOO_COMMON: &[&str] = &[
    "plan",
    "plans",
    "user",
    "users",
    "cost",
    "costs",
    "value",
    "values",
    "product",
    "products",
    "organization",
    "organisation",
    "organizations",
    "organisations",
    "project",
    "projects",
    "programme",
    "programmes",
    "program",
    "programs",
    "patient",
    "patients",
    "team",
    "teams",
    "list",
    "lists",
    "customer",
    "customers",
    "improve",
    "engage",
    "quality",
];

/// Two-letter abbreviations that are also ordinary words when a sentence is in capitals.
const NOT_ABBREVIATIONS: &[&str] = &[
    "AS", "AT", "BE", "DO", "GO", "HE", "IF", "IN", "IS", "IT", "ME", "MY", "NO", "OF", "ON", "OR",
    "SO", "TO", "UP", "US", "WE", "AN", "BY",
];

/// How far (in bytes) around an ambiguous word other terms are looked at for context.
const CONTEXT_WINDOW: usize = 1_000;

pub(crate) mod automata;

/// Another reading of an ambiguous piece of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// Entry id.
    pub id: String,
    /// Entry term.
    pub term: String,
    /// Entry domain.
    pub domain: String,
}

/// One piece of jargon found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Annotation {
    /// Byte offset of the first byte in the UTF-8 input.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// The text as it appears.
    pub text: String,
    /// The likeliest entry.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its domain.
    pub domain: String,
    /// Every other candidate, likeliest first (false friends, several expansions).
    pub alternatives: Vec<Alternative>,
    /// The term to use instead, when the text is one of the entry's deprecated names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefer: Option<String>,
}

/// An entry found in the text, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermFound {
    /// Entry id.
    pub id: String,
    /// Entry term.
    pub term: String,
    /// Entry domain.
    pub domain: String,
    /// Abbreviations.
    pub abbreviations: Vec<String>,
    /// Definition.
    pub definition: String,
    /// Explanation for the other side.
    pub explanation: String,
    /// How many times it was the likeliest reading.
    pub count: usize,
}

/// The result of annotating a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Annotated {
    /// Every match, in text order, not overlapping.
    pub annotations: Vec<Annotation>,
    /// The entries found, in order of first appearance.
    pub terms: Vec<TermFound>,
}

impl Annotated {
    /// The same result without the terms of `reader`'s own side (a clinician already knows
    /// "ward" and "TTO"): a match is dropped when its likeliest reading is an entry of the
    /// reader's side, and so is that entry from [`Annotated::terms`].
    pub fn without_own_side(mut self, glossary: &Glossary, reader: Reader) -> Annotated {
        let own = reader.side();
        let theirs = |domain: &str| glossary.side_of(domain) != own;
        self.annotations.retain(|a| theirs(&a.domain));
        self.terms.retain(|t| theirs(&t.domain));
        self
    }
}

/// The automata for one glossary version.
pub struct Annotator {
    /// Terms and synonyms, lower-case, matched against the lower-cased text.
    any_case: Option<Automaton>,
    /// Abbreviations and two-letter names, matched as written.
    exact_case: Option<Automaton>,
}

impl Annotator {
    /// Builds the automata from every entry's names and their variants.
    pub fn new(glossary: &Glossary) -> Annotator {
        let mut any_case: HashMap<String, Vec<usize>> = HashMap::new();
        let mut exact_case: HashMap<String, Vec<usize>> = HashMap::new();
        for (ord, entry) in glossary.entries().iter().enumerate() {
            for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
                let label = crate::text::strip_parenthetical(label);
                // "the board" is matched as "board": an article in front would win over a
                // longer term starting inside it ("the board round").
                let label = label.trim();
                let label = ["the ", "The "]
                    .iter()
                    .find_map(|article| label.strip_prefix(article))
                    .unwrap_or(label);
                for variant in label_variants(label.trim()) {
                    let key = Haystack::new(&variant.to_ascii_lowercase()).text;
                    if key.chars().count() < 3 {
                        // Too short to match ignoring case ("P1" would find "p1" in a code):
                        // matched as written instead, like an abbreviation.
                        if key.chars().count() == 2 && !variant.contains(' ') {
                            push_owner(exact_case.entry(variant).or_default(), ord);
                        }
                        continue;
                    }
                    if TOO_COMMON.contains(&key.as_str()) {
                        continue;
                    }
                    push_owner(any_case.entry(key).or_default(), ord);
                }
            }
            for abbreviation in &entry.abbreviations {
                let abbreviation = abbreviation.trim();
                if abbreviation.chars().count() < 2
                    || NOT_ABBREVIATIONS.contains(&abbreviation.to_uppercase().as_str())
                {
                    continue;
                }
                let upper = Haystack::new(&abbreviation.to_uppercase()).text;
                for form in [Haystack::new(abbreviation).text, upper] {
                    for variant in [
                        form.clone(),
                        format!("{form}s"),
                        format!("{form}'s"),
                        format!("{form}’s"),
                    ] {
                        push_owner(exact_case.entry(variant).or_default(), ord);
                    }
                }
            }
        }
        Annotator {
            any_case: Automaton::build(any_case),
            exact_case: Automaton::build(exact_case),
        }
    }

    /// Appends the automata to `out`, for the annotator cache.
    pub(crate) fn write_to(&self, out: &mut Vec<u8>) {
        for automaton in [&self.any_case, &self.exact_case] {
            out.push(u8::from(automaton.is_some()));
            if let Some(automaton) = automaton {
                automaton.write_to(out);
            }
        }
    }

    /// Reads what [`Annotator::write_to`] wrote, for a glossary of `entries` entries; `None`
    /// unless `bytes` hold exactly that.
    pub(crate) fn read_from(mut bytes: &[u8], entries: usize) -> Option<Annotator> {
        let mut read = || match automata::take(&mut bytes, 1)? {
            [0] => Some(None),
            [1] => Automaton::read_from(&mut bytes, entries).map(Some),
            _ => None,
        };
        let any_case = read()?;
        let exact_case = read()?;
        bytes.is_empty().then_some(Annotator {
            any_case,
            exact_case,
        })
    }

    /// Finds the jargon in `text`. `reader` decides which reading of an ambiguous word comes
    /// first (the other side's), then the domains of the unambiguous terms around it.
    ///
    /// The text goes through the clean-up layer first ([`crate::clean`]: line-end hyphenation
    /// joined, lines re-flowed, soft hyphens removed), so text copied out of a PDF reads as the
    /// same text pasted from the original; every offset is mapped back to `text`.
    pub fn annotate(&self, glossary: &Glossary, text: &str, reader: Option<Reader>) -> Annotated {
        let cleaned = crate::clean::clean(text);
        if cleaned.is_unchanged() {
            return self.annotate_as_written(glossary, text, reader);
        }
        let mut result = self.annotate_as_written(glossary, &cleaned.text, reader);
        for a in &mut result.annotations {
            let (start, end) = cleaned.original_range(text, a.start, a.end);
            a.start = start;
            a.end = end;
            a.text = text[start..end].to_string();
        }
        result
    }

    /// [`Annotator::annotate`] without the clean-up layer.
    fn annotate_as_written(
        &self,
        glossary: &Glossary,
        text: &str,
        reader: Option<Reader>,
    ) -> Annotated {
        if text.is_empty() {
            return Annotated::default();
        }
        // "exception\r\nreport", "exception\u{a0}report" and "exception  report" all read
        // "exception report"; offsets are mapped back to the original text.
        let haystack = Haystack::new(text);
        let chosen = leftmost_longest(self.candidates(&haystack, text));
        let context = Context::new(glossary, text, &chosen, reader);

        let mut result = Annotated::default();
        let mut term_index: HashMap<usize, usize> = HashMap::new();
        // Readings already settled, in text order: "P1 or P2" reads both the same way.
        let mut settled: Vec<Settled> = Vec::new();
        for (start, end, mut owners) in chosen {
            if owners.len() > 1 {
                context.order(start, &mut owners, &settled);
            }
            settled.push(Settled {
                at: start,
                entry: owners[0],
                ambiguous: owners.len() > 1,
            });
            let best = &glossary.entries()[owners[0]];
            let alternatives = owners[1..]
                .iter()
                .map(|&o| {
                    let e = &glossary.entries()[o];
                    Alternative {
                        id: e.id.clone(),
                        term: e.term.clone(),
                        domain: e.domain.clone(),
                    }
                })
                .collect();
            result.annotations.push(Annotation {
                start,
                end,
                text: text[start..end].to_string(),
                id: best.id.clone(),
                term: best.term.clone(),
                domain: best.domain.clone(),
                alternatives,
                prefer: crate::review::preferred_over(best, &text[start..end]).map(str::to_string),
            });
            match term_index.get(&owners[0]) {
                Some(&i) => result.terms[i].count += 1,
                None => {
                    term_index.insert(owners[0], result.terms.len());
                    result.terms.push(TermFound {
                        id: best.id.clone(),
                        term: best.term.clone(),
                        domain: best.domain.clone(),
                        abbreviations: best.abbreviations.clone(),
                        definition: best.definition.clone(),
                        explanation: best.explanation.clone(),
                        count: 1,
                    });
                }
            }
        }
        result
    }

    /// Every whole-word match of either automaton, as `(start, end, owners)` in the original
    /// text, overlapping and in no particular order.
    fn candidates(&self, haystack: &Haystack, text: &str) -> Vec<(usize, usize, &[u32])> {
        let mut candidates: Vec<(usize, usize, &[u32])> = Vec::new();
        // ASCII lower-casing keeps every byte offset.
        let lower = self
            .any_case
            .as_ref()
            .map(|_| haystack.text.to_ascii_lowercase());
        for (automaton, searched) in [
            (&self.any_case, lower.as_deref()),
            (&self.exact_case, Some(haystack.text.as_str())),
        ] {
            let (Some(automaton), Some(searched)) = (automaton, searched) else {
                continue;
            };
            for (start, end, owners) in automaton.matches(searched) {
                if is_whole_word(&haystack.text, start, end) {
                    candidates.push((
                        haystack.original_start(start),
                        haystack.original_end(text, end),
                        owners,
                    ));
                }
            }
        }
        candidates
    }
}

/// The matches that do not overlap, leftmost, then longest: "emergency change" over "change".
/// The same span from both automata is one match with the owners of both.
fn leftmost_longest(
    mut candidates: Vec<(usize, usize, &[u32])>,
) -> Vec<(usize, usize, Vec<usize>)> {
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut chosen: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    let mut covered_to = 0;
    for (start, end, owners) in candidates {
        if start < covered_to {
            // Same span from the other automaton: merge its owners.
            if let Some(last) = chosen.last_mut() {
                if last.0 == start && last.1 == end {
                    for &o in owners {
                        push_owner(&mut last.2, o as usize);
                    }
                }
            }
            continue;
        }
        chosen.push((start, end, owners.iter().map(|&o| o as usize).collect()));
        covered_to = end;
    }
    chosen
}

/// What decides between the readings of an ambiguous word: unambiguous matches vote for their
/// side and domain, the nearer the stronger, so "stage" near "SRO" and "tolerance" reads as
/// PRINCE2, not oncology; then the reader's side.
/// A reading already chosen, earlier in the text.
struct Settled {
    /// Where the match starts.
    at: usize,
    /// The entry it was read as.
    entry: usize,
    /// Whether there were other readings.
    ambiguous: bool,
}

struct Context<'g> {
    glossary: &'g Glossary,
    /// `(start, domain, side)` of every unambiguous match, in text order.
    anchors: Vec<(usize, &'g str, crate::model::Side)>,
    /// The side whose reading the reader most likely wants (the other side's jargon).
    preferred_side: Option<crate::model::Side>,
    /// Byte offsets of the newlines, to weigh anchors on other lines less.
    newlines: Vec<usize>,
    /// Byte offsets of the blank lines: another paragraph is another context.
    paragraph_breaks: Vec<usize>,
}

impl<'g> Context<'g> {
    fn new(
        glossary: &'g Glossary,
        text: &str,
        chosen: &[(usize, usize, Vec<usize>)],
        reader: Option<Reader>,
    ) -> Context<'g> {
        let anchors = chosen
            .iter()
            .filter(|(_, _, owners)| owners.len() == 1)
            .map(|(start, _, owners)| {
                let domain = glossary.entries()[owners[0]].domain.as_str();
                (*start, domain, glossary.side_of(domain))
            })
            .collect();
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Context {
            glossary,
            anchors,
            preferred_side: reader.map(|r| r.side().other()),
            paragraph_breaks: text.match_indices("\n\n").map(|(i, _)| i).collect(),
            newlines,
        }
    }

    /// Line number of a byte offset.
    fn line_of(&self, at: usize) -> usize {
        self.newlines.partition_point(|&n| n < at)
    }

    /// How much something at `other` says about a word at `at`: less on another line, much
    /// less in another paragraph, fading with distance.
    fn closeness(&self, at: usize, other: usize) -> f64 {
        let paragraph = |x: usize| self.paragraph_breaks.partition_point(|&n| n < x);
        let place = if paragraph(at) != paragraph(other) {
            0.1
        } else if self.line_of(at) != self.line_of(other) {
            0.3
        } else {
            1.0
        };
        (-(at.abs_diff(other) as f64) / 150.0).exp() * place
    }

    /// How well entry `o` fits the text around `start`.
    fn score(&self, start: usize, o: usize, settled: &[Settled]) -> f64 {
        let entry = &self.glossary.entries()[o];
        let side = self.glossary.side_of(&entry.domain);
        let mut score = 0.0;
        // Only anchors within a window matter (the weight is negligible beyond).
        let first = self
            .anchors
            .partition_point(|a| a.0 + CONTEXT_WINDOW < start);
        let last = self
            .anchors
            .partition_point(|a| a.0 <= start + CONTEXT_WINDOW);
        for &(at, domain, anchor_side) in &self.anchors[first..last] {
            let weight = self.closeness(start, at);
            if anchor_side == side {
                score += weight;
            }
            if domain == entry.domain {
                // Within a side, the same vocabulary nearby breaks the tie.
                score += 0.2 * weight;
            }
        }
        // Readings settled just before: the same entry weighs most (a list, "P1 or P2", keeps
        // one meaning), and an ambiguous word already read one way ("Incidents are triaged")
        // counts for its side as an unambiguous term would.
        let nearby = settled.partition_point(|s| s.at + CONTEXT_WINDOW < start);
        for reading in &settled[nearby..] {
            let weight = self.closeness(start, reading.at);
            if reading.entry == o {
                score += weight;
            }
            if reading.ambiguous {
                let entry_there = &self.glossary.entries()[reading.entry];
                if self.glossary.side_of(&entry_there.domain) == side {
                    score += weight;
                }
                if entry_there.domain == entry.domain {
                    score += 0.2 * weight;
                }
            }
        }
        if self.preferred_side == Some(side) {
            score += 0.3;
        }
        score
    }

    /// Orders the owners of an ambiguous match at `start`, likeliest first; ties go to the
    /// shorter term, then to the earlier entry.
    fn order(&self, start: usize, owners: &mut Vec<usize>, settled: &[Settled]) {
        let entries = self.glossary.entries();
        let mut scored: Vec<(f64, usize)> = owners
            .iter()
            .map(|&o| (self.score(start, o, settled), o))
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                let (ea, eb) = (&entries[a.1], &entries[b.1]);
                ea.term.len().cmp(&eb.term.len()).then(a.1.cmp(&b.1))
            })
        });
        *owners = scored.into_iter().map(|(_, o)| o).collect();
    }
}

/// Text as the automata see it: whitespace runs as one space, soft hyphens and zero-width
/// characters removed, Unicode hyphens as `-`; and the way back to the original offsets.
struct Haystack {
    /// The normalised text.
    text: String,
    /// `(normalised offset, original offset)` from which the two advance together again: one
    /// entry per place where the lengths differ (none at all for plain ASCII prose).
    shifts: Vec<(usize, usize)>,
}

impl Haystack {
    // One pass over the bytes that builds the text and its offset map together; split, the two
    // would have to agree on every case, which is where offset bugs come from.
    fn new(original: &str) -> Haystack {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut shifts = Vec::new();
        let mut in_space = false;
        let mut i = 0;
        while i < bytes.len() {
            // Runs of plain ASCII (the bulk of any text) are copied as they are.
            let run = bytes[i..]
                .iter()
                .position(|&b| b >= 0x80 || b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - i);
            if run > 0 {
                text.push_str(&original[i..i + run]);
                in_space = false;
                i += run;
                continue;
            }
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_whitespace() {
                    if in_space {
                        shifts.push((text.len(), i + 1));
                    } else {
                        text.push(' ');
                        in_space = true;
                    }
                } else {
                    text.push(b as char);
                    in_space = false;
                }
                i += 1;
                continue;
            }
            let c = original[i..].chars().next().expect("i is a char boundary");
            let len = c.len_utf8();
            match c {
                '\u{85}'
                | '\u{A0}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}' => {
                    if !in_space {
                        text.push(' ');
                        in_space = true;
                    }
                    shifts.push((text.len(), i + len));
                }
                // Soft hyphen, zero-width space, word joiner, BOM: nothing to read.
                '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {
                    shifts.push((text.len(), i + len));
                }
                '\u{2010}' | '\u{2011}' => {
                    text.push('-');
                    in_space = false;
                    shifts.push((text.len(), i + len));
                }
                '\u{2013}'
                    if text.chars().next_back().is_some_and(char::is_alphanumeric)
                        && original[i + len..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric) =>
                {
                    text.push('-');
                    in_space = false;
                    shifts.push((text.len(), i + len));
                }
                _ => {
                    text.push(c);
                    in_space = false;
                }
            }
            i += len;
        }
        Haystack { text, shifts }
    }

    /// The original offset of the character at normalised offset `at`.
    fn original_start(&self, at: usize) -> usize {
        match self.shifts.partition_point(|s| s.0 <= at) {
            0 => at,
            i => {
                let (n, o) = self.shifts[i - 1];
                o + (at - n)
            }
        }
    }

    /// The original offset just past the character that ends at normalised offset `end`
    /// (so a match never takes in a soft hyphen or a space that follows it).
    fn original_end(&self, original: &str, end: usize) -> usize {
        if end == 0 {
            return 0;
        }
        let mut at = self.original_start(end - 1) + 1;
        while !original.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

fn push_owner(owners: &mut Vec<usize>, ord: usize) {
    if !owners.contains(&ord) {
        owners.push(ord);
    }
}

/// True when `start..end` is not part of a longer word.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
}

/// The forms a label may take in running text: as written; with spaces, hyphens or nothing
/// between its words; with its last word in the plural; and in UK and US spelling.
fn label_variants(label: &str) -> Vec<String> {
    let mut out: HashSet<String> = HashSet::new();
    let words: Vec<&str> = label
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let single_word = words.len() == 1 && words[0].chars().count() >= 5;
    let mut joins = vec![words.join(" ")];
    if label.contains('-') {
        // As written ("Two-week wait", "Post-take ward round"), spaces collapsed.
        joins.push(label.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    if words.len() <= 3 && label.contains('-') {
        joins.push(words.join("-"));
        joins.push(words.concat());
    } else if words.len() == 2 {
        joins.push(words.join("-"));
    }
    for joined in joins {
        for spelt in crate::text::spelling::spellings(&joined) {
            for form in plurals(&spelt) {
                out.insert(form);
            }
            if single_word {
                // Verb forms of one-word terms: "triaged", "escalating".
                let stem = spelt.strip_suffix('e').unwrap_or(&spelt);
                out.insert(format!("{stem}ed"));
                out.insert(format!("{stem}ing"));
            }
            out.insert(spelt);
        }
    }
    let mut out: Vec<String> = out.into_iter().collect();
    out.sort();
    out
}

/// The phrase with its last word in the plural (and a possessive), when that differs.
fn plurals(phrase: &str) -> Vec<String> {
    let last = phrase.rsplit([' ', '-']).next().unwrap_or(phrase);
    let lower = last.to_ascii_lowercase();
    if lower.len() < 2 || !last.chars().all(|c| c.is_alphabetic()) {
        return Vec::new();
    }
    let stem = &phrase[..phrase.len() - last.len()];
    let mut out = Vec::new();
    if lower.ends_with('y')
        && !lower.ends_with("ey")
        && !lower.ends_with("ay")
        && !lower.ends_with("oy")
    {
        out.push(format!("{stem}{}ies", &last[..last.len() - 1]));
    } else if ["s", "x", "ch", "sh", "z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        out.push(format!("{stem}{last}es"));
    } else {
        out.push(format!("{stem}{last}s"));
    }
    out.push(format!("{phrase}'s"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_cover_hyphens_plurals_and_spellings() {
        let v = label_variants("dis-benefit");
        for form in [
            "dis benefit",
            "dis-benefit",
            "disbenefit",
            "disbenefits",
            "dis-benefits",
        ] {
            assert!(v.contains(&form.to_string()), "{form} missing from {v:?}");
        }
        let v = label_variants("Organisational change");
        assert!(v.contains(&"Organizational change".to_string()), "{v:?}");
        assert!(v.contains(&"Organisational changes".to_string()), "{v:?}");
        assert!(label_variants("tranche").contains(&"tranches".to_string()));
        assert!(label_variants("Business case").contains(&"Business cases".to_string()));
        assert!(label_variants("policy").contains(&"policies".to_string()));
        let v = label_variants("Two-week wait");
        assert!(v.contains(&"Two-week wait".to_string()), "{v:?}");
    }

    #[test]
    fn whole_words_only() {
        assert!(!is_whole_word("genetics", 4, 7));
        assert!(is_whole_word("a tic b", 2, 5));
        assert!(is_whole_word("(CAB)", 1, 4));
    }
}
