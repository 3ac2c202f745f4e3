//! Tests that run the `babelfish` binary as a process (only this package's tests can name it
//! with `CARGO_BIN_EXE_babelfish`). One test binary; each module says what it covers.

/// Helpers: temporary glossary copies (shared with the core's tests), running the CLI.
mod util;

/// The CLI contract: JSON shapes, exit codes, glossary resolution order.
mod cli;

/// The CLI's text output on the mini fixture, compared with `snapshots/*.txt`.
mod snapshots;

/// The store through `put`, `show` and `rm`: exit codes, messages, real processes racing.
mod store;

/// Two-sided sign-off: `review`, the queue, `show --json`, `search --status`, lint, "prefer:".
mod review;

/// `translate`: its JSON contract, documents, bad input, nothing left on disk.
mod translate;

/// Import and export: CSV round trip, SKOS, printable glossaries.
mod exchange;

/// Live updates: a watcher process sees other processes' edits.
mod watch;

/// Nobody loses work on a shared folder: modes, unreadable and vanishing files, stale and
/// stolen locks under clock skew, FIFOs and links, a busy folder, all-or-nothing import.
mod reliability;

/// Hostile files and text: formula and markup injection in exports, control and invisible
/// characters, reserved names, size limits, broken pipes, text pasted from Windows and PDFs.
mod hostile;

/// Sharing through git: `babelfish sync` against a bare remote, two clones and `git daemon`.
mod sync;

/// The glossary on a real SMB share (two users' FUSE mounts): racing saves, a watcher on the
/// other mount, torn reads, the share's owner and mode.
mod smb;
