//! Start-up benchmark: opening a glossary folder from its files (what every start did before
//! the cache) against opening it through the start-up cache, on synthetic folders written to a
//! temporary directory (warm page cache, as when the app is started again).
//!
//! `cargo run --release -p babelfish-bench --bin open-bench [-- ENTRIES...]`

use std::path::Path;
use std::time::{Duration, Instant};

use babelfish::cache::{CacheUse, GlossaryCache};
use babelfish::{load_dir, SearchIndex};
use babelfish_bench::{domains, synthetic_entries, Vocabulary};

const RUNS: usize = 5;

fn main() {
    let sizes: Vec<usize> = {
        let args: Vec<usize> = std::env::args()
            .skip(1)
            .map(|a| a.parse().expect("an entry count"))
            .collect();
        if args.is_empty() {
            vec![1_000, 10_000, 100_000]
        } else {
            args
        }
    };
    let vocab = Vocabulary::from_bundled();
    let mut rows = Vec::new();
    println!("| entries | from files (load + index) | cache miss (load + index + write) | cache hit | speed-up | cache on disk |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let folder = tempfile::tempdir().expect("temp dir");
        write_folder(folder.path(), n, &vocab);

        let from_files = median(RUNS, || {
            let loaded = load_dir(folder.path()).expect("loads");
            SearchIndex::build(&loaded.glossary).expect("indexes");
        });
        let cache_root = tempfile::tempdir().expect("temp dir");
        let miss = median(RUNS, || {
            let _ = std::fs::remove_dir_all(cache_root.path());
            let opened = GlossaryCache::new(cache_root.path(), folder.path())
                .open()
                .expect("opens");
            assert_eq!(opened.cache, CacheUse::Written);
        });
        let hit = median(RUNS, || {
            let opened = GlossaryCache::new(cache_root.path(), folder.path())
                .open()
                .expect("opens");
            assert_eq!(opened.cache, CacheUse::Hit);
        });
        let on_disk = dir_size(cache_root.path()) as f64 / (1024.0 * 1024.0);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {n} | {:.0} ms | {:.0} ms | {:.0} ms | {:.1}× | {on_disk:.1} MiB |",
            ms(from_files),
            ms(miss),
            ms(hit),
            ms(from_files) / ms(hit)
        );
        rows.push(serde_json::json!({
            "entries": n,
            "from_files_ms": ms(from_files),
            "cache_miss_ms": ms(miss),
            "cache_hit_ms": ms(hit),
            "cache_mib": on_disk,
        }));
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).expect("target/bench");
    let file = out.join("open.json");
    std::fs::write(&file, serde_json::to_string_pretty(&rows).unwrap()).expect("writes");
    println!(
        "\nmedian of {RUNS} runs each; written to {}",
        file.display()
    );
}

fn median(runs: usize, mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn write_folder(dir: &Path, n: usize, vocab: &Vocabulary) {
    std::fs::write(
        dir.join("domains.json"),
        serde_json::to_string_pretty(&domains()).unwrap(),
    )
    .expect("writes domains.json");
    for entry in synthetic_entries(n, vocab, 42) {
        let (domain, slug) = entry.id.split_once('/').expect("domain/slug ids");
        std::fs::create_dir_all(dir.join(domain)).expect("domain folder");
        std::fs::write(
            dir.join(domain).join(format!("{slug}.json")),
            entry.to_file_json(),
        )
        .expect("writes an entry");
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                dir_size(&path)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}
