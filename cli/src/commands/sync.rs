//! `babelfish sync`: commit the glossary's changes, fetch, merge entry by entry, push.

use std::io::Write;

use babelfish::sync::{sync, SyncOptions};
use babelfish::GlossarySource;

use crate::args::Sync;
use crate::exit::Exit;

pub fn run(args: Sync) -> anyhow::Result<Exit> {
    let GlossarySource::Folder(dir) = GlossarySource::resolve(args.glossary.glossary.as_deref())
    else {
        return Err(crate::exit::read_only());
    };
    let options = SyncOptions {
        message: args.message,
        author: Some(super::author(args.author)),
        interactive: true,
    };
    let report = match sync(&dir, &options) {
        Ok(report) => report,
        Err(err) => {
            say!("babelfish: sync: {err}");
            return Ok(Exit::Usage);
        }
    };
    let mut out = super::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        writeln!(out, "{}", report.summary())?;
    }
    Ok(if !report.conflicts.is_empty() {
        Exit::Conflict
    } else {
        Exit::Ok
    })
}
