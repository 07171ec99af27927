//! `search_change`: documents the search index must (re)build, written in the
//! same transaction as the change to their data. The index records the last id it
//! applied and catches up from there (after a commit, at startup, periodically).

use sea_orm::entity::prelude::*;

/// A change row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_change")]
pub struct Model {
    /// Increasing change id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Document kind (`case`, `advisor`).
    pub kind: String,
    /// Document id within the kind.
    pub doc_id: String,
    /// When the data changed.
    pub changed_at: DateTimeWithTimeZone,
}

/// Relations of a change row.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
