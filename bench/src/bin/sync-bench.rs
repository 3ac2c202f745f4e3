//! `babelfish sync` time with 20 changed entries in a copy of the bundled glossary, against a
//! bare remote on the local disk (or in DIR). Three rounds of three syncs each:
//! - push: one clone changed 20 entries (commit, fetch, nothing to merge, push);
//! - pull: the other clone receives them (fetch, fast-forward);
//! - merge: both changed 20 entries, 10 of them the same entries in different fields (commit,
//!   fetch, three-way merge with 10 entries merged field by field, push).
//!
//! Prints each sync's time and the median per kind. Target: at most 1 s.
//!
//! cargo run --release -p babelfish-bench --bin sync-bench -- [ROUNDS] [DIR]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use babelfish::sync::{sync, SyncOptions};
use babelfish::Entry;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

/// Rewrites one entry file as a save would (new text, revision + 1), outside the timing.
fn change(glossary: &Path, id: &str, field: &str, text: &str) {
    let path = glossary.join(format!("{id}.json"));
    let mut entry: Entry = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    match field {
        "example" => entry.example = text.into(),
        _ => entry.source = text.into(),
    }
    entry.revision += 1;
    entry.updated_at = babelfish::store::now_rfc3339();
    std::fs::write(&path, entry.to_file_json()).unwrap();
}

fn timed(kind: &str, dir: &Path, times: &mut Vec<f64>) {
    let options = SyncOptions {
        author: Some("Bench".into()),
        ..SyncOptions::default()
    };
    let started = Instant::now();
    let report = sync(dir, &options).expect("sync");
    let ms = started.elapsed().as_secs_f64() * 1e3;
    assert_eq!(report.exit_code(), 0, "{report:?}");
    println!(
        "{kind:<6} {ms:>7.1} ms  committed {:>2} pulled {:>2} pushed {:>2} merged {:>2}",
        report.committed,
        report.pulled,
        report.pushed,
        report.merged.len()
    );
    times.push(ms);
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

// Long: a benchmark script read top to bottom (set-up, each timed step, report).
fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let parent = args.next().map(PathBuf::from);
    let tmp = match &parent {
        Some(p) => tempfile::tempdir_in(p),
        None => tempfile::tempdir(),
    }
    .expect("temp folder");
    let root = tmp.path();
    let remote = root.join("remote.git");
    git(
        root,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            &remote.to_string_lossy(),
        ],
    );
    let clone = |name: &str| {
        let dir = root.join(name);
        git(
            root,
            &[
                "clone",
                "-q",
                &remote.to_string_lossy(),
                &dir.to_string_lossy(),
            ],
        );
        git(&dir, &["config", "user.name", name]);
        git(
            &dir,
            &["config", "user.email", &format!("{name}@example.org")],
        );
        git(&dir, &["checkout", "-q", "-B", "main"]);
        dir
    };
    let a = clone("a");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary");
    babelfish_bench::copy_dir(&bundled, &a.join("glossary"));
    git(&a, &["add", "-A"]);
    git(&a, &["commit", "-q", "-m", "Seed"]);
    git(&a, &["push", "-q", "-u", "origin", "main"]);
    let b = clone("b");
    let (ga, gb) = (a.join("glossary"), b.join("glossary"));
    let ids: Vec<String> = babelfish::load_dir(&ga)
        .expect("loads")
        .glossary
        .entries()
        .iter()
        .map(|e| e.id.clone())
        .collect();
    println!("{} entries, remote {}", ids.len(), remote.display());

    let (mut pushes, mut pulls, mut merges) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let batch = &ids[round * 40..round * 40 + 40];
        for id in &batch[..20] {
            change(&ga, id, "example", &format!("Round {round} push."));
        }
        timed("push", &ga, &mut pushes);
        timed("pull", &gb, &mut pulls);
        // Both change 20: A the first 20 of the batch, B entries 10..30 (10 shared, other field).
        for id in &batch[..20] {
            change(&ga, id, "example", &format!("Round {round} by A."));
        }
        for id in &batch[10..30] {
            change(&gb, id, "source", &format!("Round {round} by B."));
        }
        sync(&ga, &SyncOptions::default()).expect("A syncs first");
        timed("merge", &gb, &mut merges);
        sync(&ga, &SyncOptions::default()).expect("A catches up");
    }
    println!(
        "median: push {:.1} ms, pull {:.1} ms, merge {:.1} ms (target ≤ 1000 ms)",
        median(pushes),
        median(pulls),
        median(merges)
    );
}
