//! `advisor_term`: an advisor's roles, specialties, qualifications (with the year
//! obtained) and programmes.

use sea_orm::entity::prelude::*;

/// One term of an advisor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_term")]
pub struct Model {
    /// The advisor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: i32,
    /// Vocabulary.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// Term code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Year obtained (qualifications).
    pub year: Option<i16>,
}

/// Relations of an advisor term.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
