//! `training_cost`: a cost item of a course.

use sea_orm::entity::prelude::*;

/// A cost item row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_cost")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The course.
    pub training_id: i32,
    /// Order within the course, from 0.
    pub position: i32,
    /// 費目 (講師謝金, 旅費, …).
    pub label: String,
    /// `shared` or `per_head`.
    pub kind: String,
    /// Whole yen: the total when shared, the unit price when per head.
    pub amount: i64,
}

/// Relations of a cost item.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
