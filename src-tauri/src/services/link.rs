//! Links into the glossary: `babelfish://entry/<id>` and `babelfish://search?q=<text>`, for an
//! intranet page, a Teams chat or a paper. The desktop hands a clicked link to the app as an
//! argument (the .deb's desktop file registers the scheme), which a second start forwards to
//! the running app (uses `lookup`'s argument handling).
//!
//! On Windows the installer registers the scheme (tauri-plugin-deep-link's configuration in
//! tauri.conf.json) and Windows starts the app with the link as its argument, as Linux does;
//! macOS hands links to the app as events instead ([`open_links_from_events`]).
//!
//! The link waits in [`PendingLink`] until the main window asks for it (`take_link`), so a
//! link that starts the app is not lost before the page listens, and no text travels in events.

use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::error::{ErrorCode, IpcError};
use crate::events::MAIN_WINDOW;

/// The scheme Babelfish's links use.
pub const SCHEME: &str = "babelfish";

/// Rust → main window: a link is waiting; ask for it with `take_link`.
pub const LINK_OPENED: &str = "link-opened";

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "target", rename_all = "lowercase")]
pub enum Link {
    /// An entry, by id.
    Entry(String),
    /// A search, by its text.
    Search(String),
}

/// Reads a `babelfish://` link; None for anything else (another scheme, an unknown place, an
/// empty target).
pub fn parse(text: &str) -> Option<Link> {
    let url = url::Url::parse(text.trim()).ok()?;
    if url.scheme() != SCHEME {
        return None;
    }
    let link = match url.host_str()? {
        "entry" => {
            let path = url.path().trim_matches('/');
            let id = percent_encoding::percent_decode_str(path)
                .decode_utf8()
                .ok()?;
            Link::Entry(id.into_owned())
        }
        "search" => {
            let query = url.query_pairs().find(|(key, _)| key == "q")?.1;
            Link::Search(query.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ => return None,
    };
    match &link {
        Link::Entry(target) | Link::Search(target) if target.is_empty() => None,
        _ => Some(link),
    }
}

/// What is escaped in a link's path: everything but the characters URLs leave as they are.
const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The link to entry `id` (each part of the id escaped; the `/` between them kept).
pub fn entry_link(id: &str) -> String {
    let parts: Vec<String> = id
        .split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, ESCAPED).to_string())
        .collect();
    format!("{SCHEME}://entry/{}", parts.join("/"))
}

/// The link waiting for the main window.
#[derive(Debug, Default)]
pub struct PendingLink(Mutex<Option<Link>>);

impl PendingLink {
    /// Takes the waiting link (None when there is none).
    pub fn take(&self) -> Option<Link> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// Opens `link` in the main window (brought to the front).
pub fn open<R: Runtime>(app: &AppHandle<R>, link: Link) {
    if let Ok(mut slot) = app.state::<PendingLink>().0.lock() {
        *slot = Some(link);
    }
    crate::services::lookup::show_main(app);
    // Before the page listens (a link that started the app) this reaches nobody; the page
    // asks for the waiting link once it is ready.
    let _ = app.emit_to(MAIN_WINDOW, LINK_OPENED, ());
}

/// Opens the `babelfish://` links the system hands over as events (macOS, through
/// tauri-plugin-deep-link). Elsewhere links arrive as arguments, so this is not registered:
/// the plugin also reports an argument link as an event, which would open it twice.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub fn open_links_from_events<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            if let Some(link) = parse(url.as_str()) {
                open(&handle, link);
            }
        }
    });
}

/// Puts `text` on the clipboard. The clipboard is kept open for the app's life: on X11 the
/// text is served by the program that copied it, for as long as it runs.
pub fn copy_to_clipboard(text: &str) -> Result<(), IpcError> {
    static CLIPBOARD: Mutex<Option<arboard::Clipboard>> = Mutex::new(None);
    let unavailable =
        |e: &dyn std::fmt::Display| IpcError::new(ErrorCode::Io, format!("Cannot copy: {e}"));
    let mut slot = CLIPBOARD.lock().map_err(|e| unavailable(&e))?;
    if slot.is_none() {
        *slot = Some(arboard::Clipboard::new().map_err(|e| unavailable(&e))?);
    }
    let clipboard = slot.as_mut().ok_or_else(|| unavailable(&"no clipboard"))?;
    clipboard.set_text(text).map_err(|e| unavailable(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deb_registers_the_scheme_and_passes_the_link() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(
            config["bundle"]["linux"]["deb"]["desktopTemplate"],
            "linux/babelfish.desktop"
        );
        let desktop = include_str!("../../linux/babelfish.desktop");
        assert!(desktop.contains(&format!("MimeType=x-scheme-handler/{SCHEME};")));
        assert!(
            desktop.contains("Exec={{exec}} %u"),
            "the link reaches argv"
        );
    }

    #[test]
    fn links_name_an_entry_or_a_search() {
        let cab = "itil/change-advisory-board";
        assert_eq!(parse(&entry_link(cab)), Some(Link::Entry(cab.into())));
        assert_eq!(
            entry_link(cab),
            "babelfish://entry/itil/change-advisory-board"
        );
        assert_eq!(
            parse("babelfish://entry/itil/change-advisory-board/"),
            Some(Link::Entry(cab.into()))
        );
        assert_eq!(
            parse("babelfish://search?q=go+live%20date"),
            Some(Link::Search("go live date".into()))
        );
        assert_eq!(
            parse(&entry_link("clinical/café")),
            Some(Link::Entry("clinical/café".into()))
        );
        for other in [
            "https://entry/itil/x",
            "babelfish://entry/",
            "babelfish://search?q=",
            "babelfish://search",
            "babelfish://settings",
            "--lookup",
            "CAB",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
    }
}
