//! `counterpart`: a 県 account assigned to a town (or a region's towns) for a span
//! of days.

use sea_orm::entity::prelude::*;

/// One assignment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "counterpart")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The prefecture.
    pub prefecture_code: String,
    /// The town, for a town's own assignment.
    pub municipality_code: Option<String>,
    /// The region, for the default of its towns.
    pub region_id: Option<i32>,
    /// The 県 account.
    pub account_id: i32,
    /// Primary (主担当) or secondary (副担当).
    pub is_primary: bool,
    /// First day.
    pub starts_on: Date,
    /// Last day; open-ended when `None`.
    pub ends_on: Option<Date>,
    /// Recorded.
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of an assignment.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
