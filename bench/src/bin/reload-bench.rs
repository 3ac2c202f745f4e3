//! Reload after a save and after a colleague's change, full vs incremental, on a copy of the
//! curated glossary (1,740 entries) in a temporary folder on the local disk or in DIR (for
//! example a network share's mount). Each round times, alternately:
//!
//! - own save: `Workspace::save` of one entry, then a full reload (`Changes::Everything`: every
//!   file read) or the incremental one (`Changes::Written`: the saved entry put in place from
//!   memory, as the app does; nothing read);
//! - colleague's change: another program's store saves one entry, then a full reload or the
//!   incremental one (`Changes::Folder`: the folder listed, changed files read).
//!
//! The index is built first, so every reload also updates it. Prints the median and 99th
//! percentile in milliseconds (and the median of the loading alone), the files read, and the full/incremental ratio of the medians.
//!
//! cargo run --release -p babelfish-bench --bin reload-bench -- [ROUNDS] [DIR [in-place]]
//!
//! With `in-place`, DIR is a copy of the glossary already (copying 1,740 files one by one onto
//! a share with 10 ms round trips takes minutes), and its entries are edited.

use std::path::Path;
use std::time::{Duration, Instant};

use babelfish::store::{Base, Store};
use babelfish::workspace::{Changes, OwnWrite};
use babelfish::{GlossarySource, Workspace};
use babelfish_bench::{copy_dir, percentiles, save_as_colleague};

/// Timings of one way of reloading.
#[derive(Default)]
struct Series {
    times: Vec<Duration>,
    /// The part spent reading and putting the glossary together (the rest: the save, the
    /// index update).
    loads: Vec<Duration>,
    files_read: Vec<usize>,
}

impl Series {
    fn print(&self, name: &str) -> f64 {
        let (median, p99) = percentiles(self.times.clone());
        let (load, _) = percentiles(self.loads.clone());
        let mut read = self.files_read.clone();
        read.sort_unstable();
        println!(
            "{name:<32} median {:>8.1} ms (loading {:>8.1} ms)   p99 {:>8.1} ms   files read (median) {}",
            median / 1e3,
            load / 1e3,
            p99 / 1e3,
            read[read.len() / 2]
        );
        median
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let parent = args.next().map(std::path::PathBuf::from);
    let in_place = args.next().as_deref() == Some("in-place");
    let temp = match &parent {
        Some(p) => tempfile::tempdir_in(p),
        None => tempfile::tempdir(),
    }
    .expect("temp folder");
    let dir = match (&parent, in_place) {
        (Some(glossary), true) => glossary.clone(),
        _ => {
            let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary");
            copy_dir(&curated, temp.path());
            temp.path().to_path_buf()
        }
    };
    let started = Instant::now();
    let mut workspace = Workspace::open(GlossarySource::Folder(dir.clone())).expect("opens");
    println!(
        "{} entries in {}; full load {:.1} ms",
        workspace.glossary().len(),
        dir.display(),
        started.elapsed().as_secs_f64() * 1e3
    );
    workspace.index().expect("index builds");
    // Files written just now are read again until they are RACY old; let the copy age so the
    // rounds measure the steady state.
    std::thread::sleep(babelfish::load::RACY + Duration::from_millis(200));
    let started = Instant::now();
    let unchanged = workspace.reload().expect("reloads");
    eprintln!(
        "nothing changed: {:.1} ms, {} files read",
        started.elapsed().as_secs_f64() * 1e3,
        unchanged.files_read
    );

    let ids: Vec<String> = workspace
        .glossary()
        .entries()
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let colleague = Store::new(&dir);
    let (mut save_full, mut save_incr) = (Series::default(), Series::default());
    let (mut seen_full, mut seen_incr) = (Series::default(), Series::default());
    for round in 0..rounds {
        // Incremental first: on a slow share the full rounds take minutes each.
        let incremental = round % 2 == 0;
        // Own save.
        let id = &ids[(round * 7919) % ids.len()];
        let mut entry = workspace.glossary().get(id).expect("entry").clone();
        entry.example = format!("Saved in round {round} of the benchmark.");
        let base = Base::revision(entry.revision);
        let started = Instant::now();
        let saved = workspace.save(entry, &base, "Bench").expect("saves");
        let series = if incremental {
            &mut save_incr
        } else {
            &mut save_full
        };
        let changes = if incremental {
            Changes::Written(vec![OwnWrite::saved(&saved)])
        } else {
            Changes::Everything
        };
        reload(&mut workspace, &changes, started, series);

        // A colleague's change, seen.
        let id = &ids[(round * 104_729 + 13) % ids.len()];
        save_as_colleague(
            &colleague,
            id,
            format!("Changed by a colleague in round {round}."),
            workspace.glossary(),
        );
        let started = Instant::now();
        let series = if incremental {
            &mut seen_incr
        } else {
            &mut seen_full
        };
        let changes = if incremental {
            Changes::Folder
        } else {
            Changes::Everything
        };
        reload(&mut workspace, &changes, started, series);
    }
    let save_ratio =
        save_full.print("save + full reload") / save_incr.print("save + incremental reload");
    let seen_ratio = seen_full.print("colleague's change, full reload")
        / seen_incr.print("colleague's change, incremental");
    println!("full / incremental: save {save_ratio:.1}x, colleague's change {seen_ratio:.1}x");
}

/// Reloads (`Changes::Everything`: every file read, as every save and change did before),
/// recording the time since `started` and the loading part.
fn reload(workspace: &mut Workspace, changes: &Changes, started: Instant, series: &mut Series) {
    let loading = Instant::now();
    let tracked = workspace.load_changes(changes).expect("loads");
    series.loads.push(loading.elapsed());
    let reloaded = workspace.apply(tracked).expect("applies");
    series.times.push(started.elapsed());
    series.files_read.push(reloaded.files_read);
    // Progress, for slow folders (a share with injected latency takes minutes per full load).
    let kind = match changes {
        Changes::Folder => "Folder",
        Changes::Entries(_) => "Entries",
        Changes::Written(_) => "Written",
        Changes::Everything => "Everything",
    };
    eprintln!(
        "{kind}: {:.1} ms, loading {:.1} ms, {} files read",
        started.elapsed().as_secs_f64() * 1e3,
        series.loads.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        reloaded.files_read
    );
}
