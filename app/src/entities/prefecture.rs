//! `prefecture`: the 47 都道府県; each is a tenant.

use sea_orm::entity::prelude::*;

/// A prefecture row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "prefecture")]
pub struct Model {
    /// 団体コード, e.g. `290009`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// 奈良県.
    #[sea_orm(unique)]
    pub name: String,
    /// ナラケン.
    pub kana: String,
}

/// Relations of a prefecture.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
