//! `taxonomy_term`: the controlled vocabularies of the advisor bank (人材像, roles,
//! specialties, qualifications, programmes, engagement forms), kept as data.

use sea_orm::entity::prelude::*;

/// A term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "taxonomy_term")]
pub struct Model {
    /// Vocabulary (`jinzaizo`, `role`, `specialty`, `qualification`, `programme`, `engagement`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// Stable code within the vocabulary.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Japanese label (editable).
    pub label: String,
    /// Display order.
    pub sort_order: i32,
    /// Retired terms stay on old profiles but are not offered.
    pub active: bool,
    /// The prefecture whose 県管理者 added the term (only its bank uses it);
    /// `None` for the shared terms every prefecture uses.
    pub prefecture_code: Option<String>,
}

/// Relations of a term.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
