//! Snapshots of everything Babelfish renders for people and other programs: crib sheets
//! (Markdown, HTML) and exports (CSV, Markdown, HTML, SKOS Turtle), on the fixture glossary plus
//! one hostile entry (`<script>`, `|`, backticks, `'`, control and bidi characters, a newline
//! followed by `# heading`). The expected files are in `tests/snapshots/`; after a deliberate
//! change, `BLESS=1 cargo test -p babelfish --test integration snapshots` rewrites them, and the
//! diff is reviewed like code.

use std::path::Path;

use babelfish::annotate::Annotator;
use babelfish::load::{load_files, read_dir_files};
use babelfish::model::{Closeness, Mapping, Status};
use babelfish::{Entry, Glossary, Reader};

use crate::util::fixture;

/// Compares `actual` with `tests/snapshots/<name>`, or writes it there when `BLESS` is set.
fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with BLESS=1 to write it", path.display()));
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its snapshot from line {}:\n  expected: {:?}\n  actual:   {:?}\n(BLESS=1 rewrites the snapshot after a deliberate change)",
            first_difference + 1,
            expected.lines().nth(first_difference),
            actual.lines().nth(first_difference),
        );
    }
}

/// An entry whose every field tries to break out of where it is shown.
fn hostile_entry() -> Entry {
    Entry {
        id: "itil/hostile-widget".into(),
        term: "<script>alert('x')</script> | `rm -rf` *board*".into(),
        domain: "itil".into(),
        abbreviations: vec!["H|W".into(), "`HW`".into(), "O'HW".into()],
        synonyms: vec!["hostile widget".into()],
        deprecated_names: Vec::new(),
        definition: "A \"widget\" & <b>bold</b> claim | cell\n# not a heading\n\n- not a list\n[link](javascript:alert(1)) \u{1b}[31mred\u{1b}[0m bell\u{7} rtl\u{202E}txet".into(),
        explanation: "It's `code`, ![img](x) and 1. not a list\r\nwith a CRLF".into(),
        example: "=HYPERLINK(\"http://x\") del\u{7f}".into(),
        mappings: vec![Mapping {
            id: "clinical/patient-safety-incident".into(),
            closeness: Closeness::Related,
            note: "a note with <tags> & 'quotes'".into(),
        }],
        related: vec!["itil/incident".into()],
        false_friends: Vec::new(),
        source: "+44 'quoted' source".into(),
        status: Status::Reviewed,
        superseded_by: None,
        reviewed_by: Some("@reviewer".into()),
        reviews: Vec::new(),
        revision: 3,
        updated_at: "2026-11-24T12:00:00Z".into(),
        updated_by: "-author".into(),
    }
}

/// The fixture glossary with the hostile entry added. Loading would refuse its control
/// characters; a renderer must still cope with whatever a `Glossary` holds.
fn hostile_glossary() -> Glossary {
    let (files, problems) = read_dir_files(&fixture()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let loaded = load_files(files);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut entries = loaded.glossary.entries().to_vec();
    entries.push(hostile_entry());
    Glossary::new(loaded.glossary.domains().to_vec(), entries)
}

/// A text naming the hostile entry and fixture terms from both sides.
const PASTED: &str = "The hostile widget went to the CAB after a patient safety incident; \
    handover at 8 and the SRO signed the change board minutes.";

#[test]
fn crib_sheets_match_their_snapshots() {
    let g = hostile_glossary();
    let found = Annotator::new(&g).annotate(&g, PASTED, Some(Reader::Clinician));
    assert!(
        found.terms.iter().any(|t| t.id == "itil/hostile-widget"),
        "{:?}",
        found.terms
    );
    for (name, reader) in [("clinician", Some(Reader::Clinician)), ("anyone", None)] {
        assert_snapshot(
            &format!("crib-{name}.md"),
            &babelfish::render::crib_sheet_markdown(&g, &found, reader),
        );
        assert_snapshot(
            &format!("crib-{name}.html"),
            &babelfish::render::crib_sheet_html(&g, &found, reader),
        );
    }
}

#[test]
fn exports_match_their_snapshots() {
    let g = hostile_glossary();
    assert_snapshot("export.csv", &babelfish::exchange::export_csv(&g).unwrap());
    assert_snapshot("export.md", &babelfish::render::export_markdown(&g));
    assert_snapshot("export.html", &babelfish::render::export_html(&g));
    assert_snapshot("export.ttl", &babelfish::render::export_skos(&g));
}

/// The snapshots themselves hold no raw markup or control character from the hostile entry:
/// a blessed snapshot cannot quietly accept an escaping bug.
#[test]
fn snapshots_hold_the_hostile_text_only_escaped() {
    let g = hostile_glossary();
    let found = Annotator::new(&g).annotate(&g, PASTED, None);
    let html = [
        babelfish::render::crib_sheet_html(&g, &found, None),
        babelfish::render::export_html(&g),
    ];
    for page in &html {
        assert!(
            !page.contains("<script>") && !page.contains("<b>"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    }
    let markdown = [
        babelfish::render::crib_sheet_markdown(&g, &found, None),
        babelfish::render::export_markdown(&g),
    ];
    for page in &markdown {
        assert!(page.contains("\\<script\\>") && page.contains("\\`rm -rf\\`"));
        assert!(!page.contains("\n# not a heading") && !page.contains("\n- not a list"));
        assert!(!page.contains("](javascript:") || page.contains("\\](javascript:"));
    }
    for page in &markdown {
        assert!(
            !page.contains('\u{1b}') && !page.contains('\u{7}'),
            "{page:?}"
        );
    }
    let turtle = babelfish::render::export_skos(&g);
    assert!(!turtle.contains('\u{1b}') && !turtle.contains('\u{7f}'));
    assert!(turtle.contains("\\u001B[31mred"));
}
