//! `survey_answer`: a town's one answer to a 照会.

use sea_orm::entity::prelude::*;

/// One town of a 照会 and its answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_answer")]
pub struct Model {
    /// The 照会.
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: i32,
    /// The town.
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_code: String,
    /// `none`, `draft` or `submitted`.
    pub state: String,
    /// The answers as a JSON array, one value per question.
    pub answers: Option<String>,
    /// Who saved it last.
    pub answered_by: Option<i32>,
    /// When it was saved last.
    pub updated_at: Option<DateTimeWithTimeZone>,
    /// When it was submitted.
    pub submitted_at: Option<DateTimeWithTimeZone>,
    /// The 県 reopened it after the deadline.
    pub reopened: bool,
    /// Bumped by every save.
    pub version: i32,
}

/// Relations of an answer.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
