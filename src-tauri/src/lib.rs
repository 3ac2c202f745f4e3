//! Babelfish desktop: a thin Tauri 2 shell over the `babelfish` core.
//!
//! - `state`: the loaded glossary + search index (behind a RwLock) and the settings.
//! - `commands`: one small adapter per IPC call; the core does the work.
//! - `view`: plain data shaped for the window (never HTML).
//! - `error`: the `{code, message}` shape every failure crosses IPC in.
//! - `translate`: the Translate view (the core's annotator, crib sheets).
//! - `exchange`: CSV import (pick, map, preview, confirm) and export.
//! - `dialog`: native file dialogs, opened from Rust.
//!
//! Invariants: the web view gets only the app's own commands (see capabilities/default.json);
//! the glossary folder is the source of truth, and after every save it is reloaded and the
//! index rebuilt, so what the window shows is always what is on disk.

pub mod commands;
pub mod dialog;
pub mod error;
pub mod exchange;
pub mod live;
pub mod settings;
pub mod state;
pub mod translate;
pub mod view;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::Manager;
use tokio::sync::{Mutex, RwLock};

use crate::error::{codes, IpcError};
use crate::settings::Settings;
use crate::state::{resolve_folder, AppState, Library, Origin, Paths};

/// When the process started, for `BABELFISH_TRACE_STARTUP=1`.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// With `BABELFISH_TRACE_STARTUP=1`, prints how long after start each step finished.
pub fn trace(step: &str) {
    if std::env::var_os("BABELFISH_TRACE_STARTUP").is_some() {
        let started = STARTED.get_or_init(std::time::Instant::now);
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        eprintln!(
            "startup: {step} at {} ms (epoch {epoch} ms)",
            started.elapsed().as_millis()
        );
    }
}

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
        default_glossary: dirs::data_dir().map(|d| d.join(identifier).join("glossary")),
        cache_root: dirs::cache_dir().map(|d| d.join(identifier).join("start-up")),
    }
}

/// Starts loading the glossary on its own thread. The returned library is write-locked until
/// the load finishes, so every command that needs it simply waits.
fn start_loading(settings: &Settings, paths: &Paths) -> std::io::Result<Arc<RwLock<Library>>> {
    let library = Arc::new(RwLock::new(Library {
        folder: None,
        origin: Origin::Bundled,
        content: Err(IpcError::new(codes::INTERNAL, "still loading")),
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
        })?;
    Ok(library)
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
pub fn run() {
    use_one_malloc_arena();
    STARTED.get_or_init(std::time::Instant::now);
    trace("run");
    composite_without_gl_when_there_is_no_gpu();
    let context = tauri::generate_context!();
    let paths = app_paths(&context.config().identifier);
    let (settings, settings_note) = Settings::load(&paths.settings_file);
    let library = match start_loading(&settings, &paths) {
        Ok(library) => library,
        Err(err) => {
            eprintln!("babelfish-desktop: cannot start the glossary loader: {err}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            paths,
            settings: RwLock::new(settings),
            settings_note,
            library,
            save_gate: Mutex::new(()),
            unsaved: AtomicBool::new(false),
            watcher: std::sync::Mutex::new(None),
            pending_import: std::sync::Mutex::new(None),
            pending_folder: std::sync::Mutex::new(None),
        })
        .setup(|app| {
            trace("setup");
            live::watch_when_loaded(app.handle());
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
            commands::start_glossary,
            commands::use_default_glossary,
            commands::reload_glossary,
            commands::set_unsaved,
            commands::close_window,
            translate::translate,
            translate::open_text_file,
            translate::save_crib_sheet,
            exchange::pick_import_csv,
            exchange::preview_import,
            exchange::apply_import,
            exchange::export_glossary,
        ])
        .run(context);
    if let Err(err) = result {
        eprintln!("babelfish-desktop: {err}");
        std::process::exit(1);
    }
}
