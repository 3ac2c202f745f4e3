//! Settings, zoom and the first-run side question.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn settings_show_the_folder_and_keep_changes() {
    let app = App::start(Options::default()).await;
    app.click("#open-settings").await;
    app.wait_css("#view[data-view='settings']").await;
    let text = app.text("#view").await;
    assert!(
        text.contains(&app.glossary.display().to_string()),
        "shows the folder: {text}"
    );
    assert!(text.contains("BABELFISH_GLOSSARY"), "says why: {text}");
    assert!(text.contains("10 entries loaded"), "{text}");
    let author = app.find("#s-author").await;
    assert_eq!(
        author.prop("value").await.unwrap().as_deref(),
        Some("Test Author")
    );
    author.clear().await.unwrap();
    author.send_keys("Nurse Example").await.unwrap();
    app.click("input[name='s-reader'][value='clinician']").await;
    app.click(".settings button[type='submit']").await;
    app.wait_js("document.querySelector('.saved-note').textContent === 'Saved.'")
        .await;
    let settings = std::fs::read_to_string(
        app.root
            .path()
            .join("config/org.babelfish.desktop/settings.json"),
    )
    .unwrap();
    assert!(settings.contains("Nurse Example"), "{settings}");
    assert!(settings.contains("clinician"), "{settings}");
    // The header's side preference follows.
    assert_eq!(
        app.js(
            "return document.querySelector(\"input[name='reader'][value='clinician']\").checked;"
        )
        .await,
        serde_json::json!(true)
    );
    app.screenshot("settings").await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn zoom_from_the_keyboard_is_remembered_and_help_says_where_things_are() {
    let app = App::start(Options::default()).await;
    let size = "parseFloat(getComputedStyle(document.documentElement).fontSize)";
    let base = app.js(&format!("return {size};")).await.as_f64().unwrap();
    app.chord(Key::Control, "=").await;
    app.wait_js("document.documentElement.dataset.zoom === '1.1'")
        .await;
    app.chord(Key::Control, "=").await;
    app.wait_js("document.documentElement.dataset.zoom === '1.25'")
        .await;
    let zoomed = app.js(&format!("return {size};")).await.as_f64().unwrap();
    assert!((zoomed / base - 1.25).abs() < 0.01, "{base} -> {zoomed}");
    let settings_file = app
        .root
        .path()
        .join("config/org.babelfish.desktop/settings.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !std::fs::read_to_string(&settings_file)
        .unwrap()
        .contains("1.25")
    {
        assert!(std::time::Instant::now() < deadline, "zoom not saved");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.chord(Key::Control, "-").await;
    app.wait_js("document.documentElement.dataset.zoom === '1.1'")
        .await;
    app.chord(Key::Control, "0").await;
    app.wait_js("document.documentElement.dataset.zoom === '1'")
        .await;
    assert_eq!(
        app.js(&format!("return {size};")).await.as_f64().unwrap(),
        base
    );

    // Help (F1): the version, the glossary folder, the shortcuts, how to report a problem.
    app.press(Key::F1).await;
    app.wait_css("#view[data-view='help']").await;
    // (Headings are upper case on screen.)
    let help = app.text("#view").await.to_lowercase();
    for expected in [
        concat!("Babelfish ", env!("CARGO_PKG_VERSION")),
        &app.glossary.display().to_string(),
        "Keyboard shortcuts",
        "Ctrl+K",
        "Ctrl++ / Ctrl+− / Ctrl+0",
        "Reporting a problem",
        "settings.json",
    ] {
        assert!(
            help.contains(&expected.to_lowercase()),
            "help lacks {expected:?}:\n{help}"
        );
    }
    app.screenshot("help").await;
    // Back to the entry; the Help button opens it too.
    open_by_keyboard(&app, "CAB", CAB).await;
    app.click("#open-help").await;
    app.wait_css("#view[data-view='help']").await;
    app.stop().await;

    // The zoom is remembered across starts.
    let app = App::start(Options {
        settings: Some(serde_json::json!({ "author": "Test Author", "zoom": 1.5 })),
        ..Options::default()
    })
    .await;
    app.wait_js("document.documentElement.dataset.zoom === '1.5'")
        .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_run_asks_which_side_once_and_can_be_skipped() {
    let app = App::start(Options::default()).await;
    let settings_file = app
        .root
        .path()
        .join("config/org.babelfish.desktop/settings.json");
    app.wait_css(".welcome .side-ask:not([hidden])").await;
    assert!(app
        .find("#reader")
        .await
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default()
        .contains("unset"));
    app.screenshot("first-run-side").await;
    // Answered from the keyboard: Tab to "I am a clinician", Enter.
    let mut reached = false;
    for _ in 0..20 {
        app.press(Key::Tab).await;
        if app
            .js("return document.activeElement.dataset.reader || '';")
            .await
            == serde_json::json!("clinician")
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the question");
    app.press(Key::Enter).await;
    app.wait_js("document.querySelector(\"input[name='reader'][value='clinician']\").checked")
        .await;
    app.wait_css(".welcome .side-ask[hidden]").await;
    let settings = std::fs::read_to_string(&settings_file).unwrap();
    assert!(settings.contains("clinician"), "{settings}");
    // A clinician reading an ITIL term gets the explanation first.
    open_by_keyboard(&app, "CAB", CAB).await;
    app.wait_css(".body.explanation-first").await;
    app.stop().await;

    // Skipped: asked no more.
    let app = App::start(Options::default()).await;
    app.click(".side-ask .side-skip").await;
    app.wait_css(".welcome .side-ask[hidden]").await;
    let settings = std::fs::read_to_string(
        app.root
            .path()
            .join("config/org.babelfish.desktop/settings.json"),
    )
    .unwrap();
    assert!(settings.contains("\"side_asked\": true"), "{settings}");
    app.stop().await;
}
