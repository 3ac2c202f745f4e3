//! How the page reads to assistive technology and looks (contrast), and the axe-core audit.

use crate::support::*;

/// The colour at the centre of an element, from a screenshot of it.
async fn centre_colour(app: &App, css: &str) -> [u8; 3] {
    let png = app.find(css).await.screenshot().await.unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (x, y) = (info.width as usize / 2, info.height as usize / 2);
    let at = (y * info.width as usize + x) * channels;
    [buf[at], buf[at + 1], buf[at + 2]]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_box_the_open_result_and_radio_buttons_read_right() {
    let app = App::start(Options {
        env: vec![("GTK_THEME", "Adwaita:dark")],
        ..Options::default()
    })
    .await;
    // The placeholder fits in the box.
    let fit = app
        .js(
            "const q = document.getElementById('q'); const s = getComputedStyle(q);\
             const c = document.createElement('canvas').getContext('2d'); c.font = s.font;\
             const room = q.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);\
             return { text: Math.ceil(c.measureText(q.placeholder).width), room };",
        )
        .await;
    assert!(
        fit["text"].as_f64().unwrap() <= fit["room"].as_f64().unwrap(),
        "the placeholder is cut off: {fit}"
    );

    // The opened result is marked in the list.
    type_query(&app, "incident").await;
    let hits = app.hit_ids().await;
    app.press_keys(&[Key::Down, Key::Enter]).await;
    app.wait_entry(&hits[0]).await;
    let current = app
        .js("return [...document.querySelectorAll('#results [aria-current=\"true\"]')].map(o => o.dataset.id);")
        .await;
    assert_eq!(current, serde_json::json!([hits[0]]));
    app.click(&format!("#results [data-id='{}']", hits[1]))
        .await;
    app.wait_entry(&hits[1]).await;
    let current = app
        .js("return [...document.querySelectorAll('#results [aria-current=\"true\"]')].map(o => o.dataset.id);")
        .await;
    assert_eq!(current, serde_json::json!([hits[1]]));

    // Dark theme: an unselected radio button is hollow, a selected one is filled.
    assert_eq!(
        app.js("return matchMedia('(prefers-color-scheme: dark)').matches;")
            .await,
        serde_json::json!(true)
    );
    app.click("input[name='reader'][value='clinician']").await;
    app.click("#q").await;
    let selected = centre_colour(&app, "input[name='reader'][value='clinician']").await;
    let unselected = centre_colour(&app, "input[name='reader'][value='informatics']").await;
    let page = centre_colour(&app, ".topbar").await;
    let distance = |a: [u8; 3], b: [u8; 3]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (*x as i32 - y as i32).abs())
            .sum::<i32>()
    };
    eprintln!("radio centres: selected {selected:?}, unselected {unselected:?}, bar {page:?}");
    assert!(
        distance(selected, unselected) > 150,
        "selected {selected:?} and unselected {unselected:?} look alike"
    );
    let lum = |c: [u8; 3]| c.iter().map(|&v| v as i32).sum::<i32>();
    assert!(
        lum(unselected) < 200,
        "an unselected radio's centre is dark like the page in the dark theme: {unselected:?}"
    );
    app.screenshot("search-results-dark").await;
    app.stop().await;
}

/// Runs axe-core (WCAG 2 A and AA rules) on the page as it is and returns the violations.
async fn axe(app: &App, axe_js: &str) -> Vec<serde_json::Value> {
    app.js(&format!("{axe_js}\n;return true;")).await;
    let result = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
               .then((r) => { window.bfAxe = { passes: r.passes.length, incomplete: r.incomplete.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ') + ' ' + (n.any[0]?.message ?? '')).join(' | ')}`) };\
                 done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,\
                 nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 5) }))); },\
                     (e) => done([{ id: 'axe-error', help: String(e) }]));",
            vec![],
        )
        .await
        .unwrap();
    eprintln!(
        "axe: {} rules passed; needs a person: {}",
        app.js("return window.bfAxe.passes;").await,
        app.js("return window.bfAxe.incomplete;").await
    );
    serde_json::from_value(result).unwrap()
}

/// An accessibility audit of every view with axe-core in the real window. Not run by default
/// (it needs axe-core): `AXE_JS=/path/to/axe.min.js cargo test -p babelfish-desktop --test e2e
/// accessibility_audit -- --ignored --nocapture`, and again with `GTK_THEME=Adwaita:dark` for
/// the dark theme.
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn accessibility_audit_of_every_view() {
    let axe_js = std::fs::read_to_string(
        std::env::var("AXE_JS").expect("AXE_JS names axe.min.js (npm install axe-core)"),
    )
    .unwrap();
    let theme = std::env::var("GTK_THEME").unwrap_or_default();
    let app = App::start(Options {
        overlay: Some("false-friends"),
        // A reviewer, so the entry offers "Sign off" and "Request changes".
        settings: Some(
            serde_json::json!({ "author": "Test Author", "review_side": "informatics" }),
        ),
        env: if theme.is_empty() {
            Vec::new()
        } else {
            vec![("GTK_THEME", Box::leak(theme.clone().into_boxed_str()))]
        },
        ..Options::default()
    })
    .await;
    let mut report = Vec::new();
    let mut check = |name: &'static str, violations: Vec<serde_json::Value>| {
        eprintln!("{name}: {} violation(s)", violations.len());
        for v in &violations {
            eprintln!("  {v}");
        }
        report.extend(violations.into_iter().map(|v| (name, v)));
    };
    check("first run (welcome)", axe(&app, &axe_js).await);
    type_query(&app, "handover").await;
    check("results", axe(&app, &axe_js).await);
    app.press(Key::Enter).await;
    app.wait_css("#view[data-view='entry']").await;
    check("entry with a false friend", axe(&app, &axe_js).await);
    app.click(".review-actions .sign-off-request").await;
    app.wait_css("dialog.review-note-dialog[open]").await;
    check("request-changes note dialog", axe(&app, &axe_js).await);
    app.press(Key::Escape).await;
    app.wait_js("!document.querySelector('dialog.review-note-dialog')")
        .await;
    // The review section pushed Edit below the fold of this long entry; WebKitWebDriver does
    // not scroll the pane to it by itself.
    app.js(
        "document.querySelector('.entry .edit').scrollIntoView({ block: 'center' }); return true;",
    )
    .await;
    app.click(".entry .edit").await;
    app.wait_css("form.editor").await;
    app.find("#f-definition").await.clear().await.unwrap();
    app.type_into("#f-term", &Key::Enter).await;
    app.wait_css("form.editor[data-problems]").await;
    check("editor with an error", axe(&app, &axe_js).await);
    app.click("form.editor .cancel").await;
    app.wait_css("#confirm[open]").await;
    check("confirm dialog", axe(&app, &axe_js).await);
    app.click("#confirm-ok").await;
    app.click("#open-settings").await;
    app.wait_css("#view[data-view='settings']").await;
    check("settings", axe(&app, &axe_js).await);
    app.click("#open-help").await;
    app.wait_css("#view[data-view='help']").await;
    check("help", axe(&app, &axe_js).await);
    open_translate(&app).await;
    translate(&app, PASTED).await;
    app.click(&format!(".t-output mark[data-id='{CAB}']")).await;
    app.wait_css(".t-pop:not([hidden])").await;
    check("translate with a pop-up", axe(&app, &axe_js).await);
    app.click("#open-exchange").await;
    app.wait_css("#view[data-view='exchange']").await;
    check("import and export", axe(&app, &axe_js).await);
    app.click("#open-review").await;
    app.wait_css(".review-queue[data-loaded='informatics']")
        .await;
    check("review queue", axe(&app, &axe_js).await);
    app.stop().await;
    assert!(report.is_empty(), "{} violation(s)", report.len());
}
