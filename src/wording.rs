//! Own-words check: finds texts that share a long run of words with another text — two entries
//! whose definitions were written from the same source, or an entry that follows a reference
//! text (a framework's glossary a curator holds under licence) too closely.
//!
//! A run is compared on folded words (lower case, letters and digits only), so punctuation and
//! capitals do not hide a copy. Runs of common phrasing are short; a shared run of eight or more
//! words is worth a look, and twelve or more is almost always copied.

use std::collections::HashMap;

/// Two texts that share a run of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The first text's label (e.g. `itil/warranty definition`).
    pub left: String,
    /// The second text's label.
    pub right: String,
    /// How many words the longest shared run has.
    pub words: usize,
    /// The shared run, folded.
    pub run: String,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Every pair of texts from `left` and `right` (or within `left` when `right` is `None`) whose
/// longest shared run of words is at least `min_words` long, longest first.
pub fn shared_runs(
    left: &[(String, String)],
    right: Option<&[(String, String)]>,
    min_words: usize,
) -> Vec<Overlap> {
    let min_words = min_words.max(2);
    let left_words: Vec<Vec<String>> = left.iter().map(|(_, t)| words(t)).collect();
    let right_words: Vec<Vec<String>> = right
        .map(|r| r.iter().map(|(_, t)| words(t)).collect())
        .unwrap_or_default();
    let (targets, target_words) = match right {
        Some(r) => (r, &right_words),
        None => (left, &left_words),
    };
    // Index every `min_words`-gram of the targets; a longer shared run contains one of them.
    let mut grams: HashMap<&[String], Vec<(usize, usize)>> = HashMap::new();
    for (t, ws) in target_words.iter().enumerate() {
        for (at, gram) in ws.windows(min_words).enumerate() {
            grams.entry(gram).or_default().push((t, at));
        }
    }
    let mut best: HashMap<(usize, usize), (usize, usize, usize)> = HashMap::new();
    for (l, ws) in left_words.iter().enumerate() {
        for (at, gram) in ws.windows(min_words).enumerate() {
            let Some(places) = grams.get(gram) else {
                continue;
            };
            for &(t, t_at) in places {
                if right.is_none() && t <= l {
                    continue; // each pair once, never a text with itself
                }
                let tw = &target_words[t];
                let mut len = min_words;
                while at + len < ws.len() && t_at + len < tw.len() && ws[at + len] == tw[t_at + len]
                {
                    len += 1;
                }
                let slot = best.entry((l, t)).or_insert((0, 0, 0));
                if len > slot.0 {
                    *slot = (len, at, 0);
                }
            }
        }
    }
    let mut found: Vec<Overlap> = best
        .into_iter()
        .map(|((l, t), (len, at, _))| Overlap {
            left: left[l].0.clone(),
            right: targets[t].0.clone(),
            words: len,
            run: left_words[l][at..at + len].join(" "),
        })
        .collect();
    found.sort_by(|a, b| b.words.cmp(&a.words).then(a.left.cmp(&b.left)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_copied_run_is_found_whatever_the_punctuation_and_case() {
        let mine = texts(&[
            (
                "a",
                "Warranty: the assurance that a product will meet its agreed requirements, we say.",
            ),
            ("b", "Something else entirely, written in other words."),
        ]);
        let refs = texts(&[(
            "ref",
            "WARRANTY — Assurance that a product will meet its agreed requirements.",
        )]);
        let found = shared_runs(&mine, Some(&refs), 6);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].left, "a");
        assert_eq!(found[0].words, 9);
        assert_eq!(
            found[0].run,
            "assurance that a product will meet its agreed requirements"
        );
    }

    #[test]
    fn texts_in_their_own_words_share_no_long_run() {
        let mine = texts(&[
            (
                "a",
                "The promise that a service will be available, secure and fast enough when needed.",
            ),
            (
                "b",
                "How useful a service is: whether it does the job its users need done.",
            ),
        ]);
        assert!(shared_runs(&mine, None, 5).is_empty());
    }
}
