//! History and favourites: what the home page lists, recording a look-up, the history switch
//! and Clear, starring an entry. (Favourites are exported with `translate::save_crib_sheet`.)

use tauri::State;

use crate::error::IpcError;
use crate::services::journal::{
    journal_view as view, HistoryItem, HistoryKind, Journal, JournalView,
};
use crate::state::AppState;

/// History and favourites now.
#[tauri::command]
pub async fn journal(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
) -> Result<JournalView, IpcError> {
    view(&state, &journal).await
}

/// Records a search that led somewhere (an entry opened from its results).
#[tauri::command]
pub async fn record_search(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
    query: String,
) -> Result<JournalView, IpcError> {
    let text = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let item = HistoryItem {
        kind: HistoryKind::Search,
        text,
    };
    journal.update(|data| data.record(item))?;
    view(&state, &journal).await
}

/// Records an entry opened.
#[tauri::command]
pub async fn record_entry(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
    id: String,
) -> Result<JournalView, IpcError> {
    let item = HistoryItem {
        kind: HistoryKind::Entry,
        text: id,
    };
    journal.update(|data| data.record(item))?;
    view(&state, &journal).await
}

/// Switches recording on or off (what is kept stays until cleared).
#[tauri::command]
pub async fn set_history_on(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
    on: bool,
) -> Result<JournalView, IpcError> {
    journal.update(|data| std::mem::replace(&mut data.history_on, on) != on)?;
    view(&state, &journal).await
}

/// Forgets every look-up (favourites stay).
#[tauri::command]
pub async fn clear_history(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
) -> Result<JournalView, IpcError> {
    journal.update(|data| !std::mem::take(&mut data.history).is_empty())?;
    view(&state, &journal).await
}

/// Stars (or unstars) entry `id`.
#[tauri::command]
pub async fn set_favourite(
    state: State<'_, AppState>,
    journal: State<'_, Journal>,
    id: String,
    on: bool,
) -> Result<JournalView, IpcError> {
    journal.update(|data| {
        data.set_favourite(&id, on);
        true
    })?;
    view(&state, &journal).await
}
