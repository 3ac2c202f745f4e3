//! The curated glossary, embedded in the binary so `babelfish search CAB` works anywhere.

use include_dir::{include_dir, Dir};

use crate::load::{load_files, Loaded, SourceFile};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/glossary");

/// The bundled glossary's files, as if read from a folder.
pub fn files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect(&BUNDLED, &mut out);
    out
}

fn collect(dir: &Dir<'static>, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if path.ends_with(".json") && !path.rsplit('/').next().unwrap_or("").starts_with('.') {
            out.push(SourceFile {
                path,
                bytes: file.contents().to_vec(),
            });
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// Loads the bundled glossary.
pub fn load() -> Loaded {
    load_files(files())
}

/// The `.gitattributes` a glossary folder ships with: LF line ends for every entry, whatever
/// `core.autocrlf` says, so a Windows checkout does not rewrite every file.
pub const GITATTRIBUTES: &str = include_str!("../glossary/.gitattributes");

/// The `.gitignore` a glossary folder ships with: the store's locks and temporary files.
pub const GITIGNORE: &str = include_str!("../glossary/.gitignore");

/// Writes the bundled glossary into `target` (which must not already hold a glossary), for a
/// first run that gives the user an editable copy, with its `.gitattributes` and `.gitignore`.
pub fn extract_to(target: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(target)?;
    for (name, text) in [(".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)] {
        let path = target.join(name);
        if !path.exists() {
            std::fs::write(&path, text)?;
        }
    }
    for file in files() {
        let path = target.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if !path.exists() {
            std::fs::write(&path, &file.bytes)?;
        }
    }
    Ok(())
}

/// Whether `folder` is empty enough to start a glossary in: it exists and holds nothing but
/// hidden files (`.git`, a sync tool's state). False when it cannot be read.
pub fn is_empty_folder(folder: &std::path::Path) -> bool {
    match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with('.')),
        Err(_) => false,
    }
}

/// Starts a shared glossary in an empty folder: the bundled vocabularies (`domains.json`)
/// and, with `with_entries`, a copy of every bundled entry; without, colleagues start from no
/// entries. Returns the number of entries written. Refused, writing nothing, when the folder
/// is not empty ([`is_empty_folder`]), so an existing glossary is never mixed into.
pub fn start_glossary(folder: &std::path::Path, with_entries: bool) -> std::io::Result<usize> {
    if !is_empty_folder(folder) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty: a glossary is only started in an empty folder",
                folder.display()
            ),
        ));
    }
    let mut entries = 0;
    for file in files() {
        let is_domains = file.path == "domains.json";
        if !is_domains && !with_entries {
            continue;
        }
        let path = folder.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::store::write_atomic(&path, &file.bytes).map_err(std::io::Error::other)?;
        entries += usize::from(!is_domains);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glossary_starts_only_in_an_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(empty.join(".git")).unwrap();
        assert!(is_empty_folder(&empty));
        assert_eq!(start_glossary(&empty, false).unwrap(), 0);
        assert!(empty.join("domains.json").is_file());
        let loaded = crate::load_dir(&empty).unwrap();
        assert_eq!(loaded.glossary.entries().len(), 0);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        // Now it holds a glossary: refused, nothing written.
        assert!(!is_empty_folder(&empty));
        assert!(start_glossary(&empty, true).is_err());

        let full = dir.path().join("full");
        std::fs::create_dir(&full).unwrap();
        let written = start_glossary(&full, true).unwrap();
        assert_eq!(written, load().glossary.entries().len());
        assert_eq!(
            crate::load_dir(&full).unwrap().glossary.entries().len(),
            written
        );
        assert!(!is_empty_folder(&dir.path().join("missing")));
    }
}
