//! `post_revision`: a post's wording before an edit.

use sea_orm::entity::prelude::*;

/// One earlier wording.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_revision")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The post.
    pub post_id: i32,
    /// The wording it had.
    pub body: String,
    /// When it was replaced.
    pub replaced_at: DateTimeWithTimeZone,
}

/// Relations of a revision.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
