//! 共同研修: courses, enrolment with a waitlist that holds under concurrency,
//! attendance, the cost split and its confirmation into 負担金 notices.
//!
//! Enrolments and cancellations of one course are serialised by bumping the
//! course's arrival counter as the first statement of their transaction: on
//! PostgreSQL that locks the course row until commit, on SQLite it takes the write
//! lock. Seats are counted after the bump, so two requests never see the same
//! free seat.
//!
//! `course` creates and changes courses, `enrolments` seats and cancels staff and
//! records attendance, `split` works out and confirms the 負担金, `views` builds
//! what the pages show; the helpers they share are here.

mod billing;
mod course;
mod enrolments;
mod split;
mod views;

pub use billing::*;
pub use course::*;
pub use enrolments::*;
pub use split::*;
pub use views::*;

use crate::domain::local_gov::LocalGovCode;
use crate::domain::training::EnrolmentStatus;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::trainings::{
    AttendanceRequest, CancelResult, CostView, CourseEdit, CourseFormContext, EnrolRequest,
    EnrolResult, EnrolmentView, Notice, SessionView, SplitLineView, SplitView, TownTraining,
    TrainingDetail, TrainingSummary,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::audit::AuditAction;
use crate::domain::cost_split::{Body, Cost, Method, SplitError};
use crate::domain::ids::{CourseId, EnrolmentId, SessionId};
use crate::domain::policy::{Action, Resource, can};
use crate::domain::training::form::{ActualBody, COST_ROWS, row_field};
use crate::domain::training::input::{
    Basis, CostItem, Errors, FieldError, SessionDraft, SplitSettings, TrainingInput, jst,
    parse_staff, parse_training,
};
use crate::domain::training::split::{CourseSplitError, course_split, needs_staff};
use crate::domain::training::{TrainingStatus, seat};
use crate::entities::{
    attendance, enrolment, municipality, prefecture, training, training_cost, training_session,
};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

/// Enrolment statuses as stored.
const ENROLLED: &str = EnrolmentStatus::Enrolled.as_str();
const WAITLISTED: &str = EnrolmentStatus::Waitlisted.as_str();
const CANCELLED: &str = EnrolmentStatus::Cancelled.as_str();

/// Failures of the training services.
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    /// No such course, or a draft the caller may not see.
    #[error("研修が見つかりません。")]
    NotFound,
    /// No such enrolment in this course.
    #[error("受講申込が見つかりません。")]
    EnrolmentNotFound,
    /// Input fields are wrong (every one of them, in form order).
    #[error("{}", .0.first().message)]
    Field(Errors<FieldError>),
    /// The course is not in a state that allows this.
    #[error("{0}")]
    State(String),
    /// The stored figures cannot be split.
    #[error(transparent)]
    Split(#[from] SplitError),
    /// The course's figures cannot be split (a staff count is missing …).
    #[error(transparent)]
    CourseSplit(#[from] CourseSplitError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// Stored JSON could not be read.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl From<TrainingError> for AppError {
    fn from(error: TrainingError) -> Self {
        match error {
            TrainingError::NotFound | TrainingError::EnrolmentNotFound => {
                AppError::not_found(error.to_string())
            }
            TrainingError::Field(errors) => AppError::from(errors),
            TrainingError::State(message) => AppError::conflict("status", message),
            TrainingError::Split(e) => AppError::conflict(e.field(), e.to_string()),
            TrainingError::CourseSplit(CourseSplitError::Field(e)) => {
                AppError::invalid(e.field, e.message)
            }
            TrainingError::CourseSplit(CourseSplitError::Split(e)) => {
                AppError::conflict(e.field(), e.to_string())
            }
            TrainingError::Db(e) => AppError::internal(e),
            TrainingError::Json(e) => AppError::internal(e),
        }
    }
}

impl From<FieldError> for TrainingError {
    fn from(error: FieldError) -> Self {
        Self::Field(Errors::from(error))
    }
}

impl From<Errors<FieldError>> for TrainingError {
    fn from(errors: Errors<FieldError>) -> Self {
        Self::Field(errors)
    }
}

impl From<Errors<FieldError>> for AppError {
    fn from(errors: Errors<FieldError>) -> Self {
        AppError::merged(errors.map(AppError::from))
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::invalid(error.field, error.message)
    }
}

/// The scope a course is checked against.
fn resource(course: &training::Model) -> Resource {
    Resource::Training {
        prefecture: LocalGovCode::from_stored(course.prefecture_code.clone()),
        organiser: LocalGovCode::from_stored(course.organiser_code.clone()),
    }
}

/// The policy resource of a course the caller would organise for `organiser`.
fn organised_by(actor: &crate::domain::account::Actor, organiser: &str) -> Resource {
    Resource::Training {
        prefecture: actor.prefecture.clone(),
        organiser: LocalGovCode::from_stored(organiser),
    }
}

/// A status change lost to another one made at the same moment.
fn changed_meanwhile() -> AppError {
    TrainingError::State("研修の状態が同時に変更されました。ページを開き直してください。".into())
        .into()
}

fn status_of(course: &training::Model) -> TrainingStatus {
    TrainingStatus::parse(&course.status).unwrap_or(TrainingStatus::Draft)
}

fn manages(auth: &RequestAuth, course: &training::Model) -> bool {
    auth.actor
        .as_ref()
        .is_some_and(|a| can(a, Action::ManageTraining, &resource(course)))
}

/// A course the caller may see: drafts only for those who organise it.
async fn visible(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: CourseId,
) -> Result<training::Model, TrainingError> {
    let course = training::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(TrainingError::NotFound)?;
    if status_of(&course) == TrainingStatus::Draft && !manages(auth, &course) {
        return Err(TrainingError::NotFound);
    }
    Ok(course)
}

/// A course the caller organises (401/403 otherwise).
async fn managed(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: CourseId,
) -> Result<training::Model, AppError> {
    let course = visible(db, auth, id).await?;
    auth.authorize(Action::ManageTraining, &resource(&course))?;
    Ok(course)
}

/// Appends an event about a course to its prefecture's audit log.
async fn audit_event(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    prefecture: &str,
    action: AuditAction,
    target: (&'static str, String),
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        db,
        &auth.audit(),
        AuditEvent {
            action,
            target: Some(target),
            prefecture: Some(prefecture.to_owned()),
            detail,
        },
        None,
    )
    .await?;
    Ok(())
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&jst())
}

/// Names of bodies (prefectures and municipalities) by 団体コード.
async fn body_names(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, String>, DbErr> {
    let codes: Vec<String> = codes.into_iter().collect();
    let mut names: HashMap<String, String> = municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(codes.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    for p in prefecture::Entity::find()
        .filter(prefecture::Column::Code.is_in(codes))
        .all(db)
        .await?
    {
        names.insert(p.code, p.name);
    }
    Ok(names)
}

/// Inserts sessions of a course from `first` on (their positions).
async fn insert_sessions(
    txn: &impl ConnectionTrait,
    id: CourseId,
    sessions: &[SessionDraft],
    first: i32,
) -> Result<(), AppError> {
    if sessions.is_empty() {
        return Ok(());
    }
    training_session::Entity::insert_many(sessions.iter().zip(first..).map(|(s, position)| {
        training_session::ActiveModel {
            id: NotSet,
            training_id: Set(id.get()),
            position: Set(position),
            starts_at: Set(s.starts_at),
            ends_at: Set(s.ends_at),
            place: Set(s.place.clone()),
            online: Set(s.online),
            content: Set(s.content.clone()),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Inserts the cost items of a course, in order.
async fn insert_costs(
    txn: &impl ConnectionTrait,
    id: CourseId,
    costs: &[CostItem],
) -> Result<(), AppError> {
    if costs.is_empty() {
        return Ok(());
    }
    training_cost::Entity::insert_many(costs.iter().zip(0..).map(|(c, position)| {
        let (kind, amount) = c.cost.wire();
        training_cost::ActiveModel {
            id: NotSet,
            training_id: Set(id.get()),
            position: Set(position),
            label: Set(c.label.clone()),
            kind: Set(kind.to_owned()),
            amount: Set(i64::try_from(amount).unwrap_or(i64::MAX)),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Takes the course row for the rest of the transaction (touching `updated_at`),
/// which serialises the change with enrolments and cancellations.
async fn lock_course(
    txn: &impl ConnectionTrait,
    id: CourseId,
    stamp: DateTime<FixedOffset>,
) -> Result<(), AppError> {
    training::Entity::update_many()
        .col_expr(training::Column::UpdatedAt, Expr::value(stamp))
        .filter(training::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Gives up to `seats` freed seats to the first on the waitlist, in arrival
/// order, and audits each promotion. Runs inside the transaction that holds the
/// course row.
async fn promote_waiting(
    txn: &impl ConnectionTrait,
    auth: &RequestAuth,
    course: &training::Model,
    seats: u64,
    stamp: DateTime<FixedOffset>,
) -> Result<Vec<enrolment::Model>, AppError> {
    if seats == 0 {
        return Ok(Vec::new());
    }
    let next = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(course.id))
        .filter(enrolment::Column::Status.eq(WAITLISTED))
        .order_by_asc(enrolment::Column::Seq)
        .limit(seats)
        .all(txn)
        .await?;
    let mut promoted = Vec::with_capacity(next.len());
    for row in next {
        enrolment::Entity::update_many()
            .col_expr(enrolment::Column::Status, Expr::value(ENROLLED))
            .col_expr(enrolment::Column::PromotedAt, Expr::value(stamp))
            .filter(enrolment::Column::Id.eq(row.id))
            .exec(txn)
            .await?;
        audit_event(
            txn,
            auth,
            &course.prefecture_code,
            AuditAction::EnrolmentPromoted,
            ("enrolment", row.id.to_string()),
            json!({ "training": course.id, "municipality": row.municipality_code }),
        )
        .await?;
        promoted.push(enrolment::Model {
            status: ENROLLED.to_owned(),
            promoted_at: Some(stamp),
            ..row
        });
    }
    Ok(promoted)
}

/// The body a caller organises courses for: their town, or their prefecture.
fn own_body(actor: &crate::domain::account::Actor) -> String {
    match (actor.role, &actor.municipality) {
        (Role::MuniStaff, Some(code)) => code.to_string(),
        _ => actor.prefecture.to_string(),
    }
}

/// The cost items of a course, in order.
pub(super) async fn stored_costs(
    db: &impl ConnectionTrait,
    id: CourseId,
) -> Result<Vec<CostItem>, DbErr> {
    Ok(training_cost::Entity::find()
        .filter(training_cost::Column::TrainingId.eq(id))
        .order_by_asc(training_cost::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(cost_item)
        .collect())
}

pub(super) fn cost_item(c: training_cost::Model) -> CostItem {
    let amount = c.amount.unsigned_abs();
    CostItem {
        label: c.label,
        cost: if c.kind == "per_head" {
            Cost::PerHead { unit_price: amount }
        } else {
            Cost::Shared { amount }
        },
    }
}
