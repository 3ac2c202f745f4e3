//! The top layer: Tauri commands, one module per domain. Each command is a short adapter:
//! it reads or replaces the state and hands the work to a service or the core. Commands use
//! everything below them and nothing uses a command (`lib.rs` only registers them).
//!
//! - `status`: the app's status and the user's settings.
//! - `search`: search as you type and the entry view.
//! - `entries`: read, check, create, save and delete entries; a new entry's id.
//! - `folders`: choosing, starting, resetting and reloading the glossary folder.
//! - `translate`: annotate pasted text, open a document, save a crib sheet.
//! - `exchange`: CSV import (pick, preview, apply) and export.
//! - `review`: sign-offs, the review queue, the side a reviewer signs for.
//! - `window`: unsaved changes and closing the window.
//! - `sync`: git sync (status, Sync, a sync conflict, automatic sync) and an entry's history.
//! - `journal`: history and favourites.
//! - `lookup`: the lookup window (look a term up from anywhere).

pub mod entries;
pub mod exchange;
pub mod folders;
pub mod journal;
pub mod lookup;
pub mod review;
pub mod search;
pub mod status;
pub mod sync;
pub mod translate;
pub mod window;
