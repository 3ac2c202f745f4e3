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

/// Writes the bundled glossary into `target` (which must not already hold a glossary), for a
/// first run that gives the user an editable copy.
pub fn extract_to(target: &std::path::Path) -> std::io::Result<()> {
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
