//! History (terms searched, entries opened) and favourites (starred entries), kept on this
//! machine only as `journal.json` in the app's data folder.
//!
//! Only what the user asked the glossary is kept: a search is recorded when it led somewhere
//! (an entry opened from its results, a lookup with a best hit), never text pasted into
//! Translate. History can be switched off (nothing more is recorded) and cleared.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, IpcError};
use crate::services::view::{self, LinkView};
use crate::state::AppState;

/// How many history items are kept, newest first.
pub const HISTORY_LIMIT: usize = 50;

/// A search longer than this is not a term (and is not kept).
const MAX_SEARCH_CHARS: usize = 100;

/// What one history item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryKind {
    /// A term searched for (the text is the query).
    Search,
    /// An entry opened (the text is its id).
    Entry,
}

/// One thing looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    /// A search or an opened entry.
    pub kind: HistoryKind,
    /// The query, or the entry's id.
    pub text: String,
}

/// What `journal.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JournalData {
    /// Whether look-ups are recorded.
    pub history_on: bool,
    /// Newest first, at most [`HISTORY_LIMIT`], no item twice.
    pub history: Vec<HistoryItem>,
    /// Starred entry ids, in the order they were starred.
    pub favourites: Vec<String>,
}

impl Default for JournalData {
    fn default() -> Self {
        JournalData {
            history_on: true,
            history: Vec::new(),
            favourites: Vec::new(),
        }
    }
}

impl JournalData {
    /// Puts `item` first (moving it up if it was there already).
    pub fn record(&mut self, item: HistoryItem) -> bool {
        if !self.history_on || item.text.trim().is_empty() {
            return false;
        }
        if item.kind == HistoryKind::Search && item.text.chars().count() > MAX_SEARCH_CHARS {
            return false;
        }
        self.history.retain(|old| old != &item);
        self.history.insert(0, item);
        self.history.truncate(HISTORY_LIMIT);
        true
    }

    /// Stars or unstars entry `id`.
    pub fn set_favourite(&mut self, id: &str, on: bool) {
        self.favourites.retain(|f| f != id);
        if on {
            self.favourites.push(id.to_string());
        }
    }
}

/// The journal in memory and where it is saved (None: no data folder, kept in memory only).
#[derive(Debug, Default)]
pub struct Journal {
    file: Option<PathBuf>,
    data: Mutex<JournalData>,
}

impl Journal {
    /// Reads the journal; a missing or unreadable file gives an empty one (an unreadable file
    /// is moved aside, never overwritten silently).
    pub fn load(file: Option<PathBuf>) -> Journal {
        let data = file.as_deref().map(read).unwrap_or_default();
        Journal {
            file,
            data: Mutex::new(data),
        }
    }

    /// A copy of what is kept now.
    pub fn snapshot(&self) -> JournalData {
        self.data.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Changes the journal with `change` and saves it when `change` says it changed something.
    pub fn update(&self, change: impl FnOnce(&mut JournalData) -> bool) -> Result<(), IpcError> {
        let mut data = self
            .data
            .lock()
            .map_err(|_| IpcError::new(ErrorCode::Internal, "The history is unavailable."))?;
        if !change(&mut data) {
            return Ok(());
        }
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut text = serde_json::to_string_pretty(&*data).map_err(IpcError::internal)?;
        text.push('\n');
        babelfish::store::write_atomic(file, text.as_bytes()).map_err(|e| {
            IpcError::new(
                ErrorCode::Io,
                format!("History and favourites not saved: {e}"),
            )
        })
    }
}

/// History and favourites as the home page shows them.
#[derive(Debug, Clone, Serialize)]
pub struct JournalView {
    /// Whether look-ups are recorded.
    pub history_on: bool,
    /// Newest first; entries no longer in the glossary are left out.
    pub history: Vec<HistoryLine>,
    /// Starred entries still in the glossary, in the order they were starred.
    pub favourites: Vec<LinkView>,
}

/// One history item: a search (`id` None) or an opened entry.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryLine {
    /// A search or an opened entry.
    pub kind: HistoryKind,
    /// The query, or the entry's term.
    pub text: String,
    /// The entry's id (entries only).
    pub id: Option<String>,
}

/// History and favourites as the home page shows them, named from the loaded glossary.
pub async fn journal_view(state: &AppState, journal: &Journal) -> Result<JournalView, IpcError> {
    let data = journal.snapshot();
    let library = state.library.read().await;
    let glossary = library.workspace()?.glossary();
    let history = data
        .history
        .into_iter()
        .filter_map(|item| match item.kind {
            HistoryKind::Search => Some(HistoryLine {
                kind: item.kind,
                text: item.text,
                id: None,
            }),
            HistoryKind::Entry => glossary.get(&item.text).map(|entry| HistoryLine {
                kind: item.kind,
                text: entry.term.clone(),
                id: Some(item.text),
            }),
        })
        .collect();
    let favourites = data
        .favourites
        .iter()
        .filter_map(|id| view::link(glossary, id))
        .collect();
    Ok(JournalView {
        history_on: data.history_on,
        history,
        favourites,
    })
}

fn read(path: &Path) -> JournalData {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            let _ = std::fs::rename(path, path.with_extension("json.broken"));
            JournalData::default()
        }),
        Err(_) => JournalData::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str) -> HistoryItem {
        HistoryItem {
            kind: HistoryKind::Search,
            text: text.into(),
        }
    }

    #[test]
    fn history_is_newest_first_without_repeats_and_capped() {
        let mut data = JournalData::default();
        assert!(data.record(search("CAB")));
        assert!(data.record(search("RFC")));
        assert!(data.record(search("CAB")));
        assert_eq!(data.history, vec![search("CAB"), search("RFC")]);
        assert!(!data.record(search("  ")));
        assert!(!data.record(search(&"x".repeat(MAX_SEARCH_CHARS + 1))));
        for i in 0..HISTORY_LIMIT + 5 {
            data.record(search(&format!("term {i}")));
        }
        assert_eq!(data.history.len(), HISTORY_LIMIT);
        data.history_on = false;
        assert!(!data.record(search("BAF")), "switched off records nothing");
    }

    #[test]
    fn journal_survives_a_restart_and_a_broken_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("journal.json");
        let journal = Journal::load(Some(file.clone()));
        journal
            .update(|d| {
                d.set_favourite("itil/change-advisory-board", true);
                d.record(search("CAB"))
            })
            .unwrap();
        let again = Journal::load(Some(file.clone())).snapshot();
        assert_eq!(again.favourites, vec!["itil/change-advisory-board"]);
        assert_eq!(again.history, vec![search("CAB")]);

        std::fs::write(&file, "{ not json").unwrap();
        assert_eq!(Journal::load(Some(file)).snapshot(), JournalData::default());
        assert!(dir.path().join("journal.json.broken").exists());
    }
}
