//! Reading an entry: mappings both ways, false friends, and glossary text shown as text.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn mappings_go_both_ways_and_false_friends_show_both_senses() {
    let app = App::start(Options::default()).await;
    app.search("CAB").await;
    app.click(&format!("#results [data-id='{CAB}']")).await;
    app.wait_entry(CAB).await;

    // From the IT term to its clinical counterpart...
    app.click(&format!(".mappings [data-id='{COMMITTEE}']"))
        .await;
    app.wait_entry(COMMITTEE).await;
    let back_link = app
        .text(&format!(".mappings li[data-counterpart='{CAB}']"))
        .await;
    assert!(back_link.contains("Change Advisory Board"), "{back_link}");
    assert!(
        back_link.contains("close"),
        "closeness seen from this end: {back_link}"
    );
    // ...and back again.
    app.click(&format!(".mappings [data-id='{CAB}']")).await;
    app.wait_entry(CAB).await;
    // Back and forward.
    app.click(".history .back").await;
    app.wait_entry(COMMITTEE).await;
    app.click(".history .forward").await;
    app.wait_entry(CAB).await;

    // The reader's explanation comes first: a clinician reading an ITIL term.
    app.click("input[name='reader'][value='clinician']").await;
    app.wait_js("document.querySelector('.body') && document.querySelector('.body').classList.contains('explanation-first')").await;
    let order = app
        .js("return [...document.querySelectorAll('.body > section')].map(s => s.className);")
        .await;
    assert_eq!(order, serde_json::json!(["explanation", "definition"]));
    app.click("input[name='reader'][value='informatics']").await;
    app.wait_js("document.querySelector('.body') && document.querySelector('.body').classList.contains('definition-first')").await;

    // False friends: "handover" means different things to a ward and to a project board.
    let hits = app.search("handover").await;
    assert!(hits.contains(&"clinical/handover".to_string()), "{hits:?}");
    assert!(hits.contains(&"prince2/handover".to_string()), "{hits:?}");
    let marker = app
        .text("#results [data-id='clinical/handover'] .ff-marker")
        .await;
    assert!(marker.contains("PRINCE2"), "{marker}");
    app.click("#results [data-id='clinical/handover']").await;
    app.wait_entry("clinical/handover").await;
    let warning = app.text(".false-friend").await;
    assert!(warning.contains("False friend"), "{warning}");
    // This sense is the definition right above the panel; the panel holds the other one.
    assert!(app
        .text(".entry .definition")
        .await
        .contains("Passing responsibility for patients"));
    assert!(
        warning.contains("passed to the people who will use"),
        "the other sense: {warning}"
    );
    assert_eq!(
        app.js("return document.querySelectorAll('.false-friend .sense').length;")
            .await,
        serde_json::json!(1)
    );
    app.screenshot("false-friend").await;
    app.click(".false-friend [data-id='prince2/handover']")
        .await;
    app.wait_entry("prince2/handover").await;
    assert!(app
        .text(".false-friend")
        .await
        .contains("Passing responsibility for patients"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_an_entry_is_shown_as_text() {
    let app = App::start(Options::default()).await;
    let hits = app.search("markup test").await;
    assert_eq!(hits.first().map(String::as_str), Some("itil/markup-test"));
    assert_eq!(
        app.js(
            "return document.querySelectorAll('#results img, #results b, #results script').length;"
        )
        .await,
        serde_json::json!(0)
    );
    app.click("#results [data-id='itil/markup-test']").await;
    app.wait_entry("itil/markup-test").await;
    let view = app.text("#view").await;
    assert!(view.contains("<img src=x onerror=alert(1)>"), "{view}");
    assert!(view.contains("<script>alert(2)</script>"), "{view}");
    assert!(view.contains("Markup test <b>bold</b>"), "{view}");
    let created = app
        .js("return document.querySelectorAll('img[src=\"x\"], #view img, #view script, #view b').length;")
        .await;
    assert_eq!(
        created,
        serde_json::json!(0),
        "no element was created from entry text"
    );
    assert!(!app.client.title().await.unwrap().contains("pwned"));

    // The web view may call the app's own commands and nothing else.
    let invoke = |command: &str| {
        format!(
            "const done = arguments[arguments.length - 1];\
             window.__TAURI__.core.invoke('{command}', {{}}).then(() => done('allowed'), e => done('denied: ' + String(e)));"
        )
    };
    let own = app
        .client
        .execute_async(&invoke("app_status"), vec![])
        .await
        .unwrap();
    assert_eq!(own, serde_json::json!("allowed"));
    for other in [
        "plugin:path|resolve_directory",
        "plugin:webview|internal_toggle_devtools",
        "plugin:dialog|save",
    ] {
        let answer = app
            .client
            .execute_async(&invoke(other), vec![])
            .await
            .unwrap();
        eprintln!("{other}: {answer}");
        assert!(
            answer.as_str().unwrap_or_default().starts_with("denied"),
            "{other}: {answer}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_false_friend_comes_after_the_explanation_and_names_each_vocabulary_once() {
    let app = App::start(Options {
        overlay: Some("false-friends"),
        ..Options::default()
    })
    .await;
    type_query(&app, "handover").await;
    // In the list: a small, quiet marker, each vocabulary once.
    let marker = app
        .text("#results [data-id='prince2/handover'] .ff-marker")
        .await;
    assert_eq!(
        marker.matches("Clinical (NHS hospital)").count(),
        1,
        "{marker}"
    );
    let style = app
        .js("const s = getComputedStyle(document.querySelector(\"#results [data-id='prince2/handover'] .ff-marker\"));\
             return { background: s.backgroundColor, border: s.borderTopWidth, size: parseFloat(s.fontSize) };")
        .await;
    assert_eq!(
        style["background"],
        serde_json::json!("rgba(0, 0, 0, 0)"),
        "{style}"
    );
    assert_eq!(style["border"], serde_json::json!("0px"), "{style}");
    assert!(style["size"].as_f64().unwrap() <= 14.0, "{style}");

    // In the entry (a clinician reading a PRINCE2 term): the explanation first, then the
    // definition, then the other senses, without this entry's definition again.
    app.click("input[name='reader'][value='clinician']").await;
    app.click("#q").await;
    type_query(&app, "project handover").await;
    app.press(Key::Enter).await;
    app.wait_entry("prince2/handover").await;
    let order = app
        .js("return [...document.querySelectorAll('.entry > *, .entry .body > section')].map(n => n.className.split(' ')[0]).filter(c => ['explanation', 'definition', 'false-friend'].includes(c));")
        .await;
    assert_eq!(
        order,
        serde_json::json!(["explanation", "definition", "false-friend"])
    );
    let panel = app.text(".false-friend").await;
    assert!(
        !panel.contains("passed to the people who will use"),
        "the panel repeats this entry's definition: {panel}"
    );
    assert!(
        panel.contains("Passing responsibility for patients"),
        "{panel}"
    );
    assert!(panel.contains("A handover held at the ward"), "{panel}");
    let heading = app.text(".false-friend h3").await;
    assert_eq!(
        heading.matches("Clinical (NHS hospital)").count(),
        1,
        "{heading}"
    );
    app.screenshot("false-friend-after-explanation").await;
    app.stop().await;
}
