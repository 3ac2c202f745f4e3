//! Looking a term up from anywhere (issue 19): one running app (a second start hands over
//! through a private D-Bus session bus and exits), `--lookup TEXT` in the lookup window, the
//! window's keys.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// The term of [`COMMITTEE`], CAB's clinical counterpart.
const COMMITTEE_TERM: &str = "Clinical governance committee";

/// The D-Bus name tauri-plugin-single-instance holds for the app (its identifier).
const INSTANCE_NAME: &str = "org.babelfish.desktop.SingleInstance";

/// Whether `name` has an owner on the app's bus (asked with `dbus-send`, apt `dbus`).
fn bus_name_owned(app: &App, name: &str) -> bool {
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
fn start_again(app: &App, args: &[&str]) -> (std::process::ExitStatus, Duration) {
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
async fn wait_window(app: &App, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !window_exists(&app.display, title) {
        assert!(Instant::now() < deadline, "no window titled *{title}*");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The lookup window's page, told apart by its query field.
const LOOKUP_PAGE: &str = "lq";
/// The main window's page, told apart by its search box.
const MAIN_PAGE: &str = "q";

/// Switches WebDriver to the window whose page holds an element with id `marker`.
async fn switch_to_page(app: &App, marker: &str) {
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
async fn wait_lookup(app: &App, query: &str) {
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
