//! The synonym file in use, reread when it changes on disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::domain::synonyms::Synonyms;

/// The synonyms shipped with Renkei, written to the data directory on first start.
pub const DEFAULT_SYNONYMS: &str = include_str!("../../../reference/synonyms.txt");

/// How often the file's modification time is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// Synonyms loaded from a file, kept current by [`SynonymStore::current`].
#[derive(Debug, Clone)]
pub struct SynonymStore {
    inner: Arc<RwLock<State>>,
    path: Option<PathBuf>,
}

#[derive(Debug)]
struct State {
    synonyms: Arc<Synonyms>,
    modified: Option<SystemTime>,
    checked: Instant,
}

impl SynonymStore {
    /// Synonyms from `path`; the file is created with the shipped defaults when it
    /// does not exist. A file that does not parse is reported and the defaults used.
    pub fn from_file(path: &Path) -> std::io::Result<Self> {
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, DEFAULT_SYNONYMS)?;
        }
        let store = Self {
            inner: Arc::new(RwLock::new(State {
                synonyms: Arc::new(default_synonyms()),
                modified: None,
                checked: Instant::now(),
            })),
            path: Some(path.to_path_buf()),
        };
        store.reload();
        Ok(store)
    }

    /// The shipped synonyms, with no file behind them (tests, evaluation).
    pub fn builtin() -> Self {
        Self {
            inner: Arc::new(RwLock::new(State {
                synonyms: Arc::new(default_synonyms()),
                modified: None,
                checked: Instant::now(),
            })),
            path: None,
        }
    }

    /// The synonyms to use now, rereading the file if it changed.
    pub fn current(&self) -> Arc<Synonyms> {
        let stale = self
            .inner
            .read()
            .map(|s| s.checked.elapsed() >= CHECK_EVERY)
            .unwrap_or(true);
        if stale {
            self.reload_if_changed();
        }
        self.inner
            .read()
            .map(|s| Arc::clone(&s.synonyms))
            .unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner().synonyms))
    }

    fn reload_if_changed(&self) {
        let Some(path) = &self.path else { return };
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let changed = self
            .inner
            .read()
            .map(|s| s.modified != modified)
            .unwrap_or(true);
        if changed {
            self.reload();
        } else if let Ok(mut state) = self.inner.write() {
            state.checked = Instant::now();
        }
    }

    /// Rereads the file now. Returns the number of groups in use.
    pub fn reload(&self) -> usize {
        let Some(path) = &self.path else {
            return self.current_len();
        };
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| Synonyms::parse(&text).map_err(|e| e.to_string()));
        let Ok(mut state) = self.inner.write() else {
            return 0;
        };
        match loaded {
            Ok(synonyms) => {
                tracing::info!(path = %path.display(), groups = synonyms.len(), "synonyms loaded");
                state.synonyms = Arc::new(synonyms);
            }
            Err(error) => {
                tracing::error!(path = %path.display(), %error, "synonym file ignored; keeping the previous synonyms");
            }
        }
        state.modified = modified;
        state.checked = Instant::now();
        state.synonyms.len()
    }

    fn current_len(&self) -> usize {
        self.inner.read().map(|s| s.synonyms.len()).unwrap_or(0)
    }
}

fn default_synonyms() -> Synonyms {
    // The shipped file is checked by a unit test; an empty set is the safe fallback.
    Synonyms::parse(DEFAULT_SYNONYMS).unwrap_or_default()
}
