//! Web pages: the visible text, by `html2text` (html5ever's parser, so real-world HTML with
//! unclosed tags and entities reads as a browser would), without its Markdown-like decoration.
//! Scripts, styles and the head are not text. Runs under `catch_unwind`.

use super::{isolated, DocumentError, Format};
use crate::limits;

/// Lines are not wrapped: a paragraph is one line.
const NO_WRAP: usize = 1 << 20;

/// The text of an HTML page.
pub fn extract(name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
    if bytes.len() as u64 > limits::MAX_TEXT_BYTES {
        return Err(limits::TEXT
            .exceeded(name, bytes.len() as u64, false)
            .into());
    }
    to_text(bytes).map_err(|detail| DocumentError::Corrupt {
        name: name.to_string(),
        format: Format::Html,
        detail,
    })
}

/// HTML to plain text (also used for the HTML parts of e-mail).
pub fn to_text(bytes: &[u8]) -> Result<String, String> {
    isolated(|| {
        html2text::config::plain_no_decorate()
            .no_table_borders()
            .string_from_read(bytes, NO_WRAP)
    })?
    .map_err(|err| err.to_string())
    .map(|text| {
        // html2text pads lines to the width in places; the padding is not text.
        text.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    })
}
