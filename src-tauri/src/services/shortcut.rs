//! The global lookup shortcut (Ctrl+Alt+B unless changed in Settings): pressed anywhere on the
//! desktop, it looks the selection up in the lookup window (uses `lookup`).
//!
//! Registered through tauri-plugin-global-shortcut (the `global-hotkey` crate: an X11 key grab,
//! a Windows hot key, a macOS Carbon hot key; nothing on Wayland, where a desktop shortcut to
//! `babelfish-desktop --lookup-selection` does the same).

use std::str::FromStr;

use tauri::{AppHandle, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutEvent, ShortcutState};

use crate::error::{ErrorCode, IpcError};
use crate::services::lookup;

/// The plugin, with the one handler every shortcut it holds runs: look the selection up.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(on_shortcut)
        .build()
}

/// Parses a shortcut as Settings shows it ("Ctrl+Alt+B", "Super+Shift+L").
pub fn parse(text: &str) -> Result<Shortcut, IpcError> {
    Shortcut::from_str(text.trim()).map_err(|e| {
        IpcError::new(
            ErrorCode::Settings,
            format!(
                "“{}” is not a shortcut Babelfish understands ({e}); write it like Ctrl+Alt+B.",
                text.trim()
            ),
        )
    })
}

/// Makes `shortcut` (None: none) the one lookup shortcut. When the new one cannot be taken
/// (another program holds it), the old one is put back and the error says why.
pub fn replace<R: Runtime>(
    app: &AppHandle<R>,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), IpcError> {
    let parsed = new.map(parse).transpose()?;
    let shortcuts = app.global_shortcut();
    // Dropping what this app holds cannot fail in a way the user could act on.
    let _ = shortcuts.unregister_all();
    let (Some(text), Some(parsed)) = (new, parsed) else {
        return Ok(());
    };
    if let Err(err) = shortcuts.register(parsed) {
        if let Some(old) = old {
            let _ = register(app, old);
        }
        return Err(IpcError::new(
            ErrorCode::Settings,
            format!(
                "The shortcut {} could not be taken ({err}); another program may use it.",
                text.trim()
            ),
        ));
    }
    Ok(())
}

/// Registers the lookup shortcut at start. A failure (the shortcut taken by another program,
/// no X server) leaves the app without it and is reported on stderr, never fatal.
pub fn register<R: Runtime>(app: &AppHandle<R>, shortcut: &str) -> Result<(), IpcError> {
    let parsed = parse(shortcut)?;
    app.global_shortcut().register(parsed).map_err(|err| {
        IpcError::new(
            ErrorCode::Settings,
            format!("The lookup shortcut {shortcut} could not be taken: {err}"),
        )
    })
}

fn on_shortcut<R: Runtime>(app: &AppHandle<R>, _shortcut: &Shortcut, event: ShortcutEvent) {
    if event.state() != ShortcutState::Pressed {
        return;
    }
    crate::trace::trace("lookup shortcut pressed");
    let app = app.clone();
    // Reading the selection asks its owner over X11; keep that off the hot-key thread.
    std::thread::spawn(move || {
        let query = lookup::read_selection().and_then(|text| lookup::query_from(&text));
        lookup::show_lookup(&app, query);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_parse_as_settings_writes_them() {
        let default = parse(crate::settings::DEFAULT_LOOKUP_SHORTCUT).unwrap();
        assert_eq!(parse(" ctrl+alt+b ").unwrap(), default);
        assert_ne!(parse("Super+Shift+L").unwrap(), default);
        let err = parse("Ctrl+Banana").unwrap_err();
        assert_eq!(err.code, ErrorCode::Settings);
        assert!(err.message.contains("Ctrl+Banana"), "{}", err.message);
    }
}
