//! Documents (issue 17): each format made in the test (OOXML/ODF XML zipped with the `zip`
//! crate, PDFs written by lopdf), each kind of bad input, each clean-up rule with its offsets
//! checked against the original; `babelfish translate FILE` on
//! documents is in `cli/tests/translate.rs`.

use babelfish::clean::clean;
use babelfish::document::sample::{self, docx_paragraph as p};
use babelfish::document::{extract, DocumentError, Format};

fn text_of(bytes: &[u8]) -> (Format, String) {
    let doc = extract("test-file", bytes).unwrap_or_else(|e| panic!("{e}"));
    (doc.format, doc.text)
}

fn error_of(bytes: &[u8]) -> String {
    match extract("board-paper.bin", bytes) {
        Ok(doc) => panic!("expected an error, read {:?}", doc.text),
        Err(err) => {
            let message = err.to_string();
            assert!(message.contains("board-paper.bin"), "{message}");
            message
        }
    }
}

/// Paragraph order as `needles` are found in `text`.
fn assert_in_order(text: &str, needles: &[&str]) {
    let mut at = 0;
    for needle in needles {
        let found = text[at..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not found after byte {at} in {text:?}"));
        at += found + needle.len();
    }
}

// ---------------------------------------------------------------------------------------------
// Formats

#[test]
fn docx_reads_body_tables_headers_footers_footnotes_comments_and_tracked_changes() {
    let body = format!(
        "{}{}\
<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>\
<w:p><w:r><w:t xml:space=\"preserve\">The </w:t></w:r>\
<w:ins w:id=\"1\" w:author=\"PM\"><w:r><w:t xml:space=\"preserve\">revised </w:t></w:r></w:ins>\
<w:del w:id=\"2\" w:author=\"PM\"><w:r><w:delText xml:space=\"preserve\">draft </w:delText></w:r></w:del>\
<w:r><w:t>plan goes to CAB</w:t></w:r><w:r><w:tab/><w:t>&amp; the SRO</w:t></w:r></w:p>\
<w:p><w:r><w:t>e</w:t></w:r><w:r><w:noBreakHyphen/><w:t>obs live</w:t></w:r></w:p>",
        p("Digital Programme Board"),
        p("The RFC was raised by the SRO."),
        p("Risk"),
        p("Go-live slips past tolerance"),
    );
    let parts = [
        (
            "word/header1.xml",
            sample::docx_part("w:hdr", &p("Northfield Hospitals NHS Trust — OFFICIAL")),
        ),
        (
            "word/footer1.xml",
            sample::docx_part("w:ftr", &p("Page footer: PMO")),
        ),
        (
            "word/footnotes.xml",
            sample::docx_part(
                "w:footnotes",
                &format!(
                    "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id=\"1\">{}</w:footnote>",
                    p("Footnote: see the DCB0129 safety case.")
                ),
            ),
        ),
        (
            "word/comments.xml",
            sample::docx_part(
                "w:comments",
                &format!(
                    "<w:comment w:id=\"0\" w:author=\"CCIO\">{}</w:comment>",
                    p("Comment: ask the CSO first.")
                ),
            ),
        ),
    ];
    let (format, text) = text_of(&sample::docx(&body, &parts));
    assert_eq!(format, Format::Docx);
    assert_in_order(
        &text,
        &[
            "Digital Programme Board\n",
            "The RFC was raised by the SRO.\n",
            "Risk\n",
            "Go-live slips past tolerance\n",
            "The revised plan goes to CAB\t& the SRO\n",
            "e\u{2011}obs live\n",
            "OFFICIAL",
            "Page footer: PMO",
            "Footnote: see the DCB0129 safety case.",
            "Comment: ask the CSO first.",
        ],
    );
    assert!(!text.contains("draft"), "deleted text read: {text:?}");
}

#[test]
fn odt_reads_body_spaces_annotations_headers_and_drops_tracked_deletions() {
    let body = "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion><text:p>old wording</text:p></text:deletion></text:changed-region></text:tracked-changes>\
<text:h text:outline-level=\"1\">Site flow huddle</text:h>\
<text:p>OPEL<text:s text:c=\"2\"/>level 3;<text:tab/>12 DTAs in ED.</text:p>\
<text:p>Escalate to the<text:line-break/>site team<office:annotation><dc:creator>Matron</dc:creator><dc:date>2026-01-01</dc:date><text:p>Check the SDEC list</text:p></office:annotation>.</text:p>\
<table:table><table:table-row><table:table-cell><text:p>Ward 20</text:p></table:table-cell><table:table-cell><text:p>ring-fenced</text:p></table:table-cell></table:table-row></table:table>";
    let styles = "<style:master-page style:name=\"Standard\"><style:header><text:p>Bed bureau header</text:p></style:header><style:footer><text:p>Footer: OFFICIAL-SENSITIVE</text:p></style:footer></style:master-page>";
    let (format, text) = text_of(&sample::odt(body, styles));
    assert_eq!(format, Format::Odt);
    assert_in_order(
        &text,
        &[
            "Site flow huddle\n",
            "OPEL  level 3;\t12 DTAs in ED.\n",
            "Escalate to the\nsite team\n",
            "Check the SDEC list\n",
            "Ward 20\n",
            "ring-fenced\n",
            "Bed bureau header",
            "Footer: OFFICIAL-SENSITIVE",
        ],
    );
    for gone in ["old wording", "Matron", "2026-01-01"] {
        assert!(!text.contains(gone), "{gone} read: {text:?}");
    }
}

#[test]
fn pptx_reads_slides_in_number_order_then_notes() {
    let slides: Vec<(String, Vec<&str>)> = (1..=11)
        .map(|i| {
            (
                format!("Slide {i} title"),
                vec!["EPR go-live", "SRO sign-off"],
            )
        })
        .collect();
    let borrowed: Vec<(&str, &[&str])> = slides
        .iter()
        .map(|(t, b)| (t.as_str(), b.as_slice()))
        .collect();
    let (format, text) = text_of(&sample::pptx(
        &borrowed,
        &[(2, "Speaker note: mention CAB")],
    ));
    assert_eq!(format, Format::Pptx);
    assert_in_order(
        &text,
        &[
            "Slide 1 title\nEPR go-live\nSRO sign-off",
            "Slide 2 title",
            "Slide 10 title",
            "Slide 11 title",
            "Speaker note: mention CAB",
        ],
    );
}

#[test]
fn a_pdf_written_by_lopdf_is_read_in_order() {
    let pages = vec![
        vec![
            "Digital Programme Board".to_string(),
            "The SRO asked the CAB to review the RFC for the ePMA go-".to_string(),
            "live; the escal-".to_string(),
            "ation route is the Programme".to_string(),
            "Board.".to_string(),
        ],
        vec![
            "Page two: Clinical Safety Officer sign-off.".to_string(),
            "Justified:\tthe\tSenior\tResponsible\tOwner\tsigned.".to_string(),
        ],
    ];
    let bytes = sample::pdf(&pages);
    let (format, text) = text_of(&bytes);
    assert_eq!(format, Format::Pdf);
    assert_in_order(
        &text,
        &[
            "Digital Programme Board",
            "The SRO asked the CAB to review the RFC",
            "escal-",
            "ation route is the Programme",
            "Board.",
            "Page two: Clinical Safety Officer sign-off.",
            // Words placed apart with no space character between them still read as words.
            "Justified: the Senior Responsible Owner signed.",
        ],
    );
    // The same PDF through lopdf's own extraction, for the record (docs/benchmarks.md): the
    // same words, but no break between pages.
    let lopdf = babelfish::document::extract_with_lopdf(&bytes).unwrap_or_default();
    println!("pdf-extract: {text:?}\nlopdf:       {lopdf:?}");

    // Cleaned and annotated: the hyphenated and line-split terms are found, and every offset
    // points at the extracted text.
    let loaded = babelfish::bundled::load();
    let annotator = babelfish::annotate::Annotator::new(&loaded.glossary);
    let found = annotator.annotate(&loaded.glossary, &text, None);
    for a in &found.annotations {
        assert_eq!(&text[a.start..a.end], a.text);
    }
    let texts: Vec<&str> = found.annotations.iter().map(|a| a.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("escal-") && t.ends_with("ation")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Programme") && t.ends_with("Board")),
        "{texts:?}"
    );
}

#[test]
fn html_reads_the_visible_text_only() {
    let page = b"<!DOCTYPE html><html><head><title>Hidden title</title><style>p{color:red}</style>\
<script>var secret = 'not text';</script></head><body><h1>Site flow</h1>\
<p>12 DTAs &amp; 3 <b>MFFD</b> patients;&nbsp;OPEL 3</p><table><tr><td>Ward 20</td><td>SDEC</td></tr></table></body></html>";
    let (format, text) = text_of(page);
    assert_eq!(format, Format::Html);
    assert_in_order(
        &text,
        &[
            "Site flow",
            "12 DTAs & 3 MFFD patients;",
            "OPEL 3",
            "Ward 20",
            "SDEC",
        ],
    );
    for gone in ["secret", "color", "Hidden title"] {
        assert!(!text.contains(gone), "{gone} read: {text:?}");
    }
}

#[test]
fn email_reads_the_subject_and_plain_and_html_parts() {
    let plain = "From: PMO <pmo@example.nhs.uk>\r\nTo: Board <board@example.nhs.uk>\r\n\
Subject: Go-live readiness: CAB outcome\r\nDate: Tue, 20 Jan 2026 09:00:00 +0000\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
The CAB approved the RFC; the SRO will con=\r\nfirm.\r\n\
--b1--\r\n";
    let (format, text) = text_of(plain.as_bytes());
    assert_eq!(format, Format::Email);
    assert_in_order(
        &text,
        &[
            "Go-live readiness: CAB outcome",
            "The CAB approved the RFC; the SRO will confirm.",
        ],
    );

    let html_only = "From: PMO <pmo@example.nhs.uk>\r\nSubject: Huddle\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>OPEL 3 declared;<br>12 DTAs.</p><script>x()</script></body></html>\r\n";
    let (format, text) = text_of(html_only.as_bytes());
    assert_eq!(format, Format::Email);
    assert_in_order(&text, &["Huddle", "OPEL 3 declared;", "12 DTAs."]);
    assert!(!text.contains("x()"), "{text:?}");
}

#[test]
fn text_and_markdown_go_through_the_one_decoder() {
    let (format, text) = text_of("\u{feff}# Notes\nThe CAB met.".as_bytes());
    assert_eq!(format, Format::Text);
    assert_eq!(text, "# Notes\nThe CAB met.");
    let err = error_of(b"caf\xe9 latin-1");
    assert!(err.contains("not UTF-8"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Bad input: each a clear message naming the file and what to do, quickly.

#[test]
fn a_password_protected_office_file_is_named_as_such() {
    // An encrypted .docx is an OLE compound file holding an `EncryptedPackage` stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 512));
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let err = error_of(&ole);
    assert!(
        err.contains("password") && err.contains("save a copy without"),
        "{err}"
    );

    let mut legacy = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    legacy.extend(std::iter::repeat_n(0u8, 512));
    let err = error_of(&legacy);
    assert!(
        err.contains("97–2003") && err.contains("save it as .docx"),
        "{err}"
    );
}

#[test]
fn an_encrypted_pdf_is_named_as_such() {
    let bytes = sample::pdf(&[vec!["Secret board paper".to_string()]]);
    // Point the trailer at a standard security handler that no empty password opens.
    let mut doc = lopdf::Document::load_mem(&bytes).unwrap();
    use lopdf::dictionary;
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard",
        "V" => 1,
        "R" => 2,
        "O" => lopdf::Object::String(vec![7; 32], lopdf::StringFormat::Hexadecimal),
        "U" => lopdf::Object::String(vec![9; 32], lopdf::StringFormat::Hexadecimal),
        "P" => -4,
    });
    doc.trailer.set("Encrypt", encrypt);
    let id = lopdf::Object::String(vec![1; 16], lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let err = error_of(&bytes);
    assert!(err.contains("password") && err.contains("PDF"), "{err}");
}

#[test]
fn a_pdf_with_no_text_layer_looks_scanned() {
    let bytes = sample::pdf(&[Vec::new(), Vec::new()]);
    let err = error_of(&bytes);
    assert!(
        err.contains("no text layer: it looks scanned (2 pages"),
        "{err}"
    );
    assert!(err.contains("OCR"), "{err}");
}

#[test]
fn a_pdf_over_the_page_limit_is_refused_before_it_is_read() {
    let pages = vec![vec!["x".to_string()]; babelfish::limits::MAX_PDF_PAGES + 1];
    let started = std::time::Instant::now();
    let err = error_of(&sample::pdf(&pages));
    assert!(
        err.contains("501 pages") && err.contains("up to 500"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn a_zip_bomb_stops_at_the_unpacked_limit() {
    // 51 MiB of spaces inside the body compresses to about 50 KB.
    let filler = vec![b' '; (babelfish::limits::MAX_UNPACKED_BYTES + (1 << 20)) as usize];
    let mut document = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
    document.extend_from_slice(&filler);
    document.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    let bytes = sample::zip(&[("word/document.xml", &document)]);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    let err = error_of(&bytes);
    assert!(err.contains("zip bomb") && err.contains("50 MiB"), "{err}");

    let names: Vec<String> = (0..=babelfish::limits::MAX_ARCHIVE_ENTRIES)
        .map(|i| format!("word/media/{i}.bin"))
        .collect();
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", b"<w:document/>")];
    parts.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    let err = error_of(&sample::zip(&parts));
    assert!(err.contains("10000 parts"), "{err}");
}

#[test]
fn corrupt_and_cut_short_files_say_what_to_do() {
    let docx = sample::docx(&p("The CAB met."), &[]);
    let err = error_of(&docx[..docx.len() / 2]);
    assert!(err.contains("damaged or cut short"), "{err}");

    let bad_xml = sample::zip(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    let err = error_of(&bad_xml);
    assert!(
        err.contains("a Word document (.docx)") && err.contains("word/document.xml"),
        "{err}"
    );

    let pdf = sample::pdf(&[vec!["The CAB met.".to_string()]]);
    let err = error_of(&pdf[..pdf.len() / 3]);
    assert!(
        err.contains("a PDF") && err.contains("save it again"),
        "{err}"
    );

    let err = error_of(&sample::zip(&[("notes.txt", b"CAB")]));
    assert!(err.contains("does not read"), "{err}");
}

#[test]
fn garbage_after_a_pdf_header_never_panics_the_caller() {
    // Fuzz-like: every prefix length of a real PDF with its bytes flipped, all an error or text.
    let pdf = sample::pdf(&[vec!["The CAB met.".to_string()]]);
    for cut in (16..pdf.len()).step_by(37) {
        let mut bytes = pdf[..cut].to_vec();
        for b in bytes.iter_mut().skip(9).step_by(11) {
            *b ^= 0x5A;
        }
        let _ = extract("fuzz.pdf", &bytes);
    }
}

#[test]
fn document_errors_are_plain_sentences() {
    let err = DocumentError::NoTextLayer {
        name: "scan.pdf".into(),
        pages: 1,
    };
    assert_eq!(
        err.to_string(),
        "scan.pdf has no text layer: it looks scanned (1 page of images only). Run it through text recognition (OCR) first, or ask the author for the original document"
    );
}

// ---------------------------------------------------------------------------------------------
// The clean-up layer: each rule, offsets checked against the original.

/// Cleans `original`, checks the cleaned text, and checks that `term` in the cleaned text maps
/// back to `expected_span` in the original.
fn check_rule(original: &str, cleaned: &str, term: &str, expected_span: &str) {
    let c = clean(original);
    assert_eq!(c.text, cleaned, "cleaning {original:?}");
    let at = c
        .text
        .find(term)
        .unwrap_or_else(|| panic!("{term:?} in {:?}", c.text));
    let (start, end) = c.original_range(original, at, at + term.len());
    assert_eq!(
        &original[start..end],
        expected_span,
        "{term:?} in {original:?}"
    );
}

#[test]
fn clean_up_joins_line_end_hyphenation() {
    check_rule(
        "the escal-\nation route",
        "the escalation route",
        "escalation",
        "escal-\nation",
    );
    check_rule(
        "Chief Digital Informa-\r\ntion Officer",
        "Chief Digital Information Officer",
        "Chief Digital Information Officer",
        "Chief Digital Informa-\r\ntion Officer",
    );
    // A hyphen before a capital or a digit is part of the word.
    check_rule("COVID-\n19 ward", "COVID- 19 ward", "ward", "ward");
}

#[test]
fn clean_up_keeps_a_hyphen_the_text_writes_elsewhere() {
    check_rule(
        "a go/no-\ngo decision; the no-go criteria",
        "a go/no-go decision; the no-go criteria",
        "go/no-go",
        "go/no-\ngo",
    );
}

#[test]
fn clean_up_joins_at_a_soft_hyphen_line_end() {
    check_rule(
        "time toler\u{AD}\nance",
        "time tolerance",
        "tolerance",
        "toler\u{AD}\nance",
    );
}

#[test]
fn clean_up_reflows_lines_but_keeps_paragraphs_and_list_items() {
    check_rule(
        "to the Programme\nBoard today.\n\nNext: risks:\n- one\n- two",
        "to the Programme Board today.\n\nNext: risks:\n- one\n- two",
        "Programme Board",
        "Programme\nBoard",
    );
    check_rule("a\r\nb\r\n\r\nc", "a b\r\n\r\nc", "b", "b");
}

#[test]
fn clean_up_removes_soft_hyphens_and_folds_spaces_and_hyphens() {
    check_rule(
        "toler\u{AD}ance",
        "tolerance",
        "tolerance",
        "toler\u{AD}ance",
    );
    check_rule("NHS\u{A0}111 now", "NHS 111 now", "NHS 111", "NHS\u{A0}111");
    check_rule("e\u{2010}obs and", "e-obs and", "e-obs", "e\u{2010}obs");
    check_rule(
        "zero\u{200B}width",
        "zerowidth",
        "zerowidth",
        "zero\u{200B}width",
    );
    // A Unicode hyphen at a line end joins like an ASCII one.
    check_rule(
        "escal\u{2010}\nation",
        "escalation",
        "escalation",
        "escal\u{2010}\nation",
    );
}

proptest::proptest! {
    /// Any text: every cleaned offset maps to a character boundary of the original, in order,
    /// and a cleaned range never maps to a reversed or out-of-bounds range.
    #[test]
    fn clean_up_offsets_stay_in_order_on_character_boundaries(
        original in "[ab \\-\n\r\u{AD}\u{A0}\u{2010}\u{200B}•1.]{0,40}"
    ) {
        let c = clean(&original);
        let mut last = 0;
        for (i, _) in c.text.char_indices() {
            let o = c.original_start(i);
            proptest::prop_assert!(o <= original.len() && original.is_char_boundary(o), "{o} in {original:?}");
            proptest::prop_assert!(o >= last, "offsets go back at {i} in {original:?}");
            last = o;
            let (s, e) = c.original_range(&original, i, c.text.len());
            proptest::prop_assert!(s <= e && e <= original.len() && original.is_char_boundary(e));
        }
    }
}

#[test]
fn annotations_of_cleaned_text_point_into_the_original() {
    let loaded = babelfish::bundled::load();
    let annotator = babelfish::annotate::Annotator::new(&loaded.glossary);
    let original = "Sponsor: the SRO. An exception re-\r\nport to the Change\r\nAdvisory Board; time toler\u{AD}\r\nance holds.";
    let found = annotator.annotate(&loaded.glossary, original, None);
    let spans: Vec<&str> = found.annotations.iter().map(|a| a.text.as_str()).collect();
    for a in &found.annotations {
        assert_eq!(&original[a.start..a.end], a.text);
    }
    for expected in ["exception re-\r\nport", "SRO", "Change\r\nAdvisory Board"] {
        assert!(spans.contains(&expected), "{expected:?} not in {spans:?}");
    }
    assert!(spans.contains(&"time toler\u{AD}\r\nance"), "{spans:?}");
}
