//! Creating, editing and deleting entries: validation, the author's name, review status.

use crate::support::*;

// Long: one app launch walks the whole flow (a launch costs seconds under Xvfb).
#[tokio::test(flavor = "multi_thread")]
async fn create_edit_and_delete_with_validation() {
    // No author yet: the app asks once and remembers.
    let app = App::start(Options {
        author: None,
        ..Options::default()
    })
    .await;
    let hits = app.search("xylophone quokka").await;
    assert!(hits.is_empty());
    app.wait_and_click("#empty:not([hidden]) #suggest").await;
    app.wait_css("#view[data-view='editor'] form[data-mode='create']")
        .await;
    assert_eq!(
        app.js("return document.getElementById('f-term').value;")
            .await,
        serde_json::json!("xylophone quokka")
    );
    app.find("#f-term").await.clear().await.unwrap();
    app.type_into("#f-term", "Discharge summary").await;
    app.click("#f-domain option[value='clinical']").await;

    // Save without a definition: first the name, then the core's validation next to the field.
    app.click("form.editor .save").await;
    app.wait_css("#author-dialog[open]").await;
    app.type_into("#author-name", "Dr A. Tester").await;
    app.click("#author-form button[value='ok']").await;
    app.wait_css("form.editor[data-problems]").await;
    let error = app.text("#err-definition").await;
    assert!(
        !error.is_empty(),
        "a message is shown next to the definition"
    );
    assert!(app
        .find("[data-field='definition']")
        .await
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default()
        .contains("has-error"));

    app.type_into("#f-definition", "A letter from the hospital to the GP when a patient goes home, saying what happened and what to do next.").await;
    // The message clears as soon as the field is fixed (the core re-validates while typing).
    app.wait_js("document.getElementById('err-definition').hidden")
        .await;
    app.type_into("#f-explanation", "Like the closure notes on a resolved ticket: what was wrong, what was done, what to watch.").await;
    app.click("form.editor .save").await;
    let id = "clinical/discharge-summary";
    app.wait_entry(id).await;
    let view = app.text("#view").await;
    assert!(view.contains("Last changed by Dr A. Tester"), "{view}");
    assert!(view.contains("revision 1"), "{view}");
    let file = app.glossary.join("clinical/discharge-summary.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["updated_by"], "Dr A. Tester");
    let settings = std::fs::read_to_string(
        app.root
            .path()
            .join("config/org.babelfish.desktop/settings.json"),
    )
    .unwrap();
    assert!(
        settings.contains("Dr A. Tester"),
        "the name is kept: {settings}"
    );
    // It is searchable at once.
    assert!(app
        .search("discharge summary")
        .await
        .contains(&id.to_string()));

    // Edit: an empty definition is refused with the message by the field, nothing written.
    app.click(&format!("#results [data-id='{id}']")).await;
    app.wait_entry(id).await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.find("#f-definition").await.clear().await.unwrap();
    app.click("form.editor .save").await;
    app.wait_css("form.editor[data-problems]").await;
    assert!(!app.text("#err-definition").await.is_empty());
    app.screenshot("editor-validation-error").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&file).unwrap())
            .unwrap()["revision"],
        1
    );

    // Unsaved changes are not dropped silently: leaving asks first.
    app.type_into(
        "#f-definition",
        "The letter sent to the GP when a patient is discharged.",
    )
    .await;
    app.search("CAB").await;
    app.click(&format!("#results [data-id='{CAB}']")).await;
    app.wait_css("#confirm[open]").await;
    app.click("#confirm-cancel").await;
    app.wait_js("!document.querySelector('#confirm[open]')")
        .await;
    assert_eq!(
        app.js("return document.getElementById('view').dataset.view;")
            .await,
        serde_json::json!("editor")
    );

    app.click("form.editor .save").await;
    app.wait_entry(id).await;
    let view = app.text("#view").await;
    assert!(view.contains("The letter sent to the GP"), "{view}");
    assert!(view.contains("revision 2"), "{view}");

    // Delete: the confirmation names the links that would dangle; cancelling keeps it.
    app.search("clinical governance committee").await;
    app.click(&format!("#results [data-id='{COMMITTEE}']"))
        .await;
    app.wait_entry(COMMITTEE).await;
    app.click(".entry .delete").await;
    app.wait_css("#confirm[open]").await;
    let body = app.text("#confirm-body").await;
    assert!(
        body.contains("Change Advisory Board"),
        "dangling links named: {body}"
    );
    app.click("#confirm-cancel").await;
    assert!(app
        .glossary
        .join("clinical/clinical-governance-committee.json")
        .exists());

    app.search("discharge summary").await;
    app.click(&format!("#results [data-id='{id}']")).await;
    app.wait_entry(id).await;
    app.click(".entry .delete").await;
    app.wait_css("#confirm[open]").await;
    assert!(app
        .text("#confirm-body")
        .await
        .contains("No other entry links to it"));
    app.click("#confirm-ok").await;
    app.wait_js("document.getElementById('view').dataset.view === 'welcome'")
        .await;
    assert!(!file.exists(), "the file is gone");
    assert!(!app
        .search("discharge summary")
        .await
        .contains(&id.to_string()));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enter_in_who_is_editing_saves_and_an_empty_name_is_explained() {
    let app = App::start(Options {
        author: None,
        ..Options::default()
    })
    .await;
    open_by_keyboard(&app, "exception report", "prince2/exception-report").await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.type_into("#f-example", " Edited.").await;
    // Enter in a field saves; the name is asked first.
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_css("#author-dialog[open]").await;
    assert_eq!(app.active_id().await, "author-name");

    // Esc cancels, and says so: nothing is dropped without a word.
    app.press(Key::Escape).await;
    app.wait_js("!document.querySelector('#author-dialog[open]')")
        .await;
    let error = app.text("form.editor .form-error").await;
    assert!(
        error.contains("Not saved") && error.contains("name"),
        "{error}"
    );
    assert_eq!(on_disk(&app, "prince2/exception-report")["revision"], 1);

    // Enter with no name: a message in the dialog, which stays open.
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_css("#author-dialog[open]").await;
    app.press(Key::Enter).await;
    app.wait_css("#author-error:not([hidden])").await;
    assert!(app.text("#author-error").await.contains("Enter your name"));
    assert!(
        app.js("return document.getElementById('author-dialog').open;")
            .await
            == serde_json::json!(true),
        "the dialog stays open"
    );
    assert_eq!(app.active_id().await, "author-name");

    // A name, then Enter: saved (Enter confirms, never cancels).
    app.keys("Dr A. Tester").await;
    app.press(Key::Enter).await;
    app.wait_entry("prince2/exception-report").await;
    let saved = on_disk(&app, "prince2/exception-report");
    assert_eq!(saved["revision"], 2);
    assert_eq!(saved["updated_by"], "Dr A. Tester");
    assert!(saved["example"].as_str().unwrap().ends_with("Edited."));
    let settings = std::fs::read_to_string(
        app.root
            .path()
            .join("config/org.babelfish.desktop/settings.json"),
    )
    .unwrap();
    assert!(settings.contains("Dr A. Tester"), "{settings}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewed_entry_changed_in_the_editor_is_saved_as_proposed() {
    // Issue 20: a legacy `reviewed` entry migrates to `proposed` on its next content save; its
    // editorial-check note stays (it was never a sign-off).
    let app = App::start(Options::default()).await;
    open_by_keyboard(&app, "CAB", CAB).await;
    assert_eq!(
        app.text(".entry .entry-head .review-chip").await,
        "reviewed (before sign-offs)"
    );
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    assert_eq!(
        app.js("return document.getElementById('f-status').value;")
            .await,
        serde_json::json!("reviewed")
    );
    app.type_into("#f-definition", " Changed after the review.")
        .await;
    // The form says what will happen before the save.
    app.wait_css(".status-note:not([hidden])").await;
    assert!(app.text(".status-note").await.contains("proposed again"));
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_css(&format!(
        "#view article[data-entry-id='{CAB}'] .entry-head .review-chip[data-state='proposed']"
    ))
    .await;
    let view = app.text("#view").await;
    assert!(
        view.contains("Editorial check (not a sign-off): A. Analyst"),
        "{view}"
    );
    let saved = on_disk(&app, CAB);
    assert_eq!(saved["status"], "proposed");
    assert_eq!(saved["revision"], 2);
    assert_eq!(saved["reviewed_by"], "A. Analyst");

    // The shell's save does it whatever the page sends: the handover, reviewed by
    // C. Clinician, saved with a new definition and "reviewed" unchanged.
    let answer = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const invoke = window.__TAURI__.core.invoke;\
             invoke('read_entry', { id: 'clinical/handover' }).then((stored) => {\
               const entry = { ...stored.entry, definition: stored.entry.definition + ' Edited.' };\
               return invoke('save_entry', { entry, base: { revision: entry.revision, hash: stored.hash } });\
             }).then((saved) => done(saved.status), (e) => done('error: ' + JSON.stringify(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(answer, serde_json::json!("proposed"));
    let saved = on_disk(&app, "clinical/handover");
    assert_eq!(saved["status"], "proposed");
    assert_eq!(saved["reviewed_by"], "C. Clinician");
    app.stop().await;
}

/// The editor shows a new entry's id as the core makes it (the page once had slug rules of its
/// own, which disagreed with the core's for "Façade review"), and saving gives exactly that id.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_entry_is_saved_under_the_id_the_editor_shows() {
    let app = App::start(Options::default()).await;
    app.click("#new-entry").await;
    app.wait_css("#view[data-view='editor'] form[data-mode='create']")
        .await;
    app.click("#f-domain option[value='prince2']").await;
    app.paste("#f-term", "Façade review").await;
    let expected = babelfish::model::new_entry_id("prince2", "Façade review");
    let expected_js = serde_json::to_string(&expected).unwrap();
    app.wait_js(&format!(
        "document.getElementById('f-id').textContent === {expected_js}"
    ))
    .await;
    app.type_into(
        "#f-definition",
        "A check of how a project looks from outside.",
    )
    .await;
    app.click("form.editor .save").await;
    app.wait_entry(&expected).await;
    assert!(
        app.glossary.join(format!("{expected}.json")).is_file(),
        "saved as {expected}"
    );
}
