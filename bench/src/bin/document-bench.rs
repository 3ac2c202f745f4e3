//! Document benchmark (issue 17): a 40-page .docx and a 40-page PDF, made by the benchmark from
//! the realistic papers in `tests/papers/`, opened, cleaned and annotated with the bundled
//! glossary; the extraction alone beside it, and lopdf's own text extraction for comparison.
//! Each case runs in a fresh process, so its peak memory is its own.
//!
//! `cargo run --release -p babelfish-bench --bin document-bench [-- RUNS]`

use std::time::{Duration, Instant};

use babelfish::document::{extract, sample};
use babelfish_bench::peak_rss_mib;

const PAPERS: [&str; 3] = [
    include_str!("../../../tests/papers/digital-programme-board.txt"),
    include_str!("../../../tests/papers/site-flow-huddle.txt"),
    include_str!("../../../tests/papers/clinical-safety-case-summary.txt"),
];

/// Lines of 95 characters, 55 to a page (10 pt Helvetica on A4).
const LINES_PER_PAGE: usize = 55;
const PAGES: usize = 40;

/// The papers, repeated, as paragraphs: enough for 40 pages.
fn paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = 0;
    'fill: loop {
        for paper in PAPERS {
            for paragraph in paper.split("\n\n") {
                let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
                if paragraph.is_empty() {
                    continue;
                }
                lines += paragraph.len().div_ceil(95) + 1;
                out.push(paragraph);
                if lines >= PAGES * LINES_PER_PAGE {
                    break 'fill;
                }
            }
        }
    }
    out
}

fn make_docx() -> Vec<u8> {
    let body: String = paragraphs()
        .iter()
        .map(|p| sample::docx_paragraph(p))
        .collect();
    sample::docx(&body, &[])
}

fn make_pdf() -> Vec<u8> {
    let lines = sample::wrap(&paragraphs().join("\n\n"), 95);
    let pages: Vec<Vec<String>> = lines
        .chunks(LINES_PER_PAGE)
        .map(<[String]>::to_vec)
        .collect();
    sample::pdf(&pages)
}

/// One case in this process: prints `median_ms peak_mib words annotations`.
fn one(case: &str, path: &str, runs: usize) {
    let bytes = std::fs::read(path).expect("the benchmark's document");
    let annotating = case.ends_with("all");
    let (loaded, annotator) = if annotating || case == "baseline" {
        let loaded = babelfish::bundled::load();
        let annotator = babelfish::annotate::Annotator::new(&loaded.glossary);
        (Some(loaded), Some(annotator))
    } else {
        (None, None)
    };
    let mut times = Vec::new();
    let (mut words, mut annotations) = (0, 0);
    // The clean-up layer alone times the text already extracted.
    let extracted = (case == "pdf-clean").then(|| extract("bench", &bytes).expect("reads").text);
    for _ in 0..runs {
        let started = Instant::now();
        match case {
            "baseline" => {}
            "pdf-clean" => {
                let text = extracted.as_deref().unwrap_or_default();
                words = text.split_whitespace().count();
                annotations = babelfish::clean::clean(text).text.len();
            }
            "pdf-lopdf" => {
                let text = babelfish::document::extract_with_lopdf(&bytes).expect("lopdf");
                words = text.split_whitespace().count();
            }
            _ => {
                let doc = extract("bench", &bytes).expect("the document reads");
                words = doc.text.split_whitespace().count();
                if let (Some(loaded), Some(annotator)) = (&loaded, &annotator) {
                    let found = annotator.annotate(&loaded.glossary, &doc.text, None);
                    annotations = found.annotations.len();
                }
            }
        }
        times.push(started.elapsed());
    }
    times.sort();
    let median: Duration = times[times.len() / 2];
    println!(
        "{:.1} {:.1} {words} {annotations}",
        median.as_secs_f64() * 1e3,
        peak_rss_mib()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "--one" {
        one(&args[2], &args[3], args[4].parse().expect("runs"));
        return;
    }
    let runs: usize = args
        .get(1)
        .map_or(5, |a| a.parse().expect("a number of runs"));
    let dir = tempfile::tempdir().expect("a temporary folder for the generated documents");
    let docx = dir.path().join("paper.docx");
    let pdf = dir.path().join("paper.pdf");
    std::fs::write(&docx, make_docx()).expect("write docx");
    std::fs::write(&pdf, make_pdf()).expect("write pdf");
    println!(
        "documents: .docx {} KB, PDF {} KB ({PAGES} pages of {LINES_PER_PAGE} lines); median of {runs} runs, release build",
        std::fs::metadata(&docx).unwrap().len() / 1024,
        std::fs::metadata(&pdf).unwrap().len() / 1024
    );
    println!("| case | time (median) | peak RSS | words | annotations |");
    println!("|---|---:|---:|---:|---:|");
    let exe = std::env::current_exe().expect("own path");
    for (case, file, what) in [
        (
            "baseline",
            &docx,
            "glossary loaded and annotator built, no document",
        ),
        ("docx-extract", &docx, ".docx: extraction alone"),
        ("docx-all", &docx, ".docx: opened, cleaned and annotated"),
        ("pdf-extract", &pdf, "PDF: extraction alone (pdf-extract)"),
        (
            "pdf-lopdf",
            &pdf,
            "PDF: extraction alone (lopdf extract_text)",
        ),
        (
            "pdf-clean",
            &pdf,
            "PDF: the clean-up layer alone (annotations = bytes out)",
        ),
        ("pdf-all", &pdf, "PDF: opened, cleaned and annotated"),
    ] {
        let out = std::process::Command::new(&exe)
            .args([
                "--one",
                case,
                &file.display().to_string(),
                &runs.to_string(),
            ])
            .output()
            .expect("the benchmark runs itself");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.split_whitespace().collect();
        println!(
            "| {what} | {} ms | {} MiB | {} | {} |",
            f[0], f[1], f[2], f[3]
        );
    }
}
