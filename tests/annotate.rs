use babelfish::annotate::Annotator;
use babelfish::Reader;

fn bundled() -> &'static (babelfish::Glossary, Annotator) {
    static GLOSSARY: std::sync::LazyLock<(babelfish::Glossary, Annotator)> =
        std::sync::LazyLock::new(|| {
            let g = babelfish::bundled::load().glossary;
            let a = Annotator::new(&g);
            (g, a)
        });
    &GLOSSARY
}

fn found(text: &str, reader: Option<Reader>) -> Vec<(String, String)> {
    let (g, a) = bundled();
    a.annotate(g, text, reader)
        .annotations
        .into_iter()
        .map(|x| (x.text, x.id))
        .collect()
}

#[test]
fn finds_terms_abbreviations_plurals_and_variants_as_whole_words() {
    let text = "The SRO asked for an exception report. TTOs for bed 12, NEWS2 of 6. \
                Two dis-benefits and one disbenefit; go live is Monday. Emergency changes need the ECAB.";
    let got = found(text, None);
    let ids: Vec<&str> = got.iter().map(|(_, id)| id.as_str()).collect();
    for want in [
        "msp/senior-responsible-owner",
        "clinical/to-take-out",
        "clinical/national-early-warning-score",
        "itil/go-live",
        "itil/emergency-change",
        "itil/emergency-change-advisory-board",
    ] {
        assert!(ids.contains(&want), "{want} not found in {got:?}");
    }
    assert_eq!(
        got.iter()
            .filter(|(_, id)| id.ends_with("dis-benefit"))
            .count(),
        2,
        "{got:?}"
    );
    // The longest match wins: "Emergency changes" is one annotation, not "changes".
    assert!(got.iter().any(|(t, _)| t == "Emergency changes"), "{got:?}");
}

#[test]
fn abbreviations_match_in_capitals_only_and_never_inside_words() {
    let got = found("a cab to the dna lab; genetics; CAB and DNA", None);
    let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert!(texts.contains(&"CAB") && texts.contains(&"DNA"), "{got:?}");
    assert!(
        !texts.contains(&"cab") && !texts.contains(&"dna"),
        "{got:?}"
    );
    assert!(
        !texts.iter().any(|t| t.eq_ignore_ascii_case("tic")),
        "{got:?}"
    );
}

#[test]
fn offsets_are_utf8_byte_offsets() {
    let text = "Café — the CAB met; naïve “SRO” too";
    let (g, a) = bundled();
    for ann in a.annotate(g, text, None).annotations {
        assert_eq!(&text[ann.start..ann.end], ann.text);
    }
}

#[test]
fn an_ambiguous_word_carries_every_reading_likeliest_first_from_context() {
    let (g, a) = bundled();
    let paper = "The SRO asked for an exception report as the stage will exceed tolerance.";
    let result = a.annotate(g, paper, None);
    let stage = result
        .annotations
        .iter()
        .find(|x| x.text == "stage")
        .unwrap();
    assert_eq!(stage.id, "prince2/management-stage");
    assert!(stage
        .alternatives
        .iter()
        .any(|x| x.id == "clinical/cancer-staging"));

    let notes = "Staging CT shows stage 2 disease; MDT on Thursday to discuss the stage and the NEWS2 trend.";
    let result = a.annotate(g, notes, None);
    let stage = result
        .annotations
        .iter()
        .find(|x| x.text == "stage")
        .unwrap();
    assert_eq!(
        stage.id, "clinical/cancer-staging",
        "{:?}",
        result.annotations
    );

    // With no context, the reader's side decides: a clinician reads the IT sense first.
    let bare = a.annotate(g, "incident", Some(Reader::Clinician));
    assert_eq!(bare.annotations[0].id, "itil/incident");
    let bare = a.annotate(g, "incident", Some(Reader::Informatics));
    assert_eq!(bare.annotations[0].id, "clinical/patient-safety-incident");
}

#[test]
fn terms_are_listed_in_order_of_first_appearance_with_counts() {
    let (g, a) = bundled();
    let result = a.annotate(g, "CAB, then MDT, then CAB again.", None);
    let order: Vec<(&str, usize)> = result
        .terms
        .iter()
        .map(|t| (t.id.as_str(), t.count))
        .collect();
    assert_eq!(
        order,
        [
            ("itil/change-advisory-board", 2),
            ("clinical/multidisciplinary-team-meeting", 1)
        ]
    );
}

#[test]
fn crib_sheets_escape_glossary_text_and_leave_out_the_pasted_text() {
    let (g, a) = bundled();
    let secret = "Mrs Example, NHS number 999 999 9999";
    let result = a.annotate(
        g,
        &format!("{secret} was discussed at the CAB"),
        Some(Reader::Clinician),
    );
    let md = babelfish::render::crib_sheet_markdown(g, &result, Some(Reader::Clinician));
    let html = babelfish::render::crib_sheet_html(g, &result, Some(Reader::Clinician));
    assert!(md.contains("Change Advisory Board") && html.contains("Change Advisory Board"));
    assert!(!md.contains("Mrs Example") && !html.contains("Mrs Example"));
    assert!(!html.contains("<script"));
}

/// Found in a usability test (issue 17): "the board" read as the trust board without a word
/// about the project or programme board; "P1"/"P2" after "incidents" read as surgical
/// priorities or PRINCE2; the article in "The board round" hiding the board round.
#[test]
fn the_board_is_ambiguous_and_a_list_of_priorities_keeps_one_meaning() {
    let (g, a) = bundled();
    let text = "The board approved the business case. Incidents are triaged as P1 or P2 by the \
                service desk.\n\nTheatre lists: patients in category P2 must have surgery within \
                a month. The board round is at 9.";
    let got = a.annotate(g, text, Some(Reader::Clinician)).annotations;
    let reading = |at: usize| (got[at].text.as_str(), got[at].id.as_str());
    let board = got.iter().find(|x| x.text == "board").expect("board found");
    let readings: Vec<&str> = std::iter::once(board.id.as_str())
        .chain(board.alternatives.iter().map(|x| x.id.as_str()))
        .collect();
    for want in [
        "prince2/project-board",
        "msp/programme-board",
        "clinical/trust-board",
    ] {
        assert!(readings.contains(&want), "{want} not among {readings:?}");
    }
    let priorities: Vec<(&str, &str)> = (0..got.len())
        .map(reading)
        .filter(|(t, _)| t.starts_with('P') && t.len() == 2)
        .collect();
    assert_eq!(
        priorities,
        [
            ("P1", "itil/priority"),
            ("P2", "itil/priority"),
            ("P2", "clinical/surgical-prioritisation")
        ],
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|x| x.text == "board round" && x.id == "clinical/board-round"),
        "{got:?}"
    );
    for word in ["surgery", "category"] {
        assert!(
            !got.iter().any(|x| x.text == word),
            "{word} annotated: {got:?}"
        );
    }
}

#[test]
fn a_two_character_synonym_matches_as_written_only() {
    let found = found("Logged as a P1. The p1 valve.", None);
    assert_eq!(
        found.iter().filter(|(t, _)| t == "P1").count(),
        1,
        "{found:?}"
    );
    assert!(!found.iter().any(|(t, _)| t == "p1"), "{found:?}");
}

#[test]
fn the_readers_own_side_can_be_left_out() {
    let (g, a) = bundled();
    let text = "The ward sent the TTO late because the change advisory board met.";
    let all = a.annotate(g, text, Some(Reader::Clinician));
    let ids = |x: &babelfish::annotate::Annotated| {
        x.annotations
            .iter()
            .map(|a| a.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        ids(&all).contains(&"clinical/ward".to_string()),
        "{:?}",
        ids(&all)
    );
    let theirs = all.clone().without_own_side(g, Reader::Clinician);
    assert_eq!(ids(&theirs), ["itil/change-advisory-board"]);
    assert_eq!(theirs.terms.len(), 1);
    let for_it = all.without_own_side(g, Reader::Informatics);
    assert!(!ids(&for_it).contains(&"itil/change-advisory-board".to_string()));
    assert!(ids(&for_it).contains(&"clinical/ward".to_string()));
}
