//! What sync remembers between runs, kept in the work tree's `.git` folder (never committed,
//! never in the glossary folder): when it last synced, and the conflicts still waiting for a
//! person.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Entry;
use crate::store::{content_hash, Conflict, Store};

use super::SyncConflict;

/// The state file's name inside the `.git` folder.
const STATE_FILE: &str = "babelfish-sync.json";

/// A conflict that sync left for a person. The entry file holds our version meanwhile (its
/// hash is recorded): the conflict counts as resolved once the file changes or is deleted,
/// or when it is marked resolved with [`super::resolve`] (which every save through a
/// `Workspace` does, through [`super::saved`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingConflict {
    /// The entry and both versions.
    #[serde(flatten)]
    pub conflict: SyncConflict,
    /// The fields both sides changed differently (empty for a delete against an edit).
    pub fields: Vec<String>,
    /// The content hash of the entry file as sync wrote it.
    pub kept_hash: String,
}

impl PendingConflict {
    /// True while the entry file is still exactly what sync wrote.
    pub fn is_open(&self, store: &Store) -> bool {
        store
            .path_of(&self.conflict.id)
            .ok()
            .and_then(|path| std::fs::read(path).ok())
            .is_some_and(|bytes| content_hash(&bytes) == self.kept_hash)
    }

    /// The conflict in the shape of a refused save, for the app's existing conflict screen:
    /// the file on disk is the version a save must be based on (`theirs`, with its hash), and
    /// the other side's version is offered as `mine`. `None` for a delete against an edit
    /// (there is no second version to compare: keep the entry, or delete it) or when the
    /// versions are not valid entries.
    pub fn to_store_conflict(&self, store: &Store) -> Option<Conflict> {
        let on_disk = store.read(&self.conflict.id).ok()?;
        let other = if on_disk.hash == self.kept_hash {
            self.conflict.theirs.as_ref()?
        } else {
            return None; // resolved meanwhile
        };
        let other: Entry = serde_json::from_value(other.clone()).ok()?;
        Some(Conflict {
            id: self.conflict.id.clone(),
            base_revision: on_disk.entry.revision,
            mine: other,
            theirs_hash: Some(on_disk.hash),
            theirs: Some(on_disk.entry),
        })
    }
}

/// Sync's memory for one work tree.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// When the last sync that reached the remote finished (RFC 3339).
    #[serde(default)]
    pub last_synced: Option<String>,
    /// Conflicts waiting for a person.
    #[serde(default)]
    pub conflicts: Vec<PendingConflict>,
}

impl State {
    fn path(git_dir: &Path) -> PathBuf {
        git_dir.join(STATE_FILE)
    }

    /// The state, or an empty one when there is none yet (or it cannot be read: it is only a
    /// memory, and the entry files are always valid without it).
    pub(crate) fn load(git_dir: &Path) -> State {
        std::fs::read(State::path(git_dir))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the state atomically.
    pub(crate) fn save(&self, git_dir: &Path) -> Result<(), super::SyncError> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| super::SyncError::Io(e.into()))?;
        crate::store::write_atomic(&State::path(git_dir), &json)
            .map_err(|e| super::SyncError::Io(std::io::Error::other(e.to_string())))
    }

    /// Drops the conflicts that were resolved since.
    pub(crate) fn forget_resolved(&mut self, store: &Store) {
        self.conflicts.retain(|c| c.is_open(store));
    }
}

/// The file text of a merged entry: the store's own layout when it is a valid entry, so the
/// diff stays readable; pretty JSON with a final newline otherwise.
pub(crate) fn file_text(value: &Value) -> String {
    match serde_json::from_value::<Entry>(value.clone()) {
        Ok(entry) => entry.to_file_json(),
        Err(_) => {
            let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}
