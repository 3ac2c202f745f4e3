//! Entries: read one as stored (the base of an edit), check a form, create, save and delete
//! (each then reloads the glossary), and the id a new entry will get.

use babelfish::store::{Base, Stored};
use babelfish::validate::Issue;
use babelfish::workspace::OwnWrite;
use babelfish::Entry;
use tauri::State;

use crate::error::IpcError;
use crate::services::library::{apply_own_write, require_author};
use crate::state::AppState;

/// Fills what the editor does not ask for: the id of a new entry from its domain and term.
fn complete_new_entry(mut entry: Entry) -> Entry {
    if entry.id.trim().is_empty() {
        entry.id = babelfish::model::new_entry_id(&entry.domain, &entry.term);
    }
    entry
}

/// The entry as it is on disk now, with its hash: the base an edit starts from.
#[tauri::command]
pub async fn read_entry(state: State<'_, AppState>, id: String) -> Result<Stored, IpcError> {
    let library = state.library.read().await;
    Ok(library.workspace()?.store()?.read(&id)?)
}

/// The core's validation of an entry being edited, by field.
#[tauri::command]
pub async fn validate_entry(
    state: State<'_, AppState>,
    entry: Entry,
) -> Result<Vec<Issue>, IpcError> {
    let library = state.library.read().await;
    let workspace = library.workspace()?;
    let mut entry = complete_new_entry(entry);
    // The store stamps these on save; stamp them here so they are not reported as missing.
    entry.revision = entry.revision.max(1);
    entry.updated_at = babelfish::store::now_rfc3339();
    if entry.updated_by.trim().is_empty() {
        entry.updated_by = "editor".into();
    }
    Ok(babelfish::validate::validate_entry(
        workspace.glossary(),
        &entry,
    ))
}

/// Creates a new entry (refused if the id exists), then reloads the glossary.
#[tauri::command]
pub async fn create_entry(state: State<'_, AppState>, entry: Entry) -> Result<Entry, IpcError> {
    let author = require_author(&state).await?;
    let _gate = state.save_gate.lock().await;
    let saved = {
        let library = state.library.read().await;
        let workspace = library.workspace()?;
        workspace.create(complete_new_entry(entry), &author)?
    };
    apply_own_write(&state, OwnWrite::saved(&saved)).await?;
    Ok(saved)
}

/// Saves an edited entry based on the version it was read at, then reloads the glossary.
/// Refused (with both versions) if someone else saved it meanwhile.
#[tauri::command]
pub async fn save_entry(
    state: State<'_, AppState>,
    entry: Entry,
    base: Base,
) -> Result<Entry, IpcError> {
    let author = require_author(&state).await?;
    let _gate = state.save_gate.lock().await;
    let saved = {
        let library = state.library.read().await;
        let workspace = library.workspace()?;
        // The review rules (sign-offs kept, a content change makes it proposed) are the
        // store's: babelfish::review::after_edit.
        workspace.save(entry, &base, &author)?
    };
    apply_own_write(&state, OwnWrite::saved(&saved)).await?;
    Ok(saved)
}

/// Deletes an entry (forced past the links check: the UI has already shown which links
/// would dangle), then reloads.
#[tauri::command]
pub async fn delete_entry(
    state: State<'_, AppState>,
    id: String,
    base: Base,
) -> Result<(), IpcError> {
    let _gate = state.save_gate.lock().await;
    {
        let library = state.library.read().await;
        let workspace = library.workspace()?;
        workspace.delete(&id, Some(base), true)?;
    }
    apply_own_write(&state, OwnWrite::deleted(&id)).await
}

/// The id a new entry of `domain` named `term` will get (the editor shows it as the user
/// types; the core's slug rules, so the preview is what is saved).
#[tauri::command]
pub fn new_entry_id(domain: String, term: String) -> String {
    babelfish::model::new_entry_id(&domain, &term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_entry_gets_its_id_from_domain_and_term() {
        let entry: Entry = serde_json::from_value(serde_json::json!({
            "id": "", "term": "Change Advisory Board", "domain": "itil",
            "definition": "d", "status": "draft", "revision": 0,
            "updated_at": "", "updated_by": ""
        }))
        .unwrap();
        assert_eq!(complete_new_entry(entry).id, "itil/change-advisory-board");
    }
}
