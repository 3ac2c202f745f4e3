//! Shared pieces of the Babelfish benchmarks: a deterministic synthetic glossary with realistic
//! lengths, built from the real glossary's vocabulary, and timing helpers.

use std::time::Duration;

use babelfish::{Closeness, Domain, Entry, Mapping, Status};

/// A small deterministic random generator (SplitMix64): the same glossary on every run.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// One item of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Words and names taken from the bundled glossary, so synthetic text has real word lengths
/// and a real vocabulary.
pub struct Vocabulary {
    /// Words of terms.
    pub term_words: Vec<String>,
    /// Words of the prose.
    pub prose_words: Vec<String>,
}

impl Vocabulary {
    /// Reads the vocabulary of the bundled glossary.
    pub fn from_bundled() -> Vocabulary {
        let loaded = babelfish::bundled::load();
        let mut term_words = Vec::new();
        let mut prose_words = Vec::new();
        for e in loaded.glossary.entries() {
            term_words.extend(
                babelfish::text::words(&e.term)
                    .into_iter()
                    .map(str::to_string),
            );
            for text in [&e.definition, &e.explanation, &e.example] {
                prose_words.extend(babelfish::text::words(text).into_iter().map(str::to_string));
            }
        }
        term_words.sort();
        term_words.dedup();
        Vocabulary {
            term_words,
            prose_words,
        }
    }
}

/// Realistic prose of about `words` words: the glossary's own sentences' words, with about one
/// word in twelve replaced by a term or abbreviation, as in a project paper or ward minutes.
/// Returns the text and its word count (deterministic: the same text on every run).
pub fn jargon_prose(glossary: &babelfish::Glossary, words: usize) -> (String, usize) {
    let vocab = Vocabulary::from_bundled();
    let mut rng = Rng::new(11);
    let names: Vec<String> = glossary
        .entries()
        .iter()
        .flat_map(|e| std::iter::once(e.term.clone()).chain(e.abbreviations.iter().cloned()))
        .collect();
    let mut text = String::new();
    let mut count = 0;
    while count < words {
        if rng.below(12) == 0 {
            let name: &String = rng.pick(&names);
            text.push_str(name);
            count += name.split_whitespace().count();
        } else {
            let word: &String = rng.pick(&vocab.prose_words);
            text.push_str(word);
            count += 1;
        }
        text.push(if rng.below(15) == 0 { '\n' } else { ' ' });
    }
    (text, count)
}

/// The four standard vocabularies.
pub fn domains() -> Vec<Domain> {
    ["prince2", "itil", "msp", "clinical"]
        .into_iter()
        .map(Domain::from_id)
        .collect()
}

fn sentence(rng: &mut Rng, vocab: &Vocabulary, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        let word: &String = rng.pick(&vocab.prose_words);
        out.push_str(word);
    }
    out.push('.');
    out
}

/// `n` entries with realistic lengths: 1–4 word terms made unique with a serial word, an
/// abbreviation on a third of them, 0–2 synonyms, a 35-word definition, a 60-word explanation,
/// a 15-word example and, on informatics entries, a mapping to a clinical entry.
pub fn synthetic_entries(n: usize, vocab: &Vocabulary, seed: u64) -> Vec<Entry> {
    let mut rng = Rng::new(seed);
    let doms = ["prince2", "itil", "msp", "clinical"];
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let domain = doms[i % 4];
        let words = 1 + rng.below(3);
        let mut term: Vec<String> = (0..words)
            .map(|_| rng.pick(&vocab.term_words).clone())
            .collect();
        // A made-up but pronounceable serial word keeps terms unique within a domain.
        term.push(serial_word(i));
        let term = term.join(" ");
        let abbreviations = if i % 3 == 0 {
            vec![
                term.split(' ')
                    .filter_map(|w| w.chars().next())
                    .collect::<String>()
                    .to_uppercase()
                    + &(i % 97).to_string(),
            ]
        } else {
            Vec::new()
        };
        let synonyms = (0..rng.below(3))
            .map(|k| {
                format!(
                    "{} {}",
                    rng.pick(&vocab.term_words),
                    serial_word(i * 7 + k + n)
                )
            })
            .collect();
        let mappings = if domain != "clinical" && n >= 4 {
            // The nearest clinical entry (every fourth id).
            let target = (i / 4) * 4 + 3;
            if target < n {
                vec![Mapping {
                    id: format!("clinical/e{target}"),
                    closeness: Closeness::Related,
                    note: sentence(&mut rng, vocab, 12),
                }]
            } else {
                Vec::new()
            }
        } else {
            Vec::new()
        };
        entries.push(Entry {
            id: format!("{domain}/e{i}"),
            term,
            domain: domain.into(),
            abbreviations,
            synonyms,
            deprecated_names: Vec::new(),
            definition: sentence(&mut rng, vocab, 35),
            explanation: sentence(&mut rng, vocab, 60),
            example: sentence(&mut rng, vocab, 15),
            mappings,
            related: Vec::new(),
            false_friends: Vec::new(),
            source: "synthetic".into(),
            status: Status::Draft,
            superseded_by: None,
            reviewed_by: None,
            reviews: Vec::new(),
            revision: 1,
            updated_at: "2026-11-24T12:00:00Z".into(),
            updated_by: "bench".into(),
        });
    }
    entries
}

/// A unique, word-like token for a number: consonant-vowel syllables.
pub fn serial_word(mut n: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut out = String::new();
    loop {
        out.push(C[n % C.len()] as char);
        n /= C.len();
        out.push(V[n % V.len()] as char);
        n /= V.len();
        if n == 0 {
            break;
        }
    }
    out
}

/// Median and 99th percentile of a set of durations, in microseconds.
pub fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    if samples.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1e6
    };
    (at(0.5), at(0.99))
}

/// Peak resident memory of this process so far, in MiB (Linux `ru_maxrss`).
pub fn peak_rss_mib() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage.ru_maxrss as f64 / 1024.0
    }
}

/// Runs this benchmark again as `--one N` in a fresh process (so each measurement starts cold
/// and peak memory is its own), passes on its diagnostics (stderr) and returns its stdout.
pub fn run_one_in_child(n: usize) -> Vec<u8> {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = std::process::Command::new(exe)
        .args(["--one", &n.to_string()])
        .output()
        .expect("the benchmark runs itself");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Copies the folder `from` into `to`, recursively (a glossary copied for a benchmark to edit).
/// Saves entry `id` through `colleague` (another program's store on the same folder) with its
/// example set to `example`, at the revision on disk: a colleague's edit, for the reload
/// benchmarks.
pub fn save_as_colleague(
    colleague: &babelfish::store::Store,
    id: &str,
    example: String,
    glossary: &babelfish::Glossary,
) {
    let mut stored = colleague.read(id).expect("reads");
    stored.entry.example = example;
    let base = babelfish::store::Base::revision(stored.entry.revision);
    colleague
        .save(stored.entry, &base, "Colleague", glossary)
        .expect("colleague saves");
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for item in std::fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), target).unwrap();
        }
    }
}
