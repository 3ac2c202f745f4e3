//! The user's settings, kept as `settings.json` in the app's config folder.

use std::path::{Path, PathBuf};

use babelfish::{Reader, Side};
use serde::{Deserialize, Serialize};

/// What the user chose. Every field is optional so an old or partial file still loads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The name written into `updated_by` when this person saves an entry.
    pub author: String,
    /// Which side the reader works on: orders results and picks the explanation shown first.
    pub reader: Option<Reader>,
    /// A glossary folder chosen by the user (a shared drive, a synced folder, a git checkout).
    /// `None` means the default: the user's own copy of the bundled glossary.
    pub glossary_folder: Option<PathBuf>,
    /// The window's zoom (1.0 is the system text size; Ctrl+plus, Ctrl+minus, Ctrl+0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zoom: Option<f64>,
    /// Whether the first-run question "which side are you on?" was answered or skipped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub side_asked: bool,
    /// Sync the glossary with its git remote every few minutes (off unless the user turns it
    /// on; only used when the folder is in a git work tree with an upstream).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub auto_sync: bool,
    /// The side this person signs entries off for, when they are a reviewer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_side: Option<Side>,
    /// Whether the Translate view also marks terms from the reader's own side. Off by default:
    /// a clinician already knows "ward" and "TTO", and they would pad the crib sheet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub show_own_side: bool,
    /// The global shortcut that looks the selection up: None (the usual) means
    /// [`DEFAULT_LOOKUP_SHORTCUT`], an empty text means switched off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_shortcut: Option<String>,
    /// Closing the main window hides it and keeps Babelfish running in the tray (the shortcut,
    /// the lookup popup, one running app). Off by default: on a desktop without a tray
    /// (GNOME without its AppIndicator extension) a closed window would leave an app running
    /// that the user cannot see or reach, except by starting it again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub keep_in_tray: bool,
}

/// The global shortcut that looks the selection up, unless the user changes it.
pub const DEFAULT_LOOKUP_SHORTCUT: &str = "Ctrl+Alt+B";

/// The zoom range the window allows.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.5..=3.0;

impl Settings {
    /// The lookup shortcut in force, None when switched off.
    pub fn lookup_shortcut(&self) -> Option<&str> {
        match self.lookup_shortcut.as_deref().map(str::trim) {
            None => Some(DEFAULT_LOOKUP_SHORTCUT),
            Some("") => None,
            Some(shortcut) => Some(shortcut),
        }
    }

    /// Reads the settings file. A missing file gives the defaults; an unreadable one is moved
    /// aside (never silently overwritten) and reported in the returned note.
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Settings::default(), None)
            }
            Err(e) => {
                return (
                    Settings::default(),
                    Some(format!(
                        "Could not read {}: {e}; using defaults.",
                        path.display()
                    )),
                )
            }
        };
        match serde_json::from_slice(&bytes) {
            Ok(settings) => (settings, None),
            Err(e) => {
                let aside = path.with_extension("json.broken");
                let moved = std::fs::rename(path, &aside).is_ok();
                let note = if moved {
                    format!(
                        "Settings file {} could not be read ({e}); it was kept as {} and defaults are in use.",
                        path.display(),
                        aside.display()
                    )
                } else {
                    format!(
                        "Settings file {} could not be read ({e}); defaults are in use.",
                        path.display()
                    )
                };
                (Settings::default(), Some(note))
            }
        }
    }

    /// Writes the settings file atomically.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        babelfish::store::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_missing_or_broken_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(Settings::load(&path), (Settings::default(), None));

        let settings = Settings {
            author: "A. Analyst".into(),
            reader: Some(Reader::Clinician),
            glossary_folder: Some(dir.path().join("shared")),
            zoom: Some(1.25),
            side_asked: true,
            auto_sync: true,
            review_side: Some(Side::Clinical),
            show_own_side: true,
            lookup_shortcut: Some(String::new()),
            keep_in_tray: true,
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).0, settings);
        assert!(
            !Settings::default().keep_in_tray,
            "closing the window quits unless the user chose the tray"
        );
        assert_eq!(
            settings.lookup_shortcut(),
            None,
            "an empty shortcut is switched off"
        );
        assert_eq!(
            Settings::default().lookup_shortcut(),
            Some(DEFAULT_LOOKUP_SHORTCUT)
        );

        std::fs::write(&path, "{ not json").unwrap();
        let (loaded, note) = Settings::load(&path);
        assert_eq!(loaded, Settings::default());
        assert!(note.unwrap().contains("could not be read"));
        assert!(
            dir.path().join("settings.json.broken").exists(),
            "the broken file is kept"
        );
    }
}
