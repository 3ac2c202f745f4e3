//! Search benchmark: Babelfish's tantivy pipeline against SQLite FTS5 and a linear scan, on
//! synthetic glossaries of 1k–1M entries.
//!
//! `cargo run --release -p babelfish-bench --bin search-bench [-- SIZES...]`
//! Each size runs in its own child process so peak memory is per size. Prints a table and writes
//! `target/bench/search.json`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use babelfish::{Glossary, SearchIndex, SearchRequest};
use babelfish_bench::{
    domains, peak_rss_mib, percentiles, run_one_in_child, synthetic_entries, Rng, Vocabulary,
};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

const KINDS: [&str; 5] = ["exact", "prefix", "fuzzy", "abbreviation", "multi-word"];

#[derive(Serialize, Deserialize, Debug)]
struct SizeResult {
    entries: usize,
    glossary_build_ms: f64,
    index_build_ms: f64,
    peak_rss_after_index_mib: f64,
    fts5_build_ms: f64,
    /// engine → kind → [p50 µs, p99 µs]
    latency_us: BTreeMap<String, BTreeMap<String, [f64; 2]>>,
    queries_per_kind: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        let n: usize = args[1].parse().expect("size");
        let result = run_one(n);
        println!("{}", serde_json::to_string(&result).unwrap());
        return;
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![1_000, 10_000, 100_000, 1_000_000]
    } else {
        args.iter()
            .map(|a| a.parse().expect("sizes are numbers"))
            .collect()
    };
    let mut results = Vec::new();
    for n in sizes {
        eprintln!("search-bench: {n} entries...");
        // The child's diagnostics (BENCH_SLOWEST) go to its stderr.
        let result: SizeResult = serde_json::from_slice(&run_one_in_child(n)).unwrap();
        results.push(result);
    }
    print_table(&results);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("search.json");
    std::fs::write(&path, serde_json::to_string_pretty(&results).unwrap()).unwrap();
    println!("\nwritten to {}", path.display());
}

fn print_table(results: &[SizeResult]) {
    println!("\n| entries | glossary | index build | peak RSS |  FTS5 build |");
    println!("|---:|---:|---:|---:|---:|");
    for r in results {
        println!(
            "| {} | {:.0} ms | {:.0} ms | {:.0} MiB | {:.0} ms |",
            r.entries,
            r.glossary_build_ms,
            r.index_build_ms,
            r.peak_rss_after_index_mib,
            r.fts5_build_ms
        );
    }
    println!("\nQuery latency, p50 / p99 in µs (peer ÷ Babelfish p50 ratio in brackets: above 1 means Babelfish is faster; n/a: the peer cannot answer that kind)\n");
    println!("| entries | kind | Babelfish | SQLite FTS5, row ids | SQLite FTS5, rows + snippet | linear scan |");
    println!("|---:|---|---:|---:|---:|---:|");
    for r in results {
        for kind in KINDS {
            let cell = |engine: &str| {
                r.latency_us
                    .get(engine)
                    .and_then(|k| k.get(kind))
                    .map_or("n/a".to_string(), |[p50, p99]| {
                        format!("{p50:.0} / {p99:.0}")
                    })
            };
            let ours = r.latency_us["babelfish"][kind][0];
            let ratio = |engine: &str| {
                r.latency_us
                    .get(engine)
                    .and_then(|k| k.get(kind))
                    .map_or(String::new(), |v| format!(" ({:.1}×)", v[0] / ours))
            };
            println!(
                "| {} | {kind} | {} | {}{} | {}{} | {} |",
                r.entries,
                cell("babelfish"),
                cell("fts5"),
                ratio("fts5"),
                cell("fts5_rows"),
                ratio("fts5_rows"),
                cell("scan")
            );
        }
    }
}

struct Queries {
    by_kind: Vec<(&'static str, Vec<String>)>,
}

fn make_queries(g: &Glossary, count: usize) -> Queries {
    let mut rng = Rng::new(7);
    let entries = g.entries();
    let mut by_kind = Vec::new();
    let pick = |rng: &mut Rng| &entries[rng.below(entries.len())];
    by_kind.push((
        "exact",
        (0..count).map(|_| pick(&mut rng).term.clone()).collect(),
    ));
    by_kind.push((
        "prefix",
        (0..count)
            .map(|_| {
                let term = &pick(&mut rng).term;
                let words: Vec<&str> = term.split(' ').collect();
                let last = words.last().unwrap();
                let cut: String = last.chars().take(3.max(last.len() / 2)).collect();
                let mut q = words[..words.len() - 1].join(" ");
                if !q.is_empty() {
                    q.push(' ');
                }
                q + &cut
            })
            .collect(),
    ));
    by_kind.push((
        "fuzzy",
        (0..count)
            .map(|_| {
                let term = &pick(&mut rng).term;
                // Swap two letters in the longest word: one edit (a transposition).
                let mut words: Vec<String> = term.split(' ').map(str::to_string).collect();
                let longest = (0..words.len()).max_by_key(|&i| words[i].len()).unwrap();
                let mut chars: Vec<char> = words[longest].chars().collect();
                if chars.len() >= 5 {
                    let at = 1 + rng.below(chars.len() - 3);
                    chars.swap(at, at + 1);
                }
                words[longest] = chars.into_iter().collect();
                words.join(" ")
            })
            .collect(),
    ));
    let with_abbreviations: Vec<&babelfish::Entry> = entries
        .iter()
        .filter(|e| !e.abbreviations.is_empty())
        .collect();
    by_kind.push((
        "abbreviation",
        (0..count)
            .map(|_| rng.pick(&with_abbreviations).abbreviations[0].clone())
            .collect(),
    ));
    by_kind.push((
        "multi-word",
        (0..count)
            .map(|_| {
                let words = babelfish::text::words(&pick(&mut rng).definition)
                    .into_iter()
                    .filter(|w| w.len() > 3)
                    .map(str::to_string)
                    .collect::<Vec<_>>();
                let start = rng.below(words.len().saturating_sub(4).max(1));
                words[start..(start + 4).min(words.len())].join(" ")
            })
            .collect(),
    ));
    Queries { by_kind }
}

fn time_all(queries: &[String], mut run: impl FnMut(&str) -> usize) -> [f64; 2] {
    let mut samples: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut found = 0;
    for q in queries {
        let t = Instant::now();
        found += run(q);
        samples.push(t.elapsed());
    }
    std::hint::black_box(found);
    // BENCH_SLOWEST=1 names the slowest queries, to see what the tail is made of.
    if std::env::var_os("BENCH_SLOWEST").is_some() {
        let mut timed: Vec<(Duration, &String)> = samples.iter().copied().zip(queries).collect();
        timed.sort_by_key(|t| std::cmp::Reverse(t.0));
        for (took, query) in timed.iter().take(5) {
            eprintln!("slow: {:>8.0} µs  {query}", took.as_secs_f64() * 1e6);
        }
    }
    let (p50, p99) = percentiles(samples);
    [p50, p99]
}

// Long: one size measured end to end, in the order the table prints it.
fn run_one(n: usize) -> SizeResult {
    let vocab = Vocabulary::from_bundled();
    let entries = synthetic_entries(n, &vocab, 42);
    let t = Instant::now();
    let glossary = Glossary::new(domains(), entries);
    let glossary_build_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let index = SearchIndex::build(&glossary).unwrap();
    let index_build_ms = t.elapsed().as_secs_f64() * 1e3;
    let peak_rss_after_index_mib = peak_rss_mib();

    let count = if n >= 1_000_000 { 200 } else { 500 };
    let queries = make_queries(&glossary, count);
    let mut latency: BTreeMap<String, BTreeMap<String, [f64; 2]>> = BTreeMap::new();

    // Warm up once, then measure.
    for (_, qs) in &queries.by_kind {
        for q in qs.iter().take(20) {
            index
                .search(&glossary, &SearchRequest::new(q.clone()))
                .unwrap();
        }
    }
    for (kind, qs) in &queries.by_kind {
        let r = time_all(qs, |q| {
            let mut request = SearchRequest::new(q);
            request.limit = 10;
            index.search(&glossary, &request).unwrap().len()
        });
        latency
            .entry("babelfish".into())
            .or_default()
            .insert(kind.to_string(), r);
    }

    // For quick iterations on the engine alone: BENCH_ONLY_BABELFISH=1 skips the peers.
    if std::env::var_os("BENCH_ONLY_BABELFISH").is_some() {
        return SizeResult {
            entries: n,
            glossary_build_ms,
            index_build_ms,
            peak_rss_after_index_mib,
            fts5_build_ms: 0.0,
            latency_us: latency,
            queries_per_kind: count,
        };
    }

    // SQLite FTS5 with prefix indexes, what a developer might reach for first.
    let t = Instant::now();
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        "CREATE VIRTUAL TABLE f USING fts5(term, abbreviations, synonyms, definition, explanation, example, prefix='2 3 4');",
    )
    .unwrap();
    {
        let tx = db.unchecked_transaction().unwrap();
        {
            let mut insert = tx
                .prepare("INSERT INTO f(rowid, term, abbreviations, synonyms, definition, explanation, example) VALUES (?,?,?,?,?,?,?)")
                .unwrap();
            for (i, e) in glossary.entries().iter().enumerate() {
                insert
                    .execute(rusqlite::params![
                        i as i64,
                        e.term,
                        e.abbreviations.join(" "),
                        e.synonyms.join(" "),
                        e.definition,
                        e.explanation,
                        e.example
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let fts5_build_ms = t.elapsed().as_secs_f64() * 1e3;
    let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    // The same MATCH expression per kind for both FTS5 variants.
    let expression = |kind: &str, q: &str| -> Option<String> {
        Some(match kind {
            "exact" => format!("term : {}", quote(q)),
            "prefix" => {
                let words: Vec<&str> = q.split(' ').collect();
                let (last, rest) = words.split_last().unwrap();
                let mut expr: Vec<String> = rest.iter().map(|w| quote(w)).collect();
                expr.push(format!("{}*", quote(last)));
                format!("term : ({})", expr.join(" "))
            }
            "abbreviation" => format!("abbreviations : {}", quote(q)),
            "multi-word" => q.split(' ').map(quote).collect::<Vec<_>>().join(" OR "),
            _ => return None, // FTS5 has no typo tolerance.
        })
    };
    // "fts5": the matching row ids only. "fts5_rows": what a result list needs, as Babelfish
    // returns it: each row's term and abbreviations and a highlighted snippet of its definition.
    for (engine, sql) in [
        (
            "fts5",
            "SELECT rowid FROM f WHERE f MATCH ?1 ORDER BY bm25(f) LIMIT 10",
        ),
        (
            "fts5_rows",
            "SELECT rowid, term, abbreviations, snippet(f, 3, '[', ']', '…', 64) \
             FROM f WHERE f MATCH ?1 ORDER BY bm25(f) LIMIT 10",
        ),
    ] {
        let mut stmt = db.prepare(sql).unwrap();
        let rows_only = engine == "fts5";
        let mut fts = |expr: String| -> usize {
            stmt.query_map([expr], |row| {
                let id = row.get::<_, i64>(0)?;
                if rows_only {
                    return Ok((id, String::new(), String::new(), String::new()));
                }
                Ok((id, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .map(|rows| rows.filter_map(Result::ok).count())
            .unwrap_or(0)
        };
        for (kind, qs) in &queries.by_kind {
            if expression(kind, "x").is_none() {
                continue;
            }
            let r = time_all(qs, |q| fts(expression(kind, q).unwrap()));
            latency
                .entry(engine.into())
                .or_default()
                .insert(kind.to_string(), r);
        }
    }

    // A linear scan: what Ctrl+F over a spreadsheet of the glossary does.
    let rows: Vec<String> = glossary
        .entries()
        .iter()
        .map(|e| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                e.term,
                e.abbreviations.join(" "),
                e.synonyms.join(" "),
                e.definition,
                e.explanation,
                e.example
            )
            .to_lowercase()
        })
        .collect();
    let scan_queries = if n >= 100_000 { 50 } else { count };
    for (kind, qs) in &queries.by_kind {
        if *kind == "fuzzy" {
            continue; // Ctrl+F does not forgive typos.
        }
        let r = time_all(&qs[..scan_queries.min(qs.len())], |q| {
            let needle = q.to_lowercase();
            rows.iter().filter(|row| row.contains(&needle)).count()
        });
        latency
            .entry("scan".into())
            .or_default()
            .insert(kind.to_string(), r);
    }

    SizeResult {
        entries: n,
        glossary_build_ms,
        index_build_ms,
        peak_rss_after_index_mib,
        fts5_build_ms,
        latency_us: latency,
        queries_per_kind: count,
    }
}
