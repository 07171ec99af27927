//! `health_probe`: one row `/healthz` rewrites to prove the database takes writes.

use sea_orm::entity::prelude::*;

/// The probe row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "health_probe")]
pub struct Model {
    /// Always 1.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// Time of the last successful probe.
    pub checked_at: DateTimeWithTimeZone,
}

/// Relations of the probe row.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
