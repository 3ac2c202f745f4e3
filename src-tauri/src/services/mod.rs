//! The middle layer: what commands are made of. Each service uses the state, the errors and
//! the core, and services below it in this list, never a command:
//!
//! - `view`: plain data shaped for the window (never HTML), and the app's status.
//! - `library`: opening and reloading the glossary, who is saving.
//! - `link`: `babelfish://` links (an entry, a search), the clipboard for "Copy link".
//! - `live`: watching the folder for colleagues' edits (uses `library`, `crate::events`).
//! - `dialog`: native file dialogs, opened from Rust.
//! - `import`: the picked CSV and its preview, over the core's one import pipeline.
//! - `sync`: git sync for the window, the automatic sync, an entry's history (uses
//!   `library`, `crate::events`).
//! - `journal`: history and favourites, kept in the app's data folder (uses `view`).
//! - `lookup`: look a term up from anywhere: launch arguments, the desktop's selection, the
//!   lookup window and its answer (uses `view`).
//! - `shortcut`: the global lookup shortcut (uses `lookup`).
//! - `tray`: the tray icon and its menu, and closing the window into the tray (uses `lookup`,
//!   `crate::events`).
//! - `translation`: the Translate view's answer shaped for the page (uses `view`).

pub mod dialog;
pub mod import;
pub mod journal;
pub mod library;
pub mod link;
pub mod live;
pub mod lookup;
pub mod shortcut;
pub mod sync;
pub mod translation;
pub mod tray;
pub mod view;
