//! Start-up timing for `BABELFISH_TRACE_STARTUP=1` (read by the start-up benchmark).

use std::sync::OnceLock;
use std::time::Instant;

/// When the process started.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Starts the clock (the first call wins; `trace` starts it too if nothing did).
pub fn start_clock() {
    STARTED.get_or_init(Instant::now);
}

/// With `BABELFISH_TRACE_STARTUP=1`, prints how long after start each step finished.
pub fn trace(step: &str) {
    if std::env::var_os("BABELFISH_TRACE_STARTUP").is_some() {
        let started = STARTED.get_or_init(Instant::now);
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        eprintln!(
            "startup: {step} at {} ms (epoch {epoch} ms)",
            started.elapsed().as_millis()
        );
    }
}
