//! The tray icon and its menu (Look up clipboard, Open Babelfish, Quit), and what closing the
//! main window does: hide it and keep running in the tray when the user chose that in
//! Settings, else quit as before (uses `lookup`, `crate::events`).
//!
//! On Linux the icon is a StatusNotifierItem through libayatana-appindicator, loaded when the
//! icon is made: where the library is missing, or there is no tray at all, the app runs on
//! without an icon and says so on stderr. The menu's handlers do what the shortcut and a
//! second start already do, through the same `lookup` functions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tauri::menu::{Menu, MenuEvent, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime, Window};

use crate::events::{self, MAIN_WINDOW};
use crate::services::lookup;

/// The tray menu's items: their ids (the menu event names one) and labels, in menu order.
pub const MENU: [(&str, &str); 3] = [
    (LOOK_UP_CLIPBOARD, "Look up clipboard"),
    (OPEN_MAIN, "Open Babelfish"),
    (QUIT, "Quit"),
];
const LOOK_UP_CLIPBOARD: &str = "look-up-clipboard";
const OPEN_MAIN: &str = "open-main";
const QUIT: &str = "quit";

/// Whether closing the main window keeps the app running in the tray (the setting
/// `keep_in_tray`, mirrored here so the window's close handler, on the UI thread, never waits
/// for the settings lock).
#[derive(Debug, Default, Clone)]
pub struct KeepInTray {
    setting: Arc<AtomicBool>,
    /// Whether the tray icon was made: without one, closing quits whatever the setting says
    /// (a hidden window with no icon to bring it back would look like a crash).
    icon_made: Arc<AtomicBool>,
}

impl KeepInTray {
    /// The setting as the user last saved it.
    pub fn new(on: bool) -> KeepInTray {
        KeepInTray {
            setting: Arc::new(AtomicBool::new(on)),
            icon_made: Arc::default(),
        }
    }

    /// Whether closing the main window hides it: the setting is on and there is an icon.
    pub fn on(&self) -> bool {
        self.setting.load(Ordering::SeqCst) && self.icon_made.load(Ordering::SeqCst)
    }

    /// Follows a change saved in Settings.
    pub fn set(&self, on: bool) {
        self.setting.store(on, Ordering::SeqCst);
    }

    fn icon_made(&self) {
        self.icon_made.store(true, Ordering::SeqCst);
    }
}

/// Makes the tray icon with its menu. Never fatal: where no icon can be made (the tray
/// library missing, no icon in the bundle), the reason is printed and the app runs without one.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> Option<TrayIcon<R>> {
    if let Err(missing) = tray_library_present() {
        crate::log::warn(&format!("no tray icon: {missing}"));
        return None;
    }
    // The tray crates panic rather than return an error on some failures (a library that
    // loads but lacks a symbol); the app without a tray is better than no app.
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(app)));
    match made {
        Ok(Ok(tray)) => {
            app.state::<KeepInTray>().icon_made();
            crate::trace::trace("tray icon created");
            Some(tray)
        }
        Ok(Err(err)) => {
            crate::log::warn(&format!("no tray icon: {err}"));
            None
        }
        Err(_) => {
            crate::log::warn("no tray icon: the tray library failed");
            None
        }
    }
}

fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let items = MENU
        .iter()
        .map(|(id, label)| MenuItem::with_id(app, *id, *label, true, None::<&str>))
        .collect::<tauri::Result<Vec<_>>>()?;
    let refs: Vec<&dyn tauri::menu::IsMenuItem<R>> = items
        .iter()
        .map(|item| item as &dyn tauri::menu::IsMenuItem<R>)
        .collect();
    let menu = Menu::with_items(app, &refs)?;
    let mut builder = TrayIconBuilder::with_id("babelfish")
        .tooltip("Babelfish")
        .menu(&menu)
        // Left click opens the window (Windows, macOS); the menu is on the right button.
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu_event)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                lookup::show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)
}

/// Runs the tray menu item the user chose.
fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        LOOK_UP_CLIPBOARD => {
            let app = app.clone();
            // Reading the clipboard asks its owner over X11; keep that off the UI thread.
            std::thread::spawn(move || {
                let query = lookup::read_clipboard().and_then(|text| lookup::query_from(&text));
                lookup::show_lookup(&app, query);
            });
        }
        OPEN_MAIN => lookup::show_main(app),
        QUIT => quit(app),
        _ => {}
    }
}

/// Quits the way closing the window does when the app is not kept in the tray: with unsaved
/// changes the window is shown and asks first (then calls `close_window`).
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    let unsaved = app
        .state::<crate::state::AppState>()
        .unsaved
        .load(Ordering::SeqCst);
    match app.get_webview_window(MAIN_WINDOW) {
        Some(_) if unsaved => {
            lookup::show_main(app);
            events::close_requested(app);
        }
        // Its `Destroyed` event closes the lookup window, and with no window left the app ends.
        Some(window) => {
            if window.destroy().is_err() {
                app.exit(0);
            }
        }
        None => app.exit(0),
    }
}

/// What the main window's close button does: hides the window when the user keeps Babelfish in
/// the tray (returns true: the close is to be prevented), else nothing (false).
pub fn hide_instead_of_closing<R: Runtime>(window: &Window<R>) -> bool {
    if window.label() != MAIN_WINDOW || !window.state::<KeepInTray>().on() {
        return false;
    }
    if let Err(err) = window.hide() {
        crate::log::error(&format!("could not hide the window: {err}"));
        return false;
    }
    true
}

/// Checks that the tray library can be loaded, as libappindicator-sys will (it panics when
/// none of these names loads). Elsewhere the platform's own tray is always there.
fn tray_library_present() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        const NAMES: [&std::ffi::CStr; 4] = [
            c"libayatana-appindicator3.so.1",
            c"libappindicator3.so.1",
            c"libayatana-appindicator3.so",
            c"libappindicator3.so",
        ];
        let found = NAMES.iter().any(|name| {
            // SAFETY: dlopen with a valid C string; the handle is only closed again (the
            // library stays mapped when libappindicator-sys opens it later).
            unsafe {
                let handle = libc::dlopen(name.as_ptr(), libc::RTLD_LAZY);
                if handle.is_null() {
                    return false;
                }
                libc::dlclose(handle);
                true
            }
        });
        if !found {
            return Err(
                "libayatana-appindicator3 is not installed (apt-get install libayatana-appindicator3-1)"
                    .into(),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_followed_when_changed_and_needs_an_icon() {
        let keep = KeepInTray::new(true);
        let seen_by_the_close_handler = keep.clone();
        assert!(
            !seen_by_the_close_handler.on(),
            "no icon: closing quits whatever the setting"
        );
        keep.icon_made();
        assert!(seen_by_the_close_handler.on());
        keep.set(false);
        assert!(!seen_by_the_close_handler.on());
    }
}
