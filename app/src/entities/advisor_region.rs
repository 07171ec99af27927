//! `advisor_region`: regions (地域) an advisor covers.

use sea_orm::entity::prelude::*;

/// One covered region.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_region")]
pub struct Model {
    /// The advisor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: i32,
    /// The region.
    #[sea_orm(primary_key, auto_increment = false)]
    pub region_id: i32,
}

/// Relations of a covered region.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
