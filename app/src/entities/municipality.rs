//! `municipality`: the 1,741 市区町村.

use sea_orm::entity::prelude::*;

/// A municipality row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    /// 団体コード, e.g. `293628`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Owning prefecture.
    pub prefecture_code: String,
    /// 三宅町.
    pub name: String,
    /// ミヤケチョウ (full-width).
    pub kana: String,
    /// 市 / 町 / 村 / 特別区.
    pub kind: String,
    /// Region inside the prefecture, if assigned.
    pub region_id: Option<i32>,
}

/// Relations of a municipality.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
