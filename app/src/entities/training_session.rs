//! `training_session`: one 回 of a course.

use sea_orm::entity::prelude::*;

/// A session row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_session")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The course.
    pub training_id: i32,
    /// Order within the course, from 0.
    pub position: i32,
    /// Start.
    pub starts_at: DateTimeWithTimeZone,
    /// End.
    pub ends_at: DateTimeWithTimeZone,
    /// 会場 (or the meeting tool when online).
    pub place: String,
    /// Held online.
    pub online: bool,
    /// 内容.
    pub content: String,
}

/// Relations of a session.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
