//! Creating and changing courses: the form, the draft, edits and the life cycle.

use super::*;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::training::input::TrainingDraft;
use sea_orm::DatabaseTransaction;

/// What the course form needs: who will organise the new course. Refused to
/// anyone who may not organise one.
pub async fn course_form_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
) -> Result<CourseFormContext, AppError> {
    let actor = auth.signed_in()?;
    let organiser = own_body(actor);
    auth.authorize(Action::ManageTraining, &organised_by(actor, &organiser))?;
    let names = body_names(db, std::iter::once(organiser.clone())).await?;
    Ok(CourseFormContext {
        organiser_name: names.get(&organiser).cloned().unwrap_or_default(),
        organiser: LocalGovCode::from_stored(organiser),
    })
}

/// Creates a course in the caller's prefecture, organised by the caller's own body
/// unless `organiser` names a municipality of it. It starts as a draft.
pub async fn create_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &TrainingInput,
) -> Result<CourseId, AppError> {
    let actor = auth.signed_in()?;
    // Authorised before the input is read: someone who may not organise is
    // refused whatever they sent.
    let organiser = input
        .organiser
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| own_body(actor), str::to_owned);
    auth.authorize(Action::ManageTraining, &organised_by(actor, &organiser))?;
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
        prefecture_code: Set(actor.prefecture.to_string()),
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
    let id = CourseId(created.last_insert_id);
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
    id: CourseId,
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
    write_course(&txn, id, &draft).await?;
    write_sessions(&txn, id, &draft.sessions).await?;
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

/// The course row's fields from the form, its version bumped.
async fn write_course(
    txn: &DatabaseTransaction,
    id: CourseId,
    draft: &TrainingDraft,
) -> Result<(), AppError> {
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
        .exec(txn)
        .await?;
    Ok(())
}

/// The sessions from the form, position by position: kept ones changed in place
/// (their attendance stays), extra ones added, missing ones removed unless
/// someone's attendance was recorded there.
async fn write_sessions(
    txn: &DatabaseTransaction,
    id: CourseId,
    sessions: &[SessionDraft],
) -> Result<(), AppError> {
    let stored = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(id))
        .order_by_asc(training_session::Column::Position)
        .all(txn)
        .await?;
    for (old, new) in stored.iter().zip(sessions) {
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
            .exec(txn)
            .await?;
    }
    for (index, old) in stored.iter().enumerate().skip(sessions.len()) {
        let attended = attendance::Entity::find()
            .filter(attendance::Column::SessionId.eq(old.id))
            .count(txn)
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
            .exec(txn)
            .await?;
    }
    if let Some(added) = sessions.get(stored.len()..) {
        let first = i32::try_from(stored.len()).unwrap_or(i32::MAX);
        insert_sessions(txn, id, added, first).await?;
    }
    Ok(())
}

/// A stored course as its form shows it, for the organiser to change.
// Long: the stored course turned back into its form, field by field.
pub async fn edit_form_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
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
            organiser: LocalGovCode::from_stored(course.organiser_code.clone()),
        },
        values,
    })
}

/// Moves a course to `next` (open, close, mark held); confirming is [`confirm_for`].
pub async fn transition_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
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
        return Err(changed_meanwhile());
    }
    record_status(&txn, auth, &course, current, next).await?;
    if next == TrainingStatus::Open {
        let event = crate::domain::webhook::Event {
            kind: crate::domain::webhook::EventKind::TrainingOpened,
            prefecture: course.prefecture_code.clone(),
            text: format!("共同研修「{}」の申込受付を始めました", course.title),
            path: format!("/trainings/{}", course.id),
            data: json!({"id": course.id, "title": course.title}),
        };
        crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
    }
    txn.commit().await?;
    Ok(next)
}

pub(super) async fn record_status(
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
