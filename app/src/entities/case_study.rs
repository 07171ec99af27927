//! `case_study`: one case of the case library.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A list of short texts stored as a JSON array (取組のポイント, 取組の効果).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct TextList(pub Vec<String>);

/// A case row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_study")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable public identifier.
    #[sea_orm(unique)]
    pub slug: String,
    /// 取組名.
    pub title: String,
    /// 団体名.
    pub organisation: String,
    /// Prefecture of the body; `None` for national bodies.
    pub prefecture_code: Option<String>,
    /// The municipality, when the organisation is one.
    pub municipality_code: Option<String>,
    /// [`crate::domain::case::OrgKind`] wire form.
    pub org_kind: String,
    /// 職員数.
    pub staff_count: Option<i32>,
    /// 区分.
    pub section: String,
    /// 小区分.
    pub subsection: Option<String>,
    /// 取組概要.
    pub summary: String,
    /// 取組のポイント.
    pub points: TextList,
    /// 取組の効果.
    pub effects: TextList,
    /// 問い合わせ先 部署.
    pub contact_department: Option<String>,
    /// 問い合わせ先 電話.
    pub contact_tel: Option<String>,
    /// 問い合わせ先 メール.
    pub contact_email: Option<String>,
    /// Source file name.
    pub source_file: String,
    /// Source document title.
    pub source_title: String,
    /// Page in the source.
    pub page: Option<i32>,
    /// How the page was determined.
    pub page_note: Option<String>,
    /// `reference` (総務省 material) or, later, `contributed`.
    pub origin: String,
    /// `published` for now; review states come with contributions.
    pub status: String,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a case.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
