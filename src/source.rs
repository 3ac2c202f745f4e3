//! Where a glossary comes from: a folder given explicitly, the `BABELFISH_GLOSSARY`
//! environment variable, or the copy bundled in the binary — in that order.

use std::path::{Path, PathBuf};

use crate::load::{load_dir, LoadError, Loaded};

/// The environment variable that points every Babelfish program at a glossary folder.
pub const ENV_GLOSSARY: &str = "BABELFISH_GLOSSARY";

/// A resolved glossary location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlossarySource {
    /// A folder on disk (editable).
    Folder(PathBuf),
    /// The read-only copy inside the binary.
    Bundled,
}

impl GlossarySource {
    /// `--glossary DIR` if given, else `BABELFISH_GLOSSARY` if set and not empty, else bundled.
    pub fn resolve(explicit: Option<&Path>) -> GlossarySource {
        if let Some(dir) = explicit {
            return GlossarySource::Folder(dir.to_path_buf());
        }
        match std::env::var_os(ENV_GLOSSARY) {
            Some(dir) if !dir.is_empty() => GlossarySource::Folder(PathBuf::from(dir)),
            _ => GlossarySource::Bundled,
        }
    }

    /// Loads the glossary from this source.
    pub fn load(&self) -> Result<Loaded, LoadError> {
        match self {
            GlossarySource::Folder(dir) => load_dir(dir),
            GlossarySource::Bundled => Ok(crate::bundled::load()),
        }
    }

    /// A description for messages: the folder, or "the bundled glossary".
    pub fn describe(&self) -> String {
        match self {
            GlossarySource::Folder(dir) => dir.display().to_string(),
            GlossarySource::Bundled => "the bundled glossary".into(),
        }
    }
}
