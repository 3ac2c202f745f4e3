//! The Translate view: pasted text and opened documents, highlights, crib sheets, nothing stored.

use crate::support::*;

// Long: one app launch walks the whole flow (a launch costs seconds under Xvfb).
#[tokio::test(flavor = "multi_thread")]
async fn translate_a_pasted_paragraph() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction};
    let app = App::start(Options::default()).await;
    // The reader is a clinician (saved in settings): IT terms are explained for them.
    app.click("input[name='reader'][value='clinician']").await;
    app.wait_js("document.querySelector(\"input[name='reader'][value='clinician']\").checked")
        .await;
    open_translate(&app).await;
    translate(&app, PASTED).await;

    // By default a clinician is not told what a patient safety incident is: their own side's
    // terms are hidden (by Rust), and the view says how many.
    let own_side_shown = "return [...document.querySelectorAll('.t-output mark, .t-terms li')]\
        .filter(e => e.dataset.id.startsWith('clinical/')).length;";
    assert_eq!(app.js(own_side_shown).await, serde_json::json!(0));
    assert!(app.find(".t-hide-own").await.is_selected().await.unwrap());
    let note = app.text(".t-hidden-note").await;
    assert!(
        note.contains("from your own side hidden"),
        "the view says what it hid: {note}"
    );
    let hidden = app
        .js("return Number(document.querySelector('.translate').dataset.hiddenTerms);")
        .await;
    assert!(hidden.as_u64().unwrap() >= 1, "{hidden}");
    assert!(note.starts_with(&format!("{hidden} term")), "{note}");
    assert_eq!(
        app.js("return document.querySelectorAll('.crib-print dt').length;")
            .await,
        app.js("return document.querySelectorAll('.t-terms li').length;")
            .await,
        "the crib sheet follows what is shown"
    );
    // "Show them" unticks the box; every side is then shown, and the choice is remembered.
    app.click(".t-show-own").await;
    app.wait_css(".translate[data-state='done'][data-hidden-terms='0']")
        .await;
    assert!(!app.find(".t-hide-own").await.is_selected().await.unwrap());
    assert!(!app
        .find(".t-hidden-note")
        .await
        .is_displayed()
        .await
        .unwrap());
    let settings = app
        .root
        .path()
        .join("config/org.babelfish.desktop/settings.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_to_string(&settings)
        .unwrap_or_default()
        .contains("\"show_own_side\": true")
    {
        assert!(std::time::Instant::now() < deadline, "not remembered");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(app.js(own_side_shown).await.as_u64().unwrap() >= 2);

    // Highlights, built from offsets: each one's text is exactly the jargon.
    let marks: Vec<(String, String)> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('.t-output mark.jargon')].map(m => [m.textContent, m.dataset.id]);")
            .await,
    )
    .unwrap();
    for expected in [
        ("CAB", CAB),
        ("RFC", "itil/request-for-change"),
        ("exception report", "prince2/exception-report"),
        ("patient safety incident", "clinical/incident"),
    ] {
        assert!(
            marks.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {marks:?}"
        );
    }
    assert!(
        marks.iter().any(|(text, _)| text == "handover"),
        "{marks:?}"
    );
    // The highlighted copy is the pasted text, character for character.
    assert_eq!(
        app.js("return document.querySelector('.t-output').textContent;")
            .await,
        serde_json::json!(PASTED)
    );

    // Markup in the pasted text is shown as text, never run.
    let created = app
        .js("return document.querySelectorAll('#view img, #view script, .t-output *:not(mark)').length;")
        .await;
    assert_eq!(
        created,
        serde_json::json!(0),
        "no element from the pasted text"
    );
    assert!(app.text(".t-output").await.contains("<img src=x onerror="));
    assert!(!app.client.title().await.unwrap().contains("pwned"));

    // The side list: every term found, in order of first appearance.
    let listed: Vec<String> = serde_json::from_value(
        app.js("return [...document.querySelectorAll('.t-terms li')].map(li => li.dataset.id);")
            .await,
    )
    .unwrap();
    assert_eq!(listed.first().map(String::as_str), Some(CAB), "{listed:?}");
    for id in [
        "itil/request-for-change",
        "prince2/exception-report",
        "clinical/incident",
    ] {
        assert!(listed.contains(&id.to_string()), "{id} not in {listed:?}");
    }

    // Hovering a highlight explains it for the reader's side (a clinician reading ITIL).
    let cab = app.find(&format!(".t-output mark[data-id='{CAB}']")).await;
    app.client
        .perform_actions(
            MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                element: cab,
                duration: None,
                x: 0.0,
                y: 0.0,
            }),
        )
        .await
        .unwrap();
    app.wait_css(&format!(".t-pop:not([hidden])[data-id='{CAB}']"))
        .await;
    let pop = app.text(".t-pop").await;
    assert!(pop.contains("Change Advisory Board"), "{pop}");
    assert!(pop.to_lowercase().contains("for clinicians"), "{pop}");
    assert!(pop.contains("Think of the panel"), "the explanation: {pop}");
    assert!(pop.contains("Clinical governance committee"), "{pop}");
    app.click(".t-pop-close").await;
    app.wait_js("document.querySelector('.t-pop').hidden").await;

    // Clicking an ambiguous word shows its likeliest reading and the other one.
    let handover = app.find(".t-output mark.ambiguous").await;
    assert_eq!(handover.text().await.unwrap(), "handover");
    handover.click().await.unwrap();
    app.wait_css(".t-pop:not([hidden]) .t-pop-others:not([hidden])")
        .await;
    let shown = app
        .js("return document.querySelector('.t-pop').dataset.id;")
        .await;
    let others: Vec<String> = serde_json::from_value(
        app.js(
            "return [...document.querySelectorAll('.t-pop-others li')].map(li => li.dataset.id);",
        )
        .await,
    )
    .unwrap();
    let mut both = vec![shown.as_str().unwrap().to_string()];
    both.extend(others);
    both.sort();
    assert_eq!(both, ["clinical/handover", "prince2/handover"]);
    assert!(app
        .text(".t-pop-ambiguous")
        .await
        .contains("has 2 readings"));
    // For the screenshot: the text near the top of the pane, the explanation under the word.
    // (A WebDriver click scrolls its target to the bottom of the pane.)
    app.click(".t-pop-close").await;
    app.js(
        "const m = document.querySelector('.t-output mark.ambiguous'); \
            document.getElementById('view').scrollTop = 0; \
            document.querySelector('.t-reading').scrollIntoView({ block: 'start' }); \
            m.click(); return true;",
    )
    .await;
    app.wait_css(".t-pop:not([hidden]) .t-pop-others:not([hidden])")
        .await;
    app.screenshot("translate").await;

    // The crib sheet: saved through a (native) save dialog, the terms only, not the text.
    let crib = app.root.path().join("crib.md");
    app.answer_next_dialog(Some(&crib));
    app.click(".t-pop-close").await;
    app.click(".t-save-md").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('Crib sheet saved')")
        .await;
    let md = std::fs::read_to_string(&crib).unwrap();
    assert!(md.starts_with("# Crib sheet"), "{md}");
    assert!(md.contains("Change Advisory Board (CAB)"), "{md}");
    assert!(
        !md.contains("Tuesday"),
        "the pasted text is not in it: {md}"
    );
    let html = app.root.path().join("crib.html");
    app.answer_next_dialog(Some(&html));
    app.click(".t-save-html").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('crib.html')")
        .await;
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("<dt>Change Advisory Board"));
    // The printable copy (shown only by the print stylesheet) lists every term found.
    assert_eq!(
        app.js("return document.querySelectorAll('.crib-print dt').length;")
            .await,
        serde_json::json!(listed.len())
    );

    // A term in the side list opens its entry; Back returns to the translated text.
    app.click(&format!(".t-terms button[data-id='{CAB}']"))
        .await;
    app.wait_entry(CAB).await;
    app.click(".history .back").await;
    app.wait_css(".translate[data-state='done']").await;
    assert_eq!(
        app.js("return document.getElementById('t-text').value;")
            .await,
        serde_json::json!(PASTED)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn translating_leaves_nothing_on_disk() {
    let app = App::start(Options::default()).await;
    let root = app.root.path().to_path_buf();
    let before = FoldersBefore::open_translate(&app).await;
    assert!(
        before
            .watched_files
            .keys()
            .any(|p| p.ends_with("WebKitCache")),
        "WebKit keeps its storage in the watched data folder: {:#?}",
        before.watched_files
    );

    // Patient-identifiable text, with a marker to look for afterwards.
    let marker = "Zebedee Quintrell-Marchbanks";
    let text = format!(
        "Mr {marker}, NHS number 943 476 5919, bed 12: the CAB deferred his EPR fix and an incident was raised."
    );
    translate(&app, &text).await;
    app.click(&format!(".t-output mark[data-id='{CAB}']")).await;
    app.wait_css(".t-pop:not([hidden])").await;
    // Typed as well as pasted (spell checkers and form history see typing).
    app.type_into("#t-text", " Seen by Dr Quokkason.").await;
    app.wait_js("document.querySelector('.translate').dataset.state === 'done' && document.querySelector('.t-output').textContent.includes('Quokkason')")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;

    before.assert_unchanged("translating");
    let settings = std::fs::read_to_string(root.join("config/org.babelfish.desktop/settings.json"))
        .unwrap_or_default();
    assert!(!settings.contains(marker));
    app.stop().await;
    // Nothing anywhere in the test's folders holds the text, even after the app exits.
    assert_no_file_holds(&root, &[marker, "Quokkason", "943 476 5919"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_document_keeps_the_window_responsive() {
    let app = App::start(Options::default()).await;
    open_translate(&app).await;
    // About 100,000 words.
    let paragraph = "The CAB deferred the RFC until the exception report is ready; the ward \
        logged a patient safety incident at handover and the team reviewed it the next morning \
        before the board round, then agreed the actions with the matron and the project lead. ";
    let words = paragraph.split_whitespace().count();
    let text = paragraph.repeat(100_000 / words + 1);
    // Count 10 ms timer ticks while the translation is under way: they only run when the
    // page's thread is free. (Animation frames are no measure here: under Xvfb WebKit runs
    // requestAnimationFrame only when something repaints.)
    app.js("window.bf = { ticks: 0, busySeen: false, at: {} };\
         bf.timer = setInterval(() => bf.ticks++, 10);\
         const root = document.querySelector('.translate');\
         const busy = document.querySelector('.t-busy');\
         new MutationObserver(() => { if (!busy.hidden) bf.busySeen = true; })\
           .observe(busy, { attributes: true });\
         new MutationObserver(() => { bf.at[root.dataset.state] = [bf.ticks, performance.now()]; })\
           .observe(root, { attributes: true, attributeFilter: ['data-state'] });\
         return true;")
        .await;
    app.paste("#t-text", &text).await;
    app.click(".t-run").await;
    app.wait_css(".translate[data-state='done']").await;
    let report = app
        .js("clearInterval(bf.timer); const t = document.querySelector('.translate').dataset;\
             const [t0, ms0] = bf.at.busy, [t1, ms1] = bf.at.done;\
             return { ticks: t1 - t0, ms: Math.round(ms1 - ms0), call: Number(t.ipcMs), layout: Number(t.renderMs),\
                      busy: bf.busySeen, marks: document.querySelectorAll('.t-output mark').length,\
                      status: document.querySelector('.t-status').textContent };")
        .await;
    eprintln!(
        "{} words, debug build: {report}",
        text.split_whitespace().count()
    );
    let n = |k: &str| report[k].as_u64().unwrap();
    assert!(n("marks") > 10_000, "{report}");
    // While Rust annotates (the call), the page's own timers keep running: the UI thread is
    // free. (Laying out 10,000+ highlights afterwards is the page's own work.)
    let expected_ticks = n("call") / 10 / 3;
    assert!(
        n("ticks") >= expected_ticks,
        "the page's timers stalled during the call: {report}"
    );
    // The indicator covers the wait for the answer: it appears once the call has taken 200
    // ms. Laying out the highlights afterwards is synchronous page work, during which nothing
    // could be painted anyway, so it is not counted (a 185 ms call plus 128 ms of layout
    // rightly showed no indicator and made this check flaky when it used the total).
    if n("call") > 250 {
        assert!(
            report["busy"] == true,
            "a call over 200 ms shows the busy indicator: {report}"
        );
    }
    // Still responsive: a search answers.
    assert_eq!(
        app.search("CAB").await.first().map(String::as_str),
        Some(CAB)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_a_text_file_uses_the_native_dialog() {
    let app = App::start(Options {
        own_display: true,
        ..Options::default()
    })
    .await;
    open_translate(&app).await;
    // Through the (debug-only) answer: a Markdown file opens and is translated.
    let file = app.root.path().join("agenda.md");
    std::fs::write(&file, "# Agenda\n\n1. RFC for the EPR upgrade (CAB)\n").unwrap();
    app.answer_next_dialog(Some(&file));
    app.click(".t-open").await;
    app.wait_css(".translate[data-state='done']").await;
    assert!(app.text(".t-file").await.contains("agenda.md"));
    assert_eq!(
        app.js("return document.querySelectorAll('.t-output mark').length;")
            .await,
        serde_json::json!(2)
    );
    // A binary file is refused with a reason.
    let binary = app.root.path().join("scan.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    app.answer_next_dialog(Some(&binary));
    app.click(".t-open").await;
    app.wait_css(".translate[data-state='error']").await;
    assert!(app.text(".t-status").await.contains("binary"));
    // Without an answer, the real GTK dialog opens; cancelling it changes nothing.
    app.click(".t-open").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !crate::common::window_exists(&app.display, "Open a text to translate") {
        assert!(
            std::time::Instant::now() < deadline,
            "no file dialog appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    crate::common::request_close(&app.display, "Open a text to translate");
    while crate::common::window_exists(&app.display, "Open a text to translate") {
        assert!(
            std::time::Instant::now() < deadline,
            "the dialog did not close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(app.text(".t-file").await.contains("agenda.md"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_crib_sheet_buttons_stay_in_reach_on_a_long_document() {
    // The real glossary (a copy), so the list of terms found is long too: many screens of
    // highlighted text and more terms than fit beside it.
    let glossary = tempfile::tempdir().unwrap();
    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary");
    crate::common::copy_dir(&real, glossary.path());
    let app = App::start(Options {
        glossary: None,
        glossary_dir: Some(glossary.path().to_path_buf()),
        ..Options::default()
    })
    .await;
    open_translate(&app).await;
    let mut terms = Vec::new();
    for side in ["itil", "prince2", "clinical"] {
        let mut files: Vec<_> = std::fs::read_dir(real.join(side))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files.iter().take(30) {
            let entry: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            terms.push(entry["term"].as_str().unwrap().to_string());
        }
    }
    let paragraph: String = terms
        .iter()
        .map(|t| format!("The {t} was discussed.\n"))
        .collect();
    translate(&app, &paragraph.repeat(8)).await;
    assert!(
        app.js("return document.querySelectorAll('.t-terms li').length;")
            .await
            .as_u64()
            .unwrap()
            > 40,
        "a long list of terms"
    );
    // True, or the numbers for the failure message.
    let in_view = "const r = document.querySelector(SEL).getBoundingClientRect(); \
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight \
            || [r.top, r.bottom, window.innerHeight, document.querySelector('.t-side').getBoundingClientRect().top];";
    // At the top, half-way down and at the very end of the text, each button is on screen.
    for at in ["0", "view.scrollHeight / 2", "view.scrollHeight"] {
        app.js(&format!(
            "const view = document.getElementById('view'); view.scrollTop = {at}; return true;"
        ))
        .await;
        for button in [".t-save-md", ".t-save-html", ".t-print"] {
            assert_eq!(
                app.js(&in_view.replace("SEL", &format!("'{button}'")))
                    .await,
                serde_json::json!(true),
                "{button} is out of view with the pane scrolled to {at}"
            );
        }
    }
    assert!(
        app.js("return document.getElementById('view').scrollTop;")
            .await
            .as_f64()
            .unwrap()
            > 1000.0,
        "the document is long enough to scroll"
    );
    // The buttons come before the terms (nobody tabs or scrolls past the list to reach them).
    assert_eq!(
        app.js("return Boolean(document.querySelector('.t-crib').compareDocumentPosition(document.querySelector('.t-terms')) & Node.DOCUMENT_POSITION_FOLLOWING);")
            .await,
        serde_json::json!(true)
    );
    // Enter on a focused button saves the crib sheet.
    let crib = app.root.path().join("crib.md");
    app.answer_next_dialog(Some(&crib));
    app.js("document.querySelector('.t-save-md').focus(); return true;")
        .await;
    app.press(Key::Enter).await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('Crib sheet saved')")
        .await;
    assert!(std::fs::read_to_string(&crib)
        .unwrap()
        .starts_with("# Crib sheet"));
    app.stop().await;
}
