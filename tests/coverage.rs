//! Coverage of published term lists: for every term of a list (`tests/coverage/*.tsv`, see its
//! README), one of the entries it should find is in the top 5 of a search of the bundled
//! glossary. Prints hit@5 per list, names every miss, and holds each list to its target
//! (`cargo test --test integration coverage -- --nocapture` shows the figures).

use std::path::Path;

use babelfish::{SearchIndex, SearchRequest};

/// The share of each list that must be found, by file name (the content issues' targets).
fn target(list: &str) -> f64 {
    match list {
        "hospital-abbreviations.tsv" | "hospital-operations.tsv" => 0.85,
        "nhs-organisation.tsv" | "health-informatics.tsv" => 0.80,
        _ => 0.90,
    }
}

#[test]
fn every_published_term_list_is_found_in_the_top_five() {
    let loaded = babelfish::bundled::load();
    let index = SearchIndex::build(&loaded.glossary).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/coverage");
    let mut lists: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    lists.sort();
    assert!(
        lists.len() >= 8,
        "expected the eight term lists, found {lists:?}"
    );
    let mut below = Vec::new();
    for list in lists {
        let name = list.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&list).unwrap();
        let (mut rows, mut found) = (0, 0);
        let mut misses = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (query, expected) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("{name}:{}: expected query<TAB>ids", n + 1));
            let expected: Vec<&str> = expected.split('|').map(str::trim).collect();
            for id in &expected {
                assert!(
                    loaded.glossary.get(id).is_some(),
                    "{name}:{}: {id} is not an entry",
                    n + 1
                );
            }
            let mut request = SearchRequest::new(query.to_string());
            request.limit = 5;
            let hits = index.search(&loaded.glossary, &request).unwrap();
            rows += 1;
            if hits.iter().any(|h| expected.contains(&h.id.as_str())) {
                found += 1;
            } else {
                misses.push(format!(
                    "  miss: {query:?} → wanted {}",
                    expected.join(" | ")
                ));
            }
        }
        let share = found as f64 / rows.max(1) as f64;
        println!(
            "{name}: {found}/{rows} = {:.1} % in the top 5 (target {:.0} %)",
            share * 100.0,
            target(&name) * 100.0
        );
        for miss in &misses {
            println!("{miss}");
        }
        if share < target(&name) {
            below.push(format!("{name} {:.1} %", share * 100.0));
        }
    }
    assert!(below.is_empty(), "below target: {}", below.join(", "));
}
