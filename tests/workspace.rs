//! The core `Workspace` on real temporary folders: the operations the CLI and the desktop shell
//! are adapters over.

use std::collections::HashMap;

use babelfish::exchange::{
    column_map_from_choices, csv_headers, missing_columns, suggested_field, PlanError,
};
use babelfish::store::{Base, StoreError};
use babelfish::workspace::ExportFormat;
use babelfish::{GlossarySource, SearchRequest, Workspace, WorkspaceError};

use crate::util::TempGlossary;

fn open(copy: &TempGlossary) -> Workspace {
    Workspace::open(GlossarySource::Folder(copy.path().to_path_buf())).unwrap()
}

fn incident(workspace: &Workspace) -> babelfish::Entry {
    workspace.glossary().get("itil/incident").unwrap().clone()
}

fn ids(workspace: &Workspace, query: &str) -> Vec<String> {
    workspace
        .search(&SearchRequest::new(query))
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn put_creates_a_new_entry_and_saves_an_edit_on_its_revision() {
    let copy = TempGlossary::mini();
    let workspace = open(&copy);
    let mut new = incident(&workspace);
    new.id = "itil/problem".into();
    new.term = "Problem".into();
    new.false_friends.clear();
    let created = workspace.put(new, None, "Ana Analyst").unwrap();
    assert_eq!(created.revision, 1);
    assert!(copy.path().join("itil/problem.json").is_file());

    let mut edit = incident(&workspace);
    edit.example = "Log one for the outage.".into();
    let saved = workspace.put(edit.clone(), None, "Ana Analyst").unwrap();
    assert_eq!(
        (saved.revision, saved.updated_by.as_str()),
        (2, "Ana Analyst")
    );

    // The same edit again, still based on revision 1: a conflict, nothing overwritten.
    let err = workspace.put(edit, Some(1), "Bo").unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Conflict(_))),
        "{err}"
    );
    let on_disk = workspace.store().unwrap().read("itil/incident").unwrap();
    assert_eq!(on_disk.entry.updated_by, "Ana Analyst");
}

#[test]
fn delete_is_refused_while_others_link_to_the_entry_unless_forced() {
    let copy = TempGlossary::mini();
    let workspace = open(&copy);
    let id = "clinical/clinical-governance";
    match workspace.delete(id, None, false).unwrap_err() {
        WorkspaceError::Linked { id: refused, from } => {
            assert_eq!(refused, id);
            assert_eq!(
                from,
                ["itil/change-advisory-board", "msp/senior-responsible-owner"]
            );
        }
        other => panic!("not refused for its links: {other}"),
    }
    assert!(copy
        .path()
        .join("clinical/clinical-governance.json")
        .is_file());
    let err = workspace
        .delete(id, Some(Base::revision(7)), true)
        .unwrap_err();
    assert!(matches!(
        err,
        WorkspaceError::Store(StoreError::Conflict(_))
    ));

    let deleted = workspace.delete(id, None, true).unwrap();
    assert_eq!(deleted.revision, 1);
    assert!(!copy
        .path()
        .join("clinical/clinical-governance.json")
        .exists());

    let err = workspace
        .delete("itil/nothing-here", None, false)
        .unwrap_err();
    assert!(matches!(err, WorkspaceError::CurrentRevision(_)), "{err}");
}

#[test]
fn reload_sees_an_edit_made_elsewhere_and_updates_the_built_index() {
    let copy = TempGlossary::mini();
    let mut workspace = open(&copy);
    assert!(!ids(&workspace, "zeppelin").contains(&"itil/incident".to_string()));
    assert!(
        !workspace.has_annotator(),
        "built on first use, not on open"
    );
    assert!(workspace.annotate("a zeppelin", None).terms.is_empty());
    assert!(workspace.has_annotator());

    // A colleague's edit, through a store of their own.
    let other = open(&copy);
    let mut edit = incident(&other);
    edit.synonyms = vec!["Zeppelin".into()];
    other.put(edit, None, "Colleague").unwrap();

    let reloaded = workspace.reload().unwrap();
    assert!(!workspace.has_annotator(), "dropped with the old glossary");
    assert_eq!(reloaded.entries, workspace.glossary().len());
    assert_eq!(reloaded.errors, 0);
    assert!(reloaded.index.reindexed >= 1, "{reloaded:?}");
    assert_eq!(ids(&workspace, "zeppelin")[0], "itil/incident");
    let found = workspace.annotate("a zeppelin", None);
    assert_eq!(
        found.terms[0].id, "itil/incident",
        "the annotator was rebuilt"
    );
}

#[test]
fn a_reload_before_the_index_is_built_only_replaces_the_glossary() {
    let copy = TempGlossary::mini();
    let mut workspace = open(&copy);
    std::fs::remove_file(copy.path().join("itil/incident.json")).unwrap();
    let reloaded = workspace.reload().unwrap();
    assert_eq!(reloaded.index.reindexed, 0);
    assert!(workspace.glossary().get("itil/incident").is_none());
    assert!(!ids(&workspace, "incident").contains(&"itil/incident".to_string()));
}

#[test]
fn the_bundled_glossary_is_read_only_and_unknown_domains_are_named() {
    let workspace = Workspace::open(GlossarySource::Bundled).unwrap();
    let entry = workspace.glossary().entries()[0].clone();
    assert!(matches!(
        workspace.put(entry, None, "x"),
        Err(WorkspaceError::ReadOnly)
    ));
    assert!(matches!(
        workspace.delete("itil/incident", None, true),
        Err(WorkspaceError::ReadOnly)
    ));
    workspace.check_domains(&["itil".into()]).unwrap();
    let err = workspace.check_domains(&["nope".into()]).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("unknown domain \"nope\"; known: "));
    assert!(err.to_string().contains("itil"), "{err}");
}

#[test]
fn an_import_is_planned_row_by_row_and_applied_only_without_errors() {
    let copy = TempGlossary::mini();
    let workspace = open(&copy);
    let csv = "Term,Vocabulary,Meaning\n\
        Ward round,clinical,A round of the ward by the team.\n\
        No definition,clinical,\n\
        Incident,itil,exists already\n";
    let headers = csv_headers(csv);
    assert_eq!(headers, ["Term", "Vocabulary", "Meaning"]);
    let choices = vec!["term".to_string(), "domain".into(), "".into()];
    let map = column_map_from_choices(&headers, &choices);
    assert_eq!(missing_columns(csv, &map), ["definition"]);
    match workspace.plan_import(csv, &map, "Tester").unwrap_err() {
        PlanError::MissingColumn { field, headers } => {
            assert_eq!((field, headers), ("definition", headers_owned(csv)));
        }
        other => panic!("{other}"),
    }

    let choices = vec!["term".to_string(), "domain".into(), "definition".into()];
    let map = column_map_from_choices(&headers, &choices);
    assert!(missing_columns(csv, &map).is_empty());
    let plan = workspace.plan_import(csv, &map, "Tester").unwrap();
    assert_eq!((plan.ready, plan.with_errors, plan.existing), (1, 1, 1));
    assert_eq!(plan.entries()[0].id, "clinical/ward-round");
    assert_eq!(plan.entries()[0].updated_by, "Tester");
    assert!(matches!(
        workspace.apply_import(&plan),
        Err(WorkspaceError::RowsWithErrors(1))
    ));
    assert!(!copy.path().join("clinical/ward-round.json").exists());

    let fixed = csv.replace("No definition,clinical,\n", "");
    let plan = workspace.plan_import(&fixed, &map, "Tester").unwrap();
    assert_eq!(
        workspace.apply_import(&plan).unwrap(),
        ["clinical/ward-round"]
    );
    assert!(copy.path().join("clinical/ward-round.json").is_file());
}

fn headers_owned(csv: &str) -> Vec<String> {
    csv.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn headers_are_read_like_a_spreadsheet_writes_them() {
    assert_eq!(
        csv_headers("\u{feff}Term,\"Meaning, in full\",\"Say \"\"hi\"\"\"\r\nx,y,z\n"),
        ["Term", "Meaning, in full", "Say \"hi\""]
    );
    assert_eq!(csv_headers("term\n"), ["term"]);
    assert!(csv_headers("").is_empty());
    assert_eq!(suggested_field("False friends"), Some("false_friends"));
    assert_eq!(suggested_field("Definition "), Some("definition"));
    assert_eq!(suggested_field("Meaning"), None);
    let map: HashMap<String, String> = HashMap::new();
    assert!(missing_columns("term,domain,definition\n", &map).is_empty());
}

#[test]
fn export_gives_each_format_of_the_whole_glossary() {
    let copy = TempGlossary::mini();
    let workspace = open(&copy);
    let csv = workspace.export(ExportFormat::Csv).unwrap();
    assert_eq!(
        csv,
        babelfish::exchange::export_csv(workspace.glossary()).unwrap()
    );
    assert!(csv.lines().count() > workspace.glossary().len());
    assert!(workspace
        .export(ExportFormat::Skos)
        .unwrap()
        .contains("skos:Concept"));
    assert!(workspace
        .export(ExportFormat::Html)
        .unwrap()
        .starts_with("<!doctype html>"));
    assert_eq!(ExportFormat::from_name("md"), Some(ExportFormat::Md));
    assert_eq!(ExportFormat::from_name("pdf"), None);
}
