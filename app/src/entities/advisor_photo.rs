//! `advisor_photo`: an advisor's optional photo.

use sea_orm::entity::prelude::*;

/// A photo.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor_photo")]
pub struct Model {
    /// The advisor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub advisor_id: i32,
    /// `image/jpeg`, `image/png` or `image/webp` (from the bytes, not the upload).
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
    /// When it was uploaded.
    pub updated_at: DateTimeWithTimeZone,
}

/// Relations of a photo.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
