//! The annotator cache: a cached annotator finds exactly what a freshly built one finds, a
//! changed name gives another key, and a damaged, cut-short or foreign file is rebuilt, never
//! trusted and never an error. And the cached load of the bundled glossary, under the same
//! rules.

use std::path::PathBuf;

use babelfish::annotate::Annotator;
use babelfish::cache::annotator::AnnotatorCache;
use babelfish::cache::CacheUse;
use babelfish::{Glossary, GlossarySource};

use crate::util::TempGlossary;

fn fixture_glossary() -> (TempGlossary, Glossary) {
    let folder = TempGlossary::mini();
    let glossary = babelfish::load::load_dir(folder.path()).unwrap().glossary;
    (folder, glossary)
}

/// Texts made of the glossary's own names and abbreviations, in several cases and spacings,
/// mixed with plain words (a fixed seed, so a failure repeats).
fn texts(glossary: &Glossary) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for e in glossary.entries() {
        names.push(e.term.clone());
        names.extend(e.synonyms.iter().cloned());
        names.extend(e.abbreviations.iter().cloned());
    }
    let filler = [
        "the", "and", "was", "agreed", "at", "today's", "meeting", "\n\n",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    (0..6)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..200 {
                let word = if next(3) == 0 {
                    let name = &names[next(names.len())];
                    match next(4) {
                        0 => name.to_uppercase(),
                        1 => name.to_lowercase(),
                        2 => format!("{name}s"),
                        _ => name.clone(),
                    }
                } else {
                    filler[next(filler.len())].to_string()
                };
                text.push_str(&word);
                text.push(if next(9) == 0 { '\u{a0}' } else { ' ' });
            }
            text
        })
        .collect()
}

fn cache_in(root: &tempfile::TempDir) -> AnnotatorCache {
    AnnotatorCache::new(root.path(), &GlossarySource::Bundled)
}

fn assert_same_annotations(glossary: &Glossary, a: &Annotator, b: &Annotator) {
    for text in texts(glossary) {
        let left = a.annotate(glossary, &text, None);
        let right = b.annotate(glossary, &text, None);
        assert!(!left.annotations.is_empty(), "the text has names in it");
        assert_eq!(left, right, "{text}");
    }
}

#[test]
fn a_cached_annotator_finds_what_a_fresh_one_finds() {
    let (_folder, glossary) = fixture_glossary();
    let root = tempfile::tempdir().unwrap();
    let cache = cache_in(&root);
    let (written, first) = cache.annotator(&glossary);
    assert_eq!(first, CacheUse::Written);
    let (read, second) = cache.annotator(&glossary);
    assert_eq!(second, CacheUse::Hit);
    assert_same_annotations(&glossary, &Annotator::new(&glossary), &read);
    assert_same_annotations(&glossary, &written, &read);
}

#[test]
fn a_changed_name_is_another_key() {
    let (folder, glossary) = fixture_glossary();
    let root = tempfile::tempdir().unwrap();
    let cache = cache_in(&root);
    let _ = cache.annotator(&glossary);
    let old_file = cache.file_for(&glossary);

    let mut entries = glossary.entries().to_vec();
    entries[0].term = "Zebra crossing review".to_string();
    let changed = Glossary::new(glossary.domains().to_vec(), entries);
    let (annotator, used) = cache.annotator(&changed);
    assert_eq!(used, CacheUse::Written, "the old annotator was used");
    let found = annotator.annotate(&changed, "the zebra crossing review", None);
    assert_eq!(found.terms.len(), 1);
    assert_eq!(found.terms[0].id, changed.entries()[0].id);
    assert!(!old_file.exists(), "the older key's file is removed");
    drop(folder);
}

#[test]
fn damaged_cut_short_and_foreign_files_are_rebuilt() {
    let (_folder, glossary) = fixture_glossary();
    let root = tempfile::tempdir().unwrap();
    let cache = cache_in(&root);
    let _ = cache.annotator(&glossary);
    let file: PathBuf = cache.file_for(&glossary);
    let good = std::fs::read(&file).unwrap();
    let fresh = Annotator::new(&glossary);

    let mut damaged = good.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    let mut other_version = good.clone();
    other_version[8] = other_version[8].wrapping_add(1); // the format version after the magic
    let mut garbage_after = good.clone();
    garbage_after.extend_from_slice(b"trailing");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("damaged", damaged),
        ("cut short", good[..good.len() - 100].to_vec()),
        ("header only", good[..20].to_vec()),
        ("empty", Vec::new()),
        ("another format version", other_version),
        ("bytes after the end", garbage_after),
        ("not ours", b"{\"hello\": \"world\"}".to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&file, &bytes).unwrap();
        let (annotator, used) = cache.annotator(&glossary);
        assert_eq!(used, CacheUse::Written, "{what}: trusted");
        assert_same_annotations(&glossary, &fresh, &annotator);
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{what}: not rewritten whole"
        );
    }
}

#[test]
fn writers_racing_for_the_cache_all_get_the_annotator() {
    let (_folder, glossary) = fixture_glossary();
    let root = tempfile::tempdir().unwrap();
    let fresh = Annotator::new(&glossary);
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| cache_in(&root).annotator(&glossary)))
            .collect();
        for run in runs {
            let (annotator, used) = run.join().unwrap();
            assert_ne!(
                std::mem::discriminant(&used),
                std::mem::discriminant(&CacheUse::NotWritten(String::new())),
                "{used:?}"
            );
            assert_same_annotations(&glossary, &fresh, &annotator);
        }
    });
    assert_eq!(cache_in(&root).annotator(&glossary).1, CacheUse::Hit);
    let names: Vec<_> = std::fs::read_dir(root.path().join("annotator-bundled"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "one file, no leftovers: {names:?}");
}

#[test]
fn the_bundled_load_is_cached_whole_and_a_damaged_copy_is_reloaded() {
    let root = tempfile::tempdir().unwrap();
    let fresh = babelfish::bundled::load();
    let (first, used) = babelfish::cache::bundled(root.path());
    assert_eq!(used, CacheUse::Written);
    let (second, used) = babelfish::cache::bundled(root.path());
    assert_eq!(used, CacheUse::Hit);
    for loaded in [&first, &second] {
        assert_eq!(loaded.glossary.entries(), fresh.glossary.entries());
        assert_eq!(loaded.glossary.domains(), fresh.glossary.domains());
        assert_eq!(loaded.problems, fresh.problems);
    }
    let files: Vec<_> = std::fs::read_dir(root.path().join("bundled"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let good = std::fs::read(&files[0]).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    for damaged in [flipped, good[..good.len() - 1].to_vec(), Vec::new()] {
        std::fs::write(&files[0], &damaged).unwrap();
        let (loaded, used) = babelfish::cache::bundled(root.path());
        assert_eq!(used, CacheUse::Written, "a damaged copy was trusted");
        assert_eq!(loaded.glossary.entries(), fresh.glossary.entries());
        assert_eq!(std::fs::read(&files[0]).unwrap(), good);
    }
}
