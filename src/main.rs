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
    /// Find the jargon in a text (a file, or standard input with `-` or no FILE) and explain it.
    Translate {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// Print {"annotations": [...], "terms": [...], "format": "docx", "text": "..."} as JSON;
        /// offsets are byte offsets into "text" (for a document, the text taken out of it).
        #[arg(long, conflicts_with = "crib")]
        json: bool,
        /// Who is reading: clinician or informatics (decides the likelier reading and the
        /// explanation used on the crib sheet).
        #[arg(long)]
        side: Option<Reader>,
        /// Print a crib sheet of the terms found instead: md or html.
        #[arg(long, value_name = "FORMAT", value_parser = ["md", "html"])]
        crib: Option<String>,
        /// The file: text (.txt, .md), .docx, .odt, .pptx, .pdf, .html or .eml, found from its
        /// content; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// Save one entry (JSON file or `-`) through the store: exit 0 saved, 3 conflict, 1 invalid.
    Put {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// The revision the edit is based on (default: the `revision` in the file).
        #[arg(long, value_name = "N")]
        expect_revision: Option<u64>,
        /// Who is saving (default: $BABELFISH_AUTHOR, else $USER).
        #[arg(long)]
        author: Option<String>,
        /// The entry as JSON; `-` reads standard input.
        file: PathBuf,
    },
    /// Delete one entry: refused if others link to it, unless --force.
    Rm {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// The revision you expect to delete (refused as a conflict if it changed).
        #[arg(long, value_name = "N")]
        expect_revision: Option<u64>,
        /// Delete even though other entries link to it (their links will dangle).
        #[arg(long)]
        force: bool,
        /// The entry id.
        id: String,
    },
    /// Export the glossary: csv, skos (Turtle), md or html, to standard output.
    Export {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// Output format.
        #[arg(long, value_parser = ["csv", "skos", "md", "html"])]
        format: String,
    },
    /// Import entries from a CSV: previews and validates every row; writes only with --apply.
    Import {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// Rename a spreadsheet column to a field, e.g. --map "Meaning=definition" (repeatable).
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        map: Vec<String>,
        /// Write the valid rows (default: only show the preview).
        #[arg(long)]
        apply: bool,
        /// Who is importing (default: $BABELFISH_AUTHOR, else $USER).
        #[arg(long)]
        author: Option<String>,
        /// The CSV file.
        file: PathBuf,
    },
    /// Watch a glossary folder and print one JSON line per burst of changes (for scripts and
    /// tests of live updates). Runs until interrupted.
    Watch {
        #[command(flatten)]
        glossary: GlossaryArg,
    },
    /// Check a glossary folder: one line per problem; exit 1 on any error.
    Lint {
        #[command(flatten)]
        glossary: GlossaryArg,
        /// The folder to check (same as --glossary).
        dir: Option<PathBuf>,
    },
}

/// Prints a message on stderr with every control character escaped (file names, ids and
/// glossary text can hold anything). A closed stderr is ignored rather than a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let message = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", babelfish::escape::terminal(&message));
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`babelfish search CAB | head -1`): stop quietly, as ripgrep
        // does; the output was not wanted.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            say!("babelfish: {}", error_message(&err));
            ExitCode::from(2)
        }
    }
}

/// True when the error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes joined with `: `, leaving out a cause whose text the message
/// already holds (error types that quote their source would otherwise print the OS error
/// twice: "cannot read X: No such file or directory (os error 2): No such file...").
fn error_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
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
        say!(
            "babelfish: {errors} problem(s) in {}; the rest loaded. Run `babelfish lint` for details.",
            source.describe()
        );
    }
}

/// Prints a refused save or delete and gives its exit code: 3 a conflicting edit, 4 the entry
/// is locked (another writer, or a lock that cannot be cleared), 2 the system refused, 1 the
/// data or request is at fault.
fn report_store_error(err: &babelfish::store::StoreError) -> ExitCode {
    use babelfish::store::StoreError;
    match err {
        StoreError::Conflict(_) => {
            say!("babelfish: conflict: {err}");
            ExitCode::from(3)
        }
        StoreError::Busy { .. } => {
            say!("babelfish: {err}");
            ExitCode::from(4)
        }
        StoreError::Io { .. } => {
            say!("babelfish: {err}");
            ExitCode::from(2)
        }
        _ => {
            say!("babelfish: {err}");
            ExitCode::from(1)
        }
    }
}

fn author(explicit: Option<String>) -> String {
    explicit
        .or_else(|| std::env::var("BABELFISH_AUTHOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The folder edits go to: the bundled glossary is read-only.
fn folder(source: &GlossarySource) -> anyhow::Result<PathBuf> {
    match source {
        GlossarySource::Folder(dir) => Ok(dir.clone()),
        GlossarySource::Bundled => anyhow::bail!(
            "the bundled glossary is read-only; give a folder with --glossary DIR or BABELFISH_GLOSSARY"
        ),
    }
}

/// Reads the document to translate (a file, or standard input) under the core's limits and
/// takes its text out: the format (.docx, .odt, .pptx, PDF, HTML, e-mail, text) is found from
/// the content. Text goes through the same decoder (size, NUL anywhere, UTF-8, BOM) as in the
/// desktop app.
fn read_document(
    file: Option<&std::path::Path>,
) -> Result<babelfish::document::Document, babelfish::document::DocumentError> {
    use babelfish::limits::{read_file_bytes, read_stdin_bytes, DOCUMENT};
    let (name, bytes) = match file {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let bytes = read_file_bytes(p, &name, &DOCUMENT)?;
            (name, bytes)
        }
        _ => ("standard input".to_string(), read_stdin_bytes(&DOCUMENT)?),
    };
    babelfish::document::extract(&name, &bytes)
}

/// `translate --json`: the annotations and terms, with the text they refer to.
#[derive(serde::Serialize)]
struct TranslateJson<'a> {
    #[serde(flatten)]
    found: &'a babelfish::annotate::Annotated,
    /// What the input was found to be.
    format: babelfish::document::Format,
    /// The text the offsets refer to (for a document, the text taken out of it).
    text: &'a str,
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Everything printed goes through the escaper: no raw control character reaches a terminal.
    let mut out = babelfish::escape::TerminalSafe::new(std::io::stdout().lock());
    match cli.command {
        Command::Translate {
            glossary,
            json,
            side,
            crib,
            file,
        } => {
            let document = match read_document(file.as_deref()) {
                Ok(document) => document,
                Err(err) => {
                    say!("babelfish: {err}");
                    return Ok(ExitCode::from(1));
                }
            };
            let text = document.text;
            let (source, loaded) = load(&glossary)?;
            warn_problems(&source, &loaded);
            let annotator = babelfish::annotate::Annotator::new(&loaded.glossary);
            let found = annotator.annotate(&loaded.glossary, &text, side);
            match crib.as_deref() {
                Some("md") => write!(
                    out,
                    "{}",
                    babelfish::annotate::crib_sheet_markdown(&loaded.glossary, &found, side)
                )?,
                Some(_) => write!(
                    out,
                    "{}",
                    babelfish::annotate::crib_sheet_html(&loaded.glossary, &found, side)
                )?,
                None if json => {
                    let json = TranslateJson {
                        found: &found,
                        format: document.format,
                        text: &text,
                    };
                    serde_json::to_writer_pretty(&mut out, &json)?;
                    writeln!(out)?;
                }
                None => {
                    // The text with each piece of jargon marked [like this][n], then the list.
                    let number: std::collections::HashMap<&str, usize> = found
                        .terms
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.id.as_str(), i + 1))
                        .collect();
                    let mut at = 0;
                    for a in &found.annotations {
                        write!(
                            out,
                            "{}[{}][{}]",
                            &text[at..a.start],
                            a.text,
                            number[a.id.as_str()]
                        )?;
                        at = a.end;
                    }
                    writeln!(out, "{}", &text[at..])?;
                    writeln!(out, "\n{} terms found:", found.terms.len())?;
                    for (i, t) in found.terms.iter().enumerate() {
                        let domain = loaded.glossary.domain_name(&t.domain);
                        writeln!(out, "[{}]: {} — {domain}: {}", i + 1, t.term, t.definition)?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Put {
            glossary,
            expect_revision,
            author: who,
            file,
        } => {
            let (source, loaded) = load(&glossary)?;
            let store = babelfish::store::Store::new(folder(&source)?);
            let limit = babelfish::limits::ENTRY_FILE;
            let text = if file.as_os_str() == "-" {
                babelfish::limits::read_text_stdin(&limit)
            } else {
                babelfish::limits::read_text_file(&file, &limit)
            };
            let text = match text {
                Ok(text) => text,
                Err(err) => {
                    say!("babelfish: {err}");
                    return Ok(ExitCode::from(1));
                }
            };
            let entry: babelfish::Entry = match serde_json::from_str(&text) {
                Ok(entry) => entry,
                Err(err) => {
                    say!("babelfish: {} is not a valid entry: {err}", file.display());
                    return Ok(ExitCode::from(1));
                }
            };
            let id = entry.id.clone();
            let exists = store.path_of(&id).map(|p| p.exists()).unwrap_or(false);
            let result = if exists || expect_revision.is_some() {
                let base =
                    babelfish::store::Base::revision(expect_revision.unwrap_or(entry.revision));
                store.save(entry, &base, &author(who), &loaded.glossary)
            } else {
                store.create(entry, &author(who), &loaded.glossary)
            };
            match result {
                Ok(saved) => {
                    writeln!(out, "saved {} at revision {}", saved.id, saved.revision)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_store_error(&err)),
            }
        }
        Command::Rm {
            glossary,
            expect_revision,
            force,
            id,
        } => {
            let (source, loaded) = load(&glossary)?;
            let store = babelfish::store::Store::new(folder(&source)?);
            let links = loaded.glossary.linked_from(&id);
            if !links.is_empty() && !force {
                say!(
                    "babelfish: {id} is linked from {}; deleting it would leave those links dangling. Fix them first, or pass --force",
                    links.join(", ")
                );
                return Ok(ExitCode::from(1));
            }
            let revision = match expect_revision {
                Some(r) => r,
                None => match store.read(&id) {
                    Ok(stored) => stored.entry.revision,
                    Err(err) => {
                        say!("babelfish: {err}");
                        return Ok(ExitCode::from(1));
                    }
                },
            };
            match store.delete(&id, &babelfish::store::Base::revision(revision)) {
                Ok(()) => {
                    writeln!(out, "deleted {id} (revision {revision})")?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_store_error(&err)),
            }
        }
        Command::Export { glossary, format } => {
            let (source, loaded) = load(&glossary)?;
            warn_problems(&source, &loaded);
            let g = &loaded.glossary;
            // A data format: only control characters (which valid data cannot hold) are
            // escaped; every other character is exported as it is.
            let mut out = babelfish::escape::TerminalSafe::data(std::io::stdout().lock());
            let text = match format.as_str() {
                "csv" => babelfish::exchange::export_csv(g)?,
                "skos" => babelfish::exchange::export_skos(g),
                "md" => babelfish::exchange::export_markdown(g),
                _ => babelfish::exchange::export_html(g),
            };
            write!(out, "{text}")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            glossary,
            map,
            apply,
            author: who,
            file,
        } => {
            let (source, loaded) = load(&glossary)?;
            let root = folder(&source)?;
            let text = match babelfish::limits::read_text_file(&file, &babelfish::limits::CSV) {
                Ok(text) => text,
                Err(err) => {
                    say!("babelfish: {err}");
                    return Ok(ExitCode::from(1));
                }
            };
            let mut column_map = std::collections::HashMap::new();
            for m in &map {
                let (header, field) = m
                    .split_once('=')
                    .with_context(|| format!("--map \"{m}\" should look like \"Header=field\""))?;
                column_map.insert(header.trim().to_string(), field.trim().to_string());
            }
            let who = author(who);
            let now = babelfish::store::now_rfc3339();
            let (rows, ignored) = match babelfish::exchange::preview_csv(
                &loaded.glossary,
                &text,
                &column_map,
                &who,
                &now,
            ) {
                Ok(preview) => preview,
                Err(message) => {
                    say!("babelfish: {}: {message}", file.display());
                    return Ok(ExitCode::from(1));
                }
            };
            for note in &ignored {
                writeln!(out, "{}: {note}", file.display())?;
            }
            let mut bad = 0;
            for row in &rows {
                let id = row.entry.as_ref().map_or("?", |e| e.id.as_str());
                if row.exists {
                    writeln!(
                        out,
                        "{}:{}: {id}: already exists; skipped (edit it instead)",
                        file.display(),
                        row.line
                    )?;
                } else if row.is_ok() {
                    writeln!(out, "{}:{}: {id}: ok", file.display(), row.line)?;
                } else {
                    bad += 1;
                    for p in &row.problems {
                        writeln!(
                            out,
                            "{}:{}: {id}: error: {}: {}",
                            file.display(),
                            row.line,
                            p.field,
                            p.message
                        )?;
                    }
                }
            }
            let ok: Vec<&babelfish::Entry> = rows
                .iter()
                .filter(|r| r.is_ok())
                .filter_map(|r| r.entry.as_ref())
                .collect();
            if !apply {
                writeln!(out, "preview: {} row(s) would be imported, {bad} with errors; nothing was written (add --apply)", ok.len())?;
                return Ok(if bad > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                });
            }
            if bad > 0 {
                writeln!(
                    out,
                    "nothing was written: fix the {bad} row(s) with errors first"
                )?;
                return Ok(ExitCode::from(1));
            }
            let store = babelfish::store::Store::new(root);
            let entries: Vec<babelfish::Entry> = ok.iter().map(|e| (*e).clone()).collect();
            if let Err(err) = babelfish::exchange::apply_import(&store, &loaded.glossary, &entries)
            {
                say!("babelfish: {}: {err}", file.display());
                return Ok(ExitCode::from(1));
            }
            writeln!(
                out,
                "imported {} entr{}",
                ok.len(),
                if ok.len() == 1 { "y" } else { "ies" }
            )?;
            Ok(ExitCode::SUCCESS)
        }
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
            let hits = index.search(&loaded.glossary, &request)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            } else if hits.is_empty() {
                writeln!(out, "No entries match \"{}\".", request.query)?;
            } else {
                for (rank, hit) in hits.iter().enumerate() {
                    let domain = loaded.glossary.domain_name(&hit.domain);
                    let abbreviations =
                        babelfish::annotate::abbreviation_suffix(&hit.abbreviations);
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
                say!(
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
            if counterparts.len() == 0 {
                writeln!(out, "Counterparts: no equivalent mapped")?;
            }
            for c in counterparts {
                writeln!(
                    out,
                    "↔ {} [{}] — {}: {}",
                    c.entry().term,
                    c.id(),
                    c.closeness().label(),
                    c.note()
                )?;
            }
            for friend in g.false_friends(&entry.id) {
                writeln!(
                    out,
                    "⚠ False friend: {} [{}] means something else",
                    friend.term, friend.id
                )?;
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
        Command::Watch { glossary } => {
            let (source, loaded) = load(&glossary)?;
            let root = folder(&source)?;
            let mut glossary = loaded.glossary;
            let mut index = SearchIndex::build(&glossary).context("building the index")?;
            let (tx, rx) = std::sync::mpsc::channel();
            let _watcher = babelfish::watch::watch(&root, move |change| {
                let _ = tx.send(change);
            })?;
            writeln!(
                out,
                "{}",
                serde_json::json!({"ready": true, "entries": glossary.len(), "watch": match _watcher.mode() {
                    babelfish::watch::WatchMode::Events => "events",
                    babelfish::watch::WatchMode::Poll(_) => "poll",
                }})
            )?;
            out.flush()?;
            for change in rx {
                let started = std::time::Instant::now();
                // A folder that cannot be read for a moment (a network blip) is reported and
                // the watch goes on; files that vanish or cannot be read are in the problems.
                let reloaded = match babelfish::load_dir(&root) {
                    Ok(reloaded) => reloaded,
                    Err(err) => {
                        writeln!(
                            out,
                            "{}",
                            serde_json::json!({"changed": change.ids, "error": err.to_string()})
                        )?;
                        out.flush()?;
                        continue;
                    }
                };
                let stats = index.update(&glossary, &reloaded.glossary)?;
                glossary = reloaded.glossary;
                let line = serde_json::json!({
                    "changed": change.ids,
                    "domains": change.domains,
                    "entries": glossary.len(),
                    "problems": reloaded.problems.iter().filter(|p| p.severity == Severity::Error).count(),
                    "reindexed": stats.reindexed,
                    "update_ms": started.elapsed().as_secs_f64() * 1e3,
                });
                writeln!(out, "{line}")?;
                out.flush()?;
            }
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
                // One line per problem, whatever the file name or the message quotes.
                writeln!(
                    out,
                    "{}:{}:{}: {}: {}",
                    babelfish::escape::terminal_line(
                        &base.join(&problem.path).display().to_string()
                    ),
                    problem.line,
                    problem.column,
                    problem.severity,
                    babelfish::escape::terminal_line(&problem.message)
                )?;
            }
            let errors = loaded
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            let warnings = loaded.problems.len() - errors;
            say!(
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
