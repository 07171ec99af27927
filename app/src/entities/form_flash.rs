//! `form_flash`: the outcome of a form post, waiting to be shown once.

use sea_orm::entity::prelude::*;

/// A stored flash message.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_flash")]
pub struct Model {
    /// SHA-256 (hex) of the token in the browser's cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    /// The message and the typed values, as JSON.
    pub payload: String,
    /// When the post stored it (old ones are purged).
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of a flash.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
