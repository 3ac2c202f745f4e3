//! Two-sided sign-off (issue 20) in the real window: reviewers named in Settings sign an entry
//! off from each side, an edit makes their sign-offs stale, "Request changes" asks for a note,
//! the review queue per side, the status filter, and what a person without a side is told.

use crate::support::*;
use serde_json::{json, Value};

/// Gives the reviewer's name and side in Settings through the form, as a person would.
async fn set_reviewer(app: &App, name: &str, side: &str) {
    app.click("#open-settings").await;
    app.wait_css("#view[data-view='settings'] #s-author").await;
    let author = app.find("#s-author").await;
    author.clear().await.unwrap();
    author.send_keys(name).await.unwrap();
    app.click(&format!("input[name='s-review-side'][value='{side}']"))
        .await;
    app.click(".settings button[type='submit']").await;
    let note = app
        .wait_js("document.querySelector('.saved-note').textContent")
        .await;
    assert_eq!(note, json!("Saved."), "settings saved");
}

/// The text of the entry view's status chip, once it shows `state`.
async fn chip_once(app: &App, state: &str) -> String {
    app.wait_css(&format!(
        "#view article.entry .entry-head .review-chip[data-state='{state}']"
    ))
    .await
    .text()
    .await
    .unwrap()
}

/// The sign-offs stored in an entry's file (none when the field is absent).
fn stored_reviews(app: &App, id: &str) -> Vec<Value> {
    match on_disk(app, id).get("reviews") {
        Some(Value::Array(reviews)) => reviews.clone(),
        None | Some(Value::Null) => Vec::new(),
        Some(other) => panic!("reviews is not an array: {other}"),
    }
}

/// Waits until the review queue for `side` ("both" for either) has loaded.
async fn wait_queue(app: &App, side: &str) {
    app.wait_css(&format!(
        "#view[data-view='review'] .review-queue[data-loaded='{side}']"
    ))
    .await;
}

/// The entry ids the review queue lists.
async fn queue_ids(app: &App) -> Vec<String> {
    serde_json::from_value(
        app.js("return [...document.querySelectorAll('.review-queue .queue-items li')].map(li => li.dataset.id);")
            .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn both_sides_sign_off_then_an_edit_makes_the_sign_offs_stale() {
    let app = App::start(Options::default()).await;

    // The informatics reviewer signs off first: still awaiting the clinical side.
    set_reviewer(&app, "Ian Informatics", "informatics").await;
    open_by_keyboard(&app, "change advisory board", CAB).await;
    assert_eq!(
        chip_once(&app, "reviewed-before-sign-offs").await,
        "reviewed (before sign-offs)"
    );
    app.click(".review-actions .sign-off-approve").await;
    app.wait_css(".sign-off-history li[data-by='Ian Informatics'][data-side='informatics']")
        .await;
    assert_eq!(chip_once(&app, "proposed").await, "proposed");
    assert_eq!(
        app.text("#view .entry-head .review-awaiting").await,
        "awaiting sign-off (clinical)"
    );
    let summary = app.text(".review-panel .review-summary").await;
    assert!(
        summary.contains("Awaiting sign-off from the clinical side"),
        "{summary}"
    );
    let file = on_disk(&app, CAB);
    assert_eq!(file["status"], "proposed");
    assert_eq!(file["revision"], 1, "a sign-off is not a content change");
    assert_eq!(stored_reviews(&app, CAB).len(), 1);

    // The queue for a side lists what awaits that side: not the informatics one any more, but
    // the clinical one; an item opens from the keyboard.
    app.click("#open-review").await;
    wait_queue(&app, "informatics").await;
    let informatics = queue_ids(&app).await;
    assert!(!informatics.contains(&CAB.to_string()), "{informatics:?}");
    assert!(
        informatics.contains(&"clinical/handover".to_string()),
        "{informatics:?}"
    );
    app.click(".queue-sides button[data-side='clinical']").await;
    wait_queue(&app, "clinical").await;
    let clinical = queue_ids(&app).await;
    assert!(clinical.contains(&CAB.to_string()), "{clinical:?}");
    assert!(
        !clinical.iter().any(|id| id == "prince2/handover"),
        "a draft awaits no one: {clinical:?}"
    );
    let focused_item = "document.activeElement?.closest('.queue-items li')?.dataset.id ?? ''";
    for _ in 0..12 {
        if app.js(&format!("return {focused_item};")).await == json!(CAB) {
            break;
        }
        app.press(Key::Tab).await;
    }
    assert_eq!(app.js(&format!("return {focused_item};")).await, json!(CAB));
    app.press(Key::Enter).await;
    app.wait_entry(CAB).await;

    // A clinician, a different person, completes the rule: approved, both in the history.
    set_reviewer(&app, "Dr Clare Clinical", "clinical").await;
    open_by_keyboard(&app, "change advisory board", CAB).await;
    app.click(".review-actions .sign-off-approve").await;
    assert_eq!(chip_once(&app, "approved").await, "approved");
    assert_eq!(
        app.js("return document.querySelectorAll('#view .review-awaiting').length;")
            .await,
        json!(0)
    );
    let history = app.text(".sign-off-history").await;
    assert!(
        history.contains("Ian Informatics (informatics)")
            && history.contains("Dr Clare Clinical (clinical)"),
        "{history}"
    );
    assert!(history.contains("approved revision 1"), "{history}");
    assert!(!history.contains("stale"), "{history}");
    let file = on_disk(&app, CAB);
    assert_eq!(file["status"], "approved");
    assert_eq!(file["revision"], 1);
    let reviews = stored_reviews(&app, CAB);
    let sides: Vec<(&str, &str, &str)> = reviews
        .iter()
        .map(|r| {
            (
                r["side"].as_str().unwrap(),
                r["by"].as_str().unwrap(),
                r["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sides,
        [
            ("informatics", "Ian Informatics", "approve"),
            ("clinical", "Dr Clare Clinical", "approve")
        ]
    );
    // The result list shows the status too.
    type_query(&app, "CAB").await;
    app.wait_css(&format!(
        "#results [data-id='{CAB}'] .review-chip[data-state='approved']"
    ))
    .await;
    app.screenshot("review-approved").await;

    // Editing the approved entry makes it proposed; the sign-offs stay, marked stale.
    app.press(Key::Enter).await;
    app.wait_entry(CAB).await;
    app.click("#view .entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.type_into("#f-definition", " Also called the change board.")
        .await;
    app.click("form.editor .save").await;
    app.wait_entry(CAB).await;
    assert_eq!(
        chip_once(&app, "stale-sign-offs").await,
        "proposed (stale sign-offs)"
    );
    let stale = app
        .js("return [...document.querySelectorAll('.sign-off-history li')].map(li => li.dataset.stale);")
        .await;
    assert_eq!(stale, json!(["true", "true"]));
    let history = app.text(".sign-off-history").await;
    assert!(
        history.contains("approved revision 1") && history.contains("stale"),
        "{history}"
    );
    let file = on_disk(&app, CAB);
    assert_eq!(file["status"], "proposed");
    assert_eq!(file["revision"], 2);
    assert_eq!(file["updated_by"], "Dr Clare Clinical");
    assert_eq!(
        stored_reviews(&app, CAB).len(),
        2,
        "stale sign-offs are kept"
    );

    // Whoever made the current revision cannot sign it off: the message names the rule.
    app.click(".review-actions .sign-off-approve").await;
    let message = app
        .wait_js("document.querySelector('.review-actions .review-message').textContent")
        .await;
    let message = message.as_str().unwrap();
    assert!(
        message.contains("Dr Clare Clinical made revision 2")
            && message.contains("neither reviewer made the current revision"),
        "{message}"
    );
    assert_eq!(stored_reviews(&app, CAB).len(), 2);
    assert_eq!(on_disk(&app, CAB)["status"], "proposed");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn request_changes_asks_for_a_note_shown_as_text_and_queues_the_entry() {
    let app = App::start(Options::default()).await;
    set_reviewer(&app, "Ian Informatics", "informatics").await;
    open_by_keyboard(&app, "change advisory board", CAB).await;

    // Esc cancels: nothing written.
    app.click(".review-actions .sign-off-request").await;
    app.wait_css("dialog.review-note-dialog[open]").await;
    assert_eq!(app.active_id().await, "review-note");
    app.press(Key::Escape).await;
    app.wait_js("!document.querySelector('dialog.review-note-dialog')")
        .await;
    assert!(stored_reviews(&app, CAB).is_empty());

    // Enter with no note is answered in the dialog, which stays open.
    app.click(".review-actions .sign-off-request").await;
    app.wait_css("dialog.review-note-dialog[open]").await;
    app.press(Key::Enter).await;
    app.wait_css("#review-note-error:not([hidden])").await;
    assert!(app
        .text("#review-note-error")
        .await
        .contains("what should change"));
    assert!(stored_reviews(&app, CAB).is_empty());

    // Enter with a note sends it; markup in it stays text.
    let note = "Say what a CAB is not. <img src=x onerror=\"document.title='pwned'\">";
    app.type_into("#review-note", note).await;
    app.wait_js("document.getElementById('review-note-error').hidden")
        .await;
    app.screenshot("review-note-dialog").await;
    app.press(Key::Enter).await;
    assert_eq!(
        chip_once(&app, "changes-requested").await,
        "changes requested"
    );
    app.wait_js("!document.querySelector('dialog.review-note-dialog')")
        .await;
    let shown = app
        .text(".sign-off-history li[data-by='Ian Informatics'] .note")
        .await;
    assert_eq!(shown, note);
    assert_eq!(
        app.js("return document.querySelectorAll('.review-panel img, dialog img').length;")
            .await,
        json!(0)
    );
    assert!(!app
        .js("return document.title;")
        .await
        .as_str()
        .unwrap()
        .contains("pwned"));
    let reviews = stored_reviews(&app, CAB);
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["decision"], "request-changes");
    assert_eq!(reviews[0]["note"], note);
    assert_eq!(on_disk(&app, CAB)["status"], "proposed");
    app.js("document.querySelector('.review-panel').scrollIntoView(); return true;")
        .await;
    app.screenshot("review-changes-requested").await;

    // The other side's queue lists it, marked "changes requested".
    app.click("#open-review").await;
    wait_queue(&app, "informatics").await;
    app.click(".queue-sides button[data-side='clinical']").await;
    wait_queue(&app, "clinical").await;
    let item = app
        .text(&format!(".queue-items li[data-id='{CAB}'] .review-chip"))
        .await;
    assert_eq!(item, "changes requested");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_side_the_buttons_say_how_and_the_status_filter_narrows_search() {
    // Test Author has a name but no side yet.
    let app = App::start(Options::default()).await;
    open_by_keyboard(&app, "change advisory board", CAB).await;
    let summary = app.text(".review-panel .review-summary").await;
    assert!(
        summary.contains("Awaiting sign-off") && summary.contains("No one has signed"),
        "{summary}"
    );
    // Said at the top of the entry too, next to its status.
    assert_eq!(
        app.text("#view .entry-head .review-awaiting").await,
        "awaiting sign-off (clinical and informatics)"
    );
    app.click(".review-actions .sign-off-approve").await;
    let message = app
        .wait_js("document.querySelector('.review-actions .review-message').textContent")
        .await;
    assert!(
        message
            .as_str()
            .unwrap()
            .contains("side you sign for in Settings"),
        "{message}"
    );
    app.js(
        "document.querySelector('.review-actions .review-message').textContent = ''; return true;",
    )
    .await;
    app.click(".review-actions .sign-off-request").await;
    app.wait_js("document.querySelector('.review-actions .review-message').textContent")
        .await;
    assert_eq!(
        app.js("return document.querySelectorAll('dialog.review-note-dialog').length;")
            .await,
        json!(0),
        "no note is asked for when it could not be sent"
    );
    assert!(stored_reviews(&app, CAB).is_empty());

    // The status filter narrows the results; each result carries its status chip.
    type_query(&app, "handover").await;
    let both = app.hit_ids().await;
    assert!(
        both.contains(&"clinical/handover".to_string())
            && both.contains(&"prince2/handover".to_string()),
        "{both:?}"
    );
    let hits_are = |ids: &str| {
        format!(
            "JSON.stringify([...document.querySelectorAll('#results [role=option]')].map(o => o.dataset.id)) === '{ids}'"
        )
    };
    app.click("#status-filter option[value='draft']").await;
    app.wait_js(&hits_are(r#"["prince2/handover"]"#)).await;
    app.wait_css("#results [data-id='prince2/handover'] .review-chip[data-state='draft']")
        .await;
    app.click("#status-filter option[value='reviewed']").await;
    app.wait_js(&hits_are(r#"["clinical/handover"]"#)).await;
    app.click("#status-filter option[value='approved']").await;
    app.wait_js(&hits_are("[]")).await;
    app.click("#status-filter option[value='']").await;
    app.wait_js(&format!(
        "document.querySelectorAll('#results [role=option]').length === {}",
        both.len()
    ))
    .await;

    // Help says honestly what review the built-in glossary has had.
    app.click("#open-help").await;
    app.wait_css("#view[data-view='help']").await;
    let help = app.text("#view .h-bundled").await;
    assert!(
        help.contains("No clinician or informatics colleague has signed")
            && help.contains("awaiting sign-off"),
        "{help}"
    );
    app.stop().await;
}
