//! `post`: a message in a channel, or a reply in its thread. Edits keep the
//! earlier wording (`post_revision`); a deleted post stays as a tombstone.

use sea_orm::entity::prelude::*;

/// One post.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post")]
pub struct Model {
    /// Id, increasing: also the id of its live event.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The channel.
    pub channel_id: i32,
    /// The author.
    pub author_id: i32,
    /// The post it replies to (a thread is one level deep).
    pub parent_id: Option<i32>,
    /// Plain text (links and mentions are found when shown).
    pub body: String,
    /// When it was posted.
    pub created_at: DateTimeWithTimeZone,
    /// When it was last edited.
    pub edited_at: Option<DateTimeWithTimeZone>,
    /// When it was deleted (its body is then emptied).
    pub deleted_at: Option<DateTimeWithTimeZone>,
    /// Who deleted it.
    pub deleted_by: Option<i32>,
}

/// Relations of a post.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
