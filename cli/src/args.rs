//! The command line, as clap reads it. Help texts here are the CLI's documentation.

use std::path::PathBuf;

use babelfish::Reader;
use clap::{Parser, Subcommand};

/// The whole command line.
#[derive(Parser)]
#[command(
    name = "babelfish",
    version,
    about = "Translates jargon between NHS clinicians and hospital informatics staff",
    long_about = "Translates jargon between NHS clinicians and hospital informatics staff.\n\n\
        The glossary is the folder given with --glossary, else the folder in the \
        BABELFISH_GLOSSARY environment variable, else the curated glossary bundled in this binary."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--glossary DIR`, taken by every subcommand.
#[derive(clap::Args, Clone)]
pub struct GlossaryArg {
    /// Glossary folder (default: $BABELFISH_GLOSSARY, else the bundled glossary).
    #[arg(long, value_name = "DIR", global = true)]
    pub glossary: Option<PathBuf>,
}

/// The subcommands; each is run by the module of the same name in `commands/`.
#[derive(Subcommand)]
pub enum Command {
    /// Search the glossary, best match first.
    Search(Search),
    /// Show one entry, with its mappings from both ends and its false friends.
    Show(Show),
    /// Find the jargon in a text (a file, or standard input with `-` or no FILE) and explain it.
    Translate(Translate),
    /// Save one entry (JSON file or `-`) through the store: exit 0 saved, 3 conflict, 1 invalid.
    Put(Put),
    /// Delete one entry: refused if others link to it, unless --force.
    Rm(Rm),
    /// Export the glossary: csv, skos (Turtle), md or html, to standard output.
    Export(Export),
    /// Import entries from a CSV: previews and validates every row; writes only with --apply.
    Import(Import),
    /// Watch a glossary folder and print one JSON line per burst of changes (for scripts and
    /// tests of live updates). Runs until interrupted.
    Watch(Watch),
    /// Share the glossary through git: commit its changes, fetch, merge entry by entry, push.
    /// Exit 0 in sync, 3 conflicts remain, 2 it cannot run.
    Sync(Sync),
    /// Check a glossary folder: one line per problem; exit 1 on any error.
    Lint(Lint),
    /// Sign off an entry for your side (approve or request changes), or list what awaits
    /// sign-off with --queue. Exit 0 recorded, 1 refused by a review rule, 3 conflict, 4 busy.
    Review(Review),
}

// `babelfish search` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Search {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Only these vocabularies (repeat for several), e.g. --domain itil --domain prince2.
    #[arg(long = "domain", value_name = "D")]
    pub domains: Vec<String>,
    /// Who is reading: clinician or informatics; the other side's entries move up.
    #[arg(long)]
    pub side: Option<Reader>,
    /// At most this many hits.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Only entries with this status (repeat for several): draft, proposed, approved,
    /// superseded, retired, reviewed.
    #[arg(long = "status", value_name = "S")]
    pub statuses: Vec<babelfish::Status>,
    /// Print a JSON array of hits.
    #[arg(long)]
    pub json: bool,
    /// What to look for (words are joined with spaces).
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub query: Vec<String>,
}

// `babelfish show` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Show {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Print the entry exactly as stored (JSON).
    #[arg(long)]
    pub json: bool,
    /// The entry id, e.g. itil/change-advisory-board.
    pub id: String,
}

// `babelfish translate` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Translate {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Print {"annotations": [...], "terms": [...], "format": "docx", "text": "..."} as JSON;
    /// offsets are byte offsets into "text" (for a document, the text taken out of it).
    #[arg(long, conflicts_with = "crib")]
    pub json: bool,
    /// Who is reading: clinician or informatics (decides the likelier reading and the
    /// explanation used on the crib sheet).
    #[arg(long)]
    pub side: Option<Reader>,
    /// With --side, also list the reader's own side's terms (hidden by default: a clinician
    /// already knows "ward").
    #[arg(long, requires = "side")]
    pub all_sides: bool,
    /// Print a crib sheet of the terms found instead: md or html.
    #[arg(long, value_name = "FORMAT", value_parser = ["md", "html"])]
    pub crib: Option<String>,
    /// The file: text (.txt, .md), .docx, .odt, .pptx, .pdf, .html or .eml, found from its
    /// content; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
}

// `babelfish put` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Put {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// The revision the edit is based on (default: the `revision` in the file).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<u64>,
    /// Who is saving (default: $BABELFISH_AUTHOR, else $USER, else %USERNAME%).
    #[arg(long)]
    pub author: Option<String>,
    /// The entry as JSON; `-` reads standard input.
    pub file: PathBuf,
}

// `babelfish rm` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Rm {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// The revision you expect to delete (refused as a conflict if it changed).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<u64>,
    /// Delete even though other entries link to it (their links will dangle).
    #[arg(long)]
    pub force: bool,
    /// The entry id.
    pub id: String,
}

// `babelfish export` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Export {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Output format.
    #[arg(long, value_parser = ["csv", "skos", "md", "html"])]
    pub format: String,
}

// `babelfish import` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Import {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Rename a spreadsheet column to a field, e.g. --map "Meaning=definition" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// Write the valid rows (default: only show the preview).
    #[arg(long)]
    pub apply: bool,
    /// Who is importing (default: $BABELFISH_AUTHOR, else $USER, else %USERNAME%).
    #[arg(long)]
    pub author: Option<String>,
    /// The CSV file.
    pub file: PathBuf,
}

// `babelfish watch` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Watch {
    #[command(flatten)]
    pub glossary: GlossaryArg,
}

// `babelfish sync` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Sync {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Print {"committed", "pulled", "pushed", "merged", "conflicts"} as JSON.
    #[arg(long)]
    pub json: bool,
    /// The commit message (default: names the changed entries).
    #[arg(long, value_name = "M")]
    pub message: Option<String>,
    /// Who commits (default: $BABELFISH_AUTHOR, else $USER, else %USERNAME%).
    #[arg(long)]
    pub author: Option<String>,
}

// `babelfish lint` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
pub struct Lint {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// The folder to check (same as --glossary).
    pub dir: Option<PathBuf>,
}

// `babelfish review` (no doc comment: the variant's is the help text).
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("decision").args(["approve", "request_changes"])))]
pub struct Review {
    #[command(flatten)]
    pub glossary: GlossaryArg,
    /// Who is signing off (refused if it is who made the current revision).
    #[arg(long = "as", value_name = "NAME", required_unless_present = "queue")]
    pub reviewer: Option<String>,
    /// The side you sign off for: clinical or informatics (with --queue: what awaits it).
    #[arg(long, value_name = "S", required_unless_present = "queue")]
    pub side: Option<babelfish::Side>,
    /// Approve the current revision.
    #[arg(long, conflicts_with = "queue")]
    pub approve: bool,
    /// Ask for changes to the current revision, saying what.
    #[arg(long, value_name = "NOTE", conflicts_with = "queue")]
    pub request_changes: Option<String>,
    /// List the entries awaiting sign-off (from --side only, if given).
    #[arg(long)]
    pub queue: bool,
    /// With --queue: print a JSON array.
    #[arg(long, requires = "queue")]
    pub json: bool,
    /// The entry id, e.g. itil/change-advisory-board.
    #[arg(required_unless_present = "queue", conflicts_with = "queue")]
    pub id: Option<String>,
}
