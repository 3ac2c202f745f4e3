//! `babelfish`: the command-line tool over the Babelfish core, for scripting, checking the
//! glossary in CI and headless use.
//!
//! Exit codes: 0 success; 1 a problem with the data or the request (lint errors, an unknown id,
//! an invalid entry); 2 bad usage or an unreadable glossary folder; 3 a conflicting edit.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use babelfish::load::Severity;
use babelfish::search::MatchKind;
use babelfish::{GlossarySource, Loaded, Reader, SearchIndex, SearchRequest};

#[derive(Parser)]
#[command(
    name = "babelfish",
    version,
    about = "Translates jargon between NHS clinicians and hospital informatics staff",
    long_about = "Translates jargon between NHS clinicians and hospital informatics staff.\n\n\
        The glossary is the folder given with --glossary, else the folder in the \
        BABELFISH_GLOSSARY environment variable, else the curated glossary bundled in this binary."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct GlossaryArg {
    /// Glossary folder (default: $BABELFISH_GLOSSARY, else the bundled glossary).
    #[arg(long, value_name = "DIR", global = true)]
    glossary: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Search the glossary, best match first.
    Search {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// Only these vocabularies (repeat for several), e.g. --domain itil --domain prince2.
        #[arg(long = "domain", value_name = "D")]
        domains: Vec<String>,
        /// Who is reading: clinician or informatics; the other side's entries move up.
        #[arg(long)]
        side: Option<Reader>,
        /// At most this many hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print a JSON array of hits.
        #[arg(long)]
        json: bool,
        /// What to look for (words are joined with spaces).
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Show one entry, with its mappings from both ends and its false friends.
    Show {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// Print the entry exactly as stored (JSON).
        #[arg(long)]
        json: bool,
        /// The entry id, e.g. itil/change-advisory-board.
        id: String,
    },
    /// Check a glossary folder: one line per problem; exit 1 on any error.
    Lint {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// The folder to check (same as --glossary).
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("babelfish: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn load(arg: &GlossaryArg) -> anyhow::Result<(GlossarySource, Loaded)> {
    let source = GlossarySource::resolve(arg.glossary.as_deref());
    let loaded = source.load()?;
    Ok((source, loaded))
}

/// Tells the user, on stderr, that some files were skipped, without drowning the output.
fn warn_problems(source: &GlossarySource, loaded: &Loaded) {
    let errors = loaded
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "babelfish: {errors} problem(s) in {}; the rest loaded. Run `babelfish lint` for details.",
            source.describe()
        );
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Search {
            glossary,
            domains,
            side,
            limit,
            json,
            query,
        } => {
            let (source, loaded) = load(&glossary)?;
            warn_problems(&source, &loaded);
            for d in &domains {
                if loaded.glossary.domain(d).is_none() {
                    let known: Vec<&str> = loaded
                        .glossary
                        .domains()
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect();
                    anyhow::bail!("unknown domain \"{d}\"; known: {}", known.join(", "));
                }
            }
            let index = SearchIndex::build(&loaded.glossary).context("building the index")?;
            let request = SearchRequest {
                query: query.join(" "),
                domains,
                reader: side,
                limit,
            };
            let hits = index.search(&loaded.glossary, &request);
            if json {
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            } else if hits.is_empty() {
                writeln!(out, "No entries match \"{}\".", request.query)?;
            } else {
                for (rank, hit) in hits.iter().enumerate() {
                    let domain = loaded
                        .glossary
                        .domain(&hit.domain)
                        .map_or(hit.domain.as_str(), |d| d.name.as_str());
                    let abbreviations = if hit.abbreviations.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", hit.abbreviations.join(", "))
                    };
                    writeln!(
                        out,
                        "{:>2}. {}{abbreviations} — {domain}   [{}]",
                        rank + 1,
                        hit.term,
                        hit.id
                    )?;
                    let snippet: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
                    writeln!(out, "    {snippet}")?;
                    for m in hit.mappings.iter().take(3) {
                        writeln!(
                            out,
                            "    ↔ {} ({}): {}",
                            m.term,
                            m.domain,
                            m.closeness.label()
                        )?;
                    }
                    if hit.matched == MatchKind::FalseFriend || !hit.false_friends.is_empty() {
                        let others: Vec<String> = hit
                            .false_friends
                            .iter()
                            .map(|f| format!("{} ({})", f.term, f.domain))
                            .collect();
                        writeln!(out, "    ⚠ false friend: also {}", others.join(", "))?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { glossary, json, id } => {
            let (source, loaded) = load(&glossary)?;
            let Some(entry) = loaded.glossary.get(&id) else {
                eprintln!(
                    "babelfish: no entry with id \"{id}\" in {}",
                    source.describe()
                );
                return Ok(ExitCode::from(1));
            };
            if json {
                write!(out, "{}", entry.to_file_json())?;
                return Ok(ExitCode::SUCCESS);
            }
            let g = &loaded.glossary;
            writeln!(out, "{}  [{}]", entry.term, entry.id)?;
            if !entry.abbreviations.is_empty() {
                writeln!(out, "Abbreviations: {}", entry.abbreviations.join(", "))?;
            }
            if !entry.synonyms.is_empty() {
                writeln!(out, "Also called: {}", entry.synonyms.join(", "))?;
            }
            writeln!(out, "\n{}\n", entry.definition)?;
            if !entry.explanation.is_empty() {
                writeln!(out, "For the other side: {}\n", entry.explanation)?;
            }
            if !entry.example.is_empty() {
                writeln!(out, "Example: {}\n", entry.example)?;
            }
            let counterparts = g.counterparts(&entry.id);
            if counterparts.is_empty() {
                writeln!(out, "Counterparts: no equivalent mapped")?;
            }
            for c in counterparts {
                let term = g.get(&c.id).map_or(c.id.as_str(), |e| e.term.as_str());
                writeln!(
                    out,
                    "↔ {term} [{}] — {}: {}",
                    c.id,
                    c.closeness.label(),
                    c.note
                )?;
            }
            for f in g.false_friends(&entry.id) {
                let term = g.get(f).map_or(f.as_str(), |e| e.term.as_str());
                writeln!(out, "⚠ False friend: {term} [{f}] means something else")?;
            }
            if !entry.related.is_empty() {
                writeln!(out, "Related: {}", entry.related.join(", "))?;
            }
            writeln!(
                out,
                "Source: {}\nStatus: {:?}{} · revision {} · {} by {}",
                entry.source,
                entry.status,
                entry
                    .reviewed_by
                    .as_deref()
                    .map(|r| format!(" by {r}"))
                    .unwrap_or_default(),
                entry.revision,
                entry.updated_at,
                entry.updated_by
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint { glossary, dir } => {
            let source = GlossarySource::resolve(dir.as_deref().or(glossary.glossary.as_deref()));
            let loaded = source.load()?;
            let base = match &source {
                GlossarySource::Folder(dir) => dir.clone(),
                GlossarySource::Bundled => PathBuf::from("glossary"),
            };
            for problem in &loaded.problems {
                writeln!(
                    out,
                    "{}:{}:{}: {}: {}",
                    base.join(&problem.path).display(),
                    problem.line,
                    problem.column,
                    problem.severity,
                    problem.message
                )?;
            }
            let errors = loaded
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            let warnings = loaded.problems.len() - errors;
            eprintln!(
                "{}: {} entries loaded, {errors} error(s), {warnings} warning(s)",
                source.describe(),
                loaded.glossary.len()
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
