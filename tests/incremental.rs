//! Incremental reloads give exactly what a full load gives: random sequences of colleagues'
//! edits, creates, deletes and broken files, and the workspace's own saves and deletes, each
//! followed by an incremental reload compared with a fresh full load (entries, problems, the
//! derived views, search answers), with a fixed seed.

use std::path::Path;
use std::time::{Duration, SystemTime};

use babelfish::load::load_dir;
use babelfish::workspace::{Changes, OwnWrite};
use babelfish::{GlossarySource, SearchIndex, SearchRequest, Workspace};
use serde_json::{json, Value};

use crate::util::TempGlossary;

/// A small, fixed-seed generator (xorshift64*): the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const DOMAINS: [&str; 4] = ["itil", "clinical", "prince2", "msp"];
const SLUGS: [&str; 8] = [
    "incident",
    "handover",
    "ward-round",
    "change-board",
    "go-live",
    "triage",
    "escalation",
    "board-report",
];
const TERMS: [&str; 6] = [
    "Incident",
    "Handover",
    "Ward round",
    "Go-live",
    "Triage",
    "Escalation",
];

fn random_id(rng: &mut Rng) -> String {
    format!("{}/{}", rng.pick(&DOMAINS), rng.pick(&SLUGS))
}

/// A random entry file for `id`: usually valid, with links that may or may not resolve and
/// names that other entries may share; sometimes broken in one of several ways.
fn entry_file(rng: &mut Rng, id: &str) -> Vec<u8> {
    let (domain, _) = id.split_once('/').unwrap();
    let mut related: Vec<String> = (0..rng.below(3)).map(|_| random_id(rng)).collect();
    related.retain(|r| r != id);
    let mappings: Vec<Value> = (0..rng.below(3))
        .map(|_| {
            json!({"id": random_id(rng), "closeness": rng.pick(&["exact", "broader", "related"]), "note": "n"})
        })
        .collect();
    let false_friends: Vec<String> = (0..rng.below(2)).map(|_| random_id(rng)).collect();
    let mut entry = json!({
        "id": id,
        "term": rng.pick(&TERMS),
        "domain": domain,
        "abbreviations": [],
        "synonyms": [rng.pick(&TERMS)],
        "definition": format!("Definition {} of something done on the ward.", rng.below(1000)),
        "explanation": "What it means for the other side.",
        "example": "An example.",
        "mappings": mappings,
        "related": related,
        "false_friends": false_friends,
        "source": "incremental test",
        "status": "draft",
        "revision": 1 + rng.below(3),
        "updated_at": "2026-11-24T12:00:00Z",
        "updated_by": "Test author"
    });
    match rng.below(12) {
        0 => return b"{ \"id\": \"cut short".to_vec(),
        1 => entry["domain"] = json!("nowhere"),
        2 => entry["id"] = json!(format!("{domain}/{}", rng.pick(&SLUGS))),
        3 => entry["term"] = json!(""),
        _ => {}
    }
    let mut bytes = serde_json::to_vec_pretty(&entry).unwrap();
    if rng.below(8) == 0 {
        bytes.splice(0..0, *b"\xEF\xBB\xBF");
    }
    bytes
}

/// Sets a file's modification time an hour back, so the next listing trusts its record (a
/// file changed just now is read again whatever its record says).
fn age(path: &Path) {
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
}

fn age_all(dir: &Path) {
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        if item.file_type().unwrap().is_dir() {
            age_all(&item.path());
        } else {
            age(&item.path());
        }
    }
}

/// The workspace holds exactly what a full load of the folder gives now, and its index answers
/// as the index of `twin` does, which is reloaded in full (`load_again` + `replace`) at every
/// step. (A fresh build finds the same entries, but its prose scores differ from an updated
/// index's, which still counts deleted documents until segments merge.)
fn assert_same_as_full_load(workspace: &Workspace, twin: &mut Workspace, dir: &Path, step: usize) {
    let again = twin.load_again().unwrap();
    twin.replace(again).unwrap();
    let full = load_dir(dir).unwrap();
    let ours = workspace.loaded();
    assert_eq!(ours.problems, full.problems, "problems, step {step}");
    assert_eq!(
        ours.glossary.entries(),
        full.glossary.entries(),
        "entries, step {step}"
    );
    assert_eq!(ours.glossary.domains(), full.glossary.domains());
    for entry in full.glossary.entries() {
        let views = |g: &babelfish::Glossary| {
            let counterparts: Vec<String> = g
                .counterparts(&entry.id)
                .map(|c| format!("{}:{:?}", c.id(), c.closeness()))
                .collect();
            let friends: Vec<String> = g.false_friends(&entry.id).map(|f| f.id.clone()).collect();
            (counterparts, friends, g.linked_from(&entry.id).join(","))
        };
        assert_eq!(
            views(&ours.glossary),
            views(&full.glossary),
            "views of {}, step {step}",
            entry.id
        );
    }
    let index = SearchIndex::build(&full.glossary).unwrap();
    for query in [
        "incident",
        "ward",
        "go live",
        "definition",
        "triage escalation",
    ] {
        let request = SearchRequest::new(query);
        let ours = workspace.search(&request).unwrap();
        assert_eq!(
            ours,
            twin.search(&request).unwrap(),
            "search {query:?}, step {step}"
        );
        let ids = |hits: Vec<babelfish::Hit>| {
            let mut ids: Vec<String> = hits.into_iter().map(|h| h.id).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(ours),
            ids(index.search(&full.glossary, &request).unwrap()),
            "search {query:?} on a fresh index, step {step}"
        );
    }
}

#[test]
fn incremental_reloads_match_a_full_load_after_random_edits() {
    let copy = TempGlossary::mini();
    let dir = copy.path().to_path_buf();
    age_all(&dir);
    let mut workspace = Workspace::open(GlossarySource::Folder(dir.clone())).unwrap();
    workspace.index().unwrap(); // built, so reloads update it in place
    let mut twin = Workspace::open(GlossarySource::Folder(dir.clone())).unwrap();
    twin.index().unwrap();
    let mut rng = Rng(0x5eed_ba5e_f15b);
    let mut incremental_steps = 0;
    // Entries whose files were written just now (so read again on every reload).
    let mut recent = std::collections::BTreeSet::new();

    for step in 0..120 {
        let kind = rng.below(10);
        if kind < 6 {
            // A colleague changes one to three files; the watcher's reload lists the folder.
            let mut touched = recent.clone();
            for _ in 0..1 + rng.below(3) {
                let id = random_id(&mut rng);
                let path = dir.join(format!("{id}.json"));
                match rng.below(10) {
                    0..=1 if path.exists() => std::fs::remove_file(&path).unwrap(),
                    2 => {
                        // Leftovers and stray files the listing reports or passes over.
                        let (domain, slug) = id.split_once('/').unwrap();
                        let stray = dir.join(domain).join(format!("{slug}.JSON"));
                        std::fs::write(&stray, b"{}").unwrap();
                        age(&stray);
                    }
                    3 if path.exists() => {
                        // Same size and modification time put back: only the inode and
                        // status-change time tell.
                        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
                        let mut bytes = std::fs::read(&path).unwrap();
                        let at = bytes.iter().position(|b| b.is_ascii_digit());
                        if let Some(at) = at {
                            bytes[at] = if bytes[at] == b'9' {
                                b'1'
                            } else {
                                bytes[at] + 1
                            };
                        }
                        std::fs::write(&path, bytes).unwrap();
                        std::fs::File::options()
                            .write(true)
                            .open(&path)
                            .unwrap()
                            .set_modified(before)
                            .unwrap();
                    }
                    _ => {
                        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                        std::fs::write(&path, entry_file(&mut rng, &id)).unwrap();
                        if rng.below(4) == 0 {
                            recent.insert(id.clone()); // left recent: read again next time
                        } else {
                            age(&path);
                            recent.remove(&id);
                        }
                    }
                }
                touched.insert(id);
            }
            let reloaded = workspace.reload_changes(&Changes::Folder).unwrap();
            assert!(!reloaded.full, "step {step}: domains.json did not change");
            assert!(
                reloaded.files_read <= touched.len(),
                "step {step}: read {} files for {} changed or recent",
                reloaded.files_read,
                touched.len()
            );
            incremental_steps += 1;
        } else if kind < 9 {
            // This workspace saves or deletes an entry, then reloads only that file.
            let ids: Vec<String> = workspace
                .glossary()
                .entries()
                .iter()
                .map(|e| e.id.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let id = ids[rng.below(ids.len())].clone();
            let written = if rng.below(3) == 0 {
                workspace
                    .delete(&id, None, true)
                    .ok()
                    .map(|_| OwnWrite::deleted(&id))
            } else {
                let mut entry = workspace.glossary().get(&id).unwrap().clone();
                entry.definition = format!("Saved definition {step}.");
                let revision = entry.revision;
                workspace
                    .put(entry, Some(revision), "Saver")
                    .ok()
                    .map(|saved| OwnWrite::saved(&saved))
            };
            let done = written.is_some();
            recent.insert(id.clone());
            // As the app does, the write put in place from memory; or its file read back.
            let changes = match written {
                Some(written) if rng.below(2) == 0 => Changes::Written(vec![written]),
                _ => Changes::Entries(vec![id.clone()]),
            };
            let reloaded = workspace.reload_changes(&changes).unwrap();
            assert!(!reloaded.full, "step {step}");
            assert!(
                reloaded.files_read <= 1 + workspace.loaded().problems.len(),
                "step {step}: {done} {id}: read {}",
                reloaded.files_read
            );
            incremental_steps += 1;
        } else {
            // domains.json rewritten: every file is read again.
            let path = dir.join("domains.json");
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, bytes).unwrap();
            age(&path);
            let reloaded = workspace.reload_changes(&Changes::Folder).unwrap();
            assert!(reloaded.full, "step {step}");
        }
        assert_same_as_full_load(&workspace, &mut twin, &dir, step);
    }
    assert!(incremental_steps > 80);
}

#[test]
fn a_colleagues_single_change_reads_one_file() {
    let copy = TempGlossary::mini();
    age_all(copy.path());
    let mut workspace = Workspace::open(GlossarySource::Folder(copy.path().to_path_buf())).unwrap();
    let unchanged = workspace.reload().unwrap();
    assert_eq!((unchanged.files_read, unchanged.full), (0, false));

    let path = copy.path().join("itil/incident.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"draft\"", "\"proposed\"")).unwrap();
    let reloaded = workspace.reload().unwrap();
    assert_eq!((reloaded.files_read, reloaded.full), (1, false));
    assert_eq!(
        workspace.glossary().get("itil/incident").unwrap().status,
        babelfish::Status::Proposed
    );
    // Written just now: read again next time, in case a coarse clock hides a second change.
    assert_eq!(workspace.reload().unwrap().files_read, 1);
    // Its record changes once more when it ages, and from then on it is trusted.
    age(&path);
    assert_eq!(workspace.reload().unwrap().files_read, 1);
    assert_eq!(workspace.reload().unwrap().files_read, 0);
}

#[test]
fn an_own_save_is_put_in_place_from_memory_and_its_file_read_at_the_next_listing() {
    let copy = TempGlossary::mini();
    age_all(copy.path());
    let mut workspace = Workspace::open(GlossarySource::Folder(copy.path().to_path_buf())).unwrap();
    workspace.index().unwrap();
    let mut entry = workspace.glossary().get("itil/incident").unwrap().clone();
    entry.definition = "An unplanned break in a service, in words of our own.".into();
    let revision = entry.revision;
    let saved = workspace.put(entry, Some(revision), "Saver").unwrap();

    // A colleague's broken file lands between the save and the reload: the reload puts what
    // this workspace wrote in place, so it cannot have read the file back.
    let path = copy.path().join("itil/incident.json");
    std::fs::write(&path, b"{ broken").unwrap();
    let reloaded = workspace
        .reload_changes(&Changes::Written(vec![OwnWrite::saved(&saved)]))
        .unwrap();
    assert_eq!((reloaded.files_read, reloaded.full), (0, false));
    assert_eq!(workspace.glossary().get("itil/incident"), Some(&saved));
    let hits = workspace
        .search(&SearchRequest::new("unplanned break"))
        .unwrap();
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("itil/incident"));

    // Its record carries no time, so the next listing reads that file, and only that one.
    let listed = workspace.reload().unwrap();
    assert_eq!(listed.files_read, 1);
    assert!(workspace.glossary().get("itil/incident").is_none());
    assert!(workspace
        .loaded()
        .problems
        .iter()
        .any(|p| p.path == "itil/incident.json"));

    // A deletion is put in place from memory too.
    let other = workspace.glossary().entries()[0].id.clone();
    workspace.delete(&other, None, true).unwrap();
    let reloaded = workspace
        .reload_changes(&Changes::Written(vec![OwnWrite::deleted(&other)]))
        .unwrap();
    assert_eq!(reloaded.files_read, 0);
    assert!(workspace.glossary().get(&other).is_none());
    assert_eq!(
        workspace.loaded().problems,
        load_dir(copy.path()).unwrap().problems
    );
}

#[test]
fn a_start_without_a_record_of_the_files_reads_them_all_once() {
    let copy = TempGlossary::mini();
    age_all(copy.path());
    let source = GlossarySource::Folder(copy.path().to_path_buf());
    let loaded = source.load().unwrap();
    let mut workspace = Workspace::from_loaded(source, loaded, None);
    assert!(!workspace.is_tracked());
    let first = workspace.reload().unwrap();
    assert!(first.full);
    assert!(workspace.is_tracked());
    assert_eq!(workspace.reload().unwrap().files_read, 0);
}
