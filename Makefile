# The two commands a fresh Debian/Ubuntu machine needs (see README.md).
.PHONY: run test bench bench-annotate lint deb

# Install what is missing, then open the desktop app on the bundled glossary.
run:
	scripts/setup.sh run
	cargo run --release -p babelfish-desktop

# Install what is missing, then run every check and test (what CI runs).
test:
	scripts/setup.sh test
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	python3 scripts/check-code-map.py
	PATH="$$HOME/.cargo/bin:$$PATH" scripts/with-smb-share.sh cargo test --workspace

# Search benchmark against SQLite FTS5 and a linear scan (figures in docs/benchmarks.md).
bench:
	cargo run --release -p babelfish-bench --bin search-bench
	cargo run --release -p babelfish-bench --bin open-bench
	cargo run --release -p babelfish-bench --bin annotate-bench
	cargo run --release -p babelfish-bench --bin document-bench

lint:
	cargo run --release --bin babelfish -- lint glossary

# The desktop app as a Debian package (needs tauri-cli: cargo install tauri-cli --version ^2 --locked).
deb:
	command -v cargo-tauri >/dev/null || cargo install tauri-cli --version '^2' --locked
	cd src-tauri && cargo tauri build --bundles deb
