//! PDF: the text layer, read with `pdf-extract` (over `lopdf`) under `catch_unwind`.
//!
//! Why `pdf-extract` and not `lopdf`'s own `extract_text`: both parse with lopdf, but lopdf's
//! extraction concatenates the strings of the content stream and only knows a few simple
//! encodings, so words set with positioning (`TJ` arrays with kerning, text placed by `Td`) run
//! together or lose their spaces; pdf-extract follows the text matrix and the fonts (ToUnicode
//! maps, standard encodings, widths) and puts a space or a line break where the glyphs' positions
//! leave one — the reading order a person sees. The comparison (on a PDF written by lopdf in
//! the test `a_pdf_written_by_lopdf_is_read_in_order`, and the 40-page PDF of `document-bench`)
//! is in `docs/benchmarks.md`. pdf-extract panics on some malformed input and prints nothing
//! itself, so it runs under `catch_unwind` here.

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
        Err(err) if memchr::memmem::find(bytes, b"/Encrypt").is_some() => {
            let _ = err;
            return Err(encrypted());
        }
        Err(err) => return Err(corrupt(err.to_string())),
    };
    if doc.is_encrypted() {
        // Protected only against changes (an empty user password) still reads.
        if isolated(|| doc.decrypt("")).map_or(true, |r| r.is_err()) {
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
