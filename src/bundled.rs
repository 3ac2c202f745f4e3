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
