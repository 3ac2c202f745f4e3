//! The log file (issue 22): written in the app's local data folder from the first moment, with
//! the start-up, the glossary in use and how it is watched, and never holding pasted text, an
//! opened document (its text or its name), or a search query.

use std::path::PathBuf;

use babelfish::document::sample;

use crate::support::*;

/// Markers that must never reach the log, one for each way text comes in.
const PASTED: &str = "Pasted Zqxmarkerpaste Patient";
const IN_DOCUMENT: &str = "Zqxmarkerdocument";
const DOCUMENT_NAME: &str = "Zqxmarkerfilename";
const QUERY: &str = "zqxmarkerquery";

fn log_file(app: &App) -> PathBuf {
    app.root
        .path()
        .join("data/org.babelfish.desktop/logs/babelfish.log")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_file_has_the_start_up_and_never_pasted_opened_or_searched_text() {
    let app = App::start(Options::default()).await;

    // A search for a name.
    type_query(&app, QUERY).await;

    // Pasted text.
    open_translate(&app).await;
    translate(&app, &format!("The CAB met. {PASTED} on the ward.")).await;

    // A document whose text and name hold markers.
    let docs = tempfile::tempdir().unwrap();
    let docx = docs.path().join(format!("{DOCUMENT_NAME}-letter.docx"));
    let body = sample::docx_paragraph(&format!("The CAB approved it. Mr {IN_DOCUMENT} is well."));
    std::fs::write(&docx, sample::docx(&body, &[])).unwrap();
    app.answer_next_dialog(Some(&docx));
    app.click(".t-open").await;
    app.wait_js(&format!(
        "document.querySelector('.translate').dataset.state === 'done' && \
         document.querySelector('.t-output').textContent.includes({IN_DOCUMENT:?})"
    ))
    .await;

    // A damaged document: its error (which names the file) is shown, and logged only by code.
    let broken = docs.path().join(format!("{DOCUMENT_NAME}-damaged.docx"));
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();
    app.answer_next_dialog(Some(&broken));
    app.click(".t-open").await;
    app.wait_js(&format!(
        "document.body.textContent.includes({:?})",
        format!("{DOCUMENT_NAME}-damaged.docx")
    ))
    .await;

    let path = log_file(&app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let log = loop {
        // The watch starts once the glossary is loaded: wait for its line.
        let log = std::fs::read_to_string(&path).unwrap_or_default();
        if log.contains("unreadable") && log.contains(" watching ") {
            break log;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path:?} lacks the watch line or the document error: {log}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };

    assert!(
        log.contains(&format!(
            "INFO Babelfish {} started",
            env!("CARGO_PKG_VERSION")
        )),
        "{log}"
    );
    let glossary = app_glossary_line(&log);
    assert!(glossary.contains("entries in"), "{glossary}");
    for marker in ["Zqxmarkerpaste", IN_DOCUMENT, DOCUMENT_NAME, QUERY] {
        assert!(
            !log.to_lowercase().contains(&marker.to_lowercase()),
            "{marker} is in the log: {log}"
        );
    }
    assert!(
        log.contains("ERROR error shown in the window: unreadable: (message not logged"),
        "{log}"
    );
    // Nor in the rotated files.
    let logs = path.parent().unwrap();
    assert_no_file_holds(logs, &["Zqxmarkerpaste", IN_DOCUMENT, DOCUMENT_NAME, QUERY]);
    app.stop().await;
}

/// The line naming the glossary in use.
fn app_glossary_line(log: &str) -> &str {
    log.lines()
        .find(|l| l.contains(" INFO glossary "))
        .unwrap_or_else(|| panic!("no glossary line in {log}"))
}
