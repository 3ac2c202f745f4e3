//! Size limits and the one text decoder, shared by the CLI and the desktop app so both refuse
//! the same things with the same message.
//!
//! | what | limit | why |
//! |---|---|---|
//! | one entry file | [`MAX_ENTRY_FILE_BYTES`] (1 MiB) | the longest real entry is a few KB; a huge file is a mistake or an attack, and loading it costs memory every start |
//! | text to translate | [`MAX_TEXT_BYTES`] (5 MiB, about 800,000 words) | annotation holds the text, its offsets and the highlighted copy in memory; more freezes the window |
//! | a CSV to import | [`MAX_CSV_BYTES`] (20 MiB) | a CSV of 10,000 full entries is about 10 MB |
//! | a document file | [`MAX_DOCUMENT_BYTES`] (50 MiB) | a 300-page board pack with images is 10–30 MB |
//! | a zipped document unpacked | [`MAX_UNPACKED_BYTES`] (50 MiB), [`MAX_ARCHIVE_ENTRIES`] (10,000 parts) | counted while unpacking: a zip bomb stops here |
//! | a PDF | [`MAX_PDF_PAGES`] (500 pages) | keeps extraction within seconds |
//!
//! Text must be UTF-8 with no NUL byte anywhere (a NUL means a binary file: a PDF, a Word
//! document). A leading byte-order mark is removed. Files are read through a bounded reader, so
//! a file larger than its limit (or one that grows while it is read) never takes more than the
//! limit in memory.

use std::io::Read;
use std::path::Path;

/// The largest entry file the loader reads; a larger one is reported and skipped.
pub const MAX_ENTRY_FILE_BYTES: u64 = 1024 * 1024;

/// The most text one call translates (CLI `translate` and the app's Translate view).
pub const MAX_TEXT_BYTES: u64 = 5 * 1024 * 1024;

/// The largest CSV file `import` reads.
pub const MAX_CSV_BYTES: u64 = 20 * 1024 * 1024;

/// The largest document file (.docx, .odt, .pptx, .pdf, .eml) `translate` opens. The text taken
/// out of it is then held to [`MAX_TEXT_BYTES`].
pub const MAX_DOCUMENT_BYTES: u64 = 50 * 1024 * 1024;

/// The most a zipped document (.docx, .odt, .pptx) may unpack to, counted as it is unpacked
/// (the sizes an archive declares are not trusted): a zip bomb stops here.
pub const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// The most parts a zipped document may hold (a 300-page report has a few hundred).
pub const MAX_ARCHIVE_ENTRIES: usize = 10_000;

/// The most pages of a PDF that are read (text extraction takes about a few ms a page).
pub const MAX_PDF_PAGES: usize = 500;

/// Why a text could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// Larger than its limit.
    #[error("{name} is {}; the limit for {what} is {}. {advice}", if *.at_least { format!("larger than {}", human(*.limit)) } else { human(*.size) }, human(*.limit))]
    TooLarge {
        /// The file (or "standard input", "the pasted text").
        name: String,
        /// Its size in bytes (at least this much when `at_least`).
        size: u64,
        /// True when only the first `size` bytes were read (a pipe, a growing file).
        at_least: bool,
        /// The limit in bytes.
        limit: u64,
        /// What the limit is for ("text to translate").
        what: &'static str,
        /// What to do about it.
        advice: &'static str,
    },
    /// Holds a NUL byte: a binary file, not text.
    #[error("{name} looks like a binary file, not text (it contains a NUL byte at offset {offset}); give plain text (.txt or .md), or copy the text and paste it")]
    Binary {
        /// The file.
        name: String,
        /// Where the first NUL is.
        offset: usize,
    },
    /// Not valid UTF-8.
    #[error("{name} is not UTF-8 text (the first byte that is not valid is at offset {offset}); save it as UTF-8 text")]
    NotUtf8 {
        /// The file.
        name: String,
        /// The first invalid byte.
        offset: usize,
    },
    /// The file could not be read.
    #[error("cannot read {name}: {source}")]
    Io {
        /// The file.
        name: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// `5 MiB`, `1.5 MiB`, `12 KiB`, `11 bytes`.
fn human(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 20 => (b as f64 / 1_048_576.0, "MiB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KiB"),
        b => return format!("{b} bytes"),
    };
    if value >= 10.0 || value.fract() == 0.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// A limit on one kind of input, with the words its message uses.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// The most bytes allowed.
    pub bytes: u64,
    /// What it is for, in a message: "text to translate".
    pub what: &'static str,
    /// What to do when it is exceeded.
    pub advice: &'static str,
}

/// Text to translate.
pub const TEXT: Limit = Limit {
    bytes: MAX_TEXT_BYTES,
    what: "text to translate",
    advice: "Split the document and translate it in parts.",
};

/// A document to translate (read as bytes; its format is found from its content).
pub const DOCUMENT: Limit = Limit {
    bytes: MAX_DOCUMENT_BYTES,
    what: "a document to translate",
    advice: "Split the document, or copy the part you need and paste it.",
};

/// One entry file.
pub const ENTRY_FILE: Limit = Limit {
    bytes: MAX_ENTRY_FILE_BYTES,
    what: "one entry file",
    advice: "An entry is a few KB of JSON; check the file.",
};

/// A CSV to import.
pub const CSV: Limit = Limit {
    bytes: MAX_CSV_BYTES,
    what: "a CSV to import",
    advice: "Split it into several files.",
};

impl Limit {
    /// The error for `size` bytes of `name`.
    pub fn exceeded(&self, name: &str, size: u64, at_least: bool) -> TextError {
        TextError::TooLarge {
            name: name.to_string(),
            size,
            at_least,
            limit: self.bytes,
            what: self.what,
            advice: self.advice,
        }
    }
}

/// Reads at most `limit + 1` bytes from `reader`: enough to know that it is over the limit
/// without holding more than that in memory.
pub fn read_bounded(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks bytes as text under `limit`: not over the limit, no NUL anywhere, UTF-8; removes a
/// leading byte-order mark. `name` is used in messages.
pub fn decode_text(name: &str, bytes: Vec<u8>, limit: &Limit) -> Result<String, TextError> {
    if bytes.len() as u64 > limit.bytes {
        return Err(limit.exceeded(name, bytes.len() as u64, true));
    }
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(TextError::Binary {
            name: name.to_string(),
            offset,
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        name: name.to_string(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Reads a text file under `limit` (see [`decode_text`]). A file whose size is already over the
/// limit is refused before it is read.
pub fn read_text_file(path: &Path, limit: &Limit) -> Result<String, TextError> {
    read_text_file_as(path, &path.display().to_string(), limit)
}

/// [`read_text_file`] with the name messages use (the desktop app names only the file, not
/// its folder).
pub fn read_text_file_as(path: &Path, name: &str, limit: &Limit) -> Result<String, TextError> {
    let bytes = read_file_bytes(path, name, limit)?;
    decode_text(name, bytes, limit)
}

/// Reads a file's bytes under `limit` (a document, before its format is known): a file whose
/// size is already over the limit is refused before it is read, and no more than the limit is
/// ever held.
pub fn read_file_bytes(path: &Path, name: &str, limit: &Limit) -> Result<Vec<u8>, TextError> {
    let name = name.to_string();
    let io = |source| TextError::Io {
        name: name.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("it is a folder, not a file")));
    }
    if meta.len() > limit.bytes {
        return Err(limit.exceeded(&name, meta.len(), false));
    }
    let bytes = read_bounded(file, limit.bytes).map_err(io)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(limit.exceeded(&name, bytes.len() as u64, true));
    }
    Ok(bytes)
}

/// Reads standard input's bytes under `limit`.
pub fn read_stdin_bytes(limit: &Limit) -> Result<Vec<u8>, TextError> {
    let name = "standard input";
    let bytes =
        read_bounded(std::io::stdin().lock(), limit.bytes).map_err(|source| TextError::Io {
            name: name.into(),
            source,
        })?;
    if bytes.len() as u64 > limit.bytes {
        return Err(limit.exceeded(name, bytes.len() as u64, true));
    }
    Ok(bytes)
}

/// Reads standard input as text under `limit`.
pub fn read_text_stdin(limit: &Limit) -> Result<String, TextError> {
    let name = "standard input";
    let bytes =
        read_bounded(std::io::stdin().lock(), limit.bytes).map_err(|source| TextError::Io {
            name: name.into(),
            source,
        })?;
    decode_text(name, bytes, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_refuses_nul_anywhere_and_strips_a_bom() {
        let mut late_nul = vec![b'a'; 100_000];
        late_nul[90_000] = 0;
        assert!(matches!(
            decode_text("x", late_nul, &TEXT),
            Err(TextError::Binary { offset: 90_000, .. })
        ));
        assert_eq!(
            decode_text("x", "\u{feff}CAB".into(), &TEXT).unwrap(),
            "CAB"
        );
        let err = decode_text("x", vec![b'a'; 11], &Limit { bytes: 10, ..TEXT }).unwrap_err();
        assert!(
            err.to_string().contains("limit for text to translate"),
            "{err}"
        );
    }
}
