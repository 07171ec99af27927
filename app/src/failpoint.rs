//! Crash points for the reliability tests: `RENKEI_FAILPOINT=<name>` makes the
//! process abort (as `kill -9` would) when it reaches the point of that name.
//! Ignored when `RENKEI_ENV=production`.

use std::sync::LazyLock;

static ARMED: LazyLock<Option<String>> = LazyLock::new(|| {
    let production = std::env::var("RENKEI_ENV").is_ok_and(|e| e == "production");
    std::env::var("RENKEI_FAILPOINT")
        .ok()
        .filter(|name| !name.is_empty() && !production)
});

/// Aborts the process when the failpoint `name` is armed.
pub fn hit(name: &str) {
    if ARMED.as_deref() == Some(name) {
        tracing::warn!(failpoint = name, "failpoint reached; aborting the process");
        std::process::abort();
    }
}
