//! 共同研修 as the pages and the JSON API see it.

use crate::domain::local_gov::LocalGovCode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::ids::{CourseId, EnrolmentId, SessionId};
use crate::domain::training::input::{SplitSettings, StaffInput};
use crate::domain::training::{EnrolmentStatus, TrainingStatus};

/// A course in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Id.
    pub id: CourseId,
    /// 研修名.
    pub title: String,
    /// 対象.
    pub target: String,
    /// 団体コード of the organiser.
    pub organiser: LocalGovCode,
    /// Name of the organiser.
    pub organiser_name: String,
    /// Where the course is in its life.
    pub status: TrainingStatus,
    /// Japanese status.
    pub status_label: String,
    /// Seats.
    pub capacity: u32,
    /// Seats taken.
    pub enrolled: u32,
    /// Waiting.
    pub waitlisted: u32,
    /// Start of the first session (RFC 3339 on the wire, JST).
    pub first_session: Option<DateTime<FixedOffset>>,
    /// Number of sessions.
    pub sessions: u32,
    /// Last day of enrolment.
    pub enrol_until: Option<NaiveDate>,
}

impl TrainingSummary {
    /// Seats still free.
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.enrolled)
    }
}

/// One session of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Id.
    pub id: SessionId,
    /// 第 n 回 (from 1).
    pub number: u32,
    /// Start (RFC 3339 on the wire, JST).
    pub starts_at: DateTime<FixedOffset>,
    /// End.
    pub ends_at: DateTime<FixedOffset>,
    /// 会場.
    pub place: String,
    /// Online.
    pub online: bool,
    /// 内容.
    pub content: String,
}

/// One cost item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostView {
    /// 費目.
    pub label: String,
    /// `shared` or `per_head`.
    pub kind: String,
    /// Yen: the total when shared, the unit price when per head.
    pub amount: u64,
}

/// A trainee's enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// Id.
    pub id: EnrolmentId,
    /// 団体コード of the municipality.
    pub municipality: LocalGovCode,
    /// Name of the municipality.
    pub municipality_name: String,
    /// 氏名.
    pub name: String,
    /// 職名.
    pub position: String,
    /// Seated, waiting or cancelled.
    pub status: EnrolmentStatus,
    /// Arrival order (1 = first).
    pub seq: i64,
    /// Moved up from the waitlist.
    pub promoted: bool,
    /// Ids of the sessions attended.
    pub attended: Vec<SessionId>,
}

/// A course with everything the caller may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingDetail {
    /// The catalogue entry.
    pub summary: TrainingSummary,
    /// 内容.
    pub description: String,
    /// Last day a municipality may cancel on its own.
    pub cancel_until: Option<NaiveDate>,
    /// Sessions in order.
    pub sessions: Vec<SessionView>,
    /// Cost items.
    pub costs: Vec<CostView>,
    /// Split settings.
    pub split: SplitSettings,
    /// The split in words.
    pub split_description: String,
    /// Enrolments the caller may see (all for the organiser, their own for a town).
    pub enrolments: Vec<EnrolmentView>,
    /// The notice details, for those who manage the course.
    #[serde(default)]
    pub billing: Option<BillingView>,
    /// The caller organises the course.
    pub can_manage: bool,
    /// The caller may enrol their municipality's staff now.
    pub can_enrol: bool,
    /// The split as it stands (provisional) or as confirmed, the lines the caller
    /// may see; none for a caller who may not read it.
    pub shares: Option<SplitView>,
    /// Why there is no split yet (no enrolments, a staff count missing …).
    pub split_problem: Option<String>,
    /// When the split was confirmed.
    pub confirmed_at: Option<DateTime<FixedOffset>>,
}

/// `POST /api/trainings/{id}/enrolments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The municipality sending them; the caller's own when absent.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The staff, in the order they should be seated.
    #[serde(default)]
    pub staff: Vec<StaffInput>,
}

/// What an enrolment request got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResult {
    /// Seated.
    pub enrolled: Vec<EnrolmentView>,
    /// On the waitlist.
    pub waitlisted: Vec<EnrolmentView>,
}

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelResult {
    /// The cancelled enrolment.
    pub cancelled: EnrolmentView,
    /// Who got the freed seat, if anyone was waiting.
    pub promoted: Option<EnrolmentView>,
}

/// `PUT /api/trainings/{id}/sessions/{sid}/attendance`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRequest {
    /// Ids of the enrolments present; everyone else is absent.
    #[serde(default)]
    pub present: Vec<EnrolmentId>,
}

/// One body's line of a split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitLineView {
    /// 団体コード.
    pub municipality: LocalGovCode,
    /// Name of the body.
    pub name: String,
    /// Participants counted.
    pub headcount: u32,
    /// Staff count used (formula).
    pub staff: Option<u32>,
    /// Part of the shared costs.
    pub shared: u64,
    /// Per-participant costs.
    pub per_head: u64,
    /// What it pays.
    pub amount: u64,
}

/// A split, provisional or confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitView {
    /// Every cost added up.
    pub total: u64,
    /// The lines the caller may see.
    pub lines: Vec<SplitLineView>,
    /// The method in words.
    pub description: String,
    /// The split is confirmed (確定) and frozen.
    pub confirmed: bool,
    /// When it was confirmed.
    pub confirmed_at: Option<DateTime<FixedOffset>>,
}

/// One municipality's 負担金 notice of a confirmed split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Course id.
    pub training: CourseId,
    /// 研修名.
    pub title: String,
    /// Organiser's name.
    pub organiser_name: String,
    /// The body's line.
    pub line: SplitLineView,
    /// The method in words.
    pub description: String,
    /// Formula weights (flat, participants, staff), if the formula was used.
    pub weights: Option<(u32, u32, u32)>,
    /// Every participant counted, all bodies.
    pub total_headcount: u32,
    /// Every cost added up.
    pub total: u64,
    /// Cost items.
    pub costs: Vec<CostView>,
    /// When the split was confirmed.
    pub confirmed_at: DateTime<FixedOffset>,
    /// Issuer, contact, payment deadline and account, once the organiser set them.
    #[serde(default)]
    pub billing: Option<BillingView>,
}

/// A course a municipality takes part in, as its home page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownTraining {
    /// Course id.
    pub id: CourseId,
    /// 研修名.
    pub title: String,
    /// Japanese status.
    pub status_label: String,
    /// The town's staff with a seat.
    pub enrolled: u32,
    /// The town's staff waiting.
    pub waitlisted: u32,
    /// The town's staff moved up from the waitlist.
    pub promoted: Vec<String>,
    /// The town's confirmed 負担金, once settled.
    pub amount: Option<u64>,
    /// The day of its first session (JST), if it has one.
    pub starts_on: Option<chrono::NaiveDate>,
}

/// What the course form shows about the course to be created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFormContext {
    /// 団体コード of the organiser (the caller's body).
    pub organiser: LocalGovCode,
    /// Its name.
    pub organiser_name: String,
}

/// A stored course in its form, for the organiser to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseEdit {
    /// Course id.
    pub id: CourseId,
    /// 研修名 as stored.
    pub title: String,
    /// The organiser.
    pub context: CourseFormContext,
    /// The form's fields as stored.
    pub values: std::collections::BTreeMap<String, String>,
    /// The bodies with seated trainees, for the split preview.
    pub bodies: Vec<crate::domain::training::form::ActualBody>,
}

pub use crate::domain::training::billing::{BillingInput, BillingView};
