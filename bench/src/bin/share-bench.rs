//! The glossary on a network share, as a user of the desktop app meets it: a full load, a start
//! through the start-up cache, an own save, and a colleague's save seen through the poller.
//!
//! ```sh
//! share-bench prepare SERVER_DIR [ENTRIES]        # the curated glossary + synthetic entries
//! share-bench run MINE THEIRS [ROUNDS]            # MINE, THEIRS: one folder through two mounts
//! share-bench starts MINE [ROUNDS]                # starts from the start-up cache only
//! share-bench saves MINE [ROUNDS]                 # own saves only (after a `run` filled the cache)
//! share-bench colleagues MINE THEIRS [ROUNDS]     # colleagues' saves only (likewise)
//! ```
//!
//! `prepare` writes the curated glossary (1,740 entries) plus synthetic ones up to ENTRIES
//! (default 2,000) into SERVER_DIR, meant to be the share's folder on the server's own disk
//! (writing 2,000 files through a share with 10 ms round trips takes minutes), and ages the files
//! an hour, as a glossary at rest is. `run` then works on the same folder through two client
//! mounts (`scripts/smb-latency.sh` makes them, behind a latency proxy):
//!
//! - first start: the start-up cache opened into a fresh local cache folder, so every file is
//!   listed and read, the index built and the cache written;
//! - start from the start-up cache, as the app does: on a network folder the folders' times
//!   are compared ([`Check::FolderTimes`]), then every file is compared in the background;
//! - own save: `Workspace::save` of one entry, then `reload_changes(Written)` (the saved entry
//!   put in place from memory and the index updated, nothing read back), as the app does, its
//!   change hint left in the background as the app's is; saves [`BETWEEN_SAVES`] apart;
//! - colleague's change seen: a second store on THEIRS saves an entry; the poller of
//!   `watch::watch` on MINE (polling every `POLL_INTERVAL`) names it; the workspace reloads
//!   that entry. Printed as the time from the colleague's save to the poller's report (which
//!   includes waiting for the next poll), and the reload after it.
//!
//! Figures in docs/benchmarks.md, "A glossary on a real SMB share".

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use babelfish::cache::{CacheUse, Check, GlossaryCache};
use babelfish::store::{Base, Store};
use babelfish::workspace::{Changes, OwnWrite};
use babelfish::{GlossarySource, Workspace};
use babelfish_bench::{copy_dir, percentiles, save_as_colleague, synthetic_entries, Vocabulary};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("prepare") if args.len() >= 2 => {
            let entries = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2_000);
            prepare(Path::new(&args[1]), entries);
        }
        Some("run") if args.len() >= 3 => {
            let rounds = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(5);
            run(Path::new(&args[1]), Path::new(&args[2]), rounds);
        }
        Some("colleagues") if args.len() >= 3 => {
            let rounds = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(5);
            colleagues_only(Path::new(&args[1]), Path::new(&args[2]), rounds);
        }
        Some("starts") if args.len() >= 2 => {
            let rounds = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3);
            starts_only(Path::new(&args[1]), rounds);
        }
        Some("saves") if args.len() >= 2 => {
            let rounds = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
            saves_only(Path::new(&args[1]), rounds);
        }
        _ => {
            eprintln!(
                "usage: share-bench prepare SERVER_DIR [ENTRIES] | run MINE THEIRS [ROUNDS] \
                 | starts MINE [ROUNDS] | saves MINE [ROUNDS] | colleagues MINE THEIRS [ROUNDS]"
            );
            std::process::exit(2);
        }
    }
}

/// The curated glossary plus synthetic entries up to `entries`, aged an hour.
fn prepare(dir: &Path, entries: usize) {
    let curated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../glossary");
    copy_dir(&curated, dir);
    let have = Workspace::open(GlossarySource::Folder(dir.to_path_buf()))
        .expect("the copy opens")
        .glossary()
        .len();
    let extra = entries.saturating_sub(have);
    for entry in synthetic_entries(extra, &Vocabulary::from_bundled(), 42) {
        let (domain, slug) = entry.id.split_once('/').expect("domain/slug ids");
        std::fs::write(
            dir.join(domain).join(format!("{slug}.json")),
            entry.to_file_json(),
        )
        .expect("writes an entry");
    }
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    age(dir, hour_ago);
    println!("{} entries in {}", have + extra, dir.display());
}

fn age(dir: &Path, when: SystemTime) {
    for item in std::fs::read_dir(dir).expect("lists").flatten() {
        let path = item.path();
        if path.is_dir() {
            age(&path, when);
        }
        let file = std::fs::File::options().write(true).open(&path);
        if let Ok(file) = file {
            let _ = file.set_modified(when);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

// Long: one benchmark's measurements in the order a user meets them, each printed.
fn run(mine: &Path, theirs: &Path, rounds: usize) {
    let source = GlossarySource::Folder(mine.to_path_buf());
    // SHARE_BENCH_CACHE keeps the cache between runs (the first start through a slow share
    // takes minutes); by default a fresh one.
    let fresh = tempfile::tempdir().expect("cache folder");
    let cache_root = std::env::var_os("SHARE_BENCH_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| fresh.path().to_path_buf());
    let cache = GlossaryCache::new(&cache_root, mine);
    let check = match babelfish::watch::choose_mode(mine) {
        babelfish::watch::WatchMode::Poll(_) => Check::FolderTimes,
        babelfish::watch::WatchMode::Events => Check::EveryFile,
    };
    println!("start-up check: {check:?}");
    let started = Instant::now();
    let first = cache.open_checked(check).expect("opens");
    println!(
        "{} entries in {}\nfirst start (every file read, index built, cache written: {:?}): {:.0} ms",
        first.loaded.glossary.len(),
        mine.display(),
        first.cache,
        ms(started.elapsed())
    );
    let mut hits = Vec::new();
    let mut opened = None;
    for _ in 0..3 {
        let started = Instant::now();
        let again = cache.open_checked(check).expect("opens");
        hits.push(started.elapsed());
        assert_eq!(
            again.cache,
            CacheUse::Hit,
            "the folder changed under the bench"
        );
        opened = Some(again);
    }
    let (hit, _) = percentiles(hits);
    println!(
        "start from the start-up cache (median of 3): {:.0} ms",
        hit / 1e3
    );
    // As the app's: a save returns once its file is in place, its change hint follows.
    let mut workspace =
        Workspace::from_cache(source, opened.expect("opened")).leaving_hints_in_background();
    if let Some(changes) = workspace.pending_check() {
        let started = Instant::now();
        let checked = workspace.reload_changes(&changes).expect("checks");
        println!(
            "then, in the background, every file compared with the cache: {:.0} ms ({} read)",
            ms(started.elapsed()),
            checked.files_read
        );
    }

    let ids = own_saves(&mut workspace, rounds);
    colleague_rounds(&mut workspace, mine, theirs, &ids, rounds);
}

/// Own saves alone, for profiling a save (`strace -f`), from [`opened_from_bench_cache`].
fn saves_only(mine: &Path, rounds: usize) {
    own_saves(&mut opened_from_bench_cache(mine), rounds);
}

/// Starts from the start-up cache alone: one start to bring the cache up to date with the folder
/// (earlier saves moved folders' times), then `rounds` timed starts, as the app's.
fn starts_only(mine: &Path, rounds: usize) {
    let started = Instant::now();
    drop(opened_from_bench_cache(mine));
    println!(
        "start bringing the cache up to date: {:.0} ms",
        ms(started.elapsed())
    );
    let mut starts = Vec::new();
    for round in 0..rounds {
        let started = Instant::now();
        let workspace = opened_from_bench_cache(mine);
        starts.push(started.elapsed());
        eprintln!(
            "start {round}: {:.0} ms ({} entries)",
            ms(started.elapsed()),
            workspace.glossary().len()
        );
    }
    let (median, worst) = percentiles(starts);
    println!(
        "start from the start-up cache: median {:.0} ms, worst {:.0} ms",
        median / 1e3,
        worst / 1e3
    );
}

/// Colleagues' saves alone, from [`opened_from_bench_cache`].
fn colleagues_only(mine: &Path, theirs: &Path, rounds: usize) {
    let mut workspace = opened_from_bench_cache(mine);
    let ids = entry_ids(&workspace);
    colleague_rounds(&mut workspace, mine, theirs, &ids, rounds);
}

/// The workspace opened from the start-up cache in SHARE_BENCH_CACHE (a `run` filled it),
/// without the background comparison of every file.
fn opened_from_bench_cache(mine: &Path) -> Workspace {
    let cache_root = std::env::var_os("SHARE_BENCH_CACHE").expect("SHARE_BENCH_CACHE");
    let cache = GlossaryCache::new(Path::new(&cache_root), mine);
    let opened = cache.open_checked(Check::FolderTimes).expect("opens");
    Workspace::from_cache(GlossarySource::Folder(mine.to_path_buf()), opened)
        .leaving_hints_in_background()
}

/// Every entry's id, in the glossary's order.
fn entry_ids(workspace: &Workspace) -> Vec<String> {
    workspace
        .glossary()
        .entries()
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

/// The pause between two own saves: a person edits an entry between saves. Back to back, a
/// save would also wait behind what the last one left to the background (its change hint),
/// since this client serves one request at a time.
const BETWEEN_SAVES: Duration = Duration::from_secs(2);

/// Saves `rounds` entries through the workspace and reloads each, as the app does; the ids.
fn own_saves(workspace: &mut Workspace, rounds: usize) -> Vec<String> {
    let ids = entry_ids(workspace);
    let mut saves = Vec::new();
    for round in 0..rounds {
        std::thread::sleep(BETWEEN_SAVES);
        let id = &ids[(round * 7919) % ids.len()];
        let mut entry = workspace.glossary().get(id).expect("entry").clone();
        entry.example = format!("Saved in round {round} of the share benchmark.");
        let base = Base::revision(entry.revision);
        let started = Instant::now();
        let saved = workspace.save(entry, &base, "Bench").expect("saves");
        let stored = started.elapsed();
        // As the app does: the saved entry put in place from memory.
        let reloaded = workspace
            .reload_changes(&Changes::Written(vec![OwnWrite::saved(&saved)]))
            .expect("reloads");
        saves.push(started.elapsed());
        eprintln!(
            "own save {round}: {:.0} ms (the store {:.0} ms, the reload from memory {:.0} ms), {} file(s) read",
            ms(started.elapsed()),
            ms(stored),
            ms(started.elapsed() - stored),
            reloaded.files_read
        );
    }
    let (median, worst) = percentiles(saves);
    println!(
        "own save + reload of that entry: median {:.0} ms, worst {:.0} ms ({} s apart)",
        median / 1e3,
        worst / 1e3,
        BETWEEN_SAVES.as_secs()
    );
    ids
}

/// A colleague's saves through the other mount, seen by the poller on this one.
fn colleague_rounds(
    workspace: &mut Workspace,
    mine: &Path,
    theirs: &Path,
    ids: &[String],
    rounds: usize,
) {
    let (tx, reports) = mpsc::channel();
    let record = workspace.record().cloned();
    let watcher = babelfish::watch::watch_from(mine, record, move |change| {
        let _ = tx.send((Instant::now(), change));
    })
    .expect("watches");
    println!("watch mode: {}", watcher.mode().describe());
    // The colleague's app, whose change hint follows its save: "seen" counts from the moment
    // its save returned, so the hint's own request is part of it.
    let colleague = Store::new(theirs).leaving_hints_in_background();
    // The poller first lists every file (minutes through a slow share); a change made meanwhile
    // is part of what it first sees. Warm up: a colleague's save every 10 s until one is
    // reported, so the timed rounds start with the poller in its loop.
    let started = Instant::now();
    let warm_up = &ids[ids.len() / 2];
    loop {
        save_as_colleague(
            &colleague,
            warm_up,
            format!("Warm-up at {:?}.", started.elapsed()),
            workspace.glossary(),
        );
        if let Ok((_, change)) = reports.recv_timeout(Duration::from_secs(10)) {
            if change.ids.contains(warm_up) {
                break;
            }
        }
    }
    while reports.try_recv().is_ok() {}
    println!(
        "the first report of a colleague's save after the watch started: about {:.0} s",
        started.elapsed().as_secs_f64()
    );
    workspace
        .reload_changes(&Changes::Folder)
        .expect("catches up");
    let (mut seen, mut reloads, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let id = &ids[(round * 104_729 + 13) % ids.len()];
        save_as_colleague(
            &colleague,
            id,
            format!("Changed by a colleague in round {round}."),
            workspace.glossary(),
        );
        let saved = Instant::now();
        let changed: Vec<String> = loop {
            let (at, change) = reports
                .recv_timeout(Duration::from_secs(120))
                .expect("the poller reports the colleague's save");
            if change.ids.contains(id) {
                seen.push(at - saved);
                break change.ids.into_iter().collect();
            }
        };
        let started = Instant::now();
        workspace
            .reload_changes(&Changes::Entries(changed))
            .expect("reloads");
        reloads.push(started.elapsed());
        total.push(saved.elapsed());
        eprintln!(
            "colleague {round}: seen after {:.0} ms, reload {:.0} ms",
            ms(*seen.last().unwrap()),
            ms(*reloads.last().unwrap())
        );
        assert!(workspace
            .glossary()
            .get(id)
            .is_some_and(|e| e.example.contains(&format!("round {round}."))));
    }
    let (seen, seen_worst) = percentiles(seen);
    let (reload, reload_worst) = percentiles(reloads);
    let (total, total_worst) = percentiles(total);
    println!(
        "colleague's save seen by the poller: median {:.0} ms, worst {:.0} ms (poll every {} s)",
        seen / 1e3,
        seen_worst / 1e3,
        babelfish::watch::POLL_INTERVAL.as_secs()
    );
    println!(
        "then the reload of that entry: median {:.0} ms, worst {:.0} ms",
        reload / 1e3,
        reload_worst / 1e3
    );
    println!(
        "colleague's save to the app updated: median {:.0} ms, worst {:.0} ms",
        total / 1e3,
        total_worst / 1e3
    );
}
