//! One module per subcommand. Each turns its arguments into calls on the core (mostly
//! [`babelfish::Workspace`]) and the results into text, JSON and an [`Exit`]; none of them holds
//! policy of its own.

use std::io::StdoutLock;

use babelfish::escape::TerminalSafe;
use babelfish::{GlossarySource, Workspace};

use crate::args::{Cli, Command, GlossaryArg};
use crate::exit::Exit;

mod export;
mod import;
mod lint;
mod put;
mod review;
mod rm;
mod search;
mod show;
mod sync;
mod translate;
mod watch;

/// Runs one subcommand. An `Err` ends the run with exit code 2 (bad usage, an unreadable
/// glossary folder, a failed write to standard output); every other outcome is an [`Exit`].
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Search(args) => search::run(args),
        Command::Show(args) => show::run(args),
        Command::Translate(args) => translate::run(args),
        Command::Put(args) => put::run(args),
        Command::Rm(args) => rm::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Review(args) => review::run(args),
    }
}

/// Standard output for people: everything printed goes through the escaper, so no raw control
/// character reaches a terminal.
fn stdout() -> TerminalSafe<StdoutLock<'static>> {
    TerminalSafe::new(std::io::stdout().lock())
}

/// Opens the glossary the arguments name (`--glossary`, else `BABELFISH_GLOSSARY`, else the
/// bundled copy).
fn open(arg: &GlossaryArg) -> anyhow::Result<Workspace> {
    Ok(Workspace::open(GlossarySource::resolve(
        arg.glossary.as_deref(),
    ))?)
}

/// Tells the user, on stderr, that some files were skipped, without drowning the output.
fn warn_problems(workspace: &Workspace) {
    let errors = workspace.error_count();
    if errors > 0 {
        say!(
            "babelfish: {errors} problem(s) in {}; the rest loaded. Run `babelfish lint` for details.",
            workspace.source().describe()
        );
    }
}

/// Who is saving: `--author`, else `$BABELFISH_AUTHOR`, else `$USER`, else `%USERNAME%` (what
/// Windows sets), else "unknown". A blank value counts as unset.
fn author(explicit: Option<String>) -> String {
    explicit
        .into_iter()
        .chain(
            ["BABELFISH_AUTHOR", "USER", "USERNAME"]
                .iter()
                .filter_map(|name| std::env::var(name).ok()),
        )
        .find(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The error of a command that edits, when the glossary is the read-only bundled one.
fn require_folder(workspace: &Workspace) -> anyhow::Result<()> {
    workspace
        .folder()
        .map(|_| ())
        .map_err(|_| crate::exit::read_only())
}
