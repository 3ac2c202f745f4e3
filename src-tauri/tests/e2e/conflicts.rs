//! Colleagues editing the same shared folder: live updates, conflicts, merges, deletions.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_colleagues_edit_shows_up_without_a_restart() {
    let app = App::start(Options::default()).await;
    assert!(app
        .search("service desk")
        .await
        .iter()
        .all(|id| id != "itil/service-desk"));
    // A colleague saves a new entry into the shared folder (temp file, then rename).
    let entry = serde_json::json!({
        "id": "itil/service-desk", "term": "Service desk", "domain": "itil",
        "abbreviations": [], "synonyms": ["help desk"],
        "definition": "The single point of contact between the IT team and the people who use its services.",
        "explanation": "Like switchboard and ward clerk in one: every request and report of a fault starts here.",
        "example": "Ring the service desk if the order comms screen freezes.",
        "mappings": [], "related": [], "false_friends": [], "source": "ITIL 4, service desk practice",
        "status": "draft", "revision": 1, "updated_at": "2026-11-24T12:00:00Z", "updated_by": "A Colleague"
    });
    let temp = app.glossary.join("itil/.service-desk.json.tmp");
    std::fs::write(&temp, serde_json::to_string_pretty(&entry).unwrap() + "\n").unwrap();
    std::fs::rename(&temp, app.glossary.join("itil/service-desk.json")).unwrap();
    app.wait_js("Number(document.body.dataset.glossaryVersion || 0) >= 1")
        .await;
    let hits = app.search("help desk").await;
    assert_eq!(
        hits.first().map(String::as_str),
        Some("itil/service-desk"),
        "{hits:?}"
    );
    app.stop().await;
}

/// Opens the exception report for editing, adds " Mine." to its example, and meanwhile saves a
/// colleague's revision 2 (a new definition) to the file. Returns the id and the file.
async fn edit_while_a_colleague_saves(app: &App) -> (&'static str, std::path::PathBuf) {
    app.search("exception report").await;
    let id = "prince2/exception-report";
    app.click(&format!("#results [data-id='{id}']")).await;
    app.wait_entry(id).await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.type_into("#f-example", " Mine.").await;

    let file = app.glossary.join("prince2/exception-report.json");
    let mut theirs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    theirs["definition"] = "Their better definition of an exception report.".into();
    theirs["revision"] = 2.into();
    theirs["updated_by"] = "A Colleague".into();
    std::fs::write(&file, serde_json::to_string_pretty(&theirs).unwrap() + "\n").unwrap();
    (id, file)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflicting_save_keeps_both_versions_and_lets_the_user_choose() {
    let app = App::start(Options::default()).await;
    let (id, file) = edit_while_a_colleague_saves(&app).await;

    // The editor says so before the user saves (the folder is watched).
    app.wait_css("form.editor .stale-notice:not([hidden])")
        .await;
    let notice = app.text("form.editor .stale-notice").await;
    assert!(
        notice.contains("A Colleague") && notice.contains("revision 2"),
        "{notice}"
    );

    app.click("form.editor .save").await;
    app.wait_css("form.editor .conflict:not([hidden])").await;
    let conflict = app.text("form.editor .conflict").await;
    assert!(conflict.contains("Their better definition"), "{conflict}");
    assert!(conflict.contains("A Colleague"), "{conflict}");
    assert!(
        conflict.contains("Mine."),
        "my version is shown too: {conflict}"
    );
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(on_disk["revision"], 2, "nothing was overwritten");

    // The user keeps theirs' revision as the base and saves their own version on top.
    app.click("form.editor .conflict .keep-mine").await;
    app.wait_entry(id).await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["revision"], 3);
    assert!(saved["example"].as_str().unwrap().ends_with("Mine."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflict_can_be_merged_field_by_field() {
    let app = App::start(Options::default()).await;
    let (id, file) = edit_while_a_colleague_saves(&app).await;
    app.wait_css("form.editor .stale-notice:not([hidden])")
        .await;

    app.click("form.editor .save").await;
    app.wait_css("form.editor .conflict:not([hidden])").await;
    app.click("form.editor .merge-fields").await;
    app.wait_css("form.editor .merge:not([hidden]) .merge-field[data-field='definition']")
        .await;
    // Theirs for the definition; mine (the default) for the example.
    app.click("#merge-definition-theirs").await;
    click_save_merged(&app).await;
    app.wait_entry(id).await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["revision"], 3);
    assert_eq!(
        saved["definition"],
        "Their better definition of an exception report."
    );
    assert!(saved["example"].as_str().unwrap().ends_with("Mine."));
    app.stop().await;
}

/// "Save merged version", scrolled to the middle of the view first: at the bottom edge the
/// editor's sticky Save bar covers it.
async fn click_save_merged(app: &App) {
    app.js("document.querySelector('form.editor .save-merged').scrollIntoView({block: 'center'})")
        .await;
    app.click("form.editor .save-merged").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merge_takes_each_field_from_whoever_changed_it_and_asks_about_clashes() {
    let app = App::start(Options::default()).await;
    // Mine: the example and the source. Theirs (revision 2): the definition and the source.
    let (id, file) = edit_while_a_colleague_saves(&app).await;
    app.type_into("#f-source", " (my source)").await;
    let mut theirs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    theirs["source"] = "Their source".into();
    std::fs::write(&file, serde_json::to_string_pretty(&theirs).unwrap() + "\n").unwrap();
    app.wait_css("form.editor .stale-notice:not([hidden])")
        .await;
    app.wait_js(
        "document.querySelector('form.editor .stale-text').textContent.includes('revision 2')",
    )
    .await;
    app.click("form.editor .save").await;
    app.wait_css("form.editor .conflict:not([hidden])").await;
    app.click("form.editor .merge-fields").await;
    app.wait_css("form.editor .merge:not([hidden]) .merge-field[data-field='source']")
        .await;
    let checked = |field: &str| {
        format!(
            "return (document.querySelector('.merge-field[data-field=\"{field}\"] input:checked') || {{value: 'none'}}).value"
        )
    };
    // The definition only they changed: theirs by default. The example only I changed: mine.
    assert_eq!(app.js(&checked("definition")).await, "theirs");
    assert_eq!(app.js(&checked("example")).await, "mine");
    // The source we both changed: a clash, nothing chosen, said so, and the focus is there.
    assert_eq!(app.js(&checked("source")).await, "none");
    let clash = app.text(".merge-field[data-field='source']").await;
    assert!(clash.contains("you both changed this"), "{clash}");
    assert_eq!(
        app.js("return document.activeElement.name").await,
        "merge-source"
    );
    app.screenshot("merge-clash").await;
    // Saving without a choice for the clash is refused, with the reason; nothing is written.
    click_save_merged(&app).await;
    app.wait_css("form.editor .merge-error:not([hidden])").await;
    let error = app.text("form.editor .merge-error").await;
    assert!(
        error.contains("Source") && error.contains("A Colleague"),
        "{error}"
    );
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(on_disk["revision"], 2, "nothing was written");
    // Choose theirs for the source from the keyboard (the focus is on the clash), then save.
    app.type_into("#merge-source-theirs", " ").await;
    assert_eq!(app.js(&checked("source")).await, "theirs");
    click_save_merged(&app).await;
    app.wait_entry(id).await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["revision"], 3);
    assert_eq!(
        saved["definition"],
        "Their better definition of an exception report."
    );
    assert_eq!(saved["source"], "Their source");
    assert!(saved["example"].as_str().unwrap().ends_with("Mine."));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_colleague_deleting_the_entry_being_edited_is_named_and_it_can_be_saved_again() {
    let app = App::start(Options::default()).await;
    let id = "prince2/exception-report";
    open_by_keyboard(&app, "exception report", id).await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.type_into("#f-example", " Mine.").await;
    let file = app.glossary.join("prince2/exception-report.json");
    std::fs::remove_file(&file).unwrap();
    app.wait_css("form.editor .stale-notice:not([hidden])")
        .await;
    let notice = app.text("form.editor .stale-notice").await;
    assert!(
        notice.contains("deleted this entry while you were editing it"),
        "{notice}"
    );
    assert!(!notice.contains("(deleted)"), "{notice}");
    let again = app
        .wait_css("form.editor .stale-notice .save-as-new:not([hidden])")
        .await;
    assert!(app
        .text("form.editor .stale-notice .save-as-new")
        .await
        .contains("Save it again as a new entry"));
    app.screenshot("deleted-while-editing").await;
    again.click().await.unwrap();
    app.wait_entry(id).await;
    let saved = on_disk(&app, id);
    assert_eq!(saved["revision"], 1, "saved again as a new entry");
    assert!(saved["example"].as_str().unwrap().ends_with("Mine."));
    assert_eq!(saved["updated_by"], "Test Author");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_polled_folder_says_so_and_still_brings_colleagues_edits() {
    let app = App::start(Options {
        env: vec![("BABELFISH_WATCH", "poll")],
        ..Options::default()
    })
    .await;
    app.wait_css("#watch-mode:not([hidden])").await;
    assert_eq!(
        app.text("#watch-mode").await,
        "Watching by polling every 2 s (network folder)"
    );
    // A colleague changes an entry through another mount: the poll finds it.
    let file = app.glossary.join(format!("{CAB}.json"));
    let mut theirs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    theirs["synonyms"] = serde_json::json!(["release approval panel"]);
    theirs["revision"] = (theirs["revision"].as_u64().unwrap() + 1).into();
    let temp = app.glossary.join("itil/.cab.json.tmp");
    std::fs::write(&temp, serde_json::to_string_pretty(&theirs).unwrap() + "\n").unwrap();
    std::fs::rename(&temp, &file).unwrap();
    app.wait_js("Number(document.body.dataset.glossaryVersion || 0) >= 1")
        .await;
    let hits = app.search("release approval panel").await;
    assert_eq!(hits.first().map(String::as_str), Some(CAB), "{hits:?}");

    // Only the files the poll named are read again: a new entry and then its removal arrive.
    let mut new_entry = theirs.clone();
    new_entry["id"] = "itil/quorate-panel".into();
    new_entry["term"] = "Quorate panel".into();
    new_entry["synonyms"] = serde_json::json!([]);
    new_entry["abbreviations"] = serde_json::json!([]);
    new_entry["mappings"] = serde_json::json!([]);
    new_entry["related"] = serde_json::json!([]);
    new_entry["false_friends"] = serde_json::json!([]);
    let added = app.glossary.join("itil/quorate-panel.json");
    std::fs::write(
        &temp,
        serde_json::to_string_pretty(&new_entry).unwrap() + "\n",
    )
    .unwrap();
    std::fs::rename(&temp, &added).unwrap();
    app.wait_js("Number(document.body.dataset.glossaryVersion || 0) >= 2")
        .await;
    let hits = app.search("quorate panel").await;
    assert_eq!(
        hits.first().map(String::as_str),
        Some("itil/quorate-panel"),
        "{hits:?}"
    );
    std::fs::remove_file(&added).unwrap();
    app.wait_js("Number(document.body.dataset.glossaryVersion || 0) >= 3")
        .await;
    let hits = app.search("quorate panel").await;
    assert!(hits.iter().all(|id| id != "itil/quorate-panel"), "{hits:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_folder_shows_no_polling_note() {
    let app = App::start(Options {
        env: vec![("BABELFISH_WATCH", "events")],
        ..Options::default()
    })
    .await;
    assert_eq!(
        app.js("return document.getElementById('watch-mode').hidden")
            .await,
        true
    );
    assert_eq!(
        app.js("return document.getElementById('folder-warning').hidden")
            .await,
        true,
        "a folder outside any sync service gets no warning"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_inside_onedrive_says_what_that_means_for_conflicts() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("OneDrive - NHS Trust").join("glossary");
    copy_dir(&fixtures().join("glossary"), &folder);
    let app = App::start(Options {
        glossary_dir: Some(folder),
        ..Options::default()
    })
    .await;
    app.wait_css("#folder-warning:not([hidden])").await;
    let warning = app.text("#folder-warning").await;
    assert!(warning.contains("inside OneDrive"), "{warning}");
    assert!(warning.contains("network drive or git"), "{warning}");
    app.stop().await;
}
