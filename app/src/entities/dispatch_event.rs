//! `dispatch_event`: one step of a request's timeline.

use sea_orm::entity::prelude::*;

/// One step.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch_event")]
pub struct Model {
    /// Id (also the order of the steps).
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The request.
    pub dispatch_id: i32,
    /// When.
    pub at: DateTimeWithTimeZone,
    /// Who (their account).
    pub actor_id: Option<i32>,
    /// Who, as shown then.
    pub actor_name: String,
    /// `submit` or a `Step` wire form.
    pub step: String,
    /// The state after it.
    pub to_status: String,
    /// What the step said (the advisor proposed, the reason …), in words.
    pub note: String,
}

/// Relations of a step.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
