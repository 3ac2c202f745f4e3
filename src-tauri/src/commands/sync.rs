//! Git sync from the window: the status line, the Sync button, a sync conflict for the
//! conflict screen, the automatic-sync switch, and an entry's History tab.

use babelfish::store::Conflict;
use babelfish::sync::SyncReport;
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::error::{ErrorCode, IpcError};
use crate::services::library::save_settings_file;
use crate::services::sync::{self, History, SyncInfo};
use crate::services::view::{current_status, Status};
use crate::state::AppState;

/// Where the glossary folder stands against its remote (`remote`: fetch first, so `behind`
/// counts colleagues' new commits). `available: false` when the folder is not in git.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>, remote: bool) -> Result<SyncInfo, IpcError> {
    sync::current_info(&state, remote).await
}

/// What one sync did, and where the folder stands afterwards.
#[derive(Debug, Serialize)]
pub struct SyncOutcome {
    /// The core's report (counts, merged entries, conflicts with both versions).
    pub report: SyncReport,
    /// The report in one line for a person.
    pub summary: String,
    /// The status after the sync.
    pub info: SyncInfo,
}

/// Syncs now: commit, fetch, merge entry by entry, push (off the async workers). Refusals come
/// back as a `sync` error whose `details.reason` names the cause.
#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, AppState>) -> Result<SyncOutcome, IpcError> {
    let report = sync::run(&app, &state).await?;
    Ok(SyncOutcome {
        summary: report.summary(),
        info: sync::current_info(&state, false).await?,
        report,
    })
}

/// A sync conflict in the shape of a refused save, for the conflict screen: `theirs` is the
/// entry file as it is (the user's version, the base a save must name), `mine` the
/// colleague's; `fields` are those both changed.
#[derive(Debug, Serialize)]
pub struct SyncConflictView {
    /// Both versions, as the conflict screen takes them.
    pub conflict: Conflict,
    /// The fields both sides changed differently.
    pub fields: Vec<String>,
}

/// The open sync conflict on entry `id` (None once it was decided, or for a delete against an
/// edit, which has no second version: the entry is kept and can be deleted again).
#[tauri::command]
pub async fn sync_conflict(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<SyncConflictView>, IpcError> {
    let Some(dir) = state.library.read().await.folder.clone() else {
        return Ok(None);
    };
    tauri::async_runtime::spawn_blocking(move || {
        let store = babelfish::store::Store::new(&dir);
        let pending = babelfish::sync::conflicts(&dir)?;
        Ok(pending.iter().find(|c| c.conflict.id == id).and_then(|c| {
            Some(SyncConflictView {
                conflict: c.to_store_conflict(&store)?,
                fields: c.fields.clone(),
            })
        }))
    })
    .await
    .map_err(IpcError::internal)?
}

/// Turns the automatic sync (every few minutes) on or off.
#[tauri::command]
pub async fn set_auto_sync(state: State<'_, AppState>, on: bool) -> Result<Status, IpcError> {
    state.settings.write().await.auto_sync = on;
    save_settings_file(&state).await?;
    Ok(current_status(&state).await)
}

/// Who changed entry `id` and when: git's log of its file when the folder is a repository,
/// else what the entry itself records.
#[tauri::command]
pub async fn entry_history(state: State<'_, AppState>, id: String) -> Result<History, IpcError> {
    let (folder, entry) = {
        let library = state.library.read().await;
        let entry = library.workspace()?.glossary().get(&id).cloned();
        let entry = entry.ok_or_else(|| {
            IpcError::new(ErrorCode::NotFound, format!("{id} is not in the glossary"))
        })?;
        (library.folder.clone(), entry)
    };
    tauri::async_runtime::spawn_blocking(move || sync::history(folder.as_deref(), &entry))
        .await
        .map_err(IpcError::internal)
}
