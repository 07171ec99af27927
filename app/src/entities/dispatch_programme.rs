//! `dispatch_programme`: a scheme a prefecture dispatches advisors under, with the
//! quota rules per municipality per 年度 now in force.

use sea_orm::entity::prelude::*;

/// One programme.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch_programme")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The prefecture that uses it.
    pub prefecture_code: String,
    /// Stable code within the prefecture (`jfm_dx_advisor`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Advice types offered, comma-separated wire forms.
    pub advice_types: String,
    /// The quota rules, JSON (`[QuotaRule]`).
    pub rules: String,
    /// Whether towns may request under it.
    pub active: bool,
    /// Bumped by every change (409 for a stale edit).
    pub version: i32,
    /// Last change.
    pub updated_at: DateTimeWithTimeZone,
}

/// Relations of a programme.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
