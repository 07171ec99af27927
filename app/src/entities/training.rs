//! `training`: a 共同研修 course.

use sea_orm::entity::prelude::*;

/// A course row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training")]
pub struct Model {
    /// Surrogate key, the public id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The prefecture whose municipalities the course is for.
    pub prefecture_code: String,
    /// 団体コード of the organiser: the prefecture or a lead municipality.
    pub organiser_code: String,
    /// 研修名.
    pub title: String,
    /// 内容.
    pub description: String,
    /// 対象 (人材像 / level).
    pub target: String,
    /// Seats.
    pub capacity: i32,
    /// Last day of enrolment.
    pub enrol_until: Option<Date>,
    /// Last day a municipality may cancel on its own.
    pub cancel_until: Option<Date>,
    /// `draft`, `open`, `closed`, `held` or `settled`.
    pub status: String,
    /// The split settings as JSON.
    pub split_settings: String,
    /// Arrival counter of enrolments; bumping it serialises them.
    pub arrival_seq: i64,
    /// The confirmed split with every input, as JSON.
    pub confirmed_split: Option<String>,
    /// When the split was confirmed.
    pub confirmed_at: Option<DateTimeWithTimeZone>,
    /// Creation time.
    pub created_at: DateTimeWithTimeZone,
    /// Last change.
    pub updated_at: DateTimeWithTimeZone,
    /// Row version: raised by every change, so an edit made from an older copy
    /// is refused (409) instead of overwriting.
    pub version: i32,
}

/// Relations of a course.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
