//! Heap used by a synthetic glossary: the parsed entries alone, then what `Glossary::new` adds
//! (its derived views: lookup by id, counterparts, false friends, links, labels), the time that
//! build took, and the search index held in memory or memory-mapped.
//!
//! `cargo run --release -p babelfish-bench --bin glossary-memory [ENTRIES]`
//!
//! Figures are glibc's bytes in use (`mallinfo2().uordblks`) after `malloc_trim`, with a single
//! arena as in the desktop app, so they include malloc's per-allocation overhead.

use std::time::Instant;

use babelfish::Glossary;
use babelfish_bench::{domains, synthetic_entries, Vocabulary};

/// Bytes the heap has handed out and not had back, after returning free memory to the system.
fn heap_in_use() -> usize {
    // SAFETY: both calls only read or release malloc's own bookkeeping; no preconditions.
    unsafe {
        libc::malloc_trim(0);
        libc::mallinfo2().uordblks
    }
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    // One arena, as the desktop app sets it, so every allocation is counted in one place.
    // SAFETY: mallopt only changes an allocator setting; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
    let n: usize = std::env::args()
        .nth(1)
        .map_or(10_000, |a| a.parse().expect("ENTRIES is a number"));
    let vocab = Vocabulary::from_bundled();
    let domains = domains();

    let before = heap_in_use();
    let entries = synthetic_entries(n, &vocab, 42);
    let with_entries = heap_in_use();
    let started = Instant::now();
    let glossary = Glossary::new(domains, entries);
    let build_time = started.elapsed();
    let with_glossary = heap_in_use();

    let mappings: usize = glossary.entries().iter().map(|e| e.mappings.len()).sum();
    println!("{n} entries, {mappings} mappings");
    println!(
        "parsed entries:          {:6.2} MiB",
        mib(with_entries - before)
    );
    println!(
        "Glossary::new's views:   {:6.2} MiB",
        mib(with_glossary.saturating_sub(with_entries))
    );
    println!(
        "Glossary::new took:      {:6.1} ms",
        build_time.as_secs_f64() * 1000.0
    );

    // The search index: built in memory, then saved and opened again memory-mapped (as from
    // the start-up cache), where only its in-memory side tables stay on the heap.
    let built = babelfish::SearchIndex::build(&glossary).expect("indexes");
    let with_index = heap_in_use();
    println!(
        "SearchIndex (in memory): {:6.2} MiB",
        mib(with_index.saturating_sub(with_glossary))
    );
    let saved = tempfile::tempdir().expect("temp dir");
    built.save(saved.path()).expect("saves");
    drop(built);
    let without_index = heap_in_use();
    let mapped = babelfish::SearchIndex::load(saved.path(), &glossary).expect("opens");
    println!(
        "SearchIndex (mapped):    {:6.2} MiB",
        mib(heap_in_use().saturating_sub(without_index))
    );
    // Keeps everything alive until after the last measurement.
    drop(mapped);
    drop(glossary);
}
