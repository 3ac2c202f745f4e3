//! Text normalisation shared by validation, search and annotation: case and accent folding,
//! UK/US spelling folding and the "label key" that decides when two names are the same.

/// Lower-cases and folds a word's UK/US spelling to one form, so `organisation` and
/// `organization`, `paediatric` and `pediatric`, `programme` and `program` compare equal.
///
/// The fold is applied identically to the index and to queries, so an occasional odd fold
/// (`exercise` → `exercize`) is harmless: both sides fold the same way.
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
        w = w.chars().map(fold_accent).collect();
    }
    if w.contains(['\'', '’']) {
        w.retain(|c| c != '\'' && c != '’');
    }
    if w.len() < 4 {
        return w;
    }
    // Whole-word spellings first.
    match w.as_str() {
        "programme" | "programmes" => return w.replacen("programme", "program", 1),
        "catalogue" | "catalogues" => return w.replacen("catalogue", "catalog", 1),
        "dialogue" => return "dialog".into(),
        "judgement" | "judgements" => return w.replacen("judgement", "judgment", 1),
        "licence" => return "license".into(),
        "defence" => return "defense".into(),
        "offence" => return "offense".into(),
        "practise" => return "practice".into(),
        "grey" => return "gray".into(),
        "tyre" => return "tire".into(),
        "anaesthesia" | "anaesthetic" | "anaesthetist" | "anaesthetics" => {
            return w.replacen("anaes", "anes", 1)
        }
        _ => {}
    }
    // Greek-derived medical spellings: haem-, paed-, oes-, oed-, -aemia, orthopaed-.
    for (uk, us) in [
        ("haem", "hem"),
        ("paed", "ped"),
        ("oesoph", "esoph"),
        ("oedem", "edem"),
        ("oestr", "estr"),
        ("orthopaed", "orthoped"),
        ("gynaec", "gynec"),
        ("foet", "fet"),
        ("diarrhoea", "diarrhea"),
        ("leukaem", "leukem"),
        ("anaem", "anem"),
        ("ischaem", "ischem"),
        ("septicaem", "septicem"),
        ("hypoglycaem", "hypoglycem"),
        ("hyperglycaem", "hyperglycem"),
    ] {
        if let Some(rest) = w.strip_prefix(uk) {
            w = format!("{us}{rest}");
            break;
        }
    }
    if w.contains("aemia") {
        w = w.replace("aemia", "emia");
    }
    // -isation- inside a word (organisational), then the suffixes: -ise/-ising/-ised → -iz-;
    // -yse → -yze.
    if w.contains("isation") {
        w = w.replace("isation", "ization");
    }
    for (uk, us) in [
        ("isation", "ization"),
        ("isations", "izations"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("iser", "izer"),
        ("isers", "izers"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
    ] {
        if w.ends_with(uk) && w.len() > uk.len() + 2 {
            let stem_len = w.len() - uk.len();
            w = format!("{}{}", &w[..stem_len], us);
            break;
        }
    }
    // -our → -or (colour, behaviour, labour), but not hour/four/tour/your/flour/pour.
    for (uk, us) in [("ours", "ors"), ("our", "or")] {
        if w.ends_with(uk) && w.len() >= 6 && !w.ends_with("flour") {
            let stem_len = w.len() - uk.len();
            w = format!("{}{}", &w[..stem_len], us);
            break;
        }
    }
    // -tre → -ter (centre, theatre, litre, metre).
    for (uk, us) in [("tres", "ters"), ("tre", "ter")] {
        if w.ends_with(uk) && w.len() >= 5 {
            let stem_len = w.len() - uk.len();
            w = format!("{}{}", &w[..stem_len], us);
            break;
        }
    }
    // -logue → -log (analogue, catalogue handled above).
    if let Some(stem) = w.strip_suffix("logue") {
        w = format!("{stem}log");
    }
    w
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        '’' | '‘' => '\'',
        other => other,
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
    fn label_keys_ignore_case_punctuation_and_parentheses() {
        assert_eq!(label_key("Stage (cancer)"), "stage");
        assert_eq!(label_key("Go-live"), "go live");
        assert_eq!(compact_key("go live"), compact_key("Go-Live"));
        assert_eq!(compact_key("dis-benefit"), compact_key("disbenefit"));
        assert_eq!(label_key("Patient’s notes"), label_key("patients notes"));
    }
}
