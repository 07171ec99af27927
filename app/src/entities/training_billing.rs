//! `training_billing`: what a course's 負担金 notices say besides the amounts.

use sea_orm::entity::prelude::*;

/// One course's notice details.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_billing")]
pub struct Model {
    /// The course.
    #[sea_orm(primary_key, auto_increment = false)]
    pub training_id: i32,
    /// 発行部署 (奈良県 総務部 デジタル戦略課).
    pub issuer: String,
    /// 連絡先 (telephone, mail).
    pub contact: String,
    /// 納付期限, when set.
    pub payment_due: Option<Date>,
    /// 振込先 (bank, branch, account), several lines; empty when not set.
    pub payment_account: String,
    /// Last change.
    pub updated_at: DateTimeWithTimeZone,
}

/// Relations of the notice details.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
