//! Documents in the window (issue 17): a .docx (zipped by the `zip` crate) and a PDF (written by
//! lopdf), made in the test through the core's `document::sample`, opened through the open
//! dialog, highlighted and turned into a crib sheet; and the information-governance check for
//! documents. A document dropped on the window takes the same read path (`open_text_file`) after
//! Tauri's drop event; a real OS drag and drop cannot be driven under Xvfb, so the drop itself
//! is covered by the unit tests of `DroppedFiles` only.

use std::path::{Path, PathBuf};

use babelfish::document::sample;

use crate::support::*;

/// A board paper as a .docx: a heading, two paragraphs and a table.
fn board_paper_docx(extra: &str) -> Vec<u8> {
    let body = format!(
        "{}{}{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        sample::docx_paragraph("Digital Programme Board"),
        sample::docx_paragraph("The CAB approved the RFC on Tuesday."),
        sample::docx_paragraph(extra),
        sample::docx_paragraph("Risk"),
        sample::docx_paragraph("The PM will raise an exception report."),
    );
    sample::docx(&body, &[])
}

/// The same kind of paper as a PDF, a term split across a line end.
fn board_paper_pdf(extra: &str) -> Vec<u8> {
    sample::pdf(&[
        vec![
            "Site flow huddle".to_string(),
            "The change advisory".to_string(),
            "board met and approved the RFC.".to_string(),
        ],
        vec![
            extra.to_string(),
            "An exception report follows.".to_string(),
        ],
    ])
}

/// Writes `bytes` as `name` in `dir`.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Opens `path` through the (answered) open dialog and waits for its highlights.
async fn open_document(app: &App, path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    app.answer_next_dialog(Some(path));
    app.click(".t-open").await;
    app.wait_js(&format!(
        "document.querySelector('.translate').dataset.state === 'done' && \
         document.querySelector('.t-file').textContent.includes({name:?})"
    ))
    .await;
}

/// The highlights shown: (text, entry id).
async fn marks(app: &App) -> Vec<(String, String)> {
    serde_json::from_value(
        app.js("return [...document.querySelectorAll('.t-output mark.jargon')].map(m => [m.textContent, m.dataset.id]);")
            .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_docx_and_a_pdf_open_highlighted_and_give_a_crib_sheet() {
    let app = App::start(Options::default()).await;
    open_translate(&app).await;
    let docs = tempfile::tempdir().unwrap();

    let docx = write(
        docs.path(),
        "board-paper.docx",
        &board_paper_docx("Owner: Ms Example."),
    );
    open_document(&app, &docx).await;
    let found = marks(&app).await;
    for expected in [
        ("CAB", CAB),
        ("RFC", "itil/request-for-change"),
        ("exception report", "prince2/exception-report"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {found:?}"
        );
    }
    // The document's text (table included) is what the page shows, not the XML.
    let shown = app.text(".t-output").await;
    assert!(shown.contains("Digital Programme Board"), "{shown}");
    assert!(shown.contains("exception report"), "{shown}");
    assert!(!shown.contains("<w:"), "{shown}");

    // Its crib sheet, saved through the save dialog: the terms, not the document's text.
    let crib = docs.path().join("crib.md");
    app.answer_next_dialog(Some(&crib));
    app.click(".t-save-md").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('Crib sheet saved')")
        .await;
    let md = std::fs::read_to_string(&crib).unwrap();
    assert!(md.contains("Change Advisory Board (CAB)"), "{md}");
    assert!(md.contains("Exception report"), "{md}");
    assert!(
        !md.contains("Tuesday") && !md.contains("Ms Example"),
        "{md}"
    );

    // A PDF: a term split across a line end is still found, in the right place.
    let pdf = write(
        docs.path(),
        "huddle.pdf",
        &board_paper_pdf("Owner: Ms Example."),
    );
    open_document(&app, &pdf).await;
    let found = marks(&app).await;
    let cab = found
        .iter()
        .find(|(_, id)| id == CAB)
        .unwrap_or_else(|| panic!("the split term was not found: {found:?}"));
    assert!(
        cab.0.starts_with("change advisory") && cab.0.ends_with("board"),
        "{cab:?}"
    );
    assert!(found.iter().any(|(_, id)| id == "prince2/exception-report"));
    let html = docs.path().join("crib.html");
    app.answer_next_dialog(Some(&html));
    app.click(".t-save-html").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('crib.html')")
        .await;
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<dt>Change Advisory Board"), "{page}");
    assert!(!page.contains("Site flow huddle"), "{page}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_documents_leaves_nothing_on_disk() {
    let app = App::start(Options::default()).await;
    let root = app.root.path().to_path_buf();
    // The app's config, data and cache folders and the glossary must not change at all.
    let watched = [
        root.join("config/org.babelfish.desktop"),
        root.join("data/org.babelfish.desktop"),
        root.join("cache/org.babelfish.desktop"),
        app.glossary.clone(),
    ];
    let everything = [root.join("config"), root.join("data"), root.join("cache")];
    let before_everything = crate::common::snapshot(&everything);
    open_translate(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = crate::common::snapshot(&watched);

    // The documents live outside the app's folders (a PDF's text is stored uncompressed).
    let marker = "Zebedee Quintrell-Marchbanks";
    let patient = format!("Mr {marker}, NHS number 943 476 5919, bed 12.");
    let docs = tempfile::tempdir().unwrap();
    let docx = write(docs.path(), "patient.docx", &board_paper_docx(&patient));
    let pdf = write(docs.path(), "patient.pdf", &board_paper_pdf(&patient));
    for path in [&docx, &pdf] {
        open_document(&app, path).await;
        assert!(app.text(".t-output").await.contains(marker));
        app.click(&format!(".t-output mark[data-id='{CAB}']")).await;
        app.wait_css(".t-pop:not([hidden])").await;
        app.click(".t-pop-close").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;

    let after = crate::common::snapshot(&watched);
    let changed: Vec<_> = after
        .iter()
        .filter(|(path, meta)| before.get(*path) != Some(*meta))
        .map(|(path, _)| path.clone())
        .collect();
    assert!(
        changed.is_empty(),
        "opening documents wrote to the app's folders: {changed:#?}"
    );
    // Elsewhere only Mesa's shader cache may change (compiled shaders; the scan below proves
    // it holds no text).
    let elsewhere: Vec<_> = crate::common::snapshot(&everything)
        .into_iter()
        .filter(|(path, meta)| before_everything.get(path) != Some(meta))
        .map(|(path, _)| path)
        .filter(|path| !path.starts_with(root.join("cache/mesa_shader_cache")))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "opening documents wrote: {elsewhere:#?}"
    );
    app.stop().await;
    // Nothing in the test's folders (app data, config, cache, glossary) holds the text, even
    // after the app exits.
    for needle in [
        marker,
        "943 476 5919",
        "Site flow huddle",
        "Digital Programme Board",
    ] {
        let found = crate::common::files_containing(&root, needle);
        assert!(found.is_empty(), "{needle:?} found in {found:?}");
    }
}
