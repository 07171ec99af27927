//! `contact_log`: one contact of the 県 with a town (伴走支援).

use sea_orm::entity::prelude::*;

/// One contact.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_log")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The prefecture.
    pub prefecture_code: String,
    /// The town.
    pub municipality_code: String,
    /// `ContactKind` wire form.
    pub kind: String,
    /// The day.
    pub held_on: Date,
    /// Who took part for the 県.
    pub pref_participants: String,
    /// Who took part for the town.
    pub town_participants: String,
    /// Topics, comma-separated specialty codes.
    pub topics: String,
    /// Notes.
    pub notes: String,
    /// Kept with the 県 (the town does not see it).
    pub internal: bool,
    /// Who recorded it.
    pub author_id: i32,
    /// Recorded.
    pub created_at: DateTimeWithTimeZone,
}

/// Relations of a contact.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
