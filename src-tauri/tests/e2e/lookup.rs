//! Looking a term up from anywhere (issue 19): one running app (a second start hands over
//! through a private D-Bus session bus and exits), `--lookup TEXT` in the lookup window, the
//! window's keys.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// The term of [`COMMITTEE`], CAB's clinical counterpart.
const COMMITTEE_TERM: &str = "Clinical governance committee";

/// The D-Bus name tauri-plugin-single-instance holds for the app (its identifier).
pub(crate) const INSTANCE_NAME: &str = "org.babelfish.desktop.SingleInstance";

/// Whether `name` has an owner on the app's bus (asked with `dbus-send`, apt `dbus`).
pub(crate) fn bus_name_owned(app: &App, name: &str) -> bool {
    let output = Command::new("dbus-send")
        .envs(app.env.iter().map(|(k, v)| (k, v)))
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .output()
        .expect("dbus-send is needed (apt-get install dbus)");
    assert!(
        output.status.success(),
        "the test's session bus does not answer: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).contains("boolean true")
}

/// Starts the app's binary again, as a user or a desktop shortcut would, and returns how it
/// exited and how long it ran.
pub(crate) fn start_again(app: &App, args: &[&str]) -> (std::process::ExitStatus, Duration) {
    let started = Instant::now();
    let mut child = Command::new(APP)
        .args(args)
        .envs(app.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = started + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the second start did not hand over and exit (a second app is running)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until a shown window's title contains `title`.
pub(crate) async fn wait_window(app: &App, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !window_exists(&app.display, title) {
        assert!(Instant::now() < deadline, "no window titled *{title}*");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The lookup window's page, told apart by its query field.
pub(crate) const LOOKUP_PAGE: &str = "lq";
/// The main window's page, told apart by its search box.
pub(crate) const MAIN_PAGE: &str = "q";

/// Switches WebDriver to the window whose page holds an element with id `marker`.
pub(crate) async fn switch_to_page(app: &App, marker: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let check = format!("return !!document.getElementById('{marker}');");
    loop {
        for handle in app.client.windows().await.unwrap() {
            app.client.switch_to_window(handle).await.unwrap();
            if app.js(&check).await == serde_json::Value::Bool(true) {
                return;
            }
        }
        assert!(Instant::now() < deadline, "no window shows #{marker}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the lookup window has rendered the answer for `query`.
pub(crate) async fn wait_lookup(app: &App, query: &str) {
    let query = serde_json::to_string(query).unwrap();
    app.wait_js(&format!("document.body.dataset.renderedQuery === {query}"))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_start_hands_over_and_lookup_shows_the_popup() {
    let app = App::start(Options {
        session_bus: true,
        own_display: true,
        ..Options::default()
    })
    .await;
    // The hand-over must really go through the bus: without one the plugin starts a second
    // app and this test would prove nothing.
    assert!(
        bus_name_owned(&app, INSTANCE_NAME),
        "the app does not hold {INSTANCE_NAME} on its session bus"
    );

    let (status, took) = start_again(&app, &[]);
    assert!(status.success(), "a plain second start exits 0: {status}");
    eprintln!("second start handed over in {took:?}");
    assert!(
        bus_name_owned(&app, INSTANCE_NAME),
        "the first app still runs"
    );

    let (status, _) = start_again(&app, &["--lookup", "CAB"]);
    assert!(
        status.success(),
        "--lookup hands over and exits 0: {status}"
    );
    wait_window(&app, "Babelfish lookup — CAB").await;
    switch_to_page(&app, LOOKUP_PAGE).await;
    wait_lookup(&app, "CAB").await;
    let best = app.text(".lookup-best h2").await;
    assert_eq!(best, "Change Advisory Board");
    app.wait_css(&format!(".lookup-best[data-entry-id='{CAB}']"))
        .await;
    let counterpart = app.text(".lookup-counterpart").await;
    assert!(
        counterpart.contains(COMMITTEE_TERM),
        "the counterpart is named: {counterpart}"
    );

    // Typing refines; Enter opens the best hit in the main window and hides the popup.
    app.paste("#lq", "RFC").await;
    wait_lookup(&app, "RFC").await;
    app.wait_css(".lookup-best[data-entry-id='itil/request-for-change']")
        .await;
    app.press(Key::Enter).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while window_exists(&app.display, "Babelfish lookup") {
        assert!(Instant::now() < deadline, "Enter did not hide the popup");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    switch_to_page(&app, MAIN_PAGE).await;
    app.wait_entry("itil/request-for-change").await;

    // Esc hides a popup brought back by another lookup.
    start_again(&app, &["--lookup", "PM"]);
    wait_window(&app, "Babelfish lookup — PM").await;
    switch_to_page(&app, LOOKUP_PAGE).await;
    wait_lookup(&app, "PM").await;
    app.press(Key::Escape).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while window_exists(&app.display, "Babelfish lookup") {
        assert!(Instant::now() < deadline, "Esc did not hide the popup");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    switch_to_page(&app, MAIN_PAGE).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lookup_starts_the_app_when_none_runs() {
    let app = App::start(Options {
        session_bus: true,
        own_display: true,
        args: vec!["--lookup", "CAB"],
        ..Options::default()
    })
    .await;
    wait_window(&app, "Babelfish lookup — CAB").await;
    switch_to_page(&app, LOOKUP_PAGE).await;
    wait_lookup(&app, "CAB").await;
    app.wait_css(&format!(".lookup-best[data-entry-id='{CAB}']"))
        .await;
    switch_to_page(&app, MAIN_PAGE).await;
    app.stop().await;
}

/// Makes `text` the X11 PRIMARY selection on the app's display, as selecting it in another
/// program would (`xclip`, apt `xclip`; it stays the selection's owner in the background until
/// the display closes or something else is selected).
fn select_text(app: &App, text: &str) {
    use std::io::Write;
    let mut xclip = Command::new("xclip")
        .args(["-selection", "primary", "-in"])
        .env("DISPLAY", &app.display)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip is needed for the shortcut tests (apt-get install xclip)");
    xclip
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    assert!(
        xclip.wait().unwrap().success(),
        "xclip could not take PRIMARY"
    );
}

/// Presses `keys` (xdotool's spelling, e.g. `ctrl+alt+b`) on the app's display, as the X
/// server sees a real key press (XTEST). Returns the wall-clock time (ms since the epoch) just
/// before the press, to compare with the page's `renderedAt`.
fn press_global(app: &App, keys: &str) -> f64 {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0;
    let status = Command::new("xdotool")
        .args(["key", "--clearmodifiers", keys])
        .env("DISPLAY", &app.display)
        .status()
        .expect("xdotool is needed for the shortcut tests (apt-get install xdotool)");
    assert!(status.success(), "xdotool could not press {keys}");
    before
}

/// Selects `word`, presses `keys`, waits for the lookup window to show `word`'s answer and
/// returns the milliseconds from the press to the answer in the popup's DOM.
async fn look_up_with_shortcut(app: &App, keys: &str, word: &str) -> f64 {
    look_up_selection(app, keys, word, word).await
}

/// Selects `selection`, presses `keys`, waits for the lookup window to show the answer for
/// `query` and returns the milliseconds from the press to the answer in the popup's DOM.
async fn look_up_selection(app: &App, keys: &str, selection: &str, query: &str) -> f64 {
    let word = query;
    select_text(app, selection);
    let pressed = press_global(app, keys);
    wait_window(app, &format!("Babelfish lookup — {word}")).await;
    switch_to_page(app, LOOKUP_PAGE).await;
    wait_lookup(app, word).await;
    let rendered = app
        .js("return Number(document.body.dataset.renderedAt);")
        .await;
    rendered.as_f64().unwrap() - pressed
}

/// Esc in the lookup window, then waits until it is gone from the screen.
async fn hide_popup(app: &App) {
    app.press(Key::Escape).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while window_exists(&app.display, "Babelfish lookup") {
        assert!(Instant::now() < deadline, "Esc did not hide the popup");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_shortcut_looks_the_selection_up_and_settings_change_it() {
    // Its own display: the key grab is per X server, and other tests' apps hold Ctrl+Alt+B on
    // the shared one.
    let app = App::start(Options {
        own_display: true,
        ..Options::default()
    })
    .await;
    look_up_with_shortcut(&app, "ctrl+alt+b", "CAB").await;
    app.wait_css(&format!(".lookup-best[data-entry-id='{CAB}']"))
        .await;
    assert_eq!(app.text(".lookup-best h2").await, "Change Advisory Board");
    // A phrase with the punctuation a selection drags along.
    hide_popup(&app).await;
    look_up_selection(
        &app,
        "ctrl+alt+b",
        "“request\n for change,”",
        "request for change",
    )
    .await;
    app.wait_css(".lookup-best[data-entry-id='itil/request-for-change']")
        .await;
    hide_popup(&app).await;

    // Settings: a different shortcut is taken at once and kept.
    switch_to_page(&app, MAIN_PAGE).await;
    app.click("#open-settings").await;
    app.wait_css("#view[data-view='settings']").await;
    assert_eq!(
        app.js("return document.getElementById('s-shortcut').value;")
            .await,
        "Ctrl+Alt+B"
    );
    let field = app.find("#s-shortcut").await;
    field.clear().await.unwrap();
    field.send_keys("Ctrl+Alt+L").await.unwrap();
    app.click(".save-shortcut").await;
    app.wait_js(
        "document.querySelector('.shortcut-note').textContent.startsWith('Saved: Ctrl+Alt+L')",
    )
    .await;
    let settings_file = app
        .root
        .path()
        .join("config/org.babelfish.desktop/settings.json");
    let settings = std::fs::read_to_string(&settings_file).unwrap();
    assert!(
        settings.contains("\"lookup_shortcut\": \"Ctrl+Alt+L\""),
        "{settings}"
    );
    look_up_with_shortcut(&app, "ctrl+alt+l", "handover").await;
    hide_popup(&app).await;

    // Nonsense is refused and the shortcut in force stays.
    switch_to_page(&app, MAIN_PAGE).await;
    let field = app.find("#s-shortcut").await;
    field.clear().await.unwrap();
    field.send_keys("Ctrl+Banana").await.unwrap();
    app.click(".save-shortcut").await;
    app.wait_js("document.querySelector('.shortcut-note').textContent.includes('Ctrl+Banana')")
        .await;
    assert!(std::fs::read_to_string(&settings_file)
        .unwrap()
        .contains("\"lookup_shortcut\": \"Ctrl+Alt+L\""));

    // Switched off: kept as off in the settings file.
    app.click("#s-shortcut-on").await;
    app.click(".save-shortcut").await;
    app.wait_js("document.querySelector('.shortcut-note').textContent === 'Saved: no shortcut.'")
        .await;
    let settings = std::fs::read_to_string(&settings_file).unwrap();
    assert!(settings.contains("\"lookup_shortcut\": \"\""), "{settings}");
    app.stop().await;
}

/// Shortcut press → lookup answer in the popup's DOM, in the real window: one press that opens
/// the popup for the first time, then warm presses with the app running (the popup hidden in
/// between, as after Esc). Run it on a release build (docs/desktop.md):
/// `cargo test --release -p babelfish-desktop --test e2e measure_shortcut -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a check: run by hand (docs/desktop.md)"]
async fn measure_shortcut_to_popup() {
    const WORDS: &[&str] = &[
        "CAB",
        "RFC",
        "handover",
        "escalation",
        "incident",
        "exception report",
    ];
    const PRESSES: usize = 30;
    let app = App::start(Options {
        own_display: true,
        ..Options::default()
    })
    .await;
    let first = look_up_with_shortcut(&app, "ctrl+alt+b", "clinical governance committee").await;
    hide_popup(&app).await;
    let mut warm = Vec::with_capacity(PRESSES);
    for i in 0..PRESSES {
        warm.push(look_up_with_shortcut(&app, "ctrl+alt+b", WORDS[i % WORDS.len()]).await);
        hide_popup(&app).await;
    }
    warm.sort_by(f64::total_cmp);
    let at = |p: f64| warm[((warm.len() - 1) as f64 * p).round() as usize];
    println!(
        "shortcut → popup content in the DOM: first press (popup created) {first:.0} ms; \
         warm, {PRESSES} presses: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        at(0.5),
        at(0.95),
        at(1.0)
    );
    switch_to_page(&app, MAIN_PAGE).await;
    app.stop().await;
}

/// What the clipboard of the app's display holds (`xclip`).
fn clipboard_text(app: &App) -> String {
    let output = Command::new("xclip")
        .args(["-selection", "clipboard", "-out"])
        .env("DISPLAY", &app.display)
        .output()
        .expect("xclip is needed (apt-get install xclip)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_opens_the_entry_and_copy_link_copies_it() {
    // A link that starts the app opens its entry once the page is ready.
    let app = App::start(Options {
        session_bus: true,
        own_display: true,
        args: vec!["babelfish://entry/itil/request-for-change"],
        ..Options::default()
    })
    .await;
    app.wait_entry("itil/request-for-change").await;

    // A link clicked while the app runs is handed over by the second start.
    let (status, _) = start_again(&app, &["babelfish://entry/itil/change-advisory-board"]);
    assert!(status.success(), "a link hands over and exits 0: {status}");
    app.wait_entry(CAB).await;

    // "Copy link" gives the same link back.
    app.click(".copy-link").await;
    app.wait_css(".copy-link[data-link]").await;
    assert_eq!(
        clipboard_text(&app),
        "babelfish://entry/itil/change-advisory-board"
    );

    // A search link fills the search box.
    start_again(&app, &["babelfish://search?q=exception%20report"]);
    app.wait_rendered("exception report").await;
    assert_eq!(app.hit_ids().await[0], "prince2/exception-report");
    app.stop().await;
}
