//! `audit_log`: who did what, when and from where. Append-only (database triggers
//! refuse updates and deletes).

use sea_orm::entity::prelude::*;

/// An audit entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Order of insertion.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// When it happened.
    pub occurred_at: DateTimeWithTimeZone,
    /// The signed-in actor, if any.
    pub actor_account_id: Option<i32>,
    /// The actor's email, or the email tried at a failed sign-in.
    pub actor_email: Option<String>,
    /// [`crate::domain::audit::AuditAction`] wire form.
    pub action: String,
    /// Kind of the object acted on (`account`, `session`, …).
    pub target_kind: Option<String>,
    /// Its identifier.
    pub target_id: Option<String>,
    /// The prefecture whose administrators may read the entry.
    pub prefecture_code: Option<String>,
    /// JSON object with the details of the change.
    pub detail: String,
    /// Client address.
    pub client_addr: String,
    /// Request id, to find the request in the server log.
    pub request_id: Option<String>,
}

/// Relations of an audit entry.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
