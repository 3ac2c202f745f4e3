//! Snapshot tests of the CLI's text output on the mini fixture: each case's standard output,
//! standard error and exit code, compared with `cli/tests/snapshots/<case>.txt`. Folder paths
//! are written as `<mini>` and `<copy>`, so the files hold no machine's paths.
//!
//! After an intended change of output, rewrite the files with
//! `UPDATE_SNAPSHOTS=1 cargo test -p babelfish-cli --test cli snapshots` and review the diff.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use crate::util::{babelfish, fixture, repo_root, stderr, stdout, TempGlossary};

/// Runs `babelfish SUBCOMMAND --glossary DIR ARGS` (with `input` on standard input) and renders
/// the run as the snapshot text, `dir` written as `name`. (`--glossary` goes first: a search
/// query takes every word after it.)
fn render(args: &[&str], dir: &Path, name: &str, input: &str) -> String {
    let mut child = babelfish()
        .arg(args[0])
        .arg("--glossary")
        .arg(dir)
        .args(&args[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let shown = dir.display().to_string();
    format!(
        "$ babelfish {} --glossary {name} {}\n--- stdout\n{}--- stderr\n{}--- exit {}\n",
        args[0],
        args[1..].join(" "),
        stdout(&out).replace(&shown, name),
        stderr(&out).replace(&shown, name),
        out.status.code().map_or("signal".into(), |c| c.to_string())
    )
}

/// Compares `actual` with the stored snapshot `case`, or writes it when `UPDATE_SNAPSHOTS` is
/// set.
fn check(case: &str, actual: &str) {
    let path = repo_root()
        .join("cli/tests/snapshots")
        .join(format!("{case}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; write it with UPDATE_SNAPSHOTS=1", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{case}: the output differs from {} from line {}.\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display(),
            first + 1
        );
    }
}

fn mini(case: &str, args: &[&str]) {
    check(case, &render(args, &fixture(), "<mini>", ""));
}

#[test]
fn search() {
    mini("search-cab", &["search", "CAB"]);
    mini(
        "search-handover-clinician",
        &["search", "--side", "clinician", "handover"],
    );
    mini("search-domain", &["search", "--domain", "itil", "incident"]);
    mini("search-no-match", &["search", "zzqx"]);
    mini(
        "search-unknown-domain",
        &["search", "--domain", "nope", "x"],
    );
}

#[test]
fn show() {
    mini("show-cab", &["show", "itil/change-advisory-board"]);
    mini("show-handover", &["show", "clinical/handover"]);
    mini("show-missing", &["show", "itil/nothing-here"]);
}

#[test]
fn translate() {
    let text = "The CAB approved the RFC at handover;\r\nraise an incident if the SRO objects.\n";
    let dir = fixture();
    check(
        "translate",
        &render(&["translate", "--side", "clinician"], &dir, "<mini>", text),
    );
    check(
        "translate-crib-md",
        &render(&["translate", "--crib", "md"], &dir, "<mini>", text),
    );
}

#[test]
fn lint() {
    mini("lint-clean", &["lint"]);
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    copy.write("itil/notes.txt", "not an entry");
    check("lint-broken", &render(&["lint"], copy.path(), "<copy>", ""));
}

#[test]
fn import_preview() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("terms.csv");
    std::fs::write(
        &csv,
        "Term,Vocabulary,Meaning,Notes\n\
         Ward round,clinical,A round of the ward by the team.,x\n\
         Incident,itil,exists already,\n\
         No definition,clinical,,\n",
    )
    .unwrap();
    let csv = csv.display().to_string();
    let shown = |text: String| text.replace(&csv, "<terms.csv>");
    let args = ["--map", "Vocabulary=domain", "--map", "Meaning=definition"];
    let preview = render(
        &[&["import"][..], &args, &[&csv]].concat(),
        &fixture(),
        "<mini>",
        "",
    );
    check("import-preview", &shown(preview));
    let missing = render(
        &["import", "--map", "Vocabulary=domain", &csv],
        &fixture(),
        "<mini>",
        "",
    );
    check("import-missing-column", &shown(missing));
}
