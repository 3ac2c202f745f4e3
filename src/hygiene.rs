//! Character-level checks on glossary text, wherever it comes from (an entry file, a form, a
//! CSV row, `domains.json`, a folder name): control characters (errors), invisible characters
//! and words that mix look-alike letters from different scripts (warnings), and names Windows
//! cannot store (errors).
//!
//! Validation ([`crate::validate`]) calls these for the loader, the store's forms and the
//! importer alike, so the rules are the same everywhere.

use crate::model::{Domain, Entry};
use crate::validate::{Issue, Severity};

/// True for a control character that is an error in a field: everything below U+0020, DEL and
/// the C1 controls (U+0080–U+009F), except a newline where `multiline` (long text).
pub fn is_forbidden_control(c: char, multiline: bool) -> bool {
    c.is_control() && !(multiline && c == '\n')
}

/// True for the bidirectional formatting characters that reorder what is displayed (the
/// "Trojan Source" characters): embeddings and overrides U+202A–U+202E, isolates
/// U+2066–U+2069, and the marks U+200E, U+200F and U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// True for characters that show nothing but change what text is: bidi controls, zero-width
/// space, non-joiner and joiner (U+200B–U+200D), word joiner (U+2060) and a byte-order mark
/// inside text (U+FEFF).
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c) || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A name for an invisible character, for messages.
fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{061C}' => "Arabic letter mark",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space (byte-order mark)",
        _ => "invisible character",
    }
}

/// The scripts whose letters look alike (`a`/`а`/`α`, `c`/`с`, `o`/`о`/`ο`, `p`/`р`/`ρ`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'
                if c.is_alphabetic() =>
            {
                Some(Script::Latin)
            }
            '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' if c.is_alphabetic() => {
                Some(Script::Greek)
            }
            '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' if c.is_alphabetic() => {
                Some(Script::Cyrillic)
            }
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
        }
    }
}

/// The first word of `text` that mixes letters of two of Latin, Greek and Cyrillic (a
/// look-alike spelling such as a Cyrillic `С` in `Сhange`), with the two scripts in the order
/// Latin, Greek, Cyrillic.
pub fn mixed_script_word(text: &str) -> Option<(&str, &'static str, &'static str)> {
    text.split(|c: char| !c.is_alphanumeric()).find_map(|word| {
        let mut first: Option<Script> = None;
        for script in word.chars().filter_map(Script::of) {
            match first {
                None => first = Some(script),
                Some(f) if f != script => {
                    let (a, b) = if (f as u8) < (script as u8) {
                        (f, script)
                    } else {
                        (script, f)
                    };
                    return Some((word, a.name(), b.name()));
                }
                Some(_) => {}
            }
        }
        None
    })
}

/// Names Windows reserves for devices: `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`
/// (any case). Windows applies them to the part of a file name before the first dot, with
/// trailing spaces ignored, so `nul.json` and `com1.tar.gz` are reserved too: a folder holding
/// such a file cannot be checked out or copied on Windows.
pub fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let lower = stem.to_ascii_lowercase();
    match lower.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let b = lower.as_bytes();
            b.len() == 4
                && (lower.starts_with("com") || lower.starts_with("lpt"))
                && b[3].is_ascii_digit()
        }
    }
}

/// Why `slug` cannot name a file or folder in the glossary, or `None` when it can. `what` says
/// what it is for the message ("file name", "domain id").
pub fn slug_problem(slug: &str, what: &str) -> Option<String> {
    if is_windows_reserved(slug) {
        Some(format!(
            "{what} \"{slug}\" is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM0-9, LPT0-9); the folder could not be used on Windows. Choose another name"
        ))
    } else if !crate::model::is_valid_slug(slug) {
        Some(format!(
            "{what} \"{}\" is not a valid slug (lower-case letters, digits and single hyphens, at most 80 characters)",
            crate::render::escape::terminal_line(slug)
        ))
    } else {
        None
    }
}

/// Why `id` is not a usable entry id (`<domain>/<slug>`), for the store's refusal.
pub fn bad_id_message(id: &str) -> String {
    let reason = id.split_once('/').and_then(|(domain, slug)| {
        slug_problem(domain, "the domain").or_else(|| slug_problem(slug, "the slug"))
    });
    match reason {
        Some(reason) => format!("\"{id}\" is not a valid entry id: {reason}"),
        None => format!("\"{id}\" is not a valid entry id (expected <domain>/<slug>)"),
    }
}

/// Problems with the characters of one field: a control character is an error; an invisible
/// character or a word mixing look-alike scripts is a warning naming the field.
pub fn text_issues(field: &str, value: &str, multiline: bool) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let Some(c) = value.chars().find(|&c| is_forbidden_control(c, multiline)) {
        let hint = if multiline {
            ""
        } else {
            "; names must be plain text on one line"
        };
        issues.push(Issue::error(
            field,
            format!(
                "field `{field}` contains a control character (U+{:04X}){hint}",
                c as u32
            ),
        ));
    }
    if let Some(c) = value.chars().find(|&c| is_invisible(c)) {
        issues.push(Issue::new(
            Severity::Warning,
            field,
            format!(
                "field `{field}` contains an invisible character, U+{:04X} ({}); it can hide or reorder what readers see. Remove it",
                c as u32,
                invisible_name(c)
            ),
        ));
    }
    if let Some((word, a, b)) = mixed_script_word(value) {
        issues.push(Issue::new(
            Severity::Warning,
            field,
            format!(
                "field `{field}`: the word \"{}\" mixes {a} and {b} letters, which look alike; retype it in one script",
                crate::render::escape::terminal_line(word)
            ),
        ));
    }
    issues
}

/// The character checks of every field of an entry: names, lists, long text, mapping ids and
/// notes, links, `reviewed_by` and the bookkeeping fields.
pub fn entry_issues(entry: &Entry) -> Vec<Issue> {
    let mut issues = Vec::new();
    let short = [
        ("id", entry.id.as_str()),
        ("term", entry.term.as_str()),
        ("domain", entry.domain.as_str()),
        ("source", entry.source.as_str()),
        ("reviewed_by", entry.reviewed_by.as_deref().unwrap_or("")),
        (
            "superseded_by",
            entry.superseded_by.as_deref().unwrap_or(""),
        ),
        ("updated_at", entry.updated_at.as_str()),
        ("updated_by", entry.updated_by.as_str()),
    ]
    .into_iter()
    .chain(
        entry
            .abbreviations
            .iter()
            .map(|a| ("abbreviations", a.as_str())),
    )
    .chain(entry.synonyms.iter().map(|s| ("synonyms", s.as_str())))
    .chain(
        entry
            .deprecated_names
            .iter()
            .map(|d| ("deprecated_names", d.as_str())),
    )
    .chain(entry.reviews.iter().map(|r| ("reviews", r.by.as_str())))
    .chain(entry.mappings.iter().map(|m| ("mappings", m.id.as_str())))
    .chain(entry.related.iter().map(|r| ("related", r.as_str())))
    .chain(
        entry
            .false_friends
            .iter()
            .map(|f| ("false_friends", f.as_str())),
    );
    let long = [
        ("definition", entry.definition.as_str()),
        ("explanation", entry.explanation.as_str()),
        ("example", entry.example.as_str()),
    ]
    .into_iter()
    .chain(entry.mappings.iter().map(|m| ("mappings", m.note.as_str())))
    .chain(entry.reviews.iter().map(|r| ("reviews", r.note.as_str())));
    let checks = short
        .map(|(f, v)| (f, v, false))
        .chain(long.map(|(f, v)| (f, v, true)));
    for (field, value, multiline) in checks {
        for issue in text_issues(field, value, multiline) {
            // One message of each kind per field is enough.
            if !issues
                .iter()
                .any(|i: &Issue| i.field == field && i.severity == issue.severity)
            {
                issues.push(issue);
            }
        }
    }
    issues
}

/// The checks of one vocabulary from `domains.json` (or a folder name): its id must be a slug
/// Windows can store; its name and description are text on one line.
pub fn domain_issues(domain: &Domain) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let Some(message) = slug_problem(&domain.id, "domain id") {
        issues.push(Issue::error("id", message).with_value(&domain.id));
    }
    issues.extend(text_issues("name", &domain.name, false));
    issues.extend(text_issues("description", &domain.description, false));
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_reserved_names() {
        for name in [
            "con",
            "NUL",
            "aux.json",
            "com1",
            "lpt9.tar.gz",
            "prn ",
            "com0",
        ] {
            assert!(is_windows_reserved(name), "{name}");
        }
        for name in [
            "cons",
            "con-x",
            "com10",
            "comx",
            "lpt",
            "null",
            "nul-x.json",
        ] {
            assert!(!is_windows_reserved(name), "{name}");
        }
    }

    #[test]
    fn mixed_scripts() {
        assert!(mixed_script_word("Change board").is_none());
        assert!(mixed_script_word("Сhange board").is_some()); // Cyrillic С
        assert!(mixed_script_word("Παρακαλώ Здравствуйте").is_none());
        assert!(mixed_script_word("naïve café").is_none());
    }
}
