//! Integration tests for the Babelfish core. One test binary (faster to link); each module says
//! what belongs in it. Tests that run the `babelfish` binary are in `cli/tests/`.

/// Helpers: temporary glossary copies, the fixtures.
mod util;

/// Loading and validation: a table of broken files, each reported and left untouched.
mod loader;

/// The store: atomic saves, conflicts, locks.
mod store;

/// Sign-offs through the store: racing reviewers, edits after a sign-off, legacy `reviewed`.
mod review;

/// The core `Workspace`: open, reload, put, delete with the links check, import, export.
mod workspace;

/// Incremental reloads against full loads after random edits (fixed seed).
mod incremental;

/// Search behaviour on the fixture glossary, and bad input.
mod search;

/// The start-up cache of a glossary folder and its index.
mod cache;

/// Babel fish mode: annotating pasted text, crib sheets.
mod annotate;

/// The annotator cache: same results as a fresh build, rebuilt when changed or damaged.
mod annotator_cache;

/// Snapshots of crib sheets and exports on the fixture glossary plus a hostile entry.
mod snapshots;

/// The relevance suite over the bundled glossary (hit@k per kind).
mod relevance;

/// Coverage of published term lists (hit@5 per list, each held to its target).
mod coverage;

/// Own words: no two entries share a long run of words.
mod originality;

/// Realistic hospital papers: the jargon annotated with the right entry (recall per paper).
mod papers;

/// Documents: .docx, .odt, .pptx, PDF, HTML and e-mail made in the test, bad documents, the
/// clean-up layer's rules with their offsets.
mod documents;
