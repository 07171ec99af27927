//! `attendance`: who attended which session.

use sea_orm::entity::prelude::*;

/// One enrolment present at one session.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    /// The enrolment.
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: i32,
    /// The session.
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i32,
}

/// Relations of an attendance.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
