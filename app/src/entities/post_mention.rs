//! `post_mention`: a town or a person a post mentions.

use sea_orm::entity::prelude::*;

/// One mention.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_mention")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The post.
    pub post_id: i32,
    /// A town mentioned (its staff are told).
    pub municipality_code: Option<String>,
    /// A person mentioned.
    pub account_id: Option<i32>,
}

/// Relations of a mention.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
