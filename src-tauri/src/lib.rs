//! Babelfish desktop: a thin Tauri 2 shell over the `babelfish` core.
//!
//! - `state`: the loaded glossary + search index (behind a RwLock) and the settings.
//! - `commands`: one small adapter per IPC call; the core does the work.
//! - `view`: plain data shaped for the window (never HTML).
//! - `error`: the `{code, message}` shape every failure crosses IPC in.
//!
//! Invariants: the web view gets only the app's own commands (see capabilities/default.json);
//! the glossary folder is the source of truth, and after every save it is reloaded and the
//! index rebuilt, so what the window shows is always what is on disk.

pub mod commands;
pub mod error;
pub mod settings;
pub mod state;
pub mod view;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::Manager;
use tokio::sync::{Mutex, RwLock};

use crate::error::{codes, IpcError};
use crate::settings::Settings;
use crate::state::{resolve_folder, AppState, Library, Origin, Paths};

/// Starts the app. Returns when the last window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let paths = Paths {
                settings_file: app.path().app_config_dir()?.join("settings.json"),
                default_glossary: app.path().app_data_dir().ok().map(|d| d.join("glossary")),
            };
            let (settings, settings_note) = Settings::load(&paths.settings_file);
            // The window opens at once; the glossary loads in the background and every
            // command that needs it waits on the lock until it is there.
            let library = Arc::new(RwLock::new(Library {
                folder: None,
                origin: Origin::Bundled,
                content: Err(IpcError::new(codes::INTERNAL, "still loading")),
            }));
            let mut guard = library
                .clone()
                .try_write_owned()
                .map_err(|e| e.to_string())?;
            let (for_loader, paths_for_loader) = (settings.clone(), paths.clone());
            std::thread::Builder::new()
                .name("glossary-loader".into())
                .spawn(move || {
                    let (folder, origin) = resolve_folder(&for_loader, &paths_for_loader);
                    *guard = Library::open(folder, origin);
                })?;
            app.manage(AppState {
                paths,
                settings: RwLock::new(settings),
                settings_note,
                library,
                save_gate: Mutex::new(()),
                unsaved: AtomicBool::new(false),
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<AppState>();
                if state.unsaved.load(Ordering::SeqCst) {
                    // Never drop an edit silently: the page asks, and calls close_window.
                    api.prevent_close();
                    if let Some(webview) = window.get_webview_window(window.label()) {
                        let _ = webview.eval("window.babelfishCloseRequested?.()");
                    }
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::search,
            commands::get_entry,
            commands::read_entry,
            commands::validate_entry,
            commands::create_entry,
            commands::save_entry,
            commands::delete_entry,
            commands::save_settings,
            commands::choose_glossary_folder,
            commands::use_default_glossary,
            commands::reload_glossary,
            commands::set_unsaved,
            commands::close_window,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("babelfish-desktop: {err}");
        std::process::exit(1);
    }
}
