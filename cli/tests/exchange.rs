use crate::util::{babelfish, fixture, stderr, stdout, TempGlossary};

#[test]
fn csv_export_then_import_into_an_empty_folder_loses_nothing() {
    let curated = crate::util::curated();
    let source = curated.to_str().unwrap();
    let out = babelfish()
        .args(["export", "--format", "csv", "--glossary", source])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("glossary.csv");
    std::fs::write(&csv, &out.stdout).unwrap();

    let target = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{source}/domains.json"),
        target.path().join("domains.json"),
    )
    .unwrap();

    // A preview writes nothing.
    let preview = babelfish()
        .args(["import", "--glossary"])
        .arg(target.path())
        .arg(&csv)
        .output()
        .unwrap();
    assert!(preview.status.success(), "{}", stdout(&preview));
    assert_eq!(
        std::fs::read_dir(target.path()).unwrap().count(),
        1,
        "preview wrote files"
    );

    let apply = babelfish()
        .args(["import", "--apply", "--glossary"])
        .arg(target.path())
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        apply.status.success(),
        "{}{}",
        stdout(&apply),
        stderr(&apply)
    );

    let original = babelfish::load_dir(std::path::Path::new(source))
        .unwrap()
        .glossary;
    let imported = babelfish::load_dir(target.path()).unwrap();
    assert!(
        imported.problems.is_empty(),
        "{:?}",
        &imported.problems[..imported.problems.len().min(5)]
    );
    assert_eq!(imported.glossary.entries(), original.entries());
    // Byte for byte: the files are written in the canonical format.
    for e in original.entries() {
        let a = std::fs::read(format!("{source}/{}.json", e.id)).unwrap();
        let b = std::fs::read(target.path().join(format!("{}.json", e.id))).unwrap();
        assert_eq!(a, b, "{}", e.id);
    }
}

#[test]
fn import_maps_columns_reports_bad_rows_and_writes_nothing_until_they_are_fixed() {
    let copy = TempGlossary::mini();
    let csv = copy.path().join("../from-spreadsheet.csv");
    std::fs::write(
        &csv,
        "Name,Vocabulary,Meaning,Notes\n\
         Shift left,itil,Moving work closer to the user.,x\n\
         ,itil,No name here.,y\n\
         Handover,prince2,Duplicate name in prince2.,z\n",
    )
    .unwrap();
    let out = babelfish()
        .args([
            "import",
            "--apply",
            "--map",
            "Name=term",
            "--map",
            "Vocabulary=domain",
            "--map",
            "Meaning=definition",
            "--glossary",
        ])
        .arg(copy.path())
        .arg(&csv)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("column \"Notes\" is not a glossary field"),
        "{text}"
    );
    assert!(text.contains(":2: itil/shift-left: ok"), "{text}");
    assert!(text.contains(":3:") && text.contains("term"), "{text}");
    assert!(
        text.contains(":4:") && text.contains("already exists"),
        "{text}"
    );
    assert!(
        !copy.path().join("itil/shift-left.json").exists(),
        "written despite errors"
    );
}

#[test]
fn skos_has_one_scheme_per_vocabulary_and_mapping_properties() {
    let out = babelfish()
        .args(["export", "--format", "skos", "--glossary"])
        .arg(fixture())
        .output()
        .unwrap();
    let ttl = stdout(&out);
    assert_eq!(ttl.matches("a skos:ConceptScheme").count(), 4);
    assert!(ttl.contains("<urn:babelfish:entry:itil/change-advisory-board> a skos:Concept"));
    assert!(ttl.contains("skos:broadMatch <urn:babelfish:entry:clinical/clinical-governance>"));
    assert!(ttl.contains("skos:relatedMatch <urn:babelfish:entry:clinical/handover>"));
}

#[test]
fn printable_exports_escape_html() {
    let copy = TempGlossary::mini();
    let path = copy.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("An unplanned", "<script>alert(1)</script> An unplanned");
    std::fs::write(&path, text).unwrap();
    let out = babelfish()
        .args(["export", "--format", "html", "--glossary"])
        .arg(copy.path())
        .output()
        .unwrap();
    let html = stdout(&out);
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    let md = babelfish()
        .args(["export", "--format", "md", "--glossary"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(stdout(&md).contains("## ITIL 4"));
}

#[test]
fn a_csv_export_starts_with_a_bom_for_excel_and_pounds_and_dashes_survive_the_round_trip() {
    let copy = TempGlossary::mini();
    let entry = copy.path().join("itil/incident.json");
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    value["example"] = "A £40,000 outage – logged at 09:00.".into();
    let before: babelfish::Entry = serde_json::from_value(value).unwrap();
    std::fs::write(&entry, before.to_file_json()).unwrap();

    let out = babelfish()
        .args(["export", "--format", "csv", "--glossary"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        out.stdout.starts_with("\u{feff}id,".as_bytes()),
        "Excel needs the byte-order mark to read UTF-8"
    );

    let (target, apply) = crate::util::import_into_empty(copy.path(), &out.stdout);
    assert!(apply.status.success(), "{}", stderr(&apply));
    assert_eq!(
        std::fs::read_to_string(target.path().join("itil/incident.json")).unwrap(),
        before.to_file_json()
    );
}
