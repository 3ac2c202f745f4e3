//! `babelfish import`: previews a CSV row by row; with `--apply`, writes it all or nothing.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context;
use babelfish::exchange::PlanError;
use babelfish::WorkspaceError;

use crate::args::Import;
use crate::exit::Exit;

pub fn run(args: Import) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::require_folder(&workspace)?;
    let file = args.file.display();
    let text = match babelfish::limits::read_text_file(&args.file, &babelfish::limits::CSV) {
        Ok(text) => text,
        Err(err) => {
            say!("babelfish: {err}");
            return Ok(Exit::Data);
        }
    };
    let mut column_map = HashMap::new();
    for m in &args.map {
        let (header, field) = m
            .split_once('=')
            .with_context(|| format!("--map \"{m}\" should look like \"Header=field\""))?;
        column_map.insert(header.trim().to_string(), field.trim().to_string());
    }
    let plan = match workspace.plan_import(&text, &column_map, &super::author(args.author)) {
        Ok(plan) => plan,
        Err(err) => {
            say!("babelfish: {file}: {}", plan_error_message(&err));
            return Ok(Exit::Data);
        }
    };
    let mut out = super::stdout();
    for header in &plan.ignored {
        writeln!(out, "{file}: {}", ignored_note(header))?;
    }
    for row in &plan.rows {
        let id = row.entry.as_ref().map_or("?", |e| e.id.as_str());
        let line = row.line;
        if row.exists {
            writeln!(
                out,
                "{file}:{line}: {id}: already exists; skipped (edit it instead)"
            )?;
        } else if row.is_ok() {
            writeln!(out, "{file}:{line}: {id}: ok")?;
        } else {
            for p in &row.problems {
                writeln!(
                    out,
                    "{file}:{line}: {id}: error: {}: {}",
                    p.field, p.message
                )?;
            }
        }
    }
    if !args.apply {
        writeln!(
            out,
            "preview: {} row(s) would be imported, {} with errors; nothing was written (add --apply)",
            plan.ready, plan.with_errors
        )?;
        return Ok(if plan.with_errors > 0 {
            Exit::Data
        } else {
            Exit::Ok
        });
    }
    match workspace.apply_import(&plan) {
        Ok(ids) => {
            let n = ids.len();
            writeln!(out, "imported {n} entr{}", if n == 1 { "y" } else { "ies" })?;
            Ok(Exit::Ok)
        }
        Err(err @ WorkspaceError::RowsWithErrors(_)) => {
            writeln!(out, "{err}")?;
            Ok(Exit::Data)
        }
        Err(WorkspaceError::Import(err)) => {
            say!("babelfish: {file}: {err}");
            Ok(Exit::Data)
        }
        Err(err) => Err(err.into()),
    }
}

/// What is said about a column that was left out: how to map it.
fn ignored_note(header: &str) -> String {
    format!(
        "column \"{header}\" is not a glossary field; it was ignored (map it with --map \"{header}=<field>\")"
    )
}

/// Why a CSV could not be checked; for a missing column, how to map one.
fn plan_error_message(err: &PlanError) -> String {
    match err {
        PlanError::MissingColumn { field, .. } => {
            format!("{err}; map one with --map \"<header>={field}\"")
        }
        PlanError::Header(_) => err.to_string(),
    }
}
