//! Helpers shared by the core's tests and the CLI's (`cli/tests/util.rs` includes this file):
//! temporary glossary copies and the repository's fixtures.

use std::path::{Path, PathBuf};

/// The repository's root (the core package's folder), whichever package's tests ask.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("tests/fixtures/mini").is_dir())
        .expect("the tests run inside the repository")
        .to_path_buf()
}

/// The small, hand-written glossary used by most tests.
pub fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/mini")
}

/// The curated glossary the binary bundles.
#[allow(dead_code)] // used by the CLI's tests (`cli/tests/util.rs` includes this file)
pub fn curated() -> PathBuf {
    repo_root().join("glossary")
}

/// A temporary copy of a glossary folder, removed on drop.
pub struct TempGlossary {
    pub dir: tempfile::TempDir,
}

impl TempGlossary {
    pub fn copy_of(source: &Path) -> TempGlossary {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(source, dir.path());
        TempGlossary { dir }
    }

    pub fn mini() -> TempGlossary {
        TempGlossary::copy_of(&fixture())
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
