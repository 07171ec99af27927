//! `user_session`: a server-side session. Only the SHA-256 of the cookie value is
//! stored, so a copy of the database does not let anyone sign in.

use sea_orm::entity::prelude::*;

/// A session row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_session")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Hex SHA-256 of the session token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The signed-in account.
    pub account_id: i32,
    /// Sign-in time.
    pub created_at: DateTimeWithTimeZone,
    /// Last request seen (updated at most once a minute).
    pub last_seen_at: DateTimeWithTimeZone,
    /// Absolute end of the session.
    pub expires_at: DateTimeWithTimeZone,
    /// Set on sign-out, deactivation or password change.
    pub revoked_at: Option<DateTimeWithTimeZone>,
    /// Address the session was created from.
    pub client_addr: String,
    /// Browser at sign-in, truncated.
    pub user_agent: String,
}

/// Relations of a session.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
