//! `babelfish review`, `show --json`, `search --status`, `lint` and translate's "prefer:" for
//! two-sided sign-off: exit codes, the messages that name the rule, the JSON as stored, and
//! two processes signing off at once.

use std::path::Path;
use std::process::Output;

use crate::util::{babelfish, stderr, stdout, TempGlossary};

const ID: &str = "itil/incident";

/// Runs `babelfish SUBCOMMAND --glossary DIR ARGS...` (the folder before a search's words).
fn run(dir: &Path, args: &[&str]) -> Output {
    babelfish()
        .arg(args[0])
        .arg("--glossary")
        .arg(dir)
        .args(&args[1..])
        .output()
        .unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn entry_json(dir: &Path) -> serde_json::Value {
    let out = run(dir, &["show", "--json", ID]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The mini glossary with `itil/incident` proposed by "Ann Author" at revision 2.
fn proposed() -> TempGlossary {
    let copy = TempGlossary::mini();
    let mut e: serde_json::Value = entry_json(copy.path());
    e["status"] = "proposed".into();
    e["example"] = "The printer outage was logged as an incident.".into();
    let file = copy.write("incoming.json", serde_json::to_vec(&e).unwrap());
    let out = babelfish()
        .args(["put", "--author", "Ann Author", "--glossary"])
        .arg(copy.path())
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    copy
}

fn sign(dir: &Path, by: &str, side: &str, decision: &[&str]) -> Output {
    let mut args = vec!["review", "--as", by, "--side", side];
    args.extend_from_slice(decision);
    args.push(ID);
    run(dir, &args)
}

#[test]
fn signing_off_from_both_sides_approves_and_show_json_has_the_reviews_as_stored() {
    let copy = proposed();
    let first = sign(copy.path(), "Dr Cee", "clinical", &["--approve"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        stdout(&first).contains("it is proposed now"),
        "{}",
        stdout(&first)
    );
    let second = sign(copy.path(), "Ian Eye", "informatics", &["--approve"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(
        stdout(&second).contains("it is approved now"),
        "{}",
        stdout(&second)
    );

    let e = entry_json(copy.path());
    assert_eq!(e["status"], "approved");
    assert_eq!(e["revision"], 2);
    assert_eq!(e["updated_by"], "Ann Author");
    let reviews = e["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    let keys: Vec<&str> = reviews[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["side", "by", "at", "revision", "decision", "note"]);
    assert_eq!(reviews[0]["side"], "clinical");
    assert_eq!(reviews[0]["decision"], "approve");
    assert_eq!(reviews[1]["by"], "Ian Eye");
    assert_eq!(reviews[1]["revision"], 2);
    assert!(reviews[1]["at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn the_author_of_the_revision_is_refused_with_exit_1_naming_the_rule() {
    let copy = proposed();
    let before = std::fs::read(copy.path().join("itil/incident.json")).unwrap();
    let out = sign(copy.path(), "ann author", "clinical", &["--approve"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("made revision 2"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("neither reviewer made the current revision"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(copy.path().join("itil/incident.json")).unwrap(),
        before
    );
}

#[test]
fn refusals_and_usage_errors_have_their_exit_codes() {
    let copy = TempGlossary::mini();
    // A draft is not open for review.
    let out = sign(copy.path(), "Dr Cee", "clinical", &["--approve"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("only a proposed entry"),
        "{}",
        stderr(&out)
    );
    // No such entry.
    let out = run(
        copy.path(),
        &[
            "review",
            "--as",
            "X",
            "--side",
            "clinical",
            "--approve",
            "itil/none",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // Usage: both decisions, no decision, an unknown side, the bundled glossary.
    for args in [
        &[
            "review",
            "--as",
            "X",
            "--side",
            "clinical",
            "--approve",
            "--request-changes",
            "n",
            ID,
        ][..],
        &["review", "--as", "X", "--side", "clinical", ID][..],
        &["review", "--as", "X", "--side", "ward", "--approve", ID][..],
    ] {
        let out = run(copy.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
    let out = babelfish()
        .args(["review", "--as", "X", "--side", "clinical", "--approve", ID])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
}

#[test]
fn a_request_for_changes_keeps_it_proposed_and_the_queue_says_so() {
    let copy = proposed();
    let out = sign(
        copy.path(),
        "Dr Cee",
        "clinical",
        &["--request-changes", "Say who logs it."],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("changes requested"),
        "{}",
        stdout(&out)
    );
    let e = entry_json(copy.path());
    assert_eq!(e["status"], "proposed");
    assert_eq!(e["reviews"][0]["decision"], "request-changes");
    assert_eq!(e["reviews"][0]["note"], "Say who logs it.");

    let out = run(
        copy.path(),
        &["review", "--queue", "--side", "clinical", "--json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], ID);
    assert_eq!(items[0]["state"], "changes-requested");
    assert_eq!(items[0]["label"], "changes requested");
    assert_eq!(
        items[0]["awaiting"],
        serde_json::json!(["clinical", "informatics"])
    );
    let text = stdout(&run(copy.path(), &["review", "--queue"]));
    assert!(
        text.contains("itil/incident  revision 2  changes requested"),
        "{text}"
    );
}

#[test]
fn the_queue_for_a_side_leaves_out_what_that_side_approved() {
    let copy = proposed();
    sign(copy.path(), "Dr Cee", "clinical", &["--approve"]);
    let ids = |side: &str| -> Vec<String> {
        let out = run(
            copy.path(),
            &["review", "--queue", "--json", "--side", side],
        );
        let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("clinical").is_empty());
    assert_eq!(ids("informatics"), [ID]);
    let text = stdout(&run(
        copy.path(),
        &["review", "--queue", "--side", "clinical"],
    ));
    assert!(text.contains("Nothing awaits sign-off."), "{text}");
}

#[test]
fn a_content_edit_makes_an_approved_entry_proposed_with_stale_sign_offs() {
    let copy = proposed();
    sign(copy.path(), "Dr Cee", "clinical", &["--approve"]);
    sign(copy.path(), "Ian Eye", "informatics", &["--approve"]);
    let mut e = entry_json(copy.path());
    e["definition"] = "An unplanned interruption to an IT service.".into();
    let file = copy.write("incoming.json", serde_json::to_vec(&e).unwrap());
    let out = babelfish()
        .args(["put", "--author", "Ed Editor", "--glossary"])
        .arg(copy.path())
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let e = entry_json(copy.path());
    assert_eq!(
        (e["status"].as_str(), e["revision"].as_u64()),
        (Some("proposed"), Some(3))
    );
    assert_eq!(
        e["reviews"].as_array().unwrap().len(),
        2,
        "sign-offs are kept"
    );
    let shown = stdout(&run(copy.path(), &["show", ID]));
    assert!(
        shown.contains("Status: Proposed (stale sign-offs)"),
        "{shown}"
    );
    assert!(
        shown.contains("clinical: approve by Dr Cee on revision 2 (stale)"),
        "{shown}"
    );
    // A sign-off for the old revision is refused by name; the new one is signed by anyone
    // but Ed Editor, including Ann who made revision 2.
    let out = sign(copy.path(), "Ed Editor", "clinical", &["--approve"]);
    assert_eq!(code(&out), 1);
    let out = sign(copy.path(), "Ann Author", "clinical", &["--approve"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn search_filters_by_status_repeatable() {
    let copy = proposed();
    let ids = |statuses: &[&str]| -> Vec<String> {
        let mut args = vec!["search", "--json", "--limit", "50"];
        for s in statuses {
            args.extend(["--status", s]);
        }
        args.push("incident");
        let out = run(copy.path(), &args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        hits.iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = ids(&[]);
    assert!(all.contains(&ID.to_string()) && all.len() > 1, "{all:?}");
    assert_eq!(ids(&["proposed"]), [ID]);
    assert!(!ids(&["draft"]).contains(&ID.to_string()));
    assert_eq!(ids(&["draft", "proposed"]).len(), all.len());
    let out = run(copy.path(), &["search", "--status", "finished", "x"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // The hit says its status and review state.
    let out = run(
        copy.path(),
        &["search", "--json", "--status", "proposed", "incident"],
    );
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["status"], "proposed");
    assert_eq!(hits[0]["review_label"], "proposed");
}

#[test]
fn lint_reports_broken_review_rules() {
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let mut e: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    e["status"] = "approved".into();
    e["reviews"] = serde_json::json!([{"side": "clinical", "by": "Dr Cee",
        "at": "2026-12-01T10:00:00Z", "revision": 7, "decision": "approve", "note": ""}]);
    std::fs::write(&path, serde_json::to_vec_pretty(&e).unwrap()).unwrap();
    let cab = copy.path().join("itil/change-advisory-board.json");
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&cab).unwrap()).unwrap();
    c["status"] = "superseded".into();
    c["superseded_by"] = "itil/nowhere".into();
    std::fs::write(&cab, serde_json::to_vec_pretty(&c).unwrap()).unwrap();

    let out = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    for words in [
        "itil/incident.json:1:1: error: approved, but revision 1 lacks an approval from each side",
        "itil/incident.json:1:1: error: Dr Cee's sign-off is for revision 7, but the entry is only at revision 1",
        "itil/change-advisory-board.json:1:1: error: superseded_by names \"itil/nowhere\", which does not exist",
    ] {
        assert!(text.contains(words), "{words}\n{text}");
    }
}

#[test]
fn translate_says_prefer_for_a_deprecated_name() {
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let mut e: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    e["synonyms"] = serde_json::json!(["service outage"]);
    e["deprecated_names"] = serde_json::json!(["service outage"]);
    std::fs::write(&path, serde_json::to_vec_pretty(&e).unwrap()).unwrap();
    let text = copy.write("note.txt", "We had a service outage overnight.");
    let out = babelfish()
        .args(["translate", "--glossary"])
        .arg(copy.path())
        .arg(&text)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("[service outage][1] (prefer: Incident)"),
        "{}",
        stdout(&out)
    );
    let out = babelfish()
        .args(["translate", "--json", "--glossary"])
        .arg(copy.path())
        .arg(&text)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["annotations"][0]["prefer"], "Incident");
}

#[test]
fn two_processes_signing_off_at_the_same_moment_both_land() {
    for round in 0..3 {
        let copy = proposed();
        let spawn = |by: &str, side: &str| {
            babelfish()
                .args([
                    "review",
                    "--as",
                    by,
                    "--side",
                    side,
                    "--approve",
                    "--glossary",
                ])
                .arg(copy.path())
                .arg(ID)
                .spawn()
                .unwrap()
        };
        let mut a = spawn("Dr Cee", "clinical");
        let mut b = spawn("Ian Eye", "informatics");
        assert!(a.wait().unwrap().success(), "round {round}");
        assert!(b.wait().unwrap().success(), "round {round}");
        let e = entry_json(copy.path());
        assert_eq!(
            e["reviews"].as_array().unwrap().len(),
            2,
            "round {round}: {e}"
        );
        assert_eq!(e["status"], "approved", "round {round}");
    }
}
