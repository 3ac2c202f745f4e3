//! `babelfish lint`: one `path:line:column: severity: message` line per problem.

use std::io::Write;
use std::path::PathBuf;

use babelfish::{GlossarySource, Workspace};

use crate::args::Lint;
use crate::exit::Exit;

pub fn run(args: Lint) -> anyhow::Result<Exit> {
    let source = GlossarySource::resolve(args.dir.as_deref().or(args.glossary.glossary.as_deref()));
    let base = match &source {
        GlossarySource::Folder(dir) => dir.clone(),
        GlossarySource::Bundled => PathBuf::from("glossary"),
    };
    let source_dir = match &source {
        GlossarySource::Folder(dir) => Some(dir.clone()),
        GlossarySource::Bundled => None,
    };
    let workspace = Workspace::open(source)?;
    let loaded = workspace.loaded();
    // The review rules across entries (approvals, sign-offs, replacements) after the files'.
    let review = babelfish::review::lint(&loaded.glossary);
    // Entry files an edit could not be saved to (read-only attribute or permission).
    let read_only = match &source_dir {
        Some(dir) => babelfish::validate::read_only_files(dir, &loaded.glossary),
        None => Vec::new(),
    };
    let mut out = super::stdout();
    for problem in loaded.problems.iter().chain(&review).chain(&read_only) {
        // One line per problem, whatever the file name or the message quotes.
        writeln!(
            out,
            "{}:{}:{}: {}: {}",
            babelfish::escape::terminal_line(&base.join(&problem.path).display().to_string()),
            problem.line,
            problem.column,
            problem.severity,
            babelfish::escape::terminal_line(&problem.message)
        )?;
    }
    // A folder a file-sync service copies around defeats the locks: say so once.
    let synced = workspace
        .folder()
        .ok()
        .and_then(babelfish::files::synced_folder_warning);
    if let Some(warning) = &synced {
        writeln!(
            out,
            "{}: warning: {}",
            babelfish::escape::terminal_line(&base.display().to_string()),
            babelfish::escape::terminal_line(warning)
        )?;
    }
    let errors = workspace.error_count() + review.iter().filter(|p| p.is_error()).count();
    let warnings = loaded.problems.len() + review.len() + read_only.len() - errors
        + usize::from(synced.is_some());
    say!(
        "{}: {} entries loaded, {errors} error(s), {warnings} warning(s)",
        workspace.source().describe(),
        loaded.glossary.len()
    );
    Ok(if errors > 0 { Exit::Data } else { Exit::Ok })
}
