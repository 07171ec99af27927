//! A town saves or submits its answer; the 県 reopens one after the deadline.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Access, access};
use crate::api::surveys::{AnswerInput, AnswerState};
use crate::auth::RequestAuth;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::domain::survey::{Answer, may_edit, parse_answers};
use crate::domain::wareki::wareki_date;
use crate::entities::survey_answer;
use crate::error::AppError;

/// The row of `town` for this 照会, once the caller may answer for that town.
/// A town the 照会 was not sent to is refused like any other stranger.
async fn town_row(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    access: &Access,
    town: &LocalGovCode,
) -> Result<survey_answer::Model, AppError> {
    auth.authorize(
        Action::AnswerSurvey,
        &Resource::Municipality {
            prefecture: LocalGovCode::from_stored(access.survey.prefecture_code.clone()),
            code: town.clone(),
        },
    )?;
    survey_answer::Entity::find_by_id((access.survey.id, town.to_string()))
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)
}

/// The caller's own town's row.
pub(super) async fn own_row(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    access: &Access,
) -> Result<survey_answer::Model, AppError> {
    let town = auth
        .signed_in()?
        .municipality
        .clone()
        .ok_or(AppError::Forbidden)?;
    town_row(db, auth, access, &town).await
}

/// Saves `town`'s answer as a draft or submits it. Only that town's staff, only
/// until the deadline (or after the 県 reopened it), only from the current
/// version when the form sent one. Returns the new version.
pub async fn answer_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: i32,
    town: &LocalGovCode,
    input: &AnswerInput,
) -> Result<i32, AppError> {
    let access = access(db, auth, id).await?;
    let row = town_row(db, auth, &access, town).await?;
    if !may_edit(
        access.survey.deadline,
        crate::services::today(),
        row.reopened,
    ) {
        return Err(AppError::conflict(
            "deadline",
            format!(
                "回答期限({})を過ぎたため変更できません。変更が必要なら県に再開を依頼してください。",
                wareki_date(access.survey.deadline)
            ),
        ));
    }
    AppError::check_version(input.version, row.version)?;
    let submitted = AnswerState::from_key(&row.state) == AnswerState::Submitted;
    if submitted && !input.submit {
        return Err(AppError::invalid(
            "submit",
            "提出済みの回答は下書きに戻せません。変更するときは「提出する」を押してください。",
        ));
    }
    let answers = parse_answers(&access.questions, &input.answers, input.submit)?;
    let stored = serde_json::to_string(&answers.iter().map(Answer::to_json).collect::<Vec<_>>())?;
    let now = Utc::now().fixed_offset();
    let state = if input.submit {
        AnswerState::Submitted
    } else {
        AnswerState::Draft
    };
    let mut update = survey_answer::Entity::update_many()
        .col_expr(survey_answer::Column::State, Expr::value(state.key()))
        .col_expr(survey_answer::Column::Answers, Expr::value(stored))
        .col_expr(
            survey_answer::Column::AnsweredBy,
            Expr::value(auth.signed_in()?.account_id.get()),
        )
        .col_expr(survey_answer::Column::UpdatedAt, Expr::value(now))
        .col_expr(survey_answer::Column::Version, Expr::value(row.version + 1));
    if input.submit {
        update = update
            .col_expr(survey_answer::Column::SubmittedAt, Expr::value(now))
            .col_expr(survey_answer::Column::Reopened, Expr::value(false));
    }
    // On the row as read: a save that raced with another gets 409, not a lost update.
    let done = update
        .filter(survey_answer::Column::SurveyId.eq(id))
        .filter(survey_answer::Column::MunicipalityCode.eq(town.as_str()))
        .filter(survey_answer::Column::Version.eq(row.version))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::stale());
    }
    Ok(row.version + 1)
}

/// Lets `town` change its answer again (the 県): after the deadline it may edit
/// until it submits; a submitted answer goes back to a draft.
pub async fn reopen_for(
    db: &impl ConnectionTrait,
    auth: &RequestAuth,
    id: i32,
    town: &LocalGovCode,
) -> Result<(), AppError> {
    let access = access(db, auth, id).await?;
    if !access.runner {
        return Err(AppError::Forbidden);
    }
    let row = survey_answer::Entity::find_by_id((id, town.to_string()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("この市町村には照会していません。"))?;
    let state = match AnswerState::from_key(&row.state) {
        AnswerState::Submitted => AnswerState::Draft,
        other => other,
    };
    survey_answer::Entity::update_many()
        .col_expr(survey_answer::Column::State, Expr::value(state.key()))
        .col_expr(survey_answer::Column::Reopened, Expr::value(true))
        .col_expr(survey_answer::Column::Version, Expr::value(row.version + 1))
        .filter(survey_answer::Column::SurveyId.eq(id))
        .filter(survey_answer::Column::MunicipalityCode.eq(town.as_str()))
        .exec(db)
        .await?;
    Ok(())
}
