//! `notice`: a 県's お知らせ to its towns.

use sea_orm::entity::prelude::*;

/// One notice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// 団体コード of the prefecture.
    pub prefecture_code: String,
    /// Title.
    pub title: String,
    /// Plain text.
    pub body: String,
    /// Who sent it.
    pub author_id: i32,
    /// When.
    pub created_at: DateTimeWithTimeZone,
    /// When the towns that had not read it were last reminded.
    pub reminded_at: Option<DateTimeWithTimeZone>,
}

/// Relations of a notice.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
