//! The thesaurus: plain-language phrases ("leaving hospital") and the glossary words they
//! stand for, added to a query's prose retrieval. The phrases are in `thesaurus.tsv`.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::text::{fold_word, words};

/// Plain phrase → glossary words, from `thesaurus.tsv` (folded, split into words).
struct Thesaurus {
    /// Longest phrases first, so "leaving hospital" wins over a one-word entry.
    rows: Vec<(Vec<String>, Vec<String>)>,
    /// First word of a phrase → its rows, so a query only visits the phrases it could hold.
    by_first_word: FxHashMap<String, Vec<usize>>,
}

static THESAURUS: LazyLock<Thesaurus> = LazyLock::new(|| {
    let mut rows: Vec<(Vec<String>, Vec<String>)> = include_str!("thesaurus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('\t'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(phrase, expansion)| {
            let fold = |t: &str| words(t).into_iter().map(fold_word).collect::<Vec<_>>();
            (fold(phrase), fold(expansion))
        })
        .filter(|(p, _)| !p.is_empty())
        .collect();
    rows.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let mut by_first_word: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, (phrase, _)) in rows.iter().enumerate() {
        by_first_word.entry(phrase[0].clone()).or_default().push(i);
    }
    Thesaurus {
        rows,
        by_first_word,
    }
});

/// The words the thesaurus adds for a query, each phrase matched once on whole words, and
/// which query words were part of a multi-word phrase.
pub(super) fn thesaurus_expansions(query: &[String]) -> (Vec<String>, Vec<bool>) {
    let mut used = vec![false; query.len()];
    let mut in_phrase = vec![false; query.len()];
    let mut out = Vec::new();
    // The phrases starting with a query word, visited in the thesaurus's order.
    let mut candidates: Vec<usize> = query
        .iter()
        .filter_map(|w| THESAURUS.by_first_word.get(w))
        .flatten()
        .copied()
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for (phrase, expansion) in candidates.into_iter().map(|i| &THESAURUS.rows[i]) {
        if phrase.len() > query.len() {
            continue;
        }
        for start in 0..=query.len() - phrase.len() {
            let span = start..start + phrase.len();
            if used[span.clone()].iter().any(|&u| u) || query[span.clone()] != phrase[..] {
                continue;
            }
            if phrase.len() > 1 {
                in_phrase[span.clone()].iter_mut().for_each(|u| *u = true);
            }
            used[span].iter_mut().for_each(|u| *u = true);
            out.extend(expansion.iter().cloned());
        }
    }
    (out, in_phrase)
}
