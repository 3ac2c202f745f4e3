//! End-to-end tests: the real app in a real WebKitGTK window, driven over WebDriver
//! (tauri-driver + WebKitWebDriver, under Xvfb when there is no display). Each test starts its
//! own app on a temporary copy of tests/fixtures/glossary. One test binary; a module per
//! feature, shared steps in `support`.
//!
//! Needs: apt `xvfb xauth webkit2gtk-driver libwebkit2gtk-4.1-dev`, and
//! `cargo install tauri-driver --version ^2 --locked`.

#[path = "../common/mod.rs"]
mod common;
mod support;

mod accessibility;
mod commands_allowed;
mod conflicts;
mod documents;
mod edit;
mod entry;
mod exchange;
mod folders;
mod journal;
mod logfile;
mod lookup;
mod read_only;
mod review;
mod search;
mod settings;
mod sync;
mod translate;
mod tray;
mod window;
