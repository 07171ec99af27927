//! The audit log as pages and the JSON API see it.

use serde::{Deserialize, Serialize};

/// Filters of the audit log (strings as typed in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Action wire form.
    pub action: Option<String>,
    /// Part of the actor's email.
    pub actor: Option<String>,
    /// First day (`YYYY-MM-DD`, a day in Japan Standard Time).
    pub from: Option<String>,
    /// Last day (JST), inclusive.
    pub to: Option<String>,
    /// Page, 1-based.
    pub page: Option<u32>,
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    /// Order of insertion.
    pub id: i32,
    /// When (JST).
    pub occurred_at: String,
    /// The actor's email, or the one tried.
    pub actor_email: Option<String>,
    /// Action wire form.
    pub action: String,
    /// Japanese label of the action.
    pub action_label: String,
    /// `kind:id` of the object acted on.
    pub target: Option<String>,
    /// Label of the object acted on (「共同研修 #4」).
    #[serde(default)]
    pub target_label: Option<String>,
    /// Page of the object acted on, when it has one.
    #[serde(default)]
    pub target_href: Option<String>,
    /// JSON details.
    pub detail: String,
    /// The details in words (「変更前: 下書き、変更後: 受付中」).
    #[serde(default)]
    pub detail_text: String,
    /// Client address.
    pub client_addr: String,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Entries matching the filters.
    pub total: u64,
    /// The page shown.
    pub page: u32,
    /// Number of pages.
    pub total_pages: u32,
    /// Filter values that were ignored, and why.
    pub notices: Vec<String>,
    /// Entries, newest first.
    pub items: Vec<AuditEntryView>,
}
