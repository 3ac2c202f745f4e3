//! UK and US spellings: one table, read both ways. Search and validation fold every word to
//! its US form ([`to_us`], through [`super::fold_word`]), so `organisation` and `organization`
//! compare equal; annotation makes every UK and US form of a label ([`spellings`]) to find it
//! in running text however it is spelt.

/// One UK spelling and its US form.
struct Spelling {
    uk: &'static str,
    us: &'static str,
    /// For an ending: the least length of a word it applies to (so `rise` stays `rise`).
    min_len: usize,
    /// For an ending: words ending so keep it (`flour` is no `-our` word).
    except: &'static str,
    /// A US word with this spelling is always the UK word spelt the US way, so the UK form can
    /// be made from it (`organize` → `organise`); not so for `-or` (`doctor`), `-ter`
    /// (`water`) or `program` (software is a program in the UK too).
    reversible: bool,
}

/// The UK spellings, by where in a word they are found. Within each part, rows are tried in
/// order; of the whole words, the starts and the endings, only the first match applies.
struct Spellings {
    /// The whole word.
    words: &'static [Spelling],
    /// The start of the word.
    starts: &'static [Spelling],
    /// Anywhere in the word, every occurrence.
    within: &'static [Spelling],
    /// The end of the word.
    endings: &'static [Spelling],
}

const fn row(uk: &'static str, us: &'static str) -> Spelling {
    ending(uk, us, 0, false)
}

const fn ending(uk: &'static str, us: &'static str, min_len: usize, reversible: bool) -> Spelling {
    Spelling {
        uk,
        us,
        min_len,
        except: "",
        reversible,
    }
}

/// Every UK spelling folded: whole words, then word starts (Greek-derived medical spellings:
/// anaes-, haem-, paed-, oes-, oed-), then spellings anywhere in a word (-aemia, -isation-),
/// then word endings (-ise, -yse, -our, -tre, -logue).
///
/// The fold is applied identically to the index and to queries, so an occasional odd fold
/// (`exercise` → `exercize`) is harmless: both sides fold the same way.
const SPELLINGS: Spellings = Spellings {
    words: &[
        row("programme", "program"),
        row("programmes", "programs"),
        row("catalogue", "catalog"),
        row("catalogues", "catalogs"),
        row("dialogue", "dialog"),
        row("judgement", "judgment"),
        row("judgements", "judgments"),
        row("licence", "license"),
        row("defence", "defense"),
        row("offence", "offense"),
        row("practise", "practice"),
        row("grey", "gray"),
        row("tyre", "tire"),
    ],
    starts: &[
        row("anaes", "anes"),
        row("haem", "hem"),
        row("paed", "ped"),
        row("oesoph", "esoph"),
        row("oedem", "edem"),
        row("oestr", "estr"),
        row("orthopaed", "orthoped"),
        row("gynaec", "gynec"),
        row("foet", "fet"),
        row("diarrhoea", "diarrhea"),
        row("leukaem", "leukem"),
        row("anaem", "anem"),
        row("ischaem", "ischem"),
        row("septicaem", "septicem"),
        row("hypoglycaem", "hypoglycem"),
        row("hyperglycaem", "hyperglycem"),
    ],
    within: &[
        row("aemia", "emia"),
        // Inside a word too (organisational).
        ending("isation", "ization", 0, true),
    ],
    endings: &[
        // The suffixes -ise/-ising/-ised → -iz-, after at least three letters.
        ending("ising", "izing", 8, true),
        ending("ised", "ized", 7, true),
        ending("iser", "izer", 7, true),
        ending("isers", "izers", 8, true),
        ending("ises", "izes", 7, true),
        ending("ise", "ize", 6, true),
        ending("yse", "yze", 6, true),
        ending("ysed", "yzed", 7, true),
        ending("ysing", "yzing", 8, true),
        // -our → -or (colour, behaviour, labour), but not hour/four/tour/your/pour or flour.
        ending("ours", "ors", 6, false),
        Spelling {
            except: "flour",
            ..ending("our", "or", 6, false)
        },
        // -tre → -ter (centre, theatre, litre, metre).
        ending("tres", "ters", 5, false),
        ending("tre", "ter", 5, false),
        // -logue → -log (analogue; catalogue is a whole word above).
        ending("logue", "log", 0, false),
    ],
};

/// The bytes that start (or, with `last`, end) the UK spellings of `rows`, worked out when
/// compiling: most words start and end with no such byte, and skip the rows at once.
const fn edge_bytes(rows: &[Spelling], last: bool) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < rows.len() {
        let uk = rows[i].uk.as_bytes();
        set[(if last { uk[uk.len() - 1] } else { uk[0] }) as usize] = true;
        i += 1;
    }
    set
}

const WORD_FIRST: [bool; 256] = edge_bytes(SPELLINGS.words, false);
const START_FIRST: [bool; 256] = edge_bytes(SPELLINGS.starts, false);
const ENDING_LAST: [bool; 256] = edge_bytes(SPELLINGS.endings, true);

/// Folds the UK spellings of a lower-case word to their US form, in place. Words shorter than
/// four bytes are left alone.
pub fn to_us(w: &mut String) {
    if w.len() < 4 {
        return;
    }
    let first = usize::from(w.as_bytes()[0]);
    if WORD_FIRST[first] {
        if let Some(row) = SPELLINGS.words.iter().find(|row| row.uk == w.as_str()) {
            w.clear();
            w.push_str(row.us);
            return;
        }
    }
    if START_FIRST[first] {
        if let Some(row) = SPELLINGS.starts.iter().find(|row| w.starts_with(row.uk)) {
            w.replace_range(..row.uk.len(), row.us);
        }
    }
    for row in SPELLINGS.within {
        if w.contains(row.uk) {
            *w = w.replace(row.uk, row.us);
        }
    }
    if !ENDING_LAST[usize::from(w.as_bytes()[w.len() - 1])] {
        return;
    }
    let ending = SPELLINGS.endings.iter().find(|row| {
        w.ends_with(row.uk)
            && w.len() >= row.min_len
            && (row.except.is_empty() || !w.ends_with(row.except))
    });
    if let Some(row) = ending {
        w.replace_range(w.len() - row.uk.len().., row.us);
    }
}

/// The UK form of a lower-case US word, for the reversible rows only (`organize` →
/// `organise`); the word itself when none applies.
fn to_uk(w: &str) -> String {
    let mut w = w.to_string();
    for row in SPELLINGS.within.iter().filter(|row| row.reversible) {
        if w.contains(row.us) {
            w = w.replace(row.us, row.uk);
        }
    }
    let ending = SPELLINGS
        .endings
        .iter()
        .filter(|row| row.reversible)
        .find(|row| w.ends_with(row.us) && w.len() >= row.min_len);
    if let Some(row) = ending {
        w.replace_range(w.len() - row.us.len().., row.uk);
    }
    w
}

/// The spellings of a phrase, word by word: as written, then with every reversible US
/// spelling made UK, then with every UK spelling made US (each only when it differs).
/// Words are matched ignoring case; a respelt word keeps a capital first letter, or capitals
/// throughout.
pub fn spellings(phrase: &str) -> Vec<String> {
    let uk = respell(phrase, to_uk);
    let us = respell(phrase, |lower| {
        let mut w = lower.to_string();
        to_us(&mut w);
        w
    });
    let mut out = vec![phrase.to_string()];
    for form in [uk, us] {
        if !out.contains(&form) {
            out.push(form);
        }
    }
    out
}

/// `phrase` with each run of letters replaced by `spell` of its lower-case form, in the case
/// the run was written in.
fn respell(phrase: &str, spell: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(phrase.len() + 4);
    let mut rest = phrase;
    while !rest.is_empty() {
        let letters = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        if letters == 0 {
            let c = rest.chars().next().expect("rest is not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let (written, after) = rest.split_at(letters);
        let spelt = spell(&written.to_lowercase());
        if spelt == written.to_lowercase() {
            out.push_str(written);
        } else {
            out.push_str(&in_case_of(written, &spelt));
        }
        rest = after;
    }
    out
}

/// `lower` in the case of `written`: all capitals, a capital first letter, or lower case.
fn in_case_of(written: &str, lower: &str) -> String {
    let mut letters = written.chars();
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    if first_upper && written.chars().count() > 1 && letters.all(char::is_uppercase) {
        return lower.to_uppercase();
    }
    if first_upper {
        let mut chars = lower.chars();
        return chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    lower.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(word: &str) -> String {
        let mut w = word.to_string();
        to_us(&mut w);
        w
    }

    #[test]
    fn each_kind_of_row_folds_to_us() {
        for (uk, want) in [
            ("programmes", "programs"),
            ("anaesthetist", "anesthetist"),
            ("anaesthetised", "anesthetized"),
            ("haemorrhage", "hemorrhage"),
            ("orthopaedic", "orthopedic"),
            ("septicaemia", "septicemia"),
            ("organisational", "organizational"),
            ("prioritising", "prioritizing"),
            ("analyse", "analyze"),
            ("behaviours", "behaviors"),
            ("theatres", "theaters"),
            ("analogue", "analog"),
            // Too short for their ending, or not that ending at all.
            ("rise", "rise"),
            ("raised", "raised"),
            ("hour", "hour"),
            ("flour", "flour"),
            ("wheatflour", "wheatflour"),
            ("litre", "liter"),
            ("cab", "cab"),
        ] {
            assert_eq!(us(uk), want, "{uk}");
        }
    }

    #[test]
    fn phrases_get_their_uk_and_us_forms_in_the_case_written() {
        assert_eq!(
            spellings("Organisational change"),
            ["Organisational change", "Organizational change"]
        );
        assert_eq!(
            spellings("Organize care"),
            ["Organize care", "Organise care"]
        );
        assert_eq!(
            spellings("HAEMATOLOGY centre"),
            ["HAEMATOLOGY centre", "HEMATOLOGY center"]
        );
        assert_eq!(spellings("Two-week wait"), ["Two-week wait"]);
        // Only the reversible spellings go back to UK: a doctor is no doctour.
        assert_eq!(spellings("Doctor"), ["Doctor"]);
        assert_eq!(spellings(""), [""]);
    }
}
