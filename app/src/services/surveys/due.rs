//! "照会の期限が近い": once per 照会, when its deadline is near and some towns
//! have not submitted, the prefecture's webhooks are told.

use chrono::Days;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use crate::api::surveys::AnswerState;
use crate::domain::wareki::wareki_date;
use crate::domain::webhook::{Event, EventKind};
use crate::entities::{survey, survey_answer};
use crate::error::AppError;

/// Days before the deadline the reminder goes out.
pub const DUE_SOON_DAYS: u64 = 2;

/// Writes the "due soon" event of every 照会 whose deadline is within
/// [`DUE_SOON_DAYS`] days and not told yet (each exactly once, even with two
/// workers). Returns how many were told.
pub async fn announce_due(db: &DatabaseConnection) -> Result<usize, AppError> {
    let today = crate::services::today();
    let until = today + Days::new(DUE_SOON_DAYS);
    let due = survey::Entity::find()
        .filter(survey::Column::DueSent.eq(false))
        .filter(survey::Column::Deadline.gte(today))
        .filter(survey::Column::Deadline.lte(until))
        .all(db)
        .await?;
    let mut told = 0;
    for row in due {
        let txn = db.begin().await?;
        let taken = survey::Entity::update_many()
            .col_expr(survey::Column::DueSent, Expr::value(true))
            .filter(survey::Column::Id.eq(row.id))
            .filter(survey::Column::DueSent.eq(false))
            .exec(&txn)
            .await?;
        if taken.rows_affected == 0 {
            continue;
        }
        let missing = survey_answer::Entity::find()
            .filter(survey_answer::Column::SurveyId.eq(row.id))
            .filter(survey_answer::Column::State.ne(AnswerState::Submitted.key()))
            .count(&txn)
            .await?;
        if missing > 0 {
            let event = Event {
                kind: EventKind::SurveyDue,
                prefecture: row.prefecture_code.clone(),
                text: format!(
                    "照会「{}」の回答期限({})が近づいています(未提出 {missing} 市町村)",
                    row.title,
                    wareki_date(row.deadline)
                ),
                path: format!("/surveys/{}", row.id),
                data: serde_json::json!({"id": row.id, "title": row.title, "missing": missing}),
            };
            crate::services::webhooks::outbox::enqueue(&txn, &event).await?;
            told += 1;
        }
        txn.commit().await?;
    }
    Ok(told)
}
