//! Searching as you type: results, filters, the keyboard, and what a result says about its translation.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn search_and_open_an_entry() {
    let app = App::start(Options::default()).await;
    assert!(app.client.title().await.unwrap().contains("Babelfish"));
    assert_eq!(
        app.active_id().await,
        "q",
        "the search box has focus at start"
    );

    let hits = app.search("CAB").await;
    assert_eq!(hits.first().map(String::as_str), Some(CAB), "{hits:?}");
    let first = app.text("#results [role=option]:first-child").await;
    assert!(first.contains("Change Advisory Board"), "{first}");
    assert!(first.contains("ITIL 4"), "vocabulary badge: {first}");
    assert!(
        first.contains("Clinical governance committee"),
        "translation: {first}"
    );
    assert!(first.contains("close"), "closeness: {first}");

    // A description finds it too, and the results are a listbox of options.
    let hits = app.search("change board").await;
    assert!(hits.contains(&CAB.to_string()), "{hits:?}");
    assert_eq!(
        app.find("#results")
            .await
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("listbox")
    );
    app.search("CAB").await;
    app.screenshot("search-results").await;

    app.click(&format!("#results [data-id='{CAB}']")).await;
    app.wait_entry(CAB).await;
    let view = app.text("#view").await;
    for expected in [
        "Change Advisory Board",
        "CAB",
        "A group that reviews proposed changes",
        "Think of the panel",
        "The CAB deferred the EPR upgrade",
        "Clinical governance committee",
        "ITIL 4, change enablement practice",
        "Editorial check (not a sign-off): A. Analyst",
        "Babelfish test fixtures",
    ] {
        assert!(
            view.contains(expected),
            "entry view lacks {expected:?}:\n{view}"
        );
    }
    assert!(app.client.title().await.unwrap().contains("Babelfish"));
    app.screenshot("entry-view").await;

    // Filter chips: only clinical entries.
    app.click("#filters [data-domain='clinical']").await;
    app.wait_js("document.querySelector(\"#filters [data-domain='clinical']\").getAttribute('aria-pressed') === 'true'").await;
    let q = serde_json::to_string("incident").unwrap();
    app.find("#q").await.clear().await.unwrap();
    app.type_into("#q", "incident").await;
    app.wait_js(&format!("document.getElementById('results').dataset.renderedQuery === {q} && !document.querySelector(\"#results [data-id='itil/incident']\")")).await;
    let hits = app.hit_ids().await;
    assert!(hits.iter().all(|h| h.starts_with("clinical/")), "{hits:?}");
    app.click("#filters [data-domain='clinical']").await;
    app.wait_js("document.querySelector(\"#results [data-id='itil/incident']\")")
        .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_only() {
    let app = App::start(Options::default()).await;
    assert_eq!(app.active_id().await, "q");
    app.keys("incident").await;
    app.wait_rendered("incident").await;
    let hits = app.hit_ids().await;
    assert!(hits.len() >= 2, "{hits:?}");

    // Arrow keys move through the listbox; the box keeps focus (aria-activedescendant).
    app.press_keys(&[Key::Down, Key::Down]).await;
    let active = app
        .js("return document.getElementById('q').getAttribute('aria-activedescendant');")
        .await;
    assert_eq!(active, serde_json::json!("opt-1"));
    assert_eq!(
        app.js("return document.getElementById('opt-1').getAttribute('aria-selected');")
            .await,
        serde_json::json!("true")
    );
    app.press(Key::Enter).await;
    app.wait_entry(&hits[1]).await;

    // Ctrl+K returns to the box; Esc clears it.
    app.chord(Key::Control, "k").await;
    app.wait_js("document.activeElement.id === 'q'").await;
    app.press(Key::Escape).await;
    app.wait_rendered("").await;
    assert_eq!(
        app.js("return document.getElementById('q').value;").await,
        serde_json::json!("")
    );

    // Type, Enter opens the best match, Tab reaches a mapping, Enter follows it.
    app.keys("CAB").await;
    app.wait_rendered("CAB").await;
    app.press(Key::Enter).await;
    app.wait_entry(CAB).await;
    let mut reached = false;
    for _ in 0..12 {
        app.press(Key::Tab).await;
        let id = app.js("return document.activeElement.dataset ? (document.activeElement.dataset.id || '') : '';").await;
        if id == serde_json::json!(COMMITTEE) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the mapping link");
    let focus_visible = app
        .js("const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;")
        .await;
    assert_eq!(focus_visible, serde_json::json!(true), "focus is visible");
    app.press(Key::Enter).await;
    app.wait_entry(COMMITTEE).await;

    // Alt+Left and Alt+Right walk the history.
    app.chord(Key::Alt, Key::Left).await;
    app.wait_entry(CAB).await;
    app.chord(Key::Alt, Key::Right).await;
    app.wait_entry(COMMITTEE).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enter_on_no_results_opens_nothing_and_an_untouched_draft_is_not_unsaved() {
    let app = App::start(Options::default()).await;
    // A reflexive Enter on a search with no results opens no form.
    type_query(&app, "xylophone quokka").await;
    assert!(app.hit_ids().await.is_empty());
    app.press(Key::Enter).await;
    app.wait_js(
        "document.getElementById('results-status').textContent.includes('Suggest this term')",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.js("return document.getElementById('view').dataset.view;")
            .await,
        serde_json::json!("welcome"),
        "Enter opened something"
    );
    assert_eq!(app.active_id().await, "q", "the focus stays in the box");
    // The next look-up goes straight through: no "Discard unsaved changes?".
    type_query(&app, "CAB").await;
    app.press(Key::Enter).await;
    app.wait_entry(CAB).await;
    assert_eq!(
        app.js("return Boolean(document.querySelector('dialog[open]'));")
            .await,
        serde_json::json!(false)
    );

    // Suggesting is a deliberate choice: the visible button.
    type_query(&app, "xylophone quokka").await;
    app.wait_and_click("#empty:not([hidden]) #suggest").await;
    app.wait_css("form.editor[data-mode='create']").await;
    assert_eq!(
        app.js("return document.getElementById('f-term').value;")
            .await,
        serde_json::json!("xylophone quokka")
    );
    assert_eq!(app.text(".dirty-note").await, "");
    // Left untouched, it is not unsaved work: the next look-up asks nothing.
    open_by_keyboard(&app, "CAB", CAB).await;
    assert_eq!(
        app.js("return Boolean(document.querySelector('dialog[open]'));")
            .await,
        serde_json::json!(false)
    );
    // The same for "New entry".
    app.click("#new-entry").await;
    app.wait_css("form.editor[data-mode='create']").await;
    open_by_keyboard(&app, "request for change", "itil/request-for-change").await;
    // Once something is typed into it, leaving does ask.
    app.click("#new-entry").await;
    app.wait_css("form.editor[data-mode='create']").await;
    app.keys("Half a term").await;
    type_query(&app, "CAB").await;
    app.press(Key::Enter).await;
    app.wait_css("#confirm[open]").await;
    assert!(app.text("#confirm-title").await.contains("Discard"));
    app.press(Key::Enter).await; // the safe choice has focus: keep editing
    app.wait_js("!document.querySelector('#confirm[open]')")
        .await;
    assert_eq!(
        app.js("return document.getElementById('f-term').value;")
            .await,
        serde_json::json!("Half a term")
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_equivalent_is_shown_as_the_translation_of_a_result() {
    let app = App::start(Options::default()).await;
    // "close" is a translation, labelled with its closeness.
    type_query(&app, "CAB").await;
    let line = app
        .text(&format!("#results [data-id='{CAB}'] .hit-translation"))
        .await;
    assert!(
        line.contains("≈ close: Clinical governance committee"),
        "{line}"
    );
    // "only related" is not: the exception report's escalation is a loose analogy.
    type_query(&app, "exception report").await;
    let line = app
        .text("#results [data-id='prince2/exception-report'] .hit-translation")
        .await;
    assert!(!line.contains("Escalation"), "{line}");
    assert!(line.contains("No direct equivalent"), "{line}");
    app.screenshot("search-results-loose").await;

    // In the entry, it is under "See also / loosely related", not "On the other side".
    app.press(Key::Enter).await;
    app.wait_entry("prince2/exception-report").await;
    let mappings = app.text(".entry .mappings").await;
    assert!(!mappings.contains("Escalation"), "{mappings}");
    assert!(mappings.contains("No direct equivalent"), "{mappings}");
    let see_also = app.text(".entry .related").await;
    assert!(
        see_also
            .to_lowercase()
            .contains("see also / loosely related"),
        "{see_also}"
    );
    assert!(see_also.contains("Escalation"), "{see_also}");
    assert!(see_also.contains("only related"), "{see_also}");

    // Nor in Translate's pop-up: a loose analogy is named as one, not as "On the other side".
    open_translate(&app).await;
    translate(
        &app,
        "The exception report goes to the board; the CAB meets on Tuesday.",
    )
    .await;
    app.click(".t-output mark[data-id='prince2/exception-report']")
        .await;
    app.wait_css(".t-pop:not([hidden])").await;
    let pop = app.text(".t-pop-counterpart").await;
    assert!(
        pop.starts_with("No direct equivalent; loosely related: Escalation"),
        "{pop}"
    );
    app.press(Key::Escape).await;
    app.click(&format!(".t-output mark[data-id='{CAB}']")).await;
    app.wait_js(&format!(
        "document.querySelector('.t-pop').dataset.id === '{CAB}'"
    ))
    .await;
    let pop = app.text(".t-pop-counterpart").await;
    assert!(
        pop.starts_with("On the other side: Clinical governance committee (close)"),
        "{pop}"
    );
    app.stop().await;
}
