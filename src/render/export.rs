//! The printable glossary: every vocabulary with its entries, as Markdown or a standalone HTML
//! page. Every piece of glossary text is escaped ([`super::escape`]): whatever a file holds
//! comes out as text, never as HTML, a link or a heading of its own.

use std::fmt::Write as _;

use super::escape::{html, markdown_block, markdown_inline};
use super::{abbreviation_suffix, abbreviation_suffix_markdown, page};
use crate::glossary::Glossary;

/// A printable glossary in Markdown, grouped by vocabulary, each entry with its counterparts.
pub fn export_markdown(glossary: &Glossary) -> String {
    let mut out = String::from("# Babelfish glossary\n");
    for d in glossary.domains() {
        let _ = write!(
            out,
            "\n## {}\n\n{}\n",
            markdown_inline(&d.name),
            markdown_block(&d.description)
        );
        for e in glossary.entries().iter().filter(|e| e.domain == d.id) {
            let _ = write!(
                out,
                "\n### {}{}\n\n{}\n",
                markdown_inline(&e.term),
                abbreviation_suffix_markdown(&e.abbreviations),
                markdown_block(&e.definition)
            );
            if !e.explanation.is_empty() {
                let _ = write!(out, "\n{}\n", markdown_block(&e.explanation));
            }
            for c in glossary.counterparts(&e.id) {
                let other = c.entry();
                let _ = write!(
                    out,
                    "\n- ↔ {} ({}, {})",
                    markdown_inline(&other.term),
                    markdown_inline(&other.domain),
                    c.closeness().label()
                );
            }
            if glossary.counterparts(&e.id).next().is_some() {
                out.push('\n');
            }
        }
    }
    out
}

/// The style of a printed glossary.
const STYLE: &str = "body{font:11pt/1.4 system-ui,sans-serif;margin:2cm;max-width:50em}dt{font-weight:600;margin-top:.8em}dd{margin-left:1em}@media print{dt,dd{break-inside:avoid}}";

/// A printable glossary as a standalone HTML page, grouped by vocabulary.
pub fn export_html(glossary: &Glossary) -> String {
    let mut out = page::head("Babelfish glossary", STYLE);
    out.push_str("<h1>Babelfish glossary</h1>\n");
    for d in glossary.domains() {
        let _ = write!(
            out,
            "<h2>{}</h2>\n<p>{}</p>\n<dl>\n",
            html(&d.name),
            html(&d.description)
        );
        for e in glossary.entries().iter().filter(|e| e.domain == d.id) {
            let _ = write!(
                out,
                "<dt>{}{}</dt>\n<dd>{}",
                html(&e.term),
                html(&abbreviation_suffix(&e.abbreviations)),
                html(&e.definition)
            );
            if !e.explanation.is_empty() {
                let _ = write!(out, "<br><em>{}</em>", html(&e.explanation));
            }
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    out.push_str(page::END);
    out
}
