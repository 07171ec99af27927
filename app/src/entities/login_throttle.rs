//! `login_throttle`: failed sign-ins per account name and per client address.

use sea_orm::entity::prelude::*;

/// A throttle row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    /// `account:<email>` or `addr:<ip>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Consecutive failures inside the window.
    pub failures: i32,
    /// Time of the latest failure.
    pub last_failure_at: DateTimeWithTimeZone,
    /// No attempt is checked before this time.
    pub locked_until: Option<DateTimeWithTimeZone>,
    /// When an attempt was last refused for the lock (audited at most once a minute).
    pub refused_at: Option<DateTimeWithTimeZone>,
}

/// Relations of a throttle row.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
