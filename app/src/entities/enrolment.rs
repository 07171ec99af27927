//! `enrolment`: a member of staff sent to a course.

use sea_orm::entity::prelude::*;

/// An enrolment row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolment")]
pub struct Model {
    /// Surrogate key, the public id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The course.
    pub training_id: i32,
    /// 団体コード of the sending municipality.
    pub municipality_code: String,
    /// 氏名.
    pub name: String,
    /// 職名.
    pub job_title: String,
    /// Optional e-mail.
    pub email: Option<String>,
    /// `enrolled`, `waitlisted` or `cancelled`.
    pub status: String,
    /// Arrival order within the course.
    pub seq: i64,
    /// The account that enrolled them.
    pub enrolled_by: Option<i32>,
    /// Arrival time.
    pub created_at: DateTimeWithTimeZone,
    /// When a freed seat went to them.
    pub promoted_at: Option<DateTimeWithTimeZone>,
    /// When they were cancelled.
    pub cancelled_at: Option<DateTimeWithTimeZone>,
}

/// Relations of an enrolment.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
