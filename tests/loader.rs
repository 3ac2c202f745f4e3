use babelfish::load::load_dir;
use babelfish::validate::Severity;

use crate::util::TempGlossary;

/// A valid entry to start broken variants from.
fn valid(id: &str) -> serde_json::Value {
    let (domain, _) = id.split_once('/').unwrap();
    serde_json::json!({
        "id": id,
        "term": "Stage plan",
        "domain": domain,
        "abbreviations": [],
        "synonyms": [],
        "definition": "A plan for one management stage.",
        "explanation": "Like a care plan for the next few days.",
        "example": "The stage plan was approved.",
        "mappings": [],
        "related": [],
        "false_friends": [],
        "source": "test",
        "status": "draft",
        "revision": 1,
        "updated_at": "2026-11-24T12:00:00Z",
        "updated_by": "Tester"
    })
}

fn with(id: &str, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v = valid(id);
    change(&mut v);
    let mut text = serde_json::to_string_pretty(&v).unwrap();
    text.push('\n');
    text.into_bytes()
}

struct Case {
    name: &'static str,
    path: &'static str,
    bytes: Vec<u8>,
    /// Text the problem's message must contain.
    message: &'static str,
    line: usize,
    /// Whether the entry must be skipped (`false`: it loads, minus the bad link).
    skipped: bool,
}

// Long: a table of cases, one literal per broken-file kind.
fn cases() -> Vec<Case> {
    let id = "prince2/stage-plan";
    let path = "prince2/stage-plan.json";
    let full = with(id, |_| {});
    vec![
        Case {
            name: "malformed JSON (truncated)",
            path,
            bytes: full[..full.len() / 2].to_vec(),
            message: "malformed JSON",
            line: 0,
            skipped: true,
        },
        Case {
            name: "missing required field",
            path,
            bytes: with(id, |v| {
                v.as_object_mut().unwrap().remove("term");
            }),
            message: "missing required field `term`",
            line: 0,
            skipped: true,
        },
        Case {
            name: "empty required field",
            path,
            bytes: with(id, |v| v["definition"] = "  ".into()),
            message: "required field `definition` is empty",
            line: 7,
            skipped: true,
        },
        Case {
            name: "wrong type",
            path,
            bytes: with(id, |v| v["synonyms"] = "one, two".into()),
            message: "field `synonyms`: wrong type",
            line: 6,
            skipped: true,
        },
        Case {
            name: "unknown domain",
            path: "finance/stage-plan.json",
            bytes: with("finance/stage-plan", |_| {}),
            message: "unknown domain \"finance\"",
            line: 4,
            skipped: true,
        },
        Case {
            name: "id does not match path",
            path,
            bytes: with("prince2/other-plan", |_| {}),
            message: "does not match the file's path",
            line: 2,
            skipped: true,
        },
        Case {
            name: "id escapes the folder",
            path,
            bytes: with(id, |v| v["id"] = "prince2/../../etc/passwd".into()),
            message: "could point outside the glossary folder",
            line: 2,
            skipped: true,
        },
        Case {
            name: "absolute id",
            path,
            bytes: with(id, |v| v["id"] = "/etc/passwd".into()),
            message: "could point outside the glossary folder",
            line: 2,
            skipped: true,
        },
        Case {
            name: "duplicate id (case differs only)",
            path: "itil/Change-Advisory-Board.json",
            bytes: with("itil/Change-Advisory-Board", |_| {}),
            message: "not a valid slug",
            line: 1,
            skipped: true,
        },
        Case {
            name: "mapping to a missing entry",
            path,
            bytes: with(
                id,
                |v| v["mappings"] = serde_json::json!([{"id": "clinical/nowhere", "closeness": "close", "note": "x"}]),
            ),
            message: "mapping to \"clinical/nowhere\", which does not exist",
            line: 12,
            skipped: false,
        },
        Case {
            name: "related link to a missing entry",
            path,
            bytes: with(id, |v| {
                v["related"] = serde_json::json!(["prince2/nowhere"])
            }),
            message: "`related` links to \"prince2/nowhere\", which does not exist",
            line: 12,
            skipped: false,
        },
        Case {
            name: "mapping inside one domain",
            path: "itil/stage-plan.json",
            bytes: with(
                "itil/stage-plan",
                |v| {
                    v["mappings"] = serde_json::json!([{"id": "itil/incident", "closeness": "close", "note": "x"}])
                },
            ),
            message: "stays inside the itil domain",
            line: 12,
            skipped: false,
        },
        Case {
            name: "unknown closeness",
            path,
            bytes: with(
                id,
                |v| v["mappings"] = serde_json::json!([{"id": "clinical/handover", "closeness": "similar", "note": "x"}]),
            ),
            message: "field `mappings[0].closeness`: unknown variant `similar`",
            line: 13,
            skipped: true,
        },
        Case {
            name: "same label twice within a domain",
            path: "itil/cab-2.json",
            bytes: with("itil/cab-2", |v| {
                v["term"] = "Change advisory board".into();
            }),
            message: "names more than one entry in the itil domain",
            line: 3,
            skipped: false,
        },
        Case {
            name: "invalid UTF-8",
            path,
            bytes: {
                let mut b = with(id, |_| {});
                let at = b.windows(5).position(|w| w == b"Stage").unwrap();
                b[at] = 0xFF;
                b
            },
            message: "invalid UTF-8",
            line: 3,
            skipped: true,
        },
        Case {
            name: "control character",
            path,
            bytes: with(id, |v| v["term"] = "Stage\u{7}plan".into()),
            message: "contains a control character (U+0007)",
            line: 3,
            skipped: true,
        },
        Case {
            name: "unknown field",
            path,
            bytes: with(id, |v| v["colour"] = "blue".into()),
            message: "unknown field `colour`",
            line: 0,
            skipped: true,
        },
        Case {
            name: "bad date",
            path,
            bytes: with(id, |v| v["updated_at"] = "yesterday".into()),
            message: "not an RFC 3339 date-time",
            line: 0,
            skipped: true,
        },
        Case {
            name: "empty file",
            path,
            bytes: Vec::new(),
            message: "the file is empty",
            line: 1,
            skipped: true,
        },
    ]
}

#[test]
fn every_broken_file_is_reported_skipped_and_left_untouched() {
    for case in cases() {
        let glossary = TempGlossary::mini();
        let before = babelfish::load_dir(glossary.path()).unwrap();
        assert!(
            before.problems.is_empty(),
            "fixture must be clean: {:?}",
            before.problems
        );
        let file = glossary.write(case.path, &case.bytes);

        let loaded = load_dir(glossary.path()).unwrap();

        let problem = loaded
            .problems
            .iter()
            .find(|p| p.path == case.path && p.severity == Severity::Error)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no error for {}: {:?}",
                    case.name, case.path, loaded.problems
                )
            });
        assert!(
            problem.message.contains(case.message),
            "{}: message {:?} should contain {:?}",
            case.name,
            problem.message,
            case.message
        );
        if case.line > 0 {
            assert_eq!(problem.line, case.line, "{}: line of {problem}", case.name);
        }
        assert!(problem.column >= 1);
        // Nothing is rewritten.
        assert_eq!(
            std::fs::read(&file).unwrap(),
            case.bytes,
            "{}: file changed",
            case.name
        );
        // The rest of the folder still loads.
        for id in before.glossary.entries().iter().map(|e| &e.id) {
            assert!(
                loaded.glossary.get(id).is_some(),
                "{}: {id} did not load",
                case.name
            );
        }
        let loaded_ids: Vec<&str> = loaded
            .glossary
            .entries()
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        let expected_id = case.path.trim_end_matches(".json");
        assert_eq!(
            loaded_ids.contains(&expected_id),
            !case.skipped,
            "{}: skipped should be {}",
            case.name,
            case.skipped
        );
    }
}

#[test]
fn a_dropped_link_leaves_the_rest_of_the_entry() {
    let glossary = TempGlossary::mini();
    glossary.write(
        "prince2/stage-plan.json",
        with("prince2/stage-plan", |v| {
            v["mappings"] = serde_json::json!([
                {"id": "clinical/nowhere", "closeness": "close", "note": "x"},
                {"id": "clinical/handover", "closeness": "related", "note": "y"}
            ])
        }),
    );
    let loaded = load_dir(glossary.path()).unwrap();
    let entry = loaded.glossary.get("prince2/stage-plan").unwrap();
    assert_eq!(entry.mappings.len(), 1);
    assert_eq!(entry.mappings[0].id, "clinical/handover");
}

#[test]
fn a_bom_is_a_warning_crlf_is_accepted_and_the_entry_loads_untouched() {
    let glossary = TempGlossary::mini();
    let text = String::from_utf8(with("prince2/stage-plan", |_| {})).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.replace('\n', "\r\n").into_bytes());
    let file = glossary.write("prince2/stage-plan.json", &bytes);
    let loaded = load_dir(glossary.path()).unwrap();
    assert!(loaded.glossary.get("prince2/stage-plan").is_some());
    let mine: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.path == "prince2/stage-plan.json")
        .collect();
    // Only the byte-order mark: CRLF is how git on Windows checks files out.
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].severity, Severity::Warning);
    assert!(mine[0].message.contains("byte-order mark"));
    assert_eq!(std::fs::read(file).unwrap(), bytes);
}

#[test]
fn a_file_over_the_size_limit_is_reported_and_skipped_while_the_rest_loads() {
    let glossary = TempGlossary::mini();
    let big = "word ".repeat(2_000_000); // 10 MB
    glossary.write(
        "prince2/stage-plan.json",
        with("prince2/stage-plan", |v| v["example"] = big.into()),
    );
    let loaded = load_dir(glossary.path()).unwrap();
    assert!(loaded.glossary.get("prince2/stage-plan").is_none());
    assert!(loaded.glossary.get("itil/change-advisory-board").is_some());
    let problem = loaded
        .problems
        .iter()
        .find(|p| p.path == "prince2/stage-plan.json")
        .expect("the big file is reported");
    assert_eq!(problem.severity, Severity::Error);
    assert!(
        problem
            .message
            .contains("more than the limit for one entry file (1048576 bytes)"),
        "{problem}"
    );
}

#[test]
fn an_entry_just_under_the_size_limit_loads() {
    let glossary = TempGlossary::mini();
    let big = "word ".repeat(150_000); // 750 kB
    glossary.write(
        "prince2/stage-plan.json",
        with("prince2/stage-plan", |v| v["example"] = big.into()),
    );
    let loaded = load_dir(glossary.path()).unwrap();
    assert!(loaded.glossary.get("prince2/stage-plan").is_some());
}

#[test]
fn mappings_are_navigable_from_both_ends_with_closeness_inverted() {
    let loaded = load_dir(&crate::util::fixture()).unwrap();
    let g = &loaded.glossary;
    let from_cab = g.counterparts("itil/change-advisory-board").next().unwrap();
    assert_eq!(from_cab.id(), "clinical/clinical-governance");
    assert_eq!(from_cab.closeness(), babelfish::Closeness::Broader);
    let cab = g
        .counterparts("clinical/clinical-governance")
        .find(|c| c.id() == "itil/change-advisory-board")
        .unwrap();
    assert_eq!(cab.closeness(), babelfish::Closeness::Narrower);
    assert_eq!(cab.stored_on(), "itil/change-advisory-board");
    // The note is the one stored on the mapping, read from either end.
    assert!(!cab.note().is_empty());
    assert_eq!(cab.note(), from_cab.note());
}

#[test]
fn false_friends_come_from_shared_labels_and_explicit_links_both_ways() {
    let loaded = load_dir(&crate::util::fixture()).unwrap();
    let g = &loaded.glossary;
    // Explicit, stored on one side only.
    let false_friends = |id| {
        g.false_friends(id)
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        false_friends("clinical/patient-safety-incident"),
        ["itil/incident"]
    );
    assert_eq!(
        false_friends("itil/incident"),
        ["clinical/patient-safety-incident"]
    );
    // Same term in two domains, mapped only as "related": still false friends.
    assert_eq!(false_friends("clinical/handover"), ["prince2/handover"]);
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let err = load_dir(std::path::Path::new("/nonexistent/glossary")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/glossary"), "{err}");
}

mod fuzz {
    use babelfish::load::{load_files, SourceFile};
    use proptest::prelude::*;

    fn domains() -> SourceFile {
        SourceFile {
            path: "domains.json".into(),
            bytes: std::fs::read(crate::util::fixture().join("domains.json")).unwrap(),
        }
    }

    fn valid_entry() -> Vec<u8> {
        std::fs::read(crate::util::fixture().join("itil/change-advisory-board.json")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Arbitrary bytes never panic the loader; they are reported and skipped.
        #[test]
        fn arbitrary_bytes_are_reported_not_panicked_on(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let loaded = load_files(vec![domains(), SourceFile { path: "itil/x.json".into(), bytes }]);
            prop_assert!(loaded.glossary.len() <= 1);
        }

        /// A valid entry with bytes flipped, cut or inserted: never a panic, and either it
        /// loads or a problem names the file.
        #[test]
        fn mutated_entries_are_handled(cut in 0usize..2000, at in 0usize..2000, byte in any::<u8>()) {
            let mut bytes = valid_entry();
            let at = at % bytes.len();
            bytes[at] = byte;
            bytes.truncate(cut.max(1).min(bytes.len()));
            let loaded = load_files(vec![domains(), SourceFile { path: "itil/change-advisory-board.json".into(), bytes }]);
            let loaded_it = loaded.glossary.len() == 1;
            let reported = loaded.problems.iter().any(|p| p.path == "itil/change-advisory-board.json");
            prop_assert!(loaded_it || reported);
        }
    }
}

/// One rule, one issue: the loader (a file), the store (a form) and the importer (a CSV row)
/// report the same fault with the same field, severity and words, because all three go
/// through `babelfish::validate`.
#[test]
fn the_loader_the_store_and_the_importer_report_one_fault_as_one_issue() {
    let glossary = TempGlossary::mini();
    glossary.write(
        "prince2/stage-plan.json",
        with("prince2/stage-plan", |v| {
            v["definition"] = "  ".into();
            v["related"] = serde_json::json!(["prince2/nowhere"]);
        }),
    );
    let loaded = load_dir(glossary.path()).unwrap();
    let from_file: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.path == "prince2/stage-plan.json")
        .collect();
    let empty = from_file
        .iter()
        .find(|p| p.field == "definition")
        .expect("the file's issue names its field");
    assert_eq!(empty.severity, Severity::Error);
    assert!(empty.line > 1, "placed at the field: {empty}");

    let mut entry: babelfish::Entry = serde_json::from_slice(&with("prince2/stage-plan", |v| {
        v["definition"] = "  ".into()
    }))
    .unwrap();
    entry.related = vec!["prince2/nowhere".into()];
    let from_form = babelfish::validate::validate_entry(&loaded.glossary, &entry);
    let same = from_form
        .iter()
        .find(|p| p.field == "definition")
        .expect("the form's issue");
    assert_eq!(same.severity, Severity::Error);
    assert_eq!(same.message, "required field `definition` is empty");
    assert!(empty.message.starts_with(&same.message), "{empty} / {same}");
    // A form's issue is not in a file.
    assert!(same.path.is_empty() && same.line == 0);
    let link = from_form
        .iter()
        .find(|p| p.field == "related")
        .expect("the link check's issue");
    assert!(link
        .message
        .contains("\"prince2/nowhere\", which does not exist"));

    let csv = "term,domain,definition\nStage plan,prince2,\n";
    let (rows, _) = babelfish::exchange::check_csv(
        &loaded.glossary,
        csv,
        &Default::default(),
        "Tester",
        "2026-11-24T12:00:00Z",
    )
    .unwrap();
    let from_row = rows[0]
        .problems
        .iter()
        .find(|p| p.field == "definition")
        .expect("the row's issue");
    assert_eq!(from_row, same);
}

/// The required fields come from one list in the core, which the shell and the UI can ask for.
#[test]
fn required_fields_are_one_list_the_front_ends_can_ask_for() {
    let names: Vec<&str> = babelfish::validate::REQUIRED_FIELDS
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "term",
            "domain",
            "definition",
            "updated_at",
            "updated_by"
        ]
    );
    assert_eq!(
        serde_json::to_value(babelfish::validate::REQUIRED_FIELDS[1]).unwrap(),
        serde_json::json!({"name": "term", "filled_in": false})
    );
    // Each is checked: an entry without any of them is refused by the same words.
    let glossary = babelfish::load_dir(&crate::util::fixture())
        .unwrap()
        .glossary;
    let mut entry = glossary.get("itil/incident").unwrap().clone();
    entry.term.clear();
    entry.updated_by.clear();
    let issues = babelfish::validate::validate_entry(&glossary, &entry);
    for field in ["term", "updated_by"] {
        assert!(
            issues
                .iter()
                .any(|i| i.field == field
                    && i.message == format!("required field `{field}` is empty")),
            "{issues:?}"
        );
    }
}
