//! Babelfish desktop: a thin Tauri 2 shell over the `babelfish` core.
//!
//! Layers, each using only the ones below it (no module imports one above it, so there are no
//! cycles; `lib.rs` at the very top wires them together in [`run`]):
//!
//! 1. `commands::*` — Tauri commands, one module per domain (status, search, entries, folders,
//!    translate, exchange, review, window, sync): short adapters from IPC to a service or the core.
//! 2. `services::*` — what commands are made of: `view` (data shaped for the window),
//!    `library` (open and reload the glossary), `live` (watch the folder), `dialog` (native
//!    file dialogs), `import` (the CSV preview and import over the core's one pipeline),
//!    `translation` (annotations for the page), `sync` (git sync and an entry's history),
//!    `lookup` and `shortcut` (look a term up from anywhere), `tray` (the tray icon, and
//!    closing the window into the tray).
//! 3. `state` — what the app holds: the core's `Workspace` (glossary, index, annotator) for
//!    the folder in use, settings, paths.
//! 4. `error` (the `{code, message}` shape of every failure), `settings` (settings.json),
//!    `events` (Rust → page notifications), `trace` (start-up timing), `log` (the rotating
//!    log file; never pasted or opened text, queries or selections).
//!
//! Invariants: the web view gets only the app's own commands and the event listener (see
//! capabilities/default.json); Rust reaches the page only through events, never by running
//! script in it; the glossary folder is the source of truth, and after every save it is
//! reloaded and the index updated, so what the window shows is always what is on disk.

pub mod commands;
pub mod error;
pub mod events;
pub mod log;
pub mod services;
pub mod settings;
pub mod state;
pub mod trace;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::Manager;
use tokio::sync::{Mutex, RwLock};

use crate::error::{ErrorCode, IpcError};
use crate::settings::Settings;
use crate::state::{resolve_folder, AppState, Library, Origin, Paths};
use crate::trace::trace;

/// The app's config, data and cache folders, as Tauri's path resolver names them
/// (`<config dir>/<identifier>` and so on), known before Tauri starts so the glossary can
/// load while GTK and the web view start up.
fn app_paths(identifier: &str) -> Paths {
    let settings_file = dirs::config_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(identifier)
        .join("settings.json");
    Paths {
        settings_file,
        // Windows: %LOCALAPPDATA%, not the roaming profile (a glossary copied to every
        // machine the user signs in to, and slow logons); a copy already made in the roaming
        // folder by an earlier version is kept. Elsewhere the two are the same folder.
        default_glossary: state::local_first(
            dirs::data_local_dir().map(|d| d.join(identifier).join("glossary")),
            dirs::data_dir().map(|d| d.join(identifier).join("glossary")),
        ),
        cache_root: dirs::cache_dir().map(|d| d.join(identifier).join("start-up")),
    }
}

/// Starts loading the glossary on its own thread. The returned library is write-locked until
/// the load finishes, so every command that needs it simply waits.
fn start_loading(settings: &Settings, paths: &Paths) -> std::io::Result<Arc<RwLock<Library>>> {
    let library = Arc::new(RwLock::new(Library {
        folder: None,
        origin: Origin::Bundled,
        content: Err(IpcError::new(ErrorCode::Internal, "still loading")),
        timings: Default::default(),
    }));
    let Ok(mut guard) = library.clone().try_write_owned() else {
        unreachable!("a new lock is free");
    };
    let (settings, paths) = (settings.clone(), paths.clone());
    std::thread::Builder::new()
        .name("glossary-loader".into())
        .spawn(move || {
            let (folder, origin) = resolve_folder(&settings, &paths);
            *guard = Library::open(folder, origin, paths.cache_root.as_deref());
            trace("glossary loaded and indexed");
            log_loaded(&guard);
        })?;
    Ok(library)
}

/// Logs which glossary is in use and how its load went: the folder, the entry count and
/// whether the files have problems (`babelfish lint` lists them), or why it did not load.
fn log_loaded(library: &Library) {
    let folder = library.folder.as_ref().map_or_else(
        || "the built-in glossary".into(),
        |f| f.display().to_string(),
    );
    match &library.content {
        Ok(workspace) => {
            let loaded = workspace.loaded();
            let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
            crate::log::info(&format!(
                "glossary {folder} ({:?}): {} entries in {} ms{}",
                library.origin,
                loaded.glossary.len(),
                library.timings.load_ms,
                if library.timings.from_cache {
                    " (start-up cache)"
                } else {
                    ""
                }
            ));
            if !loaded.problems.is_empty() {
                crate::log::warn(&format!(
                    "glossary {folder}: {} problem(s) in its files, {errors} of them error(s); `babelfish lint` lists them",
                    loaded.problems.len()
                ));
            }
        }
        Err(err) => crate::log::error(&format!("glossary {folder} could not be loaded: {err}")),
    }
}

/// Keeps glibc to one malloc arena. By default every thread that allocates may get an arena of
/// its own (up to eight per core); the loader's parsing threads and tantivy's indexing thread
/// then leave the glossary spread over several arenas, each keeping its own free pages, which
/// `malloc_trim` cannot give back while live data sits between them. With one arena the heap
/// after loading is the glossary plus the index, about 10 MiB less with 10,000 entries. On two
/// cores the shared arena lock costs nothing measurable (the app's threads mostly wait).
/// Must run before any thread is started.
fn use_one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// On a machine with no GPU (no DRM render node, as in most VMs, remote desktops and Xvfb) or
/// with software GL forced, WebKitGTK's accelerated compositing runs on Mesa's software
/// renderer: every frame goes through emulated OpenGL in the web process and again in the
/// window. Painting without compositing is then much cheaper: on two cores under Xvfb,
/// keystroke-to-results p95 fell from 15–22 ms to about 10 ms, the next frame from 30 ms to
/// 10 ms at the median, and the web processes' memory by about 130 MiB. Machines with a GPU
/// keep WebKit's default, and a value the user set is left alone. Must run before GTK starts
/// (and before any thread, as it changes the environment).
fn composite_without_gl_when_there_is_no_gpu() {
    #[cfg(target_os = "linux")]
    {
        const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        if std::env::var_os(DISABLE_COMPOSITING).is_some() {
            return;
        }
        let software_gl = std::env::var_os("LIBGL_ALWAYS_SOFTWARE")
            .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
        let gpu = std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
            dir.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        });
        if software_gl || !gpu {
            std::env::set_var(DISABLE_COMPOSITING, "1");
            trace("no GPU: WebKit paints without accelerated compositing");
        }
    }
}

/// Starts the app. Returns when the last window closes.
// Long: the builder chain lists every plugin, event handler and command in one place.
pub fn run() {
    use_one_malloc_arena();
    crate::trace::start_clock();
    trace("run");
    composite_without_gl_when_there_is_no_gpu();
    let context = tauri::generate_context!();
    let paths = app_paths(&context.config().identifier);
    // The same folder as Tauri's `app_log_dir` on Windows and Linux; known before Tauri starts
    // so the start-up and the glossary load are logged too.
    crate::log::init(
        dirs::data_local_dir().map(|d| d.join(&context.config().identifier).join("logs")),
    );
    crate::log::info(&format!(
        "Babelfish {} started (settings {})",
        env!("CARGO_PKG_VERSION"),
        paths.settings_file.display()
    ));
    let (settings, settings_note) = Settings::load(&paths.settings_file);
    if let Some(note) = &settings_note {
        crate::log::warn(note);
    }
    let keep_in_tray = services::tray::KeepInTray::new(settings.keep_in_tray);
    let library = match start_loading(&settings, &paths) {
        Ok(library) => library,
        Err(err) => {
            crate::log::error(&format!("cannot start the glossary loader: {err}"));
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        // First: a second start hands its arguments over here and exits before opening a window.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            let request = services::lookup::parse_args(argv.iter().skip(1));
            services::lookup::handle_launch(app, request);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(services::shortcut::plugin())
        .manage(services::lookup::LookupState::default())
        .manage(services::link::PendingLink::default())
        .manage(keep_in_tray)
        .manage(AppState {
            paths,
            settings: RwLock::new(settings),
            settings_note,
            library,
            save_gate: Mutex::new(()),
            unsaved: AtomicBool::new(false),
            watcher: std::sync::Mutex::new(None),
            own_writes: std::sync::Mutex::new(Default::default()),
            pending_import: std::sync::Mutex::new(None),
            pending_folder: std::sync::Mutex::new(None),
        })
        .manage(services::translation::DroppedFiles::default())
        .setup(|app| {
            trace("setup");
            services::live::watch_when_loaded(app.handle());
            services::sync::sync_automatically(app.handle())?;
            let journal_file = app
                .path()
                .app_local_data_dir()
                .ok()
                .map(|d| d.join("journal.json"));
            app.manage(services::journal::Journal::load(journal_file));
            let shortcut = app
                .state::<AppState>()
                .settings
                .blocking_read()
                .lookup_shortcut()
                .map(str::to_string);
            if let Some(shortcut) = shortcut {
                if let Err(err) = services::shortcut::register(app.handle(), &shortcut) {
                    crate::log::error(&format!(
                        "the lookup shortcut {shortcut} could not be registered: {}",
                        err.message
                    ));
                }
            }
            services::tray::create(app.handle());
            #[cfg(target_os = "macos")]
            services::link::open_links_from_events(app.handle());
            let request = services::lookup::parse_args(std::env::args().skip(1));
            if request != services::lookup::LaunchRequest::Show {
                services::lookup::handle_launch(app.handle(), request);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Destroyed)
                && window.label() == events::MAIN_WINDOW
            {
                // The hidden lookup window must not keep the app running once the main one is closed.
                services::lookup::close_lookup(window.app_handle());
            }
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<AppState>();
                if services::tray::hide_instead_of_closing(window) {
                    // Kept in the tray: hidden, so an unsaved edit is still there on return.
                    api.prevent_close();
                } else if state.unsaved.load(Ordering::SeqCst) {
                    // Never drop an edit silently: the page asks, and calls close_window.
                    api.prevent_close();
                    events::close_requested(window.app_handle());
                }
            }
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // A document dropped on the window goes to the Translate view.
                let dropped = window.state::<services::translation::DroppedFiles>();
                dropped.put(paths.clone());
                events::document_dropped(window.app_handle());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::status::app_status,
            commands::status::save_settings,
            commands::search::search,
            commands::search::get_entry,
            commands::entries::read_entry,
            commands::entries::validate_entry,
            commands::entries::create_entry,
            commands::entries::save_entry,
            commands::entries::delete_entry,
            commands::entries::new_entry_id,
            commands::folders::choose_glossary_folder,
            commands::folders::start_glossary,
            commands::folders::use_default_glossary,
            commands::folders::reload_glossary,
            commands::window::set_unsaved,
            commands::window::close_window,
            commands::translate::translate,
            commands::translate::open_text_file,
            commands::translate::save_crib_sheet,
            commands::exchange::pick_import_csv,
            commands::exchange::preview_import,
            commands::exchange::apply_import,
            commands::exchange::export_glossary,
            commands::sync::sync_status,
            commands::sync::sync_now,
            commands::sync::sync_conflict,
            commands::sync::set_auto_sync,
            commands::sync::entry_history,
            commands::review::sign_off,
            commands::review::review_queue,
            commands::review::set_review_side,
            commands::lookup::lookup,
            commands::lookup::open_in_main,
            commands::lookup::hide_lookup,
            commands::lookup::take_link,
            commands::lookup::copy_entry_link,
            commands::journal::journal,
            commands::journal::record_search,
            commands::journal::record_entry,
            commands::journal::set_history_on,
            commands::journal::clear_history,
            commands::journal::set_favourite,
        ])
        .run(context);
    if let Err(err) = result {
        crate::log::error(&format!("the app stopped: {err}"));
        std::process::exit(1);
    }
}
