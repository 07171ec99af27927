//! 照会: the 県 asks its towns the same questions by a deadline; each town keeps
//! one answer (a draft until submitted, editable until the deadline, after it
//! only when the 県 reopens it); the 県 reads every answer and the figures.

mod answers;
mod due;
mod export;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

pub use answers::{answer_for, reopen_for};
pub use due::{DUE_SOON_DAYS, announce_due};
pub use export::{answers_csv_for, answers_xlsx_for};

use crate::api::surveys::{
    AnswerState, SurveyInput, SurveyList, SurveyResults, SurveySummary, SurveyView, TownAnswer,
};
use crate::auth::RequestAuth;
use crate::domain::account::Role;
use crate::domain::calendar::japanese_datetime;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource, can};
use crate::domain::survey::{Question, aggregate, may_edit, parse_survey, stored_answers};
use crate::domain::wareki::wareki_date;
use crate::domain::webhook::{Event, EventKind};
use crate::entities::{account, municipality, survey, survey_answer};
use crate::error::AppError;

fn prefecture(code: &str) -> Resource {
    Resource::Prefecture {
        code: LocalGovCode::from_stored(code.to_owned()),
    }
}

/// Makes a 照会 for the caller's prefecture's towns (its 県 staff). Returns its id.
pub async fn create_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &SurveyInput,
) -> Result<i32, AppError> {
    let actor = auth.signed_in()?.clone();
    auth.authorize(Action::RunSurvey, &prefecture(actor.prefecture.as_str()))?;
    let new = parse_survey(input, crate::services::today())?;
    let targets = crate::services::municipalities::recipients_in(
        db,
        actor.prefecture.as_str(),
        new.recipients,
    )
    .await?;
    let towns_asked = targets.len();
    let txn = db.begin().await?;
    let row = survey::ActiveModel {
        prefecture_code: Set(actor.prefecture.to_string()),
        title: Set(new.title),
        instructions: Set(new.instructions),
        deadline: Set(new.deadline),
        questions: Set(serde_json::to_string(&new.questions)?),
        author_id: Set(actor.account_id.get()),
        created_at: Set(Utc::now().fixed_offset()),
        due_sent: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    survey_answer::Entity::insert_many(targets.into_iter().map(|code| {
        survey_answer::ActiveModel {
            survey_id: Set(row.id),
            municipality_code: Set(code),
            state: Set(AnswerState::None.key().to_owned()),
            answers: Set(None),
            answered_by: Set(None),
            updated_at: Set(None),
            submitted_at: Set(None),
            reopened: Set(false),
            version: Set(0),
        }
    }))
    .exec(&txn)
    .await?;
    let event = Event {
        kind: EventKind::SurveyCreated,
        prefecture: row.prefecture_code.clone(),
        text: format!(
            "照会: {}(回答期限 {})",
            row.title,
            wareki_date(row.deadline)
        ),
        path: format!("/surveys/{}", row.id),
        data: serde_json::json!({
            "id": row.id,
            "title": row.title,
            "deadline": row.deadline.format("%Y-%m-%d").to_string(),
            "towns": towns_asked,
        }),
    };
    crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// The display names of these accounts.
async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

fn summary(
    row: &survey::Model,
    answers: &[&survey_answer::Model],
    senders: &HashMap<i32, String>,
    own: bool,
) -> SurveySummary {
    let answered = answers
        .iter()
        .filter(|a| AnswerState::from_key(&a.state) == AnswerState::Submitted)
        .count();
    SurveySummary {
        id: row.id,
        title: row.title.clone(),
        sender: senders.get(&row.author_id).cloned().unwrap_or_default(),
        sent: japanese_datetime(row.created_at),
        deadline: wareki_date(row.deadline),
        deadline_date: row.deadline.format("%Y-%m-%d").to_string(),
        closed: crate::services::today() > row.deadline,
        answered: u32::try_from(answered).unwrap_or(u32::MAX),
        total: u32::try_from(answers.len()).unwrap_or(u32::MAX),
        state: own
            .then(|| answers.first().map(|a| AnswerState::from_key(&a.state)))
            .flatten(),
    }
}

/// The 照会 the 県 made (its staff) or the caller's town must answer, newest first.
pub async fn list_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
) -> Result<SurveyList, AppError> {
    let actor = auth.signed_in()?.clone();
    let runner = can(
        &actor,
        Action::RunSurvey,
        &prefecture(actor.prefecture.as_str()),
    );
    let (surveys, answers) = if runner {
        let surveys = survey::Entity::find()
            .filter(survey::Column::PrefectureCode.eq(actor.prefecture.as_str()))
            .order_by_desc(survey::Column::Id)
            .all(db)
            .await?;
        let answers = survey_answer::Entity::find()
            .filter(
                survey_answer::Column::SurveyId
                    .is_in(surveys.iter().map(|s| s.id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?;
        (surveys, answers)
    } else if let (Role::MuniStaff, Some(town)) = (actor.role, &actor.municipality) {
        let answers = survey_answer::Entity::find()
            .filter(survey_answer::Column::MunicipalityCode.eq(town.as_str()))
            .all(db)
            .await?;
        let surveys = survey::Entity::find()
            .filter(
                survey::Column::Id.is_in(answers.iter().map(|a| a.survey_id).collect::<Vec<_>>()),
            )
            .order_by_desc(survey::Column::Id)
            .all(db)
            .await?;
        (surveys, answers)
    } else {
        return Err(AppError::Forbidden);
    };
    let senders = names_of(db, surveys.iter().map(|s| s.author_id)).await?;
    let mut by_survey: HashMap<i32, Vec<&survey_answer::Model>> = HashMap::new();
    for answer in &answers {
        by_survey.entry(answer.survey_id).or_default().push(answer);
    }
    let items = surveys
        .iter()
        .map(|s| {
            let answers = by_survey.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            summary(s, answers, &senders, !runner)
        })
        .collect();
    Ok(SurveyList {
        items,
        can_run: runner,
        towns: if runner {
            crate::services::municipalities::towns_of(db, actor.prefecture.as_str()).await?
        } else {
            Vec::new()
        },
    })
}

/// The 照会 the town has not submitted yet and may still answer (its home page).
pub async fn open_for_town(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Vec<SurveySummary>, AppError> {
    let answers = survey_answer::Entity::find()
        .filter(survey_answer::Column::MunicipalityCode.eq(code))
        .filter(survey_answer::Column::State.ne(AnswerState::Submitted.key()))
        .all(db)
        .await?;
    let surveys = survey::Entity::find()
        .filter(survey::Column::Id.is_in(answers.iter().map(|a| a.survey_id).collect::<Vec<_>>()))
        .order_by_asc(survey::Column::Deadline)
        .all(db)
        .await?;
    let senders = names_of(db, surveys.iter().map(|s| s.author_id)).await?;
    let today = crate::services::today();
    Ok(surveys
        .iter()
        .filter_map(|s| {
            let answer = answers.iter().find(|a| a.survey_id == s.id)?;
            may_edit(s.deadline, today, answer.reopened)
                .then(|| summary(s, &[answer], &senders, true))
        })
        .collect())
}

/// A 照会 as the caller may see it: whether they run it (its 県) and, for a
/// town it was sent to, that town's row.
pub(crate) struct Access {
    pub survey: survey::Model,
    pub questions: Vec<Question>,
    pub runner: bool,
}

pub(crate) async fn access(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<Access, AppError> {
    let actor = auth.signed_in()?;
    let row = survey::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("照会が見つかりません。"))?;
    let runner = can(actor, Action::RunSurvey, &prefecture(&row.prefecture_code));
    let questions: Vec<Question> = serde_json::from_str(&row.questions)?;
    Ok(Access {
        survey: row,
        questions,
        runner,
    })
}

/// A town's stored row as the API shows it.
pub(crate) fn town_answer(
    access: &Access,
    row: &survey_answer::Model,
    name: String,
    people: &HashMap<i32, String>,
) -> TownAnswer {
    let stored: Vec<serde_json::Value> = row
        .answers
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let answers = stored_answers(&access.questions, &stored);
    let state = AnswerState::from_key(&row.state);
    TownAnswer {
        municipality: LocalGovCode::from_stored(row.municipality_code.clone()),
        name,
        state,
        values: answers.iter().map(|a| a.to_json()).collect(),
        cells: answers.iter().map(|a| a.cell()).collect(),
        answered_by: row.answered_by.and_then(|id| people.get(&id).cloned()),
        submitted_at: row.submitted_at.map(japanese_datetime),
        reopened: row.reopened,
        version: row.version,
        may_edit: may_edit(
            access.survey.deadline,
            crate::services::today(),
            row.reopened,
        ),
    }
}

/// Every town's answer and the figures per question (the 県).
pub(crate) async fn results_of(
    db: &impl ConnectionTrait,
    access: &Access,
) -> Result<SurveyResults, AppError> {
    Ok(results_and_rows(db, access).await?.0)
}

/// [`results_of`] with the stored rows it was made from (the page's summary
/// counts them instead of reading them again).
async fn results_and_rows(
    db: &impl ConnectionTrait,
    access: &Access,
) -> Result<(SurveyResults, Vec<survey_answer::Model>), AppError> {
    let rows = survey_answer::Entity::find()
        .filter(survey_answer::Column::SurveyId.eq(access.survey.id))
        .order_by_asc(survey_answer::Column::MunicipalityCode)
        .all(db)
        .await?;
    let names = crate::services::municipalities::names_of(
        db,
        rows.iter().map(|r| r.municipality_code.clone()),
    )
    .await?;
    let people = names_of(db, rows.iter().filter_map(|r| r.answered_by)).await?;
    let towns: Vec<TownAnswer> = rows
        .iter()
        .map(|r| {
            let name = names.get(&r.municipality_code).cloned().unwrap_or_default();
            town_answer(access, r, name, &people)
        })
        .collect();
    let submitted: Vec<Vec<crate::domain::survey::Answer>> = towns
        .iter()
        .filter(|t| t.state == AnswerState::Submitted)
        .map(|t| stored_answers(&access.questions, &t.values))
        .collect();
    let count = |state| {
        u32::try_from(towns.iter().filter(|t| t.state == state).count()).unwrap_or(u32::MAX)
    };
    let results = SurveyResults {
        answered: count(AnswerState::Submitted),
        drafts: count(AnswerState::Draft),
        total: u32::try_from(towns.len()).unwrap_or(u32::MAX),
        questions: aggregate(&access.questions, &submitted),
        towns,
    };
    Ok((results, rows))
}

/// Every answer and the figures (`GET /api/surveys/{id}/results`; the 県).
pub async fn results_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<SurveyResults, AppError> {
    let access = access(db, auth, id).await?;
    if !access.runner {
        return Err(AppError::Forbidden);
    }
    results_of(db, &access).await
}

/// One 照会: for its 県 with every answer, for a town it was sent to with its own.
pub async fn view_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
) -> Result<SurveyView, AppError> {
    let access = access(db, auth, id).await?;
    let senders = names_of(db, [access.survey.author_id]).await?;
    let (own, results, rows) = if access.runner {
        let (results, rows) = results_and_rows(db, &access).await?;
        (None, Some(results), rows)
    } else {
        let row = answers::own_row(db, auth, &access).await?;
        let name = municipality::Entity::find_by_id(row.municipality_code.clone())
            .one(db)
            .await?
            .map(|m| m.name)
            .unwrap_or_default();
        let people = names_of(db, row.answered_by).await?;
        (
            Some(town_answer(&access, &row, name, &people)),
            None,
            vec![row],
        )
    };
    let refs: Vec<&survey_answer::Model> = rows.iter().collect();
    Ok(SurveyView {
        summary: summary(&access.survey, &refs, &senders, !access.runner),
        instructions: access.survey.instructions.clone(),
        questions: access.questions,
        own,
        results,
    })
}
