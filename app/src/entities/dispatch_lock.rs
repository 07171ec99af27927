//! `dispatch_lock`: one row per quota (town, programme, 年度) and per advisor,
//! written first by an approval so that approvals for the same quota or advisor
//! run one after another on SQLite and PostgreSQL alike.

use sea_orm::entity::prelude::*;

/// One lock row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch_lock")]
pub struct Model {
    /// `quota:{town}:{programme}:{year}` or `advisor:{id}`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Bumped by each approval that took it.
    pub version: i64,
}

/// Relations of a lock row.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
