//! `babelfish`: the command-line tool over the Babelfish core, for scripting, checking the
//! glossary in CI and headless use.
//!
//! Shaped like ripgrep: `args` says what the command line is, `commands/` has one module per
//! subcommand (each a thin adapter over the core's `Workspace`: it formats, it decides
//! nothing), and `exit` the exit codes (see [`exit::Exit`]).

/// Prints a message on stderr with every control character escaped (file names, ids and
/// glossary text can hold anything). A closed stderr is ignored rather than a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let message = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", babelfish::escape::terminal(&message));
    }};
}

mod args;
mod commands;
mod exit;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(exit) => exit.into(),
        // The reader went away (`babelfish search CAB | head -1`): stop quietly, as ripgrep
        // does; the output was not wanted.
        Err(err) if exit::is_broken_pipe(&err) => exit::Exit::Ok.into(),
        Err(err) => {
            say!("babelfish: {}", exit::error_message(&err));
            exit::Exit::Usage.into()
        }
    }
}
