//! UK and US spellings: one table, read both ways. Search and validation fold every word to
//! its US form ([`to_us`], through [`super::fold_word`]), so `organisation` and `organization`
//! compare equal; annotation makes every UK and US form of a label ([`spellings`]) to find it
//! in running text however it is spelt.

/// Where in a word a row of [`SPELLINGS`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// The whole word.
    Word,
    /// The start of the word; the first such row that matches is the only one applied.
    Start,
    /// Anywhere in the word, every occurrence.
    Within,
    /// The end of a word of at least `min_len` bytes (so `rise` stays `rise`), unless the word
    /// ends with `except` (`flour` is no `-our` word); the first such row that matches is the
    /// only one applied.
    End {
        min_len: usize,
        except: &'static str,
    },
}

/// One UK spelling and its US form.
struct Spelling {
    uk: &'static str,
    us: &'static str,
    at: At,
    /// A US word with this spelling is always the UK word spelt the US way, so the UK form can
    /// be made from it (`organize` → `organise`); not so for `-or` (`doctor`), `-ter`
    /// (`water`) or `program` (software is a program in the UK too).
    reversible: bool,
}

const fn word(uk: &'static str, us: &'static str) -> Spelling {
    Spelling {
        uk,
        us,
        at: At::Word,
        reversible: false,
    }
}

const fn start(uk: &'static str, us: &'static str) -> Spelling {
    Spelling {
        uk,
        us,
        at: At::Start,
        reversible: false,
    }
}

const fn end(uk: &'static str, us: &'static str, min_len: usize, reversible: bool) -> Spelling {
    Spelling {
        uk,
        us,
        at: At::End {
            min_len,
            except: "",
        },
        reversible,
    }
}

/// Every UK spelling folded, in the order they are tried: whole words, then word starts
/// (Greek-derived medical spellings: anaes-, haem-, paed-, oes-, oed-), then spellings anywhere in a
/// word (-aemia, -isation-), then word endings (-ise, -yse, -our, -tre, -logue).
///
/// The fold is applied identically to the index and to queries, so an occasional odd fold
/// (`exercise` → `exercize`) is harmless: both sides fold the same way.
const SPELLINGS: &[Spelling] = &[
    word("programme", "program"),
    word("programmes", "programs"),
    word("catalogue", "catalog"),
    word("catalogues", "catalogs"),
    word("dialogue", "dialog"),
    word("judgement", "judgment"),
    word("judgements", "judgments"),
    word("licence", "license"),
    word("defence", "defense"),
    word("offence", "offense"),
    word("practise", "practice"),
    word("grey", "gray"),
    word("tyre", "tire"),
    start("anaes", "anes"),
    start("haem", "hem"),
    start("paed", "ped"),
    start("oesoph", "esoph"),
    start("oedem", "edem"),
    start("oestr", "estr"),
    start("orthopaed", "orthoped"),
    start("gynaec", "gynec"),
    start("foet", "fet"),
    start("diarrhoea", "diarrhea"),
    start("leukaem", "leukem"),
    start("anaem", "anem"),
    start("ischaem", "ischem"),
    start("septicaem", "septicem"),
    start("hypoglycaem", "hypoglycem"),
    start("hyperglycaem", "hyperglycem"),
    Spelling {
        uk: "aemia",
        us: "emia",
        at: At::Within,
        reversible: false,
    },
    // Inside a word too (organisational).
    Spelling {
        uk: "isation",
        us: "ization",
        at: At::Within,
        reversible: true,
    },
    // The suffixes -ise/-ising/-ised → -iz-, after at least three letters.
    end("ising", "izing", 8, true),
    end("ised", "ized", 7, true),
    end("iser", "izer", 7, true),
    end("isers", "izers", 8, true),
    end("ises", "izes", 7, true),
    end("ise", "ize", 6, true),
    end("yse", "yze", 6, true),
    end("ysed", "yzed", 7, true),
    end("ysing", "yzing", 8, true),
    // -our → -or (colour, behaviour, labour), but not hour/four/tour/your/pour or flour.
    end("ours", "ors", 6, false),
    Spelling {
        uk: "our",
        us: "or",
        at: At::End {
            min_len: 6,
            except: "flour",
        },
        reversible: false,
    },
    // -tre → -ter (centre, theatre, litre, metre).
    end("tres", "ters", 5, false),
    end("tre", "ter", 5, false),
    // -logue → -log (analogue; catalogue is a whole word above).
    end("logue", "log", 0, false),
];

/// Folds the UK spellings of a lower-case word to their US form, in place. Words shorter than
/// four bytes are left alone.
pub fn to_us(w: &mut String) {
    if w.len() < 4 {
        return;
    }
    if let Some(row) = SPELLINGS
        .iter()
        .find(|row| row.at == At::Word && row.uk == w.as_str())
    {
        w.clear();
        w.push_str(row.us);
        return;
    }
    if let Some(row) = SPELLINGS
        .iter()
        .find(|row| row.at == At::Start && w.starts_with(row.uk))
    {
        w.replace_range(..row.uk.len(), row.us);
    }
    for row in SPELLINGS.iter().filter(|row| row.at == At::Within) {
        if w.contains(row.uk) {
            *w = w.replace(row.uk, row.us);
        }
    }
    let ending = SPELLINGS.iter().find(|row| match row.at {
        At::End { min_len, except } => {
            w.ends_with(row.uk) && w.len() >= min_len && (except.is_empty() || !w.ends_with(except))
        }
        _ => false,
    });
    if let Some(row) = ending {
        w.replace_range(w.len() - row.uk.len().., row.us);
    }
}

/// The UK form of a lower-case US word, for the reversible rows only (`organize` →
/// `organise`); the word itself when none applies.
fn to_uk(w: &str) -> String {
    let mut w = w.to_string();
    for row in SPELLINGS.iter().filter(|row| row.reversible) {
        match row.at {
            At::Within if w.contains(row.us) => w = w.replace(row.us, row.uk),
            At::End { min_len, .. } if w.ends_with(row.us) && w.len() >= min_len => {
                w.replace_range(w.len() - row.us.len().., row.uk);
                break;
            }
            _ => {}
        }
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
