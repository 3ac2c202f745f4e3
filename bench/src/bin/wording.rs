//! Own-words check over a glossary folder (or the bundled one): lists pairs of entries whose
//! definitions or explanations share a run of N or more words (default 8), and with
//! `--against FILE` (one reference text per line, e.g. a framework glossary held under
//! licence; never committed) every entry text that shares such a run with a reference line.
//!
//! cargo run --release -p babelfish-bench --bin wording -- [--glossary DIR] [--words N] [--against FILE]

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut glossary, mut words, mut against) = (None, 8usize, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--glossary" => glossary = args.next(),
            "--words" => words = args.next().and_then(|n| n.parse().ok()).unwrap_or(8),
            "--against" => against = args.next(),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let source = babelfish::GlossarySource::resolve(glossary.as_deref().map(std::path::Path::new));
    let loaded = source.load().expect("glossary loads");
    let mut texts = Vec::new();
    for entry in loaded.glossary.entries() {
        texts.push((format!("{} definition", entry.id), entry.definition.clone()));
        texts.push((
            format!("{} explanation", entry.id),
            entry.explanation.clone(),
        ));
    }
    let references: Option<Vec<(String, String)>> = against.map(|file| {
        std::fs::read_to_string(&file)
            .expect("reference file readable")
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| (format!("{file}:{}", n + 1), l.to_string()))
            .collect()
    });
    let found = babelfish::wording::shared_runs(&texts, references.as_deref(), words);
    for o in &found {
        println!("{}\t{}\t{} words\t{}", o.left, o.right, o.words, o.run);
    }
    eprintln!(
        "{} texts checked; {} pair(s) share {words} or more words in a row",
        texts.len(),
        found.len()
    );
}
