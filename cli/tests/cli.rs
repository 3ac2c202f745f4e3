use crate::util::{babelfish, fixture, stderr, stdout, TempGlossary};

#[test]
fn search_json_has_the_contract_fields_best_first() {
    let out = babelfish()
        .args(["search", "--json", "--glossary"])
        .arg(fixture())
        .arg("CAB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let first = &hits[0];
    assert_eq!(first["id"], "itil/change-advisory-board");
    for field in [
        "id",
        "term",
        "domain",
        "abbreviations",
        "synonyms",
        "score",
        "snippet",
        "mappings",
        "false_friends",
    ] {
        assert!(first.get(field).is_some(), "hit lacks {field}: {first}");
    }
    assert_eq!(first["abbreviations"][0], "CAB");
    assert_eq!(first["mappings"][0]["id"], "clinical/clinical-governance");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "scores not descending: {scores:?}"
    );
}

#[test]
fn search_finds_cab_first_in_the_bundled_glossary() {
    let out = babelfish()
        .args(["search", "--json", "CAB"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["term"], "Change Advisory Board", "{}", stdout(&out));
}

#[test]
fn glossary_resolution_order_is_flag_then_env_then_bundled() {
    let env_copy = TempGlossary::mini();
    std::fs::remove_file(env_copy.path().join("itil/change-advisory-board.json")).unwrap();
    // The environment variable is used when there is no flag...
    let out = babelfish()
        .env("BABELFISH_GLOSSARY", env_copy.path())
        .args(["show", "--json", "itil/change-advisory-board"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("no entry with id"));
    // ...the flag wins over it...
    let out = babelfish()
        .env("BABELFISH_GLOSSARY", env_copy.path())
        .args(["show", "--json", "--glossary"])
        .arg(fixture())
        .arg("itil/change-advisory-board")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // ...and without either, the bundled glossary answers.
    let out = babelfish()
        .args(["show", "--json", "clinical/board-round"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn show_json_prints_the_entry_as_stored() {
    let out = babelfish()
        .args(["show", "--json", "--glossary"])
        .arg(fixture())
        .arg("itil/change-advisory-board")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stored =
        std::fs::read_to_string(fixture().join("itil/change-advisory-board.json")).unwrap();
    assert_eq!(stdout(&out), stored);
}

#[test]
fn lint_exit_codes_and_line_format() {
    let clean = babelfish().arg("lint").arg(fixture()).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(stdout(&clean), "");

    let broken = TempGlossary::mini();
    // Nobody links to this entry, so its file is the only one reported.
    let path = broken.path().join("msp/senior-responsible-owner.json");
    let text = std::fs::read(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let out = babelfish().arg("lint").arg(broken.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    let line = stdout(&out).lines().next().unwrap().to_string();
    let expected_prefix = format!("{}:", path.display());
    assert!(line.starts_with(&expected_prefix), "{line}");
    let rest: Vec<&str> = line[expected_prefix.len()..].splitn(4, ':').collect();
    assert!(
        rest[0].parse::<usize>().is_ok() && rest[1].parse::<usize>().is_ok(),
        "{line}"
    );
    assert_eq!(rest[2].trim(), "error");
    assert!(rest[3].contains("malformed JSON"));
}

#[test]
fn the_bundled_glossary_lints_clean() {
    let out = babelfish()
        .arg("lint")
        .arg(crate::util::curated())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn done_when_truncated_file_is_named_untouched_and_search_still_works() {
    let copy = TempGlossary::copy_of(&crate::util::curated());
    let path = copy.path().join("itil/incident.json");
    let text = std::fs::read(&path).unwrap();
    let truncated = &text[..text.len() / 3];
    std::fs::write(&path, truncated).unwrap();

    let lint = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    assert_eq!(lint.status.code(), Some(1));
    assert!(
        stdout(&lint).contains("itil/incident.json"),
        "{}",
        stdout(&lint)
    );

    let search = babelfish()
        .args(["search", "--json", "--glossary"])
        .arg(copy.path())
        .arg("CAB")
        .output()
        .unwrap();
    assert!(search.status.success());
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(hits[0]["term"], "Change Advisory Board");
    assert!(
        stderr(&search).contains("problem"),
        "search should mention the broken file"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        truncated,
        "lint or search rewrote the file"
    );
}

#[test]
fn search_filters_by_domain_and_rejects_unknown_ones() {
    let out = babelfish()
        .args(["search", "--json", "--domain", "clinical", "--glossary"])
        .arg(fixture())
        .arg("handover")
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["domain"] == "clinical"), "{hits:?}");

    let out = babelfish()
        .args(["search", "--domain", "finance", "--glossary"])
        .arg(fixture())
        .arg("handover")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown domain \"finance\""));
}

#[test]
fn side_preference_puts_the_other_sides_sense_first() {
    let first_domain = |side: &str| {
        let out = babelfish()
            .args(["search", "--json", "--side", side, "--glossary"])
            .arg(fixture())
            .arg("handover")
            .output()
            .unwrap();
        let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        hits[0]["domain"].as_str().unwrap().to_string()
    };
    assert_eq!(first_domain("clinician"), "prince2");
    assert_eq!(first_domain("informatics"), "clinical");
}

#[test]
fn a_missing_glossary_folder_exits_2_with_its_name() {
    let out = babelfish()
        .args(["search", "--glossary", "/no/such/folder", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/folder"));
}

/// Issue 22: `lint` warns about an entry file that cannot be saved (read-only attribute).
#[test]
fn lint_warns_about_a_read_only_entry_file() {
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let out = babelfish().arg("lint").arg(copy.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(&format!("{}:1:1: warning: it is read-only", path.display())),
        "{text}"
    );
    assert!(
        text.contains("saving an edit to itil/incident will be refused"),
        "{text}"
    );
    assert!(stderr(&out).contains("1 warning(s)"), "{}", stderr(&out));
}
