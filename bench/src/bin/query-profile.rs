//! A fixed query workload for instruction-level profiling (valgrind --tool=callgrind), which
//! counts instructions rather than seconds and so is repeatable on a busy machine.
//!
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*profiled_queries*' \
//!    target/release/query-profile [ENTRIES] [KIND]`
//!
//! One query runs before the profiled ones, so one-time set-up (the thesaurus, lazily
//! parsed) is not counted.

use babelfish::{Glossary, SearchIndex, SearchRequest};
use babelfish_bench::{domains, synthetic_entries, Rng, Vocabulary};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(10_000, |a| a.parse().unwrap());
    let kind = args.next().unwrap_or_else(|| "exact".into());
    let vocab = Vocabulary::from_bundled();
    let glossary = Glossary::new(domains(), synthetic_entries(n, &vocab, 42));
    let index = SearchIndex::build(&glossary).unwrap();
    index
        .search(&glossary, &SearchRequest::new("warm up"))
        .unwrap();
    println!("{} hits", profiled_queries(&glossary, &index, &kind));
}

/// The 200 queries counted.
#[inline(never)]
fn profiled_queries(glossary: &Glossary, index: &SearchIndex, kind: &str) -> usize {
    let mut rng = Rng::new(3);
    let mut total = 0;
    for _ in 0..200 {
        let mut e = &glossary.entries()[rng.below(glossary.len())];
        // Abbreviation queries, as in search-bench, come from entries that have one.
        while kind == "abbrev" && e.abbreviations.is_empty() {
            e = &glossary.entries()[rng.below(glossary.len())];
        }
        let q = match kind {
            "exact" => e.term.clone(),
            "prefix" => e.term.chars().take(e.term.len() * 2 / 3).collect(),
            "multi" => e
                .definition
                .split(' ')
                .skip(3)
                .take(4)
                .collect::<Vec<_>>()
                .join(" "),
            _ => e
                .abbreviations
                .first()
                .cloned()
                .unwrap_or_else(|| e.term.clone()),
        };
        let mut request = SearchRequest::new(q);
        request.limit = 10;
        total += index.search(glossary, &request).unwrap().len();
    }
    total
}
