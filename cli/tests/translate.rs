//! `babelfish translate` as a process: the JSON contract, bad input, documents (.docx, PDF)
//! read from their content, and nothing left on disk (pasted text and documents may hold
//! patient details).

use babelfish::document::sample::{self, docx_paragraph as p};

use crate::util::{babelfish, stderr, stdout};

#[test]
fn translate_json_contract() {
    let mut child = babelfish()
        .args(["translate", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Ask the CAB about the RFC.".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v["annotations"][0];
    for key in [
        "start",
        "end",
        "text",
        "id",
        "term",
        "domain",
        "alternatives",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    assert_eq!(first["start"], 8);
    assert_eq!(first["end"], 11);
    assert_eq!(v["terms"][0]["id"], "itil/change-advisory-board");
}

#[test]
fn translating_leaves_nothing_on_disk() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    let marker = "Zyxwvut Patient-Identifier 4857302918";
    std::fs::write(
        file.path(),
        format!("{marker} seen at the MDT; CAB approved."),
    )
    .unwrap();
    let before = snapshot(&[home.path(), work.path()]);
    let out = babelfish()
        .args(["translate", "--json"])
        .arg(file.path())
        .current_dir(work.path())
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TMPDIR", work.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains(marker), "the text reached stderr");
    only_the_annotator_cache_was_written(&before, &[home.path(), work.path()], home.path(), marker);
}

/// Since the annotator is cached (issue 17), a translate may write one thing: the annotator
/// cache under the user's cache folder, which holds glossary data only. Anything else new, or
/// `marker` in any file, fails.
fn only_the_annotator_cache_was_written(
    before: &[std::path::PathBuf],
    dirs: &[&std::path::Path],
    home: &std::path::Path,
    marker: &str,
) {
    let cache = home.join("cache").join("babelfish");
    let after = snapshot(dirs);
    let new: Vec<_> = after.iter().filter(|p| !before.contains(p)).collect();
    for path in &new {
        assert!(
            path.starts_with(&cache) || cache.starts_with(path),
            "translate wrote {} (only the annotator cache may be written)",
            path.display()
        );
    }
    assert!(
        new.iter().any(|p| p.is_file()),
        "the annotator cache was not written"
    );
    for path in after.iter().filter(|p| p.is_file()) {
        let bytes = std::fs::read(path).unwrap();
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "{} holds the translated text",
            path.display()
        );
    }
}

pub fn snapshot(dirs: &[&std::path::Path]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p.clone());
                }
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn bad_input_gives_a_message_or_a_result() {
    // Empty text: a result with nothing in it.
    let out = babelfish()
        .args(["translate", "--json", "/dev/null"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["annotations"].as_array().unwrap().len(), 0);

    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("scan.pdf");
    std::fs::write(&binary, b"%PDF-1.4\x00\x01\x02binary").unwrap();
    let out = babelfish()
        .args(["translate"])
        .arg(&binary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Since documents are read (issue 17), a broken PDF is named as one, with what to do.
    assert!(
        stderr(&out).contains("looks like a PDF but cannot be read")
            && stderr(&out).contains("paste it"),
        "{}",
        stderr(&out)
    );

    let latin1 = dir.path().join("minutes.txt");
    std::fs::write(&latin1, b"Caf\xe9 meeting with the CAB").unwrap();
    let out = babelfish()
        .args(["translate"])
        .arg(&latin1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not UTF-8") && stderr(&out).contains("offset 3"),
        "{}",
        stderr(&out)
    );

    // 4.6 MB (just under the 5 MiB limit) on one enormous line: a result, not a hang.
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "the CAB met and ".repeat(300_000)).unwrap();
    let out = babelfish()
        .args(["translate", "--crib", "md"])
        .arg(&big)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Change Advisory Board"));
}

// ---------------------------------------------------------------------------------------------
// The CLI

#[test]
fn translate_reads_a_docx_and_a_pdf_and_json_includes_the_text() {
    let dir = tempfile::tempdir().unwrap();
    // The extension is wrong on purpose: the format comes from the content.
    let docx = dir.path().join("paper.txt");
    std::fs::write(
        &docx,
        sample::docx(
            &format!("{}{}", p("Board paper"), p("The CAB approved the RFC.")),
            &[],
        ),
    )
    .unwrap();
    let pdf = dir.path().join("paper.pdf");
    std::fs::write(
        &pdf,
        sample::pdf(&[vec!["The CAB approved the".into(), "RFC.".into()]]),
    )
    .unwrap();
    for (file, format) in [(&docx, "docx"), (&pdf, "pdf")] {
        let out = babelfish()
            .args(["translate", "--json"])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["format"], format);
        let text = v["text"].as_str().unwrap();
        assert!(text.contains("The CAB approved the"), "{text:?}");
        let annotations = v["annotations"].as_array().unwrap();
        assert!(annotations.len() >= 2, "{v}");
        for a in annotations {
            let (s, e) = (
                a["start"].as_u64().unwrap() as usize,
                a["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], a["text"].as_str().unwrap());
        }
    }
    let out = babelfish().args(["translate"]).arg(&docx).output().unwrap();
    assert!(stdout(&out).contains("[CAB]["), "{}", stdout(&out));
}

#[test]
fn translate_refuses_bad_documents_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.pdf");
    std::fs::write(&scan, sample::pdf(&[Vec::new()])).unwrap();
    let out = babelfish().args(["translate"]).arg(&scan).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scan.pdf has no text layer: it looks scanned"),
        "{err}"
    );
}

#[test]
fn translating_a_document_leaves_nothing_on_disk() {
    // Information governance applies to documents as to pasted text: nothing extracted is
    // written, and the text reaches neither a file nor standard error.
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let marker = "Zyxwvut Patient-Identifier 4857302918";
    let docx = inputs.path().join("paper.docx");
    std::fs::write(
        &docx,
        sample::docx(&p(&format!("{marker} seen at the MDT; CAB approved.")), &[]),
    )
    .unwrap();
    let pdf = inputs.path().join("paper.pdf");
    std::fs::write(
        &pdf,
        sample::pdf(&[vec![format!("{marker} seen at the MDT; CAB approved.")]]),
    )
    .unwrap();
    let before = snapshot(&[home.path(), work.path()]);
    for file in [&docx, &pdf] {
        let out = babelfish()
            .args(["translate", "--json"])
            .arg(file)
            .current_dir(work.path())
            .env("HOME", home.path())
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("TMPDIR", work.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(stdout(&out).contains(marker));
        assert!(!String::from_utf8_lossy(&out.stderr).contains(marker));
    }
    only_the_annotator_cache_was_written(&before, &[home.path(), work.path()], home.path(), marker);
}

/// A reader's own side's terms are left out unless `--all-sides` asks for them.
#[test]
fn the_readers_own_side_is_hidden_unless_all_sides_is_asked_for() {
    let ids = |extra: &[&str]| -> Vec<String> {
        let mut cmd = babelfish();
        cmd.args(["translate", "--json", "--side", "clinician"])
            .args(extra)
            .arg("-");
        let out = run_with_stdin(cmd, "The ward sent the TTO late because the CAB met.");
        assert!(out.status.success(), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        json["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["itil/change-advisory-board"]);
    let all = ids(&["--all-sides"]);
    assert!(all.contains(&"clinical/ward".to_string()), "{all:?}");
    assert!(all.contains(&"clinical/to-take-out".to_string()), "{all:?}");
}

/// Runs `cmd` with `input` on its standard input.
fn run_with_stdin(mut cmd: std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The annotator cache (issue 17): a CLI run reads the built annotator instead of building it

/// Paragraphs with jargon from both sides, ambiguous words, plurals, odd spacing and case.
const CACHE_TEXTS: &[&str] = &[
    "Ask the CAB about the RFC.",
    "The ward sent the TTO late because the CAB met; the SRO signed the business cases.",
    "P1 or P2? The MDT met at the board round.\r\n\r\nThe exception\u{a0}report went to the programme board.",
    "Post-take ward round, then a two-week wait referral; change advisory boards and DNAs.",
    "",
];

/// `translate --json` of `text` with the annotator cache in `cache` (`None`: no cache).
fn translate_json(text: &str, cache: Option<&std::path::Path>) -> std::process::Output {
    let mut cmd = babelfish();
    cmd.args(["translate", "--json", "-"]);
    match cache {
        Some(dir) => cmd.env("BABELFISH_CACHE_DIR", dir),
        None => cmd.env("BABELFISH_CACHE_DIR", ""),
    };
    let out = run_with_stdin(cmd, text);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing to tell the user");
    out
}

/// The one annotator file in the cache folder.
fn annotator_file(cache: &std::path::Path) -> std::path::PathBuf {
    let dir = cache.join("annotator-bundled");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn a_cached_annotator_gives_byte_identical_json_to_a_cold_build() {
    let cache = tempfile::tempdir().unwrap();
    let _ = translate_json(CACHE_TEXTS[0], Some(cache.path()));
    let file = annotator_file(cache.path());
    let written = std::fs::metadata(&file).unwrap().modified().unwrap();
    for text in CACHE_TEXTS {
        let cold = translate_json(text, None);
        let cached = translate_json(text, Some(cache.path()));
        assert_eq!(stdout(&cached), stdout(&cold), "{text}");
    }
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        written,
        "a good cache file is read, not written again"
    );
}

#[test]
fn a_damaged_annotator_cache_is_rebuilt_without_a_word() {
    let cache = tempfile::tempdir().unwrap();
    let text = CACHE_TEXTS[2];
    let expected = stdout(&translate_json(text, Some(cache.path())));
    let file = annotator_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    let mut other_version = good.clone();
    other_version[8] ^= 0x40;
    for damaged in [
        flipped,
        good[..good.len() / 3].to_vec(),
        other_version,
        Vec::new(),
    ] {
        std::fs::write(&file, &damaged).unwrap();
        assert_eq!(stdout(&translate_json(text, Some(cache.path()))), expected);
        assert_eq!(std::fs::read(&file).unwrap(), good, "rewritten whole");
    }
}

#[test]
fn two_translates_racing_to_write_the_annotator_cache_both_succeed() {
    let cache = tempfile::tempdir().unwrap();
    let text = CACHE_TEXTS[1];
    let expected = stdout(&translate_json(text, None));
    let spawn = || {
        let mut child = babelfish()
            .args(["translate", "--json", "-"])
            .env("BABELFISH_CACHE_DIR", cache.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "");
        assert_eq!(stdout(&out), expected);
    }
    let _ = annotator_file(cache.path()); // one file, no leftovers
}
