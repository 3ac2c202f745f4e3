//! Every command the shell registers is also allowed to the window: a command missing from
//! build.rs or capabilities/default.json is refused at run time ("not allowed"), which no
//! compile step catches (the review commands once shipped that way). Reads the sources; needs
//! no window.

use std::collections::BTreeSet;
use std::path::Path;

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("no {end}"));
    &text[from..from + len]
}

#[test]
fn every_registered_command_is_allowed_to_the_window() {
    let lib = source("src/lib.rs");
    let registered: BTreeSet<String> = between(&lib, "generate_handler![", "]")
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    assert!(registered.contains("sign_off"), "{registered:?}");

    let build = source("build.rs");
    let in_manifest: BTreeSet<String> = between(&build, "&[", "]")
        .split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|name| !name.is_empty())
        .collect();
    assert_eq!(
        in_manifest, registered,
        "build.rs lists the commands generate_handler! registers"
    );

    // Each window has its own capability (the lookup window only its three commands); every
    // registered command must be allowed to some window, and nothing unregistered allowed.
    let mut allowed = BTreeSet::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    for file in std::fs::read_dir(&folder).unwrap() {
        let file = format!(
            "capabilities/{}",
            file.unwrap().file_name().to_string_lossy()
        );
        let capability: serde_json::Value = serde_json::from_str(&source(&file)).unwrap();
        allowed.extend(
            capability["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
                .map(|name| name.replace('-', "_")),
        );
    }
    assert_eq!(
        allowed, registered,
        "the capabilities allow each registered command to a window"
    );
}
