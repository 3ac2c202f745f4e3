use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util::{babelfish, TempGlossary};

/// A `babelfish watch` process and the JSON lines it prints.
pub(crate) struct Watching {
    child: Child,
    lines: mpsc::Receiver<serde_json::Value>,
    /// The first line: entries loaded and the watch mode (`poll` or `events`).
    pub(crate) ready: serde_json::Value,
}

impl Watching {
    /// Starts watching `dir`; returns once the watcher's first line says it is ready.
    pub(crate) fn start(dir: &std::path::Path) -> Watching {
        let mut child = babelfish()
            .args(["watch", "--glossary"])
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                    break;
                }
            }
        });
        let mut w = Watching {
            child,
            lines,
            ready: serde_json::Value::Null,
        };
        w.ready = w.next();
        assert_eq!(w.ready["ready"], true);
        w
    }

    /// The next report; the generous limit only stops a broken watcher hanging the suite.
    pub(crate) fn next(&self) -> serde_json::Value {
        self.lines
            .recv_timeout(Duration::from_secs(20))
            .expect("no report from the watcher")
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Another process's edit, a new file and a deletion are each seen and applied to the index
/// incrementally (only the changed entries and their counterparts are re-indexed).
#[test]
fn a_watcher_process_sees_edits_new_and_deleted_files() {
    let copy = TempGlossary::mini();
    let watching = Watching::start(copy.path());

    let path = copy.path().join("itil/incident.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("printer outage", "scanner outage");
    std::fs::write(&path, edited).unwrap();
    let report = watching.next();
    assert_eq!(report["changed"], serde_json::json!(["itil/incident"]));
    assert_eq!(report["entries"], 7);
    assert!(report["reindexed"].as_u64().unwrap() <= 2, "{report}");

    let new = std::fs::read_to_string(copy.path().join("clinical/handover.json"))
        .unwrap()
        .replace("clinical/handover", "clinical/board-round")
        .replace("\"Handover\"", "\"Board round\"")
        .replace("clinical handover", "board round meeting");
    std::fs::write(copy.path().join("clinical/board-round.json"), new).unwrap();
    let report = watching.next();
    assert_eq!(
        report["changed"],
        serde_json::json!(["clinical/board-round"])
    );
    assert_eq!(report["entries"], 8);

    std::fs::remove_file(copy.path().join("clinical/board-round.json")).unwrap();
    let report = watching.next();
    assert_eq!(report["entries"], 7);

    // A broken file from a colleague is counted as a problem; the watcher keeps going.
    std::fs::write(copy.path().join("itil/broken.json"), "{ \"id\": ").unwrap();
    let report = watching.next();
    assert_eq!(report["problems"], 1);
    assert_eq!(report["entries"], 7);
}
