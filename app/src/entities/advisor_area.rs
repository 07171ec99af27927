//! `advisor_area`: municipalities an advisor covers by name.

use sea_orm::entity::prelude::*;

/// One covered municipality.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_area")]
pub struct Model {
    /// The advisor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: i32,
    /// 団体コード.
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_code: String,
}

/// Relations of a covered municipality.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
