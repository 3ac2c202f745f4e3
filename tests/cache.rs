//! The start-up cache: reused while the files are unchanged, ignored as soon as one changes,
//! never trusted when damaged, and never a reason not to open a glossary.

use babelfish::cache::{CacheUse, GlossaryCache};
use babelfish::{SearchRequest, Severity};

use crate::util::TempGlossary;

/// The mini glossary, an empty cache folder, and the glossary's cache in that folder.
fn mini_with_cache() -> (TempGlossary, tempfile::TempDir, GlossaryCache) {
    let glossary = TempGlossary::mini();
    let cache_root = tempfile::tempdir().unwrap();
    let cache = GlossaryCache::new(cache_root.path(), glossary.path());
    (glossary, cache_root, cache)
}

fn top_ids(opened: &babelfish::cache::Opened, query: &str) -> Vec<String> {
    opened
        .index
        .search(&opened.loaded.glossary, &SearchRequest::new(query))
        .unwrap()
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

#[test]
fn unchanged_files_are_opened_from_the_cache_with_the_same_results_and_problems() {
    let (glossary, _cache_root, cache) = mini_with_cache();
    glossary.write("itil/broken.json", "{ \"id\": ");

    let first = cache.open().unwrap();
    assert_eq!(first.cache, CacheUse::Written);
    let second = cache.open().unwrap();
    assert_eq!(second.cache, CacheUse::Hit);

    assert_eq!(
        first.loaded.glossary.entries(),
        second.loaded.glossary.entries()
    );
    assert_eq!(first.loaded.problems, second.loaded.problems);
    assert!(
        second
            .loaded
            .problems
            .iter()
            .any(|p| p.path == "itil/broken.json" && p.severity == Severity::Error),
        "a broken file is still reported when the cache is used"
    );
    for query in [
        "CAB",
        "handover",
        "incid",
        "senior responsable owner",
        "approves",
    ] {
        assert_eq!(top_ids(&first, query), top_ids(&second, query), "{query}");
    }
    assert!(!top_ids(&second, "CAB").is_empty());
}

#[test]
fn an_edited_file_is_read_again_and_the_old_cache_entry_is_removed() {
    let (glossary, cache_root, cache) = mini_with_cache();
    assert_eq!(cache.open().unwrap().cache, CacheUse::Written);

    let path = glossary.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"Incident\"", "\"Service incident\"")).unwrap();

    let opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Written);
    assert_eq!(
        opened.loaded.glossary.get("itil/incident").unwrap().term,
        "Service incident"
    );
    assert_eq!(top_ids(&opened, "service incident")[0], "itil/incident");
    let entries: Vec<_> = std::fs::read_dir(cache_root.path())
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .collect();
    assert_eq!(entries.len(), 1, "only the current entry is kept");
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let (_glossary, cache_root, cache) = mini_with_cache();
    cache.open().unwrap();
    // Damage every file of the entry: the snapshot and the index.
    for file in walk(cache_root.path()) {
        std::fs::write(&file, b"\0garbage").unwrap();
    }
    let opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Written);
    assert_eq!(top_ids(&opened, "CAB")[0], "itil/change-advisory-board");
    assert_eq!(cache.open().unwrap().cache, CacheUse::Hit);
}

#[test]
fn an_index_file_cut_short_is_noticed_before_it_is_read() {
    let (_glossary, cache_root, cache) = mini_with_cache();
    cache.open().unwrap();
    let largest = walk(cache_root.path())
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("index")))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let bytes = std::fs::read(&largest).unwrap();
    std::fs::write(&largest, &bytes[..bytes.len() / 2]).unwrap();
    let opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Written);
    assert_eq!(top_ids(&opened, "CAB")[0], "itil/change-advisory-board");
}

#[test]
fn a_cache_that_cannot_be_written_still_opens_the_glossary() {
    let glossary = TempGlossary::mini();
    let not_a_folder = tempfile::NamedTempFile::new().unwrap();
    let cache = GlossaryCache::new(not_a_folder.path(), glossary.path());
    let opened = cache.open().unwrap();
    assert!(
        matches!(&opened.cache, CacheUse::NotWritten(why) if why.contains("cannot write the cache")),
        "{:?}",
        opened.cache
    );
    assert_eq!(top_ids(&opened, "CAB")[0], "itil/change-advisory-board");
}

#[test]
fn the_glossary_folder_is_never_written() {
    let (glossary, _cache_root, cache) = mini_with_cache();
    let before = snapshot(glossary.path());
    cache.open().unwrap();
    cache.open().unwrap();
    assert_eq!(snapshot(glossary.path()), before);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn an_index_from_the_cache_can_be_updated_and_its_saved_copy_stays_as_it_was() {
    let (glossary, cache_root, cache) = mini_with_cache();
    cache.open().unwrap();
    let mut opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Hit);
    assert!(opened.index.is_memory_mapped());
    let saved = snapshot(cache_root.path());

    let path = glossary.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"Incident\"", "\"Service incident\"")).unwrap();
    let reloaded = babelfish::load_dir(glossary.path()).unwrap();
    let stats = opened
        .index
        .update(&opened.loaded.glossary, &reloaded.glossary)
        .unwrap();
    assert_eq!(stats.changed, 1);
    assert!(
        !opened.index.is_memory_mapped(),
        "moved into memory to be written"
    );
    let hits = opened
        .index
        .search(&reloaded.glossary, &SearchRequest::new("service incident"))
        .unwrap();
    assert_eq!(hits[0].id, "itil/incident");
    assert_eq!(hits[0].term, "Service incident");
    assert_eq!(
        snapshot(cache_root.path()),
        saved,
        "the cache entry is never written"
    );
}

/// Sets every file's and folder's modification time an hour back, as a glossary at rest is
/// (anything changed within seconds of a listing is looked at again on purpose, so a fresh copy
/// would be re-read).
fn age(dir: &std::path::Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for file in walk(dir) {
        let handle = std::fs::File::options().write(true).open(&file).unwrap();
        handle.set_modified(hour_ago).unwrap();
    }
    age_folders(dir, hour_ago);
}

/// Sets the times of `dir` and the folders in it (after their files: writing a file moves its
/// folder's time).
fn age_folders(dir: &std::path::Path, when: std::time::SystemTime) {
    for item in std::fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            age_folders(&path, when);
        }
    }
    std::fs::File::open(dir)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// The entries and problems a plain full load gives now, to compare a cached open with.
fn full_load(dir: &std::path::Path) -> babelfish::Loaded {
    babelfish::load::load_dir(dir).unwrap()
}

#[test]
fn when_one_file_changed_only_that_file_is_read_and_the_result_is_a_full_loads() {
    let (glossary, _cache_root, cache) = mini_with_cache();
    glossary.write("itil/broken.json", "{ \"id\": ");
    age(glossary.path());
    let first = cache.open().unwrap();
    assert_eq!(first.cache, CacheUse::Written);
    assert_eq!(
        first.files_read, 9,
        "domains.json, 7 entries and the broken file"
    );

    let path = glossary.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"Incident\"", "\"Service incident\"")).unwrap();
    std::fs::remove_file(glossary.path().join("clinical/handover.json")).unwrap();

    let opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Written);
    assert_eq!(
        opened.files_read, 1,
        "only the edited file (the broken one is remembered)"
    );
    let full = full_load(glossary.path());
    assert_eq!(opened.loaded.glossary.entries(), full.glossary.entries());
    assert_eq!(opened.loaded.problems, full.problems);
    assert!(opened.loaded.glossary.get("clinical/handover").is_none());
    assert_eq!(top_ids(&opened, "service incident")[0], "itil/incident");
}

#[test]
fn a_changed_domains_file_means_every_file_is_read() {
    let (glossary, _cache_root, cache) = mini_with_cache();
    age(glossary.path());
    cache.open().unwrap();
    let path = glossary.path().join("domains.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n")).unwrap();
    let opened = cache.open().unwrap();
    assert_eq!(opened.files_read, 8);
    assert_eq!(
        opened.loaded.glossary.entries(),
        full_load(glossary.path()).glossary.entries()
    );
}

#[test]
fn a_workspace_started_from_the_cache_reads_only_what_its_first_save_wrote() {
    let (glossary, _cache_root, cache) = mini_with_cache();
    age(glossary.path());
    cache.open().unwrap();
    let opened = cache.open().unwrap();
    assert_eq!(opened.cache, CacheUse::Hit);
    let source = babelfish::GlossarySource::Folder(glossary.path().to_path_buf());
    let mut workspace = babelfish::Workspace::from_cache(source, opened);
    assert!(workspace.is_tracked());

    let mut entry = workspace.glossary().get("itil/incident").unwrap().clone();
    entry.example = "Saved after a start from the cache.".into();
    let base = babelfish::store::Base::revision(entry.revision);
    workspace.save(entry, &base, "Tester").unwrap();
    let reloaded = workspace
        .reload_changes(&babelfish::workspace::Changes::Entries(vec![
            "itil/incident".into(),
        ]))
        .unwrap();
    assert_eq!(reloaded.files_read, 1);
    assert_eq!(
        workspace.glossary().entries(),
        full_load(glossary.path()).glossary.entries()
    );
}

#[test]
fn a_damaged_record_of_the_files_means_reading_them_all_never_a_wrong_glossary() {
    let (glossary, cache_root, cache) = mini_with_cache();
    age(glossary.path());
    cache.open().unwrap();
    for file in walk(cache_root.path()) {
        if file.file_name().unwrap() == "folder.json" {
            std::fs::write(&file, b"{\"root\": 1}").unwrap();
        }
    }
    let hit = cache.open().unwrap();
    assert_eq!(
        hit.cache,
        CacheUse::Hit,
        "the glossary and index are still good"
    );
    assert!(hit.snapshot.is_none());

    let path = glossary.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"Incident\"", "\"Service incident\"")).unwrap();
    let opened = cache.open().unwrap();
    assert_eq!(opened.files_read, 8, "no usable record: every file read");
    assert_eq!(
        opened.loaded.glossary.entries(),
        full_load(glossary.path()).glossary.entries()
    );
}

/// A network folder's start compares only the folders' times: a save (a file replaced in its
/// folder) is seen, and a file edited in place is found by the check that follows.
#[test]
fn a_start_by_folder_times_finds_saves_and_leaves_in_place_edits_to_the_check_after() {
    use babelfish::cache::Check;
    use babelfish::workspace::Changes;
    let (glossary, _cache_root, cache) = mini_with_cache();
    age(glossary.path());
    assert!(cache.open_checked(Check::FolderTimes).unwrap().verified);

    // Unchanged: a hit on the folders' times, the files not yet compared.
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!(
        (opened.cache.clone(), opened.verified),
        (CacheUse::Hit, false)
    );
    let source = babelfish::GlossarySource::Folder(glossary.path().to_path_buf());
    let workspace = babelfish::Workspace::from_cache(source.clone(), opened);
    assert_eq!(workspace.pending_check(), Some(Changes::Folder));

    // A save replaces the file in its folder, which moves the folder's time: not a hit.
    let store = babelfish::store::Store::new(glossary.path());
    let mut stored = store.read("itil/incident").unwrap();
    stored.entry.example = "Saved by a colleague.".into();
    let base = babelfish::store::Base::revision(stored.entry.revision);
    store
        .save(stored.entry, &base, "Colleague", workspace.glossary())
        .unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3000);
    age_folders(glossary.path(), hour_ago); // past the racy window, still a new time
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert!(
        opened.verified,
        "the folder changed, so every file was compared"
    );
    assert_eq!(opened.files_read, 1);
    assert_eq!(
        opened.loaded.glossary.get("itil/incident").unwrap().example,
        "Saved by a colleague."
    );
    // No folder's time moved during the load: cached, with the new times.
    assert_eq!(opened.cache, CacheUse::Written);

    // Edited in place by another program: the folders' times stay, so the start shows the
    // cached entry until the check that follows compares every file.
    let path = glossary.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Saved by a colleague.", "Edited in place."),
    )
    .unwrap();
    age_folders(glossary.path(), hour_ago);
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!(
        (opened.cache.clone(), opened.verified),
        (CacheUse::Hit, false)
    );
    let mut workspace = babelfish::Workspace::from_cache(source, opened);
    let check = workspace.pending_check().unwrap();
    let reloaded = workspace.reload_changes(&check).unwrap();
    assert_eq!(reloaded.files_read, 1);
    assert_eq!(workspace.pending_check(), None);
    assert_eq!(
        workspace.glossary().entries(),
        full_load(glossary.path()).glossary.entries()
    );
}

/// A network folder's start after a colleague's save lists again only the vocabulary folder
/// whose time moved; a file edited in place elsewhere is left to the check that follows, as
/// after any start by the folders' times.
#[test]
fn a_start_by_folder_times_lists_again_only_the_folders_whose_time_moved() {
    use babelfish::cache::Check;
    use babelfish::workspace::Changes;
    let (glossary, _cache_root, cache) = mini_with_cache();
    age(glossary.path());
    assert_eq!(
        cache.open_checked(Check::FolderTimes).unwrap().cache,
        CacheUse::Written
    );

    // Edited in place in clinical/ (its folder's time stays), saved by a colleague in itil/.
    let in_place = glossary.path().join("clinical/handover.json");
    let text = std::fs::read_to_string(&in_place).unwrap();
    let edited = text.replacen("\"example\": \"", "\"example\": \"Edited in place. ", 1);
    assert_ne!(edited, text);
    std::fs::write(&in_place, &edited).unwrap();
    let store = babelfish::store::Store::new(glossary.path());
    let mut stored = store.read("itil/incident").unwrap();
    stored.entry.example = "Saved by a colleague.".into();
    let base = babelfish::store::Base::revision(stored.entry.revision);
    let full = full_load(glossary.path());
    store
        .save(stored.entry, &base, "Colleague", &full.glossary)
        .unwrap();
    let itil = std::fs::File::open(glossary.path().join("itil")).unwrap();
    itil.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3000))
        .unwrap();

    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!((opened.files_read, opened.verified), (1, false));
    assert_eq!(opened.cache, CacheUse::Written);
    let example = |g: &babelfish::Glossary, id: &str| g.get(id).unwrap().example.clone();
    assert_eq!(
        example(&opened.loaded.glossary, "itil/incident"),
        "Saved by a colleague."
    );
    let before_edit = example(&opened.loaded.glossary, "clinical/handover");
    assert!(!before_edit.starts_with("Edited in place."));

    // The check after the start compares every file and finds the edit.
    let source = babelfish::GlossarySource::Folder(glossary.path().to_path_buf());
    let mut workspace = babelfish::Workspace::from_cache(source, opened);
    assert_eq!(workspace.pending_check(), Some(Changes::Folder));
    workspace.reload_changes(&Changes::Folder).unwrap();
    assert!(example(workspace.glossary(), "clinical/handover").starts_with("Edited in place."));
    let now = full_load(glossary.path());
    assert_eq!(workspace.glossary().entries(), now.glossary.entries());
    assert_eq!(workspace.loaded().problems, now.problems);
}

/// Folders changed within the racy window are not trusted by their times.
#[test]
fn a_folder_changed_seconds_ago_is_compared_file_by_file() {
    use babelfish::cache::Check;
    let (glossary, _cache_root, cache) = mini_with_cache();
    age(glossary.path());
    // One vocabulary folder changed a moment ago (its files stay as they are).
    std::fs::File::open(glossary.path().join("itil"))
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    assert_eq!(
        cache.open_checked(Check::FolderTimes).unwrap().cache,
        CacheUse::Written
    );
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!((opened.cache, opened.verified), (CacheUse::Hit, true));

    // Once the times are old enough to trust, a start that lists every file (the entry was
    // written without them) records them, so the next start needs no listing.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    age_folders(glossary.path(), hour_ago);
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!((opened.cache, opened.verified), (CacheUse::Hit, true));
    let opened = cache.open_checked(Check::FolderTimes).unwrap();
    assert_eq!((opened.cache, opened.verified), (CacheUse::Hit, false));
}
