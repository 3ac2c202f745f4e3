//! The relevance suite: tables of queries with the entries they must find and the rank they
//! must reach, run against the bundled glossary. Prints hit@k per kind.
//!
//! Format (tab-separated, `#` comments): `kind  query  expected  k`. `expected` lists names
//! separated by `|` (any of them counts); a hit counts when its term or a synonym equals a
//! name, ignoring case, punctuation and any "(...)" part. For the `senses` kind, `expected`
//! lists domains: groups separated by `&` must all appear in the top k, `|` within a group
//! means any of.

use std::collections::BTreeMap;

use babelfish::text::label_key;
use babelfish::{Hit, SearchIndex, SearchRequest};

struct Row {
    file: &'static str,
    line: usize,
    kind: String,
    query: String,
    expected: String,
    k: usize,
}

fn rows(file: &'static str, text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                cols.len(),
                4,
                "{file}:{}: expected 4 tab-separated columns",
                i + 1
            );
            Row {
                file,
                line: i + 1,
                kind: cols[0].trim().into(),
                query: cols[1].into(),
                expected: cols[2].trim().into(),
                k: cols[3].trim().parse().expect("k is a number"),
            }
        })
        .collect()
}

fn names_match(hit: &Hit, expected: &str) -> bool {
    let wanted: Vec<String> = expected.split('|').map(label_key).collect();
    std::iter::once(&hit.term)
        .chain(&hit.synonyms)
        .any(|name| wanted.contains(&label_key(name)))
}

fn passes(row: &Row, hits: &[Hit]) -> bool {
    let top = &hits[..hits.len().min(row.k)];
    if row.kind == "senses" {
        row.expected.split('&').all(|group| {
            let domains: Vec<&str> = group.split('|').map(str::trim).collect();
            top.iter().any(|h| domains.contains(&h.domain.as_str()))
        })
    } else {
        top.iter().any(|h| names_match(h, &row.expected))
    }
}

#[test]
fn relevance_suite() {
    let loaded = babelfish::bundled::load();
    let index = SearchIndex::build(&loaded.glossary).unwrap();
    let mut all = rows("dev-queries.tsv", include_str!("relevance/dev-queries.tsv"));
    all.extend(rows("queries.tsv", include_str!("relevance/queries.tsv")));

    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in &all {
        let mut request = SearchRequest::new(row.query.clone());
        request.limit = row.k.max(10);
        let hits = index.search(&loaded.glossary, &request).unwrap();
        let ok = passes(row, &hits);
        let tally = per_kind.entry(row.kind.clone()).or_default();
        tally.1 += 1;
        if ok {
            tally.0 += 1;
        } else {
            let got: Vec<String> = hits
                .iter()
                .take(row.k)
                .map(|h| format!("{} ({})", h.term, h.domain))
                .collect();
            failures.push(format!(
                "{}:{}: [{}] {:?} should find {:?} within {}; got {:?}",
                row.file, row.line, row.kind, row.query, row.expected, row.k, got
            ));
        }
    }
    println!("\nkind        hit@k");
    for (kind, (ok, n)) in &per_kind {
        println!(
            "{kind:<11} {ok}/{n} ({:.0}%)",
            100.0 * *ok as f64 / *n as f64
        );
    }
    let (ok, n) = per_kind
        .values()
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{:<11} {ok}/{n} ({:.0}%)",
        "all",
        100.0 * ok as f64 / n as f64
    );
    assert!(
        failures.is_empty(),
        "{} of {n} queries missed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
