//! The frame of a standalone HTML page (an exported glossary, a crib sheet): one language, one
//! character set, the page's own style sheet, and nothing loaded from elsewhere.

/// The start of a page, up to and including `<body>` and a newline. `title` is plain text and is
/// escaped; `style` is the page's own CSS, written by Babelfish (never glossary text).
pub fn head(title: &str, style: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>{style}</style></head><body>\n",
        super::escape::html(title)
    )
}

/// The end of a page.
pub const END: &str = "</body></html>\n";
