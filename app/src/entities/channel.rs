//! `channel`: a prefecture's place for everyday exchange (デジならチャット), open to
//! all its local governments or to its members only (分科会).

use sea_orm::entity::prelude::*;

/// One channel.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "channel")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// 団体コード of the prefecture.
    pub prefecture_code: String,
    /// 「生成AI分科会」.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// `open` or `members`.
    pub visibility: String,
    /// Who made it (keeps its member list with the 県).
    pub owner_id: i32,
    /// When it was made.
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of a channel.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
