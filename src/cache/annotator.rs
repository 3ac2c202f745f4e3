//! The annotator cache: a built [`Annotator`] saved as bytes under the user's cache folder, so
//! a one-shot `babelfish translate` reads it in a few milliseconds instead of building it from
//! every entry's names (hundreds of milliseconds for the bundled glossary on a busy machine).
//!
//! It follows the start-up cache's rules ([`super`]): keyed by what it is derived from — every
//! entry's id, term, synonyms and abbreviations, in order, plus [`FORMAT_VERSION`], the crate
//! version and a hash of the source code that turns names into patterns — written whole into a
//! hidden file that is then renamed into place, never changed afterwards, and ignored and
//! rebuilt when anything does not match (another key, another format, a cut-short or damaged
//! file: a checksum covers every byte). It holds only what the glossary gives, never a text
//! being annotated.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::CacheUse;
use crate::annotate::Annotator;
use crate::glossary::Glossary;
use crate::source::GlossarySource;
use crate::text::fnv1a;

/// The layout of the cache file; bump it whenever [`Annotator::write_to`] changes.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"BFANNOT\0";
const KEY_LEN: usize = 32;
const FILE_SUFFIX: &str = ".annotator";

/// The code that decides the patterns (variants, spellings, the words left out): a change to
/// it gives another key even when the version number stays, so a developer's build never reads
/// an annotator its own code would not build.
const PATTERN_CODE: u64 = const_hash(&[
    include_str!("../annotate.rs"),
    include_str!("../annotate/automata.rs"),
    include_str!("../text/mod.rs"),
    include_str!("../text/spelling.rs"),
]);

/// The annotator cache of one glossary (the bundled copy or a folder), under a cache root.
pub struct AnnotatorCache {
    /// `<cache_root>/annotator-<hash of the source>`: one current file, older ones removed.
    dir: PathBuf,
}

impl AnnotatorCache {
    /// The cache for `source`'s annotators, kept under `cache_root` (created when first
    /// written).
    pub fn new(cache_root: &Path, source: &GlossarySource) -> AnnotatorCache {
        let name = match source {
            GlossarySource::Bundled => "bundled".to_string(),
            GlossarySource::Folder(folder) => {
                let folder = folder.canonicalize().unwrap_or_else(|_| folder.clone());
                format!("{:016x}", fnv1a(folder.as_os_str().as_encoded_bytes()))
            }
        };
        AnnotatorCache {
            dir: cache_root.join(format!("annotator-{name}")),
        }
    }

    /// The annotator for `glossary`: read from the cache when a whole file for exactly these
    /// names is there, else built (and the cache written for next time).
    pub fn annotator(&self, glossary: &Glossary) -> (Annotator, CacheUse) {
        let key = patterns_key(glossary);
        let file = self.dir.join(format!("{key}{FILE_SUFFIX}"));
        if let Some(annotator) = std::fs::read(&file)
            .ok()
            .and_then(|bytes| decode(&bytes, &key, glossary.len()))
        {
            return (annotator, CacheUse::Hit);
        }
        let annotator = Annotator::new(glossary);
        let cache = match self.write(&key, &annotator) {
            Ok(()) => CacheUse::Written,
            Err(e) => CacheUse::NotWritten(format!(
                "cannot write the annotator cache in {}: {e}",
                self.dir.display()
            )),
        };
        (annotator, cache)
    }

    /// The file holding the annotator for `glossary` (whether or not it exists yet).
    pub fn file_for(&self, glossary: &Glossary) -> PathBuf {
        self.dir
            .join(format!("{}{FILE_SUFFIX}", patterns_key(glossary)))
    }

    /// Writes the file under a hidden name, renames it into place (replacing a damaged one;
    /// a process racing to write the same key writes the same bytes), then removes the
    /// older keys' files.
    fn write(&self, key: &str, annotator: &Annotator) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut staged = tempfile::Builder::new()
            .prefix(".writing-")
            .tempfile_in(&self.dir)?;
        staged.write_all(&encode(key, annotator))?;
        let name = format!("{key}{FILE_SUFFIX}");
        if let Err(e) = staged.persist(self.dir.join(&name)) {
            // Windows refuses to replace a file another process has open: that process
            // wrote (or is reading) the same bytes.
            if !self.dir.join(&name).exists() {
                return Err(e.error);
            }
        }
        for old in std::fs::read_dir(&self.dir)?.flatten() {
            let old_name = old.file_name();
            let old_name = old_name.to_string_lossy();
            if old_name != name && !old_name.starts_with('.') {
                let _ = std::fs::remove_file(old.path());
            }
        }
        Ok(())
    }
}

/// The file's bytes: magic, format version, key, body length, body checksum, body.
fn encode(key: &str, annotator: &Annotator) -> Vec<u8> {
    let mut body = Vec::new();
    annotator.write_to(&mut body);
    let mut out = Vec::with_capacity(body.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// The annotator in `bytes`, if they are a whole file of this format for `key`.
fn decode(bytes: &[u8], key: &str, entries: usize) -> Option<Annotator> {
    use crate::annotate::automata::{take, take_u64};
    let mut rest = bytes;
    let header_ok = take(&mut rest, MAGIC.len())? == MAGIC
        && take(&mut rest, 4)? == FORMAT_VERSION.to_le_bytes()
        && take(&mut rest, KEY_LEN)? == key.as_bytes();
    let body_len = usize::try_from(take_u64(&mut rest)?).ok()?;
    let sum = take_u64(&mut rest)?;
    if !header_ok || rest.len() != body_len || checksum(rest) != sum {
        return None;
    }
    Annotator::read_from(rest, entries)
}

/// What the patterns are made from, hashed: 128 bits as 32 hex digits.
fn patterns_key(glossary: &Glossary) -> String {
    let mut key = format!(
        "{FORMAT_VERSION}\n{}\n{PATTERN_CODE:016x}\n{}\n",
        env!("CARGO_PKG_VERSION"),
        glossary.len()
    );
    for entry in glossary.entries() {
        // Unit and record separators cannot occur in a name, so no two lists read alike.
        key.push_str(&entry.id);
        for name in std::iter::once(&entry.term)
            .chain(&entry.synonyms)
            .chain(std::iter::once(&String::new()))
            .chain(&entry.abbreviations)
        {
            key.push('\u{1f}');
            key.push_str(name);
        }
        key.push('\u{1e}');
    }
    let key = format!(
        "{:016x}{:016x}",
        fnv1a(key.as_bytes()),
        fnv1a(format!("{}{key}", glossary.len()).as_bytes())
    );
    debug_assert_eq!(key.len(), KEY_LEN);
    key
}

/// A fast checksum over 8-byte words (FxHash's mixing): it notices a cut-short, torn or
/// damaged file. Not a defence against someone who can write the user's cache folder.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        hash = (hash.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for &b in words.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    hash
}

/// FNV-1a over several texts, at compile time.
const fn const_hash(texts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut t = 0;
    while t < texts.len() {
        let bytes = texts[t].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            i += 1;
        }
        t += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_notices_one_changed_byte_and_a_cut() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut changed = bytes.clone();
        changed[517] ^= 1;
        assert_ne!(checksum(&bytes), checksum(&changed));
        assert_ne!(checksum(&bytes), checksum(&bytes[..999]));
    }
}
