//! Integration tests for the Babelfish core and the `babelfish` CLI. One test binary (faster to
//! link); each module says what belongs in it.

/// Helpers: temporary glossary copies, running the CLI.
mod util;

/// Loading and validation: a table of broken files, each reported and left untouched.
mod loader;

/// The CLI contract: JSON shapes, exit codes, glossary resolution order.
mod cli;

/// The store: atomic saves, conflicts, locks, real processes racing.
mod store;

/// Search behaviour on the fixture glossary, and bad input.
mod search;

/// The start-up cache of a glossary folder and its index.
mod cache;

/// Babel fish mode: annotating pasted text, crib sheets, nothing left on disk.
mod annotate;

/// Import and export: CSV round trip, SKOS, printable glossaries.
mod exchange;

/// Live updates: a watcher process sees other processes' edits.
mod watch;

/// The relevance suite over the bundled glossary (hit@k per kind).
mod relevance;

/// Nobody loses work on a shared folder: modes, unreadable and vanishing files, stale and
/// stolen locks under clock skew, FIFOs and links, a busy folder, all-or-nothing import.
mod reliability;

/// Coverage of published term lists (hit@5 per list, each held to its target).
mod coverage;

/// Own words: no two entries share a long run of words.
mod originality;

/// Realistic hospital papers: the jargon annotated with the right entry (recall per paper).
mod papers;

/// Hostile files and text: formula and markup injection in exports, control and invisible
/// characters, reserved names, size limits, broken pipes, text pasted from Windows and PDFs.
mod hostile;

/// Documents: .docx, .odt, .pptx, PDF, HTML and e-mail made in the test, bad documents, the
/// clean-up layer's rules with their offsets, `translate FILE` on documents.
mod documents;

/// Sharing through git: `babelfish sync` against a bare remote, two clones and `git daemon`.
mod sync;
