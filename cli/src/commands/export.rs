//! `babelfish export`: the whole glossary as CSV, SKOS, Markdown or HTML on standard output.

use std::io::Write;

use babelfish::workspace::ExportFormat;

use crate::args::Export;
use crate::exit::Exit;

pub fn run(args: Export) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::warn_problems(&workspace);
    // clap allows only the four names.
    let format = ExportFormat::from_name(&args.format).unwrap_or(ExportFormat::Html);
    let text = workspace.export(format)?;
    // A data format: only control characters (which valid data cannot hold) are escaped;
    // every other character is exported as it is.
    let mut out = babelfish::escape::TerminalSafe::data(std::io::stdout().lock());
    write!(out, "{text}")?;
    Ok(Exit::Ok)
}
