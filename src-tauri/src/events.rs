//! Rust → page messages, as Tauri events the page listens to (`window.__TAURI__.event.listen`
//! in ui/js/bridge.js; capabilities/default.json allows exactly listen and unlisten). Events
//! carry no glossary or pasted text: the page asks for what it needs through commands.

use tauri::{AppHandle, Emitter, Runtime};

/// The label of the app's one window (tauri.conf.json).
pub const MAIN_WINDOW: &str = "main";

/// The glossary folder changed on disk and has been reloaded: refresh what is shown.
pub const GLOSSARY_CHANGED: &str = "glossary-changed";

/// The window was asked to close while the editor holds unsaved changes: the page asks the
/// user, then calls `close_window` (or not).
pub const CLOSE_REQUESTED: &str = "close-requested";

/// A sync ran on its own (the automatic sync): show the new sync status.
pub const SYNC_CHANGED: &str = "sync-changed";

/// Tells the page that an automatic sync finished (or failed), so it shows the new status.
pub fn sync_changed<R: Runtime>(app: &AppHandle<R>) {
    emit(app, SYNC_CHANGED);
}

/// A file was dropped on the window: the page opens it in the Translate view (through
/// `open_text_file`; the event carries no path or text).
pub const DOCUMENT_DROPPED: &str = "document-dropped";

/// Tells the page that a file was dropped on the window.
pub fn document_dropped<R: Runtime>(app: &AppHandle<R>) {
    emit(app, DOCUMENT_DROPPED);
}

/// Tells the page that the glossary was reloaded after a change on disk.
pub fn glossary_changed<R: Runtime>(app: &AppHandle<R>) {
    emit(app, GLOSSARY_CHANGED);
}

/// Tells the page that closing waits for its answer about unsaved changes.
pub fn close_requested<R: Runtime>(app: &AppHandle<R>) {
    emit(app, CLOSE_REQUESTED);
}

fn emit<R: Runtime>(app: &AppHandle<R>, event: &str) {
    // Only fails when the window is gone, and then nobody is left to tell.
    if let Err(err) = app.emit_to(MAIN_WINDOW, event, ()) {
        crate::log::error(&format!("could not send {event} to the window: {err}"));
    }
}
