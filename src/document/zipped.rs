//! Zipped documents: .docx, .pptx (Office Open XML) and .odt (OpenDocument), read with the
//! `zip` crate and quick-xml. The unpacked size is counted as it is unpacked (never taken from
//! the archive's own word) and stops at [`limits::MAX_UNPACKED_BYTES`].

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::xml::{self, Rules};
use super::{finish, Document, DocumentError, Format};
use crate::limits;

const DOCX: Rules = Rules {
    text_in: &["w:t"],
    // Deleted and moved-away text, and the old properties of changed runs and paragraphs.
    skip: &[
        "w:del",
        "w:moveFrom",
        "w:rPrChange",
        "w:pPrChange",
        "w:instrText",
    ],
    paragraph: &["w:p"],
    chars: &[
        ("w:tab", '\t'),
        ("w:br", '\n'),
        ("w:cr", '\n'),
        ("w:noBreakHyphen", '\u{2011}'),
        ("w:softHyphen", '\u{AD}'),
    ],
    own_line: &[],
    spaces: None,
};

const PPTX: Rules = Rules {
    text_in: &["a:t"],
    skip: &[],
    paragraph: &["a:p"],
    chars: &[("a:br", '\n')],
    own_line: &[],
    spaces: None,
};

const ODT_BODY: Rules = Rules {
    text_in: &["office:body"],
    // Deleted text kept for change tracking; an annotation's author and date.
    skip: &[
        "text:tracked-changes",
        "dc:creator",
        "dc:date",
        "text:note-citation",
    ],
    paragraph: &["text:p", "text:h"],
    chars: &[
        ("text:tab", '\t'),
        ("text:line-break", '\n'),
        ("text:soft-hyphen", '\u{AD}'),
    ],
    own_line: &["office:annotation"],
    spaces: Some("text:s"),
};

const ODT_STYLES: Rules = Rules {
    text_in: &[
        "style:header",
        "style:footer",
        "style:header-left",
        "style:footer-left",
        "style:header-first",
        "style:footer-first",
    ],
    ..ODT_BODY
};

/// An archive being read, with what has been unpacked so far.
struct Archive<'a> {
    name: &'a str,
    format: Format,
    zip: ZipArchive<Cursor<&'a [u8]>>,
    unpacked: u64,
}

impl Archive<'_> {
    fn corrupt(&self, detail: impl std::fmt::Display) -> DocumentError {
        DocumentError::Corrupt {
            name: self.name.to_string(),
            format: self.format,
            detail: detail.to_string(),
        }
    }

    /// The names of the parts, in archive order.
    fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// Unpacks one part, counting it against the limit.
    fn read(&mut self, part: &str) -> Result<Vec<u8>, DocumentError> {
        let budget = limits::MAX_UNPACKED_BYTES - self.unpacked;
        let mut bytes = Vec::new();
        let (name, format) = (self.name, self.format);
        let corrupt = |detail: String| DocumentError::Corrupt {
            name: name.to_string(),
            format,
            detail,
        };
        {
            let file = match self.zip.by_name(part) {
                Ok(file) => file,
                Err(zip::result::ZipError::UnsupportedArchive(what))
                    if what.to_ascii_lowercase().contains("password") =>
                {
                    return Err(DocumentError::Encrypted {
                        name: self.name.to_string(),
                        format: self.format,
                    })
                }
                Err(err) => return Err(corrupt(format!("{part}: {err}"))),
            };
            file.take(budget + 1)
                .read_to_end(&mut bytes)
                .map_err(|err| corrupt(format!("{part}: {err}")))?;
        }
        self.unpacked += bytes.len() as u64;
        if self.unpacked > limits::MAX_UNPACKED_BYTES {
            return Err(DocumentError::ZipBomb {
                name: self.name.to_string(),
                what: format!(
                    "unpacks to more than {} MiB",
                    limits::MAX_UNPACKED_BYTES >> 20
                ),
            });
        }
        Ok(bytes)
    }

    /// Appends the text of `part` under `rules`, then a blank line when it held any.
    fn text(&mut self, part: &str, rules: &Rules, out: &mut String) -> Result<(), DocumentError> {
        let bytes = self.read(part)?;
        let before = out.len();
        xml::text(&bytes, rules, out).map_err(|err| self.corrupt(format!("{part}: {err}")))?;
        if out[before..].trim().is_empty() {
            out.truncate(before);
        } else {
            out.push('\n');
        }
        Ok(())
    }
}

/// Reads a zipped document.
pub fn extract(name: &str, bytes: &[u8]) -> Result<Document, DocumentError> {
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|err| DocumentError::Corrupt {
        name: name.to_string(),
        format: Format::Docx,
        detail: format!("not a readable zip archive: {err}"),
    })?;
    if zip.len() > limits::MAX_ARCHIVE_ENTRIES {
        return Err(DocumentError::ZipBomb {
            name: name.to_string(),
            what: format!("holds more than {} parts", limits::MAX_ARCHIVE_ENTRIES),
        });
    }
    let mut archive = Archive {
        name,
        format: Format::Docx,
        zip,
        unpacked: 0,
    };
    let names = archive.names();
    let has = |n: &str| names.iter().any(|x| x == n);
    archive.format = if has("word/document.xml") {
        Format::Docx
    } else if names.iter().any(|n| n.starts_with("ppt/slides/")) {
        Format::Pptx
    } else if has("content.xml") && has("mimetype") {
        Format::Odt
    } else {
        return Err(DocumentError::Unsupported {
            name: name.to_string(),
            what: "a zip archive that is not a Word, PowerPoint or OpenDocument file",
        });
    };
    // A password on the zip itself (rare for documents, but possible).
    for i in 0..archive.zip.len() {
        let encrypted = archive.zip.by_index_raw(i).map(|f| f.encrypted());
        if encrypted.unwrap_or(false) {
            return Err(DocumentError::Encrypted {
                name: name.to_string(),
                format: archive.format,
            });
        }
    }
    let mut out = String::new();
    read_parts(&mut archive, &names, &mut out)?;
    finish(name, archive.format, out)
}

/// Appends the text of the format's parts to `out`, in reading order: Word's body, headers,
/// footers, notes and comments; PowerPoint's slides then notes; OpenDocument's body then styles
/// (an encrypted OpenDocument is refused here, as its manifest says so).
fn read_parts(
    archive: &mut Archive,
    names: &[String],
    out: &mut String,
) -> Result<(), DocumentError> {
    let has = |n: &str| names.iter().any(|x| x == n);
    match archive.format {
        Format::Docx => {
            archive.text("word/document.xml", &DOCX, out)?;
            for prefix in ["word/header", "word/footer"] {
                for part in numbered(names, prefix, ".xml") {
                    archive.text(&part, &DOCX, out)?;
                }
            }
            for part in [
                "word/footnotes.xml",
                "word/endnotes.xml",
                "word/comments.xml",
            ] {
                if has(part) {
                    archive.text(part, &DOCX, out)?;
                }
            }
        }
        Format::Pptx => {
            for part in numbered(names, "ppt/slides/slide", ".xml") {
                archive.text(&part, &PPTX, out)?;
            }
            for part in numbered(names, "ppt/notesSlides/notesSlide", ".xml") {
                archive.text(&part, &PPTX, out)?;
            }
        }
        _ => {
            if has("META-INF/manifest.xml") {
                let manifest = archive.read("META-INF/manifest.xml")?;
                if memchr::memmem::find(&manifest, b"encryption-data").is_some() {
                    return Err(DocumentError::Encrypted {
                        name: archive.name.to_string(),
                        format: Format::Odt,
                    });
                }
            }
            archive.text("content.xml", &ODT_BODY, out)?;
            if has("styles.xml") {
                archive.text("styles.xml", &ODT_STYLES, out)?;
            }
        }
    }
    Ok(())
}

/// The parts named `{prefix}{number}{suffix}`, in number order (`slide2` before `slide10`).
fn numbered(names: &[String], prefix: &str, suffix: &str) -> Vec<String> {
    let mut parts: Vec<(u64, &String)> = names
        .iter()
        .filter_map(|n| {
            let number = n.strip_prefix(prefix)?.strip_suffix(suffix)?;
            Some((number.parse().ok()?, n))
        })
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, n)| n.clone()).collect()
}
