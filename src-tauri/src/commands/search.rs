//! Search as you type, and one entry to read.

use babelfish::{Hit, Reader, SearchRequest};
use serde::Serialize;
use tauri::State;

use crate::error::{ErrorCode, IpcError};
use crate::services::view::{self, EntryView};
use crate::state::AppState;

/// Results for one query; `query` is echoed so the UI can drop answers to stale keystrokes.
#[derive(Debug, Serialize)]
pub struct SearchResults {
    /// The query these results are for.
    pub query: String,
    /// Best first.
    pub hits: Vec<Hit>,
}

/// The most results a search returns to the window.
const MAX_LIMIT: usize = 100;

/// Search as you type.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    domains: Vec<String>,
    reader: Option<Reader>,
    limit: Option<usize>,
    statuses: Option<Vec<babelfish::Status>>,
) -> Result<SearchResults, IpcError> {
    let library = state.library.read().await;
    let request = SearchRequest {
        query,
        domains,
        reader,
        limit: limit.unwrap_or(30).min(MAX_LIMIT),
        statuses: statuses.unwrap_or_default(),
    };
    let hits = library.workspace()?.search(&request)?;
    Ok(SearchResults {
        query: request.query,
        hits,
    })
}

/// One entry with its mappings from both ends, related entries and false friends.
#[tauri::command]
pub async fn get_entry(
    state: State<'_, AppState>,
    id: String,
    reader: Option<Reader>,
) -> Result<EntryView, IpcError> {
    let library = state.library.read().await;
    let glossary = library.workspace()?.glossary();
    let editable = library.folder.is_some();
    view::entry_view(glossary, &id, reader, editable)
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("{id} is not in the glossary")))
}
