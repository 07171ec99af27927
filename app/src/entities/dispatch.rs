//! `dispatch`: a town's request for an advisor, its schedule, the quota in force
//! when it was approved, and the advisor's report.

use sea_orm::entity::prelude::*;

/// One request.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dispatch")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The town's prefecture.
    pub prefecture_code: String,
    /// The requesting town.
    pub municipality_code: String,
    /// The programme.
    pub programme_id: i32,
    /// `issue`, `achievement`, `training`.
    pub advice_type: String,
    /// `onsite`, `online`.
    pub mode: String,
    /// The need, in the town's words.
    pub need: String,
    /// Minutes wanted.
    pub hours_wanted: i32,
    /// Preferred period.
    pub preferred_from: Option<Date>,
    /// End of the preferred period.
    pub preferred_to: Option<Date>,
    /// Wished advisors, comma-separated ids.
    pub wished_advisors: String,
    /// `DispatchStatus` wire form.
    pub status: String,
    /// The proposed (then booked) advisor.
    pub advisor_id: Option<i32>,
    /// Scheduled start.
    pub starts_at: Option<DateTimeWithTimeZone>,
    /// Scheduled end.
    pub ends_at: Option<DateTimeWithTimeZone>,
    /// Place or meeting URL.
    pub place: Option<String>,
    /// The 年度 it counts to (set at approval).
    pub fiscal_year: Option<i32>,
    /// The programme's rules at approval, JSON.
    pub quota_rules: Option<String>,
    /// Reported minutes.
    pub report_hours: Option<i32>,
    /// What was done.
    pub report_summary: Option<String>,
    /// The outcome.
    pub report_outcome: Option<String>,
    /// Next steps.
    pub report_next_steps: Option<String>,
    /// Why the 県 rejected it.
    pub reject_reason: Option<String>,
    /// Who filed it.
    pub requested_by: Option<i32>,
    /// Filed.
    pub created_at: DateTimeWithTimeZone,
    /// Last change.
    pub updated_at: DateTimeWithTimeZone,
    /// Bumped by every step.
    pub version: i32,
}

/// Relations of a request.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
