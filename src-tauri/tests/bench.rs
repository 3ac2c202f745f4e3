//! Benchmark (not a timed test): a 10,000-entry synthetic glossary in the real window.
//! Prints keystroke-to-results latency (from the page's performance marks, read over
//! WebDriver), cold start to interactive, and the main process's memory.
//!
//! cargo test -p babelfish-desktop --release --test bench -- --ignored --nocapture
//! (BENCH_ENTRIES and BENCH_STARTS change the size and the number of cold starts.)

mod common;

use std::path::Path;
use std::time::Duration;

use common::{terminate, App, Options, Xvfb, APP};
use serde_json::json;

const WORDS_A: &[&str] = &[
    "change",
    "service",
    "patient",
    "clinical",
    "risk",
    "stage",
    "benefit",
    "capacity",
    "ward",
    "discharge",
    "theatre",
    "incident",
    "project",
    "programme",
    "quality",
    "safety",
    "release",
    "handover",
    "escalation",
    "board",
    "pathway",
    "referral",
    "outpatient",
    "emergency",
    "problem",
    "asset",
    "supplier",
    "portfolio",
    "tranche",
    "exception",
    "tolerance",
    "governance",
    "audit",
    "medication",
    "bed",
    "triage",
    "consent",
    "record",
    "coding",
    "capability",
];
const WORDS_B: &[&str] = &[
    "review",
    "plan",
    "report",
    "register",
    "committee",
    "meeting",
    "round",
    "list",
    "summary",
    "assessment",
    "management",
    "control",
    "owner",
    "manager",
    "team",
    "log",
    "profile",
    "map",
    "standard",
    "target",
    "policy",
    "protocol",
    "request",
    "approval",
    "model",
    "catalogue",
    "record",
    "schedule",
    "forecast",
    "strategy",
    "lead",
    "desk",
    "agreement",
    "check",
    "case",
    "note",
    "framework",
    "board",
    "charter",
    "budget",
];
const WORDS_C: &[&str] = &[
    "", "process", "cycle", "group", "level", "matrix", "brief", "panel", "tool", "rule",
];
const PROSE: &[&str] = &[
    "the", "team", "agrees", "what", "happens", "next", "when", "a", "patient", "service",
    "change", "is", "reviewed", "by", "people", "who", "own", "risk", "and", "decide", "whether",
    "work", "goes", "ahead", "after", "checking", "benefits", "costs", "timing", "safety", "ward",
    "project", "board", "manager", "report", "plan", "stage", "clinic", "theatre", "bed", "flow",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.pick(PROSE)).collect();
        s[0] = "A";
        format!("{}.", s.join(" "))
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Writes a valid glossary of `count` entries over four domains, with mappings.
fn synthetic_glossary(dir: &Path, count: usize) {
    let domains = [
        ("prince2", "PRINCE2", "informatics"),
        ("itil", "ITIL 4", "informatics"),
        ("msp", "MSP", "informatics"),
        ("clinical", "Clinical (NHS hospital)", "clinical"),
    ];
    let list: Vec<_> = domains
        .iter()
        .map(|(id, name, side)| json!({"id": id, "name": name, "description": format!("Synthetic {name} terms."), "side": side}))
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("domains.json"),
        serde_json::to_string_pretty(&list).unwrap() + "\n",
    )
    .unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_domain = count / domains.len();
    let combos = WORDS_A.len() * WORDS_B.len() * WORDS_C.len();
    assert!(per_domain <= combos, "not enough word combinations");
    let mut clinical_ids = Vec::new();
    for (d, (domain, _, _)) in domains.iter().enumerate().rev() {
        std::fs::create_dir_all(dir.join(domain)).unwrap();
        for i in 0..per_domain {
            // A different, deterministic walk through the combinations for each domain.
            let k = (i * 7919 + d * 104_729) % combos;
            let (a, b, c) = (
                WORDS_A[k % WORDS_A.len()],
                WORDS_B[(k / WORDS_A.len()) % WORDS_B.len()],
                WORDS_C[k / (WORDS_A.len() * WORDS_B.len())],
            );
            let term = format!(
                "{} {b}{}{c}",
                capitalise(a),
                if c.is_empty() { "" } else { " " }
            );
            let slug = babelfish::text::slugify(&term);
            let id = format!("{domain}/{slug}");
            let abbreviations: Vec<String> = if i % 3 == 0 {
                vec![
                    term.split(' ')
                        .map(|w| w[..1].to_uppercase())
                        .collect::<String>()
                        + &(i % 97).to_string(),
                ]
            } else {
                vec![]
            };
            let mappings = if *domain != "clinical" && !clinical_ids.is_empty() {
                let target: &String =
                    &clinical_ids[(rng.next() % clinical_ids.len() as u64) as usize];
                vec![json!({"id": target, "closeness": "close", "note": rng.sentence(12)})]
            } else {
                vec![]
            };
            let entry = json!({
                "id": id, "term": term, "domain": domain, "abbreviations": abbreviations,
                "synonyms": [], "definition": rng.sentence(25), "explanation": rng.sentence(35),
                "example": rng.sentence(12), "mappings": mappings, "related": [], "false_friends": [],
                "source": "Synthetic benchmark data", "status": "draft", "revision": 1,
                "updated_at": "2026-11-24T12:00:00Z", "updated_by": "bench"
            });
            std::fs::write(
                dir.join(domain).join(format!("{slug}.json")),
                serde_json::to_string_pretty(&entry).unwrap() + "\n",
            )
            .unwrap();
            if *domain == "clinical" {
                clinical_ids.push(id);
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The app process started by this session: the newest process whose executable is APP.
fn app_pid() -> Option<u32> {
    let target = std::fs::canonicalize(APP).ok()?;
    let mut best: Option<(u64, u32)> = None;
    for entry in std::fs::read_dir("/proc").ok()? {
        let entry = entry.ok()?;
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else {
            continue;
        };
        if exe != target {
            continue;
        }
        let start = start_ticks(pid).unwrap_or(0);
        if best.is_none_or(|(s, _)| start > s) {
            best = Some((start, pid));
        }
    }
    best.map(|(_, pid)| pid)
}

fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    Some(after.split_whitespace().map(str::to_string).collect())
}

fn start_ticks(pid: u32) -> Option<u64> {
    stat_fields(pid)?.get(19)?.parse().ok() // field 22 overall
}

fn parent_of(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// Process start as milliseconds since the Unix epoch (10 ms resolution).
fn start_epoch_ms(pid: u32) -> Option<f64> {
    let btime: f64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    let ticks = start_ticks(pid)? as f64;
    let hz = 100.0; // USER_HZ on Linux
    Some((btime + ticks / hz) * 1000.0)
}

fn rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()
        .ok()
}

fn children_rss_kib(pid: u32) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() {
            if parent_of(child) == Some(pid) {
                total += rss_kib(child).unwrap_or(0);
            }
        }
    }
    total
}

fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0
}

/// Cold start without WebDriver: from just before exec to the moment the window's first
/// `app_status` call is answered (glossary loaded and indexed; the page renders it within a
/// few milliseconds), read from the app's `BABELFISH_TRACE_STARTUP` lines. Also returns the
/// main process's RSS half a second later.
fn direct_cold_start(glossary: &Path, display: &str, cache_home: &Path) -> (f64, f64) {
    use std::io::BufRead;
    let home = tempfile::tempdir().unwrap();
    let before = epoch_ms();
    let mut child = std::process::Command::new(APP)
        .env("DISPLAY", display)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", cache_home)
        .env("BABELFISH_GLOSSARY", glossary)
        .env("BABELFISH_TRACE_STARTUP", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut answered = f64::NAN;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.starts_with("startup: app_status answered") {
            answered = line
                .rsplit_once("(epoch ")
                .and_then(|(_, e)| e.trim_end_matches(" ms)").parse::<f64>().ok())
                .unwrap_or(f64::NAN);
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    let rss = rss_kib(child.id()).unwrap_or(0) as f64 / 1024.0;
    terminate(&mut child);
    (answered - before, rss)
}

// Long: one benchmark session top to bottom, so all its figures come from one app.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run explicitly, see docs/desktop.md"]
async fn bench_10k() {
    let count: usize = std::env::var("BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let starts: usize = std::env::var("BENCH_STARTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let glossary = dir.path().join("glossary");
    synthetic_glossary(&glossary, count);
    let loaded = babelfish::load_dir(&glossary).unwrap();
    assert!(
        !loaded.has_errors(),
        "synthetic glossary is valid: {:?}",
        &loaded.problems[..loaded.problems.len().min(3)]
    );
    println!(
        "glossary: {} entries ({} problems) in {}",
        loaded.glossary.len(),
        loaded.problems.len(),
        glossary.display()
    );
    println!("binary: {APP}");

    // Without WebDriver first: the figure a user sees.
    let (own_xvfb, display) = match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => (None, d),
        _ => {
            let x = Xvfb::start();
            let d = x.display.clone();
            (Some(x), d)
        }
    };
    // One cache folder for every start, as for a user: the first start reads the files and
    // writes the start-up cache, the later ones find it.
    let cache_home = tempfile::tempdir().unwrap();
    let mut direct = Vec::new();
    for run in 0..starts {
        let (ms, rss) = direct_cold_start(&glossary, &display, cache_home.path());
        let cache = if run == 0 {
            "first start: files read, cache written"
        } else {
            "start-up cache used"
        };
        println!("direct cold start {run}: exec -> first status answered {ms:.0} ms (main RSS {rss:.1} MiB; {cache})");
        if run > 0 || starts == 1 {
            direct.push(ms);
        }
    }
    direct.sort_by(f64::total_cmp);
    drop(own_xvfb);

    let mut cold = Vec::new();
    let mut last = None;
    for run in 0..starts {
        let app = App::start(Options {
            glossary_dir: Some(glossary.clone()),
            cache_home: Some(cache_home.path().to_path_buf()),
            ..Options::default()
        })
        .await;
        let pid = app_pid().expect("app process");
        let ready_at: f64 = app
            .js("return Number(document.body.dataset.readyAt);")
            .await
            .as_f64()
            .unwrap();
        let started = start_epoch_ms(pid).unwrap();
        cold.push(ready_at - started);
        let timings = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 window.__TAURI__.core.invoke('app_status').then(s => done(s.glossary.timings));",
                vec![],
            )
            .await
            .unwrap();
        println!(
            "  glossary load {} ms, index build {} ms, from the start-up cache: {}",
            timings["load_ms"], timings["index_ms"], timings["from_cache"]
        );
        println!(
            "cold start {run}: process start -> interactive {:.0} ms",
            ready_at - started
        );
        if run + 1 == starts {
            last = Some((app, pid));
        } else {
            app.stop().await;
        }
    }
    let (app, pid) = last.unwrap();

    // Type queries one key at a time, waiting for each keystroke's results to render.
    let queries = [
        "change review",
        "patient flow",
        "discharge summary",
        "risk register",
        "CR12",
        "escalation plan",
        "theatre list",
        "bed capacity",
        "exception report",
        "handover note",
        "benefit profile",
        "service desk",
        "quality standard",
        "triage panel",
        "clinical audit",
        "the committee that approves changes",
        "chnage reviw",
        "medication record",
    ];
    app.js("performance.clearMeasures(); return true;").await;
    let q = app.find("#q").await;
    let mut keystrokes = 0;
    for query in queries {
        q.send_keys("\u{E00C}").await.unwrap(); // Esc clears the box
        app.wait_rendered("").await;
        let mut typed = String::new();
        for ch in query.chars() {
            typed.push(ch);
            q.send_keys(&ch.to_string()).await.unwrap();
            app.wait_rendered(&typed).await;
            keystrokes += 1;
        }
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let read =
        |name: &str| format!("return performance.getEntriesByName('{name}').map(e => e.duration);");
    let mut results: Vec<f64> =
        serde_json::from_value(app.js(&read("bf-keystroke-to-results")).await).unwrap();
    let mut frames: Vec<f64> =
        serde_json::from_value(app.js(&read("bf-keystroke-to-frame")).await).unwrap();
    let mut answers: Vec<f64> =
        serde_json::from_value(app.js(&read("bf-keystroke-to-answer")).await).unwrap();
    // Rendering alone: results in the DOM minus the answer's arrival, keystroke by keystroke.
    let mut rendering: Vec<f64> = serde_json::from_value(
        app.js(
            "const a = performance.getEntriesByName('bf-keystroke-to-answer');\
             const r = performance.getEntriesByName('bf-keystroke-to-results');\
             return r.map((e, i) => e.duration - (a[i] ? a[i].duration : NaN));",
        )
        .await,
    )
    .unwrap_or_default();
    results.sort_by(f64::total_cmp);
    frames.sort_by(f64::total_cmp);
    answers.sort_by(f64::total_cmp);
    rendering.retain(|d| d.is_finite());
    rendering.sort_by(f64::total_cmp);
    let rss = rss_kib(pid).unwrap_or(0);
    let web = children_rss_kib(pid);
    cold.sort_by(f64::total_cmp);

    println!();
    println!(
        "== Babelfish desktop benchmark: {} entries, {keystrokes} keystrokes ==",
        loaded.glossary.len()
    );
    println!(
        "keystroke -> results in the DOM: n={} p50={:.1} ms p95={:.1} ms max={:.1} ms",
        results.len(),
        percentile(&results, 50.0),
        percentile(&results, 95.0),
        results.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "  of which keystroke -> search answer in the page: p50={:.1} ms p95={:.1} ms max={:.1} ms",
        percentile(&answers, 50.0),
        percentile(&answers, 95.0),
        answers.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "  of which building the results in the DOM: p50={:.1} ms p95={:.1} ms max={:.1} ms",
        percentile(&rendering, 50.0),
        percentile(&rendering, 95.0),
        rendering.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "keystroke -> next frame:         n={} p50={:.1} ms p95={:.1} ms max={:.1} ms",
        frames.len(),
        percentile(&frames, 50.0),
        percentile(&frames, 95.0),
        frames.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "cold start over WebDriver (process start -> UI interactive, includes the automation session): n={} median={:.0} ms min={:.0} ms max={:.0} ms",
        cold.len(), percentile(&cold, 50.0), cold[0], cold[cold.len() - 1]
    );
    println!(
        "cold start without WebDriver (exec -> glossary loaded and first status answered; starts after the first, which find the start-up cache): n={} median={:.0} ms min={:.0} ms max={:.0} ms",
        direct.len(), percentile(&direct, 50.0), direct[0], direct[direct.len() - 1]
    );
    println!(
        "main process RSS: {:.1} MiB (direct child processes: {:.1} MiB)",
        rss as f64 / 1024.0,
        web as f64 / 1024.0
    );
    app.stop().await;
}
