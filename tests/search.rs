use babelfish::search::{MatchKind, SearchError};
use babelfish::{load_dir, SearchIndex, SearchRequest};
use proptest::prelude::*;
use std::sync::LazyLock;

use crate::util::fixture;

static FIXTURE: LazyLock<(babelfish::Glossary, SearchIndex)> = LazyLock::new(|| {
    let loaded = load_dir(&fixture()).unwrap();
    let index = SearchIndex::build(&loaded.glossary).unwrap();
    (loaded.glossary, index)
});

fn fixture_index() -> (&'static babelfish::Glossary, &'static SearchIndex) {
    (&FIXTURE.0, &FIXTURE.1)
}

fn ids(g: &babelfish::Glossary, index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(g, &SearchRequest::new(q))
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn every_keystroke_of_a_term_finds_it_first() {
    let (g, index) = fixture_index();
    let term = "change advisory board";
    for end in 3..=term.len() {
        let q = &term[..end];
        assert_eq!(
            ids(g, index, q).first().map(String::as_str),
            Some("itil/change-advisory-board"),
            "query {q:?}"
        );
    }
}

#[test]
fn abbreviations_match_in_any_case_but_are_never_fuzzy() {
    let (g, index) = fixture_index();
    assert_eq!(ids(g, index, "cab")[0], "itil/change-advisory-board");
    assert_eq!(ids(g, index, "SRO")[0], "msp/senior-responsible-owner");
    let hits = index.search(g, &SearchRequest::new("SRO")).unwrap();
    assert_eq!(hits[0].matched, MatchKind::Abbreviation);
}

#[test]
fn typos_are_forgiven_by_length() {
    let (g, index) = fixture_index();
    assert_eq!(ids(g, index, "incidnet")[0], "itil/incident");
    assert_eq!(
        ids(g, index, "govrenance")[0],
        "clinical/clinical-governance"
    );
}

#[test]
fn false_friends_show_every_sense_and_say_so() {
    let (g, index) = fixture_index();
    let hits = index.search(g, &SearchRequest::new("incident")).unwrap();
    let top: Vec<&str> = hits.iter().take(3).map(|h| h.id.as_str()).collect();
    assert!(
        top.contains(&"itil/incident") && top.contains(&"clinical/patient-safety-incident"),
        "{top:?}"
    );
    let itil = hits.iter().find(|h| h.id == "itil/incident").unwrap();
    assert_eq!(itil.false_friends[0].id, "clinical/patient-safety-incident");
}

#[test]
fn a_clinical_word_finds_the_it_term_mapped_to_it() {
    let (g, index) = fixture_index();
    let found = ids(g, index, "clinical governance");
    assert!(
        found.contains(&"itil/change-advisory-board".to_string()),
        "{found:?}"
    );
}

#[test]
fn hits_carry_a_highlighted_snippet() {
    let (g, index) = fixture_index();
    let hit = &index
        .search(g, &SearchRequest::new("approves changes"))
        .unwrap()[0];
    assert!(
        hit.snippet
            .iter()
            .any(|f| f.highlight && f.text == "changes"),
        "{:?}",
        hit.snippet
    );
    let joined: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(joined, g.get(&hit.id).unwrap().definition);
}

#[test]
fn odd_queries_return_results_or_nothing() {
    let (g, index) = fixture_index();
    for q in [
        "",
        "   ",
        "\"",
        "((",
        "AND",
        "OR NOT",
        "a:b",
        "*",
        "~2",
        "\"unclosed",
        "[1 TO 2]",
        "-",
        "\u{0}",
        &"x".repeat(10_000),
    ] {
        // Odd input is no error: any text gives hits or none.
        assert!(index.search(g, &SearchRequest::new(q)).is_ok(), "{q:?}");
    }
    assert!(ids(g, index, "").is_empty());
    assert!(ids(g, index, "  ").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn any_query_never_panics(q in "\\PC{0,60}") {
        let (g, index) = fixture_index();
        let hits = index.search(g, &SearchRequest::new(q)).unwrap();
        prop_assert!(hits.len() <= 20);
    }
}

/// A saved index opened for another glossary, or a folder holding no index, is an error the
/// caller sees (and rebuilds from), never an index that silently finds nothing.
#[test]
fn a_saved_index_of_another_glossary_is_an_error() {
    let (g, index) = fixture_index();
    let saved = tempfile::tempdir().unwrap();
    index.save(saved.path()).unwrap();
    let reopened = SearchIndex::load(saved.path(), g).unwrap();
    let hits = reopened.search(g, &SearchRequest::new("CAB")).unwrap();
    assert_eq!(hits[0].id, "itil/change-advisory-board");
    let other = babelfish::Glossary::new(g.domains().to_vec(), g.entries()[1..].to_vec());
    let err = SearchIndex::load(saved.path(), &other)
        .err()
        .expect("another glossary");
    assert!(matches!(err, SearchError::OtherGlossary), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let err = SearchIndex::load(empty.path(), g).err().expect("no index");
    assert!(matches!(err, SearchError::Index(_)), "{err}");
}

#[test]
fn an_incremental_update_answers_like_a_fresh_build() {
    let old = load_dir(&fixture()).unwrap().glossary;
    let mut index = SearchIndex::build(&old).unwrap();

    let mut entries = old.entries().to_vec();
    // Rename one entry, delete another, add a new one.
    let incident = entries
        .iter_mut()
        .find(|e| e.id == "itil/incident")
        .unwrap();
    incident.term = "Service interruption".into();
    entries.retain(|e| e.id != "prince2/handover");
    let mut added = entries[0].clone();
    added.id = "itil/service-desk".into();
    added.term = "Service desk".into();
    added.abbreviations = vec!["SD".into()];
    added.mappings.clear();
    added.related.clear();
    entries.push(added);
    let new = babelfish::Glossary::new(old.domains().to_vec(), entries);

    let stats = index.update(&old, &new).unwrap();
    assert_eq!(stats.changed, 3);
    let fresh = SearchIndex::build(&new).unwrap();
    for q in [
        "service interruption",
        "incident",
        "handover",
        "SD",
        "service",
        "CAB",
        "serv",
        "governance",
    ] {
        let got: Vec<String> = index
            .search(&new, &SearchRequest::new(q))
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        let want: Vec<String> = fresh
            .search(&new, &SearchRequest::new(q))
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(got, want, "query {q:?}");
    }
    assert!(ids(&new, &index, "handover")
        .iter()
        .all(|id| id != "prince2/handover"));
    assert_eq!(ids(&new, &index, "SD")[0], "itil/service-desk");
}

/// From 50,000 entries the prose retrieval takes shortcuts to stay fast (common words, the
/// definitions only, every word first); descriptions must still find what they describe.
#[test]
fn descriptions_are_found_in_a_very_large_glossary() {
    let base = load_dir(&fixture()).unwrap().glossary;
    let template = base.entries()[0].clone();
    let common = [
        "ward", "rota", "budget", "clinic", "audit", "patient", "risk", "board",
    ];
    // A made-up word per number: distinct, letters only, so each is its own stem.
    let word = |mut n: usize| {
        let mut w = String::from("z");
        loop {
            w.push(b"bcdfghjklmnpqrstvwx"[n % 19] as char);
            w.push(b"aeiou"[n / 19 % 5] as char);
            n /= 95;
            if n == 0 {
                return w;
            }
        }
    };
    let entries: Vec<babelfish::Entry> = (0..60_000)
        .map(|i| {
            let mut entry = template.clone();
            entry.id = format!("{}/item-{i}", template.domain);
            entry.term = format!("Item {}", word(i + 1_000_000));
            entry.abbreviations.clear();
            entry.synonyms.clear();
            entry.mappings.clear();
            entry.related.clear();
            // Four of the eight common words, and six of 2,000 rarer ones, scattered.
            let mut words: Vec<String> = (0..8)
                .filter(|b| (i * 37 + 11) >> (b % 6) & 1 == 1 || *b == i % 8)
                .take(4)
                .map(|b| common[b].to_string())
                .collect();
            // SplitMix64's finaliser: neighbouring entries get unrelated words.
            let scatter = |k: usize| {
                let mut z = ((i * 6 + k) as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                (z ^ (z >> 31)) as usize
            };
            words.extend((0..6).map(|k| word(scatter(k) % 2_000)));
            entry.definition = words.join(" ");
            entry.explanation = "Made up for a test.".into();
            entry.example.clear();
            entry
        })
        .collect();
    let glossary = babelfish::Glossary::new(base.domains().to_vec(), entries);
    let index = SearchIndex::build(&glossary).unwrap();
    let definition = |id: &str| glossary.get(id).unwrap().definition.clone();

    // Rarer words from one definition: that entry first.
    let target = &glossary.entries()[4321];
    let rare: Vec<&str> = target
        .definition
        .split(' ')
        .filter(|w| w.starts_with('z'))
        .collect();
    let query = rare[..3].join(" ");
    let hits = ids(&glossary, &index, &query);
    assert_eq!(hits.first(), Some(&target.id), "{query:?} → {hits:?}");

    // Only common words: every hit says all of them.
    let query = "ward rota budget clinic";
    let hits = ids(&glossary, &index, query);
    assert_eq!(hits.len(), SearchRequest::new(query).limit, "{hits:?}");
    for id in &hits {
        let text = definition(id);
        assert!(
            query.split(' ').all(|w| text.split(' ').any(|t| t == w)),
            "{id}: {text}"
        );
    }
}
