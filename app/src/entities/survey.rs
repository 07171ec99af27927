//! `survey`: a 照会 of a 県 to its towns.

use sea_orm::entity::prelude::*;

/// One 照会.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The 県 that asks.
    pub prefecture_code: String,
    /// Title.
    pub title: String,
    /// Instructions (plain text).
    pub instructions: String,
    /// The last day to answer (in Japan).
    pub deadline: Date,
    /// The questions as JSON ([`crate::domain::survey::Question`]).
    pub questions: String,
    /// Who made it.
    pub author_id: i32,
    /// When.
    pub created_at: DateTimeWithTimeZone,
    /// The "due soon" webhook event went out.
    pub due_sent: bool,
}

/// Relations of a 照会.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
