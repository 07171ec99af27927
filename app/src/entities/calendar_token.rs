//! `calendar_token`: the hash of the secret in a person's calendar feed address.

use sea_orm::entity::prelude::*;

/// One person's feed secret.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_token")]
pub struct Model {
    /// The account.
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i32,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// Issued.
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of a feed secret.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
