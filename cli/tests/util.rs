//! The helpers shared with the core's tests, and running the `babelfish` binary built with
//! these tests.

use std::path::Path;
use std::process::{Command, Output};

#[path = "../../tests/util.rs"]
mod shared;
#[allow(unused_imports)] // each helper is used by some test module, not all
pub use shared::*;

/// The `babelfish` binary built for these tests, with a clean environment.
pub fn babelfish() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_babelfish"));
    cmd.env_remove("BABELFISH_GLOSSARY");
    cmd
}

/// A process's standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A process's standard error, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Imports `csv_text` (written to a scratch file) with `--apply` into a new folder that holds
/// only `glossary`'s `domains.json`. Returns that folder and the import's output.
pub fn import_into_empty(glossary: &Path, csv_text: &[u8]) -> (tempfile::TempDir, Output) {
    let scratch = tempfile::tempdir().unwrap();
    let csv = scratch.path().join("import.csv");
    std::fs::write(&csv, csv_text).unwrap();
    let target = tempfile::tempdir().unwrap();
    std::fs::copy(
        glossary.join("domains.json"),
        target.path().join("domains.json"),
    )
    .unwrap();
    let apply = babelfish()
        .args(["import", "--apply", "--glossary"])
        .arg(target.path())
        .arg(&csv)
        .output()
        .unwrap();
    (target, apply)
}
