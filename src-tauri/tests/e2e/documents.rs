//! Documents in the window (issue 17): a .docx (zipped by the `zip` crate) and a PDF (written by
//! lopdf), made in the test through the core's `document::sample`, opened through the open
//! dialog, highlighted and turned into a crib sheet; and the information-governance check for
//! documents; and a document dropped on the window through the X drag-and-drop protocol (XDND),
//! as a file manager drops it.

use std::path::{Path, PathBuf};

use babelfish::document::sample;

use crate::support::*;

/// A board paper as a .docx: a heading, two paragraphs and a table.
fn board_paper_docx(extra: &str) -> Vec<u8> {
    let body = format!(
        "{}{}{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        sample::docx_paragraph("Digital Programme Board"),
        sample::docx_paragraph("The CAB approved the RFC on Tuesday."),
        sample::docx_paragraph(extra),
        sample::docx_paragraph("Risk"),
        sample::docx_paragraph("The PM will raise an exception report."),
    );
    sample::docx(&body, &[])
}

/// The same kind of paper as a PDF, a term split across a line end.
fn board_paper_pdf(extra: &str) -> Vec<u8> {
    sample::pdf(&[
        vec![
            "Site flow huddle".to_string(),
            "The change advisory".to_string(),
            "board met and approved the RFC.".to_string(),
        ],
        vec![
            extra.to_string(),
            "An exception report follows.".to_string(),
        ],
    ])
}

/// Writes `bytes` as `name` in `dir`.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Opens `path` through the (answered) open dialog and waits for its highlights.
async fn open_document(app: &App, path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    app.answer_next_dialog(Some(path));
    app.click(".t-open").await;
    app.wait_js(&format!(
        "document.querySelector('.translate').dataset.state === 'done' && \
         document.querySelector('.t-file').textContent.includes({name:?})"
    ))
    .await;
}

/// The highlights shown: (text, entry id).
async fn marks(app: &App) -> Vec<(String, String)> {
    serde_json::from_value(
        app.js("return [...document.querySelectorAll('.t-output mark.jargon')].map(m => [m.textContent, m.dataset.id]);")
            .await,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_docx_and_a_pdf_open_highlighted_and_give_a_crib_sheet() {
    let app = App::start(Options::default()).await;
    open_translate(&app).await;
    let docs = tempfile::tempdir().unwrap();

    let docx = write(
        docs.path(),
        "board-paper.docx",
        &board_paper_docx("Owner: Ms Example."),
    );
    open_document(&app, &docx).await;
    let found = marks(&app).await;
    for expected in [
        ("CAB", CAB),
        ("RFC", "itil/request-for-change"),
        ("exception report", "prince2/exception-report"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {found:?}"
        );
    }
    // The document's text (table included) is what the page shows, not the XML.
    let shown = app.text(".t-output").await;
    assert!(shown.contains("Digital Programme Board"), "{shown}");
    assert!(shown.contains("exception report"), "{shown}");
    assert!(!shown.contains("<w:"), "{shown}");

    // Its crib sheet, saved through the save dialog: the terms, not the document's text.
    let crib = docs.path().join("crib.md");
    app.answer_next_dialog(Some(&crib));
    app.click(".t-save-md").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('Crib sheet saved')")
        .await;
    let md = std::fs::read_to_string(&crib).unwrap();
    assert!(md.contains("Change Advisory Board (CAB)"), "{md}");
    assert!(md.contains("Exception report"), "{md}");
    assert!(
        !md.contains("Tuesday") && !md.contains("Ms Example"),
        "{md}"
    );

    // A PDF: a term split across a line end is still found, in the right place.
    let pdf = write(
        docs.path(),
        "huddle.pdf",
        &board_paper_pdf("Owner: Ms Example."),
    );
    open_document(&app, &pdf).await;
    let found = marks(&app).await;
    let cab = found
        .iter()
        .find(|(_, id)| id == CAB)
        .unwrap_or_else(|| panic!("the split term was not found: {found:?}"));
    assert!(
        cab.0.starts_with("change advisory") && cab.0.ends_with("board"),
        "{cab:?}"
    );
    assert!(found.iter().any(|(_, id)| id == "prince2/exception-report"));
    let html = docs.path().join("crib.html");
    app.answer_next_dialog(Some(&html));
    app.click(".t-save-html").await;
    app.wait_js("document.querySelector('.t-status').textContent.includes('crib.html')")
        .await;
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<dt>Change Advisory Board"), "{page}");
    assert!(!page.contains("Site flow huddle"), "{page}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_documents_leaves_nothing_on_disk() {
    let app = App::start(Options::default()).await;
    let root = app.root.path().to_path_buf();
    let before = FoldersBefore::open_translate(&app).await;

    // The documents live outside the app's folders (a PDF's text is stored uncompressed).
    let marker = "Zebedee Quintrell-Marchbanks";
    let patient = format!("Mr {marker}, NHS number 943 476 5919, bed 12.");
    let docs = tempfile::tempdir().unwrap();
    let docx = write(docs.path(), "patient.docx", &board_paper_docx(&patient));
    let pdf = write(docs.path(), "patient.pdf", &board_paper_pdf(&patient));
    for path in [&docx, &pdf] {
        open_document(&app, path).await;
        assert!(app.text(".t-output").await.contains(marker));
        app.click(&format!(".t-output mark[data-id='{CAB}']")).await;
        app.wait_css(".t-pop:not([hidden])").await;
        app.click(".t-pop-close").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    before.assert_unchanged("opening documents");
    app.stop().await;
    // Nothing in the test's folders (app data, config, cache, glossary) holds the text, even
    // after the app exits.
    assert_no_file_holds(
        &root,
        &[
            marker,
            "943 476 5919",
            "Site flow huddle",
            "Digital Programme Board",
        ],
    );
}

/// Drops `paths` on the window titled *`title`* the way a file manager does: the XDND protocol
/// from a source window of our own (enter, position, drop, then the files' URIs handed over
/// through the `XdndSelection` selection). Returns once the window says it is finished, or
/// an error saying which step it did not answer.
fn drop_files_on_window(display: &str, title: &str, paths: &[PathBuf]) -> Result<(), String> {
    use std::ffi::CString;
    use std::os::raw::c_long;
    use x11_dl::xlib;
    let x = xlib::Xlib::open().map_err(|e| e.to_string())?;
    let uri: String = paths
        .iter()
        .map(|p| format!("file://{}\r\n", p.display()))
        .collect();
    let name = CString::new(display).unwrap();
    // SAFETY: plain Xlib calls on a display opened and closed here; every pointer passed is
    // valid for its call, and events are read into a zeroed XEvent.
    unsafe {
        let dpy = (x.XOpenDisplay)(name.as_ptr());
        if dpy.is_null() {
            return Err(format!("cannot open display {display}"));
        }
        let atom = |n: &str| {
            let n = CString::new(n).unwrap();
            (x.XInternAtom)(dpy, n.as_ptr(), 0)
        };
        let target = crate::common::find_window(&x, dpy, title)
            .ok_or_else(|| format!("no window titled *{title}*"))?;
        let root = (x.XDefaultRootWindow)(dpy);
        let source = (x.XCreateSimpleWindow)(dpy, root, 0, 0, 1, 1, 0, 0, 0);
        let selection = atom("XdndSelection");
        let uri_list = atom("text/uri-list");
        (x.XSetSelectionOwner)(dpy, selection, source, xlib::CurrentTime);
        // The middle of the window, in root coordinates.
        let mut attributes: xlib::XWindowAttributes = std::mem::zeroed();
        (x.XGetWindowAttributes)(dpy, target, &mut attributes);
        let (mut rx, mut ry, mut child) = (0, 0, 0);
        (x.XTranslateCoordinates)(
            dpy,
            target,
            root,
            attributes.width / 2,
            attributes.height / 2,
            &mut rx,
            &mut ry,
            &mut child,
        );
        let send = |kind: &str, longs: [c_long; 5]| {
            let mut data = xlib::ClientMessageData::new();
            for (i, l) in longs.into_iter().enumerate() {
                data.set_long(i, l);
            }
            let mut event = xlib::XEvent {
                client_message: xlib::XClientMessageEvent {
                    type_: xlib::ClientMessage,
                    serial: 0,
                    send_event: xlib::True,
                    display: dpy,
                    window: target,
                    message_type: atom(kind),
                    format: 32,
                    data,
                },
            };
            (x.XSendEvent)(dpy, target, xlib::False, xlib::NoEventMask, &mut event);
            (x.XFlush)(dpy);
        };
        let src = source as c_long;
        send("XdndEnter", [src, 5 << 24, uri_list as c_long, 0, 0]);
        let position = ((rx as c_long) << 16) | ry as c_long;
        send(
            "XdndPosition",
            [src, 0, position, 0, atom("XdndActionCopy") as c_long],
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let (status, finished) = (atom("XdndStatus"), atom("XdndFinished"));
        let mut stage = "XdndStatus";
        let result = loop {
            if std::time::Instant::now() > deadline {
                break Err(format!("the window did not answer with {stage}"));
            }
            if (x.XPending)(dpy) == 0 {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            }
            let mut event: xlib::XEvent = std::mem::zeroed();
            (x.XNextEvent)(dpy, &mut event);
            match event.get_type() {
                xlib::ClientMessage if event.client_message.message_type == status => {
                    if event.client_message.data.get_long(1) & 1 == 0 {
                        break Err("the window refused the drop".into());
                    }
                    if stage == "XdndStatus" {
                        stage = "XdndFinished";
                        send("XdndDrop", [src, 0, 0, 0, 0]);
                    }
                }
                xlib::ClientMessage if event.client_message.message_type == finished => {
                    break Ok(());
                }
                xlib::SelectionRequest => {
                    // The window asks for the dropped data: the file's URI.
                    let request = event.selection_request;
                    let mut reply = xlib::XSelectionEvent {
                        type_: xlib::SelectionNotify,
                        serial: 0,
                        send_event: xlib::True,
                        display: dpy,
                        requestor: request.requestor,
                        selection: request.selection,
                        target: request.target,
                        property: 0,
                        time: request.time,
                    };
                    if request.target == uri_list {
                        (x.XChangeProperty)(
                            dpy,
                            request.requestor,
                            request.property,
                            uri_list,
                            8,
                            xlib::PropModeReplace,
                            uri.as_ptr(),
                            uri.len() as i32,
                        );
                        reply.property = request.property;
                    }
                    let mut reply = xlib::XEvent { selection: reply };
                    (x.XSendEvent)(dpy, request.requestor, xlib::False, 0, &mut reply);
                    (x.XFlush)(dpy);
                }
                _ => {}
            }
        };
        (x.XDestroyWindow)(dpy, source);
        (x.XCloseDisplay)(dpy);
        result
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_dropped_on_the_window_opens_in_translate() {
    let app = App::start(Options {
        own_display: true,
        ..Options::default()
    })
    .await;
    // Dropped while the home view shows: the window goes to Translate with the document.
    let docs = tempfile::tempdir().unwrap();
    let docx = write(
        docs.path(),
        "dropped.docx",
        &board_paper_docx("Owner: Ms Example."),
    );
    drop_files(&app, vec![docx.clone()]).await;
    app.wait_js(
        "document.querySelector('.translate')?.dataset.state === 'done' && \
         document.querySelector('.t-file').textContent.includes('dropped.docx')",
    )
    .await;
    assert!(marks(&app)
        .await
        .contains(&("CAB".to_string(), CAB.to_string())));
    // Dropped on the Translate view itself: a PDF replaces it.
    let pdf = write(
        docs.path(),
        "second.pdf",
        &board_paper_pdf("Owner: Ms Example."),
    );
    drop_files(&app, vec![pdf.clone()]).await;
    app.wait_js("document.querySelector('.t-file').textContent.includes('second.pdf')")
        .await;
    app.wait_css(".translate[data-state='done']").await;
    // Two files at once are refused with a message; the document shown stays.
    drop_files(&app, vec![docx, pdf]).await;
    app.wait_css(".translate[data-state='error']").await;
    assert!(app
        .text(".t-status")
        .await
        .contains("drop one document at a time"));
    assert!(app.text(".t-file").await.contains("second.pdf"));
    app.stop().await;
}

/// Drops files on the app's window (off the test's async threads: the X calls block).
async fn drop_files(app: &App, paths: Vec<PathBuf>) {
    let display = app.display.clone();
    tokio::task::spawn_blocking(move || drop_files_on_window(&display, "Babelfish", &paths))
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
}
