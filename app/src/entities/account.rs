//! `account`: a person who signs in (prefecture staff, municipal staff, advisor).

use sea_orm::entity::prelude::*;

/// An account row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Sign-in name, lower case.
    #[sea_orm(unique)]
    pub email: String,
    /// Name shown in the header and the audit log.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// [`crate::domain::account::Role`] wire form.
    pub role: String,
    /// The prefecture the account belongs to.
    pub prefecture_code: String,
    /// The municipality of a `muni_staff` account.
    pub municipality_code: Option<String>,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    /// Creation time.
    pub created_at: DateTimeWithTimeZone,
    /// Last change of any field.
    pub updated_at: DateTimeWithTimeZone,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTimeWithTimeZone>,
    /// Set with a temporary password from an administrator: the person must
    /// choose their own before using the portal.
    pub must_change_password: bool,
    /// Row version: raised by every change, so an edit made from an older copy
    /// is refused (409) instead of overwriting.
    pub version: i32,
}

/// Relations of an account.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
