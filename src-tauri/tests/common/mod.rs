//! Test harness: starts the real app in a real WebKitGTK window (under Xvfb when there is no
//! display) through tauri-driver and WebKitWebDriver, each test with its own glossary copy,
//! config and data folders, ports and display.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// The built app; cargo builds it for integration tests and gives its absolute path.
pub const APP: &str = env!("CARGO_BIN_EXE_babelfish-desktop");
pub const WEBKIT_DRIVER: &str = "/usr/bin/WebKitWebDriver";
const WAIT: Duration = Duration::from_secs(15);

/// Where screenshots go: target/tmp/screenshots, or docs/screenshots when
/// BABELFISH_UPDATE_SCREENSHOTS=1.
pub fn screenshot_dir() -> PathBuf {
    let dir = if std::env::var_os("BABELFISH_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots")
    } else {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    };
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for item in std::fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), target).unwrap();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".cargo"))
        .join("bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// Stops a child with SIGTERM (a SIGKILL to tauri-driver leaves WebKitWebDriver orphaned).
pub fn terminate(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// An X server of our own when there is no display (CI, a headless machine).
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed to run the desktop tests headless (apt-get install xvfb)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("Xvfb did not report its display");
        Xvfb {
            child,
            display: format!(":{}", line.trim()),
        }
    }
}

/// A private D-Bus session bus, as `dbus-run-session` starts one: the single-instance hand-over
/// (tauri-plugin-single-instance) works through the session bus, so a test of it must have a
/// bus of its own (apt `dbus`), never the developer's, nor another test's.
pub struct SessionBus {
    child: Child,
    /// The bus's address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

impl SessionBus {
    pub fn start() -> SessionBus {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed for the single-instance tests (apt-get install dbus)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("dbus-daemon did not report its address");
        assert!(!line.trim().is_empty(), "dbus-daemon gave no address");
        SessionBus {
            child,
            address: line.trim().to_string(),
        }
    }
}

/// The bus address apps get when a test asks for no bus: nothing listens there, so the
/// single-instance plugin starts every app on its own (parallel tests never hand over to each
/// other, nor to a Babelfish the developer has open).
pub const NO_SESSION_BUS: &str = "unix:path=/nonexistent/babelfish-test-no-session-bus";

/// What a test starts the app with.
pub struct Options {
    /// Fixture folder (under tests/fixtures) copied as the glossary; None: no glossary folder.
    pub glossary: Option<&'static str>,
    /// Extra files laid over the copy (e.g. "broken").
    pub overlay: Option<&'static str>,
    /// Author name pre-set in settings.json (None: the app asks).
    pub author: Option<&'static str>,
    /// Any glossary folder to use instead of a fixture (the benchmark's synthetic one).
    pub glossary_dir: Option<PathBuf>,
    /// Start an Xvfb even when DISPLAY is set (tests that find the window by its title).
    pub own_display: bool,
    /// A cache folder (XDG_CACHE_HOME) kept across starts, so later starts find the start-up
    /// cache; None: a fresh one per start.
    pub cache_home: Option<PathBuf>,
    /// Extra environment for the app (e.g. `GTK_THEME=Adwaita:dark`).
    pub env: Vec<(&'static str, &'static str)>,
    /// The whole settings.json to start with (overrides `author`).
    pub settings: Option<Value>,
    /// Give the app a private D-Bus session bus (single instance enforced) instead of none.
    pub session_bus: bool,
    /// Arguments for the app (e.g. `--lookup CAB`).
    pub args: Vec<&'static str>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            glossary: Some("glossary"),
            overlay: None,
            author: Some("Test Author"),
            glossary_dir: None,
            own_display: false,
            cache_home: None,
            env: Vec::new(),
            settings: None,
            session_bus: false,
            args: Vec::new(),
        }
    }
}

/// A running app with a WebDriver session.
pub struct App {
    pub client: Client,
    driver: Child,
    xvfb: Option<Xvfb>,
    pub root: tempfile::TempDir,
    pub glossary: PathBuf,
    pub started: Instant,
    /// The X display the app runs on.
    pub display: String,
    /// The environment the app was started with (display, folders, bus), so a test can start
    /// the binary a second time as a user would.
    pub env: Vec<(String, std::ffi::OsString)>,
    bus: Option<SessionBus>,
}

impl App {
    /// Launches the app under Xvfb through tauri-driver and opens a WebDriver session.
    // Long: the start-up in order (folders, Xvfb, driver, session, one retry).
    pub async fn start(options: Options) -> App {
        let root = tempfile::tempdir().unwrap();
        let glossary = match (&options.glossary_dir, options.glossary) {
            (Some(dir), _) => dir.clone(),
            (None, Some(fixture)) => {
                let dir = root.path().join("glossary");
                copy_dir(&fixtures().join(fixture), &dir);
                if let Some(overlay) = options.overlay {
                    copy_dir(&fixtures().join(overlay), &dir);
                }
                dir
            }
            (None, None) => root.path().join("no-such-glossary"),
        };
        let config = root.path().join("config");
        let data = root.path().join("data");
        let cache = options
            .cache_home
            .clone()
            .unwrap_or_else(|| root.path().join("cache"));
        let settings = match (&options.settings, options.author) {
            (Some(settings), _) => Some(settings.clone()),
            (None, Some(author)) => Some(json!({ "author": author })),
            (None, None) => None,
        };
        if let Some(settings) = settings {
            let file = config.join("org.babelfish.desktop/settings.json");
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, settings.to_string()).unwrap();
        }
        let xvfb = match std::env::var_os("DISPLAY") {
            Some(d) if !d.is_empty() && !options.own_display => None,
            _ => Some(Xvfb::start()),
        };
        let display = xvfb
            .as_ref()
            .map(|x| x.display.clone())
            .or_else(|| std::env::var("DISPLAY").ok())
            .unwrap();

        let bus = options.session_bus.then(SessionBus::start);
        let bus_address = bus
            .as_ref()
            .map_or(NO_SESSION_BUS.to_string(), |b| b.address.clone());
        let mut env: Vec<(String, std::ffi::OsString)> = vec![
            ("DISPLAY".into(), display.clone().into()),
            ("XDG_CONFIG_HOME".into(), config.clone().into()),
            ("XDG_DATA_HOME".into(), data.clone().into()),
            ("XDG_CACHE_HOME".into(), cache.clone().into()),
            ("BABELFISH_GLOSSARY".into(), glossary.clone().into()),
            ("DBUS_SESSION_BUS_ADDRESS".into(), bus_address.into()),
        ];
        env.extend(options.env.iter().map(|(k, v)| (k.to_string(), v.into())));

        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let native_port = free_port();
            let mut driver = Command::new(tauri_driver())
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                    "--native-driver",
                    WEBKIT_DRIVER,
                ])
                .envs(env.iter().map(|(k, v)| (k, v)))
                // Debug builds answer the next native file dialog from this file (see
                // src/services/dialog.rs); `App::answer_next_dialog` writes it.
                .env("BABELFISH_TEST_DIALOGS", root.path().join("dialog-answer"))
                .stdout(Stdio::null())
                // BABELFISH_TEST_LOG=1 shows the driver's and the app's stderr.
                .stderr(if std::env::var_os("BABELFISH_TEST_LOG").is_some() {
                    Stdio::inherit()
                } else {
                    Stdio::null()
                })
                .spawn()
                .expect(
                    "tauri-driver is needed (cargo install tauri-driver --version ^2 --locked)",
                );
            let deadline = Instant::now() + Duration::from_secs(10);
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "tauri-driver did not listen on {port}"
                );
                std::thread::sleep(Duration::from_millis(25));
            }
            let started = Instant::now();
            match connect(port, &options.args).await {
                Ok(client) => {
                    let app = App {
                        client,
                        driver,
                        xvfb,
                        root,
                        glossary,
                        started,
                        display: display.clone(),
                        env,
                        bus,
                    };
                    app.wait_css("body[data-ready='true']").await;
                    return app;
                }
                Err(err) if attempt == 1 => {
                    // GTK fails to initialise about once in 25 launches here; one retry is enough.
                    eprintln!("NOTE: the app failed to start ({err}); retrying once");
                    terminate(&mut driver);
                }
                Err(err) => {
                    terminate(&mut driver);
                    panic!("the app failed to start twice: {err}");
                }
            }
        }
    }

    /// Closes the window (which ends the app) and stops the driver and display.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
        // The display (if ours) stops when `xvfb` drops, after the driver.
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn wait_css(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("timed out waiting for {css}: {e}"))
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls a JS expression until it is truthy.
    pub async fn wait_js(&self, expression: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.js(&format!("return ({expression});")).await;
            if !matches!(value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("")
            {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {expression}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Replaces the search text and waits until results for it are on screen.
    pub async fn search(&self, query: &str) -> Vec<String> {
        let q = self.find("#q").await;
        q.clear().await.unwrap();
        q.send_keys(query).await.unwrap();
        self.wait_rendered(query).await;
        self.hit_ids().await
    }

    pub async fn wait_rendered(&self, query: &str) {
        let query = serde_json::to_string(query).unwrap();
        self.wait_js(&format!(
            "document.getElementById('results').dataset.renderedQuery === {query}"
        ))
        .await;
    }

    pub async fn hit_ids(&self) -> Vec<String> {
        let ids = self
            .js("return [...document.querySelectorAll('#results [role=option]')].map(o => o.dataset.id);")
            .await;
        serde_json::from_value(ids).unwrap()
    }

    /// Waits until the entry view shows `id`.
    pub async fn wait_entry(&self, id: &str) {
        self.wait_css(&format!(
            "#view[data-view='entry'] article[data-entry-id='{id}']"
        ))
        .await;
    }

    pub async fn active_id(&self) -> String {
        self.js("return document.activeElement ? document.activeElement.id : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Sends keys to whatever has focus (WebDriver key codes, e.g. "\u{E015}" for ArrowDown).
    pub async fn keys(&self, keys: &str) {
        let active = self.client.active_element().await.unwrap();
        active.send_keys(keys).await.unwrap();
    }

    /// The next native file dialog the app opens answers `path` (None: the user cancels)
    /// without showing (debug builds; see src/services/dialog.rs).
    pub fn answer_next_dialog(&self, path: Option<&Path>) {
        let answer = path.map(|p| p.display().to_string()).unwrap_or_default();
        std::fs::write(self.root.path().join("dialog-answer"), answer).unwrap();
    }

    /// Sets a text field's value as a paste would (one `input` event), for text WebDriver
    /// cannot type (emoji) or that would take long to type.
    pub async fn paste(&self, css: &str, text: &str) {
        let css = serde_json::to_string(css).unwrap();
        let text = serde_json::to_string(text).unwrap();
        self.js(&format!(
            "const f = document.querySelector({css}); f.focus(); f.value = {text};\
             f.dispatchEvent(new InputEvent('input', {{ bubbles: true, inputType: 'insertFromPaste' }}));\
             return true;"
        ))
        .await;
    }

    /// Saves a screenshot of the window after the DOM has been painted. Always written under
    /// target/; also to docs/screenshots/ when BABELFISH_UPDATE_SCREENSHOTS=1.
    pub async fn screenshot(&self, name: &str) {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await
            .unwrap();
        let png = self.client.screenshot().await.unwrap();
        // e.g. BABELFISH_SCREENSHOT_SUFFIX=-dark with GTK_THEME=Adwaita:dark
        let name = format!(
            "{name}{}",
            std::env::var("BABELFISH_SCREENSHOT_SUFFIX").unwrap_or_default()
        );
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        if std::env::var_os("BABELFISH_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(docs.join(format!("{name}.png")), &png).unwrap();
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        terminate(&mut self.driver);
        // The display (if ours) stops when `xvfb` drops, after the driver.
    }
}

/// Every file under `dirs` with its size and modification time, to show that nothing was
/// written.
pub fn snapshot(
    dirs: &[PathBuf],
) -> std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    fn walk(
        dir: &Path,
        out: &mut std::collections::BTreeMap<PathBuf, (u64, std::time::SystemTime)>,
    ) {
        let Ok(items) = std::fs::read_dir(dir) else {
            return;
        };
        for item in items.flatten() {
            let path = item.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                out.insert(path.clone(), (0, std::time::UNIX_EPOCH));
                walk(&path, out);
            } else {
                out.insert(
                    path,
                    (meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH)),
                );
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for dir in dirs {
        walk(dir, &mut out);
    }
    out
}

/// Files under `dir` whose bytes contain `needle` (as UTF-8 or UTF-16LE).
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let utf8 = needle.as_bytes().to_vec();
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut found = Vec::new();
    for (path, _) in snapshot(&[dir.to_path_buf()]) {
        if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(utf8.len()).any(|w| w == utf8)
                || bytes.windows(utf16.len()).any(|w| w == utf16)
            {
                found.push(path);
            }
        }
    }
    found
}

async fn connect(port: u16, args: &[&str]) -> Result<Client, String> {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        json!({ "application": APP, "args": args }),
    );
    capabilities.insert("browserName".into(), json!("wry"));
    let mut builder = ClientBuilder::rustls().map_err(|e| e.to_string())?;
    builder
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .map_err(|e| e.to_string())
}

/// An Xlib error handler that ignores the error (see [`find_window`]).
unsafe extern "C" fn ignore_x_errors(
    _display: *mut x11_dl::xlib::Display,
    _event: *mut x11_dl::xlib::XErrorEvent,
) -> std::os::raw::c_int {
    0
}

/// Finds a shown top-level window whose WM_NAME contains `title_contains`.
///
/// # Safety
/// `dpy` must be an open display of `x`.
/// A window's title: `_NET_WM_NAME` (UTF-8, so titles such as "Babelfish lookup — CAB" match),
/// else `WM_NAME` in whatever encoding GTK chose (often COMPOUND_TEXT; ASCII matches either way).
///
/// # Safety
/// `dpy` is an open display and `window` one of its windows (an error for a vanished window
/// must be ignored by the caller's error handler).
unsafe fn window_title(
    x: &x11_dl::xlib::Xlib,
    dpy: *mut x11_dl::xlib::Display,
    window: x11_dl::xlib::Window,
) -> Option<String> {
    use x11_dl::xlib;
    let net_wm_name = (x.XInternAtom)(dpy, c"_NET_WM_NAME".as_ptr(), xlib::True);
    let utf8 = (x.XInternAtom)(dpy, c"UTF8_STRING".as_ptr(), xlib::True);
    if net_wm_name != 0 && utf8 != 0 {
        let (mut kind, mut format, mut count, mut after) = (0, 0, 0, 0);
        let mut data: *mut u8 = std::ptr::null_mut();
        let read = (x.XGetWindowProperty)(
            dpy,
            window,
            net_wm_name,
            0,
            1024,
            xlib::False,
            utf8,
            &mut kind,
            &mut format,
            &mut count,
            &mut after,
            &mut data,
        );
        if read == 0 && !data.is_null() {
            let title = (kind == utf8 && format == 8).then(|| {
                String::from_utf8_lossy(std::slice::from_raw_parts(data, count as usize))
                    .into_owned()
            });
            (x.XFree)(data.cast());
            if title.is_some() {
                return title;
            }
        }
    }
    let mut title: xlib::XTextProperty = std::mem::zeroed();
    if (x.XGetWMName)(dpy, window, &mut title) == 0 || title.value.is_null() {
        return None;
    }
    let bytes = std::slice::from_raw_parts(title.value, title.nitems as usize);
    let text = String::from_utf8_lossy(bytes).into_owned();
    (x.XFree)(title.value.cast());
    Some(text)
}

pub unsafe fn find_window(
    x: &x11_dl::xlib::Xlib,
    dpy: *mut x11_dl::xlib::Display,
    title_contains: &str,
) -> Option<x11_dl::xlib::Window> {
    use x11_dl::xlib;
    // Windows come and go while we look (the app closing, a dialog opening): an X error about
    // a vanished window must not reach Xlib's default handler, which exits the whole process.
    (x.XSetErrorHandler)(Some(ignore_x_errors));
    let root = (x.XDefaultRootWindow)(dpy);
    let (mut root_out, mut parent) = (0, 0);
    let mut children: *mut xlib::Window = std::ptr::null_mut();
    let mut count = 0;
    (x.XQueryTree)(
        dpy,
        root,
        &mut root_out,
        &mut parent,
        &mut children,
        &mut count,
    );
    let mut target = None;
    for i in 0..count as usize {
        let window = *children.add(i);
        let mut attributes: xlib::XWindowAttributes = std::mem::zeroed();
        let viewable = (x.XGetWindowAttributes)(dpy, window, &mut attributes) != 0
            && attributes.map_state == xlib::IsViewable;
        if viewable && window_title(x, dpy, window).is_some_and(|t| t.contains(title_contains)) {
            target = Some(window);
        }
    }
    if !children.is_null() {
        (x.XFree)(children.cast());
    }
    target
}

/// Whether a window titled *`title_contains`* is shown on the display.
pub fn window_exists(display: &str, title_contains: &str) -> bool {
    let x = x11_dl::xlib::Xlib::open().expect("libX11");
    let name = std::ffi::CString::new(display).unwrap();
    // SAFETY: the display is opened and closed here and only used in between.
    unsafe {
        let dpy = (x.XOpenDisplay)(name.as_ptr());
        assert!(!dpy.is_null(), "cannot open display {display}");
        let found = find_window(&x, dpy, title_contains).is_some();
        (x.XCloseDisplay)(dpy);
        found
    }
}

/// Asks the app's window to close the way a window manager's close button does: a
/// `WM_DELETE_WINDOW` client message (WebDriver's "close window" destroys the web view instead).
pub fn request_close(display: &str, title_contains: &str) {
    use std::ffi::CString;
    use x11_dl::xlib;
    let x = xlib::Xlib::open().expect("libX11");
    let name = CString::new(display).unwrap();
    // SAFETY: plain Xlib calls on a display we open and close here; every pointer passed is
    // valid for the call.
    unsafe {
        let dpy = (x.XOpenDisplay)(name.as_ptr());
        assert!(!dpy.is_null(), "cannot open display {display}");
        let window = find_window(&x, dpy, title_contains)
            .unwrap_or_else(|| panic!("no window titled *{title_contains}*"));
        let protocols = CString::new("WM_PROTOCOLS").unwrap();
        let delete = CString::new("WM_DELETE_WINDOW").unwrap();
        let mut data = xlib::ClientMessageData::new();
        data.set_long(
            0,
            (x.XInternAtom)(dpy, delete.as_ptr(), 0) as std::os::raw::c_long,
        );
        data.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
        let mut event = xlib::XEvent {
            client_message: xlib::XClientMessageEvent {
                type_: xlib::ClientMessage,
                serial: 0,
                send_event: xlib::True,
                display: dpy,
                window,
                message_type: (x.XInternAtom)(dpy, protocols.as_ptr(), 0),
                format: 32,
                data,
            },
        };
        (x.XSendEvent)(dpy, window, xlib::False, xlib::NoEventMask, &mut event);
        (x.XFlush)(dpy);
        (x.XCloseDisplay)(dpy);
    }
}
