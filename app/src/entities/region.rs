//! `region`: a prefecture's grouping of municipalities (地域), the default for
//! assigning counterparts.

use sea_orm::entity::prelude::*;

/// A region row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "region")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Owning prefecture.
    pub prefecture_code: String,
    /// e.g. 南和.
    pub name: String,
    /// Display order inside the prefecture.
    pub sort_order: i32,
}

/// Relations of a region.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
