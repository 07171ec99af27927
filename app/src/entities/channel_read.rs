//! `channel_read`: the last post of a channel a person has seen (unread counts).

use sea_orm::entity::prelude::*;

/// How far one person has read one channel.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "channel_read")]
pub struct Model {
    /// The channel.
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel_id: i32,
    /// The reader.
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i32,
    /// The newest post they have seen.
    pub last_post_id: i32,
}

/// Relations of a read mark.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
