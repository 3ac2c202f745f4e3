//! The lookup window (its answer, opening an entry in the main window, hiding it) and
//! `babelfish://` links (the one waiting, "Copy link").

use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::services::journal::{HistoryItem, HistoryKind, Journal};
use crate::services::link::{self, Link, PendingLink};
use crate::services::lookup::{self, LookupState, LookupView};
use crate::state::AppState;

/// Looks `query` up (None: the query the last lookup request left, e.g. `--lookup CAB` or the
/// selection under the shortcut), explained for the reader's side.
#[tauri::command]
pub async fn lookup(
    state: State<'_, AppState>,
    pending: State<'_, LookupState>,
    journal: State<'_, Journal>,
    query: Option<String>,
) -> Result<LookupView, IpcError> {
    // The query the app was asked for (the shortcut, --lookup) is a look-up for history; what
    // the user types in the window to refine it is recorded only if they open an entry.
    let asked = query.is_none();
    let query = match query {
        Some(text) => lookup::query_from(&text),
        None => pending.current(),
    };
    let reader = state.settings.read().await.reader;
    let library = state.library.read().await;
    let workspace = library.workspace()?;
    match query {
        Some(query) => {
            let view = lookup::lookup(workspace, &query, reader, library.folder.is_some())?;
            if asked && view.best.is_some() {
                journal.update(|data| {
                    data.record(HistoryItem {
                        kind: HistoryKind::Search,
                        text: query,
                    })
                })?;
            }
            Ok(view)
        }
        None => Ok(LookupView {
            query: String::new(),
            best: None,
            more: Vec::new(),
        }),
    }
}

/// Opens entry `id` in the main window and hides the lookup window.
#[tauri::command]
pub async fn open_in_main(app: AppHandle, id: String) -> Result<(), IpcError> {
    lookup::open_in_main(&app, &id)
}

/// Hides the lookup window (Esc).
#[tauri::command]
pub async fn hide_lookup(app: AppHandle) -> Result<(), IpcError> {
    lookup::hide_lookup(&app);
    Ok(())
}

/// The `babelfish://` link waiting for the main window, taken (None when there is none).
#[tauri::command]
pub async fn take_link(pending: State<'_, PendingLink>) -> Result<Option<Link>, IpcError> {
    Ok(pending.take())
}

/// Copies the link to entry `id` to the clipboard and returns it.
#[tauri::command]
pub async fn copy_entry_link(id: String) -> Result<String, IpcError> {
    let link = link::entry_link(&id);
    link::copy_to_clipboard(&link)?;
    Ok(link)
}
