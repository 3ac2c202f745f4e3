//! The glossary folder: broken files, no glossary, the native picker, starting a shared glossary.

use std::time::Duration;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn broken_files_are_listed_and_the_rest_works() {
    let app = App::start(Options {
        overlay: Some("broken"),
        ..Options::default()
    })
    .await;
    app.wait_css("#problems:not([hidden])").await;
    let listed = app.text("#problems").await;
    assert!(listed.contains("itil/service-desk.json"), "{listed}");
    assert!(
        listed.contains("the rest of the glossary loaded"),
        "{listed}"
    );
    app.find("#problems-list li[data-path='itil/service-desk.json']")
        .await;
    // Everything else still works.
    assert_eq!(
        app.search("CAB").await.first().map(String::as_str),
        Some(CAB)
    );
    app.screenshot("broken-files").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_glossary_the_app_offers_to_choose_one() {
    let app = App::start(Options {
        glossary: None,
        ..Options::default()
    })
    .await;
    app.wait_css("#view[data-view='no-glossary'] .choose-folder")
        .await;
    let text = app.text("#view").await;
    assert!(text.contains("No glossary to show"), "{text}");
    assert!(
        text.contains("no-such-glossary"),
        "names the folder: {text}"
    );
    app.find(".use-default").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn choosing_a_folder_opens_the_native_picker() {
    let app = App::start(Options {
        glossary: None,
        own_display: true,
        ..Options::default()
    })
    .await;
    app.wait_and_click("#view[data-view='no-glossary'] .choose-folder")
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !crate::common::window_exists(&app.display, "Choose a glossary folder") {
        assert!(
            std::time::Instant::now() < deadline,
            "no folder picker appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    if std::env::var_os("BABELFISH_UPDATE_SCREENSHOTS").is_some() {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let _ = std::process::Command::new("/usr/bin/import")
            .args(["-display", &app.display, "-window", "root"])
            .arg(crate::common::screenshot_dir().join("folder-picker.png"))
            .status();
    }
    // Cancelling the picker leaves everything as it was.
    crate::common::request_close(&app.display, "Choose a glossary folder");
    while crate::common::window_exists(&app.display, "Choose a glossary folder") {
        assert!(
            std::time::Instant::now() < deadline,
            "the picker did not close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.wait_css("#view[data-view='no-glossary']").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_folder_can_start_a_shared_glossary() {
    let app = App::start(Options {
        glossary: None,
        ..Options::default()
    })
    .await;
    let shared = app.root.path().join("shared");
    std::fs::create_dir_all(shared.join(".git")).unwrap();
    app.answer_next_dialog(Some(&shared));
    app.wait_and_click("#view[data-view='no-glossary'] .choose-folder")
        .await;
    app.wait_css("#view[data-view='start-glossary']").await;
    let text = app.text("#view").await;
    assert!(text.contains("Start a shared glossary here?"), "{text}");
    assert!(text.contains(&shared.display().to_string()), "{text}");
    assert!(text.contains("How colleagues share it"), "{text}");
    assert!(text.contains("the same folder"), "{text}");
    // Nothing is written until the user chooses; the first choice has the focus: Enter.
    assert!(!shared.join("domains.json").exists());
    assert_eq!(
        app.js("return document.activeElement.className").await,
        "primary start-with-entries"
    );
    app.press(Key::Enter).await;
    // Writing the 1,740 bundled entries (each fsynced) and indexing them takes about 20 s in a
    // debug build on a busy two-core machine: longer than the usual wait.
    app.wait_css_within("#view[data-view='welcome']", Duration::from_secs(90))
        .await;
    assert!(shared.join("domains.json").is_file());
    assert!(shared.join("itil/change-advisory-board.json").is_file());
    let hits = app.search("CAB").await;
    assert_eq!(hits.first().map(String::as_str), Some(CAB), "{hits:?}");
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            app.root
                .path()
                .join("config/org.babelfish.desktop/settings.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(settings["glossary_folder"], shared.display().to_string());

    // Another empty folder, from Settings, started with the vocabularies only.
    let empty = app.root.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    app.answer_next_dialog(Some(&empty));
    app.click("#open-settings").await;
    app.wait_and_click("#view[data-view='settings'] .choose-folder")
        .await;
    app.wait_and_click("#view[data-view='start-glossary'] .start-empty")
        .await;
    app.wait_js("document.getElementById('view').dataset.view !== 'start-glossary'")
        .await;
    assert!(empty.join("domains.json").is_file());
    let status = app
        .js("return document.getElementById('view').dataset.view")
        .await;
    assert_ne!(status, "no-glossary");
    let written: Vec<_> = walk_json(&empty);
    assert_eq!(written.len(), 1, "only the vocabularies: {written:?}");
    app.stop().await;
}

fn walk_json(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_json(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}
