//! CSV import with a preview, and export.

use crate::support::*;

// Long: one app launch walks the whole flow (a launch costs seconds under Xvfb).
#[tokio::test(flavor = "multi_thread")]
async fn import_a_csv_with_a_preview_then_search_the_new_entry() {
    let app = App::start(Options::default()).await;
    let root = app.root.path().to_path_buf();
    // As a spreadsheet saves it: its own headers, a BOM, CRLF, quoted commas.
    let bad = root.join("terms.csv");
    std::fs::write(
        &bad,
        "\u{feff}Term,Vocabulary,Meaning,Abbreviations\r\n\
         Ward round,clinical,\"The daily visit of the team to each patient, to review and plan care.\",\r\n\
         Take-home medicines,clinical,,TTO\r\n\
         Widget,no-such-vocabulary,A thing.,\r\n",
    )
    .unwrap();
    let before = crate::common::snapshot(std::slice::from_ref(&app.glossary));

    app.click("#open-exchange").await;
    app.wait_css("#view[data-view='exchange'] .i-pick").await;
    app.answer_next_dialog(Some(&bad));
    app.click(".i-pick").await;
    app.wait_css(".i-mapping:not([hidden]) select").await;
    // Headers that name a field are mapped already; the others wait for the user.
    let mapped = app
        .js("return [...document.querySelectorAll('.i-map-rows select')].map(s => s.value);")
        .await;
    assert_eq!(mapped, serde_json::json!(["term", "", "", "abbreviations"]));
    app.wait_css(".exchange[data-state='mapping']").await;
    assert!(app.text(".i-summary").await.contains("domain, definition"));
    app.click("#i-map-1 option[value='domain']").await;
    app.click("#i-map-2 option[value='definition']").await;
    app.wait_css(".exchange[data-state='errors']").await;
    let rows = app.text(".i-table").await;
    assert!(rows.contains("clinical/ward-round"), "{rows}");
    assert_eq!(
        app.js("return document.querySelectorAll('.i-rows tr.bad').length;")
            .await,
        serde_json::json!(2),
        "{rows}"
    );
    let line3 = app.text(".i-rows tr[data-line='3'] .i-problems").await;
    assert!(line3.contains("definition"), "{line3}");
    let line4 = app.text(".i-rows tr[data-line='4'] .i-problems").await;
    assert!(line4.contains("domain"), "{line4}");
    assert!(app
        .text(".i-summary")
        .await
        .contains("Nothing has been written"));
    assert_eq!(
        app.find(".i-apply")
            .await
            .prop("disabled")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "no import while a row has errors"
    );
    app.js("document.querySelector('.i-preview').scrollIntoView({ block: 'end' }); return true;")
        .await;
    app.screenshot("import-preview").await;
    app.js("document.getElementById('view').scrollTop = 0; document.scrollingElement.scrollTop = 0; return true;")
        .await;
    assert_eq!(
        crate::common::snapshot(std::slice::from_ref(&app.glossary)),
        before,
        "a preview writes nothing"
    );

    // The fixed file imports; the new entry is searchable at once.
    let good = root.join("terms-fixed.csv");
    std::fs::write(
        &good,
        "Term,Vocabulary,Meaning,Abbreviations\n\
         Ward round,clinical,\"The daily visit of the team to each patient, to review and plan care.\",\n\
         Incident,itil,Already there.,\n",
    )
    .unwrap();
    app.answer_next_dialog(Some(&good));
    app.click(".i-pick").await;
    app.wait_js("document.querySelector('.i-file').textContent === 'terms-fixed.csv'")
        .await;
    app.click("#i-map-1 option[value='domain']").await;
    app.click("#i-map-2 option[value='definition']").await;
    app.wait_css(".exchange[data-state='ready'][data-ready='1']")
        .await;
    assert!(app
        .text(".i-rows tr[data-line='3'] .i-problems")
        .await
        .contains("Already in the glossary"));
    app.click(".i-apply").await;
    app.wait_css(".exchange[data-state='imported']").await;
    assert!(app.text(".i-message").await.contains("Imported 1 entry"));
    let file = app.glossary.join("clinical/ward-round.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["updated_by"], "Test Author");
    let hits = app.search("ward round").await;
    assert_eq!(
        hits.first().map(String::as_str),
        Some("clinical/ward-round"),
        "{hits:?}"
    );

    // Export: the glossary as CSV, through the save dialog.
    let exported = root.join("export.csv");
    app.answer_next_dialog(Some(&exported));
    app.click(".e-formats [data-format='csv']").await;
    app.wait_js("document.querySelector('.e-message').textContent.includes('export.csv')")
        .await;
    let csv = std::fs::read_to_string(&exported).unwrap();
    // The byte-order mark makes Excel read the file as UTF-8.
    assert!(csv.starts_with("\u{feff}id,term,domain"), "{csv}");
    assert!(csv.contains("clinical/ward-round"));
    let ttl = root.join("export.ttl");
    app.answer_next_dialog(Some(&ttl));
    app.click(".e-formats [data-format='skos']").await;
    app.wait_js("document.querySelector('.e-message').textContent.includes('export.ttl')")
        .await;
    assert!(std::fs::read_to_string(&ttl).unwrap().contains("skos:"));
    app.stop().await;
}
