//! Text normalisation shared by validation, search, annotation and import: case and accent
//! folding, UK/US spellings ([`spelling`]), words, the "label key" that decides when two names
//! are the same, and slugs ([`slug`]). Decoding bytes into text stays with the size limits it
//! enforces, in [`crate::limits::decode_text`].

mod slug;
pub mod spelling;

pub use slug::slugify;

/// Lower-cases a word, folds its accents (`café` → `cafe`, `Straße` → `strasse`), drops its
/// apostrophes and folds its UK/US spelling to one form ([`spelling::to_us`]), so
/// `organisation` and `organization`, `paediatric` and `pediatric`, `programme` and `program`
/// compare equal.
pub fn fold_word(word: &str) -> String {
    let mut w = if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        word.to_string()
    } else {
        word.to_lowercase()
    };
    if !w.is_ascii() {
        let mut folded = String::with_capacity(w.len());
        for c in w.chars() {
            fold_accent(c, &mut folded);
        }
        w = folded;
    }
    if w.contains(['\'', '’']) {
        w.retain(|c| c != '\'' && c != '’');
    }
    spelling::to_us(&mut w);
    w
}

/// Appends `c` with its accent folded: a Latin letter with a diacritic becomes its plain
/// letters (through `deunicode`: `é` → `e`, `ß` → `ss`, `æ` → `ae`); curly apostrophes become
/// straight ones. Other scripts (Greek, Cyrillic, CJK) are kept as they are: they are words
/// of their own, not accented Latin ones.
fn fold_accent(c: char, out: &mut String) {
    match c {
        '’' | '‘' => out.push('\''),
        // Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional.
        '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' if c.is_alphabetic() => {
            match deunicode::deunicode_char(c) {
                Some(plain)
                    if !plain.is_empty() && plain.bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    out.extend(plain.chars().map(|p| p.to_ascii_lowercase()));
                }
                _ => out.push(c),
            }
        }
        other => out.push(other),
    }
}

/// Splits text into words: runs of letters and digits. Apostrophes inside a word are dropped
/// (`patient's` → `patients`), everything else separates.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The key that decides when two labels name the same thing: folded words joined by single
/// spaces, ignoring case, punctuation, accents, UK/US spelling and any `(...)` part.
/// `"Stage (cancer)"` and `"stage"` share the key `stage`.
pub fn label_key(label: &str) -> String {
    let without_parens = strip_parenthetical(label);
    words(&without_parens)
        .into_iter()
        .map(|w| fold_word(&w.replace(['\'', '’'], "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The label key with spaces removed, so `go-live`, `go live` and `golive` meet.
pub fn compact_key(label: &str) -> String {
    label_key(label).replace(' ', "")
}

/// Removes `(...)` parts: `"Theatre (operating)"` → `"Theatre "`.
pub fn strip_parenthetical(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut depth = 0usize;
    for c in label.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        label.to_string()
    } else {
        out
    }
}

/// FNV-1a, 64 bits: a stable hash (the same on every run and platform) for change detection
/// and index keys. Not for anything an attacker controls.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_and_us_spellings_fold_together() {
        for (uk, us) in [
            ("organisation", "organization"),
            ("Organisational", "organizational"),
            ("programme", "program"),
            ("prioritise", "prioritize"),
            ("prioritisation", "prioritization"),
            ("paediatric", "pediatric"),
            ("haemorrhage", "hemorrhage"),
            ("anaemia", "anemia"),
            ("centre", "center"),
            ("theatre", "theater"),
            ("behaviour", "behavior"),
            ("catalogue", "catalog"),
            ("analyse", "analyze"),
            ("oesophagus", "esophagus"),
            ("judgement", "judgment"),
        ] {
            assert_eq!(fold_word(uk), fold_word(us), "{uk} vs {us}");
        }
        // Words that only look like UK spellings are left alone.
        assert_eq!(fold_word("hour"), "hour");
        assert_eq!(fold_word("four"), "four");
        assert_eq!(fold_word("rise"), "rise");
    }

    #[test]
    fn folding_ignores_case_accents_and_apostrophes_but_keeps_other_scripts() {
        for (word, want) in [
            ("Café", "cafe"),
            ("FAÇADE", "facade"),
            ("naïve", "naive"),
            ("Ångström", "angstrom"),
            ("Straße", "strasse"),
            ("Encyclopædia", "encyclopaedia"),
            ("Øresund", "oresund"),
            ("Łódź", "lodz"),
            ("O’Brien's", "obriens"),
            // Other scripts are words of their own: lower-cased, not transliterated.
            ("ΑΘΗΝΑ", "αθηνα"),
            ("β", "β"),
            ("Москва", "москва"),
            ("東京", "東京"),
            // Punctuation and nothing are left as they are (words() never yields them).
            ("", ""),
            ("-", "-"),
            ("'", ""),
        ] {
            assert_eq!(fold_word(word), want, "{word:?}");
        }
        assert_eq!(compact_key("Façade review"), compact_key("facade review"));
        assert_eq!(label_key("Paediatric Anaesthesia"), "pediatric anesthesia");
        assert_eq!(label_key(""), "");
        assert_eq!(label_key("?! --"), "");
    }

    #[test]
    fn label_keys_ignore_case_punctuation_and_parentheses() {
        assert_eq!(label_key("Stage (cancer)"), "stage");
        assert_eq!(label_key("Go-live"), "go live");
        assert_eq!(compact_key("go live"), compact_key("Go-Live"));
        assert_eq!(compact_key("dis-benefit"), compact_key("disbenefit"));
        assert_eq!(label_key("Patient’s notes"), label_key("patients notes"));
    }
}
