//! `babelfish review`: records one sign-off through the store, or lists the review queue.

use std::io::Write;

use babelfish::review::{queue, SignOffRequest};
use babelfish::{Decision, WorkspaceError};

use crate::args::Review;
use crate::exit::{report_store_error, Exit};

pub fn run(args: Review) -> anyhow::Result<Exit> {
    if args.queue {
        return list_queue(args);
    }
    let workspace = super::open(&args.glossary)?;
    super::require_folder(&workspace)?;
    let id = args.id.unwrap_or_default();
    let (Some(reviewer), Some(side)) = (args.reviewer, args.side) else {
        anyhow::bail!("--as NAME and --side S are required to sign off");
    };
    let (decision, note) = match (args.approve, args.request_changes) {
        (true, None) => (Decision::Approve, String::new()),
        (false, Some(note)) => (Decision::RequestChanges, note),
        _ => anyhow::bail!("say --approve or --request-changes NOTE"),
    };
    // The revision read now; the store checks it again under the entry's lock.
    let Some(entry) = workspace.glossary().get(&id) else {
        say!(
            "babelfish: no entry with id \"{id}\" in {}",
            workspace.source().describe()
        );
        return Ok(Exit::Data);
    };
    let request = SignOffRequest {
        side,
        by: reviewer,
        revision: entry.revision,
        decision,
        note,
    };
    match workspace.sign_off(&id, &request) {
        Ok(signed) => {
            let state = babelfish::review::state(&signed);
            writeln!(
                super::stdout(),
                "{} {id} revision {} for the {} side; it is {} now",
                match decision {
                    Decision::Approve => "approved",
                    Decision::RequestChanges => "requested changes to",
                },
                signed.revision,
                side.as_str(),
                state.label()
            )?;
            Ok(Exit::Ok)
        }
        Err(WorkspaceError::Store(err)) => Ok(report_store_error(&err)),
        Err(err) => Err(err.into()),
    }
}

/// `--queue`: what awaits sign-off, one line per entry (or JSON).
fn list_queue(args: Review) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::warn_problems(&workspace);
    let items = queue(workspace.glossary(), args.side);
    let mut out = super::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(Exit::Ok);
    }
    if items.is_empty() {
        writeln!(out, "Nothing awaits sign-off.")?;
    }
    for item in &items {
        let awaiting: Vec<&str> = item.awaiting.iter().map(|s| s.as_str()).collect();
        writeln!(
            out,
            "{}  revision {}  {}  awaiting {}  — {}",
            item.id,
            item.revision,
            item.label,
            awaiting.join(" and "),
            item.term
        )?;
    }
    Ok(Exit::Ok)
}
