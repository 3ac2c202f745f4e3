//! Slugs: the part of an entry id made from its term.

/// Turns a term into a slug: `"Change Advisory Board"` → `change-advisory-board`,
/// `"Façade review"` → `facade-review`. Letters and digits of any script are transliterated to
/// ASCII (through `deunicode`: `Αθήνα` → `athena`); apostrophes vanish (`patient's` →
/// `patients`); any other run of characters becomes one hyphen. At most 80 characters. A term
/// with no letters or digits gives an empty slug, which validation rejects.
pub fn slugify(term: &str) -> String {
    let mut slug = String::with_capacity(term.len());
    let mut ascii = [0u8; 4];
    for c in term.chars() {
        if matches!(c, '\'' | '’' | '‘') {
            continue;
        }
        let plain: &str = if c.is_ascii() {
            c.encode_utf8(&mut ascii)
        } else if c.is_alphanumeric() {
            deunicode::deunicode_char(c).unwrap_or("-")
        } else {
            "-"
        };
        for p in plain.chars() {
            if p.is_ascii_alphanumeric() {
                slug.push(p.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') && p != '\'' {
                slug.push('-');
            }
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(80);
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_valid_slug;

    #[test]
    fn slugs_are_ascii_words_joined_by_hyphens() {
        for (term, want) in [
            ("Change Advisory Board", "change-advisory-board"),
            ("M&M meeting", "m-m-meeting"),
            ("  Stage (cancer)  ", "stage-cancer"),
            ("Two-week wait (2WW)", "two-week-wait-2ww"),
            ("Façade review", "facade-review"),
            ("Naïve café's rôle", "naive-cafes-role"),
            ("Señor Ångström", "senor-angstrom"),
            ("Straße", "strasse"),
            ("O’Brien’s test", "obriens-test"),
            ("Αθήνα", "athena"),
            ("Москва", "moskva"),
            ("東京", "dong-jing"),
            ("β-blocker", "b-blocker"),
            ("A -- B", "a-b"),
            // No letters or digits: empty, which validation rejects as it always has.
            ("", ""),
            ("   ", ""),
            ("!!! ---", ""),
            ("😀 ✓", ""),
        ] {
            assert_eq!(slugify(term), want, "{term:?}");
            assert!(want.is_empty() || is_valid_slug(want), "{want:?}");
        }
        assert!(!is_valid_slug(&slugify("?!")));
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= 80 && is_valid_slug(&long), "{long}");
    }
}
