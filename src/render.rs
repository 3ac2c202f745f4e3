//! Rendering glossary text for where it is shown: escaping for a terminal, Markdown and HTML
//! ([`escape`]), standalone HTML pages ([`page`]), crib sheets of the terms found in a text
//! ([`crib`]), and the printable glossary and SKOS Turtle exports ([`export`], [`skos`]).
//!
//! Glossary text is data typed by people: every renderer escapes every field it writes, with the
//! one set of escapers in [`escape`], so whatever a file holds comes out as the characters it
//! is. Nothing here reads or writes files; callers decide where the text goes.

pub mod crib;
pub mod escape;
pub mod export;
pub mod page;
pub mod skos;

pub use crib::{crib_sheet_html, crib_sheet_markdown, short_text};
pub use export::{export_html, export_markdown};
pub use skos::export_skos;

/// `" (CAB, ECAB)"`, or nothing when there are no abbreviations.
pub fn abbreviation_suffix(abbreviations: &[String]) -> String {
    if abbreviations.is_empty() {
        String::new()
    } else {
        format!(" ({})", abbreviations.join(", "))
    }
}

/// [`abbreviation_suffix`] for Markdown: each abbreviation escaped.
pub fn abbreviation_suffix_markdown(abbreviations: &[String]) -> String {
    let escaped: Vec<String> = abbreviations
        .iter()
        .map(|a| escape::markdown_inline(a))
        .collect();
    abbreviation_suffix(&escaped)
}
