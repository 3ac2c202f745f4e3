//! `babelfish rm`: deletes one entry, refused while others link to it (unless `--force`).

use std::io::Write;

use babelfish::store::Base;
use babelfish::WorkspaceError;

use crate::args::Rm;
use crate::exit::{report_store_error, Exit};

pub fn run(args: Rm) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::require_folder(&workspace)?;
    match workspace.delete(
        &args.id,
        args.expect_revision.map(Base::revision),
        args.force,
    ) {
        Ok(deleted) => {
            writeln!(
                super::stdout(),
                "deleted {} (revision {})",
                deleted.id,
                deleted.revision
            )?;
            Ok(Exit::Ok)
        }
        Err(err @ WorkspaceError::Linked { .. }) => {
            say!("babelfish: {err}. Fix them first, or pass --force");
            Ok(Exit::Data)
        }
        Err(WorkspaceError::CurrentRevision(err)) => {
            say!("babelfish: {err}");
            Ok(Exit::Data)
        }
        Err(WorkspaceError::Store(err)) => Ok(report_store_error(&err)),
        Err(err) => Err(err.into()),
    }
}
