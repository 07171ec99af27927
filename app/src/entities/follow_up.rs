//! `follow_up`: something a contact left to do, with a due date and an owner.

use sea_orm::entity::prelude::*;

/// One follow-up.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The contact it came from.
    pub contact_id: i32,
    /// The town.
    pub municipality_code: String,
    /// What to do.
    pub text: String,
    /// By when.
    pub due_on: Date,
    /// Who.
    pub owner_id: i32,
    /// Done.
    pub done_at: Option<DateTimeWithTimeZone>,
}

/// Relations of a follow-up.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
