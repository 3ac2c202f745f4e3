//! Shared helpers for the end-to-end tests: the harness (`common`: the app started under
//! tauri-driver, retried once when GTK fails to start) re-exported, WebDriver steps as one-line
//! calls (`click`, `type_into`, `press(Key::Enter)`, `chord(Key::Control, "k")`), and the
//! fixtures and steps several features share.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub use crate::common::*;
pub use fantoccini::key::Key;

impl App {
    /// Clicks the element `css` selects, scrolled to the middle of the view first (as a user
    /// scrolls to a button): WebKitWebDriver refuses a click on an element that the sticky
    /// toolbar covers or that sits below the fold of a long entry.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        let arg = serde_json::to_value(&element).expect("an element serialises");
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' }); return true;",
                vec![arg],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot scroll to {css}: {e}"));
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Waits until `css` selects an element, then clicks it.
    pub async fn wait_and_click(&self, css: &str) {
        self.wait_css(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Waits up to `timeout` (instead of the usual 15 s) until `css` selects an element, for
    /// steps known to be slow.
    pub async fn wait_css_within(&self, css: &str, timeout: std::time::Duration) {
        self.client
            .wait()
            .at_most(timeout)
            .for_element(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("timed out after {timeout:?} waiting for {css}: {e}"));
    }

    /// Types `text` into the element `css` selects (which gets the focus).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
    }

    /// Presses one key in whatever has focus.
    pub async fn press(&self, key: Key) {
        self.keys(&key).await;
    }

    /// Presses keys one after the other in whatever has focus.
    pub async fn press_keys(&self, keys: &[Key]) {
        let keys: String = keys.iter().map(|k| char::from(*k)).collect();
        self.keys(&keys).await;
    }

    /// Holds `modifier` while pressing `key`, then releases it (e.g. Ctrl+K).
    pub async fn chord(&self, modifier: Key, key: impl std::fmt::Display) {
        self.keys(&format!("{modifier}{key}{}", Key::Null)).await;
    }

    /// Waits until the results for `query` are rendered (the page marks them).
    pub async fn wait_for_results(&self, query: &str) {
        self.wait_rendered(query).await;
    }
}

/// The CAB entry of the fixture glossary (an ITIL term with a clinical counterpart).
pub const CAB: &str = "itil/change-advisory-board";
/// The clinical counterpart of [`CAB`].
pub const COMMITTEE: &str = "clinical/clinical-governance-committee";

/// The file of an entry in the app's glossary copy, parsed.
pub fn on_disk(app: &App, id: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(app.glossary.join(format!("{id}.json"))).unwrap())
        .unwrap()
}

/// Types a query into the search box from the keyboard (after Ctrl+K) and waits for its
/// results.
pub async fn type_query(app: &App, query: &str) {
    app.chord(Key::Control, "k").await;
    app.wait_js("document.activeElement.id === 'q'").await;
    app.press(Key::Escape).await;
    app.wait_rendered("").await;
    app.keys(query).await;
    app.wait_rendered(query).await;
}

/// Opens an entry from the keyboard: its term in the search box, then Enter on the first hit.
pub async fn open_by_keyboard(app: &App, query: &str, id: &str) {
    type_query(app, query).await;
    assert_eq!(
        app.hit_ids().await.first().map(String::as_str),
        Some(id),
        "{query}"
    );
    app.press(Key::Enter).await;
    app.wait_entry(id).await;
}

/// A pasted paragraph: IT and project jargon, an ambiguous word, text outside the BMP (UTF-16
/// offsets) and markup that must stay text.
pub const PASTED: &str = "Agenda 😀 — Café, 3pm: the CAB met on Tuesday and approved the RFC. \
The PM will raise an exception report because the handover is late.\n\
A patient safety incident was logged on the ward. \
<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script> Any other business?";

/// Opens the Translate view.
pub async fn open_translate(app: &App) {
    app.click("#open-translate").await;
    app.wait_css("#view[data-view='translate'] #t-text").await;
}

/// Pastes `text` into the Translate view and waits for its highlights.
pub async fn translate(app: &App, text: &str) {
    app.paste("#t-text", text).await;
    app.click(".t-run").await;
    app.wait_css(".translate[data-state='done']").await;
}

/// What the app's folders looked like before patient text passed through it, for the
/// information-governance tests: the app's own config, data and cache folders (where Tauri and
/// WebKit keep its files) and the glossary must not change at all; elsewhere under the test's
/// config, data and cache folders only Mesa's shader cache may (compiled GPU shaders, which
/// [`assert_no_file_holds`] proves hold no text).
pub struct FoldersBefore {
    root: PathBuf,
    watched: Vec<PathBuf>,
    everything: Vec<PathBuf>,
    /// The app's own folders and the glossary, file by file.
    pub watched_files: std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
    everything_files: std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
}

impl FoldersBefore {
    /// Opens the Translate view and records the folders once it has settled (the wider folders
    /// are recorded first, so whatever opening the view writes there counts too).
    pub async fn open_translate(app: &App) -> FoldersBefore {
        let root = app.root.path().to_path_buf();
        let watched = vec![
            root.join("config/org.babelfish.desktop"),
            root.join("data/org.babelfish.desktop"),
            root.join("cache/org.babelfish.desktop"),
            app.glossary.clone(),
        ];
        let everything = vec![root.join("config"), root.join("data"), root.join("cache")];
        let everything_files = snapshot(&everything);
        open_translate(app).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        FoldersBefore {
            watched_files: snapshot(&watched),
            root,
            watched,
            everything,
            everything_files,
        }
    }

    /// Asserts that nothing changed since, `doing` naming what the test did.
    pub fn assert_unchanged(&self, doing: &str) {
        // The log file may gain a line at any moment (the watch starting, an error shown); the
        // log tests (logfile.rs) and `assert_no_file_holds` check that it holds no text.
        let log = self.root.join("data/org.babelfish.desktop/logs");
        let changed: Vec<_> = snapshot(&self.watched)
            .into_iter()
            .filter(|(path, meta)| self.watched_files.get(path) != Some(meta))
            .map(|(path, _)| path)
            .filter(|path| !path.starts_with(&log))
            .collect();
        assert!(
            changed.is_empty(),
            "{doing} wrote to the app's folders: {changed:#?}"
        );
        let shaders = self.root.join("cache/mesa_shader_cache");
        let elsewhere: Vec<_> = snapshot(&self.everything)
            .into_iter()
            .filter(|(path, meta)| self.everything_files.get(path) != Some(meta))
            .map(|(path, _)| path)
            .filter(|path| !path.starts_with(&shaders) && !path.starts_with(&log))
            .collect();
        assert!(elsewhere.is_empty(), "{doing} wrote: {elsewhere:#?}");
    }
}

/// Asserts that no file anywhere under `root` holds any of `needles` (as UTF-8 or UTF-16).
pub fn assert_no_file_holds(root: &Path, needles: &[&str]) {
    for needle in needles {
        let found = files_containing(root, needle);
        assert!(found.is_empty(), "{needle:?} found in {found:?}");
    }
}
