//! `advisor_availability`: months in which an advisor can be dispatched.

use sea_orm::entity::prelude::*;

/// One available month.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_availability")]
pub struct Model {
    /// The advisor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: i32,
    /// `YYYY-MM`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
}

/// Relations of an available month.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
