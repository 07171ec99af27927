//! 共同研修: courses, enrolment with a waitlist that holds under concurrency,
//! attendance, the cost split and its confirmation into 負担金 notices.
//!
//! Enrolments and cancellations of one course are serialised by bumping the
//! course's arrival counter as the first statement of their transaction: on
//! PostgreSQL that locks the course row until commit, on SQLite it takes the write
//! lock. Seats are counted after the bump, so two requests never see the same
//! free seat.

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
use crate::domain::policy::{Action, Resource, can};
use crate::domain::training::{TrainingStatus, seat};
use crate::domain::training_form::{ActualBody, COST_ROWS, row_field};
use crate::domain::training_input::{
    Basis, CostItem, FieldError, SessionDraft, SplitSettings, TrainingInput, jst, parse_staff,
    parse_training,
};
use crate::domain::training_split::{CourseSplitError, course_split, needs_staff};
use crate::entities::{
    attendance, enrolment, municipality, prefecture, training, training_cost, training_session,
};
use crate::error::AppError;
use crate::services::audit::{self, AuditEvent};

/// Enrolment statuses as stored.
const ENROLLED: &str = "enrolled";
const WAITLISTED: &str = "waitlisted";
const CANCELLED: &str = "cancelled";

/// Failures of the training services.
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    /// No such course, or a draft the caller may not see.
    #[error("研修が見つかりません。")]
    NotFound,
    /// No such enrolment in this course.
    #[error("受講申込が見つかりません。")]
    EnrolmentNotFound,
    /// An input field is wrong.
    #[error("{}", .0.message)]
    Field(FieldError),
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
            TrainingError::Field(e) => AppError::invalid(e.field, e.message),
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
        Self::Field(error)
    }
}

/// The scope a course is checked against.
fn resource(course: &training::Model) -> Resource {
    Resource::Training {
        prefecture: course.prefecture_code.clone(),
        organiser: course.organiser_code.clone(),
    }
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
    id: i32,
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
    id: i32,
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
    id: i32,
    sessions: &[SessionDraft],
    first: i32,
) -> Result<(), AppError> {
    if sessions.is_empty() {
        return Ok(());
    }
    training_session::Entity::insert_many(sessions.iter().zip(first..).map(|(s, position)| {
        training_session::ActiveModel {
            id: NotSet,
            training_id: Set(id),
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
    id: i32,
    costs: &[CostItem],
) -> Result<(), AppError> {
    if costs.is_empty() {
        return Ok(());
    }
    training_cost::Entity::insert_many(costs.iter().zip(0..).map(|(c, position)| {
        let (kind, amount) = c.cost.wire();
        training_cost::ActiveModel {
            id: NotSet,
            training_id: Set(id),
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
    id: i32,
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
        (Role::MuniStaff, Some(code)) => code.clone(),
        _ => actor.prefecture.clone(),
    }
}

/// What the course form needs: who will organise the new course. Refused to
/// anyone who may not organise one.
pub async fn course_form_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
) -> Result<CourseFormContext, AppError> {
    let actor = auth.signed_in()?;
    let organiser = own_body(actor);
    auth.authorize(
        Action::ManageTraining,
        &Resource::Training {
            prefecture: actor.prefecture.clone(),
            organiser: organiser.clone(),
        },
    )?;
    let names = body_names(db, std::iter::once(organiser.clone())).await?;
    Ok(CourseFormContext {
        organiser_name: names.get(&organiser).cloned().unwrap_or_default(),
        organiser,
    })
}

/// Creates a course in the caller's prefecture, organised by the caller's own body
/// unless `organiser` names a municipality of it. It starts as a draft.
pub async fn create_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &TrainingInput,
) -> Result<i32, AppError> {
    let actor = auth.signed_in()?;
    // Authorised before the input is read: someone who may not organise is
    // refused whatever they sent.
    let organiser = input
        .organiser
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| own_body(actor), str::to_owned);
    auth.authorize(
        Action::ManageTraining,
        &Resource::Training {
            prefecture: actor.prefecture.clone(),
            organiser: organiser.clone(),
        },
    )?;
    let draft = parse_training(input).map_err(TrainingError::from)?;
    if organiser != actor.prefecture {
        let found = municipality::Entity::find_by_id(organiser.clone())
            .one(db)
            .await?;
        if found.is_none_or(|m| m.prefecture_code != actor.prefecture) {
            return Err(AppError::invalid(
                "organiser",
                format!("主催団体「{organiser}」はこの都道府県の団体ではありません。"),
            ));
        }
    }
    let stamp = now();
    let txn = db.begin().await?;
    let created = training::Entity::insert(training::ActiveModel {
        id: NotSet,
        prefecture_code: Set(actor.prefecture.clone()),
        organiser_code: Set(organiser.clone()),
        title: Set(draft.title.clone()),
        description: Set(draft.description.clone()),
        target: Set(draft.target.clone()),
        capacity: Set(i32::try_from(draft.capacity).unwrap_or(i32::MAX)),
        enrol_until: Set(draft.enrol_until),
        cancel_until: Set(draft.cancel_until),
        status: Set(TrainingStatus::Draft.as_str().to_owned()),
        split_settings: Set(serde_json::to_string(&draft.split)?),
        arrival_seq: Set(0),
        confirmed_split: Set(None),
        confirmed_at: Set(None),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        version: Set(1),
    })
    .exec(&txn)
    .await?;
    let id = created.last_insert_id;
    insert_sessions(&txn, id, &draft.sessions, 0).await?;
    insert_costs(&txn, id, &draft.costs).await?;
    audit_event(
        &txn,
        auth,
        &actor.prefecture,
        AuditAction::TrainingCreated,
        ("training", id.to_string()),
        json!({ "title": draft.title, "organiser": organiser }),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes a course until it is settled: its details, sessions, costs and split
/// settings. Sessions are changed in place by position, so recorded attendance
/// stays with its session, and a session with attendance cannot be removed. The
/// capacity cannot drop below the seats taken; raising it gives the new seats to
/// the waitlist in arrival order. Returns how many moved up.
pub async fn update_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    input: &TrainingInput,
    expected: Option<i32>,
) -> Result<usize, AppError> {
    auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    auth.authorize(Action::ManageTraining, &resource(&course))?;
    let draft = parse_training(input).map_err(TrainingError::from)?;
    let stamp = now();
    let txn = db.begin().await?;
    lock_course(&txn, id, stamp).await?;
    // The course as it is now, with the row held: a form filled from an older
    // copy (another organiser saved, or the split was confirmed) is refused.
    let course = training::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(TrainingError::NotFound)?;
    if status_of(&course) == TrainingStatus::Settled {
        return Err(TrainingError::State("負担金を確定した研修は変更できません。".into()).into());
    }
    AppError::check_version(expected, course.version)?;
    let seated = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(ENROLLED))
        .count(&txn)
        .await?;
    if u64::from(draft.capacity) < seated {
        return Err(AppError::invalid(
            "capacity",
            format!("受講決定者が{seated}人いるため、定員を{seated}人より少なくできません。"),
        ));
    }
    training::Entity::update_many()
        .col_expr(
            training::Column::Version,
            Expr::col(training::Column::Version).add(1),
        )
        .col_expr(training::Column::Title, Expr::value(draft.title.clone()))
        .col_expr(
            training::Column::Description,
            Expr::value(draft.description.clone()),
        )
        .col_expr(training::Column::Target, Expr::value(draft.target.clone()))
        .col_expr(
            training::Column::Capacity,
            Expr::value(i32::try_from(draft.capacity).unwrap_or(i32::MAX)),
        )
        .col_expr(training::Column::EnrolUntil, Expr::value(draft.enrol_until))
        .col_expr(
            training::Column::CancelUntil,
            Expr::value(draft.cancel_until),
        )
        .col_expr(
            training::Column::SplitSettings,
            Expr::value(serde_json::to_string(&draft.split)?),
        )
        .filter(training::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let stored = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(id))
        .order_by_asc(training_session::Column::Position)
        .all(&txn)
        .await?;
    for (old, new) in stored.iter().zip(&draft.sessions) {
        training_session::Entity::update_many()
            .col_expr(
                training_session::Column::StartsAt,
                Expr::value(new.starts_at),
            )
            .col_expr(training_session::Column::EndsAt, Expr::value(new.ends_at))
            .col_expr(
                training_session::Column::Place,
                Expr::value(new.place.clone()),
            )
            .col_expr(training_session::Column::Online, Expr::value(new.online))
            .col_expr(
                training_session::Column::Content,
                Expr::value(new.content.clone()),
            )
            .filter(training_session::Column::Id.eq(old.id))
            .exec(&txn)
            .await?;
    }
    for (index, old) in stored.iter().enumerate().skip(draft.sessions.len()) {
        let attended = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(old.id))
            .count(&txn)
            .await?;
        if attended > 0 {
            return Err(AppError::invalid(
                format!("sessions[{index}].starts_at"),
                format!(
                    "第{}回は出席が記録されているため削除できません。",
                    index + 1
                ),
            ));
        }
        training_session::Entity::delete_by_id(old.id)
            .exec(&txn)
            .await?;
    }
    if let Some(added) = draft.sessions.get(stored.len()..) {
        let first = i32::try_from(stored.len()).unwrap_or(i32::MAX);
        insert_sessions(&txn, id, added, first).await?;
    }
    training_cost::Entity::delete_many()
        .filter(training_cost::Column::TrainingId.eq(id))
        .exec(&txn)
        .await?;
    insert_costs(&txn, id, &draft.costs).await?;
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingUpdated,
        ("training", id.to_string()),
        json!({ "title": draft.title, "capacity": draft.capacity }),
    )
    .await?;
    let promoted = if matches!(
        status_of(&course),
        TrainingStatus::Open | TrainingStatus::Closed
    ) {
        let free = u64::from(draft.capacity).saturating_sub(seated);
        promote_waiting(&txn, auth, &course, free, stamp)
            .await?
            .len()
    } else {
        0
    };
    txn.commit().await?;
    Ok(promoted)
}

/// A stored course as its form shows it, for the organiser to change.
pub async fn edit_form_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<CourseEdit, AppError> {
    auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    auth.authorize(Action::ManageTraining, &resource(&course))?;
    let settings: SplitSettings = serde_json::from_str(&course.split_settings)?;
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(id))
        .order_by_asc(training_session::Column::Position)
        .all(db)
        .await?;
    let costs = stored_costs(db, id).await?;
    let names = body_names(db, std::iter::once(course.organiser_code.clone())).await?;
    let local =
        |t: DateTime<FixedOffset>| t.with_timezone(&jst()).format("%Y-%m-%dT%H:%M").to_string();
    let mut values = BTreeMap::from([
        ("version".to_owned(), course.version.to_string()),
        ("title".to_owned(), course.title.clone()),
        ("description".to_owned(), course.description.clone()),
        ("target".to_owned(), course.target.clone()),
        ("capacity".to_owned(), course.capacity.to_string()),
        (
            "enrol_until".to_owned(),
            course
                .enrol_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        (
            "cancel_until".to_owned(),
            course
                .cancel_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    ]);
    for (row, s) in sessions.iter().enumerate() {
        let field = |name: &str| row_field("sessions", row, name);
        values.insert(field("starts_at"), local(s.starts_at));
        values.insert(field("ends_at"), local(s.ends_at));
        values.insert(field("place"), s.place.clone());
        values.insert(field("content"), s.content.clone());
        if s.online {
            values.insert(field("online"), "on".into());
        }
    }
    for row in 0..COST_ROWS {
        values.insert(row_field("costs", row, "kind"), "shared".into());
    }
    for (row, c) in costs.iter().enumerate() {
        let field = |name: &str| row_field("costs", row, name);
        let (kind, amount) = c.cost.wire();
        values.insert(field("label"), c.label.clone());
        values.insert(field("kind"), kind.into());
        values.insert(field("amount"), amount.to_string());
    }
    values.extend(settings.form_values());
    let seated = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(ENROLLED))
        .all(db)
        .await?;
    let present: std::collections::HashSet<i32> = attendance::Entity::find()
        .filter(
            attendance::Column::EnrolmentId.is_in(seated.iter().map(|e| e.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.enrolment_id)
        .collect();
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for e in &seated {
        let entry = counts.entry(e.municipality_code.clone()).or_default();
        entry.0 += 1;
        entry.1 += u32::from(present.contains(&e.id));
    }
    let towns = body_names(db, counts.keys().cloned()).await?;
    let bodies = counts
        .into_iter()
        .map(|(code, (enrolled, attended))| ActualBody {
            name: towns.get(&code).cloned().unwrap_or_default(),
            code,
            enrolled,
            attended,
        })
        .collect();
    Ok(CourseEdit {
        bodies,
        id,
        title: course.title.clone(),
        context: CourseFormContext {
            organiser_name: names
                .get(&course.organiser_code)
                .cloned()
                .unwrap_or_default(),
            organiser: course.organiser_code.clone(),
        },
        values,
    })
}

/// Moves a course to `next` (open, close, mark held); confirming is [`confirm_for`].
pub async fn transition_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    next: TrainingStatus,
) -> Result<TrainingStatus, AppError> {
    let course = managed(db, auth, id).await?;
    let current = status_of(&course);
    if next == TrainingStatus::Settled || !current.can_become(next) {
        return Err(TrainingError::State(format!(
            "「{}」の研修を「{}」にはできません。",
            current.label(),
            next.label()
        ))
        .into());
    }
    let txn = db.begin().await?;
    let changed = training::Entity::update_many()
        .col_expr(training::Column::Status, Expr::value(next.as_str()))
        .col_expr(training::Column::UpdatedAt, Expr::value(now()))
        .filter(training::Column::Id.eq(id))
        .filter(training::Column::Status.eq(current.as_str()))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(TrainingError::State(
            "研修の状態が同時に変更されました。ページを開き直してください。".into(),
        )
        .into());
    }
    record_status(&txn, auth, &course, current, next).await?;
    txn.commit().await?;
    Ok(next)
}

async fn record_status(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    course: &training::Model,
    from: TrainingStatus,
    to: TrainingStatus,
) -> Result<(), AppError> {
    audit_event(
        db,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingStatusChanged,
        ("training", course.id.to_string()),
        json!({ "from": from.as_str(), "to": to.as_str() }),
    )
    .await
}

/// Enrols staff of the caller's municipality, in the order sent: the seats left go
/// to the first, the rest join the waitlist behind everyone already waiting.
pub async fn enrol_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    request: &EnrolRequest,
) -> Result<EnrolResult, AppError> {
    let actor = auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    // Only a town's staff enrol, so a caller of no town naming none is refused.
    let code = request
        .municipality
        .clone()
        .or_else(|| actor.municipality.clone())
        .ok_or(AppError::Forbidden)?;
    let town = municipality::Entity::find_by_id(code.clone())
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "municipality",
                format!("団体コード「{code}」の市町村はありません。"),
            )
        })?;
    if auth
        .authorize(
            Action::EnrolTraining,
            &Resource::Municipality {
                prefecture: town.prefecture_code.clone(),
                code: code.clone(),
            },
        )
        .is_err()
    {
        if actor.role == Role::MuniStaff {
            return Err(AppError::refused(
                "municipality",
                format!(
                    "申し込めるのはご自身の市町村の職員だけです({}の職員は申し込めません)。",
                    town.name
                ),
            ));
        }
        return Err(AppError::Forbidden);
    }
    if town.prefecture_code != course.prefecture_code {
        return Err(AppError::refused(
            "municipality",
            "この研修は他の都道府県の市町村を対象としています。",
        ));
    }
    let trainees = parse_staff(&request.staff).map_err(TrainingError::from)?;
    if !status_of(&course).takes_enrolments() {
        return Err(TrainingError::State(format!(
            "この研修は{}のため、申し込めません。",
            status_of(&course).label()
        ))
        .into());
    }
    let today = now().date_naive();
    if course.enrol_until.is_some_and(|last| today > last) {
        return Err(TrainingError::State("申込期限を過ぎています。".into()).into());
    }
    let count = i64::try_from(trainees.len()).unwrap_or(i64::MAX);
    let stamp = now();
    let txn = db.begin().await?;
    let bumped = training::Entity::update_many()
        .col_expr(
            training::Column::ArrivalSeq,
            Expr::col(training::Column::ArrivalSeq).add(count),
        )
        .filter(training::Column::Id.eq(id))
        .filter(training::Column::Status.eq(TrainingStatus::Open.as_str()))
        .exec(&txn)
        .await?;
    if bumped.rows_affected == 0 {
        return Err(TrainingError::State("この研修は受付を終了しました。".into()).into());
    }
    let last_seq = training::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(TrainingError::NotFound)?
        .arrival_seq;
    let taken = count_status(&txn, id, ENROLLED).await?;
    let waiting = count_status(&txn, id, WAITLISTED).await?;
    let capacity = u32::try_from(course.capacity).unwrap_or(0);
    let seating = seat(
        capacity,
        taken,
        waiting,
        u32::try_from(trainees.len()).unwrap_or(u32::MAX),
    );
    let first_seq = last_seq - count + 1;
    enrolment::Entity::insert_many(trainees.iter().zip(0u32..).map(|(t, i)| {
        enrolment::ActiveModel {
            id: NotSet,
            training_id: Set(id),
            municipality_code: Set(code.clone()),
            name: Set(t.name.clone()),
            job_title: Set(t.position.clone()),
            email: Set(t.email.clone()),
            status: Set(if i < seating.enrolled {
                ENROLLED
            } else {
                WAITLISTED
            }
            .to_owned()),
            seq: Set(first_seq + i64::from(i)),
            enrolled_by: Set(Some(actor.account_id)),
            created_at: Set(stamp),
            promoted_at: Set(None),
            cancelled_at: Set(None),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingEnrolled,
        ("training", id.to_string()),
        json!({
            "municipality": code,
            "enrolled": seating.enrolled,
            "waitlisted": seating.waitlisted,
        }),
    )
    .await?;
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Seq.between(first_seq, last_seq))
        .order_by_asc(enrolment::Column::Seq)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let views: Vec<EnrolmentView> = rows
        .into_iter()
        .map(|r| enrolment_view(r, &town.name, Vec::new()))
        .collect();
    let (enrolled, waitlisted) = views.into_iter().partition(|v| v.status == ENROLLED);
    Ok(EnrolResult {
        enrolled,
        waitlisted,
    })
}

async fn count_status(db: &impl ConnectionTrait, id: i32, status: &str) -> Result<u32, AppError> {
    let n = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(status))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn enrolment_view(row: enrolment::Model, town: &str, attended: Vec<i32>) -> EnrolmentView {
    EnrolmentView {
        id: row.id,
        municipality: row.municipality_code,
        municipality_name: town.to_owned(),
        name: row.name,
        position: row.job_title,
        status: row.status,
        seq: row.seq,
        promoted: row.promoted_at.is_some(),
        attended,
    }
}

/// Cancels an enrolment. The municipality may cancel its own staff until the
/// cancellation deadline, the organiser at any time before the course is held. A
/// freed seat goes to the first on the waitlist, whose municipality sees the
/// promotion on the course page and in the audit log.
pub async fn cancel_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    enrolment_id: i32,
) -> Result<CancelResult, AppError> {
    let actor = auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    let row = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .filter(|e| e.training_id == id)
        .ok_or(TrainingError::EnrolmentNotFound)?;
    let organiser = manages(auth, &course);
    if !organiser {
        auth.authorize(
            Action::EnrolTraining,
            &Resource::Municipality {
                prefecture: course.prefecture_code.clone(),
                code: row.municipality_code.clone(),
            },
        )?;
        if actor.role == Role::MuniStaff
            && course
                .cancel_until
                .is_some_and(|last| now().date_naive() > last)
        {
            return Err(AppError::refused(
                "cancel_until",
                "取消期限を過ぎています。取り消すには主催団体に連絡してください。",
            ));
        }
    }
    let status = status_of(&course);
    if !matches!(status, TrainingStatus::Open | TrainingStatus::Closed) {
        return Err(TrainingError::State(format!(
            "この研修は{}のため、取り消せません。",
            status.label()
        ))
        .into());
    }
    if row.status == CANCELLED {
        return Err(TrainingError::State("この申込はすでに取り消されています。".into()).into());
    }
    let stamp = now();
    let txn = db.begin().await?;
    lock_course(&txn, id, stamp).await?;
    let cancelled = enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(CANCELLED))
        .col_expr(enrolment::Column::CancelledAt, Expr::value(stamp))
        .filter(enrolment::Column::Id.eq(enrolment_id))
        .filter(enrolment::Column::Status.ne(CANCELLED))
        .exec(&txn)
        .await?;
    if cancelled.rows_affected == 0 {
        return Err(TrainingError::State("この申込はすでに取り消されています。".into()).into());
    }
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::EnrolmentCancelled,
        ("enrolment", enrolment_id.to_string()),
        json!({ "training": id, "municipality": row.municipality_code, "by_organiser": organiser }),
    )
    .await?;
    let promoted = if row.status == ENROLLED {
        promote_waiting(&txn, auth, &course, 1, stamp)
            .await?
            .into_iter()
            .next()
    } else {
        None
    };
    txn.commit().await?;
    let names = body_names(
        db,
        std::iter::once(row.municipality_code.clone())
            .chain(promoted.iter().map(|p| p.municipality_code.clone())),
    )
    .await?;
    let name_of = |code: &str| names.get(code).cloned().unwrap_or_default();
    let cancelled_name = name_of(&row.municipality_code);
    Ok(CancelResult {
        cancelled: enrolment_view(
            enrolment::Model {
                status: CANCELLED.to_owned(),
                cancelled_at: Some(stamp),
                ..row
            },
            &cancelled_name,
            Vec::new(),
        ),
        promoted: promoted.map(|p| {
            let name = name_of(&p.municipality_code);
            enrolment_view(p, &name, Vec::new())
        }),
    })
}

/// Records who attended a session (the organiser, once enrolment has ended).
pub async fn record_attendance_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    session_id: i32,
    request: &AttendanceRequest,
) -> Result<u32, AppError> {
    let course = managed(db, auth, id).await?;
    if !matches!(
        status_of(&course),
        TrainingStatus::Closed | TrainingStatus::Held
    ) {
        return Err(TrainingError::State("出席は受付終了後に記録できます。".into()).into());
    }
    let session = training_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .filter(|s| s.training_id == id)
        .ok_or_else(|| AppError::not_found("この研修の日程が見つかりません。"))?;
    let enrolled: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(ENROLLED))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut present: Vec<i32> = request.present.clone();
    present.sort_unstable();
    present.dedup();
    if let Some(stranger) = present.iter().find(|p| !enrolled.contains(p)) {
        return Err(AppError::invalid(
            "present",
            format!("申込番号 {stranger} はこの研修の受講者ではありません。"),
        ));
    }
    let txn = db.begin().await?;
    attendance::Entity::delete_many()
        .filter(attendance::Column::SessionId.eq(session.id))
        .exec(&txn)
        .await?;
    if !present.is_empty() {
        attendance::Entity::insert_many(present.iter().map(|e| attendance::ActiveModel {
            enrolment_id: Set(*e),
            session_id: Set(session.id),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::AttendanceRecorded,
        ("training", id.to_string()),
        json!({ "session": session.id, "present": present.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(u32::try_from(present.len()).unwrap_or(u32::MAX))
}

/// A split with every input that made it, as frozen at confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitRecord {
    /// 団体コード of the organiser.
    pub organiser: String,
    /// Settings used.
    pub settings: SplitSettings,
    /// Cost items used.
    pub costs: Vec<CostItem>,
    /// Bodies and their counts used.
    pub bodies: Vec<Body>,
    /// The result, with names.
    pub view: SplitView,
}

/// Computes the split of a course from its stored figures.
async fn compute(
    db: &impl ConnectionTrait,
    course: &training::Model,
) -> Result<SplitRecord, TrainingError> {
    let settings: SplitSettings = serde_json::from_str(&course.split_settings)?;
    let costs = stored_costs(db, course.id).await?;
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(course.id))
        .filter(enrolment::Column::Status.eq(ENROLLED))
        .all(db)
        .await?;
    let attended: std::collections::HashSet<i32> = match settings.basis {
        Basis::Enrolled => Default::default(),
        Basis::Attended => attendance::Entity::find()
            .filter(
                attendance::Column::EnrolmentId
                    .is_in(enrolled.iter().map(|e| e.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.enrolment_id)
            .collect(),
    };
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for e in &enrolled {
        if settings.basis == Basis::Enrolled || attended.contains(&e.id) {
            *counts.entry(e.municipality_code.clone()).or_default() += 1;
        }
    }
    let item_costs: Vec<Cost> = costs.iter().map(|c| c.cost).collect();
    let (split, bodies) = course_split(&settings, &course.organiser_code, &item_costs, counts)?;
    let needs_staff = needs_staff(&settings);
    let names = body_names(db, split.lines.iter().map(|l| l.code.clone())).await?;
    let view = SplitView {
        total: split.total,
        lines: split
            .lines
            .iter()
            .map(|l| SplitLineView {
                municipality: l.code.clone(),
                name: names.get(&l.code).cloned().unwrap_or_default(),
                headcount: l.headcount,
                staff: needs_staff.then(|| settings.staff.get(&l.code).copied().unwrap_or(0)),
                shared: l.shared,
                per_head: l.per_head,
                amount: l.amount,
            })
            .collect(),
        description: settings.describe(),
        confirmed: false,
        confirmed_at: None,
    };
    Ok(SplitRecord {
        organiser: course.organiser_code.clone(),
        settings,
        costs,
        bodies,
        view,
    })
}

/// The split as it stands (provisional) or as confirmed. The organiser sees every
/// line; a municipality only its own.
pub async fn split_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<SplitView, AppError> {
    let course = visible(db, auth, id).await?;
    let reader = SplitReader::of(auth, &course)?;
    Ok(reader.filter(current_split(db, &course).await?))
}

/// The confirmed split of a course, or the split its figures give now.
async fn current_split(
    db: &impl ConnectionTrait,
    course: &training::Model,
) -> Result<SplitView, TrainingError> {
    Ok(match &course.confirmed_split {
        Some(frozen) => serde_json::from_str::<SplitRecord>(frozen)?.view,
        None => compute(db, course).await?.view,
    })
}

/// Who reads a split: the organiser sees every line, a town of the course's
/// prefecture its own; anyone else is refused.
struct SplitReader {
    /// 団体コード of the town, unless the reader organises the course.
    own: Option<String>,
}

impl SplitReader {
    fn of(auth: &RequestAuth, course: &training::Model) -> Result<Self, AppError> {
        let actor = auth.signed_in()?;
        if manages(auth, course) {
            return Ok(Self { own: None });
        }
        match (&actor.municipality, actor.role) {
            (Some(code), Role::MuniStaff) if actor.prefecture == course.prefecture_code => {
                Ok(Self {
                    own: Some(code.clone()),
                })
            }
            _ => Err(AppError::Forbidden),
        }
    }

    fn filter(&self, mut view: SplitView) -> SplitView {
        if let Some(own) = &self.own {
            view.lines.retain(|l| &l.municipality == own);
        }
        view
    }
}

/// Confirms (確定) the split: freezes it with every input used and settles the course.
pub async fn confirm_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<SplitView, AppError> {
    let course = managed(db, auth, id).await?;
    let current = status_of(&course);
    if !current.can_become(TrainingStatus::Settled) {
        return Err(TrainingError::State(format!(
            "「{}」の研修の負担金は確定できません(受付終了後に確定できます)。",
            current.label()
        ))
        .into());
    }
    let stamp = now();
    let txn = db.begin().await?;
    let mut record = compute(&txn, &course).await?;
    record.view.confirmed = true;
    record.view.confirmed_at = Some(stamp.to_rfc3339());
    let frozen = serde_json::to_string(&record)?;
    let changed = training::Entity::update_many()
        .col_expr(
            training::Column::Status,
            Expr::value(TrainingStatus::Settled.as_str()),
        )
        .col_expr(training::Column::ConfirmedSplit, Expr::value(frozen))
        .col_expr(training::Column::ConfirmedAt, Expr::value(stamp))
        .col_expr(training::Column::UpdatedAt, Expr::value(stamp))
        .filter(training::Column::Id.eq(id))
        .filter(training::Column::Status.eq(current.as_str()))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(TrainingError::State(
            "研修の状態が同時に変更されました。ページを開き直してください。".into(),
        )
        .into());
    }
    record_status(&txn, auth, &course, current, TrainingStatus::Settled).await?;
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingSplitConfirmed,
        ("training", id.to_string()),
        json!({ "total": record.view.total, "bodies": record.view.lines.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(record.view)
}

/// The notices of a confirmed split the caller may see: all for the organiser, the
/// caller's own for a municipality.
pub async fn notices_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<Vec<Notice>, AppError> {
    let course = visible(db, auth, id).await?;
    let reader = SplitReader::of(auth, &course)?;
    let Some(frozen) = &course.confirmed_split else {
        return Err(TrainingError::State("負担金はまだ確定していません。".into()).into());
    };
    let record: SplitRecord = serde_json::from_str(frozen)?;
    let view = reader.filter(record.view.clone());
    let names = body_names(db, [course.organiser_code.clone()]).await?;
    let weights = match record.settings.method {
        Method::Formula {
            flat,
            participants,
            staff,
        } => Some((flat, participants, staff)),
        _ => None,
    };
    let total_headcount = record.view.lines.iter().map(|l| l.headcount).sum();
    let costs = cost_views(&record.costs);
    Ok(view
        .lines
        .into_iter()
        .filter(|l| l.municipality != course.organiser_code || l.amount > 0)
        .map(|line| Notice {
            training: id,
            title: course.title.clone(),
            organiser_name: names
                .get(&course.organiser_code)
                .cloned()
                .unwrap_or_default(),
            line,
            description: record.view.description.clone(),
            weights,
            total_headcount,
            total: record.view.total,
            costs: costs.clone(),
            confirmed_at: record.view.confirmed_at.clone().unwrap_or_default(),
        })
        .collect())
}

fn cost_views(costs: &[CostItem]) -> Vec<CostView> {
    costs
        .iter()
        .map(|c| {
            let (kind, amount) = c.cost.wire();
            CostView {
                label: c.label.clone(),
                kind: kind.to_owned(),
                amount,
            }
        })
        .collect()
}

/// The notices as CSV (UTF-8 with BOM, so spreadsheet software reads the Japanese).
pub async fn notices_csv_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<Vec<u8>, AppError> {
    let notices = notices_for(db, auth, id).await?;
    let header = [
        "団体コード",
        "団体名",
        "研修名",
        "按分方法",
        "按分の基礎人数",
        "職員数",
        "共通経費負担額",
        "受講者経費",
        "負担金額",
        "確定日時",
    ];
    let rows = notices.iter().map(|n| {
        [
            n.line.municipality.clone(),
            n.line.name.clone(),
            n.title.clone(),
            n.description.clone(),
            n.line.headcount.to_string(),
            n.line.staff.map(|s| s.to_string()).unwrap_or_default(),
            n.line.shared.to_string(),
            n.line.per_head.to_string(),
            n.line.amount.to_string(),
            n.confirmed_at.clone(),
        ]
    });
    Ok(crate::services::csv_file::write_csv(&header, rows)?)
}

/// The catalogue: every course past draft in the caller's prefecture (or, signed
/// out, every prefecture), plus the drafts the caller organises, soonest first.
pub async fn list_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
) -> Result<Vec<TrainingSummary>, AppError> {
    let mut query = training::Entity::find().order_by_desc(training::Column::Id);
    if let Some(actor) = &auth.actor {
        query = query.filter(training::Column::PrefectureCode.eq(actor.prefecture.clone()));
    }
    let courses: Vec<training::Model> = query
        .all(db)
        .await?
        .into_iter()
        .filter(|c| status_of(c) != TrainingStatus::Draft || manages(auth, c))
        .collect();
    let mut summaries = summaries(db, &courses).await?;
    summaries.sort_by(|a, b| a.first_session.cmp(&b.first_session).then(a.id.cmp(&b.id)));
    Ok(summaries)
}

async fn summaries(
    db: &impl ConnectionTrait,
    courses: &[training::Model],
) -> Result<Vec<TrainingSummary>, DbErr> {
    let ids: Vec<i32> = courses.iter().map(|c| c.id).collect();
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.is_in(ids.clone()))
        .order_by_asc(training_session::Column::StartsAt)
        .all(db)
        .await?;
    let mut counts: HashMap<(i32, String), u32> = HashMap::new();
    for e in enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.is_in(ids))
        .filter(enrolment::Column::Status.ne(CANCELLED))
        .all(db)
        .await?
    {
        *counts.entry((e.training_id, e.status)).or_default() += 1;
    }
    let names = body_names(db, courses.iter().map(|c| c.organiser_code.clone())).await?;
    Ok(courses
        .iter()
        .map(|c| {
            let own: Vec<&training_session::Model> =
                sessions.iter().filter(|s| s.training_id == c.id).collect();
            let status = status_of(c);
            TrainingSummary {
                id: c.id,
                title: c.title.clone(),
                target: c.target.clone(),
                organiser: c.organiser_code.clone(),
                organiser_name: names.get(&c.organiser_code).cloned().unwrap_or_default(),
                status: status.as_str().to_owned(),
                status_label: status.label().to_owned(),
                capacity: u32::try_from(c.capacity).unwrap_or(0),
                enrolled: counts
                    .get(&(c.id, ENROLLED.to_owned()))
                    .copied()
                    .unwrap_or(0),
                waitlisted: counts
                    .get(&(c.id, WAITLISTED.to_owned()))
                    .copied()
                    .unwrap_or(0),
                first_session: own
                    .first()
                    .map(|s| s.starts_at.with_timezone(&jst()).to_rfc3339()),
                sessions: u32::try_from(own.len()).unwrap_or(0),
                enrol_until: c.enrol_until.map(|d| d.to_string()),
            }
        })
        .collect())
}

/// A course with its sessions, costs and the enrolments the caller may see.
pub async fn detail_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
) -> Result<TrainingDetail, AppError> {
    let course = visible(db, auth, id).await?;
    let organiser = manages(auth, &course);
    let own_town = auth
        .actor
        .as_ref()
        .filter(|a| a.role == Role::MuniStaff && a.prefecture == course.prefecture_code)
        .and_then(|a| a.municipality.clone());
    let summary = summaries(db, std::slice::from_ref(&course))
        .await?
        .into_iter()
        .next()
        .ok_or(TrainingError::NotFound)?;
    let sessions: Vec<SessionView> = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(id))
        .order_by_asc(training_session::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .zip(1u32..)
        .map(|(s, number)| SessionView {
            id: s.id,
            number,
            starts_at: s.starts_at.with_timezone(&jst()).to_rfc3339(),
            ends_at: s.ends_at.with_timezone(&jst()).to_rfc3339(),
            place: s.place,
            online: s.online,
            content: s.content,
        })
        .collect();
    let settings: SplitSettings = serde_json::from_str(&course.split_settings)?;
    let record = stored_costs(db, id).await?;
    let enrolments = if organiser || own_town.is_some() {
        let mut query = enrolment::Entity::find()
            .filter(enrolment::Column::TrainingId.eq(id))
            .order_by_asc(enrolment::Column::Seq);
        if !organiser && let Some(town) = &own_town {
            query = query.filter(enrolment::Column::MunicipalityCode.eq(town.clone()));
        }
        let rows = query.all(db).await?;
        let present = attendance::Entity::find()
            .filter(
                attendance::Column::EnrolmentId
                    .is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        let names = body_names(db, rows.iter().map(|r| r.municipality_code.clone())).await?;
        rows.into_iter()
            .map(|r| {
                let attended = present
                    .iter()
                    .filter(|a| a.enrolment_id == r.id)
                    .map(|a| a.session_id)
                    .collect();
                let name = names.get(&r.municipality_code).cloned().unwrap_or_default();
                enrolment_view(r, &name, attended)
            })
            .collect()
    } else {
        Vec::new()
    };
    // The split as it stands, for those who may read it; why there is none yet
    // (no enrolments, a staff count missing) is shown instead of an error page.
    let (shares, split_problem) = match SplitReader::of(auth, &course) {
        Ok(reader) if organiser || status_of(&course) != TrainingStatus::Draft => {
            match current_split(db, &course).await {
                Ok(view) => (Some(reader.filter(view)), None),
                Err(error @ (TrainingError::Db(_) | TrainingError::Json(_))) => {
                    return Err(error.into());
                }
                Err(error) => (None, Some(error.to_string())),
            }
        }
        _ => (None, None),
    };
    let can_enrol = own_town.is_some()
        && status_of(&course).takes_enrolments()
        && course
            .enrol_until
            .is_none_or(|last| now().date_naive() <= last);
    Ok(TrainingDetail {
        summary,
        description: course.description.clone(),
        cancel_until: course.cancel_until.map(|d| d.to_string()),
        sessions,
        costs: cost_views(&record),
        split_description: settings.describe(),
        split: settings,
        enrolments,
        can_manage: organiser,
        can_enrol,
        shares,
        split_problem,
        confirmed_at: course
            .confirmed_at
            .map(|t| t.with_timezone(&jst()).to_rfc3339()),
    })
}

/// The cost items of a course, in order.
async fn stored_costs(db: &impl ConnectionTrait, id: i32) -> Result<Vec<CostItem>, DbErr> {
    Ok(training_cost::Entity::find()
        .filter(training_cost::Column::TrainingId.eq(id))
        .order_by_asc(training_cost::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(cost_item)
        .collect())
}

fn cost_item(c: training_cost::Model) -> CostItem {
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

/// The courses a municipality has staff in (cancelled-only ones left out), newest
/// first: its seats, its waitlist, who was moved up, and its confirmed 負担金. The
/// caller has already been allowed to see the municipality.
pub async fn town_trainings(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Vec<TownTraining>, DbErr> {
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::MunicipalityCode.eq(code))
        .filter(enrolment::Column::Status.ne(CANCELLED))
        .order_by_asc(enrolment::Column::Seq)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.training_id).collect();
    let courses = training::Entity::find()
        .filter(training::Column::Id.is_in(ids))
        .order_by_desc(training::Column::Id)
        .all(db)
        .await?;
    Ok(courses
        .into_iter()
        .map(|c| {
            let own = rows.iter().filter(|r| r.training_id == c.id);
            let count = |status: &str| {
                u32::try_from(own.clone().filter(|r| r.status == status).count())
                    .unwrap_or(u32::MAX)
            };
            let amount = c
                .confirmed_split
                .as_deref()
                .and_then(|frozen| serde_json::from_str::<SplitRecord>(frozen).ok())
                .and_then(|record| {
                    record
                        .view
                        .lines
                        .into_iter()
                        .find(|l| l.municipality == code)
                        .map(|l| l.amount)
                });
            TownTraining {
                id: c.id,
                title: c.title.clone(),
                status_label: status_of(&c).label().to_owned(),
                enrolled: count(ENROLLED),
                waitlisted: count(WAITLISTED),
                promoted: own
                    .clone()
                    .filter(|r| r.status == ENROLLED && r.promoted_at.is_some())
                    .map(|r| r.name.clone())
                    .collect(),
                amount,
            }
        })
        .collect())
}
