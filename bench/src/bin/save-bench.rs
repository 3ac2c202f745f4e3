//! Save latency through the store: N saves of one entry (each based on the revision before),
//! N creates and N deletes, in a temporary copy of the test fixture on the local disk or in
//! DIR. Prints the median, 90th percentile and mean per operation in microseconds.
//!
//! cargo run --release -p babelfish-bench --bin save-bench -- [N] [DIR]

use std::time::Instant;

use babelfish::store::{Base, Store};

fn summary(name: &str, mut micros: Vec<f64>) {
    micros.sort_by(|a, b| a.total_cmp(b));
    let n = micros.len();
    let mean = micros.iter().sum::<f64>() / n as f64;
    println!(
        "{name:<8} n={n:<5} median {:>8.1} µs   p90 {:>8.1} µs   mean {:>8.1} µs",
        micros[n / 2],
        micros[n * 9 / 10],
        mean
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let parent = args.next().map(std::path::PathBuf::from);
    let dir = match &parent {
        Some(p) => tempfile::tempdir_in(p),
        None => tempfile::tempdir(),
    }
    .expect("temp folder");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mini");
    babelfish_bench::copy_dir(&fixture, dir.path());
    let glossary = babelfish::load_dir(dir.path()).expect("loads").glossary;
    let store = Store::new(dir.path());

    let mut entry = store.read("itil/incident").expect("fixture entry").entry;
    let mut saves = Vec::with_capacity(n);
    for i in 0..n {
        entry.example = format!("Save number {i} of the benchmark.");
        let base = Base::revision(entry.revision);
        let started = Instant::now();
        entry = store.save(entry, &base, "Bench", &glossary).expect("save");
        saves.push(started.elapsed().as_secs_f64() * 1e6);
    }
    let template = entry.clone();
    let (mut creates, mut deletes) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let mut new = template.clone();
        new.id = format!("itil/bench-entry-{i}");
        new.term = format!("Bench entry {i}");
        new.synonyms.clear();
        new.abbreviations.clear();
        let started = Instant::now();
        let created = store.create(new, "Bench", &glossary).expect("create");
        creates.push(started.elapsed().as_secs_f64() * 1e6);
        let started = Instant::now();
        store
            .delete(&created.id, &Base::revision(1))
            .expect("delete");
        deletes.push(started.elapsed().as_secs_f64() * 1e6);
    }
    println!("save latency in {}", dir.path().display());
    summary("save", saves);
    summary("create", creates);
    summary("delete", deletes);
}
