//! `advisor`: a profile in the デジタル人材バンク.

use sea_orm::entity::prelude::*;

/// An advisor row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "advisor")]
pub struct Model {
    /// Surrogate key, the public id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The prefecture whose bank lists the advisor.
    pub prefecture_code: String,
    /// The advisor's own account, if they sign in.
    #[sea_orm(unique)]
    pub account_id: Option<i32>,
    /// 氏名.
    pub name: String,
    /// ふりがな, full-width katakana.
    pub kana: String,
    /// 所属.
    pub affiliation: String,
    /// Engagement form (taxonomy `engagement`).
    pub engagement: String,
    /// 人材像 (taxonomy `jinzaizo`).
    pub jinzaizo: String,
    /// ITSS level 1–7.
    pub itss_level: Option<i16>,
    /// Knowledge of municipal operations.
    pub municipal_knowledge: String,
    /// 紹介.
    pub bio: String,
    /// 実績.
    pub track_record: String,
    /// Visits on site.
    pub onsite: bool,
    /// Works online.
    pub online: bool,
    /// Covers every municipality of the prefecture.
    pub whole_prefecture: bool,
    /// Contact e-mail (signed-in local-government users only).
    pub contact_email: Option<String>,
    /// Contact phone (signed-in local-government users only).
    pub contact_phone: Option<String>,
    /// Shown in the public bank.
    pub published: bool,
    /// No longer dispatched; kept for history.
    pub retired: bool,
    /// Creation time.
    pub created_at: DateTimeWithTimeZone,
    /// Last change.
    pub updated_at: DateTimeWithTimeZone,
    /// Last change by the advisor or a dispatch (sort "most recently active").
    pub last_active_at: DateTimeWithTimeZone,
    /// Row version: raised by every change, so an edit made from an older copy
    /// is refused (409) instead of overwriting.
    pub version: i32,
}

/// Relations of an advisor.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The modes offered, on site first.
    pub fn modes(&self) -> Vec<crate::domain::advisor::Mode> {
        use crate::domain::advisor::Mode;
        [(self.onsite, Mode::Onsite), (self.online, Mode::Online)]
            .into_iter()
            .filter_map(|(offered, mode)| offered.then_some(mode))
            .collect()
    }
}
