//! `babelfish put`: saves one entry through the store (new or an edit).

use std::io::Write;

use babelfish::WorkspaceError;

use crate::args::Put;
use crate::exit::{report_store_error, Exit};

pub fn run(args: Put) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::require_folder(&workspace)?;
    let limit = babelfish::limits::ENTRY_FILE;
    let text = if args.file.as_os_str() == "-" {
        babelfish::limits::read_text_stdin(&limit)
    } else {
        babelfish::limits::read_text_file(&args.file, &limit)
    };
    let text = match text {
        Ok(text) => text,
        Err(err) => {
            say!("babelfish: {err}");
            return Ok(Exit::Data);
        }
    };
    let entry: babelfish::Entry = match serde_json::from_str(&text) {
        Ok(entry) => entry,
        Err(err) => {
            say!(
                "babelfish: {} is not a valid entry: {err}",
                args.file.display()
            );
            return Ok(Exit::Data);
        }
    };
    match workspace.put(entry, args.expect_revision, &super::author(args.author)) {
        Ok(saved) => {
            writeln!(
                super::stdout(),
                "saved {} at revision {}",
                saved.id,
                saved.revision
            )?;
            Ok(Exit::Ok)
        }
        Err(WorkspaceError::Store(err)) => Ok(report_store_error(&err)),
        Err(err) => Err(err.into()),
    }
}
