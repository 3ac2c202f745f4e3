//! The helpers shared with the core's tests, and running the `babelfish` binary built with
//! these tests.

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
