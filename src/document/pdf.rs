//! PDF: the text layer, read with `pdf-extract` (over `lopdf`) under `catch_unwind`.
//!
//! Why `pdf-extract` and not `lopdf`'s own `extract_text` (both parse with lopdf 0.42, so the
//! choice is only about the text): on the PDFs written in the tests and the benchmark both give
//! the same words (`TJ` gaps read as spaces by both), but lopdf's extraction walks the content
//! stream in order and breaks lines only at `T*`/`'`, and adds nothing between pages, while
//! pdf-extract follows the text matrix: a vertical move (`Td`/`Tm`, which is how most writers
//! place each line) is a line break, a new page is a blank line, so paragraphs and page breaks
//! survive for the clean-up layer. Times are in `docs/benchmarks.md`. pdf-extract can panic on
//! malformed input (it asserts on fonts and encodings), which is why it runs under
//! `catch_unwind` here; its default panic message goes to standard error.

use super::{isolated, DocumentError, Format};
use crate::limits;

/// The text of a PDF.
pub fn extract(name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
    let corrupt = |detail: String| DocumentError::Corrupt {
        name: name.to_string(),
        format: Format::Pdf,
        detail,
    };
    let encrypted = || DocumentError::Encrypted {
        name: name.to_string(),
        format: Format::Pdf,
    };
    let loaded = isolated(|| lopdf::Document::load_mem(bytes)).map_err(&corrupt)?;
    let mut doc = match loaded {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) => return Err(encrypted()),
        Err(_) if memchr::memmem::find(bytes, b"/Encrypt").is_some() => return Err(encrypted()),
        Err(err) => return Err(corrupt(err.to_string())),
    };
    if doc.is_encrypted() {
        // Protected only against changes (an empty user password) still reads.
        if !matches!(isolated(|| doc.decrypt("")), Ok(Ok(()))) {
            return Err(encrypted());
        }
    }
    let pages = doc.get_pages().len();
    if pages > limits::MAX_PDF_PAGES {
        return Err(DocumentError::TooManyPages {
            name: name.to_string(),
            pages,
            limit: limits::MAX_PDF_PAGES,
        });
    }
    let text = isolated(|| {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc(&doc, &mut output).map(|()| text)
    })
    .map_err(|panic| corrupt(format!("the PDF reader stopped: {panic}")))?
    .map_err(|err| corrupt(err.to_string()))?;
    if text.trim().is_empty() && pages > 0 {
        return Err(DocumentError::NoTextLayer {
            name: name.to_string(),
            pages,
        });
    }
    Ok(text)
}

/// The text of a PDF by `lopdf`'s own extraction, for the comparison in the benchmark.
pub fn extract_with_lopdf(bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).map_err(|e| e.to_string())
}
