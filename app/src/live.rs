//! The live feed of 情報共有: a post written or changed wakes every open page of its channel.
//! The hub carries only "channel N changed"; each listener then reads what is
//! new from the database with its own rights, so a missed wake-up (a slow
//! listener) loses nothing and nobody is sent a post they may not read.

use tokio::sync::broadcast;

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
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    /// A hub that keeps the last 1,024 events for slow listeners.
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self { sender }
    }

    /// Tells the listeners (nobody listening is fine).
    pub fn publish(&self, event: LiveEvent) {
        let _ = self.sender.send(event);
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }
}
