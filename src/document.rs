//! Documents as they arrive: the plain text of a Word (.docx), OpenDocument (.odt), PowerPoint
//! (.pptx), PDF, web page (HTML) or e-mail (.eml) file, or of a text file, found from the bytes
//! themselves (never the file name's extension).
//!
//! Everything happens in memory: this module takes bytes and returns a `String`, never opens a
//! path and never writes anything anywhere (information governance applies to documents exactly
//! as to pasted text).
//!
//! | format | found by | what is read |
//! |---|---|---|
//! | .docx | a zip holding `word/document.xml` | body and tables, then headers, footers, footnotes, endnotes, comments; tracked changes as the document now reads (insertions kept, deletions and moved-from text dropped) |
//! | .pptx | a zip holding `ppt/slides/` | slides in order, then speaker notes |
//! | .odt (and other OpenDocument) | a zip holding `mimetype` and `content.xml` | body and tables, annotations, headers and footers; tracked deletions dropped |
//! | PDF | `%PDF-` in the first 1 KB | the text layer, page by page (`pdf-extract`) |
//! | HTML | `<!doctype html`, `<html`, `<head` or `<body` at the start | the visible text (`html2text`) |
//! | e-mail | RFC 822 headers (`From:` and a `Subject:`, `Date:`, `To:` or `Message-ID:`) | the subject and every text part; HTML parts as HTML; attachments are not read |
//! | text | anything else | UTF-8 through [`crate::limits::decode_text`] |
//!
//! Bad input is an error that names the file and says what to do ([`DocumentError`]): a
//! password-protected document, a scanned PDF with no text layer, a zip bomb (the unpacked size
//! is counted as it is unpacked and stops at [`limits::MAX_UNPACKED_BYTES`]), too many pages,
//! a damaged file, a format not read (a 97–2003 .doc). Every reader runs under `catch_unwind`
//! (the PDF and HTML readers each again, to name what stopped), so a panic inside one is an
//! error too, not a crash.

mod email;
mod html;
mod pdf;
pub use pdf::extract_with_lopdf;
pub mod sample;
mod xml;
mod zipped;

use crate::limits::{self, TextError};

/// What a document was found to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (.txt, .md, anything UTF-8).
    Text,
    /// Word (.docx).
    Docx,
    /// OpenDocument text (.odt).
    Odt,
    /// PowerPoint (.pptx).
    Pptx,
    /// PDF.
    Pdf,
    /// A web page.
    Html,
    /// An e-mail message (.eml).
    Email,
}

impl Format {
    /// How a message names it: "a Word document (.docx)".
    pub fn describe(self) -> &'static str {
        match self {
            Format::Text => "a text file",
            Format::Docx => "a Word document (.docx)",
            Format::Odt => "an OpenDocument file (.odt)",
            Format::Pptx => "a PowerPoint presentation (.pptx)",
            Format::Pdf => "a PDF",
            Format::Html => "a web page (HTML)",
            Format::Email => "an e-mail message (.eml)",
        }
    }
}

/// The text of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What it was.
    pub format: Format,
    /// Its plain text: paragraphs one a line, parts (body, headers, notes) separated by a blank
    /// line. Annotation offsets refer to this text.
    pub text: String,
}

/// Why a document could not be read. Every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Too large, not UTF-8, unreadable: the text decoder's errors.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Password-protected or encrypted.
    #[error("{name} is {} protected by a password (encrypted); Babelfish cannot read it. Open it, save a copy without the password, and translate that copy", .format.describe())]
    Encrypted {
        /// The file.
        name: String,
        /// What it is.
        format: Format,
    },
    /// A PDF whose pages hold no text.
    #[error("{name} has no text layer: it looks scanned ({pages} page{} of images only). Run it through text recognition (OCR) first, or ask the author for the original document", if *.pages == 1 { "" } else { "s" })]
    NoTextLayer {
        /// The file.
        name: String,
        /// How many pages it has.
        pages: usize,
    },
    /// A zip that unpacks to too much, or holds too many parts.
    #[error("{name} {what}; that is not an ordinary document (it may be a zip bomb), so it was not opened. Check where it came from; copy the text you need and paste it")]
    ZipBomb {
        /// The file.
        name: String,
        /// What was exceeded: "unpacks to more than 50 MiB", "holds more than 10000 parts".
        what: String,
    },
    /// A PDF with more pages than [`limits::MAX_PDF_PAGES`].
    #[error("{name} has {pages} pages; Babelfish reads PDFs of up to {limit} pages. Save the pages you need as a separate PDF (Print → Save as PDF, choosing the pages) and translate that")]
    TooManyPages {
        /// The file.
        name: String,
        /// Its pages.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// More text than [`limits::MAX_TEXT_BYTES`] came out.
    #[error(
        "the text in {name} is more than {limit} MiB; split the document and translate it in parts"
    )]
    TooMuchText {
        /// The file.
        name: String,
        /// The limit in MiB.
        limit: u64,
    },
    /// Looks like a format but cannot be read.
    #[error("{name} looks like {} but cannot be read ({detail}); it may be damaged or cut short. Open it in the program that made it and save it again, or copy the text and paste it", .format.describe())]
    Corrupt {
        /// The file.
        name: String,
        /// What it looked like.
        format: Format,
        /// What the reader said.
        detail: String,
    },
    /// A format Babelfish does not read.
    #[error("{name} is {what}, which Babelfish does not read; save it as .docx, .odt, .pdf or text (or copy the text and paste it)")]
    Unsupported {
        /// The file.
        name: String,
        /// What it is: "a Word 97–2003 document (.doc)".
        what: &'static str,
    },
}

/// Reads the text of a document from its bytes, finding the format from the content. `name`
/// (the file name, "standard input") is used in messages only. A panic in any reader is caught
/// and reported as a damaged file.
pub fn extract(name: &str, bytes: &[u8]) -> Result<Document, DocumentError> {
    isolated(|| extract_unguarded(name, bytes)).unwrap_or_else(|panic| {
        Err(DocumentError::Corrupt {
            name: name.to_string(),
            format: match detect(bytes) {
                Detected::Pdf => Format::Pdf,
                Detected::Html => Format::Html,
                Detected::Email => Format::Email,
                Detected::Text => Format::Text,
                Detected::Zip | Detected::Ole => Format::Docx,
            },
            detail: format!("the reader stopped: {panic}"),
        })
    })
}

fn extract_unguarded(name: &str, bytes: &[u8]) -> Result<Document, DocumentError> {
    let format = detect(bytes);
    let text = match format {
        Detected::Zip => return zipped::extract(name, bytes),
        Detected::Pdf => pdf::extract(name, bytes)?,
        Detected::Html => html::extract(name, bytes)?,
        Detected::Email => email::extract(name, bytes)?,
        Detected::Ole => {
            // Encrypted .docx/.xlsx/.pptx are OLE files holding an `EncryptedPackage` stream.
            let marker: Vec<u8> = "EncryptedPackage"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            if memchr::memmem::find(bytes, &marker).is_some() {
                return Err(DocumentError::Encrypted {
                    name: name.to_string(),
                    format: Format::Docx,
                });
            }
            return Err(DocumentError::Unsupported {
                name: name.to_string(),
                what: "an Office 97–2003 file (.doc, .xls or .ppt)",
            });
        }
        Detected::Text => {
            let text =
                limits::decode_text(name, bytes.to_vec(), &limits::TEXT).map_err(
                    |err| match err {
                        TextError::Binary { .. } => DocumentError::Unsupported {
                            name: name.to_string(),
                            what: "a binary file of a kind Babelfish does not know",
                        },
                        other => other.into(),
                    },
                )?;
            return Ok(Document {
                format: Format::Text,
                text,
            });
        }
    };
    let format = match format {
        Detected::Pdf => Format::Pdf,
        Detected::Html => Format::Html,
        _ => Format::Email,
    };
    finish(name, format, text)
}

/// Checks the size of extracted text and tidies its ends.
fn finish(name: &str, format: Format, text: String) -> Result<Document, DocumentError> {
    if text.len() as u64 > limits::MAX_TEXT_BYTES {
        return Err(DocumentError::TooMuchText {
            name: name.to_string(),
            limit: limits::MAX_TEXT_BYTES >> 20,
        });
    }
    // Blank lines before the first text (pdf-extract starts each page with them) and spaces
    // after the last are not text.
    let trimmed = text.trim_end().trim_start_matches(['\n', '\r']);
    let mut text = if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_string()
    };
    if !text.is_empty() {
        text.push('\n');
    }
    Ok(Document { format, text })
}

#[derive(Debug, PartialEq, Eq)]
enum Detected {
    Zip,
    Pdf,
    Html,
    Email,
    Ole,
    Text,
}

fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Detected::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Detected::Ole;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Detected::Pdf;
    }
    let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = &start[start
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(start.len())..];
    let lower = start.to_ascii_lowercase();
    if ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| lower.starts_with(tag.as_bytes()))
        || (lower.starts_with(b"<!--") && memchr::memmem::find(&lower, b"<html").is_some())
    {
        return Detected::Html;
    }
    if looks_like_email(start) {
        return Detected::Email;
    }
    Detected::Text
}

/// True when the text opens with RFC 822 headers: a `From:` and one of `Subject:`, `Date:`,
/// `To:`, `Message-ID:` before the first blank line, every line of it a header or a
/// continuation.
fn looks_like_email(head: &[u8]) -> bool {
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let (mut from, mut other) = (false, false);
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((field, _)) = line.split_once(':') else {
            return false;
        };
        if field.is_empty()
            || !field
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
        match field.to_ascii_lowercase().as_str() {
            "from" => from = true,
            "subject" | "date" | "to" | "message-id" => other = true,
            _ => {}
        }
    }
    from && other
}

/// Runs a third-party parser, turning a panic inside it into an error (its message is kept
/// only as the error's detail). The default panic message is not printed for it.
fn isolated<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the reader stopped".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_found_from_the_content() {
        assert_eq!(detect(b"%PDF-1.7\n"), Detected::Pdf);
        assert_eq!(detect(b"PK\x03\x04rest"), Detected::Zip);
        assert_eq!(detect(b"\n<!DOCTYPE html><p>x"), Detected::Html);
        assert_eq!(
            detect(b"From: a@b\r\nSubject: CAB\r\n\r\nbody"),
            Detected::Email
        );
        assert_eq!(detect(b"Subject: CAB\nnotes: x\n"), Detected::Text);
        assert_eq!(detect(b"From the ward: the CAB met"), Detected::Text);
    }
}
