//! Index build time alone, on a synthetic glossary: each build in a fresh process, since the
//! first build of a process (cold allocator, no warm caches) is what a user waits for.
//!
//! `cargo run --release -p babelfish-bench --bin build-bench [-- ENTRIES [RUNS]]`
//! (defaults: 10,000 entries, 15 runs). Prints each build and the median, minimum and maximum.

use std::time::Instant;

use babelfish::{Glossary, SearchIndex};
use babelfish_bench::{domains, run_one_in_child, synthetic_entries, Vocabulary};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        let n: usize = args[1].parse().expect("entries");
        println!("{:.1}", build_once(n));
        return;
    }
    let n: usize = args.first().map_or(10_000, |a| a.parse().expect("entries"));
    let runs: usize = args.get(1).map_or(15, |a| a.parse().expect("runs"));
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let out = run_one_in_child(n);
            let ms: f64 = String::from_utf8_lossy(&out).trim().parse().unwrap();
            println!("build {n} entries: {ms:.1} ms");
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{n} entries, {runs} builds: median {:.1} ms, min {:.1}, max {:.1}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// Milliseconds to build the index of an `n`-entry synthetic glossary.
fn build_once(n: usize) -> f64 {
    let vocab = Vocabulary::from_bundled();
    let glossary = Glossary::new(domains(), synthetic_entries(n, &vocab, 42));
    let t = Instant::now();
    let index = SearchIndex::build(&glossary).unwrap();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    drop(index);
    ms
}
