//! The app's status and the user's settings.

use babelfish::Reader;
use tauri::{AppHandle, Manager, State};

use crate::error::IpcError;
use crate::services::library::save_settings_file;
use crate::services::shortcut;
use crate::services::tray::KeepInTray;
use crate::services::view::{current_status, Status};
use crate::settings::ZOOM_RANGE;
use crate::state::AppState;

/// Glossary, problems, domains and settings: called at start and after any change.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<Status, IpcError> {
    let status = current_status(&state).await;
    crate::trace::trace("app_status answered");
    Ok(status)
}

/// Saves the author's name, the side preference, the zoom, whether the first-run side
/// question was answered, whether Translate shows the reader's own side, the lookup
/// shortcut (an empty text switches it off) and whether closing the window keeps the app in
/// the tray.
#[tauri::command]
// Each setting is an optional named argument of the IPC call: the page sends only what changed.
#[allow(clippy::too_many_arguments)]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    author: Option<String>,
    reader: Option<Reader>,
    zoom: Option<f64>,
    side_asked: Option<bool>,
    show_own_side: Option<bool>,
    lookup_shortcut: Option<String>,
    keep_in_tray: Option<bool>,
) -> Result<Status, IpcError> {
    {
        let mut settings = state.settings.write().await;
        if let Some(author) = author {
            settings.author = author.trim().to_string();
        }
        if reader.is_some() {
            settings.reader = reader;
            settings.side_asked = true;
        }
        if let Some(zoom) = zoom.filter(|z| z.is_finite()) {
            let zoom = zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
            settings.zoom = ((zoom - 1.0).abs() > 1e-9).then_some(zoom);
        }
        if let Some(asked) = side_asked {
            settings.side_asked |= asked;
        }
        if let Some(show) = show_own_side {
            settings.show_own_side = show;
        }
        if let Some(wanted) = lookup_shortcut {
            let wanted = wanted.trim().to_string();
            let old = settings.lookup_shortcut().map(str::to_string);
            let new = (!wanted.is_empty()).then_some(wanted.as_str());
            if old.as_deref() != new {
                shortcut::replace(&app, old.as_deref(), new)?;
            }
            settings.lookup_shortcut = Some(wanted);
        }
        if let Some(keep) = keep_in_tray {
            settings.keep_in_tray = keep;
            app.state::<KeepInTray>().set(keep);
        }
    }
    save_settings_file(&state).await?;
    Ok(current_status(&state).await)
}
