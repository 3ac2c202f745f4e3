//! Own words: no two entries of the bundled glossary share a long run of words in their
//! definitions or explanations (a sign both were written from one source, or one copied from
//! the other). Against a framework's own glossary, held under licence, run
//! `cargo run --release -p babelfish-bench --bin wording -- --against FILE` (docs/editorial-guide.md).

#[test]
fn no_two_entries_share_a_long_run_of_words() {
    let loaded = babelfish::bundled::load();
    let mut texts = Vec::new();
    for entry in loaded.glossary.entries() {
        texts.push((format!("{} definition", entry.id), entry.definition.clone()));
        texts.push((
            format!("{} explanation", entry.id),
            entry.explanation.clone(),
        ));
    }
    let found = babelfish::wording::shared_runs(&texts, None, 12);
    for overlap in &found {
        println!(
            "{} words shared by {} and {}: \"{}\"",
            overlap.words, overlap.left, overlap.right, overlap.run
        );
    }
    assert!(
        found.is_empty(),
        "{} pair(s) of entries share 12 or more words in a row",
        found.len()
    );
}
