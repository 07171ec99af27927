//! `webhook_delivery`: the outbox; one event for one webhook, until delivered or
//! dead.

use sea_orm::entity::prelude::*;

/// One delivery.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The webhook.
    pub webhook_id: i32,
    /// The event name.
    pub event: String,
    /// The exact body.
    pub body: String,
    /// `pending`, `delivered` or `dead`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// When the worker may try (again).
    pub next_attempt_at: DateTimeWithTimeZone,
    /// The receiver's last HTTP status.
    pub last_status: Option<i32>,
    /// The last failure in words.
    pub last_error: Option<String>,
    /// When the event happened.
    pub created_at: DateTimeWithTimeZone,
    /// When the receiver took it.
    pub delivered_at: Option<DateTimeWithTimeZone>,
}

/// Relations of a delivery.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
