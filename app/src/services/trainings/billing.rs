//! What a course's 負担金 notices say besides the amounts (issuer, contact, payment
//! deadline and account): set by the organiser at any time, even after 確定, since
//! it changes no amount.

use sea_orm::sea_query::OnConflict;

use super::*;
use crate::api::trainings::{BillingInput, BillingView};
use crate::domain::training::billing::parse_billing;
use crate::entities::training_billing;

/// The notice details of a course, if the organiser has set them.
pub async fn billing_of(
    db: &impl ConnectionTrait,
    id: CourseId,
) -> Result<Option<BillingView>, DbErr> {
    Ok(training_billing::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(|row| BillingView {
            issuer: row.issuer,
            contact: row.contact,
            payment_due: row.payment_due,
            payment_account: row.payment_account,
        }))
}

/// Sets the notice details of a course the caller organises (one row per course,
/// written whole).
pub async fn set_billing_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: CourseId,
    input: &BillingInput,
) -> Result<BillingView, AppError> {
    let course = managed(db, auth, id).await?;
    let billing = parse_billing(input).map_err(TrainingError::from)?;
    let txn = db.begin().await?;
    training_billing::Entity::insert(training_billing::ActiveModel {
        training_id: Set(course.id),
        issuer: Set(billing.issuer.clone()),
        contact: Set(billing.contact.clone()),
        payment_due: Set(billing.payment_due),
        payment_account: Set(billing.payment_account.clone()),
        updated_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(training_billing::Column::TrainingId)
            .update_columns([
                training_billing::Column::Issuer,
                training_billing::Column::Contact,
                training_billing::Column::PaymentDue,
                training_billing::Column::PaymentAccount,
                training_billing::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit_event(
        &txn,
        auth,
        &course.prefecture_code,
        AuditAction::TrainingUpdated,
        ("training", course.id.to_string()),
        json!({ "fields": ["billing"] }),
    )
    .await?;
    txn.commit().await?;
    Ok(billing)
}
