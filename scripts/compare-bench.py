#!/usr/bin/env python3
"""Compares the core's benchmarks between an older revision and the work tree, in one run.

Usage: scripts/compare-bench.py OLD_REV [--rounds N] [--sizes 10000,100000]

Builds `search-bench` and `open-bench` (release) at OLD_REV, in a git worktree under
target/compare/, and in the work tree; then runs them alternately (old, new, new, old, ...) so
that a busy machine slows both alike, and prints the median of each figure with the ratio
new ÷ old (below 1 means the work tree is faster or smaller). Figures: glossary build, index
build, peak RSS after indexing and the p50 query latency per kind (search-bench --one, peers
skipped), and opening a folder from its files and through the start-up cache (open-bench).
The synthetic glossaries are made from each revision's own bundled vocabulary, so they can
differ slightly when the bundled glossary changed between the two.
"""
import argparse, json, os, re, statistics, subprocess, sys

ROOT = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
BINS = ["search-bench", "open-bench"]


def build(src, target):
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    cmd = ["cargo", "build", "--release", "-p", "babelfish-bench"]
    for b in BINS:
        cmd += ["--bin", b]
    print(f"building in {src} ...", file=sys.stderr)
    subprocess.run(cmd, cwd=src, env=env, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(target, "release")


def search_figures(bin_dir, n):
    env = dict(os.environ, BENCH_ONLY_BABELFISH="1")
    out = subprocess.check_output([os.path.join(bin_dir, "search-bench"), "--one", str(n)], env=env, text=True)
    r = json.loads(out.strip().splitlines()[-1])
    figures = {
        "glossary build (ms)": r["glossary_build_ms"],
        "index build (ms)": r["index_build_ms"],
        "peak RSS after index (MiB)": r["peak_rss_after_index_mib"],
    }
    for kind, (p50, _p99) in r["latency_us"]["babelfish"].items():
        figures[f"query p50, {kind} (µs)"] = p50
    return figures


def open_figures(bin_dir, n):
    out = subprocess.check_output([os.path.join(bin_dir, "open-bench"), str(n)], text=True)
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells and cells[0] == str(n):
            ms = [float(re.sub(r"[^0-9.]", "", c)) for c in cells[1:4]]
            return {"open from files (ms)": ms[0], "open, cache hit (ms)": ms[2]}
    raise SystemExit(f"open-bench printed no row for {n}:\n{out}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    compare = os.path.join(ROOT, "target", "compare")
    old_src = os.path.join(compare, "old-src")
    if not os.path.isdir(old_src):
        subprocess.run(["git", "worktree", "add", "--detach", old_src, args.old], cwd=ROOT, check=True)
    else:
        subprocess.run(["git", "checkout", "--detach", args.old], cwd=old_src, check=True)
    old_bins = build(old_src, os.path.join(compare, "old-target"))
    new_bins = build(ROOT, os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    for n in sizes:
        samples = {"old": {}, "new": {}}
        for r in range(args.rounds):
            order = [("old", old_bins), ("new", new_bins)]
            if r % 2:
                order.reverse()
            for label, bins in order:
                print(f"{n} entries, round {r + 1}: {label}", file=sys.stderr)
                figures = {**search_figures(bins, n), **open_figures(bins, n)}
                for key, value in figures.items():
                    samples[label].setdefault(key, []).append(value)
        print(f"\n{n} entries, median of {args.rounds} alternated rounds ({args.old} vs work tree)\n")
        print("| figure | old | new | new ÷ old |")
        print("|---|---:|---:|---:|")
        for key, olds in samples["old"].items():
            news = samples["new"].get(key)
            if not news:
                continue
            o, w = statistics.median(olds), statistics.median(news)
            print(f"| {key} | {o:.1f} | {w:.1f} | {w / o if o else float('nan'):.2f} |")


if __name__ == "__main__":
    main()
