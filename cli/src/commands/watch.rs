//! `babelfish watch`: one JSON line when ready, then one per burst of changes, until stopped.

use std::io::Write;

use anyhow::Context;
use babelfish::watch::WatchMode;
use babelfish::WorkspaceError;

use crate::args::Watch;
use crate::exit::Exit;

pub fn run(args: Watch) -> anyhow::Result<Exit> {
    let mut workspace = super::open(&args.glossary)?;
    super::require_folder(&workspace)?;
    let root = workspace.folder()?.to_path_buf();
    workspace.index().context("building the index")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = babelfish::watch::watch(&root, move |change| {
        let _ = tx.send(change);
    })?;
    let mode = match watcher.mode() {
        WatchMode::Events => "events",
        WatchMode::Poll(_) => "poll",
    };
    let mut out = super::stdout();
    let ready =
        serde_json::json!({"ready": true, "entries": workspace.glossary().len(), "watch": mode});
    writeln!(out, "{ready}")?;
    out.flush()?;
    for change in rx {
        let started = std::time::Instant::now();
        let line = match workspace.reload() {
            Ok(reloaded) => serde_json::json!({
                "changed": change.ids,
                "domains": change.domains,
                // Change events were lost: every file was compared, and the folder is polled.
                "rescan": change.rescan,
                "entries": reloaded.entries,
                "problems": reloaded.errors,
                "reindexed": reloaded.index.reindexed,
                "update_ms": started.elapsed().as_secs_f64() * 1e3,
            }),
            // A folder that cannot be read for a moment (a network blip) is reported and the
            // watch goes on; files that vanish or cannot be read are in the problems.
            Err(WorkspaceError::Load(err)) => {
                serde_json::json!({"changed": change.ids, "error": err.to_string()})
            }
            Err(err) => return Err(err.into()),
        };
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    Ok(Exit::Ok)
}
