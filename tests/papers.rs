//! Realistic hospital papers (tests/papers/*.txt, fictional, written for these tests) and the
//! jargon in each with the entry that explains it (*.tsv). For every listed term, the annotator
//! must mark it in the paper with the right entry (as its reading or one of its alternatives).
//! Prints recall per paper, for the clean text and for the same text as copied out of a PDF
//! (`*.pdftext.txt`: hard-wrapped, hyphenated at line ends, no-break spaces, soft hyphens, CRLF),
//! and holds the clean text to the content issue's target of 95 % (measured 99.2 % on 7 Dec
//! 2026 after the glossary's gaps were filled; the misses are printed). The PDF copy must find exactly
//! as many as the pasted text: the clean-up layer (`src/clean.rs`) runs in the annotate path.

use std::path::Path;

use babelfish::annotate::Annotator;

/// Folds what a PDF copy changes, so an annotated stretch can be compared with the term as
/// written: soft hyphens and hyphens go (a line-end hyphen may be the author's, `go/no-⏎go`),
/// any run of spaces (no-break spaces and line ends included) is one space, case is ignored.
fn fold(text: &str) -> String {
    let joined = text
        .replace('\u{AD}', "")
        .replace("-\r\n", "")
        .replace("-\n", "")
        .replace('-', "");
    joined
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// (found, total, misses) for one text: a listed term is found when an annotation with the
/// right entry covers it (or it covers the annotation).
fn recall(
    annotator: &Annotator,
    glossary: &babelfish::Glossary,
    text: &str,
    rows: &[(String, Vec<String>)],
) -> (usize, usize, Vec<String>) {
    let annotated = annotator.annotate(glossary, text, None);
    let mut found = 0;
    let mut misses = Vec::new();
    for (surface, expected) in rows {
        let wanted = fold(surface);
        // The reader is helped when the term, or a longer term that contains it ("the
        // deteriorating patient"), or the core of it ("Flow Meeting" in "Site Flow Meeting") is
        // marked with the right entry.
        let hit = annotated.annotations.iter().any(|a| {
            let marked = fold(&a.text);
            (marked.contains(&wanted) || wanted.contains(&marked))
                && (expected.contains(&a.id)
                    || a.alternatives.iter().any(|alt| expected.contains(&alt.id)))
        });
        if hit {
            found += 1;
        } else {
            misses.push(format!("  miss: {surface:?} → {}", expected.join(" | ")));
        }
    }
    (found, rows.len(), misses)
}

#[test]
fn the_jargon_of_realistic_papers_is_annotated_with_the_right_entry() {
    let loaded = babelfish::bundled::load();
    let annotator = Annotator::new(&loaded.glossary);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/papers");
    let mut tables: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    tables.sort();
    assert!(tables.len() >= 3, "expected three papers, found {tables:?}");
    let (mut all_found, mut all_rows, mut all_pdf_found) = (0, 0, 0);
    let mut all_documents_found = [0, 0];
    for table in tables {
        let name = table.file_stem().unwrap().to_string_lossy().into_owned();
        let rows: Vec<(String, Vec<String>)> = std::fs::read_to_string(&table)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (surface, ids) = l.split_once('\t').expect("surface<TAB>ids");
                let ids: Vec<String> = ids.split('|').map(|i| i.trim().to_string()).collect();
                for id in &ids {
                    assert!(
                        loaded.glossary.get(id).is_some(),
                        "{name}: {id} is not an entry"
                    );
                }
                (surface.to_string(), ids)
            })
            .collect();
        let clean = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        for (surface, _) in &rows {
            assert!(
                clean.contains(surface.as_str()),
                "{name}: {surface:?} is not in the text"
            );
        }
        let (found, total, misses) = recall(&annotator, &loaded.glossary, &clean, &rows);
        println!(
            "{name} (pasted text): {found}/{total} = {:.1} % with the right entry",
            100.0 * found as f64 / total as f64
        );
        misses.iter().for_each(|m| println!("{m}"));
        all_found += found;
        all_rows += total;
        if let Ok(pdf) = std::fs::read_to_string(dir.join(format!("{name}.pdftext.txt"))) {
            let (found, total, misses) = recall(&annotator, &loaded.glossary, &pdf, &rows);
            println!(
                "{name} (copied out of a PDF): {found}/{total} = {:.1} %",
                100.0 * found as f64 / total as f64
            );
            misses.iter().for_each(|m| println!("{m}"));
            all_pdf_found += found;
        }
        // The paper as it arrives: a Word document and a PDF made by a real writer (lopdf),
        // each taken apart by the document layer and annotated.
        for (n, (form, bytes)) in as_documents(&clean).into_iter().enumerate() {
            let text = babelfish::document::extract(&format!("{name}.{form}"), &bytes)
                .unwrap_or_else(|e| panic!("{name}.{form}: {e}"))
                .text;
            let (found, total, misses) = recall(&annotator, &loaded.glossary, &text, &rows);
            println!(
                "{name} (as .{form}): {found}/{total} = {:.1} %",
                100.0 * found as f64 / total as f64
            );
            misses.iter().for_each(|m| println!("{m}"));
            all_documents_found[n] += found;
        }
    }
    // Whichever form the paper arrives in, the same jargon is found.
    assert_eq!(
        all_documents_found,
        [all_found, all_found],
        "a .docx and a PDF must find what the pasted text finds (docx, pdf)"
    );
    println!(
        "all papers (copied out of a PDF): {all_pdf_found}/{all_rows} = {:.1} %",
        100.0 * all_pdf_found as f64 / all_rows as f64
    );
    // The clean-up layer (line-end hyphenation, re-flow, soft hyphens) makes text copied out of
    // a PDF read as the pasted text does.
    assert_eq!(
        all_pdf_found, all_found,
        "text copied out of a PDF must find what the pasted text finds"
    );
    let share = all_found as f64 / all_rows as f64;
    println!(
        "all papers (pasted text): {all_found}/{all_rows} = {:.1} %",
        share * 100.0
    );
    // The content issue's target.
    assert!(
        share >= 0.95,
        "recall {:.1} % is below the 95 % target",
        share * 100.0
    );
}

/// The paper as a .docx (one paragraph per blank-line-separated block) and as an A4 PDF (lines
/// of up to 95 characters, 55 a page), written by the same writers as the document tests.
fn as_documents(text: &str) -> [(&'static str, Vec<u8>); 2] {
    use babelfish::document::sample;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let body: String = paragraphs
        .iter()
        .map(|p| sample::docx_paragraph(p))
        .collect();
    let lines = sample::wrap(&paragraphs.join("\n\n"), 95);
    let pages: Vec<Vec<String>> = lines.chunks(55).map(<[String]>::to_vec).collect();
    [
        ("docx", sample::docx(&body, &[])),
        ("pdf", sample::pdf(&pages)),
    ]
}
