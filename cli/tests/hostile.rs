//! Hostile files and text: what a colleague's odd file, text pasted from Windows or a PDF, or a
//! deliberately crafted entry can do to exports, the terminal, the loader and annotation. Each
//! test drives the real `babelfish` binary (or the core) on real files and names the promise it
//! holds.

use std::path::Path;

use crate::util::{babelfish, stderr, stdout, TempGlossary};

/// The mini glossary's `itil/incident` entry as JSON, moved to `id` (its term made unique,
/// its links removed), with `edit` applied.
fn entry_json(id: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let template =
        std::fs::read_to_string(crate::util::fixture().join("itil/incident.json")).unwrap();
    let mut entry: serde_json::Value = serde_json::from_str(&template).unwrap();
    let (domain, slug) = id.split_once('/').unwrap();
    entry["id"] = id.into();
    entry["domain"] = domain.into();
    entry["term"] = format!("Term {slug}").into();
    entry["false_friends"] = serde_json::json!([]);
    edit(&mut entry);
    // Written as Babelfish writes it (key order, indentation), so files compare byte for byte.
    let entry: babelfish::Entry = serde_json::from_value(entry).unwrap();
    entry.to_file_json()
}

/// [`entry_json`] written into the glossary at its id.
fn write_entry(copy: &TempGlossary, id: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    copy.write(&format!("{id}.json"), entry_json(id, edit));
}

fn run(args: &[&str], glossary: &Path) -> std::process::Output {
    babelfish()
        .args(args)
        .arg("--glossary")
        .arg(glossary)
        .output()
        .unwrap()
}

// ---- 10. CSV export: formula injection --------------------------------------------------------

#[test]
fn csv_export_neutralises_formulas_and_import_restores_them_exactly() {
    let copy = TempGlossary::mini();
    let hostile = [
        (
            "itil/formula-equals",
            "=HYPERLINK(\"http://evil.example\",\"click\")",
        ),
        ("itil/formula-plus", "+1+cmd|' /C calc'!A0"),
        ("itil/formula-minus", "-2+3"),
        ("itil/formula-at", "@SUM(A1:A9)"),
        ("itil/quote-first", "'quoted already"),
        ("itil/two-quotes", "''twice"),
    ];
    for (id, value) in hostile {
        write_entry(&copy, id, |e| {
            e["term"] = value.into();
            e["definition"] = value.into();
            e["synonyms"] = serde_json::json!([format!("{value} synonym")]);
            e["source"] = value.into();
            e["reviewed_by"] = value.into();
        });
    }
    let out = run(&["export", "--format", "csv"], copy.path());
    assert!(out.status.success(), "{}", stderr(&out));

    // Every cell that would start a formula in a spreadsheet starts with a single quote.
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let mut guarded = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded formula cell: {cell:?}"
            );
            guarded += usize::from(cell.starts_with('\''));
        }
    }
    assert_eq!(guarded, hostile.len() * 5, "{}", stdout(&out));

    // Import into an empty folder gives back byte-identical files.
    let (target, apply) = crate::util::import_into_empty(copy.path(), &out.stdout);
    assert!(
        apply.status.success(),
        "{}{}",
        stdout(&apply),
        stderr(&apply)
    );
    for (id, value) in hostile {
        let a = std::fs::read_to_string(copy.path().join(format!("{id}.json"))).unwrap();
        let b = std::fs::read_to_string(target.path().join(format!("{id}.json"))).unwrap();
        assert_eq!(a, b, "{id}");
        assert!(b.contains(&serde_json::to_string(value).unwrap()), "{b}");
    }
}

// ---- 11. Markdown: everything escaped ---------------------------------------------------------

/// Markdown that shows glossary text as text: no raw HTML, no link or image, no line of its own
/// started by glossary text.
fn assert_inert_markdown(md: &str) {
    let chars: Vec<char> = md.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '<' | '[' | ']' | '`') {
            assert!(
                i > 0 && chars[i - 1] == '\\',
                "unescaped {c:?} at char {i} in:\n{md}"
            );
        }
    }
    for line in md.lines() {
        for injected in ["Injected", "injected", "not a"] {
            assert!(
                !(line.contains(injected) && line.starts_with(['#', '-', '*', '>', '+'])),
                "glossary text started a line of its own: {line:?}\n{md}"
            );
        }
    }
}

fn hostile_markdown_glossary() -> TempGlossary {
    let copy = TempGlossary::mini();
    let domains = std::fs::read_to_string(copy.path().join("domains.json"))
        .unwrap()
        .replace(
            "\"name\": \"ITIL 4\"",
            "\"name\": \"ITIL 4 <img src=x onerror=alert(0)> [v](javascript:alert(0))\"",
        );
    copy.write("domains.json", domains);
    write_entry(&copy, "itil/evil-board", |e| {
        e["term"] = "Evil board <script>alert(1)</script>".into();
        e["synonyms"] = serde_json::json!(["evil board"]);
        e["abbreviations"] =
            serde_json::json!(["<img src=x onerror=alert(2)>", "[EB](javascript:alert(3))"]);
        e["definition"] = "Looks harmless.\n# Injected heading\n\n<img src=x onerror=alert(4)> and [click](javascript:alert(5)) `code`\n- injected list\n\n    injected code block".into();
        e["explanation"] = "* not a list\n> not a quote\n\n1. not a numbered list".into();
    });
    copy
}

#[test]
fn markdown_export_escapes_every_field_so_hostile_text_stays_text() {
    let copy = hostile_markdown_glossary();
    let out = run(&["export", "--format", "md"], copy.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("Evil board"), "{md}");
    assert!(md.contains("Looks harmless."), "{md}");
    assert_inert_markdown(&md);
}

#[test]
fn markdown_crib_sheet_escapes_abbreviations_and_vocabulary_names_too() {
    let scratch = tempfile::tempdir().unwrap();
    let copy = hostile_markdown_glossary();
    let text = scratch.path().join("minutes.txt");
    std::fs::write(&text, "The evil board met on Tuesday.").unwrap();
    let out = babelfish()
        .args([
            "translate",
            "--crib",
            "md",
            "--side",
            "clinician",
            "--glossary",
        ])
        .arg(copy.path())
        .arg(&text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("Evil board"), "{md}");
    assert!(md.contains("ITIL 4"), "{md}");
    assert_inert_markdown(&md);
}

// ---- 12. SKOS: ids are slugs wherever they come from -------------------------------------------

#[test]
fn a_folder_name_that_is_not_a_slug_never_reaches_a_skos_iri() {
    let copy = TempGlossary::mini();
    std::fs::remove_file(copy.path().join("domains.json")).unwrap();
    let evil = "evil> a skos:Concept . <urn:x:injected";
    write_entry(&copy, &format!("{evil}/board"), |_| {});
    let out = run(&["export", "--format", "skos"], copy.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let ttl = stdout(&out);
    assert!(!ttl.contains("injected"), "{ttl}");
    // Every IRI holds only slug characters.
    for iri in ttl
        .split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap())
    {
        assert!(
            iri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-/:._~#%".contains(&b)),
            "IRI {iri:?} in\n{ttl}"
        );
    }
    assert_eq!(ttl.matches("a skos:ConceptScheme").count(), 4, "{ttl}");

    // The folder is reported by name, and skipped.
    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    let report = stdout(&lint);
    assert_eq!(lint.status.code(), Some(1), "{report}");
    assert!(
        report
            .lines()
            .any(|l| l.contains("evil> a skos:Concept") && l.contains("not a valid slug")),
        "{report}"
    );
}

// ---- 13. Control characters: rejected in every field, never printed raw -----------------------

/// The bidi embeddings, overrides, isolates and marks (written out here rather than taken from
/// the crate, so the test does not trust the code it checks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// No control character (but newline, tab and CRLF) and no bidi control in the bytes.
fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let layout = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        let raw = (c.is_control() && !layout) || is_bidi_control(c);
        assert!(!raw, "{what} printed a raw U+{:04X}: {text:?}", c as u32);
    }
}

#[test]
fn control_characters_are_errors_in_mapping_notes_reviewed_by_and_vocabularies() {
    let scratch = tempfile::tempdir().unwrap();
    let copy = TempGlossary::mini();
    write_entry(&copy, "itil/escape-note", |e| {
        e["mappings"] = serde_json::json!([{
            "id": "clinical/handover", "closeness": "related", "note": "clears\u{1b}[2J the screen"
        }]);
    });
    write_entry(&copy, "itil/bell-reviewer", |e| {
        e["status"] = "reviewed".into();
        e["reviewed_by"] = "A. Analyst\u{7}".into();
    });
    write_entry(&copy, "itil/c1-definition", |e| {
        e["definition"] = "An 8-bit CSI \u{9b}31m here.".into();
    });
    let domains = std::fs::read_to_string(copy.path().join("domains.json"))
        .unwrap()
        .replace(
            "\"name\": \"MSP\"",
            "\"name\": \"MSP\\u001b]0;pwned\\u0007\"",
        )
        .replace(
            "\"description\": \"PRINCE2 7th",
            "\"description\": \"\\u007fPRINCE2 7th",
        );
    copy.write("domains.json", domains);

    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    let report = stdout(&lint);
    assert_eq!(lint.status.code(), Some(1), "{report}");
    for (file, field) in [
        ("itil/escape-note.json", "`mappings`"),
        ("itil/bell-reviewer.json", "`reviewed_by`"),
        ("itil/c1-definition.json", "`definition`"),
        ("domains.json", "`name`"),
        ("domains.json", "`description`"),
    ] {
        assert!(
            report.lines().any(|l| l.contains(file)
                && l.contains(field)
                && l.contains("control character")
                && l.contains("error")),
            "{file} {field} not reported:\n{report}"
        );
    }
    assert_no_raw_controls("lint", &lint.stdout);

    // The entries are skipped, and a save with a control character is refused.
    let show = run(&["show", "itil/escape-note"], copy.path());
    assert_eq!(show.status.code(), Some(1), "{}", stdout(&show));
    let entry = scratch.path().join("escape-note-2.json");
    let json = entry_json("itil/escape-note-two", |e| {
        e["mappings"] = serde_json::json!([{
            "id": "clinical/handover", "closeness": "related", "note": "clears\u{1b}[2J the screen"
        }]);
    });
    std::fs::write(&entry, json).unwrap();
    let put = babelfish()
        .args(["put", "--glossary"])
        .arg(copy.path())
        .arg(&entry)
        .output()
        .unwrap();
    assert_eq!(put.status.code(), Some(1), "{}", stderr(&put));
    assert!(
        stderr(&put).contains("control character"),
        "{}",
        stderr(&put)
    );
    assert!(!copy.path().join("itil/escape-note-two.json").exists());
    assert_no_raw_controls("put", &put.stderr);
}

#[test]
fn show_search_lint_and_translate_never_print_raw_control_characters() {
    let scratch = tempfile::tempdir().unwrap();
    let copy = TempGlossary::mini();
    // A file name with an escape sequence and a newline (a fake second lint line).
    let name = "itil/\u{1b}[31mred\nfake.json";
    copy.write(name, "{ not json");
    // A term with a right-to-left override loads (with a warning) and is shown escaped.
    write_entry(&copy, "itil/reversed", |e| {
        e["term"] = "Reversed \u{202e}draob\u{202c} term".into();
    });

    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    assert_no_raw_controls("lint", &lint.stdout);
    assert_no_raw_controls("lint", &lint.stderr);
    let report = stdout(&lint);
    assert!(
        report.contains("\\u001B[31mred\\u000Afake.json"),
        "{report}"
    );
    assert!(
        report.lines().all(|l| !l.starts_with("fake.json")),
        "a file name started a line: {report}"
    );

    let show = run(&["show", "itil/reversed"], copy.path());
    assert!(show.status.success(), "{}", stderr(&show));
    assert_no_raw_controls("show", &show.stdout);
    assert!(stdout(&show).contains("Reversed \\u202Edraob\\u202C term"));

    // JSON stays valid JSON with the same meaning.
    let json = run(&["show", "--json", "itil/reversed"], copy.path());
    assert_no_raw_controls("show --json", &json.stdout);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["term"], "Reversed \u{202e}draob\u{202c} term");

    let missing = run(&["show", "itil/\u{1b}]0;pwned\u{7}"], copy.path());
    assert_eq!(missing.status.code(), Some(1));
    assert_no_raw_controls("show", &missing.stderr);
    assert!(stderr(&missing).contains("\\u001B]0;pwned\\u0007"));

    let search = run(&["search", "\u{1b}[2J", "\u{9b}1m"], copy.path());
    assert!(search.status.success(), "{}", stderr(&search));
    assert_no_raw_controls("search", &search.stdout);
    assert_no_raw_controls("search", &search.stderr);

    let text = scratch.path().join("pasted.txt");
    std::fs::write(&text, "The CAB\u{1b}[8m met\u{7} about the incident.\r\n").unwrap();
    let translate = babelfish()
        .args(["translate", "--glossary"])
        .arg(copy.path())
        .arg(&text)
        .output()
        .unwrap();
    assert!(translate.status.success(), "{}", stderr(&translate));
    assert_no_raw_controls("translate", &translate.stdout);
    assert!(stdout(&translate).contains("[CAB][1]\\u001B[8m met\\u0007"));
}

// ---- 14. Windows-reserved names ----------------------------------------------------------------

#[test]
fn windows_reserved_names_are_refused_as_slugs_and_domain_ids() {
    let scratch = tempfile::tempdir().unwrap();
    let copy = TempGlossary::mini();
    for id in ["itil/con", "itil/nul", "itil/com1", "itil/lpt9"] {
        write_entry(&copy, id, |_| {});
    }
    let domains = std::fs::read_to_string(copy.path().join("domains.json"))
        .unwrap()
        .replacen(
            "[",
            "[\n  {\"id\": \"aux\", \"name\": \"Aux\", \"description\": \"Devices.\", \"side\": \"informatics\"},",
            1,
        );
    copy.write("domains.json", domains);
    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    let report = stdout(&lint);
    assert_eq!(lint.status.code(), Some(1), "{report}");
    for (file, name) in [
        ("itil/con.json", "\"con\""),
        ("itil/nul.json", "\"nul\""),
        ("itil/com1.json", "\"com1\""),
        ("itil/lpt9.json", "\"lpt9\""),
        ("domains.json", "\"aux\""),
    ] {
        assert!(
            report
                .lines()
                .any(|l| l.contains(file) && l.contains(name) && l.contains("Windows reserves")),
            "{file} not refused:\n{report}"
        );
    }
    let show = run(&["show", "itil/con"], copy.path());
    assert_eq!(show.status.code(), Some(1));

    // Without domains.json a folder named after a device is refused too.
    let bare = TempGlossary::mini();
    std::fs::remove_file(bare.path().join("domains.json")).unwrap();
    write_entry(&bare, "prn/board", |_| {});
    let lint = babelfish().arg("lint").arg(bare.path()).output().unwrap();
    assert!(
        stdout(&lint)
            .lines()
            .any(|l| l.contains("prn/") && l.contains("Windows reserves")),
        "{}",
        stdout(&lint)
    );

    // Saving one is refused with the reason, and nothing is written.
    let entry = scratch.path().join("prn.json");
    std::fs::write(&entry, entry_json("itil/prn", |_| {})).unwrap();
    let put = babelfish()
        .args(["put", "--glossary"])
        .arg(copy.path())
        .arg(&entry)
        .output()
        .unwrap();
    assert_eq!(put.status.code(), Some(1), "{}", stderr(&put));
    assert!(
        stderr(&put).contains("Windows reserves"),
        "{}",
        stderr(&put)
    );
    assert!(!copy.path().join("itil/prn.json").exists());
}

// ---- 15. Translate: everyday spacing and hyphens ------------------------------------------------

/// `translate --json` on a real file; the (text, term) of each annotation, after checking that
/// its offsets slice the original bytes to its text.
fn translate_file(bytes: &str) -> Vec<(String, String)> {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("pasted.txt");
    std::fs::write(&file, bytes).unwrap();
    let out = babelfish()
        .args(["translate", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let (start, end) = (
                a["start"].as_u64().unwrap() as usize,
                a["end"].as_u64().unwrap() as usize,
            );
            let text = a["text"].as_str().unwrap();
            assert_eq!(&bytes[start..end], text, "offsets point into the original");
            (text.to_string(), a["term"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn translate_matches_terms_across_crlf_double_spaces_no_break_spaces_and_soft_hyphens() {
    for (text, expected) in [
        (
            "The Change\r\nAdvisory Board met.",
            "Change\r\nAdvisory Board",
        ),
        (
            "The Change  Advisory   Board met.",
            "Change  Advisory   Board",
        ),
        (
            "The Change\u{a0}Advisory\u{202f}Board met.",
            "Change\u{a0}Advisory\u{202f}Board",
        ),
        (
            "The Change Ad\u{ad}visory Board met.",
            "Change Ad\u{ad}visory Board",
        ),
        (
            "The Change \r\n\t Advisory Board met.",
            "Change \r\n\t Advisory Board",
        ),
    ] {
        let found = translate_file(text);
        assert!(
            found.contains(&(expected.to_string(), "Change Advisory Board".to_string())),
            "{text:?}: {found:?}"
        );
    }
}

#[test]
fn translate_matches_hyphenated_terms_written_with_unicode_hyphens_and_en_dashes() {
    for (text, expected, term) in [
        (
            "A two\u{2010}week wait referral.",
            "two\u{2010}week wait",
            "Two-week wait",
        ),
        (
            "Use criteria\u{2011}led discharge.",
            "criteria\u{2011}led discharge",
            "Criteria-led discharge",
        ),
        (
            "The two\u{2013}week wait target.",
            "two\u{2013}week wait",
            "Two-week wait",
        ),
        (
            "A post\u{ad}\u{2011}take ward round.",
            "post\u{ad}\u{2011}take ward round",
            "Post-take ward round",
        ),
    ] {
        let found = translate_file(text);
        assert!(
            found.contains(&(expected.to_string(), term.to_string())),
            "{text:?}: {found:?}"
        );
    }
    // An en dash between numbers or with spaces around it is not a hyphen.
    let found = translate_file("Change – Advisory Board");
    assert!(
        !found.iter().any(|(_, t)| t == "Change Advisory Board"),
        "{found:?}"
    );
}

// ---- 16. Size limits ---------------------------------------------------------------------------

#[test]
fn translate_refuses_text_over_the_limit_naming_the_file_and_the_limit() {
    let scratch = tempfile::tempdir().unwrap();
    let big = scratch.path().join("huge-minutes.txt");
    std::fs::write(&big, "the CAB met and ".repeat(400_000)).unwrap(); // 6.1 MiB
    let out = babelfish().arg("translate").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out).len());
    let message = stderr(&out);
    assert!(
        message.contains("huge-minutes.txt")
            && message.contains("limit for text to translate is 5 MiB"),
        "{message}"
    );
    // The same on standard input (a pipe: its size is unknown until it is read).
    let mut child = babelfish()
        .arg("translate")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        // The reader may stop early: a broken pipe here is expected.
        let _ = stdin.write_all("the CAB met and ".repeat(400_000).as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("standard input is larger than 5 MiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn translate_detects_binary_files_by_a_nul_byte_anywhere() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("export.docx");
    let mut bytes = "the CAB met. ".repeat(2_000).into_bytes(); // 26 KB of text first
    bytes.extend_from_slice(b"\x00\x01binary tail");
    std::fs::write(&file, bytes).unwrap();
    let out = babelfish().arg("translate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out).len());
    assert!(
        stderr(&out).contains("export.docx") && stderr(&out).contains("binary"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_entry_file_over_the_limit_is_reported_and_skipped_and_the_rest_loads() {
    let copy = TempGlossary::mini();
    write_entry(&copy, "itil/huge", |e| {
        e["definition"] = "A very long definition. ".repeat(60_000).into(); // 1.4 MB
    });
    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    let report = stdout(&lint);
    assert_eq!(lint.status.code(), Some(1), "{report}");
    assert!(
        report.lines().any(|l| l.contains("itil/huge.json")
            && l.contains("limit for one entry file")
            && l.contains("skipped")),
        "{report}"
    );
    assert!(
        stderr(&lint).contains("7 entries loaded"),
        "{}",
        stderr(&lint)
    );

    // `put` refuses such a file too, naming it and the limit.
    let scratch = tempfile::tempdir().unwrap();
    let entry = scratch.path().join("huge-entry.json");
    std::fs::write(
        &entry,
        entry_json("itil/huge-two", |e| {
            e["definition"] = "A very long definition. ".repeat(60_000).into();
        }),
    )
    .unwrap();
    let put = babelfish()
        .args(["put", "--glossary"])
        .arg(copy.path())
        .arg(&entry)
        .output()
        .unwrap();
    assert_eq!(put.status.code(), Some(1), "{}", stderr(&put));
    assert!(
        stderr(&put).contains("huge-entry.json")
            && stderr(&put).contains("limit for one entry file is 1 MiB"),
        "{}",
        stderr(&put)
    );
}

// ---- 17. Broken pipes and error messages -------------------------------------------------------

/// Runs `args`, reads one line of its output and closes the pipe, as `| head -1` does.
fn read_one_line_then_close(args: &[&str]) -> std::process::Output {
    use std::io::BufRead;
    let mut child = babelfish()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    // The reader is gone; the rest of the output (far more than a pipe holds) has nowhere to go.
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_success() {
    // The bundled glossary as CSV is several hundred KB: far more than a pipe buffers.
    let out = read_one_line_then_close(&["export", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");

    let scratch = tempfile::tempdir().unwrap();
    let text = scratch.path().join("minutes.txt");
    std::fs::write(&text, "The CAB met about the incident.\n".repeat(30_000)).unwrap();
    let out = read_one_line_then_close(&["translate", text.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");

    // And through a real shell pipe, as people type it.
    let bin = env!("CARGO_BIN_EXE_babelfish");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{bin}' export --format md | head -1 >/dev/null && '{bin}' search --limit 5000 the | head -1 >/dev/null"
        ))
        .env_remove("BABELFISH_GLOSSARY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn os_errors_are_not_repeated_in_messages() {
    let copy = TempGlossary::mini();
    use std::os::unix::fs::PermissionsExt;
    // The folder exists but cannot be listed. As root (CI containers) permissions do not
    // apply, so the CLI runs as the unprivileged `nobody` account (uid 65534) instead.
    std::fs::set_permissions(copy.dir.path(), std::fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = std::fs::read_dir(copy.path()).is_ok();
    let mut cmd = babelfish();
    if is_root {
        use std::os::unix::process::CommandExt;
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.arg("lint").arg(copy.path()).output().unwrap();
    std::fs::set_permissions(copy.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert_eq!(message.matches("os error 13").count(), 1, "{message}");
    assert!(message.contains("Permission denied"), "{message}");
}

// ---- 18. Invisible and look-alike characters ---------------------------------------------------

#[test]
fn lint_warns_about_invisible_and_mixed_script_characters_naming_the_field() {
    let copy = TempGlossary::mini();
    write_entry(&copy, "itil/tricky", |e| {
        e["term"] = "Tricky \u{202e}term".into();
        e["synonyms"] = serde_json::json!(["\u{421}hange board"]); // Cyrillic capital Es
        e["definition"] = "Looks\u{200b}normal.".into();
        e["example"] = "A \u{3bf}ne-off (Greek omicron).".into();
        e["status"] = "reviewed".into();
        e["reviewed_by"] = "A.\u{2066}Analyst".into();
        e["mappings"] = serde_json::json!([{
            "id": "clinical/handover", "closeness": "related", "note": "zero\u{2060}width"
        }]);
    });
    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    let report = stdout(&lint);
    assert_eq!(lint.status.code(), Some(0), "warnings only: {report}");
    assert_no_raw_controls("lint", &lint.stdout);
    let warned = |field: &str, what: &str| {
        report.lines().any(|l| {
            l.contains("itil/tricky.json")
                && l.contains("warning")
                && l.contains(&format!("`{field}`"))
                && l.contains(what)
        })
    };
    for (field, what) in [
        ("term", "U+202E (right-to-left override)"),
        ("synonyms", "mixes Latin and Cyrillic"),
        ("definition", "U+200B (zero-width space)"),
        ("example", "mixes Latin and Greek"),
        ("reviewed_by", "U+2066"),
        ("mappings", "U+2060"),
    ] {
        assert!(
            warned(field, what),
            "no warning for `{field}` ({what}):\n{report}"
        );
    }
    // The entry still loads.
    let show = run(&["show", "itil/tricky"], copy.path());
    assert!(show.status.success(), "{}", stderr(&show));
}
