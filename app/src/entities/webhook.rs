//! `webhook`: where a prefecture's events are posted.

use sea_orm::entity::prelude::*;

/// One outgoing webhook.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Its prefecture.
    pub prefecture_code: String,
    /// Where to POST.
    pub url: String,
    /// Event names, comma-separated.
    pub events: String,
    /// `slack` or `json`.
    pub format: String,
    /// The HMAC-SHA256 signing secret (never shown, never logged).
    pub secret: Option<String>,
    /// Who registered it.
    pub created_by: i32,
    /// When.
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of a webhook.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
