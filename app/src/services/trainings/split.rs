//! The split of a course's costs: provisional, confirmed (frozen), and the 負担金 notices.

use super::*;
use crate::domain::local_gov::LocalGovCode;

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
pub(super) async fn compute(
    db: &impl ConnectionTrait,
    course: &training::Model,
) -> Result<SplitRecord, TrainingError> {
    let settings: SplitSettings = serde_json::from_str(&course.split_settings)?;
    let costs = stored_costs(db, CourseId(course.id)).await?;
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
                municipality: LocalGovCode::from_stored(l.code.clone()),
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
    id: CourseId,
) -> Result<SplitView, AppError> {
    let course = visible(db, auth, id).await?;
    let reader = SplitReader::of(auth, &course)?;
    Ok(reader.filter(current_split(db, &course).await?))
}

/// The confirmed split of a course, or the split its figures give now.
pub(super) async fn current_split(
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
pub(super) struct SplitReader {
    /// 団体コード of the town, unless the reader organises the course.
    own: Option<String>,
}

impl SplitReader {
    pub(super) fn of(auth: &RequestAuth, course: &training::Model) -> Result<Self, AppError> {
        let actor = auth.signed_in()?;
        if manages(auth, course) {
            return Ok(Self { own: None });
        }
        match (&actor.municipality, actor.role) {
            (Some(code), Role::MuniStaff) if actor.prefecture == course.prefecture_code => {
                Ok(Self {
                    own: Some(code.to_string()),
                })
            }
            _ => Err(AppError::Forbidden),
        }
    }

    pub(super) fn filter(&self, mut view: SplitView) -> SplitView {
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
    id: CourseId,
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
    record.view.confirmed_at = Some(stamp);
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
        return Err(changed_meanwhile());
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
    let event = crate::domain::webhook::Event {
        kind: crate::domain::webhook::EventKind::SplitConfirmed,
        prefecture: course.prefecture_code.clone(),
        text: format!(
            "共同研修「{}」の負担金が確定しました({}団体)",
            course.title,
            record.view.lines.len()
        ),
        path: format!("/trainings/{}", course.id),
        data: json!({"id": course.id, "title": course.title, "total": record.view.total}),
    };
    crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
    txn.commit().await?;
    Ok(record.view)
}

/// The notices of a confirmed split the caller may see: all for the organiser, the
/// caller's own for a municipality.
pub async fn notices_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
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
    let billing = billing_of(db, id).await?;
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
            confirmed_at: record.view.confirmed_at.unwrap_or_default(),
            billing: billing.clone(),
        })
        .collect())
}

pub(super) fn cost_views(costs: &[CostItem]) -> Vec<CostView> {
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
    id: CourseId,
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
            n.line.municipality.to_string(),
            n.line.name.clone(),
            n.title.clone(),
            n.description.clone(),
            n.line.headcount.to_string(),
            n.line.staff.map(|s| s.to_string()).unwrap_or_default(),
            n.line.shared.to_string(),
            n.line.per_head.to_string(),
            n.line.amount.to_string(),
            n.confirmed_at.to_rfc3339(),
        ]
    });
    Ok(crate::services::csv_file::write_csv(&header, rows)?)
}

/// The confirmed 負担金 of each town of a prefecture for the courses of a 年度
/// (a course belongs to the 年度 of its first session, in JST), in yen. The caller
/// has already been allowed to see the prefecture's towns.
pub async fn charges_by_town(
    db: &impl ConnectionTrait,
    prefecture: &str,
    year: crate::domain::wareki::FiscalYear,
) -> Result<HashMap<String, u64>, DbErr> {
    let courses = training::Entity::find()
        .filter(training::Column::PrefectureCode.eq(prefecture))
        .filter(training::Column::ConfirmedSplit.is_not_null())
        .all(db)
        .await?;
    let sessions = training_session::Entity::find()
        .filter(
            training_session::Column::TrainingId
                .is_in(courses.iter().map(|c| c.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let mut first: HashMap<i32, chrono::NaiveDate> = HashMap::new();
    for s in &sessions {
        let day = s.starts_at.with_timezone(&jst()).date_naive();
        first
            .entry(s.training_id)
            .and_modify(|d| *d = std::cmp::min(*d, day))
            .or_insert(day);
    }
    let mut charges: HashMap<String, u64> = HashMap::new();
    for course in courses {
        let held = first.get(&course.id).copied().or_else(|| {
            course
                .confirmed_at
                .map(|at| at.with_timezone(&jst()).date_naive())
        });
        if held.map(crate::domain::wareki::FiscalYear::of) != Some(year) {
            continue;
        }
        let Some(record) = course
            .confirmed_split
            .as_deref()
            .and_then(|frozen| serde_json::from_str::<SplitRecord>(frozen).ok())
        else {
            continue;
        };
        for line in record.view.lines {
            let total = charges.entry(line.municipality.to_string()).or_default();
            *total = total.saturating_add(line.amount);
        }
    }
    Ok(charges)
}
