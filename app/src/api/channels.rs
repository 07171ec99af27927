//! 情報共有 (デジならチャット) as the pages and the JSON API see it.

use serde::{Deserialize, Serialize};

pub use crate::domain::channel::ChannelInput;
use crate::domain::channel::{Segment, Visibility};

/// A channel in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSummary {
    /// Id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Who reads it.
    pub visibility: Visibility,
    /// 「県内の全団体」 or 「メンバーのみ」.
    pub visibility_label: String,
    /// Members of a member-only channel.
    pub members: u32,
    /// Posts by others the caller has not seen.
    pub unread: u32,
}

/// The channels the caller reads (`GET /api/channels`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelList {
    /// Open ones first, then by name.
    pub items: Vec<ChannelSummary>,
    /// The caller may make a channel (the 県).
    pub can_create: bool,
}

/// A link in a post to a page of the portal, shown as a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCard {
    /// The portal's own path (`/trainings/12`).
    pub href: String,
    /// What it is (「共同研修」).
    pub kind: String,
    /// Its title.
    pub title: String,
    /// A line more (organisation, status, town).
    pub detail: String,
}

/// A post as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    /// Id (also its live event's id).
    pub id: i32,
    /// The channel.
    pub channel: i32,
    /// The post it replies to.
    pub parent: Option<i32>,
    /// The author's account.
    pub author: i32,
    /// Their name.
    pub author_name: String,
    /// Their body: 「三宅町」, 「奈良県」.
    pub author_body: String,
    /// The text (empty once deleted).
    pub body: String,
    /// The text in pieces: links and mentions.
    pub segments: Vec<Segment>,
    /// When, RFC 3339.
    pub created_at: String,
    /// 「令和8年12月4日 10:00」.
    pub posted: String,
    /// Edited since (「編集済み」).
    pub edited: bool,
    /// Deleted: a tombstone.
    pub deleted: bool,
    /// The caller may edit it (its author).
    pub can_edit: bool,
    /// The caller may delete it (its author or a 県管理者).
    pub can_delete: bool,
    /// Its links to the portal's pages the reader may see, as cards.
    #[serde(default)]
    pub cards: Vec<LinkCard>,
}

/// A post and its replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// The post.
    pub post: PostView,
    /// Its replies, oldest first.
    pub replies: Vec<PostView>,
}

/// A channel's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelPage {
    /// The channel.
    pub channel: ChannelSummary,
    /// Its threads, oldest first (the newest at the bottom, as chat reads).
    pub threads: Vec<Thread>,
    /// Members' names (member-only channels).
    pub members: Vec<String>,
    /// The caller keeps the member list (the 県 or the channel's maker): the
    /// members' e-mails, one per line, for the form.
    pub member_emails: Option<String>,
    /// The newest post id (where live updates start).
    pub last_id: i32,
}

/// Posts after an id (`GET /api/channels/{id}/posts?after=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostList {
    /// Oldest first.
    pub items: Vec<PostView>,
}

/// A new post or reply (`POST /api/channels/{id}/posts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostInput {
    /// Plain text.
    #[serde(default)]
    pub body: String,
    /// The post it replies to.
    #[serde(default)]
    pub parent: Option<i32>,
}

/// An edit (`PATCH /api/posts/{id}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEdit {
    /// The new text.
    #[serde(default)]
    pub body: String,
}

/// One channel's count among the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelCount {
    /// The channel.
    pub id: i32,
    /// Its name.
    pub name: String,
    /// Matching posts in it.
    pub count: u64,
}

/// Posts found (`GET /api/search?kind=post&q=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSearch {
    /// Matching posts the caller may read, over all pages.
    pub total: u64,
    /// The page asked for.
    pub page: u32,
    /// The posts of the page, best first.
    pub items: Vec<PostView>,
    /// Matching posts per channel (the caller's channels only).
    pub channels: Vec<ChannelCount>,
}

/// A member-only channel's new member list (`PUT /api/channels/{id}/members`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersInput {
    /// The members' e-mails (the channel's maker stays a member).
    #[serde(default)]
    pub members: Vec<String>,
}

/// A post that mentions the caller or the caller's town (their home page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionView {
    /// The post.
    pub post: i32,
    /// Its channel.
    pub channel: i32,
    /// The channel's name.
    pub channel_name: String,
    /// Who wrote it.
    pub author: String,
    /// Its beginning.
    pub excerpt: String,
    /// When (和暦).
    pub at: String,
    /// Not read yet by the caller.
    pub unread: bool,
}
