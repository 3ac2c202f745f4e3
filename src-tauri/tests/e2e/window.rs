//! The window itself: closing with unsaved work, and the right-click menu.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_window_with_unsaved_changes_asks_first() {
    let app = App::start(Options {
        own_display: true,
        ..Options::default()
    })
    .await;
    app.click("#new-entry").await;
    app.wait_css("form.editor[data-mode='create']").await;
    app.type_into("#f-term", "Half-written entry").await;
    app.wait_js("document.querySelector('.dirty-note').textContent === 'Unsaved changes'")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await; // set_unsaved reaches Rust
    crate::common::request_close(&app.display, "Babelfish");
    app.wait_css("#confirm[open]").await;
    assert!(app
        .text("#confirm-body")
        .await
        .contains("Half-written entry"));
    app.click("#confirm-cancel").await;
    app.wait_js("!document.querySelector('#confirm[open]')")
        .await;
    assert_eq!(
        app.js("return document.getElementById('f-term').value;")
            .await,
        serde_json::json!("Half-written entry"),
        "the edit is still there"
    );
    // Asked again, the user discards: the window closes.
    crate::common::request_close(&app.display, "Babelfish");
    app.wait_css("#confirm[open]").await;
    // The window may be gone before WebDriver answers the click.
    let _ = app.find("#confirm-ok").await.click().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while crate::common::window_exists(&app.display, "Babelfish") {
        assert!(
            std::time::Instant::now() < deadline,
            "the window did not close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.stop().await;
}

/// Right-clicks an element (WebDriver pointer actions) and returns whether the page kept the
/// browser's own menu from opening.
async fn right_click(app: &App, css: &str) -> serde_json::Value {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_RIGHT};
    app.js("window.bfMenu = null; if (!window.bfMenuWatch) { window.bfMenuWatch = true; window.addEventListener('contextmenu', (e) => { window.bfMenu = e.defaultPrevented; window.bfMenuTarget = e.target.outerHTML.slice(0, 80); }); } return true;")
        .await;
    let element = app.find(css).await;
    let actions = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_RIGHT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_RIGHT,
        });
    app.client.perform_actions(actions).await.unwrap();
    app.wait_js("window.bfMenu !== null").await;
    let prevented = app.js("return window.bfMenu;").await;
    eprintln!(
        "right-click on {css}: {} (prevented: {prevented})",
        app.js("return window.bfMenuTarget;").await
    );
    prevented
}

#[tokio::test(flavor = "multi_thread")]
async fn right_click_offers_no_reload_that_would_lose_work() {
    let app = App::start(Options::default()).await;
    open_translate(&app).await;
    let pasted = "The CAB deferred the RFC.";
    app.paste("#t-text", pasted).await;
    app.wait_css(".translate[data-state='done']").await;
    app.js("window.bfSamePage = true; return true;").await;
    // Outside text fields the browser's menu (Back, Forward, Reload) does not open.
    assert_eq!(
        right_click(&app, ".translate h2").await,
        serde_json::json!(true)
    );
    assert_eq!(
        right_click(&app, ".t-output").await,
        serde_json::json!(true)
    );
    // In a text field it does (cut, copy, paste).
    assert_eq!(right_click(&app, "#t-text").await, serde_json::json!(false));
    app.press(Key::Escape).await;
    // Ctrl+R and F5 do not reload either.
    app.click(".translate h2").await;
    app.chord(Key::Control, "r").await;
    app.press(Key::F5).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        app.js("return window.bfSamePage === true && document.getElementById('t-text').value;")
            .await,
        serde_json::json!(pasted)
    );
    app.stop().await;
}
