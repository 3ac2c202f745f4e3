use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The small, hand-written glossary used by most tests.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
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

/// The `babelfish` binary built for these tests, with a clean environment.
pub fn babelfish() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_babelfish"));
    cmd.env_remove("BABELFISH_GLOSSARY");
    cmd
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
