//! Git sync in the real window: a bare remote in a temporary folder and two clones made with
//! the `git` command. The app opens clone `a`'s glossary; the test plays the colleague in clone
//! `b` (editing through the core's store, committing and pushing with git). Every case ends
//! with every glossary file valid JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use babelfish::store::{Base, Store};
use serde_json::Value;

use crate::support::*;

/// git with no global or system settings (no identity, no templates), as in CI.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The same settings for the app's git as for the test's.
const GIT_ENV: [(&str, &str); 2] = [
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
];

/// A bare remote and two clones of the fixture glossary (in `glossary/` of each).
struct World {
    tmp: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let world = World {
            tmp: tempfile::tempdir().unwrap(),
        };
        git(
            world.tmp.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        let a = world.clone_as("a", "Test Author");
        copy_dir(&fixtures().join("glossary"), &a.join("glossary"));
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary/.gitattributes"),
            a.join("glossary/.gitattributes"),
        )
        .unwrap();
        git(&a, &["add", "-A"]);
        git(&a, &["commit", "-q", "-m", "Seed the glossary"]);
        git(&a, &["push", "-q", "-u", "origin", "main"]);
        world.clone_as("b", "A Colleague");
        world
    }

    fn clone_as(&self, name: &str, who: &str) -> PathBuf {
        let dir = self.tmp.path().join(name);
        git(self.tmp.path(), &["clone", "-q", "remote.git", name]);
        git(&dir, &["config", "user.name", who]);
        git(&dir, &["config", "user.email", "someone@example.org"]);
        git(&dir, &["checkout", "-q", "-B", "main"]);
        dir
    }

    fn glossary(&self, clone: &str) -> PathBuf {
        self.tmp.path().join(clone).join("glossary")
    }

    fn remote(&self) -> PathBuf {
        self.tmp.path().join("remote.git")
    }

    /// The app, on clone `a`'s glossary.
    async fn start_app(&self) -> App {
        App::start(Options {
            glossary_dir: Some(self.glossary("a")),
            env: GIT_ENV.to_vec(),
            ..Options::default()
        })
        .await
    }

    /// The colleague changes `id`'s definition in clone `b` and pushes it.
    fn colleague_pushes(&self, id: &str, definition: &str) {
        save(&self.glossary("b"), id, "A Colleague", definition);
        let b = self.tmp.path().join("b");
        git(&b, &["add", "-A"]);
        git(&b, &["commit", "-q", "-m", &format!("Glossary: {id}")]);
        git(&b, &["push", "-q", "origin", "main"]);
    }

    /// The entry file as the remote's `main` holds it.
    fn on_remote(&self, id: &str) -> Value {
        let text = git(
            &self.remote(),
            &["show", &format!("main:glossary/{id}.json")],
        );
        serde_json::from_str(&text).unwrap()
    }
}

/// Saves a new definition of `id` through the store, as the app does.
fn save(dir: &Path, id: &str, author: &str, definition: &str) {
    let glossary = babelfish::load_dir(dir).unwrap().glossary;
    let store = Store::new(dir);
    let stored = store.read(id).unwrap();
    let mut entry = stored.entry.clone();
    entry.definition = definition.into();
    let base = Base {
        revision: stored.entry.revision,
        hash: Some(stored.hash),
    };
    store.save(entry, &base, author, &glossary).unwrap();
}

/// Every `.json` file under `dir` parses (no conflict markers anywhere).
fn assert_every_file_is_json(dir: &Path) {
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        let path = item.path();
        if path.is_dir() {
            if !item.file_name().to_string_lossy().starts_with('.') {
                assert_every_file_is_json(&path);
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                serde_json::from_str::<Value>(&text).is_ok(),
                "{} is not valid JSON:\n{text}",
                path.display()
            );
        }
    }
}

/// Clicks Sync and waits until the `n`th sync since the start is over.
async fn sync(app: &App, n: usize) {
    app.click("#sync-now").await;
    app.wait_css_within(
        &format!("#sync[data-syncs='{n}']"),
        std::time::Duration::from_secs(30),
    )
    .await;
}

/// Opens `id` from a search for `query`.
async fn open(app: &App, query: &str, id: &str) {
    app.search(query).await;
    app.click(&format!("#results [data-id='{id}']")).await;
    app.wait_entry(id).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_shows_a_colleagues_push_and_sync_brings_it_into_the_window() {
    let world = World::new();
    let app = world.start_app().await;
    app.wait_css("#sync[data-checked='true'][data-behind='0']:not([hidden])")
        .await;

    world.colleague_pushes(CAB, "The colleague's definition of the change board.");
    app.click("#sync-check").await;
    app.wait_css("#sync[data-behind='1']").await;
    let line = app.text("#sync-status").await;
    assert!(line.contains("behind 1"), "{line}");

    open(&app, "change advisory board", CAB).await;
    sync(&app, 1).await;
    assert_eq!(
        app.js("return document.getElementById('sync').dataset.state")
            .await,
        "done",
        "{}",
        app.text("#sync-message").await
    );
    // The entry on screen is refreshed through the live reload.
    app.wait_js(
        "document.querySelector('#view .entry .definition')?.textContent.includes(\"The colleague's definition\")",
    )
    .await;
    app.wait_css("#sync[data-behind='0']").await;
    assert_every_file_is_json(&world.glossary("a"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_same_field_conflict_is_decided_on_the_conflict_screen_and_the_next_sync_pushes_it() {
    let world = World::new();
    let app = world.start_app().await;
    app.wait_css("#sync[data-checked='true']:not([hidden])")
        .await;
    world.colleague_pushes(CAB, "Their definition of the change board.");
    // The user's own save of the same field, in the app's folder.
    save(
        &world.glossary("a"),
        CAB,
        "Test Author",
        "My definition of the change board.",
    );

    sync(&app, 1).await;
    // The conflict screen opens with both versions; the file keeps mine meanwhile.
    app.wait_css(&format!(
        "form.editor[data-sync-conflict='{CAB}'] .conflict:not([hidden])"
    ))
    .await;
    let conflict = app.text("form.editor .conflict").await;
    assert!(conflict.contains("Their definition"), "{conflict}");
    assert!(conflict.contains("My definition"), "{conflict}");
    assert!(conflict.contains("A Colleague"), "{conflict}");
    assert_eq!(
        app.text("#sync-conflicts").await,
        "Decide: Change Advisory Board"
    );
    assert_every_file_is_json(&world.glossary("a"));
    assert_eq!(
        world.on_remote(CAB)["definition"],
        "Their definition of the change board.",
        "nothing pushed while the conflict is open"
    );

    // Keep mine: saved through the store, the conflict is gone, the next sync pushes it.
    app.click("form.editor .keep-mine").await;
    app.wait_entry(CAB).await;
    app.wait_css("#sync[data-conflicts='0']").await;
    assert_eq!(
        on_disk(&app, CAB)["definition"],
        "My definition of the change board."
    );
    sync(&app, 2).await;
    let message = app.text("#sync-message").await;
    assert!(message.contains("in sync"), "{message}");
    let pushed = world.on_remote(CAB);
    assert_eq!(pushed["definition"], "My definition of the change board.");
    assert_eq!(pushed["updated_by"], "Test Author");
    assert_every_file_is_json(&world.glossary("a"));

    // History lists the commits, from git.
    open(&app, "change advisory board", CAB).await;
    app.click(".entry .tab-history").await;
    app.wait_css(".history-panel[data-source='git'] li").await;
    let history = app.text(".history-panel").await;
    assert!(history.contains("A Colleague"), "{history}");
    assert!(history.contains("Test Author"), "{history}");
    assert!(history.contains("Seed the glossary"), "{history}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_git_there_is_no_sync_and_history_comes_from_the_entry() {
    let app = App::start(Options::default()).await;
    app.wait_css("#sync[data-checked='true']").await;
    assert_eq!(
        app.js("return document.getElementById('sync').hidden")
            .await,
        true
    );
    open(&app, "change advisory board", CAB).await;
    app.click(".entry .tab-history").await;
    app.wait_css(".history-panel[data-source='entry'] li").await;
    let history = app.text(".history-panel").await;
    let revision = on_disk(&app, CAB)["revision"].as_u64().unwrap();
    assert!(
        history.contains(&format!("Revision {revision}")),
        "{history}"
    );
    // The entry's own text is hidden behind the History tab, and comes back.
    assert_eq!(
        app.js("return getComputedStyle(document.querySelector('#view .entry .body')).display")
            .await,
        "none"
    );
    app.click(".entry .tab-entry").await;
    app.wait_js(
        "getComputedStyle(document.querySelector('#view .entry .body')).display !== 'none'",
    )
    .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repository_without_upstream_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    git(tmp.path(), &["init", "-q", "-b", "main", "."]);
    let glossary = tmp.path().join("glossary");
    copy_dir(&fixtures().join("glossary"), &glossary);
    let app = App::start(Options {
        glossary_dir: Some(glossary),
        env: GIT_ENV.to_vec(),
        ..Options::default()
    })
    .await;
    app.wait_css("#sync[data-reason='no_upstream']:not([hidden])")
        .await;
    let refusal = app.text("#sync-refusal").await;
    assert!(refusal.contains("git push -u origin main"), "{refusal}");
    sync(&app, 1).await;
    assert_eq!(
        app.js("return document.getElementById('sync').dataset.state")
            .await,
        "refused"
    );
    app.stop().await;
}
