//! The glossary as SKOS in Turtle: one concept scheme per vocabulary, each entry a concept,
//! mappings as SKOS mapping properties, for thesaurus tools and the semantic web.

use std::fmt::Write as _;

use crate::glossary::Glossary;
use crate::model::{Closeness, Entry};

const PREFIXES: &str = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n@prefix bf: <urn:babelfish:> .\n\n";

/// SKOS in Turtle: one concept scheme per vocabulary, mappings as SKOS mapping properties.
pub fn export_skos(glossary: &Glossary) -> String {
    let mut out = String::from(PREFIXES);
    for d in glossary.domains() {
        let _ = writeln!(
            out,
            "<urn:babelfish:scheme:{}> a skos:ConceptScheme ;\n    skos:prefLabel {} ;\n    dct:description {} .\n",
            iri_part(&d.id),
            turtle_string(&d.name),
            turtle_string(&d.description)
        );
    }
    for e in glossary.entries() {
        write_concept(&mut out, e);
    }
    out
}

/// One entry as a `skos:Concept`.
fn write_concept(out: &mut String, e: &Entry) {
    let iri = |id: &str| format!("<urn:babelfish:entry:{}>", iri_part(id));
    let _ = writeln!(out, "{} a skos:Concept ;", iri(&e.id));
    let _ = writeln!(
        out,
        "    skos:inScheme <urn:babelfish:scheme:{}> ;",
        iri_part(&e.domain)
    );
    let _ = writeln!(out, "    skos:prefLabel {} ;", turtle_string(&e.term));
    for label in e.synonyms.iter().chain(&e.abbreviations) {
        let _ = writeln!(out, "    skos:altLabel {} ;", turtle_string(label));
    }
    let _ = writeln!(
        out,
        "    skos:definition {} ;",
        turtle_string(&e.definition)
    );
    if !e.explanation.is_empty() {
        let _ = writeln!(
            out,
            "    skos:scopeNote {} ;",
            turtle_string(&e.explanation)
        );
    }
    if !e.example.is_empty() {
        let _ = writeln!(out, "    skos:example {} ;", turtle_string(&e.example));
    }
    for m in &e.mappings {
        let property = match m.closeness {
            Closeness::Exact => "skos:exactMatch",
            Closeness::Close => "skos:closeMatch",
            Closeness::Broader => "skos:broadMatch",
            Closeness::Narrower => "skos:narrowMatch",
            Closeness::Related => "skos:relatedMatch",
        };
        let _ = writeln!(out, "    {property} {} ;", iri(&m.id));
    }
    for r in &e.related {
        let _ = writeln!(out, "    skos:related {} ;", iri(r));
    }
    if !e.source.is_empty() {
        let _ = writeln!(out, "    dct:source {} ;", turtle_string(&e.source));
    }
    let _ = writeln!(out, "    dct:modified {} .\n", turtle_string(&e.updated_at));
}

/// An id inside an IRI. The loader only lets slugs through (`itil/change-advisory-board`), so
/// this changes nothing in practice; it is the second lock on the door: any other character
/// is percent-encoded, so no id can close the IRI and add triples of its own.
fn iri_part(id: &str) -> std::borrow::Cow<'_, str> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b'.' | b'_' | b'~');
    if id.bytes().all(plain) {
        return id.into();
    }
    let mut out = String::with_capacity(id.len() * 3);
    for b in id.bytes() {
        if plain(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.into()
}

/// A Turtle string literal in British English: quotes, backslashes and control characters
/// escaped, so no text can close the literal.
fn turtle_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\"@en-GB");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_id_or_text_can_leave_its_iri_or_literal() {
        assert_eq!(iri_part("itil/cab"), "itil/cab");
        assert_eq!(iri_part("a> <b"), "a%3E%20%3Cb");
        assert_eq!(
            turtle_string("a\"b\\c\nd\u{1b}"),
            "\"a\\\"b\\\\c\\nd\\u001B\"@en-GB"
        );
    }
}
