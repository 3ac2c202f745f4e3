//! A read-only entry file (issue 22): the save is refused with a message naming the file and
//! saying it is read-only, nothing is written, and the edit stays in the form to save again
//! once the file is writable.

use crate::support::*;

const ID: &str = "prince2/exception-report";

fn set_readonly(path: &std::path::Path, readonly: bool) {
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    perms.set_readonly(readonly);
    std::fs::set_permissions(path, perms).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_entry_file_is_named_and_the_edit_is_kept() {
    let app = App::start(Options::default()).await;
    let file = app.glossary.join(format!("{ID}.json"));
    let before = std::fs::read(&file).unwrap();
    set_readonly(&file, true);

    open_by_keyboard(&app, "exception report", ID).await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor[data-mode='edit']").await;
    app.type_into("#f-example", " Kept.").await;
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_css("form.editor .form-error:not([hidden])").await;
    let error = app.text("form.editor .form-error").await;
    assert!(error.contains(&file.display().to_string()), "{error}");
    assert!(error.contains("read-only"), "{error}");
    assert!(!error.contains("os error"), "{error}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing was written");
    let staged = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(staged, 0, "no temporary file was left beside it");
    let example = app
        .js("return document.getElementById('f-example').value;")
        .await;
    assert!(
        example.as_str().unwrap().ends_with(" Kept."),
        "the edit stays in the form: {example}"
    );

    // Writable again: the same form saves.
    set_readonly(&file, false);
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_entry(ID).await;
    assert!(on_disk(&app, ID)["example"]
        .as_str()
        .unwrap()
        .ends_with(" Kept."));
    app.stop().await;
}
