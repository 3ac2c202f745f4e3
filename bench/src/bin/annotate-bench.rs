//! Annotation benchmark: a 100,000-word document annotated with the full bundled glossary,
//! beside the aho-corasick crate's own throughput on the same text and patterns.
//!
//! `cargo run --release -p babelfish-bench --bin annotate-bench [-- WORDS]`

use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind};
use babelfish::annotate::Annotator;
use babelfish_bench::percentiles;

// Long: a benchmark script read top to bottom (set-up, each timed step, report).
fn main() {
    let words: usize = std::env::args()
        .nth(1)
        .map_or(100_000, |a| a.parse().expect("a word count"));
    let loaded = babelfish::bundled::load();
    let glossary = &loaded.glossary;
    // Realistic prose, about one word in twelve a term or abbreviation.
    let (text, count) = babelfish_bench::jargon_prose(glossary, words);
    let mb = text.len() as f64 / 1e6;

    let t = Instant::now();
    let annotator = Annotator::new(glossary);
    let build = t.elapsed();

    let runs = 30;
    let mut samples: Vec<Duration> = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = annotator.annotate(glossary, &text, None).annotations.len();
        samples.push(t.elapsed());
    }
    let (p50, p99) = percentiles(samples);

    // The crate on its own: the same names, ASCII case-insensitive, leftmost-longest.
    let patterns: Vec<String> = glossary
        .entries()
        .iter()
        .flat_map(|e| e.labels().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let raw = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(&patterns)
        .unwrap();
    let mut raw_samples = Vec::new();
    let mut raw_found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        raw_found = raw.find_iter(&text).count();
        raw_samples.push(t.elapsed());
    }
    let (raw_p50, raw_p99) = percentiles(raw_samples);

    println!(
        "document: {count} words, {mb:.2} MB; glossary: {} entries",
        glossary.len()
    );
    println!(
        "annotator build (once per glossary version): {:.1} ms",
        build.as_secs_f64() * 1e3
    );
    println!("| | p50 | p99 | throughput (p50) | matches |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| Babelfish annotate (whole words, variants, readings) | {:.1} ms | {:.1} ms | {:.0} MB/s | {found} |",
        p50 / 1e3,
        p99 / 1e3,
        mb / (p50 / 1e6)
    );
    println!(
        "| aho-corasick crate alone (find_iter, same names) | {:.1} ms | {:.1} ms | {:.0} MB/s | {raw_found} |",
        raw_p50 / 1e3,
        raw_p99 / 1e3,
        mb / (raw_p50 / 1e6)
    );
}
