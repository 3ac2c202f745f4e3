//! One of the annotator's automata: a double-array Aho-Corasick automaton (the `daachorse`
//! crate) over a set of patterns, with the entries that own each pattern. Built from the
//! patterns, or written to bytes and read back (the annotator cache,
//! [`crate::cache::annotator`]), which is what lets a CLI run skip the build.

use std::collections::HashMap;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

/// An automaton and the owners of its patterns.
pub(crate) struct Automaton {
    automaton: DoubleArrayAhoCorasick<u32>,
    /// Pattern `i`'s owners are `owner_ids[owner_starts[i]..owner_starts[i + 1]]`: two flat
    /// tables instead of a `Vec` per pattern, so reading them back is two copies.
    owner_starts: Vec<u32>,
    /// Entry ordinals, in the glossary's order.
    owner_ids: Vec<u32>,
}

impl Automaton {
    /// The automaton over `patterns` (each with its owners), or `None` when there are none.
    pub(crate) fn build(patterns: HashMap<String, Vec<usize>>) -> Option<Automaton> {
        if patterns.is_empty() {
            return None;
        }
        // Sorted, so the same glossary always gives the same bytes (and the same cache file).
        let mut patterns: Vec<(String, Vec<usize>)> = patterns.into_iter().collect();
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut owner_starts = Vec::with_capacity(patterns.len() + 1);
        let mut owner_ids = Vec::new();
        owner_starts.push(0);
        for (_, owners) in &patterns {
            owner_ids.extend(owners.iter().map(|&o| to_u32(o)));
            owner_starts.push(to_u32(owner_ids.len()));
        }
        let automaton = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(
                patterns
                    .iter()
                    .enumerate()
                    .map(|(i, (pattern, _))| (pattern.as_str(), to_u32(i))),
            )
            .ok()?;
        Some(Automaton {
            automaton,
            owner_starts,
            owner_ids,
        })
    }

    /// Every match in `haystack` as `(start, end, owners)`, overlapping, in no particular
    /// order. A match that is not a whole `str` range of the haystack is skipped: a valid
    /// automaton never gives one, and one read from a damaged file must not panic.
    pub(crate) fn matches<'s, 'h>(
        &'s self,
        haystack: &'h str,
    ) -> impl Iterator<Item = (usize, usize, &'s [u32])> + use<'s, 'h> {
        self.automaton
            .find_overlapping_iter(haystack)
            .filter_map(move |m| {
                let (start, end) = (m.start(), m.end());
                if start >= end || haystack.get(start..end).is_none() {
                    return None;
                }
                Some((start, end, self.owners(m.value())?))
            })
    }

    fn owners(&self, pattern: u32) -> Option<&[u32]> {
        let i = usize::try_from(pattern).ok()?;
        let start = *self.owner_starts.get(i)? as usize;
        let end = *self.owner_starts.get(i + 1)? as usize;
        self.owner_ids.get(start..end)
    }

    /// Appends the automaton and its owner tables to `out`.
    pub(crate) fn write_to(&self, out: &mut Vec<u8>) {
        let automaton = self.automaton.serialize();
        put_u64(out, automaton.len() as u64);
        out.extend_from_slice(&automaton);
        put_u32s(out, &self.owner_starts);
        put_u32s(out, &self.owner_ids);
    }

    /// Reads what [`Automaton::write_to`] wrote from the front of `bytes` (advancing it), for a
    /// glossary of `entries` entries. `None` when anything is out of shape; the automaton goes
    /// through daachorse's checked deserialisation, which rules out out-of-bounds reads.
    pub(crate) fn read_from(bytes: &mut &[u8], entries: usize) -> Option<Automaton> {
        let len = usize::try_from(take_u64(bytes)?).ok()?;
        let automaton_bytes = take(bytes, len)?;
        let (automaton, rest) = DoubleArrayAhoCorasick::<u32>::deserialize(automaton_bytes).ok()?;
        let owner_starts = take_u32s(bytes)?;
        let owner_ids = take_u32s(bytes)?;
        let shaped = rest.is_empty()
            && owner_starts.first() == Some(&0)
            && owner_starts.windows(2).all(|w| w[0] <= w[1])
            && owner_starts.last().map(|&l| l as usize) == Some(owner_ids.len())
            && owner_ids.iter().all(|&o| (o as usize) < entries);
        shaped.then_some(Automaton {
            automaton,
            owner_starts,
            owner_ids,
        })
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 patterns and entries")
}

/// Little-endian `u64`.
pub(crate) fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// A length, then each number little-endian.
fn put_u32s(out: &mut Vec<u8>, numbers: &[u32]) {
    put_u64(out, numbers.len() as u64);
    out.reserve(numbers.len() * 4);
    for n in numbers {
        out.extend_from_slice(&n.to_le_bytes());
    }
}

/// The first `len` bytes of `bytes`, which then starts after them.
pub(crate) fn take<'a>(bytes: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    if bytes.len() < len {
        return None;
    }
    let (head, rest) = bytes.split_at(len);
    *bytes = rest;
    Some(head)
}

/// A little-endian `u64` from the front of `bytes`.
pub(crate) fn take_u64(bytes: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(take(bytes, 8)?.try_into().ok()?))
}

fn take_u32s(bytes: &mut &[u8]) -> Option<Vec<u32>> {
    let count = usize::try_from(take_u64(bytes)?).ok()?;
    let raw = take(bytes, count.checked_mul(4)?)?;
    Some(
        raw.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Automaton {
        let mut patterns = HashMap::new();
        patterns.insert("change".to_string(), vec![0]);
        patterns.insert("emergency change".to_string(), vec![1, 2]);
        Automaton::build(patterns).unwrap()
    }

    fn found(a: &Automaton, text: &str) -> Vec<(usize, usize, Vec<u32>)> {
        let mut out: Vec<_> = a
            .matches(text)
            .map(|(s, e, o)| (s, e, o.to_vec()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn bytes_read_back_find_the_same_matches() {
        let a = sample();
        let mut bytes = Vec::new();
        a.write_to(&mut bytes);
        let mut view = bytes.as_slice();
        let b = Automaton::read_from(&mut view, 3).unwrap();
        assert!(view.is_empty());
        let text = "an emergency change, then a change";
        assert_eq!(found(&a, text), found(&b, text));
        assert_eq!(
            found(&b, text),
            vec![(3, 19, vec![1, 2]), (13, 19, vec![0]), (28, 34, vec![0])]
        );
    }

    #[test]
    fn cut_short_or_foreign_owners_are_refused() {
        let mut bytes = Vec::new();
        sample().write_to(&mut bytes);
        for len in [0, 7, 9, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                Automaton::read_from(&mut &bytes[..len], 3).is_none(),
                "{len}"
            );
        }
        // Owners beyond the glossary (another glossary's automaton).
        assert!(Automaton::read_from(&mut bytes.as_slice(), 2).is_none());
    }
}
