//! The Translate view's answers: the core's annotations shaped for the page (UTF-16 offsets,
//! a brief per entry found), documents read through the core, crib sheets through the core.
//!
//! Information governance: pasted text may hold patient details. It lives only in memory for
//! the length of one call: it is never logged, cached, written or echoed back (the page keeps
//! its own copy; the answer holds offsets, not text). Error messages never quote it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use babelfish::annotate::{Annotated, TermFound};
use babelfish::{Glossary, Reader, Side};
use serde::Serialize;

use crate::error::{ErrorCode, IpcError};

/// The most text one call annotates (about 800,000 words): the core's limit, shared with the
/// CLI. More is refused with a message rather than freezing the window while it lays out the
/// highlighted copy.
pub const MAX_TEXT_BYTES: u64 = babelfish::limits::MAX_TEXT_BYTES;

/// One highlighted piece of text. Offsets are in UTF-16 code units, as JavaScript strings
/// count them (the core's are UTF-8 byte offsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    /// First code unit.
    pub start: usize,
    /// Just past the last code unit.
    pub end: usize,
    /// The likeliest entry.
    pub id: String,
    /// Other readings, likeliest first (false friends, several expansions).
    pub alternatives: Vec<String>,
}

/// The nearest counterpart on the other side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CounterpartBrief {
    /// Its id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// How close, in words.
    pub closeness_label: &'static str,
    /// An equivalent (a translation), not only an analogy.
    pub equivalent: bool,
}

/// What the page shows about an entry found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    /// Entry id.
    pub id: String,
    /// Term.
    pub term: String,
    /// Domain id.
    pub domain: String,
    /// Domain display name.
    pub domain_name: String,
    /// The side that speaks the domain.
    pub side: Side,
    /// Abbreviations.
    pub abbreviations: Vec<String>,
    /// True when the reader is on the other side: the explanation is written for them.
    pub explanation_first: bool,
    /// The text to show the reader first is the explanation (else the definition).
    pub shows_explanation: bool,
    /// The heading over that text ("For clinicians", or "Definition").
    pub heading: &'static str,
    /// Definition.
    pub definition: String,
    /// Explanation for the other side.
    pub explanation: String,
    /// A short text for the reader (crib sheet and print): explanation or definition, ≤ ~40 words.
    pub short: String,
    /// The nearest counterpart, if any.
    pub counterpart: Option<CounterpartBrief>,
}

/// An entry found in the text, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Entry id.
    pub id: String,
    /// How often it was the likeliest reading.
    pub count: usize,
}

/// The answer to `translate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Translation {
    /// Highlights in text order, not overlapping.
    pub highlights: Vec<Highlight>,
    /// Entries found, in order of first appearance.
    pub terms: Vec<Found>,
    /// Every entry a highlight or an alternative names.
    pub entries: BTreeMap<String, Brief>,
    /// The text's length in UTF-16 code units (the page checks it has the same text).
    pub length: usize,
    /// How long annotating took.
    pub elapsed_ms: u64,
    /// What was left out because it is the reader's own side's jargon.
    pub own_side_hidden: OwnSideHidden,
}

/// What hiding the reader's own side left out of a translation (the page says so and offers
/// to show them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OwnSideHidden {
    /// The side hidden (the reader's); None when nothing was hidden on purpose (no side
    /// chosen, or the reader asked for every side).
    pub side: Option<Side>,
    /// Entries left out.
    pub terms: usize,
    /// Highlights left out.
    pub highlights: usize,
}

/// The annotations the reader asked to see: without their own side's terms (the core's
/// [`Annotated::without_own_side`], as the CLI does without `--all-sides`) unless `all_sides`,
/// and how much that left out.
pub fn for_reader(
    glossary: &Glossary,
    annotated: Annotated,
    reader: Option<Reader>,
    all_sides: bool,
) -> (Annotated, OwnSideHidden) {
    let Some(reader) = reader.filter(|_| !all_sides) else {
        return (annotated, OwnSideHidden::default());
    };
    let (terms, highlights) = (annotated.terms.len(), annotated.annotations.len());
    let shown = annotated.without_own_side(glossary, reader);
    let hidden = OwnSideHidden {
        side: Some(reader.side()),
        terms: terms - shown.terms.len(),
        highlights: highlights - shown.annotations.len(),
    };
    (shown, hidden)
}

/// Walks a text forwards converting UTF-8 byte offsets to UTF-16 code-unit offsets, so a
/// whole document is converted in one pass.
struct Utf16Cursor<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl Utf16Cursor<'_> {
    /// The UTF-16 offset of `byte` (which must not be behind the cursor and must be a char
    /// boundary; None otherwise).
    fn to(&mut self, byte: usize) -> Option<usize> {
        if byte < self.byte || !self.text.is_char_boundary(byte) {
            return None;
        }
        self.unit += self.text[self.byte..byte]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        self.byte = byte;
        Some(self.unit)
    }
}

fn brief(glossary: &Glossary, id: &str, reader: Option<Reader>) -> Option<Brief> {
    let entry = glossary.get(id)?;
    let explanation_first =
        crate::services::view::explanation_first(glossary, &entry.domain, reader);
    let counterpart = glossary.counterparts(id).next().map(|c| CounterpartBrief {
        id: c.id().to_owned(),
        term: c.entry().term.clone(),
        closeness_label: c.closeness().label(),
        equivalent: c.closeness().is_equivalent(),
    });
    let side = glossary.side_of(&entry.domain);
    let shows_explanation = explanation_first && !entry.explanation.is_empty();
    Some(Brief {
        id: entry.id.clone(),
        term: entry.term.clone(),
        domain: entry.domain.clone(),
        domain_name: glossary.domain_name(&entry.domain).to_string(),
        side,
        abbreviations: entry.abbreviations.clone(),
        explanation_first,
        shows_explanation,
        heading: if shows_explanation {
            side.explanation_heading()
        } else {
            "Definition"
        },
        short: babelfish::render::short_text(
            explanation_first,
            &entry.definition,
            &entry.explanation,
        ),
        definition: entry.definition.clone(),
        explanation: entry.explanation.clone(),
        counterpart,
    })
}

/// Shapes the core's annotations (as [`for_reader`] left them) for the page.
pub fn translation(
    glossary: &Glossary,
    text: &str,
    (annotated, own_side_hidden): (&Annotated, OwnSideHidden),
    reader: Option<Reader>,
    started: Instant,
) -> Translation {
    let mut cursor = Utf16Cursor {
        text,
        byte: 0,
        unit: 0,
    };
    let mut highlights = Vec::with_capacity(annotated.annotations.len());
    let mut entries = BTreeMap::new();
    for a in &annotated.annotations {
        let (Some(start), Some(end)) = (cursor.to(a.start), cursor.to(a.end)) else {
            continue; // not on a char boundary or out of order: cannot happen, never panic
        };
        for id in std::iter::once(&a.id).chain(a.alternatives.iter().map(|alt| &alt.id)) {
            if !entries.contains_key(id) {
                if let Some(b) = brief(glossary, id, reader) {
                    entries.insert(id.clone(), b);
                }
            }
        }
        highlights.push(Highlight {
            start,
            end,
            id: a.id.clone(),
            alternatives: a.alternatives.iter().map(|alt| alt.id.clone()).collect(),
        });
    }
    let length = cursor.to(text.len()).unwrap_or_default();
    Translation {
        highlights,
        terms: annotated
            .terms
            .iter()
            .map(|t| Found {
                id: t.id.clone(),
                count: t.count,
            })
            .collect(),
        entries,
        length,
        elapsed_ms: started.elapsed().as_millis() as u64,
        own_side_hidden,
    }
}

/// The core's refusal of a text over the size limit.
pub fn too_large(bytes: usize) -> IpcError {
    unreadable(babelfish::limits::TEXT.exceeded("The pasted text", bytes as u64, false))
}

/// The core's refusal of a text, as the page shows it.
fn unreadable(err: babelfish::limits::TextError) -> IpcError {
    IpcError::new(ErrorCode::Unreadable, err.to_string())
}

/// A text file the user opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenedText {
    /// The file's name (not its folder).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Reads a file for the Translate view: a document (.docx, .odt, .pptx, PDF, HTML, e-mail,
/// found from its content) has its text taken out in memory by the core
/// (`babelfish::document`); text goes through the core's decoder. So the app and the CLI refuse
/// the same files (too large, binary, not UTF-8, encrypted, scanned, damaged) with the same
/// words, and both drop a byte-order mark. Only the file's name (not its folder) is in the
/// message. Nothing about the file, or taken out of it, is remembered or written.
pub fn read_text_file(path: &Path) -> Result<String, IpcError> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let bytes = babelfish::limits::read_file_bytes(path, &name, &babelfish::limits::DOCUMENT)
        .map_err(unreadable)?;
    babelfish::document::extract(&name, &bytes)
        .map(|document| document.text)
        .map_err(|err| IpcError::new(ErrorCode::Unreadable, err.to_string()))
}

/// Files dropped on the window, waiting for the page to open them. Paths only: nothing is read
/// until the page asks, through [`read_text_file`] like the open dialog.
#[derive(Debug, Default)]
pub struct DroppedFiles(Mutex<Vec<PathBuf>>);

impl DroppedFiles {
    /// Remembers what was dropped, replacing an earlier drop the page has not opened.
    pub fn put(&self, paths: Vec<PathBuf>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = paths;
    }

    /// Takes the one dropped file to open (None if nothing is waiting); several at once are
    /// refused with a message, since the view shows one document.
    pub fn take_one(&self) -> Result<Option<PathBuf>, IpcError> {
        let paths = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        if paths.len() > 1 {
            return Err(IpcError::new(
                ErrorCode::Unreadable,
                format!(
                    "{} files were dropped: drop one document at a time.",
                    paths.len()
                ),
            ));
        }
        Ok(paths.into_iter().next())
    }
}

/// The format of a saved crib sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CribFormat {
    /// Markdown.
    Md,
    /// A standalone HTML page (prints about 20 terms a page).
    Html,
}

/// The crib sheet for the terms found (by id, in order), through the core's formatters. Only
/// the terms are used: the pasted text is not needed and not included.
pub fn crib_sheet(
    glossary: &Glossary,
    ids: &[String],
    reader: Option<Reader>,
    format: CribFormat,
) -> String {
    let terms = ids
        .iter()
        .filter_map(|id| glossary.get(id))
        .map(|e| TermFound {
            id: e.id.clone(),
            term: e.term.clone(),
            domain: e.domain.clone(),
            abbreviations: e.abbreviations.clone(),
            definition: e.definition.clone(),
            explanation: e.explanation.clone(),
            count: 1,
        })
        .collect();
    let annotated = Annotated {
        annotations: Vec::new(),
        terms,
    };
    match format {
        CribFormat::Md => babelfish::render::crib_sheet_markdown(glossary, &annotated, reader),
        CribFormat::Html => babelfish::render::crib_sheet_html(glossary, &annotated, reader),
    }
}

/// The file name, filter name and extension a crib sheet is offered under.
pub fn crib_file(format: CribFormat) -> (&'static str, &'static str, &'static str) {
    match format {
        CribFormat::Md => ("crib-sheet.md", "Markdown", "md"),
        CribFormat::Html => ("crib-sheet.html", "Web page (prints well)", "html"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_become_utf16_offsets() {
        // "é" is 2 bytes and 1 unit; "😀" is 4 bytes and 2 units.
        let text = "é CAB 😀 RFC";
        let mut cursor = Utf16Cursor {
            text,
            byte: 0,
            unit: 0,
        };
        let cab = text.find("CAB").unwrap();
        let rfc = text.find("RFC").unwrap();
        assert_eq!(cursor.to(cab), Some(2));
        assert_eq!(cursor.to(cab + 3), Some(5));
        assert_eq!(cursor.to(rfc), Some(9));
        assert_eq!(cursor.to(rfc + 3), Some(12));
        assert_eq!(text.encode_utf16().count(), 12);
        assert_eq!(cursor.to(1), None, "never backwards");
    }

    #[test]
    fn annotations_in_non_ascii_text_line_up_for_javascript() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let loaded = babelfish::load_dir(&fixture).unwrap();
        let glossary = &loaded.glossary;
        let annotator = babelfish::annotate::Annotator::new(glossary);
        let text = "Café 😀 — the CAB met; “handover” was late. Naïve RFC.";
        let annotated = annotator.annotate(glossary, text, Some(Reader::Clinician));
        let shown = (&annotated, OwnSideHidden::default());
        let t = translation(glossary, text, shown, None, Instant::now());
        let units: Vec<u16> = text.encode_utf16().collect();
        let slice = |h: &Highlight| String::from_utf16(&units[h.start..h.end]).unwrap();
        let found: Vec<String> = t.highlights.iter().map(slice).collect();
        assert_eq!(found, ["CAB", "handover", "RFC"], "{t:?}");
        assert_eq!(t.length, units.len());
        let handover = &t.highlights[1];
        assert_eq!(handover.alternatives.len(), 1, "two senses: {handover:?}");
        assert!(t.entries.contains_key(&handover.alternatives[0]));
    }

    #[test]
    fn the_readers_own_side_is_hidden_unless_asked_for() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let loaded = babelfish::load_dir(&fixture).unwrap();
        let glossary = &loaded.glossary;
        let annotator = babelfish::annotate::Annotator::new(glossary);
        let text = "The CAB met; a patient safety incident was raised.";
        let reader = Some(Reader::Clinician);
        let all = annotator.annotate(glossary, text, reader);
        let ids = |a: &Annotated| a.terms.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert!(
            ids(&all).contains(&"clinical/incident".to_string()),
            "{all:?}"
        );

        let (shown, hidden) = for_reader(glossary, all.clone(), reader, false);
        assert_eq!(
            ids(&shown),
            [CAB_ID],
            "a clinician is not told what an incident is"
        );
        assert_eq!(hidden.side, Some(Side::Clinical));
        assert_eq!(hidden.terms, all.terms.len() - 1);
        assert_eq!(
            hidden.highlights,
            all.annotations.len() - shown.annotations.len()
        );
        assert!(hidden.highlights >= hidden.terms && hidden.terms >= 1);
        // The crib sheet's terms follow what is shown.
        let t = translation(glossary, text, (&shown, hidden), reader, Instant::now());
        assert_eq!(t.terms.len(), 1);
        assert_eq!(t.own_side_hidden, hidden);

        // Unticked, or with no side chosen, nothing is left out.
        for (reader, all_sides) in [(reader, true), (None, false)] {
            let (shown, hidden) = for_reader(glossary, all.clone(), reader, all_sides);
            assert_eq!(shown, all);
            assert_eq!(hidden, OwnSideHidden::default());
        }
        // An IT reader keeps the clinical terms and loses the ITIL ones.
        let it = Some(Reader::Informatics);
        let (shown, hidden) =
            for_reader(glossary, annotator.annotate(glossary, text, it), it, false);
        assert!(!ids(&shown).contains(&CAB_ID.to_string()), "{shown:?}");
        assert!(
            ids(&shown).contains(&"clinical/incident".to_string()),
            "{shown:?}"
        );
        assert_eq!(hidden.side, Some(Side::Informatics));
    }

    const CAB_ID: &str = "itil/change-advisory-board";

    #[test]
    fn files_that_are_not_text_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("a.txt");
        std::fs::write(&binary, b"ab\0cd").unwrap();
        let err = read_text_file(&binary).unwrap_err();
        assert!(err.message.contains("binary"), "{err}");
        let latin1 = dir.path().join("b.txt");
        std::fs::write(&latin1, b"caf\xe9").unwrap();
        let err = read_text_file(&latin1).unwrap_err();
        assert!(err.message.contains("not UTF-8"), "{err}");
        let bom = dir.path().join("c.md");
        std::fs::write(&bom, "\u{feff}# CAB").unwrap();
        assert_eq!(read_text_file(&bom).unwrap(), "# CAB");
    }

    #[test]
    fn one_dropped_file_is_opened_once_and_several_are_refused() {
        let dropped = DroppedFiles::default();
        assert_eq!(dropped.take_one().unwrap(), None);
        dropped.put(vec![PathBuf::from("/tmp/old.pdf")]);
        dropped.put(vec![PathBuf::from("/tmp/paper.docx")]);
        assert_eq!(
            dropped.take_one().unwrap(),
            Some(PathBuf::from("/tmp/paper.docx")),
            "the latest drop wins"
        );
        assert_eq!(dropped.take_one().unwrap(), None, "taken once");
        dropped.put(vec![PathBuf::from("a.pdf"), PathBuf::from("b.pdf")]);
        let err = dropped.take_one().unwrap_err();
        assert!(err.message.contains("one document at a time"), "{err}");
        assert_eq!(dropped.take_one().unwrap(), None);
    }

    #[test]
    fn crib_sheets_come_from_the_core() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let loaded = babelfish::load_dir(&fixture).unwrap();
        let ids = vec!["itil/change-advisory-board".to_string()];
        let md = crib_sheet(
            &loaded.glossary,
            &ids,
            Some(Reader::Clinician),
            CribFormat::Md,
        );
        assert!(md.contains("## Change Advisory Board (CAB)"), "{md}");
        let html = crib_sheet(&loaded.glossary, &ids, None, CribFormat::Html);
        assert!(html.contains("<dt>Change Advisory Board"), "{html}");
    }
}
