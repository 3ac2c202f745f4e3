//! History and favourites (issue 19): a search and the entry opened from it are recorded,
//! Clear empties the history and the switch stops it; a starred entry survives a restart and
//! exports as a crib sheet; text pasted into Translate never reaches the history file.

use crate::support::*;

/// The history file in the app's data folder (`XDG_DATA_HOME/<identifier>/journal.json`).
fn journal_file(data_home: &std::path::Path) -> std::path::PathBuf {
    data_home.join("org.babelfish.desktop/journal.json")
}

async fn open_journal(app: &App) {
    app.click("#open-journal").await;
    app.wait_css("#view[data-view='journal'] .journal[data-ready='true']")
        .await;
}

/// Searches `query` and opens the best hit with Enter, as a user would.
async fn search_and_open(app: &App, query: &str, id: &str) {
    app.search(query).await;
    app.press(Key::Enter).await;
    app.wait_entry(id).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn history_records_a_search_and_clears_and_a_favourite_survives_a_restart() {
    // The data folder outlives the first app, so the second start finds what the first kept.
    let data_home = tempfile::tempdir().unwrap();
    let data_path: &'static str = Box::leak(
        data_home
            .path()
            .to_str()
            .unwrap()
            .to_string()
            .into_boxed_str(),
    );
    let options = || Options {
        env: vec![("XDG_DATA_HOME", data_path)],
        ..Options::default()
    };
    let app = App::start(options()).await;

    search_and_open(&app, "CAB", CAB).await;
    app.click(".entry-head .star").await;
    app.wait_css(".entry-head .star[aria-pressed='true']").await;

    // Translate: the pasted text stays out of history.
    app.click("#open-translate").await;
    app.wait_css("#view[data-view='translate'] #t-text").await;
    app.paste("#t-text", "Ward 7 bed 3 Jane Doe: CAB approved the RFC.")
        .await;
    app.click(".t-run").await;
    app.wait_css(".translate[data-state='done']").await;

    open_journal(&app).await;
    let searched = app
        .js("return [...document.querySelectorAll('.history-list li')].map(li => li.dataset.kind + ':' + li.textContent);")
        .await;
    let searched: Vec<String> = serde_json::from_value(searched).unwrap();
    assert_eq!(
        searched,
        vec!["entry:Change Advisory Board", "search:CAB (searched)"],
        "newest first"
    );
    let file = std::fs::read_to_string(journal_file(data_home.path())).unwrap();
    assert!(file.contains("\"CAB\"") && file.contains(CAB), "{file}");
    assert!(
        !file.contains("Jane Doe"),
        "Translate text entered history: {file}"
    );

    // A search in history runs again.
    app.click(".history-list li[data-kind='search'] button")
        .await;
    app.wait_rendered("CAB").await;

    // Clear empties it, on screen and on disk; favourites stay.
    open_journal(&app).await;
    app.click(".clear-history").await;
    app.wait_js(
        "!document.querySelector('.history-list') && document.querySelector('.favourites-list')",
    )
    .await;
    let file = std::fs::read_to_string(journal_file(data_home.path())).unwrap();
    assert!(!file.contains("\"CAB\""), "{file}");

    // Switched off: nothing more is recorded.
    app.click("#history-on").await;
    app.wait_js(
        "document.querySelector('.journal-empty')?.textContent === 'History is switched off.'",
    )
    .await;
    search_and_open(&app, "RFC", "itil/request-for-change").await;
    open_journal(&app).await;
    assert!(
        app.js("return !document.querySelector('.history-list');")
            .await
            .as_bool()
            .unwrap(),
        "history recorded while switched off"
    );
    app.stop().await;

    // A restart: the favourite is still there, the switch is still off.
    let app = App::start(options()).await;
    open_journal(&app).await;
    assert_eq!(
        app.text(".favourites-list li button").await,
        "Change Advisory Board"
    );
    assert!(!app
        .js("return document.getElementById('history-on').checked;")
        .await
        .as_bool()
        .unwrap());
    // Favourites export as a crib sheet through the core's renderer.
    let sheet = app.root.path().join("favourites.md");
    app.answer_next_dialog(Some(&sheet));
    app.click(".export-favourites-md").await;
    app.wait_js(
        "document.querySelector('.journal-note').textContent.startsWith('Crib sheet saved')",
    )
    .await;
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(text.contains("Change Advisory Board"), "{text}");
    // Opening it from Favourites shows the star on.
    app.click(".favourites-list li button").await;
    app.wait_entry(CAB).await;
    app.wait_css(".entry-head .star[aria-pressed='true']").await;
    app.click(".entry-head .star").await;
    app.wait_css(".entry-head .star[aria-pressed='false']")
        .await;
    app.stop().await;
}
