//! The app's log file, so that what went wrong on a user's desktop can be read afterwards (a
//! Windows GUI app has no standard error): `babelfish.log` in the app's local data folder
//! (`%LOCALAPPDATA%\org.babelfish.desktop\logs` on Windows,
//! `$XDG_DATA_HOME/org.babelfish.desktop/logs` or `~/.local/share/...` on Linux).
//!
//! Only what the app chooses to say is written, one line per call: start-up (version, glossary
//! folder, watch mode), load problems, sync results, errors sent to the window, a shortcut that
//! would not register. Deliberately not a `log`-crate logger (tauri-plugin-log): that would also
//! collect whatever Tauri, wry or a document parser log at any level, which could include IPC
//! payloads, i.e. pasted text. Never logged: pasted or opened text, search queries, lookup
//! selections, and the messages of errors about a document (they name the file and may quote
//! it). Every line is also written to standard error.
//!
//! Size-limited: when the file would pass [`MAX_BYTES`] it becomes `babelfish.1.log` (the older
//! ones moving up to `babelfish.2.log`, ...), keeping [`KEEP`] old files.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::error::{ErrorCode, IpcError};

/// The largest a log file grows before it is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// How many rotated files are kept besides the current one.
pub const KEEP: usize = 3;

/// The current log file's name.
pub const FILE_NAME: &str = "babelfish.log";

/// How bad a logged event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Normal events (start-up, sync results).
    Info,
    /// Something the user may want to know (problems in glossary files).
    Warn,
    /// Something failed.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// A size-limited, rotating log file.
pub struct LogFile {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    file: Option<File>,
    size: u64,
    /// The last message, so the same error shown again and again (the status view asks often)
    /// takes one line.
    last: String,
}

impl LogFile {
    /// A log at `dir/babelfish.log`, rotated before it would pass `max_bytes`, keeping `keep`
    /// older files. Nothing is created until the first line.
    pub fn new(dir: &Path, max_bytes: u64, keep: usize) -> LogFile {
        LogFile {
            path: dir.join(FILE_NAME),
            max_bytes,
            keep,
            open: Mutex::new(Open::default()),
        }
    }

    /// The current file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `n`th older file (`babelfish.1.log` is the newest of them).
    pub fn rotated(&self, n: usize) -> PathBuf {
        self.path.with_file_name(format!("babelfish.{n}.log"))
    }

    /// Appends one line (time, level, message with line breaks and control characters made
    /// visible). A failure to write is reported on standard error and otherwise ignored: the
    /// log must never stop the app. False when the message repeats the last one (not written).
    pub fn write(&self, level: Level, message: &str) -> bool {
        let message = babelfish::escape::terminal_line(message);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.last == *message {
            return false;
        }
        open.last = message.to_string();
        let line = format!(
            "{} {} {message}\n",
            babelfish::store::now_rfc3339(),
            level.as_str()
        );
        if let Err(err) = self.append(&mut open, line.as_bytes()) {
            open.file = None;
            eprintln!(
                "babelfish-desktop: cannot write the log file {}: {err}",
                self.path.display()
            );
        }
        true
    }

    fn append(&self, open: &mut Open, line: &[u8]) -> std::io::Result<()> {
        if open.file.is_none() {
            if let Some(dir) = self.path.parent() {
                fs::create_dir_all(dir)?;
            }
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            open.size = file.metadata()?.len();
            open.file = Some(file);
        }
        if open.size > 0 && open.size + line.len() as u64 > self.max_bytes {
            open.file = None; // closed before renaming: Windows refuses to rename an open file
            self.rotate()?;
            open.file = Some(File::create(&self.path)?);
            open.size = 0;
        }
        let file = open.file.as_mut().expect("opened above");
        file.write_all(line)?;
        open.size += line.len() as u64;
        Ok(())
    }

    /// `babelfish.log` → `babelfish.1.log` → ... → `babelfish.<keep>.log`, the oldest dropped.
    fn rotate(&self) -> std::io::Result<()> {
        if self.keep == 0 {
            return fs::remove_file(&self.path);
        }
        let _ = fs::remove_file(self.rotated(self.keep));
        for n in (1..self.keep).rev() {
            let _ = fs::rename(self.rotated(n), self.rotated(n + 1));
        }
        fs::rename(&self.path, self.rotated(1))
    }
}

/// The app's log, once [`init`] has named its folder.
static LOG: OnceLock<LogFile> = OnceLock::new();

/// Starts logging to `dir/babelfish.log` (None: standard error only). The first call wins.
pub fn init(dir: Option<PathBuf>) {
    if let Some(dir) = dir {
        LOG.get_or_init(|| LogFile::new(&dir, MAX_BYTES, KEEP));
    }
}

/// Writes a line to the log file and to standard error (a repeat of the last line to neither).
pub fn write(level: Level, message: &str) {
    if LOG.get().is_none_or(|log| log.write(level, message)) {
        eprintln!("babelfish-desktop: {message}");
    }
}

/// Logs a normal event.
pub fn info(message: &str) {
    write(Level::Info, message);
}

/// Logs something the user may want to know.
pub fn warn(message: &str) {
    write(Level::Warn, message);
}

/// Logs a failure.
pub fn error(message: &str) {
    write(Level::Error, message);
}

/// What of an error sent to the window may be logged: its code, and its message unless the
/// message is about a text or document the user opened (`unreadable`: those name the file,
/// which may name a patient, and a parser's complaint may quote the document).
pub fn loggable(err: &IpcError) -> String {
    match err.code {
        ErrorCode::Unreadable => format!(
            "{}: (message not logged: it is about a text or document the user opened)",
            err.code.as_str()
        ),
        _ => err.to_string(),
    }
}

/// Logs an error a command returns to the window.
pub fn command_error(err: &IpcError) {
    error(&format!("error shown in the window: {}", loggable(err)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(path: &Path) -> Vec<String> {
        fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_log_rotates_at_its_size_limit_and_keeps_only_the_newest_old_files() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::new(&dir.path().join("logs"), 300, 2);
        // Each line is about 50 bytes (time stamp, level, "event NN"): about six fit in 300.
        for n in 0..40 {
            log.write(Level::Info, &format!("event {n:02}"));
            assert!(
                fs::metadata(log.path()).unwrap().len() <= 300,
                "the current file stays within its limit"
            );
        }
        let current = lines(log.path());
        let newest_old = lines(&log.rotated(1));
        let oldest_kept = lines(&log.rotated(2));
        assert!(
            current.last().unwrap().ends_with("INFO event 39"),
            "{current:?}"
        );
        assert!(!newest_old.is_empty() && !oldest_kept.is_empty());
        assert!(!log.rotated(3).exists(), "only two old files are kept");
        // Order is kept across the files, and the oldest lines are gone.
        let all: Vec<String> = [oldest_kept, newest_old, current].concat();
        let numbers: Vec<u32> = all
            .iter()
            .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "{numbers:?}");
        assert_eq!(*numbers.last().unwrap(), 39);
        assert!(
            numbers[0] > 0,
            "the first events were dropped with the oldest file"
        );
        for path in [log.path().to_path_buf(), log.rotated(1), log.rotated(2)] {
            assert!(fs::metadata(&path).unwrap().len() <= 300, "{path:?}");
        }
    }

    #[test]
    fn a_line_is_one_line_and_a_repeat_is_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::new(dir.path(), MAX_BYTES, KEEP);
        assert!(log.write(Level::Error, "first\nsecond"));
        assert!(
            !log.write(Level::Error, "first\nsecond"),
            "a repeat is not written"
        );
        assert!(log.write(Level::Warn, "third"));
        let written = lines(log.path());
        assert_eq!(written.len(), 2, "{written:?}");
        assert!(written[0].contains(" ERROR first"), "{written:?}");
        assert!(
            !written[0].ends_with("first"),
            "the break is shown, not kept"
        );
        assert!(written[1].ends_with(" WARN third"));
    }

    #[test]
    fn errors_about_an_opened_document_are_logged_without_their_message() {
        let document = IpcError::new(
            ErrorCode::Unreadable,
            "Smith-J-discharge.docx cannot be read: unexpected text 'Mrs Smith'",
        );
        let logged = loggable(&document);
        assert!(logged.starts_with("unreadable"), "{logged}");
        assert!(!logged.contains("Smith"), "{logged}");
        let save = IpcError::new(ErrorCode::Io, "cannot write /g/itil/cab.json: read-only");
        assert_eq!(
            loggable(&save),
            "io: cannot write /g/itil/cab.json: read-only"
        );
    }
}
