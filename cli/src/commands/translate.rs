//! `babelfish translate`: the text with its jargon marked, a crib sheet, or JSON.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use babelfish::annotate::Annotator;
use babelfish::cache::annotator::AnnotatorCache;
use babelfish::document::{Document, DocumentError};
use babelfish::{GlossarySource, Workspace};

use crate::args::{GlossaryArg, Translate};
use crate::exit::Exit;

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

pub fn run(args: Translate) -> anyhow::Result<Exit> {
    // The document first: a file that cannot be read is the request's fault (exit 1), whatever
    // the glossary.
    let document = match read_document(args.file.as_deref()) {
        Ok(document) => document,
        Err(err) => {
            say!("babelfish: {err}");
            return Ok(Exit::Data);
        }
    };
    let text = document.text;
    let cache_root = cache_root();
    let workspace = open(&args.glossary, cache_root.as_deref())?;
    super::warn_problems(&workspace);
    let glossary = workspace.glossary();
    let mut found =
        annotator(&workspace, cache_root.as_deref()).annotate(glossary, &text, args.side);
    if let (Some(reader), false) = (args.side, args.all_sides) {
        found = found.without_own_side(glossary, reader);
    }
    let mut out = super::stdout();
    match args.crib.as_deref() {
        Some("md") => write!(
            out,
            "{}",
            babelfish::render::crib_sheet_markdown(glossary, &found, args.side)
        )?,
        Some(_) => write!(
            out,
            "{}",
            babelfish::render::crib_sheet_html(glossary, &found, args.side)
        )?,
        None if args.json => {
            let json = TranslateJson {
                found: &found,
                format: document.format,
                text: &text,
            };
            // Compact, written once: tools read it, and one write through the terminal escaper
            // costs a few milliseconds where serde's thousands of small ones cost tens.
            let mut bytes = serde_json::to_vec(&json)?;
            bytes.push(b'\n');
            out.write_all(&bytes)?;
        }
        None => {
            // The text with each piece of jargon marked [like this][n], then the list.
            let number: HashMap<&str, usize> = found
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
                if let Some(term) = &a.prefer {
                    write!(out, " (prefer: {term})")?;
                }
                at = a.end;
            }
            writeln!(out, "{}", &text[at..])?;
            writeln!(out, "\n{} terms found:", found.terms.len())?;
            for (i, t) in found.terms.iter().enumerate() {
                let domain = glossary.domain_name(&t.domain);
                writeln!(out, "[{}]: {} — {domain}: {}", i + 1, t.term, t.definition)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// Opens the glossary the arguments name; the bundled one through the cache of its load
/// (checking 1,700 entries on every run costs more than the rest of a short translate).
fn open(arg: &GlossaryArg, cache_root: Option<&Path>) -> anyhow::Result<Workspace> {
    let source = GlossarySource::resolve(arg.glossary.as_deref());
    match (&source, cache_root) {
        (GlossarySource::Bundled, Some(root)) => {
            let (loaded, _) = babelfish::cache::bundled(root);
            Ok(Workspace::from_loaded(source, loaded, None))
        }
        _ => super::open(arg),
    }
}

/// The annotator for the workspace's glossary, read from the annotator cache when it holds one
/// for exactly these names, else built (and cached for next time). The cache holds only what
/// the glossary gives, never the text.
fn annotator(workspace: &Workspace, cache_root: Option<&Path>) -> Annotator {
    match cache_root {
        Some(root) => {
            AnnotatorCache::new(root, workspace.source())
                .annotator(workspace.glossary())
                .0
        }
        None => Annotator::new(workspace.glossary()),
    }
}

/// Where the CLI keeps its caches: `BABELFISH_CACHE_DIR` (empty: no cache), else
/// `babelfish` in the user's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches`,
/// `%LOCALAPPDATA%`).
fn cache_root() -> Option<PathBuf> {
    match std::env::var_os("BABELFISH_CACHE_DIR") {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::cache_dir().map(|d| d.join("babelfish")),
    }
}

/// Reads the document to translate (a file, or standard input) under the core's limits and
/// takes its text out: the format (.docx, .odt, .pptx, PDF, HTML, e-mail, text) is found from
/// the content. Text goes through the same decoder (size, NUL anywhere, UTF-8, BOM) as in the
/// desktop app.
fn read_document(file: Option<&Path>) -> Result<Document, DocumentError> {
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
