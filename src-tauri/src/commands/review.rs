//! Review: record a sign-off as the person and side named in Settings, the review queue, and
//! the side a reviewer signs for. The rules are the core's (`babelfish::review`); the store
//! writes the sign-off under the entry's lock.

use babelfish::review::{QueueItem, SignOffRequest, Summary};
use babelfish::workspace::OwnWrite;
use babelfish::{Decision, Side};
use tauri::State;

use crate::error::{ErrorCode, IpcError};
use crate::services::library::{apply_own_write, require_author, save_settings_file};
use crate::services::view::{current_status, Status};
use crate::state::AppState;

/// Records the reviewer's decision on revision `revision` of entry `id` (the revision they
/// read), then reloads. Refused (code `review_rule`, the message naming the rule) when the
/// reviewer made that revision, it is no longer the current one, or the entry is not proposed.
#[tauri::command]
pub async fn sign_off(
    state: State<'_, AppState>,
    id: String,
    revision: u64,
    decision: Decision,
    note: Option<String>,
) -> Result<Summary, IpcError> {
    let by = require_author(&state).await?;
    let side = reviewer_side(&state).await?;
    let _gate = state.save_gate.lock().await;
    let signed = {
        let library = state.library.read().await;
        let workspace = library.workspace()?;
        let request = SignOffRequest {
            side,
            by,
            revision,
            decision,
            note: note.unwrap_or_default(),
        };
        workspace.sign_off(&id, &request)?
    };
    apply_own_write(&state, OwnWrite::saved(&signed)).await?;
    Ok(babelfish::review::summary(&signed))
}

/// What awaits sign-off from `side` (from either side without one), by id.
#[tauri::command]
pub async fn review_queue(
    state: State<'_, AppState>,
    side: Option<Side>,
) -> Result<Vec<QueueItem>, IpcError> {
    let library = state.library.read().await;
    Ok(babelfish::review::queue(
        library.workspace()?.glossary(),
        side,
    ))
}

/// Sets (or, with none, clears) the side this person signs off for.
#[tauri::command]
pub async fn set_review_side(
    state: State<'_, AppState>,
    side: Option<Side>,
) -> Result<Status, IpcError> {
    state.settings.write().await.review_side = side;
    save_settings_file(&state).await?;
    Ok(current_status(&state).await)
}

/// The side in Settings, or an error asking for it.
async fn reviewer_side(state: &AppState) -> Result<Side, IpcError> {
    state.settings.read().await.review_side.ok_or_else(|| {
        IpcError::new(
            ErrorCode::ReviewRule,
            "Say which side you sign off for in Settings first (clinical or informatics).",
        )
    })
}
