//! Looking a term up from anywhere: what a start of the app asks for (`--lookup TEXT`,
//! `--lookup-selection`), the selection read from the desktop, the small always-on-top lookup
//! window, and its answer built with the same search and entry view the main window uses.
//!
//! The query (possibly a selection from someone's document) lives only in memory, in
//! [`LookupState`]; it is never logged, and the page asks for it through a command rather than
//! receiving it in an event.

use std::sync::Mutex;

use babelfish::{Hit, Reader, SearchRequest};
use serde::Serialize;
use tauri::{
    AppHandle, Emitter, Manager, PhysicalPosition, Runtime, WebviewUrl, WebviewWindow,
    WebviewWindowBuilder,
};

use crate::error::{ErrorCode, IpcError};
use crate::events::MAIN_WINDOW;
use crate::services::view::{self, EntryView};
use babelfish::Workspace;

/// The label of the lookup window (capabilities/lookup.json grants it its commands).
pub const LOOKUP_WINDOW: &str = "lookup";

/// Rust → lookup window: a new lookup is waiting; ask for it with the `lookup` command.
pub const LOOKUP_REQUESTED: &str = "lookup-requested";

/// Rust → main window: open the entry whose id is the payload (an id, never free text).
pub const OPEN_ENTRY: &str = "open-entry";

/// A query longer than this is cut (a whole paragraph selected by mistake is not a term).
pub const MAX_QUERY_CHARS: usize = 100;

/// How many hits the lookup window lists under the best one.
pub const MORE_HITS: usize = 5;

/// The lookup window's size in logical pixels.
const WINDOW_SIZE: (f64, f64) = (440.0, 400.0);

/// Gap between the pointer and the window's corner, so the pointer does not cover it.
const POINTER_GAP: f64 = 16.0;

/// What one start of the app (or a second start handed over) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LaunchRequest {
    /// `--lookup TEXT`: look TEXT up in the lookup window.
    Lookup(String),
    /// `--lookup-selection` (or `--lookup` with no text): look the desktop's selection up.
    LookupSelection,
    /// A `babelfish://` link (a clicked link handed over by the desktop).
    Link(crate::services::link::Link),
    /// Nothing in particular: show the main window.
    Show,
}

/// Reads the arguments after the program's name. Unknown arguments are ignored (a test
/// driver or a desktop launcher may add its own).
pub fn parse_args<I, S>(args: I) -> LaunchRequest
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref();
        if let Some(link) = crate::services::link::parse(arg) {
            return LaunchRequest::Link(link);
        }
        if let Some(text) = arg.strip_prefix("--lookup=") {
            return LaunchRequest::Lookup(text.to_string());
        }
        match arg {
            "--lookup-selection" => return LaunchRequest::LookupSelection,
            "--lookup" => {
                return match args.next_if(|next| !next.as_ref().starts_with("--")) {
                    Some(text) => LaunchRequest::Lookup(text.as_ref().to_string()),
                    None => LaunchRequest::LookupSelection,
                }
            }
            _ => {}
        }
    }
    LaunchRequest::Show
}

/// The term to look up in a piece of selected or given text: spaces collapsed, the quotes and
/// punctuation a selection drags along trimmed, cut at [`MAX_QUERY_CHARS`]. None when nothing
/// is left.
pub fn query_from(text: &str) -> Option<String> {
    const TRIMMED: &[char] = &[
        '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']', '{', '}', '“', '”', '‘', '’',
        '«', '»',
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    let trimmed = joined.trim_matches(|c: char| TRIMMED.contains(&c) || c.is_whitespace());
    let cut: String = trimmed.chars().take(MAX_QUERY_CHARS).collect();
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_string())
}

/// The text selected on the desktop: X11's PRIMARY selection where there is one, else the
/// clipboard. None when neither holds text.
pub fn read_selection() -> Option<String> {
    let mut clipboard = arboard::Clipboard::new().ok()?;
    #[cfg(target_os = "linux")]
    {
        use arboard::{GetExtLinux, LinuxClipboardKind};
        let primary = clipboard
            .get()
            .clipboard(LinuxClipboardKind::Primary)
            .text()
            .ok()
            .filter(|t| !t.trim().is_empty());
        if primary.is_some() {
            return primary;
        }
    }
    clipboard.get_text().ok().filter(|t| !t.trim().is_empty())
}

/// The clipboard's text (what Copy put there, never the PRIMARY selection), for the tray's
/// "Look up clipboard". None when it holds no text.
pub fn read_clipboard() -> Option<String> {
    let mut clipboard = arboard::Clipboard::new().ok()?;
    clipboard.get_text().ok().filter(|t| !t.trim().is_empty())
}

/// The lookup in progress, held for the lookup window to ask for.
#[derive(Debug, Default)]
pub struct LookupState {
    query: Mutex<Option<String>>,
}

impl LookupState {
    /// The query waiting for the lookup window.
    pub fn current(&self) -> Option<String> {
        self.query.lock().map(|q| q.clone()).unwrap_or_default()
    }

    fn set(&self, query: Option<String>) {
        if let Ok(mut slot) = self.query.lock() {
            *slot = query;
        }
    }
}

/// The lookup window's answer: the best hit explained for the reader, and the next few.
#[derive(Debug, Clone, Serialize)]
pub struct LookupView {
    /// The query these results are for (the page drops stale answers).
    pub query: String,
    /// The best hit as the entry view shows it (explanation for the reader's side,
    /// counterparts, false friends); None when nothing matches.
    pub best: Option<EntryView>,
    /// The next few hits, best first.
    pub more: Vec<Hit>,
}

/// Looks `query` up with the main window's search, and builds the best hit's entry view.
pub fn lookup(
    workspace: &Workspace,
    query: &str,
    reader: Option<Reader>,
    editable: bool,
) -> Result<LookupView, IpcError> {
    let request = SearchRequest {
        query: query.to_string(),
        domains: Vec::new(),
        reader,
        limit: MORE_HITS + 1,
        ..SearchRequest::default()
    };
    let glossary = workspace.glossary();
    let mut hits = workspace.search(&request)?.into_iter();
    let best = hits
        .next()
        .and_then(|hit| view::entry_view(glossary, &hit.id, reader, editable));
    Ok(LookupView {
        query: request.query,
        best,
        more: hits.collect(),
    })
}

/// Carries out what a start of the app asked for (this one's or a second start's).
pub fn handle_launch<R: Runtime>(app: &AppHandle<R>, request: LaunchRequest) {
    match request {
        LaunchRequest::Show => show_main(app),
        LaunchRequest::Link(link) => crate::services::link::open(app, link),
        LaunchRequest::Lookup(text) => show_lookup(app, query_from(&text)),
        LaunchRequest::LookupSelection => {
            show_lookup(app, read_selection().and_then(|t| query_from(&t)))
        }
    }
}

/// Shows the main window in front.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Opens (or brings back) the lookup window near the pointer for `query` (None: an empty
/// lookup to type into) and tells it to ask for its results.
pub fn show_lookup<R: Runtime>(app: &AppHandle<R>, query: Option<String>) {
    app.state::<LookupState>().set(query.clone());
    let window = match app.get_webview_window(LOOKUP_WINDOW) {
        Some(window) => window,
        None => match build_lookup_window(app) {
            Ok(window) => window,
            Err(err) => {
                crate::log::error(&format!("cannot open the lookup window: {err}"));
                return;
            }
        },
    };
    let _ = window.set_title(&lookup_title(query.as_deref()));
    place_near_pointer(app, &window);
    let _ = window.show();
    let _ = window.set_focus();
    if let Err(err) = app.emit_to(LOOKUP_WINDOW, LOOKUP_REQUESTED, ()) {
        crate::log::error(&format!("could not reach the lookup window: {err}"));
    }
}

/// The lookup window's title for a query.
pub fn lookup_title(query: Option<&str>) -> String {
    match query {
        Some(query) => format!("Babelfish lookup — {query}"),
        None => "Babelfish lookup".to_string(),
    }
}

/// Hides the lookup window (kept, so the next lookup shows at once).
pub fn hide_lookup<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LOOKUP_WINDOW) {
        let _ = window.hide();
    }
}

/// Closes the lookup window for good (the app is quitting).
pub fn close_lookup<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LOOKUP_WINDOW) {
        let _ = window.destroy();
    }
}

/// Hides the lookup window and opens entry `id` in the main window.
pub fn open_in_main<R: Runtime>(app: &AppHandle<R>, id: &str) -> Result<(), IpcError> {
    hide_lookup(app);
    show_main(app);
    app.emit_to(MAIN_WINDOW, OPEN_ENTRY, id).map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("cannot reach the main window: {e}"),
        )
    })
}

fn build_lookup_window<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    WebviewWindowBuilder::new(app, LOOKUP_WINDOW, WebviewUrl::App("lookup.html".into()))
        .title(lookup_title(None))
        .inner_size(WINDOW_SIZE.0, WINDOW_SIZE.1)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .resizable(false)
        .visible(false)
        .build()
}

/// Moves the window beside the pointer, kept on the pointer's monitor. Where the platform does
/// not say where the pointer is (Wayland), the window stays where the compositor put it.
fn place_near_pointer<R: Runtime>(app: &AppHandle<R>, window: &WebviewWindow<R>) {
    let Ok(pointer) = app.cursor_position() else {
        return;
    };
    let monitor = window.available_monitors().ok().and_then(|monitors| {
        monitors.into_iter().find(|m| {
            let (p, s) = (m.position(), m.size());
            pointer.x >= p.x as f64
                && pointer.y >= p.y as f64
                && pointer.x < p.x as f64 + s.width as f64
                && pointer.y < p.y as f64 + s.height as f64
        })
    });
    let scale = window.scale_factor().unwrap_or(1.0);
    let (width, height) = (WINDOW_SIZE.0 * scale, WINDOW_SIZE.1 * scale);
    let mut x = pointer.x + POINTER_GAP * scale;
    let mut y = pointer.y + POINTER_GAP * scale;
    if let Some(m) = monitor {
        let (p, s) = (m.position(), m.size());
        let right = p.x as f64 + s.width as f64;
        let bottom = p.y as f64 + s.height as f64;
        // Flip to the other side of the pointer rather than run off the screen.
        if x + width > right {
            x = (pointer.x - POINTER_GAP * scale - width).max(p.x as f64);
        }
        if y + height > bottom {
            y = (pointer.y - POINTER_GAP * scale - height).max(p.y as f64);
        }
    }
    let _ = window.set_position(PhysicalPosition::new(x.round() as i32, y.round() as i32));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_ask_for_a_lookup_or_the_selection() {
        let cases: &[(&[&str], LaunchRequest)] = &[
            (&[], LaunchRequest::Show),
            (&["--lookup", "CAB"], LaunchRequest::Lookup("CAB".into())),
            (
                &["--lookup=go live"],
                LaunchRequest::Lookup("go live".into()),
            ),
            (&["--lookup"], LaunchRequest::LookupSelection),
            (&["--lookup", "--other"], LaunchRequest::LookupSelection),
            (&["--lookup-selection"], LaunchRequest::LookupSelection),
            (
                &["--automation", "--lookup", "RFC"],
                LaunchRequest::Lookup("RFC".into()),
            ),
            (&["--unknown"], LaunchRequest::Show),
            (
                &["babelfish://entry/itil/change-advisory-board"],
                LaunchRequest::Link(crate::services::link::Link::Entry(
                    "itil/change-advisory-board".into(),
                )),
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(&parse_args(args.iter()), expected, "{args:?}");
        }
    }

    #[test]
    fn a_selection_becomes_a_short_query() {
        assert_eq!(query_from("  “CAB,”\n").as_deref(), Some("CAB"));
        assert_eq!(
            query_from("change\n  advisory\tboard.").as_deref(),
            Some("change advisory board")
        );
        assert_eq!(query_from("A&E").as_deref(), Some("A&E"));
        assert_eq!(query_from(" .,; "), None);
        let long = "word ".repeat(100);
        let query = query_from(&long).unwrap();
        assert!(query.chars().count() <= MAX_QUERY_CHARS);
        assert!(!query.ends_with(' '));
        // Cut on a character, not a byte.
        assert_eq!(
            query_from(&"é".repeat(300)).unwrap().chars().count(),
            MAX_QUERY_CHARS
        );
    }

    #[test]
    fn the_best_hit_comes_with_its_counterpart_and_the_next_hits() {
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let workspace = Workspace::open(babelfish::GlossarySource::Folder(folder)).unwrap();
        let answer = lookup(&workspace, "CAB", Some(Reader::Clinician), false).unwrap();
        let best = answer.best.expect("CAB names an entry");
        assert_eq!(best.entry.id, "itil/change-advisory-board");
        assert!(
            best.explanation_first,
            "a clinician reads the IT term's explanation first"
        );
        assert!(best
            .counterparts
            .iter()
            .any(|c| c.id == "clinical/clinical-governance-committee"));
        assert!(answer.more.len() <= MORE_HITS);
        assert!(answer.more.iter().all(|hit| hit.id != best.entry.id));

        let nothing = lookup(&workspace, "zzzqqq", None, false).unwrap();
        assert!(nothing.best.is_none() && nothing.more.is_empty());
    }

    #[test]
    fn the_title_names_the_query() {
        assert_eq!(lookup_title(Some("CAB")), "Babelfish lookup — CAB");
        assert_eq!(lookup_title(None), "Babelfish lookup");
    }
}
