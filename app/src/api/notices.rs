//! お知らせ as the pages and the JSON API see them.

use serde::{Deserialize, Serialize};

use crate::domain::local_gov::LocalGovCode;
pub use crate::domain::notice::NoticeInput;

/// A notice in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSummary {
    /// Id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Who sent it.
    pub sender: String,
    /// 「令和8年12月4日 10:00」.
    pub sent: String,
    /// Towns that confirmed reading it (the 県's view; for a town 0 or 1).
    pub read: u32,
    /// Towns it went to (for a town, 1).
    pub total: u32,
}

/// The notices the caller sent (the 県) or received (a town).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeList {
    /// Newest first.
    pub items: Vec<NoticeSummary>,
    /// The caller may send notices (the 県).
    pub can_send: bool,
    /// The towns a notice may go to: `(code, name)`.
    pub towns: Vec<(String, String)>,
}

/// A town a notice went to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeTown {
    /// The town.
    pub municipality: LocalGovCode,
    /// Its name.
    pub name: String,
    /// Who confirmed reading it.
    pub read_by: Option<String>,
    /// When.
    pub read_at: Option<String>,
}

/// One notice (`GET /api/notices/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    /// The notice in short.
    pub summary: NoticeSummary,
    /// Its text.
    pub body: String,
    /// The towns and who of each read it (the 県 sees all; a town itself).
    pub towns: Vec<NoticeTown>,
    /// When the others were last reminded.
    pub reminded: Option<String>,
    /// The caller may remind the towns that have not read it (the 県).
    pub can_remind: bool,
    /// The caller may confirm reading it for their town (not done yet).
    pub can_confirm: bool,
}
