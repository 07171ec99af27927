//! Enrolments: seats in arrival order, the waitlist, cancellation and attendance.

use super::*;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::training::input::Trainee;
use crate::domain::training::{EnrolmentStatus, Seating};

/// Enrols staff of the caller's municipality, in the order sent: the seats left go
/// to the first, the rest join the waitlist behind everyone already waiting.
pub async fn enrol_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
    request: &EnrolRequest,
) -> Result<EnrolResult, AppError> {
    let actor = auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    let town = enrolling_town(db, auth, &course, request).await?;
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
    let txn = db.begin().await?;
    let (seats, seating) = take_seats(&txn, &course, &town.code, &trainees, actor).await?;
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingEnrolled,
        ("training", id.to_string()),
        json!({
            "municipality": town.code,
            "enrolled": seating.enrolled,
            "waitlisted": seating.waitlisted,
        }),
    )
    .await?;
    let rows = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Seq.between(*seats.start(), *seats.end()))
        .order_by_asc(enrolment::Column::Seq)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let (enrolled, waitlisted) = rows
        .into_iter()
        .map(|r| enrolment_view(r, &town.name, Vec::new()))
        .partition(|v| v.status == EnrolmentStatus::Enrolled);
    Ok(EnrolResult {
        enrolled,
        waitlisted,
    })
}

/// The municipality the staff are sent by (the caller's own when none is named),
/// once the caller may enrol for it and the course is for its prefecture.
async fn enrolling_town(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    course: &training::Model,
    request: &EnrolRequest,
) -> Result<municipality::Model, AppError> {
    let actor = auth.signed_in()?;
    // Only a town's staff enrol, so a caller of no town naming none is refused.
    let code = request
        .municipality
        .clone()
        .or_else(|| actor.municipality.clone().map(String::from))
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
    let resource = Resource::Municipality {
        prefecture: LocalGovCode::from_stored(town.prefecture_code.clone()),
        code: LocalGovCode::from_stored(code),
    };
    if auth.authorize(Action::EnrolTraining, &resource).is_err() {
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
    Ok(town)
}

/// Takes arrival numbers for the trainees (the course row's counter, bumped only
/// while it is open, so concurrent requests queue on it) and stores them seated
/// or waiting. Returns their arrival numbers and the seating.
async fn take_seats(
    txn: &sea_orm::DatabaseTransaction,
    course: &training::Model,
    town: &str,
    trainees: &[Trainee],
    actor: &crate::domain::account::Actor,
) -> Result<(std::ops::RangeInclusive<i64>, Seating), AppError> {
    let id = CourseId(course.id);
    let count = i64::try_from(trainees.len()).unwrap_or(i64::MAX);
    let bumped = training::Entity::update_many()
        .col_expr(
            training::Column::ArrivalSeq,
            Expr::col(training::Column::ArrivalSeq).add(count),
        )
        .filter(training::Column::Id.eq(id))
        .filter(training::Column::Status.eq(TrainingStatus::Open.as_str()))
        .exec(txn)
        .await?;
    if bumped.rows_affected == 0 {
        return Err(TrainingError::State("この研修は受付を終了しました。".into()).into());
    }
    let last_seq = training::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(TrainingError::NotFound)?
        .arrival_seq;
    let taken = count_status(txn, id, ENROLLED).await?;
    let waiting = count_status(txn, id, WAITLISTED).await?;
    let capacity = u32::try_from(course.capacity).unwrap_or(0);
    let requested = u32::try_from(trainees.len()).unwrap_or(u32::MAX);
    let seating = seat(capacity, taken, waiting, requested);
    let first_seq = last_seq - count + 1;
    let stamp = now();
    enrolment::Entity::insert_many(trainees.iter().zip(0u32..).map(|(t, i)| {
        enrolment::ActiveModel {
            id: NotSet,
            training_id: Set(id.get()),
            municipality_code: Set(town.to_owned()),
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
            enrolled_by: Set(Some(actor.account_id.get())),
            created_at: Set(stamp),
            promoted_at: Set(None),
            cancelled_at: Set(None),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    Ok((first_seq..=last_seq, seating))
}

pub(super) async fn count_status(
    db: &impl ConnectionTrait,
    id: CourseId,
    status: &str,
) -> Result<u32, AppError> {
    let n = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(status))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn enrolment_view(
    row: enrolment::Model,
    town: &str,
    attended: Vec<i32>,
) -> EnrolmentView {
    EnrolmentView {
        id: EnrolmentId(row.id),
        municipality: LocalGovCode::from_stored(row.municipality_code),
        municipality_name: town.to_owned(),
        name: row.name,
        position: row.job_title,
        status: EnrolmentStatus::parse(&row.status).unwrap_or(EnrolmentStatus::Cancelled),
        seq: row.seq,
        promoted: row.promoted_at.is_some(),
        attended: attended.into_iter().map(SessionId).collect(),
    }
}

/// Cancels an enrolment. The municipality may cancel its own staff until the
/// cancellation deadline, the organiser at any time before the course is held. A
/// freed seat goes to the first on the waitlist, whose municipality sees the
/// promotion on the course page and in the audit log.
// Long: cancel and move the waitlist up in one transaction, which must read as one.
pub async fn cancel_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
    enrolment_id: EnrolmentId,
) -> Result<CancelResult, AppError> {
    let actor = auth.signed_in()?;
    let course = visible(db, auth, id).await?;
    let row = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .filter(|e| e.training_id == id.get())
        .ok_or(TrainingError::EnrolmentNotFound)?;
    let organiser = manages(auth, &course);
    if !organiser {
        auth.authorize(
            Action::EnrolTraining,
            &Resource::Municipality {
                prefecture: LocalGovCode::from_stored(course.prefecture_code.clone()),
                code: LocalGovCode::from_stored(row.municipality_code.clone()),
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
    id: CourseId,
    session_id: SessionId,
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
        .filter(|s| s.training_id == id.get())
        .ok_or_else(|| AppError::not_found("この研修の日程が見つかりません。"))?;
    let enrolled: Vec<i32> = enrolment::Entity::find()
        .filter(enrolment::Column::TrainingId.eq(id))
        .filter(enrolment::Column::Status.eq(ENROLLED))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut present: Vec<i32> = request.present.iter().map(|p| p.get()).collect();
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
