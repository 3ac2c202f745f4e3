//! Live updates: colleagues edit the shared folder while the app is open. The core's watcher
//! reports changed files; the app reloads (reading only the files that changed), updates the
//! index incrementally, and tells the page (which refreshes the results and the entry on
//! screen) with the `glossary-changed` event.
//!
//! The app's own saves reload the glossary themselves; the watcher then reports the same files
//! again. Such an echo (only files the app wrote, each still exactly as written) is skipped,
//! so a save costs one reload, not two.

use std::path::Path;
use std::time::Duration;

use babelfish::store::Store;
use babelfish::watch::{FolderChange, WatchMode};
use babelfish::workspace::OwnWrite;
use tauri::{AppHandle, Manager};

use crate::services::library;
use crate::state::{AppState, OwnWrites};

/// Records that the app just wrote `write` (the entry as saved, or its deletion). The hash is
/// that of the file the store wrote, computed here rather than read back (a read is a round
/// trip or more to a network share).
pub fn remember_own_write(state: &AppState, write: &OwnWrite) {
    let hash = write
        .saved
        .as_ref()
        .map(|entry| babelfish::store::content_hash(entry.to_file_json().as_bytes()));
    state
        .own_writes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(write.id.clone(), hash);
}

/// True when `change` is only an echo of the app's own writes: every changed file is one it
/// wrote and still holds what it wrote (`current_hash`: the hash on disk now, None when
/// absent). The ids reported are forgotten either way (one echo per write).
pub fn is_own_echo(
    own: &mut OwnWrites,
    change: &FolderChange,
    current_hash: impl Fn(&str) -> Option<String>,
) -> bool {
    if change.domains || change.rescan || change.ids.is_empty() {
        return false;
    }
    let mut echo = true;
    for id in &change.ids {
        match own.remove(id) {
            Some(written) if written == current_hash(id) => {}
            _ => echo = false,
        }
    }
    echo
}

/// For the window, when the folder is polled rather than watched through change events (a
/// network folder, where events miss colleagues' edits): how often. None otherwise.
pub fn polling_note(state: &AppState, folder: Option<&Path>) -> Option<String> {
    let watching = state
        .watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
        .map(|w| w.mode());
    // Before the watch starts (just after start-up), the mode it will use.
    match watching.or_else(|| folder.map(babelfish::watch::choose_mode))? {
        WatchMode::Poll(every) => Some(polling_words(every)),
        WatchMode::Events => None,
    }
}

fn polling_words(every: Duration) -> String {
    format!(
        "Watching by polling every {} s (network folder)",
        every.as_secs()
    )
}

/// Watches `folder` (replacing any earlier watch). Without a folder (the built-in copy) or if
/// the folder cannot be watched, nothing is watched; Settings has a Reload button. `record` is
/// the loaded workspace's record of the files: a poller starts from it, so a colleague's save
/// made while the poller first lists the folder (minutes on a slow share) is not missed.
pub fn watch_folder(
    app: &AppHandle,
    folder: Option<&Path>,
    record: Option<babelfish::load::FolderSnapshot>,
) {
    let state = app.state::<AppState>();
    let mut slot = state
        .watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = None;
    let Some(folder) = folder else { return };
    let handle = app.clone();
    let store = Store::new(folder);
    let polled = matches!(babelfish::watch::choose_mode(folder), WatchMode::Poll(_));
    match babelfish::watch::watch_from(folder, record, move |change| {
        let handle = handle.clone();
        let store = store.clone();
        tauri::async_runtime::spawn(async move {
            let state = handle.state::<AppState>();
            let reloaded = {
                // Taken before judging: a save in flight has written and remembered by then.
                let _gate = state.save_gate.lock().await;
                let echo = {
                    let mut own = state
                        .own_writes
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    is_own_echo(&mut own, &change, |id| {
                        store.read(id).ok().map(|stored| stored.hash)
                    })
                };
                if echo {
                    return;
                }
                if change.rescan {
                    crate::log::warn(
                        "change events from the glossary folder stopped; it is compared file by file now and checked every few seconds from here on",
                    );
                }
                if polled && !change.domains && !change.rescan && !change.ids.is_empty() {
                    // The poller has just listed the folder and named what changed; listing
                    // it again (one round trip per file on a network share) would only find
                    // the same files.
                    library::reload_entries(&state, change.ids.iter().cloned().collect()).await
                } else {
                    library::reload(&state).await
                }
            };
            match reloaded {
                Ok(()) => crate::events::glossary_changed(&handle),
                Err(err) => crate::log::error(&format!("reloading after a change failed: {err}")),
            }
        });
    }) {
        Ok(watcher) => {
            crate::log::info(&format!(
                "watching {}: {}",
                folder.display(),
                watcher.mode().describe()
            ));
            *slot = Some(watcher)
        }
        Err(err) => crate::log::error(&format!(
            "{err}; use Reload in Settings to see others' edits"
        )),
    }
}

/// The loaded workspace's record of its files, for [`watch_folder`].
pub async fn loaded_record(state: &AppState) -> Option<babelfish::load::FolderSnapshot> {
    let library = state.library.read().await;
    library.workspace().ok()?.record().cloned()
}

/// Starts watching once the first load has finished.
pub fn watch_when_loaded(app: &AppHandle) {
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        let (folder, record) = {
            let library = state.library.read().await;
            let loaded = library.content.as_ref().ok();
            (
                loaded.and(library.folder.clone()),
                loaded.and_then(|workspace| workspace.record().cloned()),
            )
        };
        watch_folder(&handle, folder.as_deref(), record);
        // Started from the start-up cache: finish comparing the files with it now, in the
        // background, so the first save or colleague's edit reads only what changed.
        match library::check_files(&state).await {
            Ok(true) => crate::events::glossary_changed(&handle),
            Ok(false) => {}
            Err(err) => crate::log::error(&format!("reading the folder's files failed: {err}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(ids: &[&str]) -> FolderChange {
        FolderChange {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            ..FolderChange::default()
        }
    }

    #[test]
    fn only_an_unchanged_own_write_is_an_echo() {
        let on_disk = |id: &str| (id != "itil/gone").then(|| format!("hash-of-{id}"));
        let mut own = OwnWrites::new();
        own.insert("itil/a".into(), Some("hash-of-itil/a".into()));
        own.insert("itil/gone".into(), None);
        assert!(is_own_echo(
            &mut own,
            &change(&["itil/a", "itil/gone"]),
            on_disk
        ));
        assert!(own.is_empty(), "forgotten once seen");

        // Seen again (no write since): a real change.
        assert!(!is_own_echo(&mut own, &change(&["itil/a"]), on_disk));
        // Written by the app, then changed by a colleague before the watcher looked.
        own.insert("itil/a".into(), Some("what-the-app-wrote".into()));
        assert!(!is_own_echo(&mut own, &change(&["itil/a"]), on_disk));
        // The app's write together with a colleague's file: reload.
        own.insert("itil/a".into(), Some("hash-of-itil/a".into()));
        assert!(!is_own_echo(
            &mut own,
            &change(&["itil/a", "itil/b"]),
            on_disk
        ));
        // domains.json changed: always reload.
        own.insert("itil/a".into(), Some("hash-of-itil/a".into()));
        let mut with_domains = change(&["itil/a"]);
        with_domains.domains = true;
        assert!(!is_own_echo(&mut own, &with_domains, on_disk));
    }

    #[test]
    fn polling_is_put_in_words() {
        assert_eq!(
            polling_words(babelfish::watch::POLL_INTERVAL),
            "Watching by polling every 2 s (network folder)"
        );
    }
}
