//! The live feed of 情報共有: a post written or changed wakes every open page of its channel.
//! The hub carries only "channel N changed"; each listener then reads what is
//! new from the database with its own rights, so a missed wake-up (a slow
//! listener) loses nothing and nobody is sent a post they may not read.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast};

/// Live feeds open at once, at most (each holds a connection and wakes on every
/// post of the prefecture's channels).
pub const MAX_FEEDS: usize = 2_000;

/// What happened in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveEvent {
    /// The channel.
    pub channel: i32,
    /// The post written or changed.
    pub post: i32,
    /// A new post (else an edit or a deletion).
    pub created: bool,
}

/// Wakes the listeners of every channel; cheap to clone.
#[derive(Debug, Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
    feeds: Arc<Semaphore>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    /// A hub that keeps the last 1,024 events for slow listeners.
    pub fn new() -> Self {
        Self::with_capacity(MAX_FEEDS)
    }

    /// A hub that lets at most `feeds` live feeds be open at once.
    pub fn with_capacity(feeds: usize) -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self {
            sender,
            feeds: Arc::new(Semaphore::new(feeds)),
        }
    }

    /// Tells the listeners (nobody listening is fine).
    pub fn publish(&self, event: LiveEvent) {
        let _ = self.sender.send(event);
    }

    /// A place for one more live feed, held while it is open; `None` when the
    /// server already serves [`MAX_FEEDS`].
    pub fn admit(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.feeds).try_acquire_owned().ok()
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_hub_refuses_another_feed_until_one_closes() {
        let hub = LiveHub::with_capacity(1);
        let first = hub.admit();
        assert!(first.is_some());
        assert!(hub.admit().is_none());
        drop(first);
        assert!(hub.admit().is_some());
    }
}
