//! `notice_target`: a town a notice was sent to, and who of it confirmed reading.

use sea_orm::entity::prelude::*;

/// One town of a notice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_target")]
pub struct Model {
    /// The notice.
    #[sea_orm(primary_key, auto_increment = false)]
    pub notice_id: i32,
    /// The town.
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_code: String,
    /// Who of the town confirmed reading it.
    pub read_by: Option<i32>,
    /// When.
    pub read_at: Option<DateTimeWithTimeZone>,
}

/// Relations of a target.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
