//! The tray icon's menu and closing the window into the tray (issue 19, item 5).
//!
//! Xvfb has no tray, but libayatana-appindicator exports the icon's menu on the session bus
//! anyway (`com.canonical.dbusmenu`, as a tray host reads it): the tests find it on the app's
//! private bus and click its items with the same `Event` call a tray host makes (`gdbus`, from
//! libglib2.0-bin).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::lookup::{
    bus_name_owned, start_again, switch_to_page, wait_lookup, wait_window, INSTANCE_NAME,
    LOOKUP_PAGE, MAIN_PAGE,
};
use crate::support::*;

/// The main window's title (the lookup window's starts "Babelfish lookup").
const MAIN_TITLE: &str = "Babelfish — ";

/// Runs `gdbus` on the app's bus and returns what it printed.
fn gdbus(app: &App, args: &[&str]) -> String {
    let address = app
        .env
        .iter()
        .find(|(k, _)| k == "DBUS_SESSION_BUS_ADDRESS")
        .map(|(_, v)| v.to_string_lossy().into_owned())
        .expect("the app has a session bus");
    let output = Command::new("gdbus")
        .args([args[0], "--address", &address])
        .args(&args[1..])
        .output()
        .expect("gdbus is needed for the tray tests (apt-get install libglib2.0-bin)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The tray menu the app exports: its connection's name and object path, found by asking
/// every connection on the app's bus for the objects under /org/ayatana/NotificationItem.
fn find_tray_menu(app: &App) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let names = gdbus(
            app,
            &[
                "call",
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.ListNames",
            ],
        );
        for name in names
            .split('\'')
            .filter(|n| n.starts_with(':') && n.len() > 1)
        {
            let tree = gdbus(
                app,
                &[
                    "introspect",
                    "--dest",
                    name,
                    "--object-path",
                    "/org/ayatana/NotificationItem",
                    "--recurse",
                ],
            );
            let menu = tree.lines().map(str::trim).find_map(|line| {
                line.strip_prefix("node ")
                    .and_then(|rest| rest.strip_suffix(" {"))
                    .filter(|path| path.ends_with("/Menu"))
            });
            if let Some(path) = menu {
                return (name.to_string(), path.to_string());
            }
        }
        assert!(
            Instant::now() < deadline,
            "the app exports no tray menu on its session bus"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The menu's items as (id, label), read with `GetLayout` as a tray host reads them.
fn menu_items(app: &App, (name, path): &(String, String)) -> Vec<(i32, String)> {
    let layout = gdbus(
        app,
        &[
            "call",
            "--dest",
            name,
            "--object-path",
            path,
            "--method",
            "com.canonical.dbusmenu.GetLayout",
            "--",
            "0",
            "-1",
            "['label']",
        ],
    );
    // Each child prints as `<(ID, {'label': <'LABEL'>}, @av [])>`.
    layout
        .split("<(")
        .skip(1)
        .filter_map(|child| {
            let (id, rest) = child.split_once(',')?;
            let label = rest.split("'label': <'").nth(1)?.split("'>").next()?;
            Some((id.trim().parse().ok()?, label.to_string()))
        })
        .collect()
}

/// Clicks the tray menu item labelled `label`, as a tray host does when the user picks it.
fn click_tray_item(app: &App, menu: &(String, String), label: &str) {
    let items = menu_items(app, menu);
    let id = items
        .iter()
        .find(|(_, l)| l == label)
        .unwrap_or_else(|| panic!("no tray menu item {label:?} in {items:?}"))
        .0;
    gdbus(
        app,
        &[
            "call",
            "--dest",
            &menu.0,
            "--object-path",
            &menu.1,
            "--method",
            "com.canonical.dbusmenu.Event",
            "--",
            &id.to_string(),
            "clicked",
            "<0>",
            "0",
        ],
    );
}

/// Waits until a window titled *`title`* is no longer shown.
async fn wait_gone(app: &App, title: &str, doing: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while window_exists(&app.display, title) {
        assert!(Instant::now() < deadline, "{doing} left *{title}* shown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the app's process has ended (its single-instance name is gone from the bus).
async fn wait_exited(app: &App, doing: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while bus_name_owned(app, INSTANCE_NAME) {
        assert!(Instant::now() < deadline, "{doing} did not end the app");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Puts `text` in `selection` ("clipboard" or "primary") of the app's display, as copying or
/// selecting it in another program would (xclip stays its owner in the background).
fn put_selection(app: &App, selection: &str, text: &str) {
    use std::io::Write;
    let mut xclip = Command::new("xclip")
        .args(["-selection", selection, "-in"])
        .env("DISPLAY", &app.display)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("xclip is needed (apt-get install xclip)");
    xclip
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    xclip.wait().unwrap();
}

/// Turned on in Settings from the keyboard, closing keeps the app in the tray: a second start,
/// `--lookup` and the tray menu bring its windows back, and the tray's Quit ends it.
// Long: one user's session in order, each step needing the one before.
#[tokio::test(flavor = "multi_thread")]
async fn kept_in_the_tray_the_window_comes_back_and_the_tray_menu_works() {
    let app = App::start(Options {
        session_bus: true,
        own_display: true,
        ..Options::default()
    })
    .await;
    assert!(
        bus_name_owned(&app, INSTANCE_NAME),
        "single instance holds its name"
    );

    // Settings: the switch is off at first; Space turns it on and saves it, Enter saves the form.
    app.click("#open-settings").await;
    app.wait_css("#view[data-view='settings'] #s-keep-in-tray")
        .await;
    assert_eq!(
        app.js("return document.getElementById('s-keep-in-tray').checked;")
            .await,
        serde_json::json!(false),
        "off by default"
    );
    app.js("document.getElementById('s-keep-in-tray').focus(); return true;")
        .await;
    app.press(Key::Space).await;
    app.wait_js("document.querySelector('.tray-note').textContent.startsWith('Saved: closing the window keeps')")
        .await;
    app.press(Key::Enter).await;
    app.wait_js("document.querySelector('.saved-note').textContent === 'Saved.'")
        .await;
    app.js("document.getElementById('s-keep-in-tray').scrollIntoView({ block: 'center' }); return true;")
        .await;
    app.screenshot("settings-keep-in-tray").await;
    let settings_file = app
        .root
        .path()
        .join("config/org.babelfish.desktop/settings.json");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings_file).unwrap()).unwrap();
    assert_eq!(saved["keep_in_tray"], serde_json::json!(true), "{saved}");

    // Closing (the window manager's close button) hides the window; the app keeps running.
    crate::common::request_close(&app.display, MAIN_TITLE);
    wait_gone(&app, MAIN_TITLE, "closing").await;
    assert!(
        bus_name_owned(&app, INSTANCE_NAME),
        "closing kept the app running"
    );
    let (status, _) = start_again(&app, &[]);
    assert!(status.success(), "a second start hands over: {status}");
    wait_window(&app, MAIN_TITLE).await;

    // Closed again, `--lookup CAB` still shows the popup.
    crate::common::request_close(&app.display, MAIN_TITLE);
    wait_gone(&app, MAIN_TITLE, "closing").await;
    start_again(&app, &["--lookup", "CAB"]);
    wait_window(&app, "Babelfish lookup — CAB").await;
    switch_to_page(&app, LOOKUP_PAGE).await;
    wait_lookup(&app, "CAB").await;
    app.wait_css(&format!(".lookup-best[data-entry-id='{CAB}']"))
        .await;
    app.press(Key::Escape).await;
    wait_gone(&app, "Babelfish lookup", "Esc").await;

    // The tray menu, clicked as a tray host clicks it.
    let menu = find_tray_menu(&app);
    let labels: Vec<String> = menu_items(&app, &menu)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert_eq!(labels, ["Look up clipboard", "Open Babelfish", "Quit"]);
    click_tray_item(&app, &menu, "Open Babelfish");
    wait_window(&app, MAIN_TITLE).await;
    switch_to_page(&app, MAIN_PAGE).await;
    app.wait_css("body[data-ready='true']").await;
    // "Look up clipboard" reads the clipboard, not the PRIMARY selection.
    put_selection(&app, "primary", "PM");
    put_selection(&app, "clipboard", "RFC");
    click_tray_item(&app, &menu, "Look up clipboard");
    wait_window(&app, "Babelfish lookup — RFC").await;
    switch_to_page(&app, LOOKUP_PAGE).await;
    wait_lookup(&app, "RFC").await;
    app.wait_css(".lookup-best[data-entry-id='itil/request-for-change']")
        .await;

    click_tray_item(&app, &menu, "Quit");
    wait_exited(&app, "the tray's Quit").await;
    app.stop().await;
}

/// With the setting off (the default), closing the window quits as it always did.
#[tokio::test(flavor = "multi_thread")]
async fn not_kept_in_the_tray_closing_quits() {
    let app = App::start(Options {
        session_bus: true,
        own_display: true,
        ..Options::default()
    })
    .await;
    assert!(
        bus_name_owned(&app, INSTANCE_NAME),
        "single instance holds its name"
    );
    // The tray is there (so it is the setting, not a missing tray, that lets the app end).
    find_tray_menu(&app);
    crate::common::request_close(&app.display, MAIN_TITLE);
    wait_exited(&app, "closing the window").await;
    app.stop().await;
}
