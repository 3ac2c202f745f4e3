//! The CLI end to end: `babelfish translate FILE --json` on 100,000 words of plain text, timed
//! from starting the process to reading the last byte of its JSON (start-up, the bundled
//! glossary loaded, the annotator built, the text read, cleaned and annotated, the JSON written
//! and read back through a pipe). The text is the same prose as `annotate-bench`.
//!
//! The CLI runs with its annotator cache in a temporary folder (`BABELFISH_CACHE_DIR`): the
//! untimed warm-up run writes it, the timed runs read it, as every run after a user's first
//! does. `--cold` times runs without the cache (the annotator built each time).
//!
//! `cargo build --release -p babelfish-cli -p babelfish-bench`, then
//! `target/release/cli-translate-bench [WORDS] [RUNS]` (defaults 100000 and 15; the CLI is the
//! `babelfish` beside this binary, or `BABELFISH_CLI`).

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use babelfish_bench::percentiles;

fn main() {
    let cold = std::env::args().any(|a| a == "--cold");
    let mut args = std::env::args().skip(1).filter(|a| a != "--cold");
    let words: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("a word count"));
    let runs: usize = args.next().map_or(15, |a| a.parse().expect("a run count"));
    let cli = std::env::var_os("BABELFISH_CLI").map_or_else(
        || {
            std::env::current_exe()
                .expect("this binary's path")
                .with_file_name("babelfish")
        },
        PathBuf::from,
    );
    assert!(
        cli.exists(),
        "no CLI at {} (build it with cargo build --release -p babelfish-cli)",
        cli.display()
    );

    let loaded = babelfish::bundled::load();
    let (text, count) = babelfish_bench::jargon_prose(&loaded.glossary, words);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("paper.txt");
    std::fs::write(&file, &text).expect("the benchmark's own text file");
    let cache = dir.path().join("cache");

    // The figure: wall time of one whole run, the JSON read to its end.
    let run = || {
        let started = Instant::now();
        let mut child = Command::new(&cli)
            .arg("translate")
            .arg("--json")
            .arg(&file)
            .env_remove("BABELFISH_GLOSSARY")
            .env(
                "BABELFISH_CACHE_DIR",
                if cold { "".as_ref() } else { cache.as_os_str() },
            )
            .stdout(Stdio::piped())
            .spawn()
            .expect("the CLI starts");
        let mut json = Vec::new();
        child
            .stdout
            .take()
            .expect("its output")
            .read_to_end(&mut json)
            .expect("its JSON");
        let status = child.wait().expect("the CLI ends");
        assert!(status.success(), "the CLI failed: {status}");
        (started.elapsed(), json)
    };
    let (_, json) = run(); // warm the page cache; checked below, not timed
    let parsed: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
    let annotations = parsed["annotations"].as_array().map_or(0, Vec::len);
    let samples: Vec<Duration> = (0..runs).map(|_| run().0).collect();
    let (p50, p99) = percentiles(samples.clone());
    let min = samples.iter().min().copied().unwrap_or_default();

    println!(
        "text: {count} words, {:.2} MB; glossary: bundled, {} entries; JSON: {:.1} MB, {annotations} annotations",
        text.len() as f64 / 1e6,
        loaded.glossary.len(),
        json.len() as f64 / 1e6
    );
    println!(
        "babelfish translate --json, end to end, {runs} runs, annotator {}: p50 {:.1} ms, p99 {:.1} ms, min {:.1} ms; peak RSS {:.1} MiB",
        if cold { "built each run" } else { "cached" },
        p50 / 1e3,
        p99 / 1e3,
        min.as_secs_f64() * 1e3,
        children_peak_rss_mib()
    );
    breakdown(&text, runs.min(5));
}

/// Where the time goes, measured in this process (median of `runs`): the CLI's steps one by
/// one, the annotator both built and read from its cache, the JSON written as the CLI writes
/// it (compact, the annotations beside the text).
fn breakdown(text: &str, runs: usize) {
    let median = |mut step: Box<dyn FnMut() -> Duration>| {
        let samples: Vec<Duration> = (0..runs.max(1)).map(|_| step()).collect();
        percentiles(samples).0 / 1e3
    };
    let load = median(Box::new(|| {
        let t = Instant::now();
        std::hint::black_box(babelfish::bundled::load());
        t.elapsed()
    }));
    let load_root = tempfile::tempdir().expect("a temporary folder");
    let _ = babelfish::cache::bundled(load_root.path()); // written
    let load_cached = median(Box::new(|| {
        let t = Instant::now();
        let (loaded, used) = babelfish::cache::bundled(load_root.path());
        assert_eq!(used, babelfish::cache::CacheUse::Hit);
        std::hint::black_box(loaded);
        t.elapsed()
    }));
    let loaded = babelfish::bundled::load();
    let glossary = &loaded.glossary;
    let build = median(Box::new(|| {
        let t = Instant::now();
        std::hint::black_box(babelfish::annotate::Annotator::new(glossary));
        t.elapsed()
    }));
    let cache_root = tempfile::tempdir().expect("a temporary folder");
    let cache = babelfish::cache::annotator::AnnotatorCache::new(
        cache_root.path(),
        &babelfish::GlossarySource::Bundled,
    );
    let _ = cache.annotator(glossary); // written
    let read = median(Box::new(|| {
        let t = Instant::now();
        let (annotator, used) = cache.annotator(glossary);
        assert_eq!(used, babelfish::cache::CacheUse::Hit);
        std::hint::black_box(annotator);
        t.elapsed()
    }));
    let annotator = babelfish::annotate::Annotator::new(glossary);
    let annotate = median(Box::new(|| {
        let t = Instant::now();
        std::hint::black_box(annotator.annotate(glossary, text, None));
        t.elapsed()
    }));
    let found = annotator.annotate(glossary, text, None);
    let json = median(Box::new(|| {
        let t = Instant::now();
        let mut out = Vec::new();
        let value = serde_json::json!({ "annotations": &found.annotations, "terms": &found.terms, "format": "text", "text": text });
        serde_json::to_writer(&mut out, &value).expect("JSON");
        std::hint::black_box(out);
        t.elapsed()
    }));
    println!(
        "in-process medians: bundled glossary loaded {load:.1} ms (read from the cache \
         {load_cached:.1} ms), annotator built {build:.1} ms \
         (read from the cache {read:.1} ms), annotated {annotate:.1} ms, JSON written {json:.1} ms"
    );
}

/// The largest resident memory of any child process so far, in MiB (Linux `ru_maxrss`).
fn children_peak_rss_mib() -> f64 {
    // SAFETY: an all-zero rusage is valid, and getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    usage.ru_maxrss as f64 / 1024.0
}
