//! What the catalogue, the course page and a town's home page show.

use super::*;
use crate::domain::local_gov::LocalGovCode;

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

pub(super) async fn summaries(
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
                id: CourseId(c.id),
                title: c.title.clone(),
                target: c.target.clone(),
                organiser: LocalGovCode::from_stored(c.organiser_code.clone()),
                organiser_name: names.get(&c.organiser_code).cloned().unwrap_or_default(),
                status,
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
                first_session: own.first().map(|s| s.starts_at.with_timezone(&jst())),
                sessions: u32::try_from(own.len()).unwrap_or(0),
                enrol_until: c.enrol_until,
            }
        })
        .collect())
}

/// A course with its sessions, costs and the enrolments the caller may see.
// Long: what each caller may see of a course is decided here in one place.
pub async fn detail_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
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
            id: SessionId(s.id),
            number,
            starts_at: s.starts_at.with_timezone(&jst()),
            ends_at: s.ends_at.with_timezone(&jst()),
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
    let billing = if organiser {
        billing_of(db, CourseId(course.id)).await?
    } else {
        None
    };
    Ok(TrainingDetail {
        billing,
        summary,
        description: course.description.clone(),
        cancel_until: course.cancel_until,
        sessions,
        costs: cost_views(&record),
        split_description: settings.describe(),
        split: settings,
        enrolments,
        can_manage: organiser,
        can_enrol,
        shares,
        split_problem,
        confirmed_at: course.confirmed_at.map(|t| t.with_timezone(&jst())),
    })
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
    let mut first: HashMap<i32, chrono::NaiveDate> = HashMap::new();
    for s in training_session::Entity::find()
        .filter(
            training_session::Column::TrainingId
                .is_in(courses.iter().map(|c| c.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
    {
        let day = s.starts_at.with_timezone(&jst()).date_naive();
        first
            .entry(s.training_id)
            .and_modify(|d| *d = std::cmp::min(*d, day))
            .or_insert(day);
    }
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
                        .find(|l| l.municipality == *code)
                        .map(|l| l.amount)
                });
            TownTraining {
                id: CourseId(c.id),
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
                starts_on: first.get(&c.id).copied(),
            }
        })
        .collect())
}
