#!/usr/bin/env python3
"""Checks ARCHITECTURE.md's code map against the tree: every module that exists is named in it,
and every path it names exists.

A file counts as named when its full path appears, or when its folder (`src/search/`) and its
file name (`rank.rs`) both do. Run from the repository root: scripts/check-code-map.py
"""
import os, re, subprocess, sys

doc = open("ARCHITECTURE.md").read()
files = subprocess.check_output(
    ["git", "ls-files", "src/**", "cli/src/**", "src-tauri/src/**", "ui/js/*", "bench/src/**"],
    text=True).split()
files = [f for f in files if f.endswith((".rs", ".js"))]
missing = []
for f in files:
    folder, name = os.path.split(f)
    if f in doc:
        continue
    if (folder + "/") in doc and re.search(r"[`/ ]" + re.escape(name) + r"`", doc):
        continue
    if name.endswith(".rs") and re.search(r"`" + re.escape(name[:-3]) + r"`", doc) and (folder + "/") in doc:
        continue  # a module named without its extension, beside its folder (`commands/`: `search`)
    missing.append(f)
tracked = set(subprocess.check_output(["git", "ls-files"], text=True).split())
dirs = {os.path.dirname(t) for t in tracked}
names = {os.path.basename(t) for t in tracked}
stale = []
for token in set(re.findall(r"`([^`\s]+)`", doc)):
    if token.startswith(("src/", "cli/", "src-tauri/", "ui/", "bench/", "tests/", "docs/")):
        path = token.rstrip("/").split("*")[0].rstrip("/")
        if path not in tracked and path not in dirs and not any(t.startswith(path) for t in tracked):
            stale.append(token)
    elif re.fullmatch(r"[\w.-]+\.(rs|js|tsv)", token) and token not in names:
        stale.append(token)
for f in missing:
    print(f"not in the code map: {f}")
for t in sorted(stale):
    print(f"named but not there: {t}")
sys.exit(1 if missing or stale else 0)
