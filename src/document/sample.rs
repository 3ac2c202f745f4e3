//! Real documents made in memory, for tests and benchmarks: .docx, .odt and .pptx written with
//! the `zip` crate as the formats' own XML, and PDFs written by `lopdf` with a real font and text
//! operators. Nothing is written to disk.

use std::io::{Cursor, Write};

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Object, Stream};
use zip::write::SimpleFileOptions;

/// Escapes text for XML: the core's one HTML escaper, whose entities XML reads the same way.
pub fn xml_escape(text: &str) -> String {
    crate::render::escape::html(text)
}

/// A zip archive of `(path, content)` parts, deflated.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (path, content) in parts {
        writer.start_file(*path, options).expect("zip part");
        writer.write_all(content).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A WordprocessingML paragraph of one run.
pub fn docx_paragraph(text: &str) -> String {
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        xml_escape(text)
    )
}

/// A .docx whose body is `body` (WordprocessingML inside `<w:body>`), with more parts
/// (`word/header1.xml`, `word/footnotes.xml`, …) given whole.
pub fn docx(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let mut all: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    for (path, xml) in parts {
        all.push((path, xml.as_bytes()));
    }
    zip(&all)
}

/// A whole WordprocessingML part (`w:hdr`, `w:ftr`, `w:footnotes`, `w:comments`) around `inner`.
pub fn docx_part(root: &str, inner: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} {W}>{inner}</{root}>")
}

/// An OpenDocument text file whose `<office:text>` holds `body`, with headers and footers in
/// `master_styles` (the inside of `<office:master-styles>`).
pub fn odt(body: &str, master_styles: &str) -> Vec<u8> {
    let ns = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\"";
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {ns}><office:automatic-styles/><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {ns}><office:master-styles>{master_styles}</office:master-styles></office:document-styles>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("styles.xml", styles.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

/// A .pptx with one slide per item, each a title and body paragraphs, and speaker notes.
pub fn pptx(slides: &[(&str, &[&str])], notes: &[(usize, &str)]) -> Vec<u8> {
    let ns = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
    let para = |t: &str| format!("<a:p><a:r><a:t>{}</a:t></a:r></a:p>", xml_escape(t));
    let mut parts: Vec<(String, String)> = vec![(
        "ppt/presentation.xml".into(),
        format!("<?xml version=\"1.0\"?>\n<p:presentation {ns}/>"),
    )];
    for (i, (title, body)) in slides.iter().enumerate() {
        let shapes: String = std::iter::once(para(title))
            .chain(body.iter().map(|t| para(t)))
            .map(|p| format!("<p:sp><p:txBody>{p}</p:txBody></p:sp>"))
            .collect();
        parts.push((
            format!("ppt/slides/slide{}.xml", i + 1),
            format!("<?xml version=\"1.0\"?>\n<p:sld {ns}><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:sld>"),
        ));
    }
    for (slide, text) in notes {
        parts.push((
            format!("ppt/notesSlides/notesSlide{slide}.xml"),
            format!("<?xml version=\"1.0\"?>\n<p:notes {ns}><p:cSld><p:spTree><p:sp><p:txBody>{}</p:txBody></p:sp></p:spTree></p:cSld></p:notes>", para(text)),
        ));
    }
    let borrowed: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(p, x)| (p.as_str(), x.as_bytes()))
        .collect();
    zip(&borrowed)
}

/// A PDF (A4, Helvetica 10 pt) with the given lines on each page, written by lopdf with real
/// text operators. A page given no lines is a page with a drawn box and no text (as a scan
/// with no text layer looks to a reader). A line with tabs is set as a `TJ` array: its words
/// placed apart by a gap, with no space character between them.
// Long: one PDF object graph written in order, its object ids shared throughout.
pub fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids: Vec<Object> = Vec::new();
    for lines in pages {
        let mut operations = Vec::new();
        if lines.is_empty() {
            operations.push(Operation::new(
                "re",
                vec![72.into(), 72.into(), 451.into(), 698.into()],
            ));
            operations.push(Operation::new("S", vec![]));
        } else {
            operations.push(Operation::new("BT", vec![]));
            operations.push(Operation::new("Tf", vec!["F1".into(), 10.into()]));
            operations.push(Operation::new("TL", vec![13.into()]));
            operations.push(Operation::new("Td", vec![60.into(), 790.into()]));
            let latin1 = |text: &str| {
                let bytes: Vec<u8> = text
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                Object::String(bytes, lopdf::StringFormat::Literal)
            };
            for line in lines {
                if line.contains('\t') {
                    // Words placed by a `TJ` array with a gap and no space character between
                    // them, as justifying and kerning PDF writers do.
                    let mut array = Vec::new();
                    for (i, word) in line.split('\t').enumerate() {
                        if i > 0 {
                            array.push(Object::Integer(-300));
                        }
                        array.push(latin1(word));
                    }
                    operations.push(Operation::new("TJ", vec![Object::Array(array)]));
                } else {
                    operations.push(Operation::new("Tj", vec![latin1(line)]));
                }
                operations.push(Operation::new("T*", vec![]));
            }
            operations.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations };
        let content_id = doc.add_object(Stream::new(
            dictionary! {},
            content.encode().expect("content stream"),
        ));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("PDF written to memory");
    bytes
}

/// Wraps `text` into lines of at most `width` characters, words whole.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines.push(String::new());
    }
    lines
}
