//! Outgoing webhooks as the admin page and the JSON API see them. The signing
//! secret is never sent back.

use serde::{Deserialize, Serialize};

pub use crate::domain::webhook::WebhookInput;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    /// Id.
    pub id: i32,
    /// Where it posts.
    pub url: String,
    /// Event names.
    pub events: Vec<String>,
    /// `slack` or `json`.
    pub format: String,
    /// A signing secret is set.
    pub has_secret: bool,
    /// When it was registered (和暦).
    pub created_at: String,
    /// Deliveries waiting or being retried.
    pub pending: u32,
    /// Deliveries the receiver took.
    pub delivered: u32,
    /// Deliveries that gave up (resend them).
    pub dead: u32,
}

/// The prefecture's webhooks (`GET /api/webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookList {
    /// Oldest first.
    pub items: Vec<WebhookView>,
    /// Every event: `(name, label)`.
    pub events: Vec<(String, String)>,
}

/// One delivery of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Id.
    pub id: i32,
    /// The event name.
    pub event: String,
    /// `pending`, `delivered` or `dead`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// The receiver's last HTTP status.
    pub last_status: Option<i32>,
    /// The last failure in words.
    pub last_error: Option<String>,
    /// When the event happened (和暦).
    pub created_at: String,
    /// When it was delivered (和暦).
    pub delivered_at: Option<String>,
}

/// A webhook's deliveries, newest first (`GET /api/webhooks/{id}/deliveries`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryList {
    /// The webhook.
    pub webhook: WebhookView,
    /// The latest deliveries (at most 100).
    pub items: Vec<DeliveryView>,
}

/// The admin page: the webhooks with their latest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookPage {
    /// The webhooks and the events.
    pub list: WebhookList,
    /// Per webhook, in the list's order, its latest deliveries.
    pub recent: Vec<DeliveryList>,
}
